"""Is an invoice or 价保 message about the shopper's own order, or a question about the policy?

"发票开了没有" and "我昨天买的降价了" ask about an order the shopper placed: the bot verifies it
and answers from its records. "怎么开发票" and "价保多少天" ask how things work: the FAQ answers.
`own_order_topic` is the one rule that decides; it reads the words only, so every part of the
bot that asks gets the same answer.
"""

import re
from enum import StrEnum

from core.text import normalise
from shop.orders import ORDER_NO_PATTERN
from shop.price_claims import claims_price_difference


class OrderTopic(StrEnum):
    """What the shopper wants done about their own order (the FAQ topic of the same name)."""

    INVOICE = "invoice"
    PRICE_PROTECTION = "price_protection"


TOPIC_WORDS = {
    OrderTopic.INVOICE: re.compile(
        r"发票|发漂|开票|专票|普票|增票|抬头|税号|红冲|换开|补开|开户行|纳税人识别号"
    ),
    OrderTopic.PRICE_PROTECTION: re.compile(
        r"价保|保价|差价(?!也行|也可以|都行|没问题)|降价|降了|便宜(了|一|二|两|三|几|好|\d)|买贵了|补差(?!价也行|价也可以|价都行)|退差"
    ),
}
# 差价 is also what a faster carrier or a dearer exchange costs (换支奶茶色 补差价也行, 我补差价):
# those are not 价保.
NOT_PRICE_PROTECTION = re.compile(
    r"运费|邮费|快递|顺丰|京东物流|换货|换(个|一|支|件|双|瓶|款|成)|升级|补邮|(?<![给帮])我(来)?补差"
)
# Words that introduce a question without asking for anything: "我想问一下怎么开发票".
QUESTION_OPENERS = re.compile(r"我?想(问|咨询)(问|一下)?|请问|问(一下|下)|咨询(一下)?")
# 今天下单周五前能到吗: the purchase as a condition of the question (今天下单的 能到吗: made)
_ASKED_IF_POSSIBLE = (
    r"(?![^，,。！!？?了的过]{0,12}?(能|可以|来得及|赶得上)[^，,。！!？?]{0,8}?(吗|么|嘛|不|[?？]))"
)
# 我买了以后要是又降价了: a purchase to come, with what might happen after it
_WHAT_MIGHT_FOLLOW = r"(?!了?(以后|之后|完)?[^，,。！!？?]{0,3}?(要是|如果|万一|假如))"
# Words that point at an order the shopper placed: 我的订单, 我这单, 我昨天买的.
PLACED_ORDER = (
    r"我的?(订单|这单|那单|单子|发票|东西|宝贝|商品)",
    r"我?(这|那)(一)?(单|个订单|笔订单|笔)",
    # a purchase told in the past (昨天买的, 两天前下单, 上个月下单什么时候到啊); 如果我下单以后…:
    # a purchase supposed, not one placed
    r"(?<!如果)(?<!要是)(?<!万一)(?<!假如)(?<!假设)"
    r"(刚|刚刚|才|昨天|前天|大前天|上周|上星期|上礼拜|上个月|前几天|几天前|月初|早上|上午|下午|晚上"
    r"|[0-9一二两三四五六七八九十几半]+(天|周|个?星期|个?礼拜|个?月)(前|之前))"
    r"(才)?(买|下单|下的单|拍|订|付款)" + _ASKED_IF_POSSIBLE + _WHAT_MIGHT_FOLLOW,
    # 我 or 今天 with a purchase may be one to make (今天下单什么时候发货, 我下单以后能改吗)
    r"(?<!如果)(?<!要是)(?<!万一)(?<!假如)(?<!假设)"
    r"(我|今天)(才)?(买|下单|下的单|拍|订|付款)"
    + _ASKED_IF_POSSIBLE
    # 今天下单什么时候发货, 今天拍几天能到: when it would leave or come
    + r"(?![^，,。！!？?了的过]{0,12}?(几天|多久|哪天|什么时候|啥时候|几点|当天)(能|会|可以|就)?"
    r"((送|收)?到|发|寄|出库))" + _WHAT_MIGHT_FOLLOW,
)
POINTS_AT_ORDER = re.compile("|".join(PLACED_ORDER))
# Signs the shopper means an order they placed, or asks us to act on it.
OWN_ORDER = re.compile(
    "|".join(
        (
            *PLACED_ORDER,
            r"买完|到手(就|才|没几天)|下单(没几天|后就|就)",
            r"帮我|给我|帮忙|麻烦|请帮|我要|我想|想要",
            r"(换|改|开)成",
            r"^(开|补开|换开|重开|要)(个|张|一张)?(专票|普票|增票|发票|电子发票|公司|单位|个人)",
            r"有限公司|[0-9a-z]{18}",  # the title or tax number of the invoice wanted
            r"(开|寄|发|出)了(没|吗|么)|(开好|开出来|好)了?(没|吗|么)",
            r"还没(开|收到|到|发|寄|退|到账|给)|没(看到|收到|找到)",
            r"(发票|差价|价保|保价)(呢|到哪|到了吗|寄了吗|发了吗|退了吗|到账了吗|成功没|成功了吗|什么时候给)",
            r"进度",
            r"申请(成功)?(了吗|没)",
        )
    )
)


# A mistake said of the invoice (抬头写错, 忘了开): the shopper's own, unless they only ask
# whether such a thing can be put right (开错了能换吗, 收货后忘了开还能补吗: the rule answers).
MISTAKE = re.compile(r"(写|填|开|选)错|(少|漏|忘)了?(填|写|开|选|勾)")
ASKS_IF_POSSIBLE = re.compile(
    r"(能|可以|可不可以|能不能)[^，,。！!？?\s]{0,6}?(吗|么|嘛|不|[?？])|能不能|可不可以|行不行|行吗"
)


def topic_named(text: str) -> OrderTopic | None:
    """The topic the words name (发票 → invoice, 降价/差价 → 价保), or None."""
    clean = normalise(text)
    if TOPIC_WORDS[OrderTopic.INVOICE].search(clean):
        return OrderTopic.INVOICE
    if TOPIC_WORDS[OrderTopic.PRICE_PROTECTION].search(clean) and not NOT_PRICE_PROTECTION.search(
        clean
    ):
        return OrderTopic.PRICE_PROTECTION
    return None


def about_own_order(text: str) -> bool:
    """Whether the message means an order the shopper placed (an order number, 我这单, 我昨天买的,
    开了没, 帮我…), rather than asking how something works."""
    clean = QUESTION_OPENERS.sub("", normalise(text))
    return bool(names_an_order(clean) or OWN_ORDER.search(clean) or MISTAKE.search(clean))


def points_at_an_order(text: str) -> bool:
    """Whether the words point at an order the shopper placed (its number, 我这单, 我的东西, 我
    昨天买的), which a question in general terms (就问问, 要是…呢) does not outweigh."""
    clean = QUESTION_OPENERS.sub("", normalise(text))
    return bool(names_an_order(clean) or POINTS_AT_ORDER.search(clean))


def asks_only_whether_possible(text: str) -> bool:
    """Whether a mistake is named only to ask if it can be put right (开错了能换吗, 忘了开还能补
    吗), with nothing else that means the shopper's own order."""
    clean = QUESTION_OPENERS.sub("", normalise(text))
    if names_an_order(clean) or OWN_ORDER.search(clean):
        return False
    return bool(MISTAKE.search(clean) and ASKS_IF_POSSIBLE.search(clean))


def names_an_order(text: str) -> bool:
    """Whether the message carries an order number: whole ("发票在哪下载 3614014193141705 1193",
    its phone tail after it) or read out in groups ("3614 0141 9314 1705")."""
    return bool(
        ORDER_NO_PATTERN.search(text) or ORDER_NO_PATTERN.search(re.sub(r"[\s\-]", "", text))
    )


def own_order_topic(
    text: str, faq_topic: str | None = None, verified: bool = False
) -> OrderTopic | None:
    """The invoice or 价保 need of a message about the shopper's own order; None for a policy
    question or another topic. `faq_topic`, the FAQ's best match, names the topic when the
    words alone do not ("开了没"). Once the conversation has `verified` an order, its invoice
    and 价保 are what the shopper asks about ("什么时候能开", "是纸质还是电子的", "差了30呢"):
    the order's record answers before the policy does. A price paid compared with the price now
    (上周328买的 现在298 能补吗) is a 价保 claim on the shopper's own order, whatever the FAQ
    matched."""
    topic = topic_named(text)
    if topic is None and claims_price_difference(text):
        return OrderTopic.PRICE_PROTECTION  # 上周328买的 现在298: a price the shopper paid
    if topic is None and faq_topic in set(OrderTopic):
        topic = OrderTopic(faq_topic)
    own = about_own_order(text) and not asks_only_whether_possible(text)
    if topic is None or not (verified or own):
        return None
    return topic

"""The needs a shopper's message names, so that a second one is taken up, never dropped.

"发票开了吗 还有物流到哪了" is classified as one intent; the other need is read here, and the
bot offers it once the first is answered. A second need counts only when the shopper asked for
it in a clause of its own (a question, a request, or the need's words alone), never for a word
inside the main question (加绒的厚不厚, 这个价能保价吗) or a remark (那普票也行). Plain Python,
no Rasa.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import partial

from conversations.reading import is_conditional_request, pushes_back
from conversations.short_messages import STEPS_AWAY
from core.text import normalise
from shop.own_order import topic_named
from shop.price_claims import claims_price_difference
from shop.problems import ProblemKind, names_a_fault, read_problem


class Need(StrEnum):
    """A need the bot serves, by the intent (and FAQ topic) that serves it."""

    TRACKING = "tracking"
    DELAY = "delay"
    INVOICE = "invoice"
    PRICE_PROTECTION = "price_protection"
    REFUND = "refund"
    RETURN = "return"
    CANCEL = "cancel"
    CHANGE = "change"
    REPAIR = "repair"
    MISSING_ITEM = "missing_item"
    WRONG_ITEM = "wrong_item"
    DAMAGED = "damaged"


@dataclass(frozen=True)
class Serving:
    intent: str
    faq_topic: str | None = None


SERVED_BY = {
    Need.TRACKING: Serving("track_order"),
    Need.DELAY: Serving("report_delivery_delay"),
    Need.INVOICE: Serving("faq", "invoice"),
    Need.PRICE_PROTECTION: Serving("faq", "price_protection"),
    Need.REFUND: Serving("ask_refund_status"),
    Need.RETURN: Serving("request_return_exchange"),
    Need.CANCEL: Serving("cancel_order"),
    Need.CHANGE: Serving("modify_order"),
    Need.REPAIR: Serving("request_repair"),
    Need.MISSING_ITEM: Serving("report_wrong_or_missing_item"),
    Need.WRONG_ITEM: Serving("report_wrong_or_missing_item"),
    Need.DAMAGED: Serving("report_damaged_item"),
}

# Words that name a need. A clause is about the need when it asks a question or makes a request
# (发票开了吗, 帮我看下物流) or says nothing else (物流?); a mere mention (那普票也行, 退货都寄回去
# 好几天了) names no need. Regular expressions, matched on the normalised text.
CUES: dict[Need, tuple[str, ...]] = {
    Need.TRACKING: ("物流", "快递单号", "运单号"),
    Need.DELAY: (),
    Need.INVOICE: ("发票", "开票", "抬头", "税号", "专票", "普票", "开户行"),
    Need.PRICE_PROTECTION: ("价保", "保价", "差价"),
    # 退款怎么还没到 is the refund, not a late parcel; 取消退款 is a cancel's money
    Need.REFUND: ("(?<!取消)退款", "退的钱"),
    Need.RETURN: ("退货", "换货", "退换"),
    Need.CANCEL: (),
    Need.CHANGE: (),
    Need.REPAIR: ("保修", "维修", "返修"),
    Need.MISSING_ITEM: (),
    Need.WRONG_ITEM: (),
    Need.DAMAGED: (),
}
# Words that ask for a need on their own: a question (到哪了), a complaint (还没收到) or a
# request (改地址).
ASKING_CUES: dict[Need, tuple[str, ...]] = {
    Need.TRACKING: (
        "快递到哪",
        "到哪了",
        "到哪里了",
        "(?:什么|啥)时候(?:能)?到(?![账货])",
        "几号(?:能)?到(?![账货])",
        "能(?:不能)?(?:送)?到(?:吗|不|么|嘛)",  # 周六要穿的 能到吗
        "到得了(?:吗|不|么)?",
        "几天(?:能)?到(?![账货]|支付宝|微信|银行|卡)",
        "发货了(?:吗|没)",
        "发货没",
        "发了没",
        "(?:什么|啥)时候发货",
        # 啥时候发, 几号能发出, 多久发: when it ships (never 发票, 发照片, 发给你)
        "(?:什么|啥)时候(?:能|才|可以)?发(?:货|出|走)?(?![票照图给到])",
        "(?:几号|几天|多久)(?:能|才|可以)?发(?:货|出|走)?(?![票照图给到])",
    ),
    Need.DELAY: (
        "(?:还|咋|怎么|一直)(?:没|不)(?:发货|发出)",  # 还没发货? 咋还不发货
        "还没到(?![账货])",
        "还没收到(?!钱|退款)",
        "没更新",
        "(?<![按拧推拉搬扭转摁压掰])不动了",  # never 弹盖按不动了: a part that will not move
        "催一下",
        "催催",
        "(?:快递|物流|发货|送货|配送)[^,，。!！?？\\s]{0,4}太慢",
        # 靴子也超时了, 承诺的时间早过了
        "(?<!不)超时了|(?:过|超过)了?(?:承诺|约定|说好)的?(?:时间|日子)",
        "(?:承诺|约定|说好)的?(?:时间|日子)[^,，。!！?？\\s]{0,3}过了",
    ),
    Need.INVOICE: (),
    Need.PRICE_PROTECTION: (
        # never 补差价也行, 我补差价: the shopper paying for a dearer exchange
        "(?<!我)(?:补|退)差价(?!也行|也可以|都行|没问题)",
        "(?:刚|才|昨天|前天|前几天)?(?:买|下单|拍)[^,，。!！?？\\s]{0,6}(?:就|又)?(?:降价|便宜)了",
    ),
    Need.REFUND: (
        "(?<![货西件])退到哪(?!个地址|个仓|个地方寄)",  # 退到哪里 多久到: the money's way
        "退款到",
        "退款呢",
        "退款还没",
        "钱退",
        "到账",
        "钱到哪",
        "钱[^,，。!！?？\\s]{0,4}(?:还没|没)(?:到|收到|看到|见到|退)",
        "(?:退款|钱)[^,，。!！?？\\s]{0,3}(?:什么|啥)时候(?:能)?到",
        "(?:^|[那我的])钱呢",  # 退货你们都签收了 钱呢
    ),
    Need.RETURN: (
        "换个码",
        "(?:我|想|要)退货",
        # 能退吗, 可以换不, 能不能退: sending it back asked (never 退款, 退差价, 退到)
        "(?:能|可以|能不能|可不可以)(?:退|换)(?:掉|货)?(?:吗|么|不|嘛|$|[?？。!！\\s])",
    ),
    Need.CANCEL: ("取消订单", "把订单取消", "帮我取消", "订单取消"),
    Need.CHANGE: (
        "改(?:一?下|个|成)?(?:收货)?(?:地址|电话|手机号?|颜色|尺码|规格)",
        "修改(?:收货)?(?:地址|电话|手机号?)",
        "(?:地址|电话|手机号?)(?:写|填)错",
        "改收货",
    ),
    Need.REPAIR: (
        "修一下",
        "(?:坏了)?怎么修",
        # a fault in use, told as such (现在有点毛病, 开不了机): the item's repair or warranty
        "(?:有|出)(?:点|了|些)?(?:小)?毛病",
        "故障",
        "开不了机",
        "不开机",
        "充不(?:进|上)电",
    ),
    # Parcel problems, each told in words that mean it and nothing else (少发了一件, 发错货了,
    # 箱子压扁了 东西摔坏了): a problem described is a request to have it put right.
    Need.MISSING_ITEM: (
        "少发|漏发|少寄|漏寄",
        "少了(?:一|两|几|[0-9])?[件个样双盒瓶包袋]",
        "只(?:收到|到|来)了?(?:一|1)[件个样双盒瓶包袋]",
    ),
    Need.WRONG_ITEM: (
        "(?<!地址)(?<!电话)(?:发|寄)错(?!地址|电话|手机)",
        "不是我(?:买|拍|订|选)的",
    ),
    Need.DAMAGED: ("摔坏", "摔碎", "压坏", "压扁", "压烂", "磕坏", "磕破", "破损", "碎了"),
}


def _group(need: Need, asking: bool) -> str:
    return f"{need.value}__{'asks' if asking else 'names'}"


_CUE = re.compile(
    "|".join(
        f"(?P<{_group(need, asking)}>{'|'.join(cues)})"
        for asking, table in ((True, ASKING_CUES), (False, CUES))
        for need, cues in table.items()
        if cues
    )
)
# FAQ topics a request's own flow answers (the return flow says the 7-day rule): asked beside
# the request, they are not a second need.
RELATED_TOPICS: dict[str, frozenset[str]] = {
    "track_order": frozenset({"delivery_time", "shipping_carrier", "split_shipment"}),
    "report_delivery_delay": frozenset({"delivery_time", "shipping_carrier"}),
    "report_lost_parcel": frozenset({"signature_policy", "pickup_points"}),
    "report_damaged_item": frozenset({"fresh_food_damage", "return_policy"}),
    "report_wrong_or_missing_item": frozenset({"split_shipment", "free_gift"}),
    "request_return_exchange": frozenset(
        {"return_policy", "return_shipping_fee", "exchange_size", "refund_time"}
    ),
    "cancel_order": frozenset({"cancel_policy", "refund_time"}),
    "ask_refund_status": frozenset({"refund_time", "partial_refund_discount"}),
    "modify_order": frozenset(  # where the parcel is left (放门卫, 驿站) is a delivery wish
        {
            *("change_address_policy", "order_modification", "scheduled_delivery"),
            *("signature_policy", "pickup_points"),
        }
    ),
    "request_repair": frozenset({"warranty_repair", "product_manual"}),
    "ask_size_advice": frozenset({"size_guide", "exchange_size"}),
    "ask_stock": frozenset({"out_of_stock_restock", "presale"}),
    "ask_price_promotion": frozenset({"coupon_promotion", "price_protection", "free_gift"}),
    "ask_product_info": frozenset({"authenticity", "product_manual", "shelf_life"}),
}
# Needs a request's own flow serves: a damaged or wrong item's case offers the exchange or the
# refund (and reads every problem described: 发错了 还少了一件), a cancel and a return say where
# the money goes back, a return reads the problem that makes it one (用了一次就有毛病了 能换吗).
RELATED_NEEDS: dict[str, frozenset[Need]] = {
    "report_lost_parcel": frozenset({Need.TRACKING, Need.DELAY, Need.REFUND}),
    "cancel_order": frozenset({Need.REFUND}),
    "request_return_exchange": frozenset(
        {Need.REFUND, Need.REPAIR, Need.DAMAGED, Need.WRONG_ITEM, Need.MISSING_ITEM}
    ),
    "report_damaged_item": frozenset({Need.RETURN, Need.REFUND, Need.REPAIR}),
    "report_wrong_or_missing_item": frozenset(
        {Need.RETURN, Need.REFUND, Need.WRONG_ITEM, Need.MISSING_ITEM}
    ),
}
# Kinds of need a FAQ answer can be about (its topic is known only once it is answered).
FAQ_NEEDS = frozenset(need for need, serving in SERVED_BY.items() if serving.faq_topic)
# A delay is the tracking need said impatiently: one answer serves both.
SAME_NEED = {Need.DELAY: Need.TRACKING, Need.TRACKING: Need.DELAY}


def needs_in(text: str) -> list[Need]:
    """The needs `text` names, each once (a late parcel and where it is are one), in the order
    they first appear: any mention, asked for or not."""
    return _unique(need for need, _ in _cues(text or ""))


# A need denied right before its cue (不是破损 是少发了: the shopper says it is not that one).
_DENIED_BEFORE = re.compile(r"(?:(?<!是)不是|并不是|没有|不算)$")


def _cues(text: str) -> list[tuple[Need, bool]]:
    """Each need cue in `text`, in order, with whether it asks for the need on its own; a cue
    the shopper denies (不是破损) names no need."""
    found = []
    clean = normalise(text)
    for match in _CUE.finditer(clean):
        if _DENIED_BEFORE.search(clean[: match.start()]):
            continue
        need, kind = (match.lastgroup or "").split("__")
        found.append((Need(need), kind == "asks"))
    return found


def _unique(needs: Iterable[Need]) -> list[Need]:
    found: list[Need] = []
    for need in needs:
        if need not in found and SAME_NEED.get(need) not in found:
            found.append(need)
    return found


# Small talk serves no need: a need named in it (谢谢 发票开了吗) is the real question.
SMALL_TALK = frozenset({"greet", "thank", "affirm", "deny", "goodbye"})
# Pre-sale intents whose answer reads each question of the message (shop.product_questions:
# 要另外收钱不 普通插座能用吗 are both answered): a question of its own beside one is no other.
# The intents that ask about the goods themselves (never an order's number).
PRESALE_INTENTS = frozenset(
    {"ask_product_info", "ask_stock", "ask_price_promotion", "ask_size_advice"}
)
EACH_QUESTION_ANSWERED = PRESALE_INTENTS
# Intents that ask for nothing of their own (data, a complaint, a message not understood:
# 别跟我说抱歉 我就问啥时候到): such a message is about the first need it names.
NEEDLESS_INTENTS = frozenset({"inform", "nlu_fallback", "complain", "out_of_scope"})

# --- clauses --------------------------------------------------------------------------------

# Words that put a further question after the first (发票开了吗 还有物流到哪了, 改地址 顺便问下
# 满多少包邮). Each is a connective only where the guard around it allows: 还有 also means
# "still in stock" (白色还有吗, 还有货吗), 另外 also means "extra" (安装要另外收钱不).
_CONNECTIVES = re.compile(
    r"顺便|(?:我)?再问一?下?|还想问|还要问|对了|还有(?:(?:一个|个|一件|件)(?:问题|事))?|另外"
)
_NOT_STILL_HAS = re.compile(
    r"^(?:$|[吗嘛么没不呢吧啊呀的货码号色款件]|[a-z0-9]|库存|现货|存货|别的|其他|其它|多少|几|同款)"
)
_NOT_EXTRA = re.compile(r"^(?:[收付加算买花掏给交补一两的个还再另要]|$)")
_ADVERB_BEFORE = re.compile(r"(?:要|需|得|还|用|会|再|不|是否|都|也)$")
_ENDED = re.compile(r"[吗嘛么呢了啊呀哈吧的没]$")
# Clauses that ask nothing: greetings, fillers, thanks.
_FILLER = re.compile(
    r"^(?:你好|您好|哈喽|hello|hi|亲+|在吗|在不在|在么|在嘛|有人吗|有人在吗|客服|小姐姐|老板|"
    r"嗯+|哦+|噢+|喔+|啊+|额+|呃+|好的?|好吧|行|ok|谢谢|多谢|请问|那个|就是|麻烦了?|"
    r"我?想?(?:问|咨询)一?下|问问|[?!~。.])+$"
)
# A question or a request: 吗, 怎么, 多久, 能不能 …; 帮我, 麻烦, 看下, 查 …
_ASKS = re.compile(
    r"[?？吗嘛呢]|(?<![什怎那这])么|没有?$|不$|怎么|咋|如何|多久|多长时间|多少|(?<!好)几|哪|"
    r"什么|啥|谁|能不能|可不可以|能否|行不行|是不是|有没有|要不要|会不会|"
    r"帮|麻烦|请|给我|我要|我想|想要|申请|看下|看看|看一下|瞧|瞅|查|催|需要|处理|安排|一下|发我|告诉我|要(?:改|开|换|退|查|补|取消)|"
    r"(?:还|都|也|一直|仍然?)没"  # a complaint that it has not happened yet asks for it
    r"|^(?:还|应该|是)\S{1,10}吧$"  # 还在保修里吧: a fact asked to be confirmed
)
# What a clause that only names a need may say beside it (发票, 我的物流, 这单的退货).
_BARE = re.compile(
    r"(?:我|我的|这|那|个|单|订单|这单|那单|的|一下|下|呢|啊|呀|哈|亲|你们|您|也|还)*"
)
_JOINED = re.compile(f"(?:{_CUE.pattern})(?:和|跟|与|以及|还有|及|、|也)")
_SPLIT = re.compile(r"[^，,。.!！?？~～;；、\s]+[?？]*")


@dataclass(frozen=True)
class Clause:
    """One clause of a message; `further` when it comes after a word that puts a further
    question (顺便, 还有, 另外 …); `own_sentence` when it opens a sentence of its own after
    the message's first (after 。 ！ ？)."""

    text: str
    further: bool = False
    own_sentence: bool = False
    apart: bool = False  # after the message's first clause, parted by a space or a comma
    opens: bool = False  # the first clause after a word that puts a further question


# What ends a sentence (a comma or a space does not: 到了吗 几点到 is one breath).
_SENTENCE_END = re.compile(r"[。.!！?？]")


def clauses(text: str) -> list[Clause]:
    """The clauses of `text`: split at punctuation, spaces and the words that put a further
    question ("发票开了吗还有物流到哪了" → 发票开了吗 | 物流到哪了, the second `further`)."""
    found: list[Clause] = []
    further = opens = False
    clean = normalise(text or "")
    for found_segment in _SPLIT.finditer(clean):
        segment = found_segment.group()
        own_sentence = bool(found) and bool(
            _SENTENCE_END.search(clean[found_segment.start() - 1 : found_segment.start()])
            or _SENTENCE_END.search(found[-1].text[-1:])
        )
        start = 0
        for match in _CONNECTIVES.finditer(segment):
            before, after = segment[start : match.start()], segment[match.end() :]
            if not _is_connective(match.group(), segment[: match.start()], after, found):
                continue
            if before:
                found.append(Clause(before, further, own_sentence, bool(found), opens))
                opens = False
            further, start, own_sentence, opens = True, match.end(), False, True
        if segment[start:]:
            found.append(Clause(segment[start:], further, own_sentence, bool(found), opens))
            opens = False
    return found


@dataclass(frozen=True)
class Part:
    """A part of a message about one need (`parts_apart`): its words, and the need its first
    clause telling one tells (None: it tells none)."""

    text: str
    told: "NeedTold | None"


def parts_apart(text: str) -> list[Part]:
    """The parts of a message about different needs ("猪肉脯少了一包 只收到一包 还有那个绘本现在
    领券26 能退差价不" → the missing bag | the picture book's 价保; "裙子四天了物流一动不动 猪肉脯
    退款也没看到" → the dress's delay | the jerky's refund): a new part starts after a word that
    puts a further question, or at a clause telling another need than its part's so far; the
    clauses that tell none stay with the part before them."""
    parts: list[tuple[list[str], NeedTold | None]] = []
    for clause in clauses(text):
        here = need_told(clause.text)
        told = parts[-1][1] if parts else None
        if clause.opens or not parts or (here is not None and told not in (None, here)):
            parts.append(([], None))
            told = None
        parts[-1] = ([*parts[-1][0], clause.text], told or here)
    # a need only the part's clauses together tell (热水器现在秒杀999 我3天前1099买的 能退100吗: a
    # 价保 claim no clause makes alone)
    return [Part(" ".join(texts), told or need_told(" ".join(texts))) for texts, told in parts]


def _is_connective(word: str, before: str, after: str, found: list[Clause]) -> bool:
    """Whether `word` puts a further question here, rather than meaning "still" or "extra",
    and something was asked before it (对了 opening a message opens the first question)."""
    if not any(not _FILLER.match(c.text) for c in found) and (not before or _FILLER.match(before)):
        return False
    if word == "还有":
        return (not before or bool(_ENDED.search(before))) and not _NOT_STILL_HAS.match(after)
    if word == "另外":
        return not _ADVERB_BEFORE.search(before) and not _NOT_EXTRA.match(after)
    return True


def asks(clause: str) -> bool:
    """Whether the clause asks a question or makes a request (not a remark: 那普票也行)."""
    return bool(_ASKS.search(clause)) and not _FILLER.match(clause)


# A question proper: a question word, 吗, or one asked as A-not-A (会不会, 能不能) — not a request.
_QUESTION = re.compile(
    r"[?？吗嘛]|(?<![什怎那这])么[?？]?$|怎么|咋|如何|为什么|为啥|多久|多长时间|多少|(?<!好)几|哪|"
    r"什么|啥|谁|([会能要是有行可对])[不没]\1"
)
# A tag that only asks the shopper's own words to be agreed to (好吗, 行吗, 对吧, 是不是): no
# question of its own.
_TAG_QUESTION = re.compile(
    r"^(?:那|那就|就|这样|就这样|你看|您看)?"
    r"(?:好|行|可以|对|是|成|ok)(?:吗|吧|么|嘛|不|不好|不行|不对|不是|不可以)?(?:呀|啊)?[?？]*$"
)
# Asked outright, so a clause after a space or a comma asks on its own too (到了会打电话吗).
_ASKED_OUTRIGHT = re.compile(r"[吗嘛][?？]*$|[?？]$|([会能要是有可])[不没]\1")
# A question that is a complaint or a chase, not something to look up (有没有人管, 你们是不是
# 骗子, 什么意思, 能快点吗).
_RHETORICAL = re.compile(
    r"有没有人|是不是骗|骗子|什么意思|啥意思|搞什么|怎么回事|凭什么|什么态度|有病|到底|还要不要|"
    r"要饭|打发|快点|快一点|快些|加急|催"
)
# A clause needs this many characters beyond its question words to ask about something.
_QUESTION_WORDS = re.compile(r"[?？吗嘛呢啊呀吧]|那|大概|请问|怎么|会不会|能不能|什么|啥|多久|几")
MIN_OWN_QUESTION_CHARS = 3


def asks_on_its_own(clause: Clause) -> bool:
    """Whether a clause after the first puts a question of its own without a word that adds one
    (到了他会不会给我打电话 after 哪天能到啊。): in a sentence of its own, or asked outright
    after a space, a question proper about something, not a tag (好吗, 对吧, 行不行 after a
    request or a claim) nor a complaint put as a question (有没有人管)."""
    text = clause.text
    if not (clause.own_sentence or (clause.apart and _ASKED_OUTRIGHT.search(text))):
        return False
    if not _QUESTION.search(text) or _TAG_QUESTION.match(text) or _RHETORICAL.search(text):
        return False
    return len(_QUESTION_WORDS.sub("", text)) >= MIN_OWN_QUESTION_CHARS


def questions_apart(text: str) -> set[str]:
    """The clauses that put a question apart from the first: after 还有, 顺便, 另外, or in a
    sentence of their own (哪天到。到了会打电话吗): kept in the shopper's words when the
    knowledge base is sure of no answer; never what the shopper will do themselves (我问下我老公
    是不是他拿了)."""
    return {
        part.text
        for part in clauses(text)
        if (part.further or asks_on_its_own(part))
        and not STEPS_AWAY.search(part.text)  # 等下 我问下我老公是不是他拿了: none for the bot
        and not pushes_back(part.text)  # 你们系统就不能通融一下: heard with the answer, no question
    }


def asked_needs(clause: str) -> list[Need]:
    """The needs a clause asks for: named in a question or a request (发票开了吗), by words that
    ask on their own (到哪了, 还没收到, 改地址) or alone (发票?); never one it only mentions
    (那普票也行, 退货都寄回去好几天了)."""
    asking = asks(clause) or not _BARE.sub("", _CUE.sub("", clause))
    return _unique(need for need, self_asking in _cues(clause) if asking or self_asking)


def _listed(clause: str) -> list[Need]:
    """Needs a clause lists together (发票和物流都帮我看下): each is asked."""
    needs = needs_in(clause)
    return needs if len(needs) > 1 and _JOINED.search(clause) and asks(clause) else []


def _main(parts: list[Clause], intent: str | None) -> int | None:
    """Which clause is the message's main question: the first that names a need its intent
    serves (a `faq` message: an FAQ-kind need, 发票, 价保), else its first clause that is more
    than a greeting; none for small talk (谢谢 发票开了吗: the need is the real question)."""
    if intent in SMALL_TALK:
        return None
    named = [needs_in(part.text) for part in parts]
    for index, needs in enumerate(named):
        if intent == "faq" and any(n in FAQ_NEEDS for n in needs):
            return index
        if intent in NEEDLESS_INTENTS and needs:  # 别跟我说抱歉 我就问啥时候到: its need
            return index
        if any(_serves(n, intent) for n in needs):
            return index
    if intent == "faq":  # 那坏的退钱 多久到账: the FAQ answers its first question's need
        first = (i for i, part in enumerate(parts) if named[i] and not part.further)
        if (asked := next(first, None)) is not None:
            return asked
    return next((i for i, part in enumerate(parts) if not _FILLER.match(part.text)), None)


def _serves(need: Need, intent: str | None) -> bool:
    """Whether `intent` serves the need, or the same need said another way (到哪了 is served by
    a late parcel's answer, 还没到 by the tracking's)."""
    same = SAME_NEED.get(need)
    return SERVED_BY[need].intent == intent or (
        same is not None and SERVED_BY[same].intent == intent
    )


def need_of_topic(topic: str | None) -> Need | None:
    """The need a FAQ topic's answer serves: its own (invoice, price_protection), else the need
    whose flow answers the topic (refund_time: the refund, delivery_time: the tracking)."""
    if topic is None:
        return None
    for need, serving in SERVED_BY.items():
        if serving.faq_topic == topic:
            return need
    for need, serving in SERVED_BY.items():
        if topic in RELATED_TOPICS.get(serving.intent, frozenset()):
            return need
    return None


def _names(clause: str, need: Need) -> bool:
    named = needs_in(clause)
    return need in named or SAME_NEED.get(need) in named


def _threatened(parts: list[Clause], index: int) -> bool:
    """Whether the clause makes its request depend on a condition, alone or with the clause
    before it (再不到我就取消订单; 如果明天还不到 就退货): a threat, not a need asked for."""
    here = parts[index].text
    before = parts[index - 1].text if index > 0 else ""
    return is_conditional_request(here) or is_conditional_request(f"{before} {here}")


def other_needs(text: str, intent: str | None, served: Need | None = None) -> list[Need]:
    """The needs `text` asks for beyond the one its intent serves, each asked in a clause of its
    own (物流到哪了 发票开了吗: the invoice), never a word inside the main question (这个价能保价吗
    is the price question; 退货都寄回去好几天了 钱呢 asks for the refund only).

    Small talk (谢谢, 好的) serves none, so every need it asks for is "other". A `faq` message is
    about its first FAQ-kind need (发票, 价保), else its first question (你们家电保修多久 is about
    保修); data (`inform`: a title and tax number for the invoice) is about its first need.

    `served`: the need the bot's answer serves, when it is known rather than guessed from the
    intent (the FAQ's answer to "能退差价吗 还有发票啥时候开" may be the invoice): the main
    question is the clause that names it, and every other need asked is offered, the first
    question's too, so the one not answered is never dropped.
    """
    parts = clauses(text)
    if served is not None:
        named = (i for i, part in enumerate(parts) if _names(part.text, served))
        main, first = next(named, None), [served]
    else:
        main = _main(parts, intent)
        main_needs = needs_in(parts[main].text) if main is not None else []
        serving = [n for n in main_needs if SERVED_BY[n].intent == intent]
        if intent == "faq":
            serving = [n for n in main_needs if n in FAQ_NEEDS]
        first = (serving or main_needs)[:1]
    asked: list[Need] = []
    for index, part in enumerate(parts):
        if index != main and _threatened(parts, index):
            continue  # 再不到我就取消订单: a threat, never a cancel offered
        found = _listed(part.text) if index == main else asked_needs(part.text)
        if index and _of_the_money(parts[index - 1].text, part.text):
            found = [need for need in found if need is not Need.TRACKING]
        if index and _of_the_stock(parts[index - 1].text, part.text):
            found = [need for need in found if need not in (Need.TRACKING, Need.DELAY)]
        asked += found
    if claims_price_difference(text) and not _SENT_BACK.search(normalise(text)):
        asked = [need for need in asked if need is not Need.RETURN]  # 差100 能退吗: 价保
    related = RELATED_NEEDS.get(intent or "", frozenset())
    if served is not None:
        related |= RELATED_NEEDS.get(SERVED_BY[served].intent, frozenset())
    if served is Need.PRICE_PROTECTION and main is None:
        related |= {Need.REFUND}  # 钱退哪 after the 价保 was answered: the difference's way back
    return [
        need
        for need in _unique(asked)
        if need not in first and SAME_NEED.get(need) not in first and need not in related
    ]


# The goods sent back (退货, 寄回): beside a price difference, 能退吗 asks the difference back.
_SENT_BACK = re.compile(r"退货|换货|退回|寄回")


def _of_the_money(before: str, clause: str) -> bool:
    """Whether a clause asking when something arrives, naming no parcel (几天到), follows one
    about money (钱退哪 几天到): the money's arrival, not the parcel's."""
    return Need.REFUND in needs_in(before) and not PARCEL_WORDS.search(clause)


# Goods out of stock (没货, 缺货): a question of when after it is about their return to stock.
_OUT_OF_STOCK = re.compile(r"没货|缺货|断货|售罄|卖完|没有货")


def _of_the_stock(before: str, clause: str) -> bool:
    """Whether a clause asking when something arrives, naming no parcel (啥时候到), follows one
    saying the goods are out of stock (啊没货 啥时候到): when they are back, not a parcel."""
    return bool(_OUT_OF_STOCK.search(before)) and not PARCEL_WORDS.search(clause)


def further_questions(text: str, intent: str | None) -> list[str]:
    """The clauses of `text` that put a question of their own beside its main one, naming no
    need (改地址 顺便问下满多少包邮 → 问下满多少包邮): a policy question is taken up only when
    the shopper asked it so, never from words inside the first question (热水器安装要另外收钱不).
    Beside small talk every question is one (好的 那运费怎么算); a `faq` message is all one."""
    if intent == "faq":
        return []
    parts = clauses(text)
    main = _main(parts, intent)
    return [
        part.text
        for index, part in enumerate(parts)
        if index != main
        and (
            part.further
            or intent in SMALL_TALK
            or (asks_on_its_own(part) and intent not in EACH_QUESTION_ANSWERED)
        )
        and asks(part.text)
        and not needs_in(part.text)
        and not pushes_back(part.text)  # 就超了几天 你们就不能通融一下: no question to take up
        and not _ONLY_HELP_ASKED.match(part.text)  # 帮我看下: the main need's, nothing more
    ]


# A clause asking only for help, naming nothing (帮我看下, 麻烦处理一下, 给我查查吧).
_ONLY_HELP_ASKED = re.compile(
    r"^(?:那|就|快)?(?:请|麻烦)?(?:你|您|你们)?(?:帮|给)?(?:我|忙)?(?:看|查|瞧|瞅|处理|弄|搞|解决)"
    r"(?:一下|下|看|查|瞧)?(?:吧|呗|哈|啊|呀|嘛|好吗|行吗|可以吗)?$"
)


@dataclass(frozen=True)
class OtherNeeds:
    """Needs and policy questions the shopper named beside the one just answered, offered to
    take up next."""

    needs: tuple[Need, ...]
    questions: tuple[str, ...] = ()  # FAQ questions, as the knowledge base words them


@dataclass(frozen=True)
class OtherNeedsNoted:
    """Needs and questions named beside one whose answer comes from the order lookup that
    follows (the order asked for, or an invoice's title): noted now, taken up after it."""

    needs: tuple[Need, ...]
    questions: tuple[str, ...] = ()


@dataclass(frozen=True)
class AnsweredBeside:
    """A policy question the shopper asked beside the main need, answered in the same turn from
    the knowledge base, which is sure of it."""

    question: str  # as the knowledge base words it
    answer: str


@dataclass(frozen=True)
class PushbackHeard:
    """A reproach or a plea said beside the main answer (谁规定的, 为了一支口红?, 不给点补偿?):
    heard, and a person offered, never echoed back as a question to click."""

    compensation: bool = False  # it asks for compensation (不给点补偿?)


# --- the need told before the order ---------------------------------------------------------

# Words that ask about the item's warranty or a repair (保修多久, 坏了还能保不, 过保了能修吗).
WARRANTY_WORDS = re.compile(r"保修|维修|修理|返修|坏了|过保")
# The parcel named (物流出问题了): a fault word about it is no fault of the item.
PARCEL_WORDS = re.compile(r"物流|快递|包裹|运单|派送|配送|发货")


@dataclass(frozen=True)
class NeedTold:
    """What a shopper's message told they need about their order, before any order was named:
    a need asked for (`need`: 发票开了吗, 保修多久, 能退差价吗), or a problem described
    (`problem`: 好几天没动静了, 箱子压扁了)."""

    need: Need | None = None
    problem: ProblemKind | None = None
    described: bool = False  # a problem with the parcel or the item described, not only asked


def need_told(text: str) -> NeedTold | None:
    """The need one message tells, read by the readers the rest of the bot reads it with: the
    invoice or 价保 it names (a price paid above the price now is a 价保 claim: 上周328买的
    现在298), a need asked for in a clause of its own (never a threat: 再不到就取消), a warranty
    question, the problem it describes (`shop.problems`), else a fault with the item (出问题了,
    有毛病, 用不了): its repair (with the parcel named, 物流出问题了: the parcel's delay). None
    when it tells nothing (你好, 在吗, 帮我查一下)."""
    clean = normalise(text or "")
    if not clean or clean.startswith("/"):
        return None
    problems = read_problem(clean).kinds
    fault = names_a_fault(clean)
    told = partial(NeedTold, described=bool(problems) or fault)
    topic = topic_named(clean)
    if topic is not None:
        return told(need=Need(topic.value))
    if claims_price_difference(clean):
        return told(need=Need.PRICE_PROTECTION)
    parts = clauses(clean)
    for index, part in enumerate(parts):
        asked = [] if _threatened(parts, index) else asked_needs(part.text)
        if asked:
            return told(need=asked[0])
    if WARRANTY_WORDS.search(clean):
        return told(need=Need.REPAIR)
    if problems:
        return told(problem=problems[0])
    if fault:
        return told(need=Need.DELAY if PARCEL_WORDS.search(clean) else Need.REPAIR)
    return None


def need_told_before(messages: Sequence[str]) -> NeedTold | None:
    """The need the shopper's earlier messages (oldest first, since the last need was served)
    tell: the latest that tells one. What a good agent re-reads once the order is named."""
    for text in reversed(messages):
        if (told := need_told(text)) is not None:
            return told
    return None

"""Short messages a good agent reads with the conversation, not on their own.

Inside a conversation about an order or an open case, shoppers write a few words the classifier
finds unclear: venting (京东都能晚 服了, 券我不要 我要的是东西！！, 说白了就是不知道呗), a question
with no subject of its own (那还得几天, 到没到啊, 我问的是到了没有), or a wish for a variant of the
product in focus with who wants it (她要白色S, 我老公要黑的XL). Each means something plain once
the conversation is read: venting is acknowledged and what happens next is said, a bare question
is answered from the order or case in focus, a wish asks the product question again about that
variant. Plain Python, no Rasa.
"""

import re

from conversations.reading import is_bare_follow_up

# Words that vent (frustration, disbelief, sarcasm) rather than ask for something. The shopper
# is heard and told what happens next; never asked what they mean, never offered a cancel.
_VENTING = re.compile(
    r"服了|无语|就这[？?。!！]*$|就这样[？?]|呵呵|离谱|搞什么|什么破|垃圾|坑人|坑爹|太差|太慢了|"
    r"气死|受不了|说白了|不知道呗|敷衍|糊弄|打发我|我要的是|有什么用|有啥用|没用|都能晚|又是这样|"
    r"每次都|别跟我说|别给我说|少来|不想听|我不管|凭什么|什么玩意|什么服务|服务太|真行|醉了|"
    r"心累|崩溃|忍不了|骗人|骗子|打发(?:要饭|叫花|乞丐|谁)|寒碜|搞笑呢|开玩笑呢|[!！]{2,}|[?？]{3,}"
)
# A detail of the search for the parcel (快递柜我翻了 没有, 驿站也问了 不在): news for the case,
# never a goodbye, whatever the classifier made of the 没有 in it.
_PLACE_SEARCHED = (
    r"(?:快递柜|柜子|丰巢|驿站|菜鸟|门卫|门口|前台|物业|邻居|家里人|家人|保安)[^，,。.!！?？]{0,8}"
    r"(?:没有|没|不在|找不到)"
)
_A_PLACE_SEARCHED = re.compile(_PLACE_SEARCHED)
_SEARCHED = re.compile(
    _PLACE_SEARCHED + r"|(?:翻|找|问|看|查|去)(?:了|过)[^，,。.!！?？]{0,6}(?:没有|没|不在|找不到)"
)
# Something said not to have come (没到, 还没到账, 钱没退回来, 一直没收到): the problem stated,
# never a no, whatever the classifier made of the 没 in it.
_NOT_ARRIVED = re.compile(
    r"^(?:[^，,。.!！?？\s]{0,6}?)(?:还|都|一直|到现在|至今)?(?:也)?(?:没|没有)"
    r"(?:到账|到|收到|退回来|退到|回来|动静|更新)"
)
# Asking the bot to keep watch (那你帮我盯着点, 帮我留意一下): "tell me when there is news".
_KEEP_WATCH = re.compile(r"盯着|盯一下|盯紧|盯住|看着点|帮我看着|留意|关注一下|跟进一下|帮我跟着")
# A demand to have it at once (我要现在, 马上给我退): answered with what can happen and when.
_RIGHT_NOW = re.compile(r"现在就|我要现在|马上|立刻|立即|立马|今天必须|现在给我")
# Words about the compensation offered (券, 补偿): the coupon is named with the case going on.
_COMPENSATION = re.compile(r"券|补偿|赔偿|赔")
# A question about when, with no subject of its own: the order or case in focus is its subject.
_WHEN_AGAIN = re.compile(
    r"^(?:(?:哦|噢|嗯|那个?|所以|我问的?是?|请问|我就问|就问|那|到底|究竟)\s*)*"
    r"(?:还(?:得|要|需要)?(?:等)?(?:几|多少)天|(?:要|得|需要)?(?:等)?几天(?:能到|到|能好|到账)?|"
    r"到没到|到了没有?|到了吗|(?:什么|啥)时候(?:能)?(?:到账|到|好)|(?:还)?(?:要|得)?多久(?:能)?(?:到|好)?|"
    r"(?:哪天|几号)(?:能|才)?(?:到账|到|好)|"
    r"几点(?:能|前)?(?:到|送到)?)"
    r"\s*(?:啊|呀|呢|了|吗|哈|嘛|[?？!！。.~]*)*$"
)
# A cancel thought of aloud, not asked for (要不取消算了……, 干脆退了得了, 实在不行就取消吧): the
# order's cancel is asked plainly, with its refund, and never carried out on these words.
_WEIGHS_CANCELLING = re.compile(
    r"(?:要不|干脆|索性|还不如|实在不行(?:就|的话)?|不行(?:就|的话))(?:我|就|还是|直接|把它|把这单)*"
    r"(?:取消|退单|退掉|退了)|(?:取消|退单|退掉)(?:订单|这单|了)?(?:算了|得了|拉倒)"
)
# A card the shopper says they paid with (付的时候用的招行信用卡, 我刷的工行储蓄卡): its words.
_CARD = re.compile(
    r"(?:(?:招行|招商|工行|工商|建行|建设|农行|农业|中行|交行|交通|浦发|中信|光大|民生|兴业|平安|"
    r"广发|邮储|邮政|华夏|[\u4e00-\u9fa5]{2}银行)(?:银行)?(?:的)?)?(?:信用卡|储蓄卡|借记卡|银行卡)"
)
# Who wants it before a variant (她要白色S, 我老公要黑的XL, 给她拿个M): the variant is the wish.
_WHO_WANTS = re.compile(
    r"^(?:那|就)?(?:给)?(?:我|她|他|我们|俺)?(?:老婆|老公|女朋友|男朋友|对象|妈|爸|儿子|女儿|孩子|朋友|哥|姐|弟|妹)?"
    r"(?:的话)?(?:要|想要|穿|拿|选|买|来)(?:个|件|一件|一个)?"
)


# The shopper stepping away to check or ask (我先问下我老公 你等等哈, 等下我下楼看看, 我去翻翻
# 快递柜): they come back; nothing is asked of the bot.
STEPS_AWAY = re.compile(
    r"(?:^|[\s，,。])(?:等下|等等|稍等|等一下)?\s*我(?:先|去|再)?(?:问下|问问|问一下|下楼|去看|看看|"
    r"找找|翻翻|查查|想想|考虑|商量)|你(?:先)?等(?:等|一下|我一下)|等我(?:一下|会儿|下)"
)


def steps_away(text: str) -> bool:
    """True when the shopper says they step away to check or ask someone (我先问下我老公 你
    等等哈, 等下我下楼看看) and asks nothing of the bot."""
    words = (text or "").strip()
    found = STEPS_AWAY.search(words)
    # a word echoed back before it (快递柜？我去看看) asks nothing: only what follows is read
    start = found.start() if found else 0
    clause = re.search(r"[^?？\s]*$", words[:start])
    after = words[clause.start() if clause else start :]
    return found is not None and not re.search(r"吗|么|[?？]", after)


def is_venting(text: str) -> bool:
    """True when the message vents (服了, 就这？, 我要的是东西！！), not asks for a service."""
    return bool(_VENTING.search(text or ""))


def says_more_than_goodbye(text: str) -> bool:
    """True when a message the classifier may take for a goodbye or a no vents or reports a
    detail of the problem (说白了就是不知道呗, 快递柜我翻了 没有, 还没到): not done yet."""
    return is_venting(text) or says_searched(text) or says_not_arrived(text)


def says_searched(text: str) -> bool:
    """Whether the words tell where the shopper looked for the parcel in vain (驿站问了 没有;
    查了物流 没有更新 names no place)."""
    return _A_PLACE_SEARCHED.search(text or "") is not None


def says_not_arrived(text: str) -> bool:
    """True when the message says something has not come (没到, 钱还没到账, 一直没收到): the
    problem told, never a no."""
    return bool(_NOT_ARRIVED.search(re.sub(r"\s", "", text or "")))


def asks_to_keep_watch(text: str) -> bool:
    """True when the shopper asks the bot to keep watch (那你帮我盯着点): news asked for."""
    return bool(_KEEP_WATCH.search(text or ""))


def wants_it_now(text: str) -> bool:
    """True when the shopper demands it at once (我要现在, 马上给我退)."""
    return bool(_RIGHT_NOW.search(text or ""))


def names_compensation(text: str) -> bool:
    """True when the message is about the compensation (5块钱券我不要, 补偿呢)."""
    return bool(_COMPENSATION.search(text or ""))


# Asking what compensation there is (有没有什么补偿, 能赔点吗, 给个券吧), not venting about one.
_ASKS_COMPENSATION = re.compile(
    r"补偿|赔偿|赔(?:点|些|一点|我|钱)|(?:给|送|发)(?:点|个|张|一张)?(?:券|红包)"
)


def asks_compensation(text: str) -> bool:
    """True when the message asks what compensation the shopper gets (有没有什么补偿)."""
    return bool(_ASKS_COMPENSATION.search(text or ""))


# When sold-out goods come back (要多久才有, 啥时候能补货, 几号到货): asked of the stock just said.
_WHEN_IN_STOCK = re.compile(
    r"(?:多久|多长时间|什么时候|啥时候|几号|哪天|几天)(?:才|能|会|可以)?(?:能|会)?"
    r"(?:有货?|到货|补货|补上|上货|来货|上架)"
)


# Whether goods can leave now (冰川蓝现在能发吗, 有现货吗): asked of a variant, its stock.
_SHIPS_NOW = re.compile(r"(?:现在|今天|马上|立刻)?(?:能|可以)(?:发|发货|寄)(?:吗|么|不|嘛)|有现货")


def asks_if_it_ships_now(text: str) -> bool:
    """Whether the words ask if goods can be sent now (冰川蓝现在能发吗, 有现货吗)."""
    return bool(_SHIPS_NOW.search((text or "").replace(" ", "")))


# When something comes, asked (白L啥时候到, 几号能到): of a variant sold out, its restock.
_WHEN_IT_COMES = re.compile(r"(?:什么时候|啥时候|几号|哪天|多久)(?:才|能|会|可以)?(?:能|会)?到")


def asks_when_it_comes(text: str) -> bool:
    """Whether the words ask when something comes (白L啥时候到)."""
    return bool(_WHEN_IT_COMES.search((text or "").replace(" ", "")))


# When a promotion ends, asked (秒杀到什么时候结束, 这个活动到几号, 优惠还有几天).
_PROMOTION_ENDS = re.compile(
    r"(?:秒杀|活动|优惠|满减|折扣|特价|限时|促销|这个价|现在这个价)(?:价|的|这个)?"
    r"(?:到什么时候|到啥时候|到几号|到哪天|(?:什么时候|啥时候|几号|哪天|几点)(?:结束|截止|没)|截止|"
    r"还有几天|还剩几天|还能持续)(?:结束|截止|为止)?(?:啊|呀|呢|吗|么|\?|？)*$"
)


def asks_when_a_promotion_ends(text: str) -> bool:
    """Whether the words ask when a price or promotion ends (秒杀到什么时候结束)."""
    return bool(_PROMOTION_ENDS.search((text or "").replace(" ", "")))


def asks_when_in_stock(text: str) -> bool:
    """Whether the words ask when goods will be in stock (要多久才有, 什么时候补货)."""
    return bool(_WHEN_IN_STOCK.search((text or "").replace(" ", "")))


def asks_again_when(text: str) -> bool:
    """True for a subject-less follow-up on the order in focus: a bare one (好了没, 然后呢) or a
    question of when (那还得几天, 到没到, 我问的是到了没有)."""
    words = (text or "").strip()
    return is_bare_follow_up(words) or bool(_WHEN_AGAIN.match(words))


def weighs_cancelling(text: str) -> bool:
    """True when the shopper thinks a cancel aloud (要不取消算了……, 干脆退了得了): asked, never
    carried out."""
    return bool(_WEIGHS_CANCELLING.search(text or ""))


def names_payment_card(text: str) -> str | None:
    """The card the shopper says they paid with (我付的时候用的招行信用卡 → 招行信用卡); None when
    the message names none."""
    found = _CARD.search(re.sub(r"\s", "", text or ""))
    return found.group(0).removesuffix("的") if found else None


def pays_by_credit(card: str) -> bool:
    """Whether the card named is a credit card (its refund goes back to the card's limit)."""
    return "信用卡" in card


def variant_wish(text: str) -> str | None:
    """The variant words of a wish said with who wants it (她要白色S → 白色S); None when the
    message does not start that way or nothing follows."""
    words = (text or "").strip()
    found = _WHO_WANTS.match(words)
    if found is None or found.end() == 0:
        return None
    rest = words[found.end() :].strip()
    return rest or None


# An A-not-A question (周末算不算, 运费包不包, 有没有): it asks, however its 不 reads; 不要不要
# and a no said beside it (算了 不用了) decline.
_EITHER_WAY = re.compile(
    r"(?<![不没])([\u4e00-\u9fff])[不没]\1"
    # 包邮不, 有货没, 到了没有, 换个R03可以不: the question's 不 or 没 at the end (not 我不, 还没,
    # nor 暂时没有 / 目前没有 / 现在没, a no for now)
    r"|(?<=[\u4e00-\u9fffA-Za-z0-9]{2})(?<![不没还都也就并先绝我你他她又再别])(?<!暂时)(?<!目前)(?<!现在)"
    r"[不没]有?[啊呀呢哈]?[?？]*$"
)
_DECLINED = re.compile(r"算了|不用|不要了|不需要|不想|别")


def asks_either_way(text: str) -> bool:
    """Whether the message asks an A-not-A question (周末算不算, 包不包运费, 包邮不, 有货没) and
    declines nothing: it is a question to answer, never a no."""
    words = re.sub(r"\s", "", text or "")
    return bool(_EITHER_WAY.search(words)) and not _DECLINED.search(words)

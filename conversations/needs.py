"""The needs a shopper's message names, so that a second one is taken up, never dropped.

"发票开了吗 还有物流到哪了" is classified as one intent; the other need is read here from its
cue words, and the bot offers it once the first is answered. Plain Python, no Rasa.
"""

import re
from dataclasses import dataclass
from enum import StrEnum


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
}

CUES = {
    Need.TRACKING: (
        "物流",
        "快递到哪",
        "到哪了",
        "到哪里了",
        "什么时候到",
        "啥时候到",
        "几号到",
        "几天到",
        "发货了吗",
        "发货没",
        "什么时候发货",
        "啥时候发货",
        "快递单号",
        "运单号",
    ),
    Need.DELAY: ("还没到", "还没收到", "没更新", "不动了", "催一下", "催催", "太慢了"),
    Need.INVOICE: ("发票", "开票", "抬头", "税号", "专票", "普票"),
    Need.PRICE_PROTECTION: ("价保", "保价", "降价了", "差价", "便宜了"),
    Need.REFUND: ("退款到", "退款进度", "退款呢", "钱退", "到账", "退的钱", "退款还没"),
    Need.RETURN: ("退货", "换货", "退换", "换个码", "换一个"),
    Need.CANCEL: ("取消订单", "把订单取消", "帮我取消", "订单取消"),
    Need.CHANGE: (
        "改地址",
        "修改地址",
        "地址写错",
        "改收货",
        "改电话",
        "改手机号",
        "改颜色",
        "改尺码",
    ),
    Need.REPAIR: ("保修", "维修", "返修", "修一下", "坏了怎么修"),
}
_CUE = re.compile(
    "|".join(f"(?P<{need.value}>{'|'.join(map(re.escape, cues))})" for need, cues in CUES.items())
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
    "modify_order": frozenset(
        {"change_address_policy", "order_modification", "scheduled_delivery"}
    ),
    "request_repair": frozenset({"warranty_repair", "product_manual"}),
    "ask_size_advice": frozenset({"size_guide", "exchange_size"}),
    "ask_stock": frozenset({"out_of_stock_restock", "presale"}),
    "ask_price_promotion": frozenset({"coupon_promotion", "price_protection", "free_gift"}),
    "ask_product_info": frozenset({"authenticity", "product_manual", "shelf_life"}),
}
# Kinds of need a FAQ answer can be about (its topic is known only once it is answered).
FAQ_NEEDS = frozenset(need for need, serving in SERVED_BY.items() if serving.faq_topic)
# A delay is the tracking need said impatiently: one answer serves both.
SAME_NEED = {Need.DELAY: Need.TRACKING, Need.TRACKING: Need.DELAY}


def needs_in(text: str) -> list[Need]:
    """The needs `text` names, each once (a late parcel and where it is are one), in the order
    they first appear."""
    found: list[Need] = []
    for match in _CUE.finditer(text or ""):
        need = Need(match.lastgroup or "")
        if need not in found and SAME_NEED.get(need) not in found:
            found.append(need)
    return found


# Small talk serves no need: a need named in it (谢谢 发票开了吗) is the real question.
SMALL_TALK = frozenset({"greet", "thank", "affirm", "deny", "goodbye"})
# How shoppers put a second question after the first: 顺便问下, 还有, 另外 …
_SECOND_QUESTION = re.compile(r"顺便|还有|另外|再问|还想问|还要问|以及|同时|对了")


def second_question(text: str) -> str:
    """The part of `text` after the words that introduce a second question ("" if none): a
    policy question is taken up beside a request only when the shopper put it as a second
    question (改地址 顺便问下满多少包邮), not from a word inside the first one."""
    match = _SECOND_QUESTION.search(text or "")
    return text[match.end() :] if match else ""


def other_needs(text: str, intent: str | None) -> list[Need]:
    """The needs `text` names beyond the one its intent serves.

    Small talk (谢谢, 好的) serves none, so every need it names is "other". A `faq` message is
    about its first FAQ-kind need (发票, 价保), else the first need of its first question
    (你们家电保修多久 is about 保修), and data (`inform`: a title and tax number for the
    invoice) about its first need.
    """
    needs = needs_in(text)
    if intent in SMALL_TALK:
        return needs
    served = [need for need in needs if SERVED_BY[need].intent == intent]
    if intent == "faq":  # 运费多少 还有物流到哪了: the need after 还有 is a second one
        first = needs_in(text[: len(text) - len(second_question(text))])
        served = [need for need in needs if need in FAQ_NEEDS][:1] or first[:1]
    elif intent in ("inform", "nlu_fallback"):
        served = needs[:1]
    if not served:
        return needs
    main = served[0]
    return [need for need in needs if need != main and SAME_NEED.get(need) != main]


@dataclass(frozen=True)
class OtherNeeds:
    """Needs and policy questions the shopper named beside the one just answered, offered to
    take up next."""

    needs: tuple[Need, ...]
    questions: tuple[str, ...] = ()  # FAQ questions, as the knowledge base words them

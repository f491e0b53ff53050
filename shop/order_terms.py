"""A policy question asked about a verified order, answered in that order's terms.

"钱退哪里", "多久到账", "运费谁出", "寄到哪", "还能退吗": once the conversation has verified an
order, the general FAQ text is not what a good agent says. The order's record answers: how it
was paid (so where the money goes and how long it takes), when it was signed for (so until
when it can go back), whether a return is already approved (so the address, the send-by day
and who pays), and whether the shopper described a problem that is the shop's (so the shop
pays the postage). `policy_in_order_terms` returns that fact, or None when the order's record
adds nothing to the FAQ's answer for the topic.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from core.text import normalise
from shop.aftersales import (
    RefundArrival,
    ReturnAlreadyPending,
    ReturnRule,
    ReturnToSend,
    ReturnWindow,
    pending_return,
    refund_arrival,
    refund_status,
    return_to_send,
    return_window,
)
from shop.models import Order, OrderStatus
from shop.problems import ProblemKind, read_problem
from shop.refund_policy import load_refund_policy


class TermsTopic(StrEnum):
    """The FAQ topics (faq/entries.yaml ids) a verified order's record answers."""

    REFUND_TIME = "refund_time"  # 钱退哪里, 多久到账
    RETURN_SHIPPING = "return_shipping_fee"  # 运费谁出, 寄到哪, 到付行吗
    RETURN_POLICY = "return_policy"  # 还能退吗, 七天无理由对吧


# FAQ topics that, on an order whose return is approved and waits for the shopper's parcel,
# ask about sending it back (单号填哪: not a split parcel; 到付可以吗: not cash on delivery;
# 要几天之内寄: not the shop's dispatch times; 电话给我: the return desk's).
SENDING_TOPICS = frozenset(
    {
        "split_shipment",
        "payment_methods",
        "delivery_time",
        "shipping_carrier",
        "contact_phone",
        "shipping_fee",
        "return_shipping_fee",
        "return_policy",
        "reject_delivery",
    }
)
# Words about sending something back: a message on an approved return that has them is about
# that parcel, whatever FAQ topic its other words matched.
SENDING_WORDS = re.compile(r"寄|到付|单号|运单|电话|地址|填")
# Problems the shop answers for: the postage of their return is the shop's.
SHOPS_FAULT = frozenset(
    {
        ProblemKind.QUALITY_DEFECT,
        ProblemKind.WRONG_ITEM,
        ProblemKind.TRANSPORT_DAMAGE,
        ProblemKind.SPOILED_FRESH,
        ProblemKind.MISSING_ITEM,
    }
)
QUALITY_WORDS = re.compile(r"质量问题|有问题|坏了|坏的|故障|不能用|用不了|发错")
# Words about sending the goods themselves back (不想要了, 退货, 退回去): whatever money matter
# (the invoice, 价保) was talked about before, the message is about a return.
RETURN_GOODS_WORDS = re.compile(
    r"退货|退掉|退回去|退了吧|寄回|不(?:太|怎么|是很)?(?:想要|喜欢|合适)|不要了|无理由|退换"
)
# Asking whether something can go back (还能退不, 可以退吗): a return, unless the conversation
# is on money that can itself be 退 (a 价保's difference, a refund).
RETURN_ASK_WORDS = re.compile(r"(?:能|可以|可不可以|能不能)退|退不退?|退吗|退么|退得了|退不了")
# Words of the order-terms topics, asked in the shopper's own words (the FAQ may be unsure of a
# short question: 还能退不, 寄回去的运费我出吗).
POSTAGE_WORDS = re.compile(r"运费|邮费|快递费|寄费|寄回.{0,4}(?:钱|费)")
REFUND_WHERE_WORDS = re.compile(
    r"退(?:到|回|去)?(?:哪|什么)|钱.{0,6}(?:哪|多久|几天|什么时候)|(?:多久|几天|什么时候)(?:能)?到账|原路"
)


@dataclass(frozen=True)
class OrderRefundTerms:
    """Where this order's money would go and how long it takes: the way it was paid, its
    total, and whether a refund would follow a cancellation (not shipped) or a return."""

    order_no: str
    amount: Decimal
    channel: str
    arrival: RefundArrival
    issue_within_working_days: int
    shipped: bool


@dataclass(frozen=True)
class OrderReturnPostage:
    """Who pays to send this order back and where it goes: the shop for a problem that is
    its fault (`shops_fault`), the shopper for a no-reason return; the address comes once a
    return is approved (`to_send`), never cash on delivery."""

    order_no: str
    window: ReturnWindow
    shops_fault: bool
    requested: bool  # a return request is being reviewed
    to_send: ReturnToSend | None = None
    # on its way, of goods a no-reason return takes: that return's postage is the shopper's
    no_reason_later: bool = False


OrderTerms = OrderRefundTerms | OrderReturnPostage | ReturnWindow | ReturnAlreadyPending


def problem_said(order: Order, messages: Sequence[str]) -> bool:
    """Whether the shopper described a problem that is the shop's (用了一次就充不进电了, 发错了,
    箱子压坏了) in any of `messages`."""
    for message in messages:
        if QUALITY_WORDS.search(normalise(message)):
            return True
        if set(read_problem(message, order).kinds) & SHOPS_FAULT:
            return True
    return False


def about_sending(text: str) -> bool:
    """Whether the words are about sending a parcel (寄, 单号, 到付, 快递, 电话, 地址)."""
    return bool(SENDING_WORDS.search(normalise(text)))


# When the parcel must leave by (有期限吗, 最晚哪天寄, 我这周都没空): the approved return's date.
SEND_BY_WORDS = re.compile(r"期限|截止|最晚|最迟|[几多]天[之以]?内|多久之内|来不及|没空|没时间寄")
# The money after the parcel (寄了以后多久退钱): the refund's time, not the parcel's address again.
MONEY_WORDS = re.compile(r"退钱|退款|到账|钱.{0,3}(退|到|回)|多久退")


def about_the_return_parcel(text: str) -> bool:
    """Whether the words, on an order whose approved return waits for the shopper's parcel,
    ask about sending it (单号填哪, 到付可以吗) or by when (有期限吗), not about the money after."""
    clean = normalise(text)
    return (about_sending(clean) or bool(SEND_BY_WORDS.search(clean))) and not MONEY_WORDS.search(
        clean
    )


def returns_the_goods(text: str) -> bool:
    """Whether the words are about sending the goods back (不想要了 还能退不, 我要退货)."""
    return bool(RETURN_GOODS_WORDS.search(normalise(text)))


def asks_to_return(text: str) -> bool:
    """Whether the words ask for a return, or whether one is possible (还能退不, 能退吗)."""
    clean = normalise(text)
    return bool(RETURN_GOODS_WORDS.search(clean) or RETURN_ASK_WORDS.search(clean))


def terms_topic_in(text: str) -> TermsTopic | None:
    """The order-terms topic the words themselves ask about: the postage (运费谁出), where the
    money goes or how soon (钱退哪, 多久到账), whether it can go back (还能退不); None."""
    clean = normalise(text)
    if POSTAGE_WORDS.search(clean):
        return TermsTopic.RETURN_SHIPPING
    if REFUND_WHERE_WORDS.search(clean):
        return TermsTopic.REFUND_TIME
    if asks_to_return(clean):
        return TermsTopic.RETURN_POLICY
    return None


def policy_in_order_terms(
    order: Order, topic: str, now: datetime, messages: Sequence[str] = ()
) -> OrderTerms | None:
    """The FAQ `topic` answered from `order`'s record (None: the record adds nothing, or the
    topic is not one it answers); `messages`: the shopper's messages so far, latest last (a
    problem said in them makes a return's postage the shop's)."""
    latest = messages[-1] if messages else ""
    to_send = return_to_send(order)
    if to_send is not None and topic in SENDING_TOPICS and about_sending(latest):
        return approved_return(order)
    if topic == TermsTopic.REFUND_TIME:
        return _refund_terms(order, now)
    if topic == TermsTopic.RETURN_SHIPPING:
        return _postage(order, now, messages, to_send)
    if topic == TermsTopic.RETURN_POLICY:
        if (pending := pending_return(order)) is not None:
            return ReturnAlreadyPending(order.order_no, pending.status, to_send)
        return return_window(order, now, quality=problem_said(order, messages))
    return None


def approved_return(order: Order) -> ReturnAlreadyPending | None:
    """The order's approved return waiting for the shopper's parcel (where it goes, by when,
    who pays), when there is one: what a question about sending something back is about."""
    to_send = return_to_send(order)
    pending = pending_return(order)
    if to_send is None or pending is None:
        return None
    return ReturnAlreadyPending(order.order_no, pending.status, to_send)


def _refund_terms(order: Order, now: datetime) -> OrderRefundTerms | None:
    if refund_status(order, now).status is not None:
        return None  # its refund's own record answers (bot: answer_own_refund)
    shipped = order.status != OrderStatus.AWAITING_SHIPMENT
    return OrderRefundTerms(
        order.order_no,
        order.total_amount,
        order.payment_method,
        refund_arrival(order.payment_method),
        load_refund_policy().issue_within_working_days,
        shipped,
    )


def _postage(
    order: Order, now: datetime, messages: Sequence[str], to_send: ReturnToSend | None
) -> OrderReturnPostage:
    window = return_window(order, now, quality=problem_said(order, messages))
    requested = pending_return(order) is not None and to_send is None
    # the shop pays only what a rule says it pays: an approved return it pays for, or a quality
    # problem inside its window (past it, or fresh food, a person or the fresh remedy decides)
    fault = (to_send is not None and to_send.shop_pays_shipping) or (
        window.rule in (ReturnRule.QUALITY_WINDOW, ReturnRule.QUALITY_ANY_TIME)
    )
    on_its_way = window.rule == ReturnRule.NOT_RECEIVED and window.shipped
    later = on_its_way and all(
        item.variant.product.category.return_days > 0 for item in order.items
    )
    return OrderReturnPostage(order.order_no, window, fault, requested, to_send, later)

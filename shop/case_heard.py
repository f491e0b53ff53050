"""What a shopper says of their own situation inside a case or about an order, heard with it.

Venting inside an open case is heard, and the shopper told the case goes on and what comes next.
A cancel thought aloud (要不取消算了……) is asked plainly with what cancelling would do, the chase
going on said first (`cancel_weighed`); the card the shopper says they paid with (我付的时候用的
招行信用卡) is answered from the order's refund and the refund policy (`card_heard`).

"京东都能晚 服了", "5块钱券我不要 我要的是东西！！", "别跟我说等24小时 我要现在": the case is
already open, so nothing new is to be done. A good agent acknowledges it, says the compensation
never replaces the follow-up, that an immediate refund or reship cannot come before the check
(when that is asked), and when the shopper hears back: the case's own timeline.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from shop.aftersales import (
    CancelToConfirm,
    RefundArrival,
    cancel_check,
    refund_arrival,
    refund_status,
)
from shop.case_questions import CaseQuestion, CaseTimeline, ask_about_case
from shop.models import CaseKind, LogisticsCase, Order, Remedy
from shop.policy import load_policy


@dataclass(frozen=True)
class VentingHeard:
    """The case goes on: its coupon (when it has one and the shopper spoke of it) is no
    substitute, `right_now` asked for what only the check can give, and `timeline` says what
    happens next."""

    timeline: CaseTimeline
    coupon_yuan: int | None
    right_now: bool

    @property
    def late_parcel(self) -> bool:
        return self.timeline.case.kind == CaseKind.DELAYED


def venting_heard(
    session: Session,
    case: LogisticsCase,
    now: datetime,
    *,
    about_compensation: bool,
    right_now: bool,
) -> VentingHeard:
    """What is said to a shopper venting inside `case` (reads only: no chase is recorded)."""
    policy = load_policy()
    timeline = ask_about_case(session, case, CaseQuestion.HOW_LONG, now, policy)
    assert isinstance(timeline, CaseTimeline)
    coupon = policy.cases[case.kind].coupon_yuan
    promised = Remedy.COUPON in timeline.case.promised
    shown = coupon if about_compensation and promised else None
    return VentingHeard(timeline, shown, right_now and not timeline.passed_to_agent)


@dataclass(frozen=True)
class CompensationAsked:
    """有没有什么补偿 on an order: the coupon its open case gives (`coupon_yuan`, None when its
    case gives none or none is open); any other compensation is a person's to grant."""

    order_no: str
    coupon_yuan: int | None
    late: bool  # the order is late (a case about a late parcel or dispatch is open)


def compensation_asked(order: Order, case: LogisticsCase | None) -> CompensationAsked:
    """What is said to a shopper asking what compensation there is on `order` (`case`: the case
    open on it in this conversation, if any)."""
    if case is None:
        return CompensationAsked(order.order_no, None, False)
    rule = load_policy().cases[case.kind]
    # the remedies recorded on the case: a chase of an order the warehouse has not shipped
    # gives no coupon (the policy's coupon is for parcels late on the way)
    coupon = rule.coupon_yuan if Remedy.COUPON in (case.remedies or ()) else None
    return CompensationAsked(order.order_no, coupon, case.kind == CaseKind.DELAYED)


@dataclass(frozen=True)
class CancelWeighed:
    """A cancel thought aloud on an order that can still be cancelled: the chase going on
    (`chase_reply_by`: when the shop answers, None when the order is not being chased) and what
    cancelling would do, asked plainly; nothing is cancelled on these words."""

    cancel: CancelToConfirm
    chase_reply_by: datetime | None


def cancel_weighed(order: Order, case: LogisticsCase | None, now: datetime) -> CancelWeighed | None:
    """What is said to a shopper thinking aloud of cancelling `order` (`case`: the case open on
    it in this conversation); None when it cannot be cancelled (its own answer says why)."""
    checked = cancel_check(order, now)
    if not isinstance(checked, CancelToConfirm):
        return None
    chased = case.reply_by if case is not None and case.kind == CaseKind.DELAYED else None
    return CancelWeighed(checked, chased)


@dataclass(frozen=True)
class CardHeard:
    """The card the shopper says they paid `order_no` with, answered from the order: the money
    goes back the way it was paid (`refund_channel`, the record's), how much is on its way
    (`amount`, None when no refund was made or asked for) and how long the policy gives it;
    a credit card's refund is credited back to the card."""

    order_no: str
    card: str
    credit: bool
    refund_channel: str
    paid_by_card: bool  # the record says the order was paid by bank card
    amount: Decimal | None
    arrival: RefundArrival


BANK_CARD = "银行卡"  # the payment method a card payment is stored as (orders.payment_method)


def card_heard(order: Order, card: str, credit: bool, now: datetime) -> CardHeard:
    """What is said to a shopper naming the card they paid `order` with."""
    amount = refund_status(order, now).amount
    return CardHeard(
        order.order_no,
        card,
        credit,
        order.payment_method,
        order.payment_method == BANK_CARD,
        amount,
        refund_arrival(order.payment_method),
    )

"""Taking back a return request the shopper no longer wants (鞋还挺好 不想退了 能取消退货吗).

A return asked for or approved, whose parcel the warehouse has not yet received, is withdrawn
once the shopper has confirmed what that does: the request closes, no refund follows, the goods
stay with them, and while the no-reason days last a new request can still be made. Once the
warehouse has the parcel, or the refund is under way, a person undoes it.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy.orm import Session

from core.events import Actor, EventName, record_event
from core.text import normalise
from shop.aftersales import pending_return, product_names, return_window
from shop.models import AfterSale, AfterSaleKind, AfterSaleStatus, Order

# A return still in the shop's hands alone: nothing has reached the warehouse.
WITHDRAWABLE = frozenset({AfterSaleStatus.REQUESTED, AfterSaleStatus.AWAITING_RETURN})


@dataclass(frozen=True)
class WithdrawalToConfirm:
    """What withdrawing the order's return request does, for the shopper's yes: `approved`,
    the return address was sent (a parcel already on its way must not be withdrawn);
    `request_again_until`, the last day a new no-reason request can be made (None: past)."""

    order_no: str
    product_names: tuple[str, ...]
    amount: Decimal
    approved: bool
    request_again_until: datetime | None


class WithdrawalRefusal(StrEnum):
    NO_RETURN = "no_return"  # nothing to withdraw: no return request is open
    PARCEL_SENT = "parcel_sent"  # the shopper said the parcel is on its way back: a person
    PARCEL_RECEIVED = "parcel_received"  # the warehouse has it: a person undoes it
    REFUNDING = "refunding"  # the money is on its way back


@dataclass(frozen=True)
class WithdrawalRefused:
    order_no: str
    reason: WithdrawalRefusal


@dataclass(frozen=True)
class ReturnWithdrawn:
    """The return request was closed at the shopper's word: no refund, the goods kept."""

    order_no: str
    product_names: tuple[str, ...]
    request_again_until: datetime | None


def _open_return(order: Order) -> AfterSale | None:
    """The order's return request still being handled, or the latest one refunding."""
    pending = pending_return(order)
    if pending is not None:
        return pending
    refunding = [
        a
        for a in order.after_sales
        if a.kind == AfterSaleKind.RETURN_REFUND and a.status == AfterSaleStatus.REFUNDING
    ]
    return refunding[-1] if refunding else None


# The return parcel said to be on its way (已经寄了, 寄回去了, a waybill given).
SENT_BACK = re.compile(
    r"已经?寄(?:回|出)?(?:了|去了|走了)|寄(?:回|出)去了|发回去了|退回去了"
    r"|(?:运)?单号[:：\s]*[a-z]{0,4}\d{8,}",
    re.IGNORECASE,
)


def said_sent_back(texts: Sequence[str]) -> bool:
    """Whether the shopper's words say the return parcel is already on its way back."""
    return any(SENT_BACK.search(normalise(text)) for text in texts)


def withdrawal_check(
    order: Order, now: datetime, sent_back: bool = False
) -> WithdrawalToConfirm | WithdrawalRefused:
    """Whether the order's return request can be withdrawn here, and what that does
    (`sent_back`: the shopper said the parcel is on its way: a person undoes it)."""
    request = _open_return(order)
    if request is None:
        return WithdrawalRefused(order.order_no, WithdrawalRefusal.NO_RETURN)
    if sent_back and request.status in WITHDRAWABLE:
        return WithdrawalRefused(order.order_no, WithdrawalRefusal.PARCEL_SENT)
    if request.status == AfterSaleStatus.RETURN_RECEIVED:
        return WithdrawalRefused(order.order_no, WithdrawalRefusal.PARCEL_RECEIVED)
    if request.status not in WITHDRAWABLE:
        return WithdrawalRefused(order.order_no, WithdrawalRefusal.REFUNDING)
    return WithdrawalToConfirm(
        order.order_no,
        product_names(order),
        request.amount,
        approved=request.status == AfterSaleStatus.AWAITING_RETURN,
        request_again_until=_request_again_until(order, now),
    )


def withdraw_return(
    session: Session, order: Order, now: datetime, conversation_id: str | None = None
) -> ReturnWithdrawn | WithdrawalRefused:
    """Close the order's return request (once the shopper confirmed `withdrawal_check`'s
    answer), checked again; recorded as `after_sale.withdrawn` by the shopper."""
    checked = withdrawal_check(order, now)
    if isinstance(checked, WithdrawalRefused):
        return checked
    request = pending_return(order)
    assert request is not None  # withdrawal_check found it
    request.status = AfterSaleStatus.CLOSED
    request.updated_at = now
    record_event(
        session,
        EventName.AFTER_SALE_WITHDRAWN,
        order.order_no,
        order_no=order.order_no,
        conversation_id=conversation_id,
        actor=Actor.SHOPPER,
        value=request.amount,
        occurred_at=now,
    )
    return ReturnWithdrawn(order.order_no, checked.product_names, checked.request_again_until)


def _request_again_until(order: Order, now: datetime) -> datetime | None:
    window = return_window(order, now)
    return window.deadline if window.allowed else None

"""What happened to an order the shopper says they did not ask to change (我没取消啊, 我订单怎么
被取消了): its own record, never the request. A cancelled order says when it was cancelled and
where its money went; why it was cancelled is not on record here, so a person can find out."""

from dataclasses import dataclass
from datetime import datetime

from shop.aftersales import RefundStatus, refund_status
from shop.models import Order, OrderStatus


@dataclass(frozen=True)
class CancelledUnasked:
    """A cancelled order its shopper says they did not cancel: the cancellation's refund (when
    it was cancelled, the amount, where it went); it cannot be restored, only ordered again."""

    refund: RefundStatus


def cancelled_unasked(order: Order, now: datetime) -> CancelledUnasked | None:
    """The answer for an order the shopper denies having cancelled, when it is cancelled (None
    otherwise: its progress answers)."""
    if order.status != OrderStatus.CANCELLED:
        return None
    return CancelledUnasked(refund_status(order, now))

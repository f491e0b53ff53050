"""Typed words answering a request said back that could mean either yes or no.

"不要了" to "确认帮您取消吗？" most often means the goods are not wanted (cancel), but could
mean "don't (cancel)". A good agent neither guesses nor repeats the prompt word for word: it
asks once more with two buttons, each saying exactly what it does. Nothing is done here.
"""

from dataclasses import dataclass

from shop.waiting_requests import KIND_OF_PENDING, WaitingKind


@dataclass(frozen=True)
class YesOrNoToChoose:
    """The request waiting (`kind`) on order `order_no`, asked again as a choice between
    carrying it out and leaving the order as it is."""

    order_no: str
    kind: WaitingKind


def yes_or_no(order_no: str, pending: str) -> YesOrNoToChoose:
    """The two-way question for the request waiting in `pending` (the slot's value)."""
    return YesOrNoToChoose(order_no, KIND_OF_PENDING.get(pending, WaitingKind.OTHER))

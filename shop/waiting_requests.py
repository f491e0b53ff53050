"""A request said back for the shopper's yes, still waiting after they asked something.

"七天无理由对吧", "运费谁出", "好 那我怎么弄": while a cancel or a return waits for its yes, a
good agent answers the question (from the order's record or the policy) and says in one short
line that the request is still waiting, with what the yes sets off when the shopper asked how to
go on. Nothing is done to the order here.
"""

import re
from dataclasses import dataclass
from enum import StrEnum

from core.text import normalise
from shop.aftersales import Warranty
from shop.refund_policy import load_refund_policy

CANCEL = "cancel_order"
RETURN = "request_return_exchange"
QUALITY_RETURN = "quality_return"
WITHDRAW_RETURN = "withdraw_return"  # a return request taken back (shop.return_withdrawal)


class WaitingKind(StrEnum):
    """What waits for the yes, as far as its words differ."""

    CANCEL = "cancel"
    RETURN = "return"  # a no-reason return or exchange
    QUALITY_RETURN = "quality_return"  # a return or exchange of a faulty item
    OTHER = "other"  # a case, a claim, an invoice, a 价保 refund, a repair


KIND_OF_PENDING = {
    CANCEL: WaitingKind.CANCEL,
    RETURN: WaitingKind.RETURN,
    QUALITY_RETURN: WaitingKind.QUALITY_RETURN,
}


@dataclass(frozen=True)
class RequestStillWaiting:
    """The request said back, offered again in one short line after the question asked in
    between (`answer`: its answer in words, when something answered it); `steps`: the shopper
    asked how to go on, so what the yes sets off comes first."""

    order_no: str
    kind: WaitingKind
    answer: str | None = None
    steps: bool = False
    issue_within_working_days: int = 1  # a refund starts this long after the parcel is back


def still_waiting(
    order_no: str, pending: str, answer: str | None = None, steps: bool = False
) -> RequestStillWaiting:
    """The request waiting in `pending` (the slot's value), with the answer to the question
    asked in between and, when asked how to go on, its steps."""
    return RequestStillWaiting(
        order_no,
        KIND_OF_PENDING.get(pending, WaitingKind.OTHER),
        answer,
        steps,
        load_refund_policy().issue_within_working_days,
    )


# What a repair costs (修的话要多少钱, 要收费吗, 大概多少钱).
REPAIR_COST_WORDS = re.compile(r"多少钱|费用|收费|收钱|要钱|花多少|价格|报价|贵不贵|免费")
# A repair named (能修吗, 保修, 维修费): every word for it holds 修.
REPAIR_NAMED = re.compile(r"修")


def asks_repair_cost(text: str, named: bool = False) -> bool:
    """Whether the words ask what a repair costs (要收费吗, while a repair waits); `named`: and
    name the repair themselves (修的话要多少钱, asked with nothing waiting)."""
    clean = normalise(text)
    return bool(REPAIR_COST_WORDS.search(clean)) and (not named or names_repair(clean))


def names_repair(text: str) -> bool:
    """Whether the words name a repair (能修吗, 修要不要钱)."""
    return bool(REPAIR_NAMED.search(text))


@dataclass(frozen=True)
class RepairCostAsked:
    """What a repair said back for a yes costs: nothing under warranty; past it, a price the
    after-sales team gives once they see the fault (the shop lists no repair prices)."""

    warranty: Warranty


@dataclass(frozen=True)
class WarrantyAsked:
    """The warranty asked about while another request waits for its yes (保修咋弄 while a
    damage case waits): each item's own, the one the shopper named or else every item's."""

    warranties: tuple[Warranty, ...]

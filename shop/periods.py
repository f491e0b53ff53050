"""A period the bot has just stated, and a question about how it counts.

A refund arrives in 1-3 working days, 价保 lasts 30 days from the payment, a no-reason return
7 days from signing, an approved return goes back within 7 days: once the bot has said one, a
short follow-up (从哪天算, 周末算不算, 有期限吗, 几天内要寄) asks about that period, whatever
the NLU or the FAQ reads in the bare words. `period_stated` takes the period out of the fact
said; `asks_about_a_period` reads the question; `PeriodExplained` is the answer's fact (it says
where the period starts, how its days count and its last day, whichever of them was asked).
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from core.clock import to_shop_time
from core.text import normalise
from shop.aftersales import (
    CancelToConfirm,
    OrderCancelled,
    RefundStatus,
    ReturnAlreadyPending,
    ReturnRequested,
    ReturnRule,
    ReturnToConfirm,
    ReturnToSend,
    ReturnWindow,
    refund_arrival,
)
from shop.invoices import InvoicePending, InvoiceRequested, InvoiceToConfirm
from shop.price_protection import PriceProtectionApplied, PriceProtectionCheck
from shop.refund_policy import load_refund_policy


class PeriodKind(StrEnum):
    REFUND_ARRIVAL = "refund_arrival"  # working days from the refund's issue to the money
    PRICE_PROTECTION = "price_protection"  # calendar days from the payment
    RETURN_WINDOW = "return_window"  # calendar days from signing (no reason)
    SEND_BACK = "send_back"  # calendar days from the approval to send the return back
    INVOICE_ISSUE = "invoice_issue"  # working days from signing (or the later request)


@dataclass(frozen=True)
class Period:
    """How long something lasts and from when: `start` None while it has not begun (a refund
    not issued yet counts from its issue); `end` None when that is not known yet."""

    kind: PeriodKind
    days: tuple[int, int]  # fewest and most days (one figure: both the same)
    start: datetime | None = None
    end: datetime | None = None

    def as_slot(self) -> dict[str, Any]:
        """The period as a slot value (JSON)."""
        return {
            "kind": self.kind.value,
            "days": list(self.days),
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
        }

    @classmethod
    def from_slot(cls, value: object) -> "Period | None":
        """The period a slot holds; None for anything else (an old or foreign value)."""
        if not isinstance(value, dict):
            return None
        try:
            low, high = (int(d) for d in value["days"])
            return cls(
                PeriodKind(value["kind"]),
                (low, high),
                _moment(value.get("start")),
                _moment(value.get("end")),
            )
        except (KeyError, TypeError, ValueError):
            return None


def _moment(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def period_stated(fact: object, now: datetime) -> Period | None:
    """The period a fact said to the shopper states (the refund's arrival of a cancel, the
    return window of a return said back…); None when it states none."""
    match fact:
        case OrderCancelled(arrival=arrival):
            return _arrival(arrival.working_days, now, None)
        case CancelToConfirm(arrival=arrival):
            return _arrival(arrival.working_days, None, None)
        case RefundStatus(arrival=arrival, refunded_at=issued, due_by=due) if arrival is not None:
            if fact.to_send is not None:
                return _send_back(fact.to_send)
            return _arrival(arrival.working_days, issued, due)
        case PriceProtectionCheck(paid_at=paid) if paid is not None:
            days = fact.window_days
            return Period(PeriodKind.PRICE_PROTECTION, (days, days), paid, fact.deadline)
        case PriceProtectionApplied(refund_channel=channel, refund_by=due):
            return _arrival(refund_arrival(channel).working_days, now, due)
        case ReturnToConfirm(window=window) | ReturnRequested(window=window):
            return _return_window(window)
        case ReturnWindow():
            return _return_window(fact)
        case ReturnToSend():
            return _send_back(fact)
        case ReturnAlreadyPending(to_send=to_send) if to_send is not None:
            return _send_back(to_send)
        case InvoicePending(issue_by=due, working_days=days) if not fact.overdue:
            return Period(PeriodKind.INVOICE_ISSUE, (days, days), None, due)
        case (
            InvoiceToConfirm(issue_by=due, working_days=days)
            | InvoiceRequested(issue_by=due, working_days=days)
        ):
            return Period(PeriodKind.INVOICE_ISSUE, (days, days), None, due)
        case PeriodExplained(period=period):
            return period  # asked about again: still in focus
    return None


def _arrival(days: tuple[int, int], issued: datetime | None, due: datetime | None) -> Period:
    return Period(PeriodKind.REFUND_ARRIVAL, days, issued, due)


def _return_window(window: ReturnWindow) -> Period | None:
    received, deadline = window.received_on, window.deadline
    if window.rule != ReturnRule.WITHIN_WINDOW or received is None or deadline is None:
        return None
    days = (deadline - received).days
    return Period(PeriodKind.RETURN_WINDOW, (days, days), received, deadline)


def _send_back(to_send: ReturnToSend) -> Period:
    days = load_refund_policy().send_within_days
    start = to_send.send_by - timedelta(days=days)
    return Period(PeriodKind.SEND_BACK, (days, days), start, to_send.send_by)


# A question about how a period counts: where it starts (从哪天算, 哪天开始算), which days count
# (周末算不算, 是工作日吗), or its limit (有期限吗, 几天内要寄, 最晚哪天).
PERIOD_WORDS = re.compile(
    r"从(?:哪天|哪一天|什么时候|啥时候|几号)|(?:哪天|几号|什么时候|啥时候)开始|算起|怎么算"
    r"|周末|周六|周日|双休|节假日|假期|放假|工作日|自然日"
    r"|期限|时限|几天[之以]?内|多少天[之以]?内|多久[之以]?内|截止|截至|最晚|最迟|到哪天|到几号"
    r"|有效期"
    # how long it takes, the subject left unsaid (一般几天啊 after a refund's working days)
    r"|(?:^|\s)(?:那|就|请问)?(?:一般|大概|大约|通常|正常)?(?:要|得|需要)?"
    r"(?:几天|多久|多长时间|多少天)(?:啊|呀|呢|吗|哈|(?:能|才|才能)?到(?:账|支付宝|微信|银行卡|卡里)?)?"
    r"(?:[?？!！]|$|\s)"
)


def asks_about_a_period(words: str) -> bool:
    """Whether the words ask how a period counts (from when, which days, until when)."""
    return bool(PERIOD_WORDS.search(normalise(words)))


WORKING_DAY_KINDS = frozenset({PeriodKind.REFUND_ARRIVAL, PeriodKind.INVOICE_ISSUE})


@dataclass(frozen=True)
class PeriodExplained:
    """The period just stated, explained: from when it counts, whether weekends count, until
    when (`now` for how many days are left)."""

    period: Period
    now: datetime

    @property
    def days_left(self) -> int | None:
        """Calendar days from today to the last day (0: today is the last; below 0: over);
        None for a refund's arrival or an end not known."""
        end = self.period.end
        if end is None or self.period.kind in WORKING_DAY_KINDS:
            return None
        return (to_shop_time(end).date() - to_shop_time(self.now).date()).days

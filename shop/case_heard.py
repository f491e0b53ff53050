"""A shopper venting inside an open case is heard, and told the case goes on and what comes next.

"京东都能晚 服了", "5块钱券我不要 我要的是东西！！", "别跟我说等24小时 我要现在": the case is
already open, so nothing new is to be done. A good agent acknowledges it, says the compensation
never replaces the follow-up, that an immediate refund or reship cannot come before the check
(when that is asked), and when the shopper hears back: the case's own timeline.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from shop.case_questions import CaseQuestion, CaseTimeline, ask_about_case
from shop.models import CaseKind, LogisticsCase, Remedy
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

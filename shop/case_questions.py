"""Questions a shopper asks about the logistics case open in their conversation.

Once a case is open, shoppers follow up in a few words: 照片怎么发给你, 多久能给我换好,
真丢了怎么办 给补发吗, 能不能快点. `case_question` reads which of four questions it is;
`ask_about_case` answers it from the case and the shop's policy (remedies, promised times) as a
fact that `words` says. A chase is recorded on the case (`case.chased`); a chase after the
promised answer time says a person takes the case over.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.events import Event, EventName, record_event
from core.text import normalise
from shop.models import CaseKind, CaseStatus, LogisticsCase, Order, Remedy
from shop.policy import LogisticsPolicy, load_policy
from shop.regions import province


class CaseQuestion(StrEnum):
    PHOTO_UPLOAD = "photo_upload"  # 照片怎么发给你
    REMEDY = "remedy"  # 真丢了怎么办 给补发吗
    HURRY = "hurry"  # 能不能快点
    HOW_LONG = "how_long"  # 多久能给我换好


# The first that matches wins: 照片什么时候发 is about photos, 丢了多久能补发 about the remedy.
QUESTION_PATTERNS = (
    (CaseQuestion.PHOTO_UPLOAD, r"照片|相片|图片|拍照|拍[个张几]?图|截图|上传|发图|传图|视频|凭证"),
    (
        CaseQuestion.REMEDY,
        r"丢|补发|重发|重新.{0,3}发|再.{0,2}发一|退款|退钱|赔|怎么办|怎么处理|怎么弄|管不管|负责",
    ),
    (
        CaseQuestion.HURRY,
        r"快点|快一点|快些|加急|催|尽快|急用|着急|急着|急死|急需|抓紧|赶紧|能不能快|等不及|等不了",
    ),
    (
        CaseQuestion.HOW_LONG,
        r"多久|几天|多长时间|什么时候|啥时候|几号|几点|要等|还得等|等到|换好|补好|处理好|好了没|结果|进度",
    ),
)
_PATTERNS = tuple((question, re.compile(pattern)) for question, pattern in QUESTION_PATTERNS)
# Questions about buying, not about the case: 什么时候补货 is about stock.
NOT_ABOUT_THE_CASE = re.compile(r"补货|有货|到货通知|库存|现货|优惠|活动|降价|便宜|发票|价保")


def case_question(text: str) -> CaseQuestion | None:
    """Which follow-up about an open case the message asks, if any."""
    clean = normalise(text)
    if NOT_ABOUT_THE_CASE.search(clean):
        return None
    return next((question for question, pattern in _PATTERNS if pattern.search(clean)), None)


def open_case_in(
    session: Session, conversation_id: str, order_no: str | None = None
) -> LogisticsCase | None:
    """The latest case opened in this conversation that is still open (on this order, when
    one is given)."""
    query = select(LogisticsCase).where(
        LogisticsCase.conversation_id == conversation_id,
        LogisticsCase.status == CaseStatus.OPEN,
    )
    if order_no is not None:
        query = query.join(Order).where(Order.order_no == order_no)
    return session.scalars(query.order_by(LogisticsCase.opened_at.desc())).first()


@dataclass(frozen=True)
class OpenCase:
    """What the shopper was promised on the case: the remedies (those a supervisor confirms
    first apart), photos or not, and the time of the answer."""

    case_id: int
    order_no: str
    kind: CaseKind
    carrier: str | None
    promised: tuple[Remedy, ...]
    awaiting_approval: tuple[Remedy, ...]
    needs_photo: bool
    reply_by: datetime
    overdue: bool  # the answer time has passed


@dataclass(frozen=True)
class PhotoUpload:
    """Where the photos go (the chat takes no pictures), or that none are needed."""

    case: OpenCase


@dataclass(frozen=True)
class CaseTimeline:
    """When the shopper hears back, and how soon a reship or exchange leaves once confirmed."""

    case: OpenCase
    ships_within_hours: int

    @property
    def passed_to_agent(self) -> bool:  # the answer is late: a person takes the case over
        return self.case.overdue


@dataclass(frozen=True)
class CaseRemedies:
    """What the shop does about the case, and what it does if the parcel turns out lost."""

    case: OpenCase
    if_lost: tuple[Remedy, ...]  # empty when the case is not about a parcel on its way
    if_lost_needs_approval: bool


@dataclass(frozen=True)
class CaseChased:
    """The shopper asked to hurry: recorded on the case; past the promised answer time a
    person takes it over (`passed_to_agent`)."""

    case: OpenCase
    passed_to_agent: bool


CaseAnswer = PhotoUpload | CaseTimeline | CaseRemedies | CaseChased


def open_case_facts(
    case: LogisticsCase, now: datetime, policy: LogisticsPolicy | None = None
) -> OpenCase:
    policy = policy or load_policy()
    rule = policy.cases[case.kind]
    remedies = tuple(Remedy(r) for r in case.remedies)
    approval = policy.approval_for(list(remedies), float(case.order.total_amount))
    held = tuple(r for r in remedies if approval is not None and r in approval.remedies)
    return OpenCase(
        case_id=case.id,
        order_no=case.order.order_no,
        kind=case.kind,
        carrier=case.carrier,
        promised=tuple(r for r in remedies if r not in held),
        awaiting_approval=held,
        needs_photo=rule.needs_photo,
        reply_by=case.reply_by,
        overdue=now > case.reply_by,
    )


def ask_about_case(
    session: Session,
    case: LogisticsCase,
    question: CaseQuestion,
    now: datetime,
    policy: LogisticsPolicy | None = None,
) -> CaseAnswer:
    """The answer to `question` from the case and the policy; a chase is recorded."""
    policy = policy or load_policy()
    facts = open_case_facts(case, now, policy)
    if question == CaseQuestion.PHOTO_UPLOAD:
        return PhotoUpload(facts)
    if question == CaseQuestion.HOW_LONG:
        return CaseTimeline(facts, policy.remedy_ships_within_hours)
    if question == CaseQuestion.REMEDY:
        in_transit = case.kind in (CaseKind.DELAYED, CaseKind.LOST)
        lost_rule = policy.cases[CaseKind.LOST].remedies
        if_lost = tuple(r for r in lost_rule if r != Remedy.CARRIER_INVESTIGATION)
        approval = policy.approval_for(list(if_lost), float(case.order.total_amount))
        return CaseRemedies(facts, if_lost if in_transit else (), approval is not None)
    record_event(
        session,
        EventName.CASE_CHASED,
        case.id,
        order_no=case.order.order_no,
        carrier=case.carrier,
        cause=case.kind,
        conversation_id=case.conversation_id,
        region=province(case.order.shipping_address),
        payload={"overdue": facts.overdue},
        occurred_at=now,
    )
    return CaseChased(facts, passed_to_agent=facts.overdue)


def chases(session: Session, case_ids: list[int]) -> dict[int, int]:
    """How many times the shopper asked to hurry each case (from its `case.chased` events)."""
    rows = session.execute(
        select(Event.subject_id, func.count(Event.id))
        .where(Event.name == EventName.CASE_CHASED, Event.subject_id.in_(map(str, case_ids)))
        .group_by(Event.subject_id)
    )
    return {int(subject): count for subject, count in rows}

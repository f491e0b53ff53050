"""Logistics follow-up: open a case from the order's real tracking data, offer the remedies
the shop's policy allows, and re-check open cases until the parcel moves or arrives.

Every function returns what it found and decided; `words` says it to the shopper.
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core.events import Actor, EventName, record_event
from shop.aftersales import product_names
from shop.chasing import WAREHOUSE, WarehouseChased, days_late, next_dispatch
from shop.models import (
    CaseKind,
    CaseStatus,
    LogisticsCase,
    Order,
    Remedy,
    Shipment,
    ShipmentStatus,
)
from shop.policy import LogisticsPolicy, load_policy
from shop.regions import province
from shop.tracking import OrderProgress, Parcel, Scan, order_progress

AFTER_DELIVERY = (CaseKind.DAMAGED, CaseKind.WRONG_ITEM, CaseKind.MISSING_ITEM)
IN_TRANSIT = (CaseKind.DELAYED, CaseKind.LOST)
DETAIL_LENGTH = 2000  # the shopper's words kept on a case


@dataclass(frozen=True)
class ParcelReport:
    """What the tracking shows about the parcel the shopper reported, for this kind of problem."""

    kind: CaseKind
    parcel: Parcel
    last_scan: Scan | None
    quiet_days: int
    stalled: bool
    past_promised_date: bool


@dataclass(frozen=True)
class NoParcelYet:
    """The order has not shipped (or was cancelled): nothing to open a case on."""

    progress: OrderProgress

    @property
    def offer_human(self) -> bool:  # late to ship: a person can ask the warehouse to hurry
        return self.progress.late_to_ship


@dataclass(frozen=True)
class NotDeliveredYet:
    """A damaged, wrong or missing item reported before the parcel arrived; `late`: what the
    tracking shows when the parcel is past its promised date or stalled (said, not hidden)."""

    order_no: str
    late: ParcelReport | None = None


@dataclass(frozen=True)
class OnSchedule:
    """A late parcel reported that is still within its promised time."""

    report: ParcelReport


@dataclass(frozen=True)
class CaseAlreadyOpen:
    case_id: int
    report: ParcelReport
    reply_by: datetime


@dataclass(frozen=True)
class CaseOpened:
    case_id: int
    order_no: str
    report: ParcelReport
    promised: tuple[Remedy, ...]  # committed to now
    awaiting_approval: tuple[Remedy, ...]  # a supervisor confirms these first
    coupon_yuan: int | None
    needs_photo: bool
    reply_by: datetime

    @property
    def needs_approval(self) -> bool:
        return bool(self.awaiting_approval)

    @property
    def remedies(self) -> tuple[Remedy, ...]:
        return (*self.promised, *self.awaiting_approval)


@dataclass(frozen=True)
class CaseToConfirm:
    """A case the tracking allows, said back for the shopper's yes (nothing is opened yet):
    what it is about and what the shop will do."""

    order_no: str
    report: ParcelReport
    promised: tuple[Remedy, ...]
    awaiting_approval: tuple[Remedy, ...]
    coupon_yuan: int | None
    needs_photo: bool
    reply_within_hours: int
    items: tuple[str, ...] = ()  # the order's items, when the shopper is to say which one
    described: bool = False  # the shopper's words described the problem: not asked again


CaseCheck = NoParcelYet | NotDeliveredYet | OnSchedule | CaseAlreadyOpen | CaseToConfirm
CaseResult = (
    NoParcelYet | NotDeliveredYet | OnSchedule | CaseAlreadyOpen | CaseOpened | WarehouseChased
)


def case_kind_for(kind: CaseKind, delivered: bool) -> CaseKind:
    """ "Not arrived" on a delivered parcel is the lost-parcel path; "lost" in transit is late."""
    if kind == CaseKind.DELAYED and delivered:
        return CaseKind.LOST
    if kind == CaseKind.LOST and not delivered:
        return CaseKind.DELAYED
    return kind


def case_check(
    session: Session,
    order: Order,
    kind: CaseKind,
    now: datetime,
    policy: LogisticsPolicy | None = None,
) -> CaseCheck:
    """Check the order's tracking for a case of `kind` (a late parcel that shows delivered is
    a lost one, a lost one still in transit a late one): the case that would be opened, with
    the policy's remedies, or why none is (nothing changes)."""
    policy = policy or load_policy()
    progress = order_progress(order, now)
    shipment = order.latest_shipment
    if shipment is None or progress.parcel is None:
        return NoParcelYet(progress)
    kind = case_kind_for(kind, progress.parcel.delivered)
    report = ParcelReport(
        kind,
        progress.parcel,
        Scan.of(shipment.events[-1]) if shipment.events else None,
        progress.quiet_days,
        progress.stalled,
        progress.past_promised_date,
    )
    if kind in AFTER_DELIVERY and not progress.parcel.delivered:
        late = replace(report, kind=CaseKind.DELAYED) if progress.delayed else None
        return NotDeliveredYet(order.order_no, late)
    if kind == CaseKind.DELAYED and not progress.delayed:
        return OnSchedule(report)

    existing = session.scalars(
        select(LogisticsCase).where(
            LogisticsCase.order_id == order.id,
            LogisticsCase.kind == kind,
            LogisticsCase.status == CaseStatus.OPEN,
        )
    ).first()
    if existing is not None:
        return CaseAlreadyOpen(existing.id, report, existing.reply_by)
    rule = policy.cases[kind]
    approval = policy.approval_for(rule.remedies, float(order.total_amount))
    held = tuple(r for r in rule.remedies if approval is not None and r in approval.remedies)
    return CaseToConfirm(
        order.order_no,
        report,
        tuple(r for r in rule.remedies if r not in held),
        held,
        rule.coupon_yuan,
        rule.needs_photo,
        rule.reply_within_hours,
        items=items_to_name(order) if kind in AFTER_DELIVERY else (),
    )


def items_to_name(order: Order) -> tuple[str, ...]:
    """The order's items the shopper is asked to pick from for a damaged, wrong or missing item
    case (which piece, how many): each with its count; none when the order holds one piece."""
    if len(order.items) == 1 and order.items[0].quantity == 1:
        return ()
    return tuple(
        f"{item.variant.product.name} ×{item.quantity}"
        if item.quantity > 1
        else item.variant.product.name
        for item in order.items
    )


def chase_without_asking(check: CaseCheck) -> bool:
    """Whether a late-parcel report checked against the tracking can be chased without a yes
    first: the tracking confirms it (a parcel in transit past its promise or stalled, or an
    order past its promised ship date not shipped), and a chase commits the shop to nothing but
    hurrying it. A parcel that shows delivered (a lost one) or is on time is still asked."""
    if isinstance(check, NoParcelYet):
        return check.progress.late_to_ship
    return isinstance(check, CaseToConfirm) and check.report.kind == CaseKind.DELAYED


def open_case(
    session: Session,
    order: Order,
    kind: CaseKind,
    now: datetime,
    conversation_id: str | None = None,
    detail: str | None = None,
    policy: LogisticsPolicy | None = None,
) -> CaseResult:
    """Check the order's tracking, then open (or reuse) a case with the policy's remedies; a
    late or lost parcel reported on an order past its promised ship date that has not shipped
    is chased with the warehouse (`chase_warehouse`)."""
    policy = policy or load_policy()
    checked = case_check(session, order, kind, now, policy)
    if isinstance(checked, NoParcelYet) and checked.progress.late_to_ship and kind in IN_TRANSIT:
        return chase_warehouse(session, order, now, conversation_id, detail)
    if not isinstance(checked, CaseToConfirm):
        return checked
    shipment = order.latest_shipment
    assert shipment is not None  # the check found its parcel
    report, kind = checked.report, checked.report.kind
    rule = policy.cases[kind]
    case = LogisticsCase(
        order_id=order.id,
        kind=kind,
        status=CaseStatus.OPEN,
        carrier=shipment.carrier,
        tracking_no=shipment.tracking_no,
        conversation_id=conversation_id,
        detail=detail[:DETAIL_LENGTH] if detail else None,
        remedies=[r.value for r in rule.remedies],
        opened_at=now,
        reply_by=now + timedelta(hours=rule.reply_within_hours),
        last_seen_scan_at=shipment.last_scan_at,
    )
    session.add(case)
    session.flush()
    _record_case_event(
        session, EventName.CASE_OPENED, case, order.order_no, now, remedies=case.remedies
    )
    held = checked.awaiting_approval
    if held:
        _record_case_event(
            session,
            EventName.CASE_APPROVAL_REQUESTED,
            case,
            order.order_no,
            now,
            value=order.total_amount,
            remedies=case.remedies,
            held=[r.value for r in held],
        )
    return CaseOpened(
        case_id=case.id,
        order_no=order.order_no,
        report=report,
        promised=checked.promised,
        awaiting_approval=held,
        coupon_yuan=checked.coupon_yuan,
        needs_photo=checked.needs_photo,
        reply_by=case.reply_by,
    )


def warehouse_chase(session: Session, order: Order) -> LogisticsCase | None:
    """The open chase of the order with the warehouse (its late case before it shipped)."""
    return session.scalars(
        select(LogisticsCase).where(
            LogisticsCase.order_id == order.id,
            LogisticsCase.kind == CaseKind.DELAYED,
            LogisticsCase.carrier == WAREHOUSE,
            LogisticsCase.status == CaseStatus.OPEN,
        )
    ).first()


def chase_warehouse(
    session: Session,
    order: Order,
    now: datetime,
    conversation_id: str | None = None,
    detail: str | None = None,
) -> WarehouseChased:
    """Chase an order past its promised ship date with the warehouse: a late case whose
    carrier is the warehouse, answered by the next dispatch the order can still make (today's
    before the cut-off); a second chase is recorded on the open one. The follow-up job tells
    the shopper when it ships (`recheck_open_cases`)."""
    dispatch = next_dispatch(now)
    case = warehouse_chase(session, order)
    again = case is not None
    if case is None:
        case = LogisticsCase(
            order_id=order.id,
            kind=CaseKind.DELAYED,
            status=CaseStatus.OPEN,
            carrier=WAREHOUSE,
            conversation_id=conversation_id,
            detail=detail[:DETAIL_LENGTH] if detail else None,
            remedies=[],
            opened_at=now,
            reply_by=dispatch.at,
        )
        session.add(case)
        session.flush()
        _record_case_event(session, EventName.CASE_OPENED, case, order.order_no, now, remedies=[])
    else:
        _record_case_event(session, EventName.CASE_CHASED, case, order.order_no, now)
    return WarehouseChased(
        case_id=case.id,
        order_no=order.order_no,
        product_names=product_names(order),
        promised_ship_by=order.promised_ship_by,
        days_late=days_late(order.promised_ship_by, now),
        dispatch=dispatch,
        reply_by=case.reply_by,
        again=again,
    )


@dataclass(frozen=True)
class CaseWithdrawn:
    """A parcel case the shopper took back because the parcel turned up (找到了, 在隔壁驿站):
    closed, and nothing more is done on it (no carrier check, no reship, no refund)."""

    order_no: str
    kind: CaseKind
    carrier: str | None
    registered: bool = True  # False: the case was only said back, nothing was opened


def withdraw_case(session: Session, case: LogisticsCase, now: datetime) -> CaseWithdrawn:
    """Close the open `case` the shopper took back (the parcel found), recording who did it."""
    _resolve(session, case, now, Actor.SHOPPER, found=True)
    return CaseWithdrawn(case.order.order_no, case.kind, case.carrier)


def _resolve(
    session: Session, case: LogisticsCase, now: datetime, actor: Actor, **payload: Any
) -> None:
    """Close `case` now, recording who closed it and how long it was open (seconds)."""
    case.status, case.resolved_at = CaseStatus.RESOLVED, now
    waited = (now - case.opened_at).total_seconds()
    _record_case_event(
        session, EventName.CASE_RESOLVED, case, case.order.order_no, now, actor, waited, **payload
    )


def _record_case_event(
    session: Session,
    name: EventName,
    case: LogisticsCase,
    order_no: str,
    now: datetime,
    actor: Actor | None = None,
    value: Decimal | float | None = None,
    **payload: Any,
) -> None:
    """A case event with the dimensions every case event carries (order, carrier, kind,
    conversation); the keyword arguments left over are its payload."""
    record_event(
        session,
        name,
        case.id,
        order_no=order_no,
        carrier=case.carrier,
        cause=case.kind,
        conversation_id=case.conversation_id,
        actor=actor,
        region=province(case.order.shipping_address),
        value=value,
        payload=payload,
        occurred_at=now,
    )


class FollowUpReason(StrEnum):
    MOVED = "moved"  # a new carrier scan since the shopper last heard
    SHIPPED = "shipped"  # an order chased with the warehouse has shipped: the chase is done
    OVERDUE = "overdue"  # the promised answer time passed: an agent takes the case over


@dataclass(frozen=True)
class CaseFollowUp:
    """A message owed to the shopper about an open case."""

    conversation_id: str
    case_id: int
    kind: CaseKind
    order_no: str
    reason: FollowUpReason
    scan: Scan | None = None
    resolved: bool = False  # the late parcel arrived: the case is closed
    parcel: Parcel | None = None  # SHIPPED: the parcel the order left in


def recheck_open_cases(session: Session, now: datetime) -> list[CaseFollowUp]:
    """Follow-ups for open cases: the parcel moved or arrived, an order chased with the
    warehouse shipped (the shopper's shipping notice; the chase is resolved), or the promised
    reply time passed (then an agent should take the case over)."""
    follow_ups = []
    cases = session.scalars(
        select(LogisticsCase)
        .where(LogisticsCase.status == CaseStatus.OPEN)
        .options(
            selectinload(LogisticsCase.order)
            .selectinload(Order.shipments)
            .selectinload(Shipment.events)
        )
    ).all()
    for case in cases:
        shipment = case.order.latest_shipment
        if case.conversation_id is None:
            continue
        order_no = case.order.order_no
        at_warehouse = case.carrier == WAREHOUSE and case.tracking_no is None
        latest = shipment.events[-1] if shipment and shipment.events else None
        if shipment is not None and at_warehouse:
            case.tracking_no, case.last_seen_scan_at = shipment.tracking_no, shipment.last_scan_at
            _resolve(session, case, now, Actor.SYSTEM)
            follow_ups.append(
                CaseFollowUp(
                    case.conversation_id,
                    case.id,
                    case.kind,
                    order_no,
                    FollowUpReason.SHIPPED,
                    Scan.of(latest) if latest else None,
                    resolved=True,
                    parcel=Parcel.of(shipment),
                )
            )
        elif (
            shipment is not None
            and latest
            and (case.last_seen_scan_at is None or latest.occurred_at > case.last_seen_scan_at)
        ):
            case.last_seen_scan_at = latest.occurred_at
            resolved = shipment.status == ShipmentStatus.DELIVERED and case.kind == CaseKind.DELAYED
            if resolved:
                _resolve(session, case, now, Actor.CARRIER)
            follow_ups.append(
                CaseFollowUp(
                    case.conversation_id,
                    case.id,
                    case.kind,
                    order_no,
                    FollowUpReason.MOVED,
                    Scan.of(latest),
                    resolved,
                )
            )
        elif now > case.reply_by and case.overdue_notified_at is None:
            case.overdue_notified_at = now
            follow_ups.append(
                CaseFollowUp(
                    case.conversation_id, case.id, case.kind, order_no, FollowUpReason.OVERDUE
                )
            )
        else:
            continue
        reason = follow_ups[-1].reason.value
        _record_case_event(session, EventName.CASE_FOLLOWED_UP, case, order_no, now, reason=reason)
    session.flush()
    return follow_ups

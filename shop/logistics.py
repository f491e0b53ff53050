"""Logistics follow-up: open a case from the order's real tracking data, offer the remedies
the shop's policy allows, and re-check open cases until the parcel moves or arrives."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import moment_text
from core.events import record_event
from shop.models import CaseStatus, LogisticsCase, Order, OrderStatus, ShipmentStatus
from shop.policy import CaseRule, LogisticsPolicy, load_policy
from shop.tracking import OrderProgress, describe_progress, order_progress


@dataclass(frozen=True)
class CaseOutcome:
    case: LogisticsCase | None
    message: str
    needs_approval: bool = False  # the remedy waits for an agent: hand the conversation over
    offer_human: bool = False  # nothing to open a case on, but a person can still help


def _remedy_lines(
    remedies: list[str], rule: CaseRule, policy: LogisticsPolicy, carrier: str
) -> list[str]:
    values = {"carrier": carrier or "快递公司", "coupon": rule.coupon_yuan or 0}
    return [policy.remedy_texts[r].format(**values) for r in remedies]


def open_case(
    session: Session,
    order: Order,
    kind: str,
    now: datetime,
    conversation_id: str | None = None,
    detail: str | None = None,
    policy: LogisticsPolicy | None = None,
) -> CaseOutcome:
    """Check the order's tracking, then open (or reuse) a case and say what happens next."""
    policy = policy or load_policy()
    progress = order_progress(order, now)
    shipment = progress.shipment
    if shipment is None:  # not shipped (or cancelled): no parcel to follow up yet
        late = order.status == OrderStatus.AWAITING_SHIPMENT and now > order.promised_ship_by
        text = describe_progress(progress, now)
        if late:
            text += "\n需要的话我帮您转人工客服，请仓库尽快安排发出。"
        return CaseOutcome(None, text, offer_human=late)
    delivered = shipment.status == ShipmentStatus.DELIVERED
    if kind == "delayed" and delivered:
        kind = "lost"  # "not arrived" but it shows delivered: the lost-parcel path
    if kind == "lost" and not delivered:
        kind = "delayed"
    if kind in ("damaged", "wrong_item", "missing_item") and not delivered:
        return CaseOutcome(
            None,
            f"订单 {order.order_no} 的包裹还在路上，还没有签收哦。收到后如果有问题，随时告诉我。",
        )
    facts = _facts(progress, kind, now, policy)
    if kind == "delayed" and not progress.delayed:
        return CaseOutcome(None, facts + "目前还在正常时效内，我会帮您留意，请再耐心等一等。")

    existing = session.scalars(
        select(LogisticsCase).where(
            LogisticsCase.order_id == order.id,
            LogisticsCase.kind == kind,
            LogisticsCase.status == CaseStatus.OPEN,
        )
    ).first()
    rule = policy.cases[kind]
    if existing is not None:
        return CaseOutcome(
            existing,
            facts + f"这个问题我们已经在跟进了，会在 {moment_text(existing.reply_by)} 前给您答复，"
            "有新进展我会第一时间通知您。",
        )
    case = LogisticsCase(
        order_id=order.id,
        kind=kind,
        status=CaseStatus.OPEN,
        carrier=shipment.carrier,
        tracking_no=shipment.tracking_no,
        conversation_id=conversation_id,
        detail=detail,
        remedies=list(rule.remedies),
        opened_at=now,
        reply_by=now + timedelta(hours=rule.reply_within_hours),
        last_seen_scan_at=shipment.last_scan_at,
    )
    session.add(case)
    session.flush()
    record_event(
        session,
        "case.opened",
        "case",
        case.id,
        {"order_no": order.order_no, "kind": kind, "carrier": shipment.carrier},
        now,
    )
    approval = policy.approval_for(case.remedies, float(order.total_amount))
    promised = [r for r in case.remedies if approval is None or r not in approval.remedies]
    lines = [facts + "非常抱歉给您添麻烦了。"]
    lines += _remedy_lines(promised, rule, policy, shipment.carrier)
    if rule.needs_photo:
        lines.append(policy.photo_request)
    if approval is not None:  # said instead of promising what a supervisor confirms
        lines.append(approval.text)
        record_event(
            session,
            "case.approval_requested",
            "case",
            case.id,
            {"order_no": order.order_no, "remedies": case.remedies},
            now,
        )
    news = "有进展我会第一时间告诉您" if delivered else "包裹有新动态我也会主动通知您"
    lines.append(f"我们会在 {moment_text(case.reply_by)} 前给您答复，{news}。")
    return CaseOutcome(case, "\n".join(lines), needs_approval=approval is not None)


def _facts(progress: OrderProgress, kind: str, now: datetime, policy: LogisticsPolicy) -> str:
    shipment = progress.shipment
    last = shipment.events[-1] if shipment.events else None
    if kind == "lost":
        signer = f"（{shipment.signed_by}）" if shipment.signed_by else ""
        return (
            f"查到这个包裹显示 {moment_text(shipment.delivered_at)} 已签收{signer}，但您没有收到。"
        )
    if kind in ("damaged", "wrong_item", "missing_item"):
        return f"查到这个包裹 {moment_text(shipment.delivered_at)} 签收。"
    if last is None:
        return f"这个包裹由{shipment.carrier}承运（运单号 {shipment.tracking_no}）。"
    quiet = (now - last.occurred_at).days
    text = (
        f"查到{shipment.carrier}最后一次更新是 {moment_text(last.occurred_at)}"
        f"（{last.location}：{last.description}）"
    )
    if quiet >= policy.stall_after_days:
        text += f"，已经 {quiet} 天没有动了。"
    elif progress.past_promised_date:
        text += "，已经超过了承诺的送达时间。"
    else:
        text += "。"
    return text


@dataclass(frozen=True)
class FollowUp:
    conversation_id: str
    text: str
    escalate_order_no: str | None = None  # overdue: an agent should take it over


def recheck_open_cases(session: Session, now: datetime) -> list[FollowUp]:
    """Messages to send for open cases: the parcel moved or arrived, or the promised reply
    time passed (then the follow-up asks for an agent to take the case over)."""
    follow_ups = []
    cases = session.scalars(
        select(LogisticsCase).where(LogisticsCase.status == CaseStatus.OPEN)
    ).all()
    for case in cases:
        shipment = case.order.shipments[-1] if case.order.shipments else None
        if shipment is None or case.conversation_id is None:
            continue
        latest = shipment.events[-1] if shipment.events else None
        if latest and (
            case.last_seen_scan_at is None or latest.occurred_at > case.last_seen_scan_at
        ):
            case.last_seen_scan_at = latest.occurred_at
            text = (
                f"您好，您订单 {case.order.order_no} 的包裹有新动态了："
                f"{moment_text(latest.occurred_at)} {latest.location}：{latest.description}"
            )
            if shipment.status == ShipmentStatus.DELIVERED and case.kind == "delayed":
                case.status, case.resolved_at = CaseStatus.RESOLVED, now
                text += "。包裹已经送达，让您久等了！"
                record_event(session, "case.resolved", "case", case.id, {"by": "delivery"}, now)
            follow_ups.append(FollowUp(case.conversation_id, text))
            record_event(session, "case.followed_up", "case", case.id, {"reason": "moved"}, now)
        elif now > case.reply_by and case.overdue_notified_at is None:
            case.overdue_notified_at = now
            follow_ups.append(
                FollowUp(
                    case.conversation_id,
                    f"您好，订单 {case.order.order_no} 的问题还在跟进中，暂时没有新进展，非常抱歉。"
                    "我已经请人工客服专门跟进，稍后会直接联系您。",
                    escalate_order_no=case.order.order_no,
                )
            )
            record_event(session, "case.followed_up", "case", case.id, {"reason": "overdue"}, now)
    session.flush()
    return follow_ups

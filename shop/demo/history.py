"""Twelve weeks of the demo shop's past, written into the database so the reports mean something.

`seed_history` writes the plan of `shop.demo.history_plan` through the domain's tables (orders
with their parcels, reviews with their analyses and drafts, conversations with their messages
and escalations, parcel cases) and records the matching events with `core.events.record_event`,
in the order they happened. The recurring-issue consumer reads them as it would have, a few
times a simulated day, so the queue items open (and are acknowledged, assigned and closed) when
they would have. The history's customers (codes `H…`) mark it as seeded: a second call writes
nothing.
"""

import heapq
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from conversations.models import (
    Conversation,
    ConversationStatus,
    Escalation,
    EscalationReason,
    EscalationStatus,
    Handler,
    Message,
    Sender,
)
from core.clock import utcnow
from core.events import Actor, EventName, record_event
from recurring import service as recurring
from recurring.models import Queue, RecurringIssue
from reviews.alert_channels import ChannelKind
from reviews.causes import ReviewCause
from reviews.drafting import checked_message, draft_reply, violation_json
from reviews.models import (
    MESSAGE_MAX,
    REPLY_MAX,
    OfferState,
    ReplyState,
    Review,
    ReviewAnalysis,
    ReviewContact,
    ReviewOffer,
    ReviewReply,
)
from reviews.replies import reply_facts
from shop.demo import history_texts as texts
from shop.demo.history_plan import (
    ADMIN,
    AGENTS,
    DayPlan,
    PlannedConversation,
    PlannedOrder,
    PlannedReview,
    Planner,
)
from shop.demo.timelines import tracking_number
from shop.models import (
    CaseKind,
    CaseStatus,
    Customer,
    LogisticsCase,
    Order,
    OrderItem,
    OrderStatus,
    Product,
    Shipment,
    ShipmentStatus,
    TrackingEvent,
    Variant,
)
from words.offers import offer_message

MARKER = "H0000"  # the first history customer's code: the history is seeded
MODEL_VERSION = "demo-history"
CONSUME_EVERY = timedelta(hours=12)  # how often the simulated recurring consumer runs
CASE_REMEDIES = {
    "delayed": ["urge_carrier", "coupon"],
    "lost": ["carrier_investigation", "reship_or_refund"],
    "damaged": ["reship_or_refund"],
    "wrong_item": ["exchange"],
    "missing_item": ["send_missing"],
}
TEAMS = {Queue.PRODUCT: "品控组", Queue.LOGISTICS: "物流组", Queue.SERVICE: "客服主管"}


@dataclass(frozen=True)
class Seeded:
    """What `seed_history` wrote (all zero when the history was there already)."""

    orders: int = 0
    reviews: int = 0
    negative: int = 0
    conversations: int = 0
    cases: int = 0
    events: int = 0
    queue_items: int = 0


def is_seeded(session: Session) -> bool:
    return session.scalar(select(Customer.id).where(Customer.code == MARKER)) is not None


def seed_history(
    session: Session, now: datetime | None = None, weeks: int = 12, scale: float = 1.0
) -> Seeded:
    """Write `weeks` of history up to `now` into the demo shop (seeded before: the catalogue
    must be there), once. Deterministic for a given `now`, `weeks` and `scale`."""
    if is_seeded(session):
        return Seeded()
    now = now or utcnow()
    planner = Planner(now - timedelta(weeks=weeks), now, scale)
    days = list(planner.days())
    writer = _Writer(session, planner)
    writer.customers()
    for day in days:
        writer.orders(day)
    session.flush()
    for day in days:
        writer.reviews(day)
        writer.conversations(day)
    session.flush()
    events = writer.replay(now)
    return Seeded(
        orders=sum(len(d.orders) for d in days),
        reviews=sum(len(d.reviews) for d in days),
        negative=sum(r.negative for d in days for r in d.reviews),
        conversations=sum(len(d.conversations) for d in days),
        cases=sum(c.case is not None for d in days for c in d.conversations),
        events=events,
        queue_items=writer.items_opened,
    )


Record = Callable[[], None]


class _Writer:
    """Writes the rows of a plan, collecting their events to replay in time order."""

    def __init__(self, session: Session, planner: Planner) -> None:
        self.session, self.planner = session, planner
        self.rng = random.Random(f"{planner.seed}:writer")
        self.pending: list[tuple[datetime, int, Record]] = []
        self.items_opened = 0
        self.orders_by_no: dict[str, Order] = {}
        self.customer_rows: list[Customer] = []
        self.variants: dict[str, int] = dict(session.execute(select(Variant.sku, Variant.id)).all())
        if not session.scalar(select(Product.id).limit(1)):
            raise LookupError("the demo catalogue is not seeded: seed the shop first")

    def later(self, at: datetime, record: Record) -> None:
        self.pending.append((at, len(self.pending), record))

    def event(self, at: datetime, name: EventName, subject: str | int, **dims: Any) -> None:
        def record() -> None:
            record_event(self.session, name, subject, occurred_at=at, **dims)

        self.later(at, record)

    # --- rows ------------------------------------------------------------------------------

    def customers(self) -> None:
        rng = random.Random(f"{self.planner.seed}:people")
        for n, (province, city, district) in enumerate(self.planner.customers):
            row = Customer(
                code=f"H{n:04d}",
                name=texts.customer_name(rng),
                phone=f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
                city=city,
                address=texts.street_address(rng, province, city, district),
                member_level=rng.choice(texts.LEVELS),
            )
            self.customer_rows.append(row)
        self.session.add_all(self.customer_rows)
        self.session.flush()

    def orders(self, day: DayPlan) -> None:
        for planned in day.orders:
            self.session.add(self._order(planned))

    def _order(self, p: PlannedOrder) -> Order:
        customer = self.customer_rows[p.customer]
        status = OrderStatus.AWAITING_SHIPMENT
        if p.delivered_at is not None:
            status = OrderStatus.DELIVERED
        elif p.shipped_at is not None:
            status = OrderStatus.SHIPPED
        order = Order(
            order_no=p.order_no,
            customer=customer,
            status=status,
            placed_at=p.placed_at,
            paid_at=p.placed_at + timedelta(minutes=1),
            promised_ship_by=p.placed_at + timedelta(hours=48),
            promised_delivery_by=p.promised_by if p.shipped_at else None,
            payment_method=p.payment,
            receiver_name=customer.name,
            receiver_phone=customer.phone,
            shipping_address=customer.address,
            total_amount=p.total,
            shipping_fee=p.shipping_fee,
        )
        order.items.append(
            OrderItem(variant_id=self.variants[p.sku], quantity=p.quantity, unit_price=p.unit_price)
        )
        self.orders_by_no[p.order_no] = order
        where = {"order_no": p.order_no, "region": p.province, "sku": p.sku}
        where["product_id"] = p.item.code
        self.event(p.placed_at, EventName.ORDER_PLACED, p.order_no, value=p.total, **where)
        if p.shipped_at is None:
            return order
        scans = [
            TrackingEvent(
                occurred_at=p.shipped_at,
                location="杭州",
                description=f"{p.carrier}杭州萧山仓 已揽收",
            )
        ]
        if p.delivered_at is not None:
            scans.append(
                TrackingEvent(
                    occurred_at=p.delivered_at,
                    location=p.city,
                    description="您的快件已签收，签收人：本人签收。感谢使用，期待再次为您服务",
                )
            )
        order.shipments.append(
            Shipment(
                carrier=p.carrier,
                tracking_no=tracking_number(p.carrier, self.rng),
                status=ShipmentStatus.DELIVERED if p.delivered_at else ShipmentStatus.IN_TRANSIT,
                shipped_at=p.shipped_at,
                delivered_at=p.delivered_at,
                signed_by="本人签收" if p.delivered_at else None,
                events=scans,
            )
        )
        shipped = (p.shipped_at - p.placed_at).total_seconds()
        self.event(
            p.shipped_at,
            EventName.ORDER_SHIPPED,
            p.order_no,
            carrier=p.carrier,
            value=shipped,
            **where,
        )
        if p.delivered_at is not None:
            took = (p.delivered_at - p.shipped_at).total_seconds()
            self.event(
                p.delivered_at,
                EventName.ORDER_DELIVERED,
                p.order_no,
                carrier=p.carrier,
                value=took,
                payload={"late_days": round(p.late_days, 2)},
                **where,
            )
        return order

    def reviews(self, day: DayPlan) -> None:
        rows = [self._review_row(p) for p in day.reviews]
        self.session.add_all(rows)
        self.session.flush()
        for planned, review in zip(day.reviews, rows, strict=True):
            self._review_events(planned, review)

    def _review_row(self, p: PlannedReview) -> Review:
        o = p.order
        review = Review(
            platform=p.platform,
            platform_review_id=p.key,
            product_id=o.item.code,
            product_name=o.item.name[:128],
            sku=o.sku,
            order_id=o.order_no,
            rating=p.rating,
            text=p.text,
            images_count=1 if p.negative and self.rng.random() < 0.4 else 0,
            created_at=p.at,
            imported_at=p.received_at,
        )
        review.analyses.append(
            ReviewAnalysis(
                negative=p.negative,
                negative_score=round(p.score, 4),
                causes=p.causes,
                sub_causes=p.sub_causes,
                severity=p.severity,
                severity_reasons=p.severity_reasons,
                evidence=p.evidence,
                model_version=MODEL_VERSION,
                analysed_at=p.received_at,
            )
        )
        return review

    def _review_events(self, p: PlannedReview, review: Review) -> None:
        o = p.order
        at = p.received_at
        where: dict[str, Any] = {
            "order_no": o.order_no,
            "product_id": o.item.code,
            "sku": o.sku,
            "region": o.province,
            "carrier": o.carrier,
        }
        received = {"platform": p.platform, "platform_review_id": p.key, "rating": p.rating}
        self.event(at, EventName.REVIEW_RECEIVED, review.id, payload=received, **where)
        if not p.negative:
            return
        cause = ReviewCause(p.causes[0])
        where = {**where, "cause": cause, "sub_cause": p.sub_causes[0] if p.sub_causes else None}
        payload = {
            "causes": p.causes,
            "sub_causes": p.sub_causes,
            "severity": p.severity,
            "negative_score": round(p.score, 4),
        }
        self.event(at, EventName.REVIEW_FLAGGED_NEGATIVE, review.id, payload=payload, **where)
        for channel, sent_at, sent in p.alerts:
            kind = ChannelKind(channel)
            if sent:
                self.event(
                    sent_at,
                    EventName.ALERT_SENT,
                    review.id,
                    cause=kind,
                    value=(sent_at - p.received_at).total_seconds(),
                    product_id=o.item.code,
                )
            else:
                self.event(
                    sent_at,
                    EventName.ALERT_FAILED,
                    review.id,
                    cause=kind,
                    product_id=o.item.code,
                    payload={"error": "HTTP 403"},
                )
        self._drafts(review, p, cause)

    def _drafts(self, review: Review, p: PlannedReview, cause: ReviewCause) -> None:
        o = p.order
        dims = {"order_no": o.order_no, "product_id": o.item.code, "cause": cause}
        facts = reply_facts(
            p.causes, p.sub_causes, p.evidence, o.item.name, p.offer is not None, review.id
        )
        reply = draft_reply(facts, p.platform)
        reply_row = ReviewReply(
            review_id=review.id,
            problem=facts.label,
            text=reply.text[:REPLY_MAX],
            violations=[violation_json(v) for v in reply.violations],
            state=ReplyState.DRAFTED,
            created_at=p.received_at,
            updated_at=p.received_at,
        )
        self.session.add(reply_row)
        drafted = p.offer.drafted_at if p.offer else p.received_at
        self.event(
            drafted,
            EventName.REVIEW_REPLY_DRAFTED,
            review.id,
            actor=Actor.SYSTEM,
            payload={"violations": len(reply.violations)},
            **dims,
        )
        if p.reply is not None:
            reply_row.state = ReplyState(p.reply.state)
            reply_row.decided_by, reply_row.decided_at = p.reply.by, p.reply.at
            name = {
                "approved": EventName.REVIEW_REPLY_APPROVED,
                "rejected": EventName.REVIEW_REPLY_REJECTED,
            }[p.reply.state]
            self.event(p.reply.at, name, review.id, actor=Actor.AGENT, agent=p.reply.by, **dims)
        if p.contacted is not None:
            self.session.add(
                ReviewContact(
                    review_id=review.id,
                    agent=p.contacted.by or AGENTS[0],
                    channel="chat",
                    contacted_at=p.contacted.at,
                )
            )
            self.event(
                p.contacted.at,
                EventName.REVIEW_CUSTOMER_CONTACTED,
                review.id,
                actor=Actor.AGENT,
                agent=p.contacted.by,
                payload={"channel": "chat"},
                value=(p.contacted.at - p.received_at).total_seconds(),
                **dims,
            )
        if p.offer is None:
            return
        offer = p.offer.offer
        message = checked_message(offer_message(offer, o.item.name))
        row = ReviewOffer(
            review_id=review.id,
            order_no=o.order_no,
            customer_id=self.customer_rows[o.customer].id,
            rule=offer.rule,
            step=offer.step,
            last_step=offer.last_step,
            remedy=offer.remedy,
            coupon=offer.coupon,
            refund=offer.refund,
            compensation=offer.compensation,
            needs_approval=offer.needs_approval,
            why=[why.as_json() for why in offer.why],
            message=message.text[:MESSAGE_MAX],
            message_violations=[violation_json(v) for v in message.violations],
            state=OfferState.DRAFTED,
            created_at=p.offer.drafted_at,
        )
        self.session.add(row)
        payload = {"rule": offer.rule, "step": offer.step, "remedy": offer.remedy.value}
        self.event(
            p.offer.drafted_at,
            EventName.REVIEW_OFFER_DRAFTED,
            review.id,
            actor=Actor.SYSTEM,
            value=offer.amount,
            payload=payload,
            **dims,
        )
        recorder = p.contacted.by if p.contacted else AGENTS[0]
        for decision in p.offer.decisions:
            row.state = OfferState(decision.state)
            if decision.by is not None:
                row.decided_by, row.decided_at = decision.by, decision.at
            name = EventName(f"review.offer_{decision.state}")
            self.event(
                decision.at,
                name,
                review.id,
                actor=Actor.AGENT,
                agent=decision.by or recorder,
                value=offer.amount,
                payload=payload,
                **dims,
            )

    def conversations(self, day: DayPlan) -> None:
        rows = [self._conversation_rows(p) for p in day.conversations]
        self.session.flush()
        for planned, (conversation, _messages, case) in zip(day.conversations, rows, strict=True):
            if planned.handoff is not None:
                self._escalation(planned, conversation, case)
        self.session.flush()
        for planned, (conversation, messages, case) in zip(day.conversations, rows, strict=True):
            self._conversation_events(planned, conversation, messages, case)

    def _conversation_rows(
        self, p: PlannedConversation
    ) -> tuple[Conversation, list[Message], LogisticsCase | None]:
        open_handoff = p.handoff is not None and p.resolved is None and p.handed_back is None
        conversation = Conversation(
            id=p.id,
            channel="storefront",
            handled_by=Handler.HUMAN if open_handoff else Handler.BOT,
            started_at=p.started_at,
            last_message_at=p.lines[-1].at if p.lines else p.started_at,
            # resolved in the plan: never resolved again by the desk's idle job
            status=ConversationStatus.RESOLVED if p.resolved else ConversationStatus.OPEN,
            resolved_at=p.resolved[0] if p.resolved else None,
        )
        messages = [
            Message(
                conversation_id=p.id,
                sender=Sender(line.sender),
                text=line.text[:2000],
                buttons=[],
                created_at=line.at,
            )
            for line in p.lines
        ]
        self.session.add(conversation)
        self.session.add_all(messages)
        return conversation, messages, self._case(p) if p.case is not None else None

    def _conversation_events(
        self,
        p: PlannedConversation,
        conversation: Conversation,
        messages: list[Message],
        case: LogisticsCase | None,
    ) -> None:
        order_no = p.order.order_no if p.order else None
        region = p.order.province if p.order else None
        self.event(
            p.started_at,
            EventName.CONVERSATION_STARTED,
            p.id,
            conversation_id=p.id,
            order_no=order_no,
            region=region,
            payload={"channel": "storefront"},
        )
        for line, message in zip(p.lines, messages, strict=True):
            name = (
                EventName.MESSAGE_RECEIVED if line.sender == "shopper" else EventName.MESSAGE_SENT
            )
            self.event(
                line.at,
                name,
                p.id,
                conversation_id=p.id,
                actor=Actor(line.sender),
                agent=line.agent,
                payload={"message_id": message.id},
            )
        if case is not None:
            self._case_events(p, case)
        if p.handoff is not None:
            self._handoff_events(p, conversation.escalations[-1])
        if p.resolved is not None:
            at, actor, agent = p.resolved
            self.event(
                at,
                EventName.CONVERSATION_RESOLVED,
                p.id,
                conversation_id=p.id,
                actor=Actor(actor),
                agent=agent,
                order_no=order_no,
                value=(at - p.started_at).total_seconds(),
            )

    def _escalation(
        self, p: PlannedConversation, conversation: Conversation, case: LogisticsCase | None
    ) -> None:
        assert p.handoff is not None
        at, reason, detail = p.handoff
        status = EscalationStatus.OPEN
        if p.taken is not None:
            status = EscalationStatus.TAKEN
        resolved_at = p.handed_back or (p.resolved[0] if p.resolved else None)
        if resolved_at is not None:
            status = EscalationStatus.RESOLVED
        conversation.escalations.append(
            Escalation(
                conversation_id=p.id,
                reason=EscalationReason(reason),
                reason_detail=p.case.kind if p.case is not None and reason != "complaint" else None,
                detail=detail,
                order_no=p.order.order_no if p.order else None,
                case_id=case.id if case is not None else None,
                status=status,
                created_at=at,
                taken_by=p.taken[1] if p.taken else None,
                resolved_at=resolved_at,
            )
        )

    def _handoff_events(self, p: PlannedConversation, escalation: Escalation) -> None:
        at = escalation.created_at
        self.event(
            at,
            EventName.CONVERSATION_HANDED_OFF,
            p.id,
            conversation_id=p.id,
            cause=escalation.reason,
            order_no=escalation.order_no,
            payload={"reason_detail": escalation.reason_detail, "escalation_id": escalation.id},
        )
        if p.taken is not None:
            taken_at, agent = p.taken
            self.event(
                taken_at,
                EventName.CONVERSATION_TAKEN,
                p.id,
                conversation_id=p.id,
                actor=Actor.AGENT,
                agent=agent,
                value=(taken_at - at).total_seconds(),
                payload={"escalation_id": escalation.id},
            )
        if p.handed_back is not None and p.taken is not None:
            self.event(
                p.handed_back,
                EventName.CONVERSATION_HANDED_BACK,
                p.id,
                conversation_id=p.id,
                actor=Actor.AGENT,
                agent=p.taken[1],
                value=(p.handed_back - at).total_seconds(),
            )

    def _case(self, p: PlannedConversation) -> LogisticsCase:
        assert p.case is not None
        assert p.order is not None
        c, o = p.case, p.order
        order = self.orders_by_no[o.order_no]
        shipment = order.shipments[-1] if order.shipments else None
        kind = CaseKind(c.kind)
        hours = 24 if kind in (CaseKind.DELAYED, CaseKind.LOST) else 12
        case = LogisticsCase(
            order=order,
            kind=kind,
            status=CaseStatus.RESOLVED if c.resolved_at else CaseStatus.OPEN,
            carrier=o.carrier,
            tracking_no=shipment.tracking_no if shipment else None,
            conversation_id=p.id,
            detail=c.detail,
            remedies=CASE_REMEDIES[c.kind],
            opened_at=c.opened_at,
            reply_by=c.opened_at + timedelta(hours=hours),
            resolved_at=c.resolved_at,
        )
        self.session.add(case)
        return case

    def _case_events(self, p: PlannedConversation, case: LogisticsCase) -> None:
        assert p.case is not None
        assert p.order is not None
        c, o = p.case, p.order
        dims = {
            "order_no": o.order_no,
            "carrier": o.carrier,
            "cause": case.kind,
            "conversation_id": p.id,
            "region": o.province,
            "product_id": o.item.code,
            "sku": o.sku,
        }
        self.event(
            c.opened_at, EventName.CASE_OPENED, case.id, payload={"remedies": case.remedies}, **dims
        )
        if c.resolved_at is not None:
            actor = Actor.CARRIER if c.resolved_by is None else Actor.AGENT
            self.event(
                c.resolved_at,
                EventName.CASE_RESOLVED,
                case.id,
                actor=actor,
                agent=c.resolved_by,
                value=(c.resolved_at - c.opened_at).total_seconds(),
                **dims,
            )

    # --- events, in time order, with the recurring consumer running as it would have ------------

    def replay(self, end: datetime) -> int:
        """Record the collected events in time order; the recurring consumer reads them every
        CONSUME_EVERY of simulated time, and queue items are looked after as people would.
        Returns the number of events recorded."""
        pending = sorted(self.pending, key=lambda p: (p[0], p[1]))
        count = len(pending)
        chores: list[tuple[datetime, int, int, str]] = []  # at, seq, item id, action
        tick = pending[0][0] + CONSUME_EVERY if pending else end
        index = 0
        while index < len(pending) or tick <= end + CONSUME_EVERY:
            while index < len(pending) and pending[index][0] <= tick:
                pending[index][2]()
                index += 1
            while chores and chores[0][0] <= tick:
                at, _seq, item_id, action = heapq.heappop(chores)
                if at <= end:
                    self._chore(item_id, action, at)
            self.session.flush()
            now = min(tick, end)
            while True:
                done = recurring.consume(self.session, now=now)
                self.items_opened += len(done.opened)
                for item_id in done.opened:
                    self._plan_chores(item_id, now, chores)
                if not done.more:
                    break
            if tick > end:
                break
            tick += CONSUME_EVERY
        self.session.flush()
        return count

    def _plan_chores(self, item_id: int, opened: datetime, chores: list[Any]) -> None:
        rng = self.rng
        item = self.session.get(RecurringIssue, item_id)
        assert item is not None
        ack = opened + timedelta(hours=rng.uniform(1, 20))
        assign = ack + timedelta(hours=rng.uniform(1, 30))
        close = assign + timedelta(days=rng.uniform(2, 10))
        for episode in self.planner.shape.quality:  # the bad batch's item: closed once fixed
            if item.product_id == episode.product and item.cause == episode.sub_cause:
                close = max(close, episode.fixed + timedelta(days=rng.uniform(1, 4)))
        for at, action in ((ack, "acknowledge"), (assign, "assign"), (close, "close")):
            heapq.heappush(chores, (at, len(chores) + item_id * 10, item_id, action))

    def _chore(self, item_id: int, action: str, at: datetime) -> None:
        item = self.session.get(RecurringIssue, item_id)
        if item is None:
            return
        if action == "acknowledge" and item.state.value == "open":
            recurring.acknowledge(self.session, item_id, ADMIN, at)
        elif action == "assign" and item.state.value in ("open", "acknowledged"):
            recurring.assign(self.session, item_id, TEAMS[item.queue], ADMIN, at)
        elif action == "close" and item.state.value != "closed":
            note = "问题批次已下架，新批次到货" if item.queue == Queue.PRODUCT else "已跟进处理"
            recurring.close(self.session, item_id, ADMIN, at, note)

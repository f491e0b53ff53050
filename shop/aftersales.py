"""After-sales rules on a verified order: cancel, 7-day return, refund status, warranty.

Each rule returns the facts it decided; `words` says them to the shopper.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from core.clock import add_working_days, days_until, months_after, to_shop_time
from core.events import Actor, Event, EventName, record_event
from core.text import clause_parts
from shop.models import (
    AfterSale,
    AfterSaleKind,
    AfterSaleStatus,
    Order,
    OrderStatus,
    Product,
)
from shop.problem_policy import load_problem_policy
from shop.problems import is_fresh
from shop.product_names import named_among
from shop.refund_policy import load_refund_policy
from shop.regions import province

PENDING_RETURN = (
    AfterSaleStatus.REQUESTED,
    AfterSaleStatus.AWAITING_RETURN,
    AfterSaleStatus.RETURN_RECEIVED,
    AfterSaleStatus.REFUNDING,
)
CANCEL_REASON = "买家取消订单（未发货）"  # stored on the refund record, seen by agents
QUALITY_REASON = "质量问题："  # before the shopper's words on a quality return, seen by agents
EXCHANGE_REASON = (
    "（想换成："  # before the colour or size the shopper wants instead, seen by agents
)
NOT_REFUNDS = (AfterSaleKind.REPAIR, AfterSaleKind.RESEND)  # after-sales that return no money


@dataclass(frozen=True)
class RefundArrival:
    """How soon a refund reaches the shopper once issued, by payment method
    (shop/refund_policy.yaml); `method` None: one the policy does not list (its default)."""

    method: str | None
    working_days: tuple[int, int]


@dataclass(frozen=True)
class MoneyBack:
    """Where an order's money goes if it is refunded in full, and how soon: its amount, back
    the way it was paid."""

    amount: Decimal
    channel: str
    arrival: RefundArrival


@dataclass(frozen=True)
class RefundArrivals:
    """Every payment method's refund time, as FAQ answers quote it."""

    arrivals: tuple[RefundArrival, ...]


@dataclass(frozen=True)
class RefundTimes:
    """The whole refund-time policy, as the FAQ answer `refund_time` quotes it."""

    issue_within_working_days: int  # after the warehouse receives a return
    arrivals: RefundArrivals


@dataclass(frozen=True)
class OrderCancelled:
    order_no: str
    amount: Decimal
    refund_channel: str
    arrival: RefundArrival


@dataclass(frozen=True)
class CancelToConfirm:
    """An order that can be cancelled: what cancelling it will do, for the shopper's yes."""

    order_no: str
    product_names: tuple[str, ...]
    amount: Decimal
    refund_channel: str
    arrival: RefundArrival


class CancelRefusal(StrEnum):
    ALREADY_CANCELLED = "already_cancelled"
    SHIPPED = "shipped"  # on its way: refuse it at the door, or return it once signed
    DELIVERED = "delivered"  # signed for: its return window (fresh food: the bad pieces' rule)


@dataclass(frozen=True)
class CancelRefused:
    order_no: str
    reason: CancelRefusal
    window: "ReturnWindow | None" = None  # DELIVERED: what can still be done about it


class ReturnRule(StrEnum):
    """Which part of the 7-day no-reason rule (or of the quality-return rule) decided."""

    NOT_RECEIVED = "not_received"
    CATEGORY_EXCLUDED = "category_excluded"  # e.g. fresh food: quality problems only
    EXPIRED = "expired"
    WITHIN_WINDOW = "within_window"
    QUALITY_WINDOW = "quality_window"  # a quality problem, within shop/problem_policy.yaml's days
    QUALITY_EXPIRED = "quality_expired"
    QUALITY_ANY_TIME = "quality_any_time"  # the categories' own rule: no days count (图书缺页)
    FRESH_FOOD = "fresh_food"  # fresh food gone bad: its own policy (bad pieces, within hours)
    FRESH_FOOD_EXPIRED = "fresh_food_expired"  # reported later than that: a person decides


@dataclass(frozen=True)
class CategoryRule:
    """A category of the order and its own after-sales rule as the catalogue writes it (what a
    no-reason return needs: 未拆封, 吊牌完好, 安装后不支持…), said before a return is offered."""

    category: str
    note: str


@dataclass(frozen=True)
class ReturnWindow:
    allowed: bool
    rule: ReturnRule
    received_on: datetime | None = None
    deadline: datetime | None = None
    days_left: int | None = None
    category: str | None = None  # the excluded category's name and its note
    category_note: str | None = None
    return_shipping_paid: bool = False  # a quality return: the shop pays the shipping
    # past the no-reason window (EXPIRED): the quality window's last day, whether it is still
    # open, and each product's own warranty (what remains once both have closed)
    quality_deadline: datetime | None = None
    quality_open: bool = False
    warranties: tuple["Warranty", ...] = ()
    quality_any_time: bool = False  # past it, of a category taking quality problems any time
    # within the window: each category's own rule of what may go back (its exclusions)
    rules: tuple[CategoryRule, ...] = ()
    shipped: bool = False  # not received yet: on its way (else not shipped, so it can be cancelled)


@dataclass(frozen=True)
class ReturnRequested:
    """A return request was opened inside the window."""

    order_no: str
    window: ReturnWindow
    exchange_for: str | None = None  # the colour or size wanted instead, written on the request


@dataclass(frozen=True)
class ReturnToConfirm:
    """A return the window allows: what requesting it will do, for the shopper's yes."""

    order_no: str
    product_names: tuple[str, ...]
    amount: Decimal
    window: ReturnWindow


@dataclass(frozen=True)
class ReturnToSend:
    """An approved return waiting for the shopper's parcel: where it goes, by when, and who
    pays the shipping (the shop for a quality problem). The waybill number is entered on the
    order's after-sale page."""

    receiver: str
    phone: str
    address: str
    send_by: datetime
    shop_pays_shipping: bool


@dataclass(frozen=True)
class ReturnAlreadyPending:
    """The order's return is already being handled; once approved, how to send it back."""

    order_no: str
    status: AfterSaleStatus
    to_send: ReturnToSend | None = None


@dataclass(frozen=True)
class RefundStatus:
    """Where the shopper's money is; `status` None when no refund was ever asked for.

    `arrival` is how soon the money arrives once issued, `issue_within_working_days` how soon
    it is issued after the warehouse receives the return, and `should_have_arrived` whether
    the longest time has passed since it was refunded (the shopper should check, or ask)."""

    order_no: str
    status: AfterSaleStatus | None
    amount: Decimal | None = None
    channel: str | None = None
    refunded_at: datetime | None = None
    arrival: RefundArrival | None = None
    issue_within_working_days: int | None = None
    should_have_arrived: bool = False
    to_send: ReturnToSend | None = None  # an approved return waiting for the shopper's parcel
    # The order was cancelled: its refund is the cancellation's (when, if the record says).
    cancelled: bool = False
    cancelled_at: datetime | None = None
    # The last day the money should take once refunded: later, the shopper asks us to look.
    due_by: datetime | None = None


class WarrantyRemedy(StrEnum):
    """What the warranty does about a fault: repair it, or (a product whose own rule says
    只换不修) swap it for a new one."""

    REPAIR = "repair"
    EXCHANGE = "exchange"


WARRANTY_FACT = "保修"  # the catalogue attribute that states a product's own warranty rule
EXCHANGE_ONLY = re.compile(r"[只仅]换不修|不(提供|支持)?维修")  # 质量问题只换不修


class WarrantyRule(StrEnum):
    NOT_RECEIVED = "not_received"
    NO_WARRANTY = "no_warranty"
    EXPIRED = "expired"
    COVERED = "covered"


@dataclass(frozen=True)
class Warranty:
    """The warranty of one product of the order: its own period (or its category's), until
    the same calendar day `months` later (the whole of that day is covered)."""

    covered: bool
    rule: WarrantyRule
    product_name: str
    months: int
    until: datetime | None = None
    remedy: WarrantyRemedy = WarrantyRemedy.REPAIR


@dataclass(frozen=True)
class WhichItemToRepair:
    """The order holds several products and the shopper named none: ask which one."""

    order_no: str
    product_codes: tuple[str, ...]
    product_names: tuple[str, ...]


def delivered_at(order: Order) -> datetime | None:
    shipment = order.latest_shipment
    return shipment.delivered_at if shipment else None


def product_names(order: Order) -> tuple[str, ...]:
    return tuple(item.variant.product.name for item in order.items)


def refund_arrival(method: str | None) -> RefundArrival:
    """How soon a refund paid back to `method` arrives once issued."""
    listed, days = load_refund_policy().arrival(method)
    return RefundArrival(listed, days)


def money_back(order: Order) -> MoneyBack:
    """The order's whole amount, back the way it was paid, with that way's arrival time."""
    return MoneyBack(order.total_amount, order.payment_method, refund_arrival(order.payment_method))


def refund_arrivals() -> RefundArrivals:
    """Every payment method's refund time."""
    return RefundArrivals(tuple(refund_arrival(m) for m in load_refund_policy().methods))


def refund_times() -> RefundTimes:
    """Every payment method's refund time, and how soon a refund is issued."""
    return RefundTimes(load_refund_policy().issue_within_working_days, refund_arrivals())


def cancel_check(order: Order, now: datetime) -> CancelToConfirm | CancelRefused:
    """Whether the order can be cancelled, and what cancelling it will do (nothing changes);
    one signed for cannot, and its return window says what can be done instead."""
    if order.status == OrderStatus.CANCELLED:
        return CancelRefused(order.order_no, CancelRefusal.ALREADY_CANCELLED)
    if order.status == OrderStatus.DELIVERED:
        window = return_window(order, now)
        return CancelRefused(order.order_no, CancelRefusal.DELIVERED, window)
    if order.status != OrderStatus.AWAITING_SHIPMENT:
        return CancelRefused(order.order_no, CancelRefusal.SHIPPED)
    return CancelToConfirm(
        order.order_no,
        product_names(order),
        order.total_amount,
        order.payment_method,
        refund_arrival(order.payment_method),
    )


REASON_LENGTH = 200  # AfterSale.reason


def add_after_sale(
    session: Session,
    order: Order,
    kind: AfterSaleKind,
    status: AfterSaleStatus,
    reason: str,
    amount: Decimal,
    now: datetime,
) -> AfterSale:
    """A new after-sale on the order (cancel, return, fresh-food claim), refunded the way the
    order was paid, its reason cut to the column's length; flushed, so it has its id."""
    after_sale = AfterSale(
        kind=kind,
        status=status,
        reason=reason[:REASON_LENGTH],
        amount=amount,
        refund_channel=order.payment_method,
        created_at=now,
        updated_at=now,
    )
    order.after_sales.append(after_sale)
    session.flush()
    return after_sale


def cancel(
    session: Session,
    order: Order,
    now: datetime,
    actor: Actor = Actor.SHOPPER,
    conversation_id: str | None = None,
) -> OrderCancelled | CancelRefused:
    """Cancel an unshipped order and refund it in full (once the shopper confirmed
    `cancel_check`'s answer); a shipped one cannot be cancelled."""
    if isinstance(checked := cancel_check(order, now), CancelRefused):
        return checked
    order.status = OrderStatus.CANCELLED
    add_after_sale(
        session,
        order,
        AfterSaleKind.REFUND_ONLY,
        AfterSaleStatus.REFUNDING,
        CANCEL_REASON,
        order.total_amount,
        now,
    )
    record_event(
        session,
        EventName.ORDER_CANCELLED,
        order.order_no,
        order_no=order.order_no,
        actor=actor,
        conversation_id=conversation_id,
        region=province(order.shipping_address),
        value=order.total_amount,
        occurred_at=now,
    )
    return OrderCancelled(
        order.order_no,
        order.total_amount,
        order.payment_method,
        refund_arrival(order.payment_method),
    )


def return_window(order: Order, now: datetime, quality: bool = False) -> ReturnWindow:
    """The 7-day no-reason rule, from the signed-for date and the category's own window; for
    a quality problem (`quality`), the quality-return rule of shop/problem_policy.yaml, or for
    an order of fresh food alone, the fresh-food rule (no return: the bad pieces' remedy)."""
    received = delivered_at(order)
    if received is None:
        shipped = order.status == OrderStatus.SHIPPED
        return ReturnWindow(False, ReturnRule.NOT_RECEIVED, shipped=shipped)
    if quality and all(is_fresh(item.variant.product) for item in order.items):
        # never a whole return: the bad pieces are refunded in proportion or sent again when
        # reported this soon (shop.fresh_food), so a quality return is not what is offered
        hours = load_problem_policy().fresh_food.report_within_hours
        deadline = received + timedelta(hours=hours)
        late = now > deadline
        fresh = ReturnRule.FRESH_FOOD_EXPIRED if late else ReturnRule.FRESH_FOOD
        return ReturnWindow(False, fresh, received, deadline)
    if quality:
        rule = load_problem_policy().quality
        if _any_time(order, rule.any_time_categories):
            return ReturnWindow(
                True,
                ReturnRule.QUALITY_ANY_TIME,
                received,
                rules=category_rules(order),
                return_shipping_paid=rule.shop_pays_return_shipping,
            )
        deadline = received + timedelta(days=rule.return_within_days)
        if now > deadline:
            return ReturnWindow(False, ReturnRule.QUALITY_EXPIRED, received, deadline)
        days_left = days_until(deadline, now)
        return ReturnWindow(
            True,
            ReturnRule.QUALITY_WINDOW,
            received,
            deadline,
            days_left,
            return_shipping_paid=rule.shop_pays_return_shipping,
        )
    categories = {item.variant.product.category for item in order.items}
    shortest = min(categories, key=lambda c: c.return_days)
    if shortest.return_days == 0:
        return ReturnWindow(
            False,
            ReturnRule.CATEGORY_EXCLUDED,
            received_on=received,
            category=shortest.name,
            category_note=shortest.note,
        )
    deadline = received + timedelta(days=shortest.return_days)
    if now > deadline:
        return _past_no_reason_window(order, received, deadline, now)
    days_left = days_until(deadline, now)
    return ReturnWindow(
        True, ReturnRule.WITHIN_WINDOW, received, deadline, days_left, rules=category_rules(order)
    )


def _any_time(order: Order, categories: list[str]) -> bool:
    """Whether every item of the order is of a category that takes quality problems back at
    any time."""
    return all(item.variant.product.category.code in categories for item in order.items)


def category_rules(order: Order) -> tuple[CategoryRule, ...]:
    """Each of the order's categories with its own written rule, in the order's own order."""
    categories = {
        item.variant.product.category.code: item.variant.product.category for item in order.items
    }
    return tuple(
        CategoryRule(c.name, c.note.strip())
        for c in categories.values()
        if c.note and c.note.strip()
    )


def _past_no_reason_window(
    order: Order, received: datetime, deadline: datetime, now: datetime
) -> ReturnWindow:
    """The no-reason window closed: what remains is a quality return while its own window is
    open, else each product's warranty (repair), or nothing once that has passed too."""
    quality = load_problem_policy().quality
    quality_deadline = received + timedelta(days=quality.return_within_days)
    if _any_time(order, quality.any_time_categories):  # 图书缺页: taken back at any time
        return ReturnWindow(
            False,
            ReturnRule.EXPIRED,
            received,
            deadline,
            rules=category_rules(order),
            quality_any_time=True,
        )
    quality_open = now <= quality_deadline
    warranties = (
        () if quality_open else tuple(warranty(order, p, now) for p in order_products(order))
    )
    return ReturnWindow(
        False,
        ReturnRule.EXPIRED,
        received,
        deadline,
        quality_deadline=quality_deadline,
        quality_open=quality_open,
        warranties=warranties,
    )


def pending_return(order: Order) -> AfterSale | None:
    """The order's return request that is still being handled, if any."""
    return next(
        (
            a
            for a in order.after_sales
            if a.kind == AfterSaleKind.RETURN_REFUND and a.status in PENDING_RETURN
        ),
        None,
    )


def return_to_send(order: Order) -> ReturnToSend | None:
    """How to send back the order's approved return (None when none waits for the parcel)."""
    approved = next(
        (
            a
            for a in reversed(order.after_sales)
            if a.kind == AfterSaleKind.RETURN_REFUND and a.status == AfterSaleStatus.AWAITING_RETURN
        ),
        None,
    )
    if approved is None:
        return None
    policy = load_refund_policy()
    return ReturnToSend(
        receiver=policy.return_to.receiver,
        phone=policy.return_to.phone,
        address=policy.return_to.address,
        send_by=approved.updated_at + timedelta(days=policy.send_within_days),
        shop_pays_shipping=approved.reason.startswith(QUALITY_REASON),
    )


def return_check(
    order: Order, now: datetime, quality: bool = False
) -> ReturnToConfirm | ReturnAlreadyPending | ReturnWindow:
    """Whether a return can be requested (for a quality problem: `quality`): the request to
    confirm, the pending one, or the window that refuses it (nothing changes)."""
    if (pending := pending_return(order)) is not None:
        return ReturnAlreadyPending(order.order_no, pending.status, return_to_send(order))
    window = return_window(order, now, quality)
    if not window.allowed:
        return window
    return ReturnToConfirm(order.order_no, product_names(order), order.total_amount, window)


def request_return(
    session: Session,
    order: Order,
    now: datetime,
    reason: str,
    conversation_id: str | None = None,
    quality: bool = False,
    exchange_for: str | None = None,
) -> ReturnRequested | ReturnAlreadyPending | ReturnWindow:
    """Open a return request (once the shopper confirmed `return_check`'s answer) when none
    is pending and the window allows it; else the pending one or the window that refused it.
    A quality problem (`quality`) is marked so in the reason and the event; the colour or size
    wanted instead (`exchange_for`) is written in the reason.
    """
    checked = return_check(order, now, quality)
    if not isinstance(checked, ReturnToConfirm):
        return checked
    request = add_after_sale(
        session,
        order,
        AfterSaleKind.RETURN_REFUND,
        AfterSaleStatus.REQUESTED,
        _reason(reason, quality, exchange_for),
        order.total_amount,
        now,
    )
    record_event(
        session,
        EventName.AFTER_SALE_OPENED,
        order.order_no,
        order_no=order.order_no,
        cause=request.kind,
        conversation_id=conversation_id,
        region=province(order.shipping_address),
        value=request.amount,
        payload={"reason": request.reason} | ({"problem": "quality_defect"} if quality else {}),
        occurred_at=now,
    )
    return ReturnRequested(order.order_no, checked.window, exchange_for)


def _reason(words: str, quality: bool, exchange_for: str | None) -> str:
    """The request's reason as stored: the quality mark, the wish to exchange, the words."""
    wish = f"{EXCHANGE_REASON}{exchange_for}）" if exchange_for else ""
    return f"{QUALITY_REASON if quality else ''}{wish}{words}"[:REASON_LENGTH]


def refund_status(order: Order, now: datetime) -> RefundStatus:
    """The latest refund (or return) on the order, where its money is and when it arrives.

    A cancelled order is a refund too: cancelling refunds it in full the way it was paid, at
    once (the FAQ's words). When the cancellation left no refund record of its own (the shop or
    the platform cancelled it), the order's own record says it: its total, its payment method,
    the day it was cancelled."""
    refunds = [a for a in order.after_sales if a.kind not in NOT_REFUNDS]
    cancelled = order.status == OrderStatus.CANCELLED
    if not refunds:
        if cancelled:
            return _cancellation_refund(order, now)
        return RefundStatus(order.order_no, None)
    latest = refunds[-1]
    channel = latest.refund_channel or order.payment_method
    arrival = refund_arrival(channel)
    due = latest.refunded_at and add_working_days(latest.refunded_at, arrival.working_days[1])
    return RefundStatus(
        order.order_no,
        latest.status,
        latest.amount,
        latest.refund_channel,
        latest.refunded_at,
        arrival,
        load_refund_policy().issue_within_working_days,
        bool(due and now > due),
        return_to_send(order) if latest.status == AfterSaleStatus.AWAITING_RETURN else None,
        cancelled=cancelled,
        cancelled_at=cancelled_on(order) if cancelled else None,
        due_by=due or None,
    )


def _cancellation_refund(order: Order, now: datetime) -> RefundStatus:
    """The full refund of an order cancelled without a refund record: issued when it was
    cancelled, to the way it was paid."""
    when = cancelled_on(order)
    arrival = refund_arrival(order.payment_method)
    due = when and add_working_days(when, arrival.working_days[1])
    return RefundStatus(
        order.order_no,
        AfterSaleStatus.REFUNDED,
        order.total_amount,
        order.payment_method,
        when,
        arrival,
        load_refund_policy().issue_within_working_days,
        bool(due and now > due),
        cancelled=True,
        cancelled_at=when,
        due_by=due or None,
    )


def cancelled_on(order: Order) -> datetime | None:
    """When the order was cancelled, as its `order.cancelled` event records it (None when no
    event says)."""
    session = object_session(order)
    if session is None:
        return None
    when: datetime | None = session.scalar(
        select(Event.occurred_at)
        .where(Event.name == EventName.ORDER_CANCELLED, Event.subject_id == order.order_no)
        .order_by(Event.occurred_at.desc())
        .limit(1)
    )
    return when


def order_products(order: Order) -> list[Product]:
    """The order's distinct products, in the order's own order."""
    return list({item.variant.product.id: item.variant.product for item in order.items}.values())


def holds(order: Order | None, product: Product) -> bool:
    """Whether the order holds the product."""
    return order is not None and any(i.variant.product.id == product.id for i in order.items)


@dataclass(frozen=True)
class PartCancelAsked:
    """A cancel of some of the order's goods (只取消洗脸巾 四件套留着): an order is cancelled
    whole or not at all, so what a whole cancel would also take, and the way to keep it."""

    order_no: str
    named: str  # the goods asked to be cancelled
    kept: tuple[str, ...]  # the order's other goods, which a whole cancel would take too


# Words that cancel a part of an order, not all of it (只取消, 单独取消, 其中一件, 留着).
PART_CANCEL = re.compile(
    r"只取消|单独取消|单取消|只要取消|其中一|留着|保留|还要(?:的|呢|吧|啊|$)|还是要|不取消整单|别取消整单|只退"
)
_CANCEL_CLAUSE = re.compile(r"取消|不要|不想要")


def part_cancel_asked(order: Order, words: str) -> PartCancelAsked | None:
    """The part of the order the words cancel, when they cancel one of its goods and not the
    rest (只取消洗脸巾 四件套留着); None for the whole order or an order of one product."""
    products = order_products(order)
    if len(products) < 2 or not PART_CANCEL.search(words):
        return None
    cancelling = [c for c in clause_parts(words) if _CANCEL_CLAUSE.search(c)]
    named = next((p for c in cancelling if (p := named_among(products, c)) is not None), None)
    if named is None:
        return None
    kept = tuple(p.name for p in products if p is not named)
    return PartCancelAsked(order.order_no, named.name, kept)


# Goods named only to say which order (手环充不进电了 跟充电头一起那单): not the ones meant.
BOUGHT_WITH = re.compile(
    r"(?:跟|和|与|同)[^，,。\s]{1,12}?一起(?:买的?|下单的?|拍的?)?(?:那单|那个订单|那一单|的)?"
)


def repair_item(order: Order, words: str) -> Product | WhichItemToRepair:
    """The product of the order a repair is about: the only one, or the one the shopper's
    words name (its code, a keyword or its name; the longest match wins); else which to ask."""
    products = order_products(order)
    if len(products) == 1:
        return products[0]
    named = named_among(products, BOUGHT_WITH.sub(" ", words))
    if named is not None:
        return named
    return WhichItemToRepair(
        order.order_no, tuple(p.code for p in products), tuple(p.name for p in products)
    )


def warranty(order: Order, product: Product, now: datetime) -> Warranty:
    """Whether `product` of the order is still under its own warranty (or its category's),
    counted in calendar months from the day the order was signed for."""
    received = delivered_at(order)
    months = product.effective_warranty_months
    remedy = warranty_remedy(product)
    if received is None:
        return Warranty(False, WarrantyRule.NOT_RECEIVED, product.name, months, remedy=remedy)
    if months <= 0:
        return Warranty(False, WarrantyRule.NO_WARRANTY, product.name, months, remedy=remedy)
    until = months_after(received, months)  # calendar months, as the shopper counts
    if to_shop_time(now).date() > until.date():  # the last day itself is still covered
        return Warranty(False, WarrantyRule.EXPIRED, product.name, months, until, remedy)
    return Warranty(True, WarrantyRule.COVERED, product.name, months, until, remedy)


def warranty_remedy(product: Product) -> WarrantyRemedy:
    """What the product's warranty does about a fault, by its own stated rule (its 保修 fact:
    质量问题只换不修 is an exchange); a repair when its rule says nothing else."""
    stated = str((product.attributes or {}).get(WARRANTY_FACT) or "")
    return WarrantyRemedy.EXCHANGE if EXCHANGE_ONLY.search(stated) else WarrantyRemedy.REPAIR

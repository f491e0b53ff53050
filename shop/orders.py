"""Finding an order for a shopper who proves it is theirs (order number + phone tail)."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from limits import RateLimitItemPerHour
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from core.clock import utcnow
from core.database import forget, remembered
from core.events import Actor, Event, EventName, record_event
from core.rate_limits import hit, within
from core.spoken import spoken_digits
from core.text import normalise
from shop.models import Order, OrderItem, OrderStatus, Shipment, Variant

ORDER_NO_PATTERN = re.compile(r"(?<!\d)\d{12,19}(?!\d)")
PHONE_TAIL_PATTERN = re.compile(r"(?<!\d)\d{4}(?!\d)")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86)?(1[3-9]\d{9})(?!\d)")
_NEAR_MOBILE = re.compile(r"(?<!\d)1[3-9](?:\d{8}|\d{10})(?!\d)")
LONG_NUMBER = re.compile(r"\d{5,}")  # an order number, a waybill, a phone: never a count
# A mobile shown masked (186****9061, 138xxxx5678): the digits left visible at its end are the tail.
_MASKED_MOBILE = re.compile(r"(?<!\d)1[3-9]\d[*x×●•·]{4}(\d{4})(?!\d)")
# Digits inside a model name (S2725DS, RTX4060) are no tail.
_MODEL_NUMBER = re.compile(r"[a-z]+\d+[a-z\d]*|\d+[a-z]+[a-z\d]*")
_DASHED_NUMBER = re.compile(r"\d(?:[\d\-]*\d)?")
# "订单编号：3120001234567", "订单号 2611-1500-0123-4567", "order no. 3120001234567"
_ORDER_LABEL = re.compile(
    r"(?:订单编号|订单号码?|订单id|order\s*(?:no|id|number)\.?)[:：\s#]*([\d\s\-]{12,30})"
)
# A landline with its area code (0571-86886688): no order number, no tail.
LANDLINE = re.compile(r"(?<!\d)0\d{2,3}[-－—\s]\d{7,8}(?!\d)")
_OTHER_NUMBERS = (
    re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"),  # 2026-11-30
    re.compile(r"\d{1,2}\s*:\s*\d{2}(?:\s*:\s*\d{2})?"),  # 10:12:33
    # waybills, payment and trade numbers: 运单号 / 快递单号 / 物流单号 / 交易号 / 支付单号 / 流水号
    re.compile(r"(?:运单|快递单|物流单|物流编|交易|支付单?|流水|商户单)号?[:：\s]*[a-z]*[\d\s\-]+"),
    LANDLINE,
    # a quantity with its unit (3200瓦, 1099元, 2025年, 5000毫安): no phone tail
    re.compile(
        r"(?<!\d)\d{4}(?=\s*(?:千?瓦|元|块|毛|毫?米|厘米|毫安|毫升|克|斤|公斤|年|转|度|万|个|件|台|次|平))"
    ),
)


def normalise_order_no(text: str) -> str | None:
    """The order number in `text` (12-19 digits, spaces and dashes ignored), or None."""
    match = ORDER_NO_PATTERN.search(_compact(text))
    return match.group(0) if match else None


def check_phone(text: str) -> str | None:
    """An 11-digit mainland mobile number in `text` (full-width, spaces, dashes, +86 allowed)."""
    match = _MOBILE.search(_compact(text))
    return match.group(1) if match else None


def mistyped_phone_digits(text: str) -> int | None:
    """How many digits a mobile number one digit short or long has (10 or 12, starting 1[3-9]),
    when `text` holds no whole mobile number: the shopper gets a clear hint instead of a shrug."""
    if check_phone(text):
        return None
    match = _NEAR_MOBILE.search(_compact(text))
    return len(match.group(0)) if match else None


def read_order_no(text: str) -> str | None:
    """The order number in `text`, also in order details pasted from JD or Taobao
    ("订单编号：3120001234567 创建时间：2026-11-30 10:12:33 …"): a labelled number first, never a
    date, a time, a waybill or a payment number."""
    clean = _plain(text)
    if labelled := _ORDER_LABEL.search(clean):
        return _order_no_in(labelled.group(1))
    return _order_no_in(_without_other_numbers(clean))


def _order_no_in(text: str) -> str | None:
    """A number of 12-19 digits written whole or in dashed groups; else one in spaced groups
    ("2611 1500 0123 4567"), so that "6260181590830166 6384" is a number and a tail."""
    for run in _DASHED_NUMBER.finditer(text):
        if ORDER_NO_PATTERN.fullmatch(digits := run.group(0).replace("-", "")):
            return digits
    return normalise_order_no(text)


def read_phone_tail(text: str) -> str | None:
    """The phone tail in `text` (the visible end of a masked mobile: 186****9061 → 9061), not a
    piece of an order number, a date, a time or a model name (S2725DS) in it."""
    clean = _plain(text)
    if mobile := check_phone(clean):
        return mobile[-4:]
    if masked := _MASKED_MOBILE.search(clean):
        return masked.group(1)
    rest = ORDER_NO_PATTERN.sub(" ", _without_other_numbers(clean))
    rest = LONG_NUMBER.sub(" ", _MODEL_NUMBER.sub(" ", rest))
    match = PHONE_TAIL_PATTERN.search(rest)
    return match.group(0) if match else None


def _without_other_numbers(text: str) -> str:
    """`text` with its dates, times and labelled non-order numbers blanked out."""
    for pattern in _OTHER_NUMBERS:
        text = pattern.sub(" ", text)
    return text


def normalise_phone_tail(text: str) -> str | None:
    """The last four digits of a phone number given in `text`, or None.

    Accepts a bare tail (`5678`), a tail inside words (`尾号5678`) or a whole 11-digit mobile.
    """
    if mobile := check_phone(text):
        return mobile[-4:]
    match = PHONE_TAIL_PATTERN.search(_compact(text))
    return match.group(0) if match else None


def _compact(text: str) -> str:
    return re.sub(r"[\s\-]", "", _plain(text))


def _plain(text: str) -> str:
    """`text` normalised, its numbers said in words written in digits (幺二三七 → 1237)."""
    return spoken_digits(normalise(text))


def load_order(session: Session, order_no: str) -> Order | None:
    """The order with its items, shipments and after-sales loaded (no ownership check). Read
    once per unit of work: reading it again would return the same object from the session."""
    key = ("order", order_no)
    order = remembered(session, key, lambda: _read_order(session, order_no))
    if order is not None and order in session:
        return order
    # not kept: a miss (an order added later in this unit of work is found), or an order the
    # session let go of (expunged)
    forget(session, key)
    return None if order is None else _read_order(session, order_no)


def _read_order(session: Session, order_no: str) -> Order | None:
    return session.scalar(
        select(Order)
        .where(Order.order_no == order_no)
        .options(
            # an item's variant and product joined: one query instead of three
            selectinload(Order.items).joinedload(OrderItem.variant).joinedload(Variant.product),
            selectinload(Order.shipments).selectinload(Shipment.events),
            selectinload(Order.after_sales),
        )
    )


def order_status(session: Session, order_no: str) -> OrderStatus | None:
    """Just the order's status, for decisions that need nothing else."""
    return session.scalar(select(Order.status).where(Order.order_no == order_no))


# A phone tail has 10,000 values: wrong ones are counted per order, across conversations and
# workers (in the events table), and this many within the window stop the order from being
# verified in chat until the window has passed (the shopper is offered a person).
VERIFY_MISSES = 5
VERIFY_WINDOW = timedelta(hours=1)
# One client (the shopper's device, as the gateway names it) guessing the tails of many orders:
# its wrong tails are counted across orders and conversations in the shared limiter (Redis when
# several action servers run), and this many within an hour stop it verifying any order in chat.
CLIENT_VERIFY_MISSES = RateLimitItemPerHour(10)


class Verification(StrEnum):
    VERIFIED = "verified"
    MISMATCH = "mismatch"  # the tail does not match (or no such order: the same answer)
    LOCKED = "locked"  # too many wrong tails lately: not checked at all


class LockScope(StrEnum):
    """What too many wrong tails locked: one order, or one client for every order."""

    ORDER = "order"
    CLIENT = "client"


@dataclass(frozen=True)
class VerificationResult:
    outcome: Verification
    order: Order | None = None  # when verified


def _recent_misses(session: Session, order_no: str, now: datetime) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Event)
            .where(
                Event.name == EventName.ORDER_VERIFICATION_FAILED,
                Event.order_no == order_no,
                Event.occurred_at > now - VERIFY_WINDOW,
            )
        )
        or 0
    )


def verify_order(
    session: Session,
    order_no: str,
    phone_tail: str,
    conversation_id: str | None = None,
    guess: bool = True,
    now: datetime | None = None,
    client: str | None = None,
) -> VerificationResult:
    """Whether `phone_tail` verifies the order. An order with VERIFY_MISSES wrong tails within
    VERIFY_WINDOW, or a client with CLIENT_VERIFY_MISSES, is not checked at all (locked),
    whoever asks. A wrong `guess` (a tail the shopper typed) counts for both; a wrong tail
    carried over from another order (guess=False) for the client only (naming one order
    number after another with a verified tail probes them too). The miss that reaches a limit
    locks, with an event."""
    now = now or utcnow()
    if _recent_misses(session, order_no, now) >= VERIFY_MISSES:
        return VerificationResult(Verification.LOCKED)
    if client is not None and not within(CLIENT_VERIFY_MISSES, "verify_miss", client):
        return VerificationResult(Verification.LOCKED)
    order = find_verified_order(session, order_no, phone_tail)
    if order is not None:
        return VerificationResult(Verification.VERIFIED, order)
    locked = None
    if guess:  # a carried-over tail is no guess at this order: it counts for the client only
        record_event(
            session,
            EventName.ORDER_VERIFICATION_FAILED,
            order_no,
            occurred_at=now,
            order_no=order_no,
            conversation_id=conversation_id,
            actor=Actor.SHOPPER,
        )
        session.flush()
        if _recent_misses(session, order_no, now) >= VERIFY_MISSES:
            locked = LockScope.ORDER
    if client is not None and (
        not hit(CLIENT_VERIFY_MISSES, "verify_miss", client)
        or not within(CLIENT_VERIFY_MISSES, "verify_miss", client)
    ):
        locked = locked or LockScope.CLIENT
    if locked is None:
        return VerificationResult(Verification.MISMATCH)
    record_event(
        session,
        EventName.ORDER_VERIFICATION_LOCKED,
        order_no,
        occurred_at=now,
        order_no=order_no,
        conversation_id=conversation_id,
        cause=locked,
    )
    return VerificationResult(Verification.LOCKED)


def find_verified_order(session: Session, order_no: str, phone_tail: str) -> Order | None:
    """The order when `phone_tail` matches its receiver's phone; None otherwise.

    A wrong pair and an unknown order number give the same answer, so nothing leaks.
    """
    order = session.scalar(select(Order).where(Order.order_no == order_no))
    if order is None or order.phone_tail != phone_tail:
        return None
    return order

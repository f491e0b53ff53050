"""Changing an order before it ships: the receiver's address, their phone, or the item's spec.

`read_change` finds what the shopper wants changed in their own words ("地址写错了 改成…",
"手机号换成138…", "帮我改成蓝色 L码"); `check_value` validates a new value; `apply_change` makes
the change on an unshipped order and records it as an event. Each returns facts; `words` says
them to the shopper.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.orm import Session

from core.events import Actor, EventName, record_event
from core.text import normalise
from shop.models import Order, OrderItem, OrderStatus, Variant
from shop.orders import check_phone
from shop.presale import matching_variants, named_variant_terms


class ChangeField(StrEnum):
    ADDRESS = "address"
    PHONE = "phone"
    SPEC = "spec"


FIELD_WORDS = {
    ChangeField.ADDRESS: ("地址", "收货地", "寄到", "送到", "发到", "小区", "门牌"),
    ChangeField.PHONE: ("电话", "手机号", "号码", "联系方式"),
    ChangeField.SPEC: ("色", "码", "规格", "型号", "款式", "size", "内存", "容量"),
}
# The new value follows words like these: 改成 / 换成 / 改为 / 更正为 / 应该是.
VALUE_MARKER = re.compile(
    r"(?:改成|改为|换成|换为|更改为|更正为|修改为|改到|应该是|正确的是|新的是)[:：\s]*"
)
ADDRESS_MARKS = re.compile(
    r"[省市区县旗镇乡村路街道巷弄号栋幢楼室单元院园苑里]|小区|大厦|广场|社区"
)
ORDER_ATTRIBUTE = {ChangeField.ADDRESS: "shipping_address", ChangeField.PHONE: "receiver_phone"}
# What shoppers put after the value: "换成XL吗", "改成蓝色吧～", "……可以吗?"
TRAILING_CHATTER = re.compile(r"(?:可以吗|行吗|好吗|[吗呢吧啊呀哈哦嘛])?[\s,，.。!！?？~～]*$")
MIN_ADDRESS_CHARS = 8
MAX_ADDRESS_CHARS = 120


@dataclass(frozen=True)
class ChangeRequest:
    """What the shopper wants changed (None where their words do not say)."""

    field: ChangeField | None
    value: str | None


class ValueProblem(StrEnum):
    INCOMPLETE_ADDRESS = "incomplete_address"
    INVALID_PHONE = "invalid_phone"
    SPEC_NOT_FOUND = "spec_not_found"
    SPEC_SOLD_OUT = "spec_sold_out"


@dataclass(frozen=True)
class ValueRejected:
    """A new value that cannot be used, and why (`variant` names a sold-out spec)."""

    problem: ValueProblem
    variant: str | None = None


@dataclass(frozen=True)
class CheckedValue:
    """A new value as it is stored and shown, or None and why it was rejected."""

    value: str | None
    rejected: ValueRejected | None = None


@dataclass(frozen=True)
class SpecOptions:
    """The other variants of one ordered product that are in stock."""

    product_name: str
    variants: tuple[str, ...]


@dataclass(frozen=True)
class ValueQuestion:
    """What to ask for the new value of `field` (the specs in stock, for a spec change)."""

    field: ChangeField
    options: tuple[SpecOptions, ...] = ()


@dataclass(frozen=True)
class PendingChange:
    """A change the shopper is asked to confirm: exactly what will happen."""

    order_no: str
    field: ChangeField
    value: str


@dataclass(frozen=True)
class ChangeRefused:
    """The order can no longer be changed here, because of where it is."""

    order_no: str
    status: OrderStatus


@dataclass(frozen=True)
class OrderChanged:
    order_no: str
    field: ChangeField
    before: str
    after: str
    product_name: str | None = None  # the item whose spec changed


def read_change(text: str) -> ChangeRequest:
    """The field and new value a message names, e.g. 地址改成北京市… → (address, 北京市…)."""
    clean = normalise(text)
    value = None
    if marker := VALUE_MARKER.search(clean):
        value = TRAILING_CHATTER.sub("", clean[marker.end() :]).strip() or None
    field = field_named(clean[: marker.start()] if marker else clean)
    if field is None and value:
        field = _field_by_shape(value) or field_named(value)
    if field is None:
        field = _field_by_shape(clean)
    return ChangeRequest(field, value)


def _field_by_shape(text: str) -> ChangeField | None:
    """An 11-digit mobile is a phone, a full address an address, whatever words surround it."""
    if check_phone(text):
        return ChangeField.PHONE
    if check_address(text):
        return ChangeField.ADDRESS
    return None


def looks_like_a_value(text: str) -> bool:
    """Whether a message is plainly a new phone number or address, whatever NLU made of it."""
    return _field_by_shape(text) is not None


def field_named(text: str) -> ChangeField | None:
    """Which field the words point at; address and phone words win over the looser spec words."""
    clean = normalise(text)
    for field in (ChangeField.ADDRESS, ChangeField.PHONE, ChangeField.SPEC):
        if any(word in clean for word in FIELD_WORDS[field]):
            return field
    return None


def check_address(text: str) -> str | None:
    """A plausible full delivery address (place words and a house number or building), or None."""
    address = re.sub(r"\s+", " ", normalise(text)).strip(" ，,。.")
    if not MIN_ADDRESS_CHARS <= len(address) <= MAX_ADDRESS_CHARS:
        return None
    if len(ADDRESS_MARKS.findall(address)) < 2 or not re.search(
        r"\d|[一二三四五六七八九十]号", address
    ):
        return None
    return address


def variant_named(order: Order, text: str) -> tuple[OrderItem, Variant] | None:
    """The order item and the other variant of its product that `text` names (colour, size)."""
    for item in order.items:
        product, current = item.variant.product, item.variant
        color, size = named_variant_terms(product, text)
        if not (color or size):
            continue
        # a half-named change ("换成L码") keeps what the shopper did not mention
        kept = matching_variants(product, color or current.color, size or current.size)
        for variant in (*kept, *matching_variants(product, color, size)):
            if variant.id != current.id:
                return item, variant
    return None


def check_value(field: ChangeField, text: str, order: Order | None) -> CheckedValue:
    """Check a new value: a full address, an 11-digit mobile, or a variant in stock (a spec
    needs the order)."""
    if field == ChangeField.SPEC:
        if order is None:
            return CheckedValue(None, ValueRejected(ValueProblem.SPEC_NOT_FOUND))
        return _check_spec(order, text)
    if field == ChangeField.ADDRESS:
        address = check_address(text)
        rejection = ValueRejected(ValueProblem.INCOMPLETE_ADDRESS)
        return CheckedValue(address, None if address else rejection)
    phone = check_phone(text)
    return CheckedValue(phone, None if phone else ValueRejected(ValueProblem.INVALID_PHONE))


def _check_spec(order: Order, text: str) -> CheckedValue:
    named = variant_named(order, text)
    if named is None:
        return CheckedValue(None, ValueRejected(ValueProblem.SPEC_NOT_FOUND))
    item, variant = named
    if variant.stock < item.quantity:
        return CheckedValue(None, ValueRejected(ValueProblem.SPEC_SOLD_OUT, variant.label))
    return CheckedValue(variant.label)


MAX_OPTIONS_SHOWN = 8


def value_question(field: ChangeField, order: Order) -> ValueQuestion:
    """The question for the new value, with what is possible (the variants in stock)."""
    if field != ChangeField.SPEC:
        return ValueQuestion(field)
    options = []
    for item in order.items:
        labels = tuple(
            v.label
            for v in item.variant.product.variants
            if v.id != item.variant_id and v.stock >= item.quantity
        )
        if labels:
            options.append(SpecOptions(item.variant.product.name, labels[:MAX_OPTIONS_SHOWN]))
    return ValueQuestion(field, tuple(options))


CHANGEABLE_STATUS = OrderStatus.AWAITING_SHIPMENT  # an order changes only before it ships


def change_refusal(order: Order) -> ChangeRefused | None:
    """Why the order can no longer be changed here (shipped, delivered, cancelled), or None."""
    if order.status == CHANGEABLE_STATUS:
        return None
    return ChangeRefused(order.order_no, order.status)


def apply_change(
    session: Session,
    order: Order,
    field: ChangeField,
    value: str,
    now: datetime,
    conversation_id: str | None = None,
) -> OrderChanged | ChangeRefused | ValueRejected:
    """Make a checked change on an unshipped order; stock moves with a spec change."""
    if (refused := change_refusal(order)) is not None:
        return refused
    checked = check_value(field, value, order)
    if checked.value is None:  # e.g. sold out since the shopper said yes
        return checked.rejected or ValueRejected(ValueProblem.SPEC_NOT_FOUND)
    after = checked.value
    product_name = None
    if field == ChangeField.SPEC:
        named = variant_named(order, value)
        assert named is not None  # check_value just named it
        item, variant = named
        before = item.variant.label
        item.variant.stock += item.quantity
        variant.stock -= item.quantity
        item.variant = variant
        product_name = variant.product.name
    else:
        attribute = ORDER_ATTRIBUTE[field]
        before = getattr(order, attribute)
        setattr(order, attribute, after)
    session.flush()
    record_event(
        session,
        EventName.ORDER_MODIFIED,
        order.order_no,
        order_no=order.order_no,
        actor=Actor.SHOPPER,
        cause=field,
        conversation_id=conversation_id,
        payload={"before": before, "after": after},
        occurred_at=now,
    )
    return OrderChanged(order.order_no, field, before, after, product_name)

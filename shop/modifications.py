"""Changing an order before it ships: the receiver's address, their phone, or the item's spec.

`read_change` finds what the shopper wants changed in their own words ("地址写错了 改成…",
"手机号换成138…", "帮我改成蓝色 L码"); `check_*` validate a new value; `apply_change` makes
the change on an unshipped order and records it as an event.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.orm import Session

from core.events import record_event
from core.text import normalise
from shop.models import Order, OrderItem, OrderStatus, Variant


class ChangeField(StrEnum):
    ADDRESS = "address"
    PHONE = "phone"
    SPEC = "spec"


FIELD_NAMES = {
    ChangeField.ADDRESS: "收货地址",
    ChangeField.PHONE: "收货手机号",
    ChangeField.SPEC: "颜色/尺码",
}
FIELD_WORDS = {
    ChangeField.ADDRESS: ("地址", "收货地", "寄到", "送到", "发到", "小区", "门牌"),
    ChangeField.PHONE: ("电话", "手机号", "手机号码", "号码", "联系方式"),
    ChangeField.SPEC: ("颜色", "色", "尺码", "码", "规格", "型号", "款", "size", "内存", "容量"),
}
# The new value follows words like these: 改成 / 换成 / 改为 / 更正为 / 应该是.
VALUE_MARKER = re.compile(
    r"(?:改成|改为|换成|换为|更改为|更正为|修改为|改到|应该是|正确的是|新的是)[:：\s]*"
)
MOBILE = re.compile(r"(?<!\d)(?:\+?86)?(1[3-9]\d{9})(?!\d)")
ADDRESS_MARKS = re.compile(
    r"[省市区县旗镇乡村路街道巷弄号栋幢楼室单元院园苑里]|小区|大厦|广场|社区"
)
MIN_ADDRESS_CHARS = 8
MAX_ADDRESS_CHARS = 120


@dataclass(frozen=True)
class ChangeRequest:
    """What the shopper wants changed (None where their words do not say)."""

    field: ChangeField | None
    value: str | None


@dataclass(frozen=True)
class ChangeOutcome:
    done: bool
    message: str


def read_change(text: str) -> ChangeRequest:
    """The field and new value a message names, e.g. 地址改成北京市… → (address, 北京市…)."""
    clean = normalise(text)
    value = None
    if marker := VALUE_MARKER.search(clean):
        value = clean[marker.end() :].strip(" ，,。.!！~～") or None
    field = field_named(clean[: marker.start()] if marker else clean)
    if field is None and value:
        field = field_named(value) if not MOBILE.search(value) else ChangeField.PHONE
    if field is None and MOBILE.search(clean):
        field = ChangeField.PHONE
    return ChangeRequest(field, value)


def field_named(text: str) -> ChangeField | None:
    """Which field the words point at; address and phone words win over the looser spec words."""
    clean = normalise(text)
    for field in (ChangeField.ADDRESS, ChangeField.PHONE, ChangeField.SPEC):
        if any(word in clean for word in FIELD_WORDS[field]):
            return field
    return None


def check_phone(text: str) -> str | None:
    """An 11-digit mainland mobile number in `text` (spaces, dashes and +86 allowed)."""
    match = MOBILE.search(re.sub(r"[\s\-－]", "", normalise(text)))
    return match.group(1) if match else None


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
    clean = normalise(text)
    for item in order.items:
        product = item.variant.product
        candidates = [v for v in product.variants if v.id != item.variant_id and _names(v, clean)]
        if not candidates:
            continue
        current = item.variant
        # a half-named change ("换成L码") keeps what the shopper did not mention
        best = max(candidates, key=lambda v: (_score(v, clean), _kept(v, current)))
        return item, best
    return None


def _names(variant: Variant, text: str) -> bool:
    return _score(variant, text) > 0


def _score(variant: Variant, text: str) -> int:
    score = 0
    if variant.color and variant.color.rstrip("色") in text:
        score += 1
    for part in (variant.size, variant.spec):
        if part and re.search(rf"(?<![a-z0-9]){re.escape(normalise(part))}(?![a-z0-9])", text):
            score += 1
    return score


def _kept(variant: Variant, current: Variant) -> int:
    return sum(
        getattr(variant, attr) == getattr(current, attr) for attr in ("color", "size", "spec")
    )


def modifiable(order: Order) -> ChangeOutcome:
    """Whether the order can still be changed here, and if not, what the shopper can do."""
    if order.status == OrderStatus.AWAITING_SHIPMENT:
        return ChangeOutcome(True, "")
    if order.status == OrderStatus.CANCELLED:
        return ChangeOutcome(
            False, f"订单 {order.order_no} 已经取消了，不能再修改；需要的话可以重新下单。"
        )
    if order.status == OrderStatus.SHIPPED:
        return ChangeOutcome(
            False,
            f"订单 {order.order_no} 已经发货，系统里改不了了。地址或电话需要变更的话，"
            "人工客服可以联系快递尝试拦截改派；规格不对可以签收后申请换货。",
        )
    return ChangeOutcome(
        False, f"订单 {order.order_no} 已经签收，不能再修改了；规格不合适可以申请七天无理由退换。"
    )


def apply_change(
    session: Session, order: Order, field: ChangeField, value: str, now: datetime
) -> ChangeOutcome:
    """Make a checked change on an unshipped order; stock moves with a spec change."""
    allowed = modifiable(order)
    if not allowed.done:
        return allowed
    if field == ChangeField.ADDRESS:
        address = check_address(value)
        if address is None:
            return ChangeOutcome(False, "这个地址好像不完整，麻烦发一下省市区、街道和门牌号～")
        before, order.shipping_address = order.shipping_address, address
        after = address
        message = f"已经帮您把订单 {order.order_no} 的收货地址改为：{address}。"
    elif field == ChangeField.PHONE:
        phone = check_phone(value)
        if phone is None:
            return ChangeOutcome(False, "这个手机号好像不对，麻烦发一下11位的手机号码～")
        before, order.receiver_phone = order.receiver_phone, phone
        after = phone
        message = (
            f"已经帮您把订单 {order.order_no} 的收货手机号改为 {phone[:3]}****{phone[-4:]}，"
            "以后查这个订单请用新号码的后四位。"
        )
    else:
        named = variant_named(order, value)
        if named is None:
            return ChangeOutcome(False, "没找到您说的这个规格，麻烦说一下要换成的颜色或尺码～")
        item, variant = named
        if variant.stock < item.quantity:
            return ChangeOutcome(
                False,
                f"「{item.variant.product.name}」{variant.label} 暂时没货了，换不了这个规格。",
            )
        before, after = item.variant.label, variant.label
        item.variant.stock += item.quantity
        variant.stock -= item.quantity
        item.variant = variant
        message = (
            f"已经帮您把订单 {order.order_no} 里的「{variant.product.name}」"
            f"从 {before} 换成 {after}，价格不变。"
        )
    session.flush()
    record_event(
        session,
        "order.modified",
        "order",
        order.order_no,
        {"field": field.value, "before": before, "after": after},
        now,
    )
    return ChangeOutcome(True, message + "仓库会按修改后的信息发货。")

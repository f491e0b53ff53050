"""Changing an order before it ships: the receiver's address, their phone, or the item's spec.

`read_change` finds what the shopper wants changed in their own words ("地址写错了 改成…",
"手机号换成138…", "帮我改成蓝色 L码"); `check_value` validates a new value; `apply_change` makes
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
from shop.orders import check_phone
from shop.presale import matching_variants, named_variant_terms


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
INVALID_VALUE = {
    ChangeField.ADDRESS: "这个地址好像不完整。",
    ChangeField.PHONE: "这个手机号好像不对。",
}
# What shoppers put after the value: "换成XL吗", "改成蓝色吧～", "……可以吗?"
TRAILING_CHATTER = re.compile(r"(?:可以吗|行吗|好吗|[吗呢吧啊呀哈哦嘛])?[\s,，.。!！?？~～]*$")
MIN_ADDRESS_CHARS = 8
MAX_ADDRESS_CHARS = 120


@dataclass(frozen=True)
class ChangeRequest:
    """What the shopper wants changed (None where their words do not say)."""

    field: ChangeField | None
    value: str | None


@dataclass(frozen=True)
class CheckedValue:
    """A new value as it is stored and shown, or None with what to tell the shopper."""

    value: str | None
    problem: str = ""


@dataclass(frozen=True)
class ChangeOutcome:
    done: bool
    message: str


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


def check_value(field: ChangeField, text: str, order: Order) -> CheckedValue:
    """Check a new value: a full address, an 11-digit mobile, or a variant in stock."""
    if field == ChangeField.SPEC:
        return _check_spec(order, text)
    value = check_address(text) if field == ChangeField.ADDRESS else check_phone(text)
    return CheckedValue(value, "" if value else INVALID_VALUE[field])


def _check_spec(order: Order, text: str) -> CheckedValue:
    named = variant_named(order, text)
    if named is None:
        return CheckedValue(None, "没找到您说的这个规格。")
    item, variant = named
    if variant.stock < item.quantity:
        return CheckedValue(None, f"{variant.label} 暂时没货了。")
    return CheckedValue(variant.label)


def ask_value(field: ChangeField, order: Order) -> str:
    """The question for the new value, with what is possible (variants in stock, an example)."""
    if field == ChangeField.ADDRESS:
        return (
            "麻烦把新的收货地址发给我哦，省市区、街道和门牌号都写上，"
            "比如：上海市浦东新区张江路88号3栋601。"
        )
    if field == ChangeField.PHONE:
        return "请把新的收货手机号发给我（11位）。"
    lines = []
    for item in order.items:
        labels = [
            v.label
            for v in item.variant.product.variants
            if v.id != item.variant_id and v.stock >= item.quantity
        ]
        if labels:
            lines.append(f"「{item.variant.product.name}」现在有货的有：{'、'.join(labels[:8])}")
    if not lines:
        return "这个商品暂时没有别的规格有货，可以先不改，或者让人工客服帮您看看。"
    return "想换成哪个规格呢？" + "；".join(lines) + "。"


CHANGEABLE_STATUS = OrderStatus.AWAITING_SHIPMENT  # an order changes only before it ships


def modifiable(order: Order) -> ChangeOutcome:
    """Whether the order can still be changed here, and if not, what the shopper can do."""
    if order.status == CHANGEABLE_STATUS:
        return ChangeOutcome(True, "")
    if order.status == OrderStatus.CANCELLED:
        return ChangeOutcome(
            False, f"订单 {order.order_no} 已经取消了，不能再修改；需要的话可以重新下单。"
        )
    if order.status == OrderStatus.SHIPPED:
        return ChangeOutcome(
            False,
            f"订单 {order.order_no} 已经发出了，没法直接修改了。地址或电话需要变更的话，"
            "人工客服可以联系快递尝试拦截改派；规格不对的话，收到后可以申请换货。",
        )
    return ChangeOutcome(
        False,
        f"订单 {order.order_no} 已经签收了，订单信息没法再改；"
        "如果规格不合适，告诉我，我帮您看看能不能退换。",
    )


def apply_change(
    session: Session, order: Order, field: ChangeField, value: str, now: datetime
) -> ChangeOutcome:
    """Make a checked change on an unshipped order; stock moves with a spec change."""
    allowed = modifiable(order)
    if not allowed.done:
        return allowed
    checked = check_value(field, value, order)
    if checked.value is None:  # e.g. sold out since the shopper said yes
        return ChangeOutcome(False, checked.problem)
    after = checked.value
    if field == ChangeField.SPEC:
        item, variant = variant_named(order, value)  # found: check_value just named it
        before = item.variant.label
        item.variant.stock += item.quantity
        variant.stock -= item.quantity
        item.variant = variant
        message = (
            f"已经帮您把订单 {order.order_no} 里的「{variant.product.name}」"
            f"从 {before} 换成 {after}，价格不变。"
        )
    else:
        attribute = ORDER_ATTRIBUTE[field]
        before = getattr(order, attribute)
        setattr(order, attribute, after)
        shown = after if field == ChangeField.ADDRESS else f"{after[:3]}****{after[-4:]}"
        message = f"已经帮您把订单 {order.order_no} 的{FIELD_NAMES[field]}改为：{shown}。"
        if field == ChangeField.PHONE:
            message += "以后查这个订单请用新号码的后四位。"
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

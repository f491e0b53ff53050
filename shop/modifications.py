"""Changing an order: the receiver's address, their phone or the item's spec before it ships,
and when or where the parcel comes (a delivery appointment) until it is delivered.

`read_change` finds what the shopper wants changed in their own words ("地址写错了 改成…",
"手机号换成138…", "帮我改成蓝色 L码", "周六下午再送"); `check_value` validates a new value;
`apply_change` makes the change and records it as an event. An appointment for an order already
with the carrier is stored as a request passed on to the carrier, and said so. Each returns
facts; `words` says them to the shopper.
"""

import dataclasses
import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy.orm import Session

from core.clock import utcnow
from core.events import Actor, EventName, record_event
from core.text import normalise
from shop.appointments import (
    AppointmentProblem,
    AppointmentRejected,
    DeliveryAppointment,
    appointment_problem,
    asks_arrival,
    latest_day,
    mentions_appointment,
    order_appointment,
    read_appointment,
    tomorrow_choices,
)
from shop.models import Order, OrderItem, OrderStatus, Product, Variant
from shop.orders import check_phone, mistyped_phone_digits
from shop.pasted_details import PastedDetails, is_a_name, read_pasted_details, without_remarks
from shop.presale import matching_variants, named_variant_terms
from shop.size_labels import SIZE_LABEL, SIZE_LADDER


class ChangeField(StrEnum):
    ADDRESS = "address"
    PHONE = "phone"
    SPEC = "spec"
    DELIVERY_TIME = "delivery_time"  # a delivery appointment: day, hours, place
    RECEIVER = "receiver"  # the receiver's name (a pasted block naming someone else)


FIELD_WORDS = {
    ChangeField.ADDRESS: ("地址", "收货地", "寄到", "送到", "发到", "小区", "门牌"),
    ChangeField.PHONE: ("电话", "手机号", "号码", "联系方式"),
    ChangeField.SPEC: ("色", "码", "规格", "型号", "款式", "size", "内存", "容量"),
    ChangeField.RECEIVER: ("收货人", "收件人"),
}
# Words that name the address outright: they win over the appointment words ("送到门卫" is a
# place to leave the parcel, "地址改成…门卫室" a new address).
ADDRESS_NAMED = ("地址", "收货地")
# The new value follows words like these: 改成 / 换成 / 改为 / 更正为 / 应该是.
VALUE_MARKER = re.compile(
    r"(?:改成|改为|换成|换为|更改为|更正为|修改为|改到|应该是|正确的是|新的是)[:：\s]*"
)
# What shoppers put before the value itself: "新地址：…", "手机号是…", "是…"
VALUE_LEAD = re.compile(
    r"^(?:(?:(?:新|正确)的?)?(?:收货)?(?:地址|手机号码?|电话|号码|规格|颜色|尺码|送货时间)|是|为)"
    r"(?:是|为)?[:：\s]*"
)
# Which place the address is, said before it (公司 杭州市…, 公司:北京市…): not part of it.
PLACE_LABEL = re.compile(
    r"^(?:公司|单位|家里|家|学校|宿舍)(?:的|那个)?(?:地址)?(?:[:：]\s*|\s+)(?=\S{0,6}[省市])"
)
ADDRESS_MARKS = re.compile(
    r"[省市区县旗镇乡村路街道巷弄号栋幢楼室单元院园苑里]|小区|大厦|广场|社区"
)
# A full address names its province or city: a province-level name, 省/市/自治区/州, or a big
# city shoppers write without 市 ("杭州西湖区…").
PROVINCES = """
    北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南
    广东 海南 四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门
"""
CITIES = """
    广州 深圳 杭州 南京 苏州 成都 武汉 西安 郑州 长沙 沈阳 大连 青岛 济南 厦门 福州 宁波 无锡
    合肥 昆明 南宁 南昌 贵阳 太原 石家庄 哈尔滨 长春 兰州 海口 三亚 呼和浩特 乌鲁木齐 拉萨 银川
    西宁 东莞 佛山 珠海 温州 常州 徐州 烟台 泉州 惠州 中山 绍兴 嘉兴 金华 台州 南通 扬州 潍坊
    洛阳 保定 唐山 廊坊 汕头 江门 湛江 芜湖 宜昌 襄阳 株洲 桂林 柳州 绵阳 遵义 大理 丽江
"""
PLACE_NAMES = tuple(f"{PROVINCES} {CITIES}".split())
# One size up or down (大一号, 小一码, 大一个码, 加大一码): a spec change, never a day of the month
# (一号 alone is the 1st).
SIZE_STEP = re.compile(r"(?:加|再)?([大小])(?:一|1|两|2|半)?个?(?:号|码|size)")
# A size changed to, named by itself (帮我把M换成L, 嗯 换L 确认, 改成XL, 换33码): the spec.
SIZE_CHANGED = re.compile(
    rf"(?:换|改)(?:成|为|到)?\s*(?:{SIZE_LABEL})(?![a-z0-9])"
    r"|(?:换|改)(?:成|为|到)?\s*\d{2,3}(?=码|号|$|\s|吧|的|[，,。])",
    re.IGNORECASE,
)
# Spec words that name the field outright, whatever else the words mention (改尺码 换大一号).
SPEC_NAMED = ("尺码", "码数", "颜色", "规格", "型号", "款式")
# "不是约送货 是改尺码": what the shopper says it is NOT about is left out before reading.
DENIED_PART = re.compile(r"不是[^，,。.!！?？\s]{1,10}?(?=[\s，,]*(?:是|要|想|改|换))")
CITY_MARKS = re.compile(r"省|(?<!超|门|菜|夜|集)市(?!场)|自治区|自治州|地区|盟|州[^\d]{0,4}[区县]")
ORDER_ATTRIBUTE = {
    ChangeField.ADDRESS: "shipping_address",
    ChangeField.PHONE: "receiver_phone",
    ChangeField.RECEIVER: "receiver_name",
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


class ValueProblem(StrEnum):
    INCOMPLETE_ADDRESS = "incomplete_address"
    ADDRESS_WITHOUT_CITY = "address_without_city"
    ADDRESS_TOO_LONG = "address_too_long"
    INVALID_PHONE = "invalid_phone"
    PHONE_DIGITS = "phone_digits"  # a mobile number one digit short or long
    SPEC_NOT_FOUND = "spec_not_found"
    SPEC_SOLD_OUT = "spec_sold_out"
    INVALID_RECEIVER = "invalid_receiver"
    APPOINTMENT = "appointment"  # see `appointment`


@dataclass(frozen=True)
class ValueRejected:
    """A new value that cannot be used, and why (`variant` names a sold-out spec, `digits`
    counts a mistyped phone number's digits, `appointment` says what is wrong with one)."""

    problem: ValueProblem
    variant: str | None = None
    digits: int | None = None
    appointment: AppointmentRejected | None = None


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
    """What to ask for the new value of `field` (the specs in stock, for a spec change; the
    last day an appointment may name, and whether the carrier already has the parcel)."""

    field: ChangeField
    options: tuple[SpecOptions, ...] = ()
    latest_day: date | None = None
    with_carrier: bool = False


@dataclass(frozen=True)
class PendingChange:
    """A change the shopper is asked to confirm: exactly what will happen."""

    order_no: str
    field: ChangeField
    value: str
    # further changes named with it (the new phone, the receiver of a pasted block)
    also: "tuple[ChangeRequest, ...]" = ()


@dataclass(frozen=True)
class AppointmentToConfirm:
    """A delivery appointment the shopper is asked to confirm; `carrier` is set when the parcel
    is already with it, so the appointment can only be passed on as a request."""

    order_no: str
    appointment: DeliveryAppointment
    carrier: str | None = None


@dataclass(frozen=True)
class ChangeStillWaiting:
    """A change said back that still waits for its yes after the shopper asked something in
    between and was answered: the same change, offered again in one short line."""

    order_no: str
    field: ChangeField
    value: str | None = None
    also: "tuple[ChangeRequest, ...]" = ()
    appointment: DeliveryAppointment | None = None
    carrier: str | None = None


def still_waiting(change: "PendingChange | AppointmentToConfirm") -> ChangeStillWaiting:
    """The change said back, to offer again briefly after a question answered in between."""
    if isinstance(change, AppointmentToConfirm):
        return ChangeStillWaiting(
            change.order_no,
            ChangeField.DELIVERY_TIME,
            appointment=change.appointment,
            carrier=change.carrier,
        )
    return ChangeStillWaiting(change.order_no, change.field, change.value, change.also)


@dataclass(frozen=True)
class ChangeRefused:
    """The order can no longer be changed here, because of where it is (`field`: what the
    shopper wanted changed, when known)."""

    order_no: str
    status: OrderStatus
    field: ChangeField | None = None


@dataclass(frozen=True)
class OrderChanged:
    order_no: str
    field: ChangeField
    before: str
    after: str
    product_name: str | None = None  # the item whose spec changed


@dataclass(frozen=True)
class DeliveryAppointed:
    """A delivery appointment stored on the order; `carrier` is set when it went to the carrier
    as a request (the parcel was already with it), `replaced` is the one it replaces."""

    order_no: str
    appointment: DeliveryAppointment
    carrier: str | None = None
    replaced: DeliveryAppointment | None = None


def read_change(text: str) -> ChangeRequest:
    """The field and new value a message names, e.g. 地址改成北京市… → (address, 北京市…);
    an appointment is its own value (周六下午再送 → (delivery_time, 周六下午再送))."""
    if (block := read_pasted_details(text)) is not None and (block.address or block.receiver):
        # 收货人：… 地址：… 电话不变: the address is the value; the rest is `block_changes`
        if block.address:
            return ChangeRequest(ChangeField.ADDRESS, clean_value(block.address))
        return ChangeRequest(ChangeField.RECEIVER, block.receiver)
    clean = DENIED_PART.sub("", normalise(text)).strip()
    value = None
    if marker := VALUE_MARKER.search(clean):
        value = TRAILING_CHATTER.sub("", without_remarks(clean[marker.end() :])).strip() or None
    field = field_named(clean[: marker.start()] if marker else clean)
    if SIZE_STEP.search(clean) and field in (None, ChangeField.DELIVERY_TIME):
        field = ChangeField.SPEC  # 换成大一号: one size up, not the 1st of the month
    if field is None and value:
        field = _field_by_shape(value) or field_named(value)
    if field is None:
        field = _field_by_shape(clean)
    if field is None and SIZE_CHANGED.search(clean):
        field = ChangeField.SPEC  # 帮我把M换成L: the size named after 换成
    if (
        field == ChangeField.DELIVERY_TIME
        and asks_arrival(clean)
        and not ASKS_A_CHANGE.search(clean)
    ):
        field = None  # 周五之前能送到吗: a question about the parcel, not a day asked for
    if field == ChangeField.DELIVERY_TIME and value is None and not _appointment_in(clean).empty:
        value = clean
    if value is None and field == ChangeField.PHONE and (phone := check_phone(clean)):
        value = phone  # 手机号也换一下 159 6812 3377
    if value is None and field == ChangeField.SPEC and SIZE_STEP.search(clean):
        value = clean  # 能换大一号吗: the size one up from the item's own
    return ChangeRequest(field, value)


# Words that ask for something of an order to be changed: 改, 换成, 约个时间, 再送, 推迟 (大约
# is "about").
CHANGE_VERBS = re.compile(r"改|换|更正|变更|(?<!大)约|再送|晚点送|推迟|延后|别送|不要送")
# Words that ask for the delivery to change, beside a question about when it comes: those, or a
# word for the courier (转达, 备注, 放门卫).
ASKS_A_CHANGE = re.compile(rf"{CHANGE_VERBS.pattern}|转达|备注|放")


def asks_for_change(text: str) -> bool:
    """Whether the words ask for a change (能不能改地址, 换成白色, 周六送行吗, 放快递柜吧),
    rather than only naming what a change could be about: a colour and a size with a price
    asked (白色S一件黑色XL一件 多少钱), a height or a width (门槛2.5公分能过吗) change nothing."""
    clean = normalise(text)
    if VALUE_MARKER.search(clean) or CHANGE_VERBS.search(clean):
        return True
    return field_named(clean) == ChangeField.DELIVERY_TIME and not asks_arrival(clean)


def _appointment_in(text: str) -> DeliveryAppointment:
    return read_appointment(text, utcnow())


def _field_by_shape(text: str) -> ChangeField | None:
    """An 11-digit mobile is a phone, a full address an address, a day, hours or place to
    leave the parcel an appointment, whatever words surround them."""
    if check_phone(text):
        return ChangeField.PHONE
    if check_address(text):
        return ChangeField.ADDRESS
    if not _appointment_in(text).empty and not asks_arrival(text):
        return ChangeField.DELIVERY_TIME  # 下周三前能到不: asked, not a day wished for
    return None


def looks_like_a_value(text: str) -> bool:
    """Whether a message is plainly a new phone number or address, whatever NLU made of it."""
    return check_phone(text) is not None or check_address(text) is not None


# A word to the courier about calling (别打电话, 到了打我电话, 电话联系): a delivery note, never
# the phone number changed.
CALL_NOTE = re.compile(
    r"(?:别|不要|不用|无需|先|提前|到了)?(?:给我|跟我)?(?:打|拨|来)(?:个|我)?电话(?:联系)?"
    r"|电话(?:联系|通知)(?:我)?"
)


def field_named(text: str) -> ChangeField | None:
    """Which field the words point at: 地址 outright, then phone words, then when or where the
    parcel comes (改天送, 放快递柜), then the looser address and spec words. What the shopper
    says it is not about (不是约送货 是改尺码) is left out."""
    clean = DENIED_PART.sub("", normalise(text))
    if any(word in clean for word in ADDRESS_NAMED):
        return ChangeField.ADDRESS
    if any(word in CALL_NOTE.sub("", clean) for word in FIELD_WORDS[ChangeField.PHONE]):
        return ChangeField.PHONE
    if any(word in clean for word in FIELD_WORDS[ChangeField.RECEIVER]):
        return ChangeField.RECEIVER  # 收货人改成王芳
    if any(word in clean for word in SPEC_NAMED) or SIZE_STEP.search(clean):
        return ChangeField.SPEC
    if SIZE_CHANGED.search(clean):  # 帮我把M换成L
        return ChangeField.SPEC
    if mentions_appointment(clean):
        return ChangeField.DELIVERY_TIME
    for field in (ChangeField.ADDRESS, ChangeField.SPEC):
        if any(word in clean for word in FIELD_WORDS[field]):
            return field
    return None


# The request said before the value (帮我改个地址 上海市…, 麻烦换一下电话：139…)
REQUEST_LEAD = re.compile(
    r"^(?:帮我|麻烦|请|我要|我想|给我)*(?:改|换|修改|更改|变更)(?:一?个|一下)?"
    r"(?:收货)?(?:地址|电话|手机号码?|号码)(?:吧|哈|一下)?[:：，,\s]*"
)


def clean_value(text: str) -> str:
    """The value itself, without the words around it: 改成上海市… → 上海市…, 新地址：… → …,
    手机号是138… → 138…, 帮我改个地址 上海市… → 上海市…, …可以吗 → …"""
    clean = REQUEST_LEAD.sub("", normalise(text, keep_case=True), count=1)
    if marker := VALUE_MARKER.search(clean):
        clean = clean[marker.end() :]
    clean = without_remarks(PLACE_LABEL.sub("", VALUE_LEAD.sub("", clean, count=1), count=1))
    return TRAILING_CHATTER.sub("", clean).strip(" ，,。.")


def check_address(text: str) -> str | None:
    """A plausible full delivery address (province or city, place words and a house number or
    building), or None."""
    return _address(text)[0]


def _address(text: str) -> tuple[str | None, ValueProblem | None]:
    """The address as stored, or what is wrong with it; in a pasted block (收货人：… 地址：…
    电话不变), its address part alone."""
    if (block := read_pasted_details(text)) is not None and block.address:
        text = block.address
    address = re.sub(r"\s+", " ", clean_value(text))
    if len(address) > MAX_ADDRESS_CHARS:
        return None, ValueProblem.ADDRESS_TOO_LONG
    if len(address) < MIN_ADDRESS_CHARS or len(ADDRESS_MARKS.findall(address)) < 2:
        return None, ValueProblem.INCOMPLETE_ADDRESS
    if not re.search(r"\d|[一二三四五六七八九十]号", address):
        return None, ValueProblem.INCOMPLETE_ADDRESS
    if not (address.startswith(PLACE_NAMES) or CITY_MARKS.search(address)):
        return None, ValueProblem.ADDRESS_WITHOUT_CITY
    return address, None


def variant_named(order: Order, text: str) -> tuple[OrderItem, Variant] | None:
    """The order item and the other variant of its product that `text` names (colour, size)."""
    for item in order.items:
        product, current = item.variant.product, item.variant
        color, size = named_variant_terms(product, text)
        size = size or _size_step(product, current, text)
        if not (color or size):
            continue
        # a half-named change ("换成L码") keeps what the shopper did not mention
        kept = matching_variants(product, color or current.color, size or current.size)
        for variant in (*kept, *matching_variants(product, color, size)):
            if variant.id != current.id:
                return item, variant
    return None


def _size_step(product: Product, current: Variant, text: str) -> str | None:
    """The size one up or down from the item's own (大一号, 小一码), when the product has it."""
    step = SIZE_STEP.search(normalise(text))
    if step is None or not current.size:
        return None
    sizes = sorted({v.size for v in product.variants if v.size}, key=_size_rank)
    if current.size not in sizes or _size_rank(current.size)[0] > 1:
        return None  # not a size on a ladder
    at = sizes.index(current.size) + (1 if step.group(1) == "大" else -1)
    return sizes[at] if 0 <= at < len(sizes) else None


def _size_rank(size: str) -> tuple[int, float]:
    """Where a size stands on its ladder: S < M < L < XL, 36 < 37, 160/84A < 165/88A."""
    clean = normalise(size)
    if clean in SIZE_LADDER:
        return (0, SIZE_LADDER.index(clean))
    number = re.match(r"\d+(?:\.\d+)?", clean)
    return (1, float(number.group(0))) if number else (2, 0.0)


def check_value(
    field: ChangeField, text: str, order: Order | None, now: datetime | None = None
) -> CheckedValue:
    """Check a new value: a full address, an 11-digit mobile, a variant in stock (a spec needs
    the order), or an appointment possible as of `now` (kept as its code)."""
    if field == ChangeField.SPEC:
        if order is None:
            return CheckedValue(None, ValueRejected(ValueProblem.SPEC_NOT_FOUND))
        return _check_spec(order, text)
    if field == ChangeField.ADDRESS:
        address, problem = _address(text)
        return CheckedValue(address, ValueRejected(problem) if problem else None)
    if field == ChangeField.DELIVERY_TIME:
        return _check_appointment(text, order, now or utcnow())
    if field == ChangeField.RECEIVER:
        return _check_receiver(text)
    if phone := check_phone(text):
        return CheckedValue(phone)
    if digits := mistyped_phone_digits(text):
        return CheckedValue(None, ValueRejected(ValueProblem.PHONE_DIGITS, digits=digits))
    return CheckedValue(None, ValueRejected(ValueProblem.INVALID_PHONE))


# A number put right in the value said back (不对 是702 我打错了, 不是703是702, 应该是12号).
CORRECTION_NUMBER = re.compile(r"(?<!\d)\d{1,6}(?!\d)")
SAYS_WRONG = re.compile(r"不对|错了|打错|写错|输错|说错|弄错|搞错|不是|应该是|改成|改为")


def corrected(said_back: str, text: str) -> str | None:
    """The address or phone said back with the number the shopper puts right (不对不对 是702
    我打错了 after …1单元703室: …1单元702室; 不是703是702), or None when the message corrects no
    single number of it. The number replaced is the one named as wrong, else the one of the
    same length that differs from the new in the fewest digits (one, by a typo, at most two)."""
    words = normalise(text)
    if not SAYS_WRONG.search(words):
        return None
    found = list(CORRECTION_NUMBER.finditer(words))
    wrong = [m.group() for m in found if re.search(r"不是\s*$", words[: m.start()])]
    right = [m.group() for m in found if m.group() not in wrong]
    if not right:
        return None
    new = right[-1]
    spans = [m for m in CORRECTION_NUMBER.finditer(said_back) if m.group() != new]
    unit = next((words[m.end() : m.end() + 1] for m in found if m.group() == new), "")
    if unit and (same_unit := [m for m in spans if said_back[m.end() : m.end() + 1] == unit]):
        spans = same_unit  # 是3幢: the number before 幢
    named_wrong = [m for m in spans if m.group() in wrong]
    if named_wrong:
        replaced = named_wrong[-1]
    else:
        near = [
            (sum(a != b for a, b in zip(m.group(), new, strict=True)), -m.start(), m)
            for m in spans
            if len(m.group()) == len(new)
        ]
        if not near or min(near, key=lambda n: n[:2])[0] > 2:
            return None
        replaced = min(near, key=lambda n: n[:2])[2]
    at, old = replaced.start(), replaced.group()
    return said_back[:at] + new + said_back[at + len(old) :]


def _check_receiver(text: str) -> CheckedValue:
    """A receiver's name: a pasted block's name, or the name alone (改成王芳 → 王芳)."""
    block = read_pasted_details(text)
    name = block.receiver if block is not None else clean_value(text)
    if name is None or not is_a_name(name):
        return CheckedValue(None, ValueRejected(ValueProblem.INVALID_RECEIVER))
    return CheckedValue(name)


def block_changes(text: str) -> tuple[ChangeRequest, ...]:
    """The changes a pasted block names beside its address: the receiver's name and a new
    mobile (a phone said to stay, 电话不变, is none); () for a message that is no block. Whether
    they change anything is for `changes_to_make`, against the order."""
    block = read_pasted_details(text)
    if block is None or not block.address:
        return ()
    return _beside_the_address(block)


def _beside_the_address(block: PastedDetails) -> tuple[ChangeRequest, ...]:
    changes = []
    if block.receiver:
        changes.append(ChangeRequest(ChangeField.RECEIVER, block.receiver))
    if block.phone and not block.phone_kept:
        changes.append(ChangeRequest(ChangeField.PHONE, block.phone))
    return tuple(changes)


def changes_to_make(
    order: Order, changes: "tuple[ChangeRequest, ...]"
) -> tuple[ChangeRequest, ...]:
    """The changes that change something: a receiver named as the order's receiver or as the
    customer (their own name pasted with the new address), or the phone the order already has,
    changes nothing and is left out."""
    current = {
        ChangeField.RECEIVER: {order.receiver_name, order.customer.name},
        ChangeField.PHONE: {order.receiver_phone},
        ChangeField.ADDRESS: {order.shipping_address},
    }
    return tuple(
        change
        for change in changes
        if change.field is not None
        and change.value
        and change.value not in current.get(change.field, set())
    )


def _check_spec(order: Order, text: str) -> CheckedValue:
    named = variant_named(order, text)
    if named is None:
        return CheckedValue(None, ValueRejected(ValueProblem.SPEC_NOT_FOUND))
    item, variant = named
    if variant.stock < item.quantity:
        return CheckedValue(None, ValueRejected(ValueProblem.SPEC_SOLD_OUT, variant.label))
    return CheckedValue(variant.label)


def _check_appointment(text: str, order: Order | None, now: datetime) -> CheckedValue:
    """An appointment from the shopper's words, or from its code (as the form keeps it)."""
    coded = DeliveryAppointment.from_code(text)
    appointment = coded or read_appointment(text, now)
    shipped = order is not None and order.status != OrderStatus.AWAITING_SHIPMENT
    if coded is None and (which := _which_tomorrow(text, appointment, now, shipped)):
        return CheckedValue(None, ValueRejected(ValueProblem.APPOINTMENT, appointment=which))
    if (problem := appointment_problem(appointment, now, shipped)) is not None:
        return CheckedValue(None, ValueRejected(ValueProblem.APPOINTMENT, appointment=problem))
    return CheckedValue(appointment.code())


def _which_tomorrow(
    text: str, appointment: DeliveryAppointment, now: datetime, shipped: bool
) -> AppointmentRejected | None:
    """明天 said between midnight and the early morning, when it may mean either day and both
    are possible: the question which, with the wish on each day; None otherwise."""
    choices = [dataclasses.replace(appointment, day=day) for day in tomorrow_choices(text, now)]
    possible = tuple(c for c in choices if appointment_problem(c, now, shipped) is None)
    if len(possible) < 2:
        return None
    return AppointmentRejected(AppointmentProblem.WHICH_DAY, choices=possible)


MAX_OPTIONS_SHOWN = 8


def value_question(field: ChangeField, order: Order, now: datetime | None = None) -> ValueQuestion:
    """The question for the new value, with what is possible (the variants in stock; the last
    day an appointment may name)."""
    if field == ChangeField.DELIVERY_TIME:
        with_carrier = order.status == OrderStatus.SHIPPED
        return ValueQuestion(
            field, latest_day=latest_day(now or utcnow()), with_carrier=with_carrier
        )
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


CHANGEABLE_STATUS = OrderStatus.AWAITING_SHIPMENT  # address, phone, spec: only before it ships
# A delivery appointment can be made until the parcel is delivered; once shipped, as a request
# passed on to the carrier.
APPOINTABLE_STATUS = (OrderStatus.AWAITING_SHIPMENT, OrderStatus.SHIPPED)


def can_change(status: OrderStatus | None, field: ChangeField | None) -> bool:
    """Whether an order in `status` can have `field` changed (None: any of the fields)."""
    if field == ChangeField.DELIVERY_TIME:
        return status in APPOINTABLE_STATUS
    return status == CHANGEABLE_STATUS


def change_refusal(order: Order, field: ChangeField | None = None) -> ChangeRefused | None:
    """Why the order can no longer have `field` changed here (shipped, delivered, cancelled),
    or None."""
    if can_change(order.status, field):
        return None
    return ChangeRefused(order.order_no, order.status, field)


def pending_change(
    order: Order, field: ChangeField, value: str, also: "tuple[ChangeRequest, ...]" = ()
) -> PendingChange | AppointmentToConfirm:
    """What the shopper is asked to confirm: the new value (and those named with it that change
    something, e.g. the new phone with the new address, the receiver of a pasted block), or the
    appointment and who will keep it (the warehouse, or the carrier that already has the
    parcel)."""
    if field == ChangeField.DELIVERY_TIME and (appointment := DeliveryAppointment.from_code(value)):
        return AppointmentToConfirm(order.order_no, appointment, _carrier_holding(order))
    others = tuple(change for change in changes_to_make(order, also) if change.field != field)
    return PendingChange(order.order_no, field, value, others)


def other_field_value(field: ChangeField | None, text: str) -> ChangeRequest | None:
    """A value plainly for another field than the one being changed (an 11-digit mobile while
    the address is changed, a full address while the phone is), checked; None otherwise."""
    for other in (ChangeField.PHONE, ChangeField.ADDRESS):
        if other == field:
            continue
        checked = check_value(other, text, None)
        if checked.value is not None:
            return ChangeRequest(other, checked.value)
    return None


def _carrier_holding(order: Order) -> str | None:
    """The carrier that has the parcel now (None before it ships)."""
    shipment = order.latest_shipment
    if order.status != OrderStatus.SHIPPED or shipment is None:
        return None
    return shipment.carrier


def apply_change(
    session: Session,
    order: Order,
    field: ChangeField,
    value: str,
    now: datetime,
    conversation_id: str | None = None,
) -> OrderChanged | DeliveryAppointed | ChangeRefused | ValueRejected:
    """Make a checked change: on an unshipped order (stock moves with a spec change), or an
    appointment on an order not yet delivered."""
    if (refused := change_refusal(order, field)) is not None:
        return refused
    checked = check_value(field, value, order, now)
    if checked.value is None:  # e.g. sold out since the shopper said yes
        return checked.rejected or ValueRejected(ValueProblem.SPEC_NOT_FOUND)
    if field == ChangeField.DELIVERY_TIME:
        return _appoint(session, order, checked.value, now, conversation_id)
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


def _appoint(
    session: Session, order: Order, code: str, now: datetime, conversation_id: str | None
) -> DeliveryAppointed:
    appointment = DeliveryAppointment.from_code(code)
    assert appointment is not None  # check_value made the code
    replaced = order_appointment(order)
    carrier = _carrier_holding(order)
    order.delivery_date = appointment.day
    order.delivery_from_hour = appointment.from_hour
    order.delivery_until_hour = appointment.until_hour
    order.delivery_place = appointment.place
    order.delivery_requested_at = now
    order.delivery_via_carrier = carrier is not None
    session.flush()
    record_event(
        session,
        EventName.ORDER_DELIVERY_SCHEDULED,
        order.order_no,
        order_no=order.order_no,
        actor=Actor.SHOPPER,
        carrier=carrier,
        conversation_id=conversation_id,
        payload={
            "day": appointment.day.isoformat() if appointment.day else None,
            "from_hour": appointment.from_hour,
            "until_hour": appointment.until_hour,
            "place": appointment.place,
            "place_note": appointment.place_note,  # the place in the shopper's words
            "via_carrier": carrier is not None,
            "replaced": replaced.code() if replaced else None,
        },
        occurred_at=now,
    )
    return DeliveryAppointed(order.order_no, appointment, carrier, replaced)


# A size or colour exchanged in words (XL换成L, 换个大一码, 换黑色, 黑色L 帮我换一下).
_SPEC_EXCHANGE = re.compile(
    r"换(?:成|个|一个|一件|一双)?(?:[A-Za-z0-9]{1,4}码?|大一|小一|[^\s，,。]{0,3}(?:码|色|号))"
    r"|(?:[A-Za-z0-9]{1,4}码?|[^\s，,。]{1,3}色)[^，,。]{0,4}换一?下"
)


def exchanges_a_spec(text: str) -> bool:
    """Whether the words ask for the goods in another size or colour (XL换成L, 黑色L 帮我换一下)."""
    return _SPEC_EXCHANGE.search(normalise(text)) is not None

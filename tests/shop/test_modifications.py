"""Changing an unshipped order: what the shopper asks for, checked values, stock and events."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from core.clock import SHOP_TZ
from core.events import EventName, Subject
from shop.appointments import (
    AppointmentProblem,
    AppointmentRejected,
    DeliveryAppointment,
    order_appointment,
)
from shop.models import DeliveryPlace, Order, OrderStatus, Variant
from shop.modifications import (
    MAX_OPTIONS_SHOWN,
    AppointmentToConfirm,
    ChangeField,
    ChangeRefused,
    ChangeRequest,
    CheckedValue,
    DeliveryAppointed,
    OrderChanged,
    SpecOptions,
    ValueProblem,
    ValueQuestion,
    ValueRejected,
    apply_change,
    asks_for_change,
    can_change,
    change_refusal,
    check_address,
    check_value,
    clean_value,
    pending_change,
    read_change,
    value_question,
)
from shop.orders import check_phone
from tests.shop.conftest import demo_order

SHANGHAI = "上海市浦东新区张江路88号"
HANGZHOU = "杭州市西湖区文三路100号2幢301"


def _unshipped_tshirt(db) -> Order:
    """The demo order of one black M T-shirt (P1001-BK-M), not yet shipped."""
    orders = db.scalars(select(Order).where(Order.status == OrderStatus.AWAITING_SHIPMENT))
    return next(o for o in orders if o.items[0].variant.sku == "P1001-BK-M")


def _rejected(problem: ValueProblem, variant: str | None = None) -> CheckedValue:
    return CheckedValue(None, ValueRejected(problem, variant))


def _variant(db, sku: str) -> Variant:
    return db.scalars(select(Variant).where(Variant.sku == sku)).one()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"地址写错了 改成 {SHANGHAI}", ChangeRequest(ChangeField.ADDRESS, SHANGHAI)),
        ("收货电话换成 138-1234-5678", ChangeRequest(ChangeField.PHONE, "138-1234-5678")),
        ("帮我改成蓝色", ChangeRequest(ChangeField.SPEC, "蓝色")),
        ("尺码拍错了 能换成XL吗", ChangeRequest(ChangeField.SPEC, "xl")),
        ("亲 地址能改吗", ChangeRequest(ChangeField.ADDRESS, None)),
        ("我想改一下订单", ChangeRequest(None, None)),
        ("号码应该是13912345678", ChangeRequest(ChangeField.PHONE, "13912345678")),
        ("改成138 1234 5678", ChangeRequest(ChangeField.PHONE, "138 1234 5678")),
        ("我要退款", ChangeRequest(None, None)),
    ],
)  # fmt: skip
def test_the_change_is_read_from_the_shoppers_words(text, expected):
    assert read_change(text) == expected


def test_a_new_phone_must_be_a_whole_mobile_number():
    assert check_phone("+86 139 1234 5678") == "13912345678"
    assert check_phone("尾号5678") is None
    assert check_phone("12345678901") is None


def test_an_address_needs_places_and_a_number():
    assert check_address("北京市朝阳区建国路88号SOHO现代城5号楼1202") is not None
    assert check_address("北京") is None
    assert check_address("随便什么地方都行吧哈哈哈") is None
    assert check_address("朝阳区建国路") is None  # no house number


@pytest.mark.parametrize(
    ("field", "text", "expected"),
    [
        (ChangeField.PHONE, "139-1234-5678", CheckedValue("13912345678")),
        (ChangeField.PHONE, "尾号5678", _rejected(ValueProblem.INVALID_PHONE)),
        (ChangeField.ADDRESS, f" {HANGZHOU}。", CheckedValue(HANGZHOU)),
        (ChangeField.ADDRESS, "北京", _rejected(ValueProblem.INCOMPLETE_ADDRESS)),
        (ChangeField.SPEC, "换成L码", CheckedValue("黑色 / L")),
        # trial 23 replay: the size named last is the new one; of M and L, set order had picked
        (ChangeField.SPEC, "M改L", CheckedValue("黑色 / L")),
        (ChangeField.SPEC, "把M的换成L的", CheckedValue("黑色 / L")),
        (ChangeField.SPEC, "紫色", _rejected(ValueProblem.SPEC_NOT_FOUND)),
        (ChangeField.SPEC, "白色L", _rejected(ValueProblem.SPEC_SOLD_OUT, "白色 / L")),
    ],
)  # fmt: skip
def test_a_new_value_is_checked_and_kept_as_it_will_be_stored(db, field, text, expected):
    assert check_value(field, text, _unshipped_tshirt(db)) == expected


def test_the_spec_question_offers_the_other_specs_in_stock(db):
    order = _unshipped_tshirt(db)
    item = order.items[0]
    in_stock = tuple(
        v.label
        for v in item.variant.product.variants
        if v.id != item.variant_id and v.stock >= item.quantity
    )
    question = value_question(ChangeField.SPEC, order)
    assert question == ValueQuestion(
        ChangeField.SPEC, (SpecOptions(item.variant.product.name, in_stock[:MAX_OPTIONS_SHOWN]),)
    )
    offered = question.options[0].variants
    assert "黑色 / M" not in offered  # what the shopper already has
    assert "白色 / L" not in offered  # sold out


@pytest.mark.parametrize("field", [ChangeField.ADDRESS, ChangeField.PHONE])
def test_the_address_and_phone_questions_offer_no_options(db, field):
    assert value_question(field, _unshipped_tshirt(db)) == ValueQuestion(field)


def test_only_an_unshipped_order_can_be_changed(db):
    assert change_refusal(demo_order(db, "awaiting_shipment")) is None
    for situation, status in [
        ("in_transit", OrderStatus.SHIPPED),
        ("cancelled", OrderStatus.CANCELLED),
        ("returnable", OrderStatus.DELIVERED),
    ]:
        order = demo_order(db, situation)
        assert change_refusal(order) == ChangeRefused(order.order_no, status)


def test_the_address_change_is_stored_and_recorded(db, seeded_at, recorded):
    order = _unshipped_tshirt(db)
    old = order.shipping_address
    outcome = apply_change(db, order, ChangeField.ADDRESS, HANGZHOU, seeded_at)
    assert outcome == OrderChanged(order.order_no, ChangeField.ADDRESS, old, HANGZHOU)
    assert order.shipping_address == HANGZHOU
    [event] = recorded(EventName.ORDER_MODIFIED)
    assert (event.subject_type, event.subject_id) == (Subject.ORDER, order.order_no)
    assert (event.order_no, event.cause, event.actor) == (order.order_no, "address", "shopper")
    assert event.payload == {"before": old, "after": HANGZHOU}
    assert event.occurred_at == seeded_at


def test_a_spec_change_keeps_what_was_not_mentioned_and_moves_the_stock(db, seeded_at, recorded):
    order = _unshipped_tshirt(db)
    old_variant = order.items[0].variant
    old_stock = old_variant.stock
    new_variant = _variant(db, "P1001-BK-L")
    new_stock = new_variant.stock
    outcome = apply_change(db, order, ChangeField.SPEC, "换成L码", seeded_at)
    assert outcome == OrderChanged(
        order.order_no, ChangeField.SPEC, "黑色 / M", "黑色 / L", new_variant.product.name
    )
    assert order.items[0].variant.sku == "P1001-BK-L"  # still black: only the size was named
    assert (old_variant.stock, new_variant.stock) == (old_stock + 1, new_stock - 1)
    [event] = recorded(EventName.ORDER_MODIFIED)
    assert (event.cause, event.payload) == ("spec", {"before": "黑色 / M", "after": "黑色 / L"})


def test_a_sold_out_spec_is_refused_and_nothing_changes(db, seeded_at, recorded):
    order = _unshipped_tshirt(db)
    stock = order.items[0].variant.stock
    outcome = apply_change(db, order, ChangeField.SPEC, "白色L", seeded_at)
    assert outcome == ValueRejected(ValueProblem.SPEC_SOLD_OUT, "白色 / L")
    assert order.items[0].variant.sku == "P1001-BK-M"
    assert order.items[0].variant.stock == stock
    assert recorded(EventName.ORDER_MODIFIED) == []


@pytest.mark.parametrize(
    ("field", "text", "problem"),
    [
        (ChangeField.ADDRESS, "北京", ValueProblem.INCOMPLETE_ADDRESS),
        (ChangeField.PHONE, "尾号5678", ValueProblem.INVALID_PHONE),
        (ChangeField.SPEC, "紫色", ValueProblem.SPEC_NOT_FOUND),
    ],
)
def test_a_value_that_does_not_check_out_is_refused_and_nothing_changes(
    db, seeded_at, recorded, field, text, problem
):
    order = _unshipped_tshirt(db)
    before = (order.shipping_address, order.receiver_phone, order.items[0].variant.sku)
    assert apply_change(db, order, field, text, seeded_at) == ValueRejected(problem)
    assert (order.shipping_address, order.receiver_phone, order.items[0].variant.sku) == before
    assert recorded(EventName.ORDER_MODIFIED) == []


def test_a_phone_change_stores_the_whole_number(db, seeded_at, recorded):
    order = _unshipped_tshirt(db)
    old = order.receiver_phone
    outcome = apply_change(db, order, ChangeField.PHONE, "139-1234-5678", seeded_at)
    assert outcome == OrderChanged(order.order_no, ChangeField.PHONE, old, "13912345678")
    assert order.receiver_phone == "13912345678"
    assert order.phone_tail == "5678"  # the shopper now verifies the order with the new tail
    [event] = recorded(EventName.ORDER_MODIFIED)
    assert event.cause == "phone"


@pytest.mark.parametrize("situation", ["in_transit", "returnable", "cancelled"])
def test_an_order_past_changing_is_left_as_it_was(db, seeded_at, recorded, situation):
    order = demo_order(db, situation)
    before = order.shipping_address
    outcome = apply_change(db, order, ChangeField.ADDRESS, HANGZHOU, seeded_at)
    assert outcome == ChangeRefused(order.order_no, order.status, ChangeField.ADDRESS)
    assert order.shipping_address == before
    assert recorded(EventName.ORDER_MODIFIED) == []


# --- what the shopper writes, cleaned and checked ------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"改成{SHANGHAI}", SHANGHAI),
        (f"新地址：{SHANGHAI}", SHANGHAI),
        (f"地址是{SHANGHAI}吧", SHANGHAI),
        ("手机号是13912345678", "13912345678"),
        ("新疆乌鲁木齐市天山区解放南路8号", "新疆乌鲁木齐市天山区解放南路8号"),
        # which place it is, said before it (trial 26 T886, trial 27 T947)
        (f"改到公司：{SHANGHAI}", SHANGHAI),
        (f"改成公司 {SHANGHAI}", SHANGHAI),
    ],
)  # fmt: skip
def test_a_value_is_kept_without_the_words_around_it(text, expected):
    assert clean_value(text) == expected


def test_an_address_after_gai_cheng_is_stored_without_it(db, seeded_at):
    order = _unshipped_tshirt(db)
    outcome = apply_change(db, order, ChangeField.ADDRESS, f"改成{SHANGHAI}", seeded_at)
    assert isinstance(outcome, OrderChanged)
    assert outcome.after == SHANGHAI
    assert order.shipping_address == SHANGHAI


@pytest.mark.parametrize("text", ["浦东新区张江路88号3栋601", "朝阳区建国路88号超市旁边2单元"])
def test_an_address_without_its_province_or_city_is_questioned(db, text):
    checked = check_value(ChangeField.ADDRESS, text, _unshipped_tshirt(db))
    assert checked == _rejected(ValueProblem.ADDRESS_WITHOUT_CITY)


@pytest.mark.parametrize(
    "text", ["杭州西湖区文三路100号2幢301", "广东省佛山市顺德区大良街道凤山路8号", HANGZHOU]
)
def test_an_address_naming_its_city_or_province_is_accepted(text):
    assert check_address(text) is not None


def test_an_overlong_address_says_so(db):
    checked = check_value(ChangeField.ADDRESS, SHANGHAI + "隔壁" * 60, _unshipped_tshirt(db))
    assert checked == _rejected(ValueProblem.ADDRESS_TOO_LONG)


@pytest.mark.parametrize(("text", "digits"), [("1391234567", 10), ("139123456789", 12)])
def test_a_phone_a_digit_short_or_long_is_told_its_length(db, text, digits):
    checked = check_value(ChangeField.PHONE, text, _unshipped_tshirt(db))
    assert checked == CheckedValue(None, ValueRejected(ValueProblem.PHONE_DIGITS, digits=digits))


# --- delivery appointments ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "明天家里没人 能不能改天送",
        "周六下午再送吧",
        "能不能放快递柜",
        "帮我约个送货时间",
        "改送货时间",
    ],
)
def test_when_or_where_the_parcel_comes_is_a_delivery_appointment(text):
    assert read_change(text).field == ChangeField.DELIVERY_TIME


def test_an_appointment_is_its_own_value_and_a_vague_one_has_none():
    assert read_change("周六下午再送吧") == ChangeRequest(
        ChangeField.DELIVERY_TIME, "周六下午再送吧"
    )
    assert read_change("改天再送吧") == ChangeRequest(ChangeField.DELIVERY_TIME, None)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("送到公司去 地址改一下", ChangeField.ADDRESS),
        ("地址改成小区门卫室", ChangeField.ADDRESS),
        ("电话号码改一下", ChangeField.PHONE),
        ("颜色拍错了", ChangeField.SPEC),
    ],
)  # fmt: skip
def test_appointment_words_do_not_take_the_other_fields(text, field):
    assert read_change(text).field == field


def _tomorrow(now) -> date:
    return now.astimezone(SHOP_TZ).date() + timedelta(days=1)


def test_an_appointment_on_an_unshipped_order_is_stored_for_the_warehouse(db, seeded_at, recorded):
    order = _unshipped_tshirt(db)
    wanted = DeliveryAppointment(
        _tomorrow(seeded_at) + timedelta(days=1), 18, None, DeliveryPlace.LOCKER
    )
    pending = pending_change(order, ChangeField.DELIVERY_TIME, wanted.code())
    assert pending == AppointmentToConfirm(order.order_no, wanted, carrier=None)
    outcome = apply_change(db, order, ChangeField.DELIVERY_TIME, wanted.code(), seeded_at)
    assert outcome == DeliveryAppointed(order.order_no, wanted)
    assert order_appointment(order) == wanted
    assert (order.delivery_via_carrier, order.delivery_requested_at) == (False, seeded_at)
    [event] = recorded(EventName.ORDER_DELIVERY_SCHEDULED)
    assert (event.order_no, event.actor, event.carrier) == (order.order_no, "shopper", None)
    assert event.payload["from_hour"] == 18
    assert event.payload["place"] == "locker"
    assert event.payload["via_carrier"] is False
    assert recorded(EventName.ORDER_MODIFIED) == []


def test_an_appointment_on_a_shipped_order_is_a_request_passed_to_its_carrier(
    db, seeded_at, recorded
):
    order = demo_order(db, "in_transit")
    carrier = order.latest_shipment.carrier
    checked = check_value(ChangeField.DELIVERY_TIME, "放快递柜", order, seeded_at)
    assert checked.value is not None
    wanted = DeliveryAppointment(place=DeliveryPlace.LOCKER)
    assert pending_change(order, ChangeField.DELIVERY_TIME, checked.value) == (
        AppointmentToConfirm(order.order_no, wanted, carrier)
    )
    first = apply_change(db, order, ChangeField.DELIVERY_TIME, checked.value, seeded_at)
    assert first == DeliveryAppointed(order.order_no, wanted, carrier)
    assert order.delivery_via_carrier is True
    later = DeliveryAppointment(_tomorrow(seeded_at), 9, 12)
    second = apply_change(db, order, ChangeField.DELIVERY_TIME, later.code(), seeded_at)
    assert second == DeliveryAppointed(order.order_no, later, carrier, replaced=wanted)
    events = recorded(EventName.ORDER_DELIVERY_SCHEDULED)
    assert [e.carrier for e in events] == [carrier, carrier]
    assert events[1].payload["replaced"] == wanted.code()


def test_a_shipped_order_takes_an_appointment_for_today_an_unshipped_one_does_not(db, seeded_at):
    today = DeliveryAppointment(seeded_at.astimezone(SHOP_TZ).date()).code()
    morning = seeded_at.astimezone(SHOP_TZ).replace(hour=10).astimezone(seeded_at.tzinfo)
    shipped = check_value(ChangeField.DELIVERY_TIME, today, demo_order(db, "in_transit"), morning)
    assert shipped.value == today
    unshipped = check_value(ChangeField.DELIVERY_TIME, today, _unshipped_tshirt(db), morning)
    assert unshipped.rejected is not None
    assert unshipped.rejected.appointment == AppointmentRejected(
        AppointmentProblem.TOO_SOON, day=_tomorrow(morning)
    )


@pytest.mark.parametrize("situation", ["returnable", "cancelled"])
def test_a_delivered_or_cancelled_order_takes_no_appointment(db, seeded_at, recorded, situation):
    order = demo_order(db, situation)
    wanted = DeliveryAppointment(_tomorrow(seeded_at)).code()
    outcome = apply_change(db, order, ChangeField.DELIVERY_TIME, wanted, seeded_at)
    assert outcome == ChangeRefused(order.order_no, order.status, ChangeField.DELIVERY_TIME)
    assert order_appointment(order) is None
    assert recorded(EventName.ORDER_DELIVERY_SCHEDULED) == []


def test_only_the_delivery_time_can_change_once_shipped():
    assert can_change(OrderStatus.SHIPPED, ChangeField.DELIVERY_TIME)
    assert not can_change(OrderStatus.SHIPPED, None)
    assert not any(can_change(OrderStatus.SHIPPED, f) for f in ChangeField if f != "delivery_time")
    assert not can_change(OrderStatus.DELIVERED, ChangeField.DELIVERY_TIME)
    assert all(can_change(OrderStatus.AWAITING_SHIPMENT, f) for f in ChangeField)


def test_the_appointment_question_names_the_last_day_and_who_has_the_parcel(db, seeded_at):
    latest = seeded_at.astimezone(SHOP_TZ).date() + timedelta(days=7)
    unshipped = value_question(ChangeField.DELIVERY_TIME, _unshipped_tshirt(db), seeded_at)
    assert unshipped == ValueQuestion(ChangeField.DELIVERY_TIME, latest_day=latest)
    shipped = value_question(ChangeField.DELIVERY_TIME, demo_order(db, "in_transit"), seeded_at)
    assert shipped.with_carrier is True


@pytest.mark.parametrize(
    "text", ["能不能改一下地址", "换成黑色L", "周六送行吗", "放快递柜吧", "能约个时间吗"]
)
def test_words_that_ask_for_a_change_are_read_as_one(text):
    assert asks_for_change(text)


@pytest.mark.parametrize(
    "text", ["白色S一件 黑色XL一件 多少钱", "门槛2.5公分能过去吗", "大约几天能到", "明天能送到吗"]
)
def test_words_that_only_name_a_colour_a_size_or_a_height_ask_for_no_change(text):
    assert not asks_for_change(text)


@pytest.mark.parametrize("text", ["大约周五能送到吗", "大约明天下午能送到不"])
def test_asking_about_when_it_comes_is_no_appointment_wished(text):
    assert read_change(text).field is None  # 大约 is "about", never 约 a delivery


@pytest.mark.parametrize("text", ["白天不在家 到了放门卫 别打电话", "放快递柜 不用打电话"])
def test_a_word_about_calling_beside_a_drop_off_is_no_phone_change(text):
    # trial 22, T727: "到了放门卫 别打电话" on a shipped order was refused as a phone change
    assert read_change(text).field == ChangeField.DELIVERY_TIME

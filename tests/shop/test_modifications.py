"""Changing an unshipped order: what the shopper asks for, checked values, stock and events."""

import pytest
from sqlalchemy import select

from core.events import EventName, Subject
from shop.models import Order, OrderStatus, Variant
from shop.modifications import (
    MAX_OPTIONS_SHOWN,
    ChangeField,
    ChangeRefused,
    ChangeRequest,
    CheckedValue,
    OrderChanged,
    SpecOptions,
    ValueProblem,
    ValueQuestion,
    ValueRejected,
    apply_change,
    change_refusal,
    check_address,
    check_value,
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
    assert outcome == ChangeRefused(order.order_no, order.status)
    assert order.shipping_address == before
    assert recorded(EventName.ORDER_MODIFIED) == []

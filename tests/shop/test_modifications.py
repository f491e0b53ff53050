"""Changing an unshipped order: what the shopper asks for, checked values, stock and events."""

import pytest
from sqlalchemy import select

from core.events import Event
from shop.models import Order, Variant
from shop.modifications import (
    ChangeField,
    ChangeRequest,
    apply_change,
    check_address,
    check_phone,
    modifiable,
    read_change,
)
from tests.shop.conftest import demo_order

SHANGHAI = "上海市浦东新区张江路88号"


def _unshipped_tshirt(db) -> Order:
    """The demo order of one black M T-shirt (P1001-BK-M), not yet shipped."""
    orders = [o for o in db.scalars(select(Order)) if o.status.value == "awaiting_shipment"]
    return next(o for o in orders if o.items[0].variant.sku == "P1001-BK-M")


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


def test_only_an_unshipped_order_can_be_changed(db):
    assert modifiable(demo_order(db, "awaiting_shipment")).done
    shipped = modifiable(demo_order(db, "in_transit"))
    assert not shipped.done
    assert "拦截改派" in shipped.message
    assert not modifiable(demo_order(db, "cancelled")).done
    assert not modifiable(demo_order(db, "returnable")).done


def test_the_address_change_is_stored_and_recorded(db, seeded_at):
    order = _unshipped_tshirt(db)
    old = order.shipping_address
    outcome = apply_change(
        db, order, ChangeField.ADDRESS, "杭州市西湖区文三路100号2幢301", seeded_at
    )
    assert outcome.done
    assert "文三路100号" in outcome.message
    assert order.shipping_address == "杭州市西湖区文三路100号2幢301"
    event = db.scalars(select(Event).where(Event.name == "order.modified")).all()[-1]
    assert event.payload == {"field": "address", "before": old, "after": order.shipping_address}


def test_a_spec_change_keeps_what_was_not_mentioned_and_moves_the_stock(db, seeded_at):
    order = _unshipped_tshirt(db)
    old_variant = order.items[0].variant
    old_stock = old_variant.stock
    new_variant = db.scalars(select(Variant).where(Variant.sku == "P1001-BK-L")).one()
    new_stock = new_variant.stock
    outcome = apply_change(db, order, ChangeField.SPEC, "换成L码", seeded_at)
    assert outcome.done, outcome.message
    assert order.items[0].variant.sku == "P1001-BK-L"  # still black: only the size was named
    assert (old_variant.stock, new_variant.stock) == (old_stock + 1, new_stock - 1)


def test_a_sold_out_spec_is_refused_and_nothing_changes(db, seeded_at):
    order = _unshipped_tshirt(db)
    outcome = apply_change(db, order, ChangeField.SPEC, "白色L", seeded_at)
    assert not outcome.done
    assert "没货" in outcome.message
    assert order.items[0].variant.sku == "P1001-BK-M"


def test_a_phone_change_is_masked_in_the_answer(db, seeded_at):
    order = _unshipped_tshirt(db)
    outcome = apply_change(db, order, ChangeField.PHONE, "13912345678", seeded_at)
    assert outcome.done
    assert "139****5678" in outcome.message
    assert order.receiver_phone == "13912345678"


def test_a_shipped_order_is_left_as_it_was(db, seeded_at):
    order = demo_order(db, "in_transit")
    before = order.shipping_address
    outcome = apply_change(
        db, order, ChangeField.ADDRESS, "杭州市西湖区文三路100号2幢301", seeded_at
    )
    assert not outcome.done
    assert order.shipping_address == before

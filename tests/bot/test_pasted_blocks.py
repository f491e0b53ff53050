"""A new address pasted as a block while an unshipped order's change waits (trial 7 T135): the
address alone is said back, the phone said to stay is left alone, the shopper's own name changes
nothing, another name is said back as a new receiver; a number put right is said back whole and
the yes after it makes the change."""

from sqlalchemy import select

from bot.actions.order_changes import ActionApplyOrderChange
from conversations.reading import Answer, answer_to_confirmation
from shop.models import Order
from tests.bot.conftest import DOMAIN, demo_order, make_tracker
from tests.bot.test_changes_waiting_for_yes import Chat, _texts

STREET = "江苏省苏州市姑苏区人民路1099号桃花坞小区6幢2单元503室"


def _order(db, order_no: str) -> Order:
    return db.scalars(select(Order).where(Order.order_no == order_no)).one()


async def test_a_pasted_block_with_the_own_name_is_said_back_as_the_address_alone(db):
    chat = Chat("awaiting_shipment", "address", None, "change_value")
    name = _order(db, chat.order_no).receiver_name
    out = await chat.say(f"收货人：{name}\n地址：{STREET}\n电话不变")
    assert chat.slots["change_value"] == STREET
    said = _texts(out)
    assert f"「{STREET}」" in said
    assert "收货人" not in said
    assert "电话" not in said
    assert "手机号" not in said


async def test_a_pasted_block_with_another_name_is_said_back_as_a_receiver_change(db):
    chat = Chat("awaiting_shipment", "address", None, "change_value")
    out = await chat.say(f"收件人:顾安然 收货地址:{STREET} 手机还是原来的")
    assert chat.slots["change_value"] == STREET
    said = _texts(out)
    assert f"收货地址改成「{STREET}」" in said
    assert "收货人改成「顾安然」" in said


async def test_a_number_put_right_in_a_pasted_block_is_said_back_whole_then_a_yes_makes_it(db):
    chat = Chat("awaiting_shipment", "address", None, "change_value")
    await chat.say(f"收货人：顾安然 / 地址：{STREET} / 电话不变")
    out = await chat.say("哎呀写错了 不是503 是502", "report_wrong_or_missing_item")
    fixed = STREET.replace("503室", "502室")
    assert chat.slots["change_value"] == fixed
    assert f"「{fixed}」" in _texts(out)
    assert "顾安然" in _texts(out)  # the receiver is kept beside the corrected address
    assert answer_to_confirmation("对 就这个 改吧") == Answer.YES


async def test_the_confirmed_block_changes_the_address_and_the_receiver_not_the_phone(
    dispatcher, db
):
    order_no, tail = demo_order("awaiting_shipment")
    phone = _order(db, order_no).receiver_phone
    tracker = make_tracker(
        {
            "verified_order_no": order_no,
            "phone_tail": tail,
            "change_field": "address",
            "change_value": STREET,
            "also_change": ["receiver", "顾安然"],
            "change_confirmed": True,
        }
    )
    await ActionApplyOrderChange().run(dispatcher, tracker, DOMAIN)
    order = _order(db, order_no)
    assert (order.shipping_address, order.receiver_name, order.receiver_phone) == (
        STREET,
        "顾安然",
        phone,
    )
    said = " ".join(m["text"] for m in dispatcher.messages)
    assert "收货人改为：顾安然" in said

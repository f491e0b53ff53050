"""An unshipped order can be changed in the chat: the form's checks and the final change."""

import uuid

import pytest
from rasa_sdk import Tracker
from sqlalchemy import select

from bot.actions.order_changes import (
    ActionApplyOrderChange,
    ActionAskChangeConfirmed,
    ActionAskChangeValue,
    ValidateModifyOrderForm,
)
from shop.models import Order
from shop.modifications import ChangeField, field_named
from tests.bot.conftest import DOMAIN, demo_order, make_tracker, responses, slots_set, user_event

NEW_ADDRESS = "杭州市西湖区文三路100号2幢301"


def _form_turn(text: str, intent: str, slots: dict, just_set: dict | None = None) -> Tracker:
    """The form's turn after the shopper wrote `text`; `just_set` are slots Rasa filled from it."""
    tracker = make_tracker({**slots, **(just_set or {})}, text, intent, "modify_order_form")
    tracker.sender_id = uuid.uuid4().hex
    tracker.events = [{"event": "user", "text": text}] + [
        {"event": "slot", "name": name, "value": value} for name, value in (just_set or {}).items()
    ]
    return tracker


async def test_the_first_message_already_says_what_to_change(dispatcher, db):
    text = f"地址写错了 改成{NEW_ADDRESS}"
    events = await ValidateModifyOrderForm().run(
        dispatcher, _form_turn(text, "modify_order", {"requested_slot": None}), DOMAIN
    )
    slots = slots_set(events)
    assert slots["change_field"] == "address"
    assert slots["change_value"] == NEW_ADDRESS


async def test_the_new_phone_in_the_request_is_not_taken_as_the_verifying_tail(dispatcher, db):
    order_no, _ = demo_order("awaiting_shipment")
    tracker = _form_turn(
        "手机号改成13912345678",
        "modify_order",
        {"order_id": order_no},
        just_set={"phone_tail": "5678"},
    )
    slots = slots_set(await ValidateModifyOrderForm().run(dispatcher, tracker, DOMAIN))
    assert slots["phone_tail"] is None
    assert slots["change_field"] == "phone"
    assert slots["change_value"] == "13912345678"
    assert "utter_pair_not_matched" not in responses(dispatcher)  # no failed try counted


async def test_a_shipped_order_ends_the_form_at_once(dispatcher, db):
    order_no, tail = demo_order("in_transit")
    slots = {"order_id": order_no, "verified_order_no": order_no, "phone_tail": tail}
    tracker = _form_turn("1234", "inform", {"requested_slot": "phone_tail"}, slots)
    events = await ValidateModifyOrderForm().run(dispatcher, tracker, DOMAIN)
    assert slots_set(events)["requested_slot"] is None


async def test_an_unusable_address_is_asked_for_again(dispatcher, db):
    order_no, tail = demo_order("awaiting_shipment")
    slots = {
        "order_id": order_no,
        "verified_order_no": order_no,
        "phone_tail": tail,
        "change_field": "address",
        "requested_slot": "change_value",
    }
    tracker = _form_turn("朝阳区那边", "inform", slots)
    events = await ValidateModifyOrderForm().run(dispatcher, tracker, DOMAIN)
    assert slots_set(events)["change_value"] is None
    assert dispatcher.messages[0]["text"] == "这个地址好像不完整。"  # the form asks again next


def _verified_unshipped(**slots) -> dict:
    order_no, tail = demo_order("awaiting_shipment")
    return {"order_id": order_no, "verified_order_no": order_no, "phone_tail": tail, **slots}


@pytest.mark.parametrize("text", ["算了", "先不改了吧"])
async def test_stopping_at_the_value_question_is_not_taken_for_the_value(dispatcher, text):
    slots = _verified_unshipped(change_field="address", requested_slot="change_value")
    events = await ValidateModifyOrderForm().run(
        dispatcher, _form_turn(text, "deny", slots), DOMAIN
    )
    assert "change_value" not in slots_set(events)  # the form rejects: the stop rule answers
    assert dispatcher.messages == []


async def test_a_plain_phone_number_is_the_value_whatever_nlu_made_of_it(dispatcher):
    slots = _verified_unshipped(change_field="phone", requested_slot="change_value")
    tracker = _form_turn("139 1234 5678", "faq", slots)
    events = await ValidateModifyOrderForm().run(dispatcher, tracker, DOMAIN)
    assert slots_set(events)["change_value"] == "13912345678"


async def test_a_new_change_starts_without_the_values_of_one_that_was_stopped(dispatcher):
    stale = {"change_field": "address", "change_value": NEW_ADDRESS, "requested_slot": None}
    tracker = _form_turn(
        "帮我把手机号改成13800001111", "modify_order", _verified_unshipped(**stale)
    )
    slots = slots_set(await ValidateModifyOrderForm().run(dispatcher, tracker, DOMAIN))
    assert slots["change_field"] == "phone"
    assert slots["change_value"] == "13800001111"


async def test_a_value_named_before_its_field_is_checked_once_the_field_is_picked(dispatcher):
    slots = _verified_unshipped(change_value="朝阳区那边", requested_slot="change_field")
    tracker = _form_turn("改收货地址", "modify_order", slots)
    result = slots_set(await ValidateModifyOrderForm().run(dispatcher, tracker, DOMAIN))
    assert result["change_field"] == "address"
    assert result["change_value"] is None  # the address question follows
    assert dispatcher.messages[0]["text"] == "这个地址好像不完整。"


async def test_a_spec_named_before_verification_is_checked_against_the_order(dispatcher, db):
    order_no, tail = demo_order("awaiting_shipment", "P1001-BK-M")
    slots = {"order_id": order_no, "change_field": "spec", "change_value": "换成L码"}
    tracker = _form_turn(tail, "inform", {**slots, "requested_slot": "phone_tail"}, {
        "phone_tail": tail
    })  # fmt: skip
    result = slots_set(await ValidateModifyOrderForm().run(dispatcher, tracker, DOMAIN))
    assert result["verified_order_no"] == order_no
    assert result["change_value"] == "黑色 / L"


async def test_a_sold_out_spec_named_before_verification_is_said_so(dispatcher, db):
    order_no, tail = demo_order("awaiting_shipment", "P1001-BK-M")
    slots = {"order_id": order_no, "change_field": "spec", "change_value": "白色L"}
    tracker = _form_turn(tail, "inform", {**slots, "requested_slot": "phone_tail"}, {
        "phone_tail": tail
    })  # fmt: skip
    result = slots_set(await ValidateModifyOrderForm().run(dispatcher, tracker, DOMAIN))
    assert result["change_value"] is None
    assert dispatcher.messages[0]["text"] == "白色 / L 暂时没货了。"


def test_each_button_of_the_field_question_names_its_own_field():
    buttons = DOMAIN["responses"]["utter_ask_change_field"][0]["buttons"]
    assert [field_named(b["payload"]) for b in buttons] == list(ChangeField)


async def test_the_spec_question_lists_the_variants_in_stock(dispatcher, db):
    order_no, _ = demo_order("awaiting_shipment", "P1001-BK-M")
    tracker = make_tracker({"change_field": "spec", "verified_order_no": order_no})
    await ActionAskChangeValue().run(dispatcher, tracker, DOMAIN)
    question = dispatcher.messages[0]["text"]
    assert "黑色 / L" in question
    assert "白色 / L" not in question  # sold out
    assert "黑色 / M" not in question  # what the order already has


async def test_the_question_and_the_confirmation_name_the_field_and_value(dispatcher, db):
    order_no, _ = demo_order("awaiting_shipment")
    tracker = make_tracker({"change_field": "phone", "verified_order_no": order_no})
    await ActionAskChangeValue().run(dispatcher, tracker, DOMAIN)
    assert "11位" in dispatcher.messages[0]["text"]
    tracker = make_tracker(
        {"change_field": "address", "change_value": NEW_ADDRESS, "verified_order_no": order_no}
    )
    await ActionAskChangeConfirmed().run(dispatcher, tracker, DOMAIN)
    assert NEW_ADDRESS in dispatcher.messages[1]["text"]
    assert [b["payload"] for b in dispatcher.messages[1]["buttons"]] == ["/affirm", "/deny"]


async def test_a_confirmed_change_is_made_and_the_slots_are_cleared(dispatcher, db):
    order_no, tail = demo_order("awaiting_shipment", "P3001-BK-12256")
    tracker = make_tracker(
        {
            "verified_order_no": order_no,
            "phone_tail": tail,
            "change_field": "address",
            "change_value": NEW_ADDRESS,
            "change_confirmed": True,
        }
    )
    events = await ActionApplyOrderChange().run(dispatcher, tracker, DOMAIN)
    assert "已经帮您把订单" in dispatcher.messages[0]["text"]
    assert slots_set(events)["change_value"] is None
    order = db.scalars(select(Order).where(Order.order_no == order_no)).one()
    assert order.shipping_address == NEW_ADDRESS


async def test_without_a_yes_nothing_is_changed(dispatcher, db):
    order_no, tail = demo_order("awaiting_shipment", "P9002-CF")
    tracker = make_tracker(
        {
            "verified_order_no": order_no,
            "phone_tail": tail,
            "change_field": "phone",
            "change_value": "13912345678",
        }
    )
    await ActionApplyOrderChange().run(dispatcher, tracker, DOMAIN)
    assert responses(dispatcher) == ["utter_change_stopped"]
    order = db.scalars(select(Order).where(Order.order_no == order_no)).one()
    assert order.receiver_phone[-4:] == tail


async def test_a_shipped_order_is_explained_and_a_human_offered(dispatcher, db):
    order_no, tail = demo_order("in_transit")
    tracker = make_tracker({"verified_order_no": order_no, "phone_tail": tail})
    await ActionApplyOrderChange().run(dispatcher, tracker, DOMAIN)
    assert "已经发出了" in dispatcher.messages[0]["text"]
    assert dispatcher.messages[0]["buttons"][0]["payload"] == "/request_human"


async def test_digits_of_the_new_phone_do_not_undo_the_verification(dispatcher, db):
    order_no, _ = demo_order("awaiting_shipment")
    slots = {
        "order_id": order_no,
        "verified_order_no": order_no,
        "change_field": "phone",
        "requested_slot": "change_value",
    }
    tracker = _form_turn("139 1234 5678", "inform", slots, just_set={"phone_tail": "5678"})
    result = slots_set(await ValidateModifyOrderForm().run(dispatcher, tracker, DOMAIN))
    assert "verified_order_no" not in result  # still verified, no failed try counted
    assert "lookup_failures" not in result
    assert result["change_value"] == "13912345678"
    assert "utter_pair_not_matched" not in responses(dispatcher)


# --- buttons and other requests are never taken for the value ------------------------------


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("/track_order", "track_order"),
        ("/affirm", "affirm"),
        ("/request_human", "request_human"),
        ("我的快递到哪了", "track_order"),
        ("这款有蓝色吗", "ask_stock"),
    ],
)
async def test_a_button_or_another_request_at_the_value_question_is_not_the_value(
    dispatcher, text, intent
):
    slots = _verified_unshipped(change_field="address", requested_slot="change_value")
    events = await ValidateModifyOrderForm().run(
        dispatcher, _form_turn(text, intent, slots), DOMAIN
    )
    assert set(slots_set(events)) <= {"requested_slot"}  # the form rejects: the rules answer it
    assert dispatcher.messages == []


async def test_a_new_address_after_gai_cheng_is_kept_without_it(dispatcher):
    slots = _verified_unshipped(change_field="address", requested_slot="change_value")
    tracker = _form_turn(f"改成{NEW_ADDRESS}", "modify_order", slots)
    events = await ValidateModifyOrderForm().run(dispatcher, tracker, DOMAIN)
    assert slots_set(events)["change_value"] == NEW_ADDRESS


async def test_an_address_without_its_city_asks_for_the_full_one(dispatcher):
    slots = _verified_unshipped(change_field="address", requested_slot="change_value")
    tracker = _form_turn("浦东新区张江路88号3栋601", "inform", slots)
    events = await ValidateModifyOrderForm().run(dispatcher, tracker, DOMAIN)
    assert slots_set(events)["change_value"] is None  # the form asks for the value again
    assert "没有省份和城市" in dispatcher.messages[0]["text"]


async def test_a_phone_a_digit_short_gets_its_length_and_the_form_stays(dispatcher):
    slots = _verified_unshipped(change_field="phone", requested_slot="change_value")
    tracker = _form_turn("1391234567", "inform", slots)
    events = await ValidateModifyOrderForm().run(dispatcher, tracker, DOMAIN)
    assert slots_set(events)["change_value"] is None  # the form asks for the phone again
    assert "10位" in dispatcher.messages[0]["text"]
    assert "11位" in dispatcher.messages[0]["text"]


# --- delivery appointments ------------------------------------------------------------------


async def test_an_appointment_in_the_first_message_waits_for_the_order_then_is_checked(
    dispatcher, db
):
    order_no, tail = demo_order("in_transit")
    first = _form_turn("能不能放快递柜", "modify_order", {"requested_slot": None})
    slots = slots_set(await ValidateModifyOrderForm().run(dispatcher, first, DOMAIN))
    assert slots["change_field"] == "delivery_time"
    assert slots["change_value"] == "能不能放快递柜"  # said before the order is known
    tracker = _form_turn(
        tail, "inform", {**slots, "order_id": order_no, "requested_slot": "phone_tail"},
        {"phone_tail": tail},
    )  # fmt: skip
    result = slots_set(await ValidateModifyOrderForm().run(dispatcher, tracker, DOMAIN))
    assert result["verified_order_no"] == order_no
    assert result["change_value"] == "-|-|-|locker"
    assert result.get("requested_slot", "goes on") is not None  # shipped, yet the form goes on


async def test_a_shipped_order_without_an_appointment_to_make_ends_the_form(dispatcher, db):
    order_no, tail = demo_order("in_transit")
    slots = {"order_id": order_no, "verified_order_no": order_no, "phone_tail": tail}
    tracker = _form_turn("地址改一下", "modify_order", {**slots, "change_field": "address"})
    events = await ValidateModifyOrderForm().run(dispatcher, tracker, DOMAIN)
    assert slots_set(events)["requested_slot"] is None


async def test_the_appointment_confirmation_says_the_carrier_has_the_parcel(dispatcher, db):
    order_no, _ = demo_order("in_transit")
    tracker = make_tracker(
        {"change_field": "delivery_time", "change_value": "-|18|-|-", "verified_order_no": order_no}
    )
    await ActionAskChangeConfirmed().run(dispatcher, tracker, DOMAIN)
    text = dispatcher.messages[0]["text"]
    assert "「18点以后」" in text
    assert "转达" in text
    assert "以快递的实际安排为准" in text


async def test_a_confirmed_appointment_is_stored_and_said(dispatcher, db):
    order_no, tail = demo_order("in_transit")
    tracker = make_tracker(
        {
            "verified_order_no": order_no,
            "phone_tail": tail,
            "change_field": "delivery_time",
            "change_value": "-|-|-|gatehouse",
            "change_confirmed": True,
        }
    )
    events = await ActionApplyOrderChange().run(dispatcher, tracker, DOMAIN)
    assert "「放门卫」" in dispatcher.messages[0]["text"]
    assert slots_set(events)["lookup_failures"] == 0
    order = db.scalars(select(Order).where(Order.order_no == order_no)).one()
    assert (order.delivery_place, order.delivery_via_carrier) == ("gatehouse", True)


async def test_a_delivered_order_is_told_no_appointment_can_be_made(dispatcher, db):
    order_no, tail = demo_order("returnable")
    tracker = make_tracker(
        {"verified_order_no": order_no, "phone_tail": tail, "change_field": "delivery_time"}
    )
    await ActionApplyOrderChange().run(dispatcher, tracker, DOMAIN)
    assert "没法再约送货时间" in dispatcher.messages[0]["text"]


async def test_another_day_instead_of_a_yes_is_checked_and_said_back_again(dispatcher, db):
    order_no, tail = demo_order("awaiting_shipment")
    said_back = "-|18|-|-"
    slots = {
        "order_id": order_no,
        "verified_order_no": order_no,
        "phone_tail": tail,
        "change_field": "delivery_time",
        "requested_slot": "change_confirmed",
    }
    tracker = _form_turn("还是后天上午吧", "affirm", slots, {"change_confirmed": True})
    tracker.events = [
        {"event": "slot", "name": "change_value", "value": said_back},
        *tracker.events,
    ]
    tracker.slots["change_value"] = said_back
    result = slots_set(await ValidateModifyOrderForm().run(dispatcher, tracker, DOMAIN))
    assert result["change_value"].endswith("|9|12|-")
    assert result["change_value"] != said_back
    assert result["change_confirmed"] is None  # the new day is said back for its own yes


async def test_a_plain_yes_to_the_appointment_said_back_keeps_it(dispatcher, db):
    order_no, tail = demo_order("awaiting_shipment")
    slots = {
        "order_id": order_no,
        "verified_order_no": order_no,
        "phone_tail": tail,
        "change_field": "delivery_time",
        "change_value": "-|18|-|-",
        "requested_slot": "change_confirmed",
    }
    tracker = _form_turn("好的", "affirm", slots, {"change_confirmed": True})
    result = slots_set(await ValidateModifyOrderForm().run(dispatcher, tracker, DOMAIN))
    assert result.get("change_confirmed") is True
    assert "change_value" not in result


async def test_a_change_naming_another_order_number_is_about_that_order(dispatcher, db):
    """Trial 21, T714: with the face cream's refunded order verified, "另外三体今天在派送 …
    能放快递柜吗 6901…" got "订单 <the cream's> 已经签收了", the books' number unread."""
    refunded, tail = demo_order("refunded")
    other, other_tail = demo_order("out_for_delivery", which=1)
    assert other_tail == tail  # one shopper's two orders: the tail given before verifies it
    slots = {"order_id": refunded, "verified_order_no": refunded, "phone_tail": tail}
    text = f"另外那个今天在派送 下午不在家 能放快递柜吗 {other}"
    tracker = _form_turn(text, "modify_order", {**slots, "requested_slot": None})
    events = await ValidateModifyOrderForm().run(dispatcher, tracker, DOMAIN)
    assert slots_set(events)["verified_order_no"] == other
    assert slots_set(events)["order_id"] == other


async def test_another_shoppers_order_number_in_a_change_asks_its_own_tail(dispatcher, db):
    refunded, tail = demo_order("refunded")
    other, other_tail = demo_order("out_for_delivery", which=0)
    assert other_tail != tail
    slots = {"order_id": refunded, "verified_order_no": refunded, "phone_tail": tail}
    tracker = _form_turn(
        f"这单能放快递柜吗 {other}", "modify_order", {**slots, "requested_slot": None}
    )
    events = await ValidateModifyOrderForm().run(dispatcher, tracker, DOMAIN)
    assert slots_set(events)["verified_order_no"] is None
    assert slots_set(events)["phone_tail"] is None  # the form asks for this order's own


async def test_a_size_change_on_goods_in_hand_is_the_exchange_said_back(dispatcher, db):
    """Trial 24, T821: 就是想把XL换成L 吊牌还在 没穿过 on a signed order was told the order can no
    longer change and to say what is wrong."""
    order_no, tail = demo_order("returnable")
    tracker = make_tracker(
        {"verified_order_no": order_no, "phone_tail": tail},
        text="就是想把XL换成L 吊牌还在 没穿过",
        intent="modify_order",
    )
    events = await ActionApplyOrderChange().run(dispatcher, tracker, DOMAIN)
    said = dispatcher.messages[0]["text"]
    assert "没法再改" not in said
    assert "申请退换货吗" in said
    assert slots_set(events)["pending_request"] == "request_return_exchange"


async def test_the_postage_of_an_exchange_on_goods_in_hand_is_told_from_the_order(dispatcher, db):
    order_no, tail = demo_order("returnable")
    tracker = make_tracker(
        {"verified_order_no": order_no, "phone_tail": tail},
        text="换的话运费我出是吧",
        intent="modify_order",
    )
    await ActionApplyOrderChange().run(dispatcher, tracker, DOMAIN)
    said = dispatcher.messages[0]["text"]
    assert "没法再改" not in said
    assert "运费" in said


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("那黑色L 帮我换一下", "request_return_exchange"),  # trial 24, T801
        ("黑色L 帮我换一下", "modify_order"),
    ],
)
async def test_a_variant_of_the_goods_named_is_the_spec_to_change_to(dispatcher, db, text, intent):
    order_no, tail = demo_order("awaiting_shipment", "P1001-BK-M")
    slots = {"order_id": order_no, "phone_tail": tail, "verified_order_no": order_no}
    tracker = _form_turn(text, intent, slots)
    result = slots_set(await ValidateModifyOrderForm().run(dispatcher, tracker, DOMAIN))
    assert result["change_field"] == "spec"
    assert result["change_value"] == "黑色 / L"


async def test_a_colour_of_the_goods_named_with_no_change_word_is_the_spec(dispatcher, db):
    order_no, tail = demo_order("awaiting_shipment", which=2)  # a bedding set and face towels
    slots = {"order_id": order_no, "phone_tail": tail, "verified_order_no": order_no}
    tracker = _form_turn("四件套雾霾蓝 帮我换一下", "modify_order", slots)
    result = slots_set(await ValidateModifyOrderForm().run(dispatcher, tracker, DOMAIN))
    assert result["change_field"] == "spec"
    assert result["change_value"].startswith("雾霾蓝")


async def test_a_colour_asked_for_goods_that_came_broken_is_no_no_reason_exchange(dispatcher, db):
    """The replay of T659: 补发吧 换个蓝色的 after a kettle came cracked got the no-reason
    return said back."""
    order_no, tail = demo_order("returnable")
    tracker = make_tracker(
        {"verified_order_no": order_no, "phone_tail": tail},
        text="补发吧 换个蓝色的",
        intent="modify_order",
        earlier=[user_event("水壶底座裂开了 收到就是坏的", "report_damaged_item")],
    )
    await ActionApplyOrderChange().run(dispatcher, tracker, DOMAIN)
    assert "申请退换货吗" not in dispatcher.messages[0]["text"]

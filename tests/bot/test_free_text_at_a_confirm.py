"""Free text while a change or a delivery wish is said back for its yes (trial 5: T41, T42,
T50, T51): a refinement updates what waits and is said back whole, a question is answered and
the change re-offered in one short line, and the form never says it is stuck to a clear message.
"""

import uuid
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from bot.actions.form_turns import times_asked
from bot.actions.order_changes import (
    ActionAnswerDuringChange,
    ActionApplyOrderChange,
    ActionAskChangeConfirmed,
    ValidateModifyOrderForm,
)
from core.events import Event, EventName
from shop.appointments import DeliveryAppointment
from shop.models import DeliveryPlace
from tests.bot.conftest import DOMAIN, demo_order, make_tracker, responses

NEW_ADDRESS = "杭州市西湖区文三路100号2幢301"
SATURDAY = "周六送"


def _waiting(situation: str, field: str, value: str, **more: Any) -> dict[str, Any]:
    order_no, tail = demo_order(situation)
    return {
        "order_id": order_no,
        "verified_order_no": order_no,
        "phone_tail": tail,
        "change_field": field,
        "change_value": value,
        "requested_slot": "change_confirmed",
        **more,
    }


def _after_say_back(slots: dict[str, Any], text: str, intent: str, *between: str) -> Tracker:
    """The turn after the change in `slots` was said back once: the shopper wrote `text`, and
    the actions `between` (a rule's answer) ran before the form."""
    tracker = make_tracker(slots, text, intent, "modify_order_form")
    tracker.sender_id = uuid.uuid4().hex
    tracker.events = [
        *({"event": "slot", "name": k, "value": v} for k, v in slots.items()),
        {"event": "action", "name": "action_ask_change_confirmed"},
        {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}},
        *({"event": "action", "name": name} for name in between),
    ]
    return tracker


async def _form_turn(tracker: Tracker) -> tuple[dict[str, Any], CollectingDispatcher]:
    """The form's validation, then its question put again; what was set and what was said."""
    out = CollectingDispatcher()
    events = await ValidateModifyOrderForm().run(out, tracker, DOMAIN)
    found = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    tracker.slots.update(found)
    tracker.events.extend(
        [
            {"event": "action", "name": "modify_order_form"},
            *({"event": "slot", "name": k, "value": v} for k, v in found.items()),
            {"event": "slot", "name": "requested_slot", "value": "change_confirmed"},
        ]
    )
    await ActionAskChangeConfirmed().run(out, tracker, DOMAIN)
    return found, out


def _code(text: str) -> str:
    from core.clock import utcnow
    from shop.appointments import read_appointment

    return read_appointment(text, utcnow()).code()


@pytest.mark.parametrize("text", ["周六上午吧 下午我出门", "上午送就行", "那就早上 九点到十二点"])
async def test_a_time_of_day_said_while_a_day_is_said_back_updates_it_and_says_it_back_whole(
    db, text
):
    slots = _waiting("in_transit", "delivery_time", _code(SATURDAY))
    found, out = await _form_turn(_after_say_back(slots, text, "inform"))
    appointment = DeliveryAppointment.from_code(found["change_value"])
    assert appointment is not None
    assert appointment.day == DeliveryAppointment.from_code(_code(SATURDAY)).day  # type: ignore[union-attr]
    assert (appointment.from_hour, appointment.until_hour) == (9, 12)
    assert found["change_confirmed"] is None  # the yes is for what is said back now
    assert "utter_form_stuck" not in responses(out)
    said = out.messages[-1]["text"]
    assert "上午" in said
    assert "周六" in said
    assert "确认帮您转达吗" in said


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("汇贤居北门那个门卫室", "汇贤居北门门卫室"),
        ("放东门保安亭那儿吧", "东门保安亭"),
        ("就放南区3栋门卫就行", "南区3栋门卫"),
    ],
)
async def test_a_gate_named_while_a_gatehouse_drop_off_waits_is_kept_and_passed_on(
    db, text, detail
):
    gatehouse = DeliveryAppointment(place=DeliveryPlace.GATEHOUSE).code()
    slots = _waiting("out_for_delivery", "delivery_time", gatehouse)
    found, out = await _form_turn(_after_say_back(slots, text, "inform"))
    assert "utter_form_stuck" not in responses(out)
    assert f"放{detail}" in out.messages[-1]["text"]

    done = CollectingDispatcher()
    confirmed = make_tracker({**slots, **found, "change_confirmed": True})
    await ActionApplyOrderChange().run(done, confirmed, DOMAIN)
    assert f"放{detail}" in done.messages[0]["text"]
    event = db.scalars(
        select(Event)
        .where(Event.name == EventName.ORDER_DELIVERY_SCHEDULED)
        .order_by(Event.id.desc())
    ).first()
    assert event is not None
    assert event.payload["place_note"] == detail


async def test_the_gate_named_earlier_stays_when_the_drop_off_is_said_again_plainly(db):
    noted = DeliveryAppointment(place=DeliveryPlace.GATEHOUSE, place_note="汇贤居北门门卫室")
    slots = _waiting("out_for_delivery", "delivery_time", noted.code())
    found, out = await _form_turn(_after_say_back(slots, "那好吧 放门卫就行", "inform"))
    assert found["change_value"] == noted.code()
    assert "汇贤居北门门卫室" in out.messages[-1]["text"]
    assert "utter_form_stuck" not in responses(out)


async def test_a_new_phone_while_the_address_is_said_back_is_said_back_never_stuck(db):
    slots = _waiting("awaiting_shipment", "address", NEW_ADDRESS)
    tracker = _after_say_back(slots, "手机号也换一下 159 6812 3377", "modify_order")
    found, out = await _form_turn(tracker)
    assert found["also_change"] == ["phone", "15968123377"]
    assert "utter_form_stuck" not in responses(out)
    said = out.messages[-1]["text"]
    assert NEW_ADDRESS in said
    assert "15968123377" in said


@pytest.mark.parametrize(
    ("text", "intent", "answer"),
    [
        ("价格一样吧 不用补钱吧", "ask_price_promotion", "action_answer_price"),
        ("这个退货要运费吗", "faq", "action_answer_faq"),
        ("你好", "greet", "utter_greet"),
    ],
)
async def test_a_question_answered_while_a_change_waits_re_offers_it_in_one_short_line(
    db, text, intent, answer
):
    slots = _waiting("awaiting_shipment", "address", NEW_ADDRESS)
    _, out = await _form_turn(_after_say_back(slots, text, intent, answer))
    assert "utter_form_stuck" not in responses(out)
    said = out.messages[-1]["text"]
    assert "还没提交" in said
    assert NEW_ADDRESS in said
    assert [b["title"] for b in out.messages[-1]["buttons"]] == ["确认修改", "先不改了"]


@pytest.mark.parametrize("text", ["快递员电话能给我吗", "现在到哪了", "快递到哪儿了 啥时候送到"])
async def test_a_tracking_question_while_a_drop_off_waits_is_answered_and_the_drop_off_kept(
    db, text
):
    gatehouse = DeliveryAppointment(place=DeliveryPlace.GATEHOUSE).code()
    slots = _waiting("out_for_delivery", "delivery_time", gatehouse)
    tracker = _after_say_back(slots, text, "track_order")
    out = CollectingDispatcher()
    events = await ActionAnswerDuringChange().run(out, tracker, DOMAIN)
    assert not any(e.get("event") == "active_loop" for e in events)  # the change goes on
    assert "utter_change_set_aside" not in responses(out)
    shipment_no = demo_order("out_for_delivery")[0]
    assert shipment_no in out.messages[0]["text"]  # the order's own tracking
    tracker.events.append({"event": "action", "name": "action_answer_during_change"})
    _, asked = await _form_turn(tracker)
    assert "还没转达" in asked.messages[-1]["text"]


async def test_a_tracking_question_before_the_order_is_checked_waits_for_it(db):
    tracker = make_tracker({}, "到哪了", "track_order", "modify_order_form")
    out = CollectingDispatcher()
    await ActionAnswerDuringChange().run(out, tracker, DOMAIN)
    assert responses(out) == ["utter_request_noted"]


def _asks(*turns: tuple[str, str, list[dict[str, Any]]]) -> Tracker:
    events: list[dict[str, Any]] = []
    for text, intent, after in turns:
        events += [
            {"event": "slot", "name": "requested_slot", "value": "change_confirmed"},
            {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}},
            {"event": "action", "name": "modify_order_form"},
            *after,
        ]
    tracker = make_tracker({}, turns[-1][0], turns[-1][1], "modify_order_form")
    tracker.events = [
        *events,
        {"event": "slot", "name": "requested_slot", "value": "change_confirmed"},
    ]
    return tracker


def test_a_message_that_gave_nothing_twice_still_counts_as_asked_again():
    tracker = _asks(("嗯嗯嗯", "inform", []), ("啊这", "inform", []))
    assert times_asked(tracker, "change_confirmed") == 3


def test_a_refinement_or_an_answered_question_starts_the_count_again():
    refined = {"event": "slot", "name": "change_value", "value": "-|9|12|-"}
    answered = {"event": "action", "name": "action_answer_price"}
    assert (
        times_asked(
            _asks(("嗯", "inform", []), ("上午吧", "inform", [refined])), "change_confirmed"
        )
        == 1
    )
    assert (
        times_asked(
            _asks(("嗯", "inform", []), ("多少钱", "ask_price_promotion", [answered])),
            "change_confirmed",
        )
        == 1
    )


@pytest.mark.parametrize("text", ["对 白色M", "是的 白色/M"])
async def test_a_yes_with_the_spec_said_back_restated_is_the_yes(text):
    # trial 22, T721: "对 白色M" to 「白色 / M」 said back got the same question again
    slots = _waiting("awaiting_shipment", "spec", "白色 / M")
    found, _ = await _form_turn(_after_say_back(slots, text, "affirm"))
    assert found.get("change_confirmed") is True
    assert "change_value" not in found or found["change_value"] == "白色 / M"


@pytest.mark.parametrize(
    ("text", "intent"),
    [("要等一礼拜啊 算了算了 还是黑的L 别耽误发货", "deny"),
     ("那算了 还是要黑色L吧", "inform")],
)  # fmt: skip
async def test_settling_on_the_spec_said_back_after_weighing_another_is_the_yes(text, intent):
    # trial 23, T761: 白色L was sold out; "算了算了 还是黑的L" to 「黑色 / L」 said back was
    # read as 先不改了 and the change dropped
    slots = _waiting("awaiting_shipment", "spec", "黑色 / L")
    found, _ = await _form_turn(_after_say_back(slots, text, intent))
    assert found.get("change_confirmed") is True


@pytest.mark.parametrize("text", ["算了算了 还是XL吧", "算了 不改了"])
async def test_another_spec_or_a_plain_no_after_a_sigh_is_no_yes_to_the_one_said_back(text):
    slots = _waiting("awaiting_shipment", "spec", "黑色 / L")
    found, _ = await _form_turn(_after_say_back(slots, text, "deny"))
    assert found.get("change_confirmed") is not True


async def test_a_new_address_while_a_size_is_said_back_is_said_back_beside_it(db):
    # trial 27, T947 t3: the address was taken for a size ("没找到您说的这个规格"), and the
    # size change waiting for its yes was dropped
    slots = _waiting("awaiting_shipment", "spec", "黑色 / L")
    text = "地址也改下 改成公司 杭州市拱墅区莫干山路100号耀江国际大厦B座1502 电话不变"
    found, out = await _form_turn(_after_say_back(slots, text, "modify_order"))
    assert found["also_change"] == ["address", "杭州市拱墅区莫干山路100号耀江国际大厦B座1502"]
    said = out.messages[-1]["text"]
    assert "黑色 / L" in said
    assert "杭州市拱墅区莫干山路100号耀江国际大厦B座1502" in said
    assert "没找到" not in "\n".join(m.get("text") or "" for m in out.messages)


async def test_a_new_phone_with_a_no_to_the_old_one_while_a_size_is_said_back_stops_nothing(db):
    # the review of session 28: 不用原来的 read as a no stopped the size change waiting
    slots = _waiting("awaiting_shipment", "spec", "黑色 / L")
    text = "电话也换一个 不用原来的 13912345678"
    found, out = await _form_turn(_after_say_back(slots, text, "modify_order"))
    assert found.get("change_confirmed") is not False
    assert found["also_change"] == ["phone", "13912345678"]
    said = out.messages[-1]["text"]
    assert "黑色 / L" in said
    assert "13912345678" in said

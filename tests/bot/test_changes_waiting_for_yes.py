"""Typed words while a change (a delivery wish, an address, a variant) waits for its yes (trial 7:
T123, T124, T128, T129, T135, T136): a no in words stops it, a replacement or a correction is
said back whole, a question about when it comes is answered from the tracking and the change
offered again, and the stuck line comes at most once, never twice in a row.

The turns are played as Rasa plays them: the form's actions get a tracker with the requested
slot copied in right before the form's run is marked (rasa.core.actions.forms), and the ask is
recorded only after it is made."""

import itertools
import uuid
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from bot.actions.common import form_turn
from bot.actions.order_changes import (
    ActionApplyOrderChange,
    ActionAskChangeConfirmed,
    ActionAskChangeValue,
    ValidateModifyOrderForm,
)
from core.clock import utcnow
from core.events import Event
from shop.appointments import (
    DeliveryAppointment,
    asks_arrival,
    is_delivery_wish,
    read_appointment,
)
from shop.modifications import ChangeField, corrected, read_change
from tests.bot.conftest import DOMAIN, demo_order, responses

FORM = "modify_order_form"
NEW_ADDRESS = "浙江省杭州市拱墅区丽水路58号运河天地2幢1单元703室"


def _code(text: str) -> str:
    return read_appointment(text, utcnow()).code()


class Chat:
    """A change form waiting for the shopper, turn after turn, with the events Rasa records."""

    def __init__(
        self, situation: str, field: str, value: str | None, asked: str, which: int = 0
    ) -> None:
        order_no, tail = demo_order(situation, which=which)
        self.slots: dict[str, Any] = {
            "lookup_failures": 0.0,
            "lookup_blocked": False,
            "order_id": order_no,
            "verified_order_no": order_no,
            "phone_tail": tail,
            "change_field": field,
            "change_value": value,
            "requested_slot": asked,
        }
        self.order_no = order_no
        self.events: list[dict[str, Any]] = [
            {"event": "action", "name": FORM},
            *({"event": "slot", "name": k, "value": v} for k, v in self.slots.items()),
            {"event": "bot", "text": "said back"},
            {"event": "action", "name": "action_listen"},
        ]
        self.ended = False
        self.sender = uuid.uuid4().hex

    def _tracker(self, text: str, intent: str, events: list[dict[str, Any]]) -> Tracker:
        return Tracker(
            sender_id=self.sender,
            slots=dict(self.slots),
            latest_message={"text": text, "intent": {"name": intent, "confidence": 1.0}},
            events=events,
            paused=False,
            followup_action=None,
            active_loop={"name": FORM},
            latest_action_name="action_listen",
        )

    async def say(self, text: str, intent: str = "inform") -> CollectingDispatcher:
        """The shopper writes `text`; what the bot says back (the form's rule answers nothing:
        intent inform or modify_order resumes the form)."""
        asked = self.slots["requested_slot"]
        self.events += [
            {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}},
            {"event": "action", "name": "action_extract_slots"},
        ]
        marker = [
            {"event": "slot", "name": "requested_slot", "value": asked},
            {"event": "action", "name": FORM},
        ]
        out = CollectingDispatcher()
        found_events = await ValidateModifyOrderForm().run(
            out, self._tracker(text, intent, self.events + marker), DOMAIN
        )
        found = {e["name"]: e["value"] for e in found_events if e.get("event") == "slot"}
        if not found:  # the form rejects it: the rule resumes the form
            self.events += [
                {"event": "action_execution_rejected", "name": FORM},
                {"event": "action", "name": "action_resume_form"},
            ]
        self.slots.update(found)
        said = [{"event": "bot", "text": m.get("text")} for m in out.messages]
        if "requested_slot" in found and found["requested_slot"] is None:
            self.ended = True
            await ActionApplyOrderChange().run(out, self._tracker(text, intent, []), DOMAIN)
            return out
        now_asked = "change_confirmed" if self.slots.get("change_value") else "change_value"
        ask_events = [
            *self.events,
            *marker,
            *({"event": "slot", "name": k, "value": v} for k, v in found.items()),
            *said,
        ]
        ask = ActionAskChangeConfirmed if now_asked == "change_confirmed" else ActionAskChangeValue
        asked_out = CollectingDispatcher()
        await ask().run(asked_out, self._tracker(text, intent, ask_events), DOMAIN)
        out.messages.extend(asked_out.messages)
        self.slots["requested_slot"] = now_asked
        self.events += [
            {"event": "action", "name": FORM},
            *({"event": "slot", "name": k, "value": v} for k, v in found.items()),
            *said,
            {"event": "slot", "name": "requested_slot", "value": now_asked},
            *({"event": "bot", "text": m.get("text")} for m in asked_out.messages),
            {"event": "action", "name": "action_listen"},
        ]
        return out


def _texts(out: CollectingDispatcher) -> str:
    return " ".join(m.get("text") or "" for m in out.messages)


@pytest.mark.parametrize(
    "text", ["或者周六 周六我一整天在", "周日也行 周日我在家", "那改成后天吧 后天有人"]
)
async def test_a_shopper_who_offers_another_day_for_a_waiting_wish_hears_it_back_not_stuck(
    db, text
):
    chat = Chat("in_transit", "delivery_time", _code("18点以后"), "change_confirmed")
    out = await chat.say(text)
    assert "utter_form_stuck" not in responses(out)
    assert "确认帮您转达吗" in _texts(out)
    wish = DeliveryAppointment.from_code(chat.slots["change_value"])
    assert wish is not None
    assert wish.day is not None


async def test_the_stuck_line_comes_at_most_once_and_never_twice_in_a_row(db):
    chat = Chat("in_transit", "delivery_time", _code("周六上午"), "change_confirmed")
    said = [responses(await chat.say(text)) for text in ("额", "啊这", "嗯嗯那个", "。。。", "哈")]
    stuck = ["utter_form_stuck" in turn for turn in said]
    assert sum(stuck) <= 1
    assert not any(a and b for a, b in itertools.pairwise(stuck))


@pytest.mark.parametrize(
    "text",
    [
        "哎算了算了 明天上午我也得出去",
        "刚才说的明天上午那个就不要了啊 别到时候又给我送上门",
        "上午那个不要了",
        "算了不用了 明天上午也没人",
        "先不改了",
    ],
)
async def test_a_shopper_who_takes_a_waiting_delivery_wish_back_in_words_stops_it(db, text):
    chat = Chat("out_for_delivery", "delivery_time", _code("明天上午"), "change_confirmed")
    out = await chat.say(text)
    assert chat.ended
    assert "utter_change_stopped" in responses(out)
    assert "utter_form_stuck" not in responses(out)
    stored = db.scalars(select(Event).where(Event.conversation_id == chat.sender)).all()
    assert stored == []


async def test_a_no_read_as_deny_is_left_to_the_rule_that_stops_the_change(db):
    chat = Chat("out_for_delivery", "delivery_time", _code("明天上午"), "change_confirmed")
    tracker = chat._tracker(
        "哎算了算了 明天上午我也得出去",
        "deny",
        [{"event": "user", "text": "哎算了算了 明天上午我也得出去"}],
    )
    assert await ValidateModifyOrderForm().run(CollectingDispatcher(), tracker, DOMAIN) == []


@pytest.mark.parametrize(
    "text",
    [
        "那就晚上6点以后吧 周六算了 帮我备注上",
        "周六不要了 就晚上6点以后",
        "周六算了 还是晚上六点后吧",
    ],
)
async def test_a_shopper_who_drops_one_part_of_a_wish_hears_the_rest_said_back(db, text):
    chat = Chat("in_transit", "delivery_time", _code("周六18点以后"), "change_confirmed")
    out = await chat.say(text)
    wish = DeliveryAppointment.from_code(chat.slots["change_value"])
    assert wish is not None
    assert wish.day is None
    assert wish.from_hour == 18
    said = _texts(out)
    assert "周六" not in said
    assert "18点以后" in said


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("直接给我放快递柜吧 小区门口丰巢那个", "丰巢"),
        ("还是放驿站吧", "驿站"),
        ("放快递柜就行", "快递柜"),
    ],
)
async def test_a_locker_named_instead_of_a_morning_replaces_the_wish_and_is_said_back_whole(
    db, text, word
):
    chat = Chat("out_for_delivery", "delivery_time", _code("明天上午"), "change_confirmed")
    out = await chat.say(text)
    said = _texts(out)
    assert word in said
    assert "上午" not in said
    assert "确认帮您转达吗" in said


@pytest.mark.parametrize(
    "text", ["明天能送到吗 能的话我就等", "周六前能到不", "来得及吗 后天就要用"]
)
async def test_a_shopper_who_asks_whether_it_comes_in_time_gets_the_tracking_and_the_wish_kept(
    db, text
):
    waiting = _code("后天上午")
    chat = Chat("in_transit", "delivery_time", waiting, "change_confirmed")
    out = await chat.say(text)
    assert chat.slots["change_value"] == waiting  # not a new wish
    assert "utter_form_stuck" not in responses(out)
    said = _texts(out)
    assert "预计" in said or "物流" in said  # the tracking answers it
    assert "还没转达给" in said  # the wish offered again in one line


@pytest.mark.parametrize(
    "text",
    [
        "下周三前能到不",
        "我后天一大早出差 本来要带走的",
        "周五之前能送到吗",
        "大后天就搬走了 来得及吗",
    ],
)
def test_a_deadline_question_never_becomes_a_delivery_appointment(text):
    assert asks_arrival(text)
    assert not is_delivery_wish(text, utcnow())
    assert read_change(text).field != ChangeField.DELIVERY_TIME


@pytest.mark.parametrize("text", ["周六上午送", "后天下午送吧", "放门卫就行"])
def test_a_plain_wish_is_still_a_wish(text):
    assert not asks_arrival(text)
    assert is_delivery_wish(text, utcnow())


@pytest.mark.parametrize(
    "text", ["不对不对 是702 我打错了", "不是703 是702", "门牌号打错了 应该是702"]
)
async def test_a_shopper_who_corrects_a_number_of_a_new_address_hears_the_whole_address_back(
    db, text
):
    chat = Chat("awaiting_shipment", "address", NEW_ADDRESS, "change_confirmed")
    out = await chat.say(text, "deny" if text.startswith("不") else "inform")
    assert chat.slots["change_value"] == NEW_ADDRESS.replace("703室", "702室")
    said = _texts(out)
    assert "1单元702室" in said
    assert "确认修改吗" in said


def test_a_correction_names_the_number_it_replaces():
    assert corrected(NEW_ADDRESS, "是3幢 不是2幢") == NEW_ADDRESS.replace("2幢", "3幢")
    assert corrected(NEW_ADDRESS, "好的 就这个") is None
    assert corrected(NEW_ADDRESS, "12点前能送吗") is None


@pytest.mark.parametrize(
    "text", ["哦 我这个已经是黑的了 那就不换了", "那还是不换了", "不改了 就这个吧"]
)
async def test_a_shopper_who_keeps_the_variant_in_words_stops_the_change(db, text):
    chat = Chat("awaiting_shipment", "spec", None, "change_value")
    out = await chat.say(text)
    assert chat.ended
    assert "utter_change_stopped" in responses(out)


@pytest.mark.parametrize(
    "text", ["圆通是送到门口还是直接扔驿站啊", "是送上门还是要我自己去取呢", "放柜子里还是放门卫？"]
)
async def test_a_question_between_two_ways_it_comes_is_not_taken_for_a_new_wish(db, text):
    waiting = _code("晚上6点以后")
    chat = Chat("in_transit", "delivery_time", waiting, "change_confirmed")
    await chat.say(text)
    assert chat.slots["change_value"] == waiting


@pytest.mark.parametrize("text", ["嗯 换L 确认", "帮我把M换成L", "改成L吧"])
async def test_a_size_named_after_its_change_word_is_the_spec_change(db, text):
    """T527: "帮我把M换成L" and "嗯 换L 确认" got the menu of what to change, twice."""
    chat = Chat("awaiting_shipment", None, None, "change_field")
    out = await chat.say(text, "modify_order")
    assert chat.slots.get("change_field") == "spec"
    assert "黑色 / L" in _texts(out)  # said back for the yes, nothing changed yet
    assert not chat.ended


async def test_a_cancel_taken_back_beside_the_colour_waiting_never_stops_the_colour_change(db):
    # trial 20, T642: 不取消了 was read as "no" to the colour said back, and the change dropped
    bedding = 2  # the third unshipped demo order: the 奶咖色 四件套 (雾霾蓝 in stock) and towels
    chat = Chat("awaiting_shipment", "spec", None, "change_value", which=bedding)
    await chat.say("四件套换成雾霾蓝")
    assert chat.slots["requested_slot"] == "change_confirmed"
    assert "雾霾蓝" in str(chat.slots["change_value"])
    await chat.say("那就不取消了 四件套换成雾霾蓝 价格一样吧")
    assert chat.slots.get("change_confirmed") is not False  # never stopped
    assert "雾霾蓝" in str(chat.slots["change_value"])


async def test_the_hours_of_the_part_of_the_day_said_back_asked_are_no_new_wish(db):
    """Trial 25, T873 t3: 下午是几点到几点, asked while 12月9日下午 waited for its yes, was read as
    the same wish and said back again (and, outside the form, as the agents' hours)."""
    waiting = _code("后天下午")
    chat = Chat("awaiting_shipment", "delivery_time", waiting, "change_confirmed")
    tracker = chat._tracker("下午是几点到几点？", "faq", chat.events)
    form = ValidateModifyOrderForm()
    with form_turn():
        assert await form.extract_change_value(CollectingDispatcher(), tracker, DOMAIN) == {}


async def test_a_refund_asked_on_another_order_while_a_wish_waits_is_answered_and_the_wish_kept(
    db,
):
    """Trial 27, T954: 还有个键盘退了 退款到哪一步了 2433… while a drop-off waited for its yes
    switched the change to the keyboard's order and said it could no longer be delivered."""
    chat = Chat("out_for_delivery", "delivery_time", _code("放小区快递柜"), "change_confirmed")
    other, _ = demo_order("refund_in_progress", sku="P4003-GR")
    assert chat.order_no == "7031372159010928"  # the fryer; the keyboard is the same shopper's
    out = await chat.say(f"还有个键盘退了 退款到哪一步了 {other}", "ask_refund_status")
    assert not chat.ended
    assert chat.slots["verified_order_no"] == chat.order_no
    assert f"订单 {other} 的退款" in _texts(out)
    assert "还没转达" in _texts(out)


@pytest.mark.parametrize("text", ["电话不变", "收件人还是我"])
async def test_another_detail_said_to_stay_while_the_address_waits_keeps_it_waiting(db, text):
    """Trial 28, T986: 电话不变 after the new address was said back dropped the change."""
    chat = Chat("awaiting_shipment", "address", NEW_ADDRESS, "change_confirmed")
    out = await chat.say(text)
    assert not chat.ended
    assert chat.slots["change_value"] == NEW_ADDRESS
    assert "确认" in _texts(out)


async def test_a_change_said_to_be_meant_for_another_order_is_not_kept_on_this_one(db):
    """The review of session 29: 等下 我搞错了 要改地址的是<other>这单 它发货了没 (read as
    tracking) answered the other order and kept the address change on this one for a yes."""
    chat = Chat("out_for_delivery", "address", NEW_ADDRESS, "change_confirmed")
    other, _ = demo_order("refund_in_progress", sku="P4003-GR")  # the same shopper's
    await chat.say(f"等下 我搞错了 要改地址的是{other}这单 它发货了没", "track_order")
    assert chat.slots["verified_order_no"] != chat.order_no or chat.ended


async def test_the_detail_being_changed_said_to_stay_stops_the_change(db):
    """The review of session 29: 地址还是原来的 to the new address said back asked again."""
    chat = Chat("awaiting_shipment", "address", NEW_ADDRESS, "change_confirmed")
    out = await chat.say("地址还是原来的")
    assert chat.ended
    assert "utter_change_stopped" in responses(out)

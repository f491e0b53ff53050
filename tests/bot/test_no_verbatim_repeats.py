"""The bot never says again word for word what it said in its last two turns: tracking shown a
moment ago answers the question asked on it, anything else is said in one short line."""

from datetime import timedelta

import pytest
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.common import Turn
from bot.actions.order_lookup import ActionHandleOrderRequest
from core.clock import to_shop_time, utcnow
from core.database import unit_of_work
from shop.tracking import order_progress
from tests.bot.conftest import make_tracker, order_in, user_event
from words.render import Button, button, day_text, say

HUMAN = button(Button.HUMAN)


def _bot(text: str) -> dict:
    return {"event": "bot", "text": text}


async def _track_again(order, text: str, earlier: list[dict]) -> list[dict]:
    """The tracking answer to `text`, after `earlier` turns (the card shown in them)."""
    tracker = make_tracker({"verified_order_no": order.order_no}, text, "track_order", None)
    tracker.events = [*earlier, user_event(text, "track_order")]
    dispatcher = CollectingDispatcher()
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    return dispatcher.messages


def _card(order) -> str:
    return say(order_progress(order, utcnow()))


async def test_a_shopper_who_asks_if_it_comes_tomorrow_after_the_card_gets_the_expected_date(db):
    order = order_in(db, "in_transit")
    card = _card(order)
    earlier = [user_event("查下快递", "track_order"), _bot(card)]
    messages = await _track_again(order, "明天能到吗", earlier)
    text = messages[0]["text"]
    shipment, promised = order.latest_shipment, order.promised_delivery_by
    assert shipment is not None
    assert promised is not None
    assert text != card
    assert shipment.tracking_no not in text
    expected = to_shop_time(promised).date()
    tomorrow = to_shop_time(utcnow()).date() + timedelta(days=1)
    assert f"预计 {day_text(expected)} 前送达" in text
    verdict = "应该能到" if tomorrow >= expected else "可能到不了"
    assert f"{day_text(tomorrow)}{verdict}" in text  # whether tomorrow is possible


async def test_a_shopper_who_asks_how_long_after_the_card_gets_the_expected_date_only(db):
    order = order_in(db, "in_transit")
    earlier = [user_event("查下快递", "track_order"), _bot(_card(order))]
    text = (await _track_again(order, "那要多久", earlier))[0]["text"]
    assert "预计" in text
    assert "目前物流按时" in text
    assert "运单号" not in text


async def test_tracking_asked_again_with_nothing_new_is_one_short_line_with_a_person(db):
    order = order_in(db, "in_transit")
    earlier = [user_event("查下快递", "track_order"), _bot(_card(order))]
    messages = await _track_again(order, "嗯", earlier)
    assert messages[0]["text"].startswith("物流还是刚才那条")
    assert HUMAN in messages[0]["buttons"]


async def test_a_shopper_who_asks_for_the_couriers_phone_is_told_where_to_find_it(db):
    order = order_in(db, "out_for_delivery")
    earlier = [user_event("今天能送到吗", "track_order"), _bot(_card(order))]
    text = (await _track_again(order, "快递员电话能给我吗", earlier))[0]["text"]
    shipment = order.latest_shipment
    assert shipment is not None
    assert "完整电话我这边看不到" in text
    assert shipment.tracking_no in text  # where to look it up


async def test_an_unshipped_order_asked_again_says_it_has_not_shipped_and_where_to_see_it(db):
    order = order_in(db, "ship_overdue")
    earlier = [user_event("怎么还不发货", "track_order"), _bot(_card(order))]
    text = (await _track_again(order, "行 发了跟我说一声", earlier))[0]["text"]
    assert "还没有发货" in text
    assert "运单号" in text


async def test_the_card_shown_three_turns_ago_is_shown_in_full_again(db):
    order = order_in(db, "in_transit")
    card = _card(order)
    earlier = [
        user_event("查下快递", "track_order"),
        _bot(card),
        user_event("好的", "affirm"),
        _bot("请问还有什么可以帮您的吗？"),
        user_event("谢谢", "thank"),
        _bot("不客气"),
    ]
    messages = await _track_again(order, "到哪了", earlier)
    assert messages[0]["text"] == card


def _turn(said: list[str], db_session, now_said: str = "拍好了 这里发不了图片啊") -> Turn:
    earlier = []
    for text in said:
        earlier += [user_event("…", "faq"), _bot(text)]
    tracker = make_tracker({}, now_said, "faq", earlier=earlier)
    return Turn(db_session, tracker, CollectingDispatcher(), utcnow())


PHOTO_STEPS = "需要拍这3张：1. 快递外箱；2. 快递面单；3. 商品破损的地方。照片在「我的订单」里上传。"


def test_a_message_said_a_turn_ago_is_said_again_in_one_short_line_with_a_person_button():
    with unit_of_work() as session:
        turn = _turn([PHOTO_STEPS], session)
        turn.out.utter_message(text=PHOTO_STEPS)
        turn.out.utter_message(text=PHOTO_STEPS + "")  # a second copy in the same turn: left out
        messages = turn.out.messages
    assert len(messages) == 1
    assert messages[0]["text"].startswith("和刚才说的一样：需要拍这3张")
    assert messages[0]["text"] != PHOTO_STEPS
    assert HUMAN in messages[0]["buttons"]


def test_a_question_or_a_choice_offered_again_goes_out_as_it_is():
    question = "确认帮您把订单 123 的收货地址改成「杭州市西湖区文三路100号」吗？"
    choice = "核实后可以补发一件新的，也可以全额退款，您选哪种都可以。"
    confirm = [button(Button.CONFIRM_CHANGE), button(Button.KEEP_ORDER)]
    with unit_of_work() as session:
        turn = _turn([question, choice], session)
        turn.out.utter_message(text=question)
        turn.out.utter_message(text=choice, buttons=confirm)
        messages = turn.out.messages
    assert [m["text"] for m in messages] == [question, choice]


def test_a_card_said_back_for_a_yes_with_one_line_new_goes_out_whole():
    """Trial 27, T943: an e-mail added to the invoice said back left only the lines not said
    before (类型, 金额, 发送到), without the title the yes agrees to or the question."""
    card = (
        "帮您重新开一张：\n· 抬头：成都锦程商贸有限公司\n· 金额：¥199.00\n"
        "信息没问题的话点「确认」，我马上提交。"
    )
    with_email = card.replace("\n信息", "\n· 发送到：caiwu@jincheng.example.com\n信息")
    confirm = [button(Button.CONFIRM_REQUEST), button(Button.KEEP_REQUEST)]
    with unit_of_work() as session:
        turn = _turn([card], session)
        turn.out.utter_message(text=with_email, buttons=confirm)
        messages = turn.out.messages
    assert [m["text"] for m in messages] == [with_email]


WINDOW_PASSED = "价保期是付款后30天（截至 11月26日），现在已经过了价保期，没办法补差价了，抱歉。"


@pytest.mark.parametrize("pushed", ["差个几天而已 你们通融下呗", "别家都是保价60天的"])
def test_an_answer_pushed_back_on_is_kept_with_the_feeling_met_and_a_person_offered(pushed):
    with unit_of_work() as session:
        turn = _turn([WINDOW_PASSED], session, now_said=pushed)
        turn.out.utter_message(text=WINDOW_PASSED)
        messages = turn.out.messages
    assert messages[0]["text"].startswith("非常理解您的心情")
    assert "已经过了价保期" in messages[0]["text"]
    assert "和刚才说的一样" not in messages[0]["text"]
    assert HUMAN in messages[0]["buttons"]

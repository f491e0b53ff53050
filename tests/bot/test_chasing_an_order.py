"""A shopper chasing an order that has not shipped or stalled: the chase is registered at once
on a verified late order, and the follow-ups (今天能发吗, 你就说能不能发, 发了之后告诉我一声,
那先别取消 我急着用) are answered from the order and its chase, never with an unrelated FAQ or a
cancel."""

import uuid
from datetime import timedelta

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from bot.actions.complaints import ActionAnswerComplaint
from bot.actions.fallback import ActionClarify
from bot.actions.faq import ActionAnswerFaq
from bot.actions.order_lookup import ActionHandleOrderRequest
from conversations.models import Escalation, EscalationReason
from core.clock import utcnow
from shop.chasing import WAREHOUSE
from shop.models import CaseKind, LogisticsCase, Order, OrderStatus
from tests.bot.conftest import DOMAIN, demo_order, make_tracker, user_event


def _asking(order_no: str, text: str, intent: str, conversation: str | None = None, earlier=None):
    tracker = make_tracker(
        {"verified_order_no": order_no}, text=text, intent=intent, earlier=earlier
    )
    tracker.sender_id = conversation or uuid.uuid4().hex
    return tracker


def _cases(db, conversation: str) -> list[LogisticsCase]:
    cases = db.scalars(select(LogisticsCase)).all()
    return [c for c in cases if c.conversation_id == conversation]


def _order(db, order_no: str) -> Order:
    return db.scalars(select(Order).where(Order.order_no == order_no)).one()


def _texts(dispatcher) -> str:
    return "\n".join(m.get("text") or "" for m in dispatcher.messages)


async def _chased(db, dispatcher_cls, order_no: str) -> str:
    """The T06 start: a complaint that the order has not shipped, then the verified order."""
    tracker = _asking(order_no, "拍了好几天了怎么还不发货", "report_delivery_delay")
    await ActionHandleOrderRequest().run(dispatcher_cls(), tracker, DOMAIN)
    return tracker.sender_id


async def test_an_order_not_shipped_past_its_date_is_chased_at_once_with_the_answer_time(
    db, dispatcher
):
    order_no, _ = demo_order("ship_overdue")
    tracker = _asking(order_no, "拍了好几天了怎么还不发货", "report_delivery_delay")
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    text = _texts(dispatcher)
    assert "登记了催发货" in text
    assert "前给您答复" in text
    assert "截单" in text  # whether it can still leave today
    assert "发货后我会在这个对话里" in text
    assert all(not m.get("buttons") for m in dispatcher.messages)  # no yes/no first
    [case] = _cases(db, tracker.sender_id)
    assert (case.kind, case.carrier) == (CaseKind.DELAYED, WAREHOUSE)


async def test_you_just_say_whether_it_ships_is_answered_from_the_chase_not_the_carrier_faq(
    db, dispatcher
):
    from rasa_sdk.executor import CollectingDispatcher

    order_no, _ = demo_order("ship_overdue")
    conversation = await _chased(db, CollectingDispatcher, order_no)
    tracker = _asking(order_no, "你就说能不能发", "faq", conversation)
    await ActionAnswerFaq().run(dispatcher, tracker, DOMAIN)
    text = _texts(dispatcher)
    assert "截单" in text
    assert "已经帮您催过仓库了" in text
    assert all(not m.get("buttons") for m in dispatcher.messages)  # no carrier/region buttons


async def test_tell_me_when_it_ships_is_the_shipping_notice_not_the_price_protection_faq(
    db, dispatcher
):
    from rasa_sdk.executor import CollectingDispatcher

    order_no, _ = demo_order("ship_overdue")
    conversation = await _chased(db, CollectingDispatcher, order_no)
    tracker = _asking(order_no, "发了之后告诉我一声", "nlu_fallback", conversation)
    await ActionClarify().run(dispatcher, tracker, DOMAIN)
    text = _texts(dispatcher)
    assert "价保" not in text
    assert "运单号" in text
    assert "这个对话里" in text


async def test_do_not_cancel_i_need_it_keeps_the_order_and_chases_it(db, dispatcher):
    order_no, _ = demo_order("ship_overdue")
    tracker = _asking(order_no, "那先别取消 我急着用 再买别家也来不及了", "nlu_fallback")
    await ActionClarify().run(dispatcher, tracker, DOMAIN)
    text = _texts(dispatcher)
    assert "不会取消" in text
    assert "登记了催发货" in text
    assert "感谢您的光临" not in text
    assert _order(db, order_no).status == OrderStatus.AWAITING_SHIPMENT
    assert [c.carrier for c in _cases(db, tracker.sender_id)] == [WAREHOUSE]


async def test_do_not_cancel_just_chase_a_late_parcel_opens_its_late_case_without_a_yes(
    db, dispatcher
):
    order_no, _ = demo_order("late")
    tracker = _asking(order_no, "那先不取消 你们一定帮我催", "nlu_fallback")
    await ActionClarify().run(dispatcher, tracker, DOMAIN)
    text = _texts(dispatcher)
    assert "不会取消" in text
    assert "加急催件" in text
    assert "确认登记吗" not in text
    assert [c.kind for c in _cases(db, tracker.sender_id)] == [CaseKind.DELAYED]
    assert _order(db, order_no).status == OrderStatus.SHIPPED


async def test_a_notice_asked_on_an_order_on_time_is_honest_and_opens_nothing(db, dispatcher):
    order_no, _ = demo_order("awaiting_shipment")
    tracker = _asking(order_no, "发货了跟我说一声", "nlu_fallback")
    await ActionClarify().run(dispatcher, tracker, DOMAIN)
    text = _texts(dispatcher)
    assert "订单详情" in text
    assert "没法单独给您发发货提醒" in text
    assert _cases(db, tracker.sender_id) == []


async def test_a_carrier_question_on_a_late_order_still_gets_the_faq(db, dispatcher):
    order_no, _ = demo_order("ship_overdue")
    tracker = _asking(order_no, "能发顺丰吗", "faq")
    await ActionAnswerFaq().run(dispatcher, tracker, DOMAIN)
    text = _texts(dispatcher)
    assert "顺丰" in text
    assert "截单" not in text
    assert _cases(db, tracker.sender_id) == []


async def test_without_an_order_in_the_conversation_a_ship_question_is_the_faqs(db, dispatcher):
    tracker = make_tracker(text="今天能发吗", intent="faq")
    await ActionAnswerFaq().run(dispatcher, tracker, DOMAIN)
    assert "16:00" in _texts(dispatcher)  # the delivery_time answer, not an order's


async def test_can_it_ship_today_or_i_cancel_gets_the_chase_and_the_cut_off_never_a_cancel(
    db, dispatcher
):
    from rasa_sdk.executor import CollectingDispatcher

    order_no, _ = demo_order("ship_overdue")
    conversation = await _chased(db, CollectingDispatcher, order_no)
    earlier = [user_event("拍了好几天了怎么还不发货", "report_delivery_delay")]
    tracker = _asking(order_no, "今天能发吗 不然我就取消了", "complain", conversation, earlier)
    await ActionAnswerComplaint().run(dispatcher, tracker, DOMAIN)
    text = _texts(dispatcher)
    assert "已经帮您催过仓库了" in text
    assert "截单" in text
    assert _order(db, order_no).status == OrderStatus.AWAITING_SHIPMENT


async def test_can_it_ship_today_on_a_chased_order_says_the_cut_off_and_the_chase(db, dispatcher):
    from rasa_sdk.executor import CollectingDispatcher

    order_no, _ = demo_order("ship_overdue")
    conversation = await _chased(db, CollectingDispatcher, order_no)
    tracker = _asking(order_no, "今天能发吗", "track_order", conversation)
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    text = _texts(dispatcher)
    assert "截单" in text
    assert "已经帮您催过仓库了" in text
    assert len(_cases(db, conversation)) == 1  # asking again opens nothing new


async def test_tell_me_when_it_ships_after_the_chases_answer_time_goes_to_a_person(db, dispatcher):
    order_no, _ = demo_order("ship_overdue")
    conversation = await _chased(db, CollectingDispatcher, order_no)
    [case] = _cases(db, conversation)
    case.reply_by = utcnow() - timedelta(hours=1)
    db.flush()
    tracker = _asking(order_no, "发了之后告诉我一声", "nlu_fallback", conversation)
    await ActionClarify().run(dispatcher, tracker, DOMAIN)
    escalation = db.scalars(
        select(Escalation).where(Escalation.conversation_id == conversation)
    ).one()
    assert (escalation.reason, escalation.case_id) == (EscalationReason.CASE_OVERDUE, case.id)

"""Inside an open case, a chase or a remedy question the NLU reads as a cancel or a change of
the shipped order is answered from the case, not with "it has shipped, nothing can change"."""

import uuid

from sqlalchemy import select

from bot.actions.order_changes import ActionApplyOrderChange
from bot.actions.order_lookup import ActionHandleOrderRequest
from core.clock import utcnow
from core.events import Event, EventName
from shop.logistics import CaseOpened, open_case
from shop.models import CaseKind, LogisticsCase, Order, OrderStatus
from tests.bot.conftest import DOMAIN, demo_order, make_tracker


def _case_opened(db, situation: str, kind: CaseKind) -> tuple[str, str]:
    conversation = uuid.uuid4().hex
    order_no, _ = demo_order(situation)
    order = db.scalars(select(Order).where(Order.order_no == order_no)).one()
    assert isinstance(
        open_case(db, order, kind, utcnow(), conversation_id=conversation), CaseOpened
    )
    return conversation, order_no


def _asking(conversation: str | None, order_no: str, text: str, intent: str):
    tracker = make_tracker({"verified_order_no": order_no}, text=text, intent=intent)
    tracker.sender_id = conversation or uuid.uuid4().hex
    return tracker


def _cases(db, conversation: str) -> list[CaseKind]:
    cases = db.scalars(select(LogisticsCase)).all()
    return [c.kind for c in cases if c.conversation_id == conversation]


def _chased(db, conversation: str) -> list[Event]:
    events = db.scalars(select(Event).where(Event.name == EventName.CASE_CHASED)).all()
    return [e for e in events if e.conversation_id == conversation]


async def test_do_not_cancel_just_chase_it_chases_the_open_late_parcel_case(db, dispatcher):
    conversation, order_no = _case_opened(db, "stalled", CaseKind.DELAYED)
    tracker = _asking(conversation, order_no, "那先不取消 你们一定帮我催", "cancel_order")
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    text = dispatcher.messages[0]["text"]
    assert "没办法直接取消" not in text
    assert "优先处理" in text
    assert len(_chased(db, conversation)) == 1
    order = db.scalars(select(Order).where(Order.order_no == order_no)).one()
    assert order.status == OrderStatus.SHIPPED


async def test_a_refund_instead_on_a_damaged_case_answers_the_cases_remedies(db, dispatcher):
    conversation, order_no = _case_opened(db, "damaged_on_arrival", CaseKind.DAMAGED)
    tracker = _asking(conversation, order_no, "我不想换了 能直接退款吗", "cancel_order")
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    text = dispatcher.messages[0]["text"]
    assert "没办法直接取消" not in text
    assert "全额退款" in text


async def test_a_cancel_of_a_shipped_order_without_a_chase_is_still_explained(db, dispatcher):
    order_no, _ = demo_order("stalled")
    tracker = _asking(None, order_no, "不想要了 取消吧", "cancel_order")
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    assert "没办法直接取消" in dispatcher.messages[0]["text"]
    assert _cases(db, tracker.sender_id) == []


async def test_do_not_cancel_just_chase_it_opens_the_late_parcel_case_not_yet_open(db, dispatcher):
    order_no, _ = demo_order("late")
    tracker = _asking(None, order_no, "那先不取消 你们一定帮我催", "cancel_order")
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    text = dispatcher.messages[0]["text"]
    assert "没办法直接取消" not in text
    assert "加急催件" in text
    assert _cases(db, tracker.sender_id) == [CaseKind.DELAYED]


async def test_a_chase_of_a_parcel_on_schedule_opens_no_case_and_says_so(db, dispatcher):
    order_no, _ = demo_order("in_transit")
    tracker = _asking(None, order_no, "能不能快点", "modify_order")
    await ActionApplyOrderChange().run(dispatcher, tracker, DOMAIN)
    assert "没法直接修改" not in dispatcher.messages[0]["text"]
    assert _cases(db, tracker.sender_id) == []


async def test_a_chase_of_a_delivered_order_opens_no_lost_parcel_case(db, dispatcher):
    order_no, _ = demo_order("returnable")
    tracker = _asking(None, order_no, "帮我催一下 取消吧", "cancel_order")
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    assert _cases(db, tracker.sender_id) == []


async def test_hurry_up_read_as_a_change_of_the_shipped_order_chases_the_case(db, dispatcher):
    conversation, order_no = _case_opened(db, "stalled", CaseKind.DELAYED)
    tracker = _asking(conversation, order_no, "能不能快点啊 我下周出差要带的", "modify_order")
    await ActionApplyOrderChange().run(dispatcher, tracker, DOMAIN)
    text = dispatcher.messages[0]["text"]
    assert "没法直接修改" not in text
    assert "优先处理" in text
    assert len(_chased(db, conversation)) == 1


async def test_send_a_new_one_read_as_a_change_answers_what_happens_if_lost(db, dispatcher):
    conversation, order_no = _case_opened(db, "stalled", CaseKind.DELAYED)
    tracker = _asking(conversation, order_no, "能不能换个快递重新给我发一个", "modify_order")
    await ActionApplyOrderChange().run(dispatcher, tracker, DOMAIN)
    text = dispatcher.messages[0]["text"]
    assert "没法直接修改" not in text
    assert "补发" in text


async def test_when_a_reship_leaves_asked_on_a_parcel_being_checked_is_answered_from_the_case(
    db, dispatcher
):
    conversation, order_no = _case_opened(db, "delivered_not_received", CaseKind.LOST)
    tracker = _asking(conversation, order_no, "补发的话几天能发出", "track_order")
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    text = dispatcher.messages[0]["text"]
    assert "如果核实包裹确实丢了" in text
    assert "48 小时内发出" in text
    assert "签收（" not in text  # not the signed parcel's tracking line again


async def test_how_long_on_a_parcel_being_checked_gets_the_checks_answer_time(db, dispatcher):
    conversation, order_no = _case_opened(db, "delivered_not_received", CaseKind.LOST)
    tracker = _asking(conversation, order_no, "那要多久", "track_order")
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    assert "前给您答复" in dispatcher.messages[0]["text"]


async def test_photos_said_to_be_sent_on_a_damage_case_get_where_they_go(db, dispatcher):
    conversation, order_no = _case_opened(db, "damaged_on_arrival", CaseKind.DAMAGED)
    tracker = _asking(conversation, order_no, "图发了 你看下", "track_order")
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    text = dispatcher.messages[0]["text"]
    assert "上传" in text
    assert "签收（" not in text


async def test_where_a_late_parcel_is_stays_its_tracking(db, dispatcher):
    conversation, order_no = _case_opened(db, "late", CaseKind.DELAYED)
    tracker = _asking(conversation, order_no, "到哪了", "track_order")
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    assert "48 小时内发出" not in dispatcher.messages[0]["text"]

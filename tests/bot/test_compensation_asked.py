"""有没有什么补偿 on a verified order is answered: the coupon the case open here gives (a late
parcel's), anything more, or with no case, a person's to grant with the button; never "not
understood"."""

import uuid

from rasa_sdk.executor import CollectingDispatcher

from bot.actions.fallback import ActionClarify
from bot.actions.presale import ActionAnswerStock
from core.clock import utcnow
from shop.logistics import CaseOpened, chase_warehouse, open_case
from shop.models import CaseKind
from tests.bot.conftest import make_tracker, order_in
from words.render import Button, button


async def _said(order_no: str, conversation: str, text: str, action=ActionClarify) -> dict:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker({"verified_order_no": order_no}, text, "nlu_fallback")
    tracker.sender_id = conversation
    await action().run(dispatcher, tracker, {})
    return dispatcher.messages[0]


async def test_compensation_asked_on_a_late_parcel_being_chased_gets_its_coupon(db):
    order = order_in(db, "late")
    conversation = uuid.uuid4().hex
    opened = open_case(db, order, CaseKind.DELAYED, utcnow(), conversation_id=conversation)
    assert isinstance(opened, CaseOpened)
    said = await _said(order.order_no, conversation, "有没有什么补偿")
    assert "元优惠券" in said["text"]
    assert button(Button.HUMAN) in said["buttons"]


async def test_compensation_asked_with_no_case_is_a_persons_to_grant(db):
    order = order_in(db, "returnable")
    said = await _said(order.order_no, uuid.uuid4().hex, "能赔点吗")
    assert "人工客服" in said["text"]
    assert "优惠券" not in said["text"]
    assert button(Button.HUMAN) in said["buttons"]


async def test_compensation_asked_read_as_a_stock_question_still_gets_its_coupon(db):
    # trial 27, T950 t4: 有没有补偿 等了这么久 got the robot's stock
    order = order_in(db, "late")
    conversation = uuid.uuid4().hex
    open_case(db, order, CaseKind.DELAYED, utcnow(), conversation_id=conversation)
    said = await _said(order.order_no, conversation, "有没有补偿 等了这么久", ActionAnswerStock)
    assert "元优惠券" in said["text"]
    assert "有货" not in said["text"]


async def test_compensation_asked_on_an_order_the_warehouse_is_chased_for_is_a_persons(db):
    # trial 27, T950 t4 (replayed): a 5元 coupon was promised for a late dispatch; the policy's
    # coupon is for parcels late on the way, and the warehouse chase records none
    order = order_in(db, "ship_overdue")
    conversation = uuid.uuid4().hex
    chase_warehouse(db, order, utcnow(), conversation_id=conversation)
    said = await _said(order.order_no, conversation, "有没有补偿 等了这么久", ActionAnswerStock)
    assert "优惠券" not in said["text"]
    assert button(Button.HUMAN) in said["buttons"]

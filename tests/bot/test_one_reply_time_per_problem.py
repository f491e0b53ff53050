"""The photo instructions promise the answer time the offer just promised: a damaged, wrong or
missing parcel's case said back (确认登记吗) is answered by the logistics desk within its own
hours (shop/logistics_policy.yaml), never the fresh-food review time; fresh food and a quality
return keep the problem policy's."""

import uuid

import pytest

from bot.actions.case_questions import ActionAnswerOutOfScope
from bot.actions.problem_cases import CASE_PENDING, FRESH_CLAIM, QUALITY_RETURN
from shop.models import CaseKind
from shop.policy import load_policy
from shop.problem_policy import load_problem_policy
from tests.bot.conftest import make_tracker, order_in, user_event


async def _photo_answer(db, dispatcher, situation: str, pending: str, text: str) -> str:
    order = order_in(db, situation)
    tracker = make_tracker(
        {"verified_order_no": order.order_no, "pending_request": pending},
        text=text,
        intent="out_of_scope",
    )
    tracker.sender_id = uuid.uuid4().hex
    await ActionAnswerOutOfScope().run(dispatcher, tracker, {})
    return str(dispatcher.messages[0]["text"])


@pytest.mark.parametrize(
    "text", ["照片拍好了 怎么发给你", "图片发哪里", "拍了三张照片 传到哪", "照片发你了"]
)
async def test_photos_of_a_damage_said_back_are_answered_within_the_hours_its_offer_promised(
    db, dispatcher, text
):
    answer = await _photo_answer(
        db, dispatcher, "damaged_on_arrival", CASE_PENDING[CaseKind.DAMAGED], text
    )
    hours = load_policy().cases[CaseKind.DAMAGED].reply_within_hours
    assert f"{hours}小时内给您答复" in answer
    assert "物流专员" in answer
    assert f"{load_problem_policy().fresh_food.review_within_hours}小时内处理" not in answer


async def test_photos_of_a_wrong_item_said_back_are_answered_within_the_wrong_items_hours(
    db, dispatcher
):
    answer = await _photo_answer(
        db, dispatcher, "wrong_item", CASE_PENDING[CaseKind.WRONG_ITEM], "照片怎么发"
    )
    assert f"{load_policy().cases[CaseKind.WRONG_ITEM].reply_within_hours}小时内" in answer


async def test_photos_of_bad_fruit_keep_the_fresh_food_review_time(db, dispatcher):
    answer = await _photo_answer(db, dispatcher, "fresh_delivered", FRESH_CLAIM, "照片怎么发")
    assert f"{load_problem_policy().fresh_food.review_within_hours}小时内处理" in answer
    assert "售后同事" in answer


async def test_photos_of_a_quality_return_keep_the_quality_review_time(db, dispatcher):
    answer = await _photo_answer(db, dispatcher, "returnable", QUALITY_RETURN, "照片发哪")
    assert f"{load_problem_policy().quality.review_within_hours}小时内处理" in answer


async def test_a_hurry_while_a_wrong_items_case_waits_hears_its_reply_time_not_a_lost_parcel(
    db, dispatcher
):
    """Trial 25, T845 t5: 我们这周六要穿能快点不, while the wrong shoes' case waited for its yes,
    had a not-received case said back in its place."""
    from bot.actions.order_lookup import ActionHandleOrderRequest

    order = order_in(db, "wrong_item")
    pending = CASE_PENDING[CaseKind.WRONG_ITEM]
    tracker = make_tracker(
        {"verified_order_no": order.order_no, "pending_request": pending},
        text="我们这周六要穿能快点不",
        intent="report_delivery_delay",
        earlier=[
            user_event("鞋子发错了 我买的白绿39", "report_wrong_or_missing_item"),
            {"event": "action", "name": "action_handle_order_request"},  # said back
        ],
    )
    tracker.sender_id = uuid.uuid4().hex
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    answer = " ".join(m["text"] or "" for m in dispatcher.messages)
    assert f"{load_policy().cases[CaseKind.WRONG_ITEM].reply_within_hours} 小时内" in answer
    assert "没有收到" not in answer
    assert all(e.get("value") == pending for e in events if e.get("name") == "pending_request")

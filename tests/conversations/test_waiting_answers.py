"""A shopper waiting for a person is answered from the case and the order's record, not only
told that the message was passed on."""

import uuid
from datetime import UTC, datetime, time, timedelta

import pytest

from conversations.models import EscalationReason, Sender
from conversations.queue import AgentHours, AgentWait, StillWaiting, waiting_notice
from conversations.service import hand_over, post
from shop.case_questions import CaseChoice, CaseRemedies, CaseTimeline, ParcelSigned, PhotoUpload
from shop.logistics import CaseOpened, open_case
from shop.models import CaseKind
from tests.shop.conftest import demo_order
from words.render import say

HOURS = AgentHours(opens=time(9), closes=time(23), minutes_per_waiting_shopper=3)
CASE_OF = {"delivered_not_received": CaseKind.LOST, "damaged_on_arrival": CaseKind.DAMAGED}


def _waiting_on_a_case(db, seeded_at, situation: str) -> str:
    """A conversation handed to a person over a case just opened, the wait already told."""
    conversation = uuid.uuid4().hex
    order = demo_order(db, situation, which=-1)
    outcome = open_case(db, order, CASE_OF[situation], seeded_at, conversation_id=conversation)
    assert isinstance(outcome, CaseOpened)
    post(db, conversation, Sender.SHOPPER, "没收到")
    reason, kind = EscalationReason.REMEDY_APPROVAL, CASE_OF[situation].name
    hand_over(db, conversation, reason, kind, order_no=order.order_no, case_id=outcome.case_id)
    post(db, conversation, Sender.SYSTEM, "排队提示")  # what the gateway stores
    return conversation


def _notice(db, conversation: str, message: str, minutes: int = 1) -> StillWaiting | AgentWait:
    post(db, conversation, Sender.SHOPPER, message)
    later = datetime.now(UTC) + timedelta(minutes=minutes)
    notice = waiting_notice(db, conversation, later, HOURS, question=message)
    assert notice is not None
    return notice


def test_who_signed_is_answered_from_the_parcels_record_while_waiting(db, seeded_at):
    conversation = _waiting_on_a_case(db, seeded_at, "delivered_not_received")
    notice = _notice(db, conversation, "我家楼下根本没有柜子 到底谁签收的")
    assert isinstance(notice, StillWaiting)
    assert isinstance(notice.answer, ParcelSigned)
    assert notice.answer.delivered_at is not None
    text = say(notice)
    assert "签收记录是" in text
    assert "一并转给人工客服" in text


@pytest.mark.parametrize(
    ("message", "answer"),
    [
        ("要是真找不到了 是补寄还是给我退款", CaseRemedies),
        ("新的要几天才能寄出来", CaseTimeline),
        ("图片传到哪", PhotoUpload),
        ("都拍完了 盒子和东西都有", PhotoUpload),
    ],
)
def test_a_question_on_the_case_is_answered_from_the_case_while_waiting(
    db, seeded_at, message, answer
):
    conversation = _waiting_on_a_case(db, seeded_at, "damaged_on_arrival")
    notice = _notice(db, conversation, message)
    assert isinstance(notice, StillWaiting)
    assert isinstance(notice.answer, answer)
    assert notice.choice is None
    assert not notice.for_person


def test_a_remedy_the_shopper_chooses_while_waiting_is_said_back_not_recorded(db, seeded_at):
    conversation = _waiting_on_a_case(db, seeded_at, "damaged_on_arrival")
    notice = _notice(db, conversation, "给我补寄个新的就行 钱不用退")
    assert isinstance(notice, StillWaiting)
    assert notice.choice == CaseChoice.RESHIP
    assert notice.answer is None
    assert "补发一件新的" in say(notice)


def test_a_question_nothing_answers_is_said_to_be_for_the_person_with_the_wait(db, seeded_at):
    conversation = _waiting_on_a_case(db, seeded_at, "damaged_on_arrival")
    notice = _notice(db, conversation, "你们仓库在哪个城市啊")
    assert isinstance(notice, StillWaiting)
    assert notice.for_person
    assert notice.wait is not None
    text = say(notice)
    assert "人工同事来确认" in text
    assert ("分钟" in text) or ("上班后" in text)


def test_a_statement_that_something_is_not_there_is_no_question(db, seeded_at):
    conversation = _waiting_on_a_case(db, seeded_at, "delivered_not_received")
    notice = _notice(db, conversation, "物业那边也问了 也没有")
    assert isinstance(notice, StillWaiting)
    assert notice == StillWaiting(notice.waiting_ahead, notice.open_now, held=notice.held)


def test_a_question_long_after_the_wait_was_told_is_answered_and_the_wait_said_again(db, seeded_at):
    conversation = _waiting_on_a_case(db, seeded_at, "damaged_on_arrival")
    notice = _notice(db, conversation, "新的要几天才能寄出来", minutes=30)
    assert isinstance(notice, StillWaiting)
    assert isinstance(notice.answer, CaseTimeline)
    assert notice.wait is not None

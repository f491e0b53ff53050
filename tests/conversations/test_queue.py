"""A shopper waiting for a person is told where they stand and when an agent answers."""

import uuid
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from conversations.models import Escalation, EscalationReason, EscalationStatus, Handler, Sender
from conversations.queue import (
    AgentHours,
    AgentHoursError,
    AgentWait,
    StillWaiting,
    agent_wait,
    chat_status,
    load_agent_hours,
    waiting_notice,
)
from conversations.service import agent_reply, hand_back, hand_over, post
from core.clock import SHOP_TZ
from words.render import say

HOURS = AgentHours(opens=time(9), closes=time(23), minutes_per_waiting_shopper=3)


def _at(hour: int, minute: int = 0) -> datetime:
    """A moment in shop time (Asia/Shanghai), as the UTC the system stores."""
    return datetime(2026, 12, 3, hour, minute, tzinfo=SHOP_TZ).astimezone(UTC)


def test_within_the_hours_the_wait_grows_with_the_shoppers_ahead():
    assert agent_wait(0, _at(14), HOURS) == AgentWait(
        waiting_ahead=0,
        open_now=True,
        opens="09:00",
        closes="23:00",
        estimated_minutes=3,
        may_roll_over=False,
        answer_tomorrow=False,
    )
    assert agent_wait(4, _at(14), HOURS).estimated_minutes == 15


def test_near_closing_time_the_shopper_is_told_it_may_be_tomorrow():
    assert agent_wait(5, _at(22, 50), HOURS).may_roll_over
    assert not agent_wait(0, _at(22, 50), HOURS).may_roll_over


def test_outside_the_hours_the_shopper_is_told_when_agents_start():
    night = agent_wait(2, _at(23, 30), HOURS)
    assert (night.open_now, night.estimated_minutes, night.answer_tomorrow) == (False, None, True)
    early = agent_wait(0, _at(7), HOURS)
    assert (early.open_now, early.answer_tomorrow) == (False, False)


def test_the_shipped_hours_agree_with_the_faq_answer_and_bad_files_are_refused(tmp_path: Path):
    from faq.knowledge_base import read_yaml

    hours = load_agent_hours()
    answer = next(e.answer for e in read_yaml() if e.id == "business_hours")
    assert f"{hours.opens:%H:%M}-{hours.closes:%H:%M}" in answer
    bad = tmp_path / "hours.yaml"
    bad.write_text('opens: "23:00"\ncloses: "09:00"\nminutes_per_waiting_shopper: 3\n')
    with pytest.raises(AgentHoursError, match="opens must be before closes"):
        load_agent_hours(bad)


def _handed_over(db, reason=EscalationReason.SHOPPER_ASKED) -> str:
    conversation = uuid.uuid4().hex
    post(db, conversation, Sender.SHOPPER, "转人工")
    hand_over(db, conversation, reason, detail="转人工")
    return conversation


def _open_ahead(db) -> int:
    waiting = select(Escalation).where(Escalation.status == EscalationStatus.OPEN)
    return len(db.scalars(waiting).all())


def test_the_first_notice_is_the_full_wait_then_a_short_one_then_the_full_again(db):
    ahead = _open_ahead(db)
    conversation = _handed_over(db)
    now = _at(14)
    first = waiting_notice(db, conversation, now, HOURS)
    assert isinstance(first, AgentWait)
    assert first.waiting_ahead == ahead
    post(db, conversation, Sender.SYSTEM, "排队提示")  # what the gateway stores
    later = waiting_notice(db, conversation, datetime.now(UTC) + timedelta(minutes=1), HOURS)
    assert isinstance(later, StillWaiting)
    assert later.waiting_ahead == ahead
    much_later = waiting_notice(db, conversation, datetime.now(UTC) + timedelta(minutes=10), HOURS)
    assert isinstance(much_later, AgentWait)


def test_no_notice_once_an_agent_answers_or_while_the_bot_has_it(db):
    conversation = _handed_over(db)
    agent_reply(db, conversation, "客服小美", "您好，我是客服小美")
    assert waiting_notice(db, conversation, _at(14), HOURS) is None
    assert waiting_notice(db, uuid.uuid4().hex, _at(14), HOURS) is None


def test_the_status_says_who_answers_now(db):
    conversation = _handed_over(db)
    waiting = chat_status(db, conversation)
    assert (waiting.handled_by, waiting.agent) == (Handler.HUMAN, None)
    assert waiting.waiting_ahead is not None
    agent_reply(db, conversation, "客服小美", "您好")
    assert chat_status(db, conversation).agent == "客服小美"
    assert chat_status(db, conversation).waiting_ahead is None
    hand_back(db, conversation, "客服小美")
    assert chat_status(db, conversation).handled_by == Handler.BOT
    assert chat_status(db, uuid.uuid4().hex).handled_by == Handler.BOT


DAMAGE_BLOCK = (
    "非常抱歉给您添麻烦了。请拍三张照片：外箱、快递面单和坏掉的地方，在订单详情里申请售后时上传。"
    "补发还是退款要售后主管确认，我们会在 12月4日 18:00 前给您答复。"
)

# What the gateway stores when the conversation is handed over (its 等待的时候 is no time).
_QUEUE_NOTICE = say(agent_wait(1, _at(14), HOURS))


@pytest.mark.parametrize(
    ("question", "expected", "left_out"),
    [
        ("照片拍哪几个地方啊", "外箱、快递面单", "12月4日"),
        ("那主管啥时候给答复", "12月4日 18:00", "面单"),
    ],
)
def test_a_question_while_waiting_gets_the_part_of_what_was_said_that_answers_it(
    db, question, expected, left_out
):
    conversation = _handed_over(db)
    post(db, conversation, Sender.BOT, DAMAGE_BLOCK)
    post(db, conversation, Sender.SYSTEM, _QUEUE_NOTICE)  # the latest, read first
    post(db, conversation, Sender.SHOPPER, question)
    later = datetime.now(UTC) + timedelta(minutes=1)
    notice = waiting_notice(db, conversation, later, HOURS, question=question)
    assert isinstance(notice, StillWaiting)
    assert notice.said_before is not None
    assert expected in notice.said_before
    assert left_out not in notice.said_before


@pytest.mark.parametrize("message", ["家里人也没拿到", "门卫那里问过了 也没有"])
def test_a_statement_gets_the_short_notice_alone(db, message):
    conversation = _handed_over(db)
    post(db, conversation, Sender.BOT, DAMAGE_BLOCK)
    post(db, conversation, Sender.SYSTEM, "排队提示")
    later = datetime.now(UTC) + timedelta(minutes=1)
    notice = waiting_notice(db, conversation, later, HOURS, question=message)
    assert notice == StillWaiting(notice.waiting_ahead, notice.open_now, None)


def test_a_question_nothing_said_answers_is_said_to_be_for_the_person(db):
    conversation = _handed_over(db)
    post(db, conversation, Sender.BOT, DAMAGE_BLOCK)
    post(db, conversation, Sender.SYSTEM, "排队提示")
    later = datetime.now(UTC) + timedelta(minutes=1)
    notice = waiting_notice(db, conversation, later, HOURS, question="能不能给我换个颜色")
    assert isinstance(notice, StillWaiting)
    assert (notice.said_before, notice.for_person) == (None, True)
    assert notice.wait is not None

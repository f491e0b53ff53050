"""The agent desk's domain: the inbox, taking (never two agents at once), releasing, resolving
(and idle conversations resolved once), private notes, saved replies, canned answers, and the
verified order beside the transcript."""

import threading
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from conversations import desk
from conversations.desk import CannedKind, DeskRefusal, DeskRefusedError, Mood
from conversations.models import (
    Conversation,
    ConversationStatus,
    Escalation,
    EscalationReason,
    EscalationStatus,
    Handler,
    Sender,
)
from conversations.service import add_message, agent_reply, get_or_start, hand_over, post
from core.clock import utcnow
from core.database import get_engine, unit_of_work
from core.events import Actor, Event, EventName
from shop.logistics import CaseOpened, open_case
from shop.models import CaseKind, Order
from tests.committed import consumer_cursor_kept
from tests.shop.conftest import demo_order

AGENT_A, AGENT_B = "客服小美", "客服阿强"


def _waiting(session, text_="我要转人工", reason=EscalationReason.SHOPPER_ASKED, **kwargs) -> str:
    """A new conversation whose shopper said `text_` and now waits for a person."""
    conversation_id = f"desk-{uuid.uuid4().hex[:12]}"
    post(session, conversation_id, Sender.SHOPPER, text_)
    hand_over(session, conversation_id, reason, detail=text_, **kwargs)
    return conversation_id


def _current(session, conversation_id: str) -> Escalation:
    escalation = desk.current_escalation(session, conversation_id)
    assert escalation is not None
    return escalation


def _events(session, name: EventName, conversation_id: str) -> list[Event]:
    return list(
        session.scalars(
            select(Event).where(Event.name == name, Event.conversation_id == conversation_id)
        )
    )


def test_the_inbox_lists_a_waiting_shopper_with_the_reason_the_wait_and_the_verified_order(db):
    order = demo_order(db, "in_transit")
    conversation_id = _waiting(db, order_no=order.order_no)
    [item] = [i for i in desk.inbox(db) if i.conversation_id == conversation_id]
    assert item.escalation.status == EscalationStatus.OPEN
    assert item.escalation.reason == EscalationReason.SHOPPER_ASKED
    assert item.waiting_since == item.escalation.created_at
    assert item.order_no == order.order_no
    assert item.last_shopper_text == "我要转人工"
    assert item.unanswered == 1


def test_a_shopper_who_threatens_to_complain_reads_angry_with_the_words_that_show_it(db):
    angry = _waiting(db, "再不处理我就去12315投诉你们")
    calm = _waiting(db, "你好，麻烦帮我看下")
    upset = _waiting(db, "东西有问题", reason=EscalationReason.COMPLAINT)
    by_id = {i.conversation_id: i for i in desk.inbox(db)}
    assert by_id[angry].mood.mood == Mood.ANGRY
    assert by_id[angry].mood.cue in ("12315", "投诉")
    assert by_id[calm].mood == desk.MoodReading(Mood.NO_SIGN, None)
    assert by_id[upset].mood.mood == Mood.UPSET


def test_a_threat_on_a_condition_or_a_safety_problem_reads_upset():
    assert desk.mood_of(None, ["明天还不发货的话我就退款"]).mood == Mood.UPSET
    assert desk.mood_of(None, ["孩子用了过敏了"]) == desk.MoodReading(Mood.UPSET, "过敏")


def test_the_inbox_shows_an_open_logistics_case_of_the_verified_order(db):
    order = demo_order(db, "damaged_on_arrival")
    opened = open_case(db, order, CaseKind.DAMAGED, utcnow(), detail="外箱破了")
    conversation_id = _waiting(db, order_no=order.order_no)
    [item] = [i for i in desk.inbox(db) if i.conversation_id == conversation_id]
    assert isinstance(opened, CaseOpened)
    assert item.open_case is not None
    assert (item.open_case.id, item.open_case.kind) == (opened.case_id, CaseKind.DAMAGED)


def test_the_verified_order_is_read_from_what_the_bot_did_on_it_in_the_conversation(db):
    order = demo_order(db, "damaged_on_arrival", 1)
    conversation_id = f"desk-{uuid.uuid4().hex[:12]}"
    post(db, conversation_id, Sender.SHOPPER, "箱子压坏了")
    open_case(db, order, CaseKind.DAMAGED, utcnow(), conversation_id=conversation_id)
    assert desk.verified_order_no(db, conversation_id) == order.order_no


def test_a_wrong_phone_tail_verifies_nothing(db):
    from shop.orders import verify_order

    conversation_id = f"desk-{uuid.uuid4().hex[:12]}"
    post(db, conversation_id, Sender.SHOPPER, "查订单")
    verify_order(db, "6559797114710497", "0000", conversation_id=conversation_id)
    assert desk.verified_order_no(db, conversation_id) is None


def test_an_agent_who_takes_a_conversation_has_it_and_the_wait_is_recorded_once(db):
    conversation_id = _waiting(db)
    now = utcnow() + timedelta(minutes=3)
    taken = desk.take(db, conversation_id, AGENT_A, now)
    assert not taken.already
    assert taken.waited_seconds >= 180
    again = desk.take(db, conversation_id, AGENT_A, now)
    assert again.already
    [event] = _events(db, EventName.CONVERSATION_TAKEN, conversation_id)
    assert (event.actor, event.agent) == (Actor.AGENT, AGENT_A)
    assert float(event.value or 0) == pytest.approx(taken.waited_seconds, abs=0.01)
    escalation = _current(db, conversation_id)
    assert (escalation.status, escalation.taken_by) == (EscalationStatus.TAKEN, AGENT_A)


def test_two_agents_never_take_the_same_conversation_even_from_a_stale_read(db):
    conversation_id = _waiting(db)
    stale = _current(db, conversation_id)
    assert stale.status == EscalationStatus.OPEN  # agent A's view: still waiting
    with unit_of_work() as other:  # agent B takes it meanwhile
        desk.take(other, conversation_id, AGENT_B, utcnow())
    with pytest.raises(DeskRefusedError) as refused:
        desk.take(db, conversation_id, AGENT_A, utcnow())
    assert (refused.value.refusal, refused.value.detail) == (DeskRefusal.TAKEN_BY_OTHER, AGENT_B)
    assert len(_events(db, EventName.CONVERSATION_TAKEN, conversation_id)) == 1


def test_two_agents_taking_at_the_same_moment_on_their_own_connections_one_wins(seeded_at):
    """Real concurrency: two connections, two threads, committed transactions."""
    conversation_id = f"desk-race-{uuid.uuid4().hex[:12]}"
    with consumer_cursor_kept():
        _race(conversation_id)


def _race(conversation_id: str) -> None:
    with unit_of_work() as session:
        post(session, conversation_id, Sender.SHOPPER, "转人工")
        hand_over(session, conversation_id, EscalationReason.SHOPPER_ASKED)
    start = threading.Barrier(2)
    outcome: dict[str, str] = {}

    def take_as(agent: str) -> None:
        start.wait()
        try:
            with unit_of_work() as session:
                desk.take(session, conversation_id, agent, utcnow())
            outcome[agent] = "took"
        except DeskRefusedError as exc:
            outcome[agent] = exc.refusal.value

    threads = [threading.Thread(target=take_as, args=(a,)) for a in (AGENT_A, AGENT_B)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert sorted(outcome.values()) == ["taken_by_other", "took"]
        with unit_of_work() as session:
            taken = _events(session, EventName.CONVERSATION_TAKEN, conversation_id)
            assert len(taken) == 1
            assert _current(session, conversation_id).taken_by == taken[0].agent
    finally:  # this test commits: leave the shared test database as it was
        with get_engine().begin() as connection:
            for table in ("events", "messages", "escalations", "conversations"):
                column = "id" if table == "conversations" else "conversation_id"
                connection.execute(
                    text(f"DELETE FROM {table} WHERE {column} = :id"), {"id": conversation_id}
                )


def test_a_released_conversation_waits_again_and_only_its_agent_releases_it(db):
    conversation_id = _waiting(db)
    desk.take(db, conversation_id, AGENT_A, utcnow())
    with pytest.raises(DeskRefusedError) as refused:
        desk.release(db, conversation_id, AGENT_B)
    assert refused.value.refusal == DeskRefusal.TAKEN_BY_OTHER
    desk.release(db, conversation_id, AGENT_A)
    escalation = _current(db, conversation_id)
    assert (escalation.status, escalation.taken_by) == (EscalationStatus.OPEN, None)
    desk.take(db, conversation_id, AGENT_B, utcnow())  # someone else may take it now
    desk.release(db, conversation_id, AGENT_A, override=True)  # a supervisor releases anyone's
    assert _current(db, conversation_id).status == EscalationStatus.OPEN


def test_a_reply_takes_a_waiting_conversation_and_another_agents_is_refused(db):
    conversation_id = _waiting(db)
    desk.take_for_reply(db, conversation_id, AGENT_A, utcnow())
    assert _current(db, conversation_id).taken_by == AGENT_A
    with pytest.raises(DeskRefusedError):
        desk.take_for_reply(db, conversation_id, AGENT_B, utcnow())
    desk.take_for_reply(db, conversation_id, AGENT_B, utcnow(), override=True)  # a supervisor


def test_a_resolved_conversation_goes_back_to_the_bot_and_opens_again_when_the_shopper_writes(
    db,
):
    conversation_id = _waiting(db)
    desk.take(db, conversation_id, AGENT_A, utcnow())
    agent_reply(db, conversation_id, AGENT_A, "您好，已为您处理")
    resolved = desk.resolve(db, conversation_id, AGENT_A, utcnow())
    assert resolved.was_with_person
    conversation = db.get(Conversation, conversation_id)
    assert (conversation.status, conversation.handled_by) == (
        ConversationStatus.RESOLVED,
        Handler.BOT,
    )
    assert desk.current_escalation(db, conversation_id) is None
    [event] = _events(db, EventName.CONVERSATION_RESOLVED, conversation_id)
    assert (event.actor, event.agent) == (Actor.AGENT, AGENT_A)
    assert len(_events(db, EventName.CONVERSATION_HANDED_BACK, conversation_id)) == 1
    with pytest.raises(DeskRefusedError) as refused:
        desk.resolve(db, conversation_id, AGENT_A, utcnow())
    assert refused.value.refusal == DeskRefusal.ALREADY_RESOLVED
    add_message(db, conversation, Sender.SHOPPER, "还有个问题")
    assert conversation.status == ConversationStatus.OPEN


def test_an_agent_cannot_resolve_another_agents_conversation(db):
    conversation_id = _waiting(db)
    desk.take(db, conversation_id, AGENT_B, utcnow())
    with pytest.raises(DeskRefusedError):
        desk.resolve(db, conversation_id, AGENT_A, utcnow())
    assert db.get(Conversation, conversation_id).status == ConversationStatus.OPEN


def _idle(session, *, with_agent: bool = False, waiting: bool = False) -> str:
    conversation_id = f"idle-{uuid.uuid4().hex[:12]}"
    conversation = get_or_start(session, conversation_id)
    add_message(session, conversation, Sender.SHOPPER, "你好")
    add_message(session, conversation, Sender.BOT, "您好，请问有什么可以帮您？")
    if with_agent or waiting:
        hand_over(session, conversation_id, EscalationReason.SHOPPER_ASKED)
    if with_agent:
        desk.take(session, conversation_id, AGENT_A, utcnow())
        agent_reply(session, conversation_id, AGENT_A, "您好")
    conversation.last_message_at = utcnow() - timedelta(hours=25)
    session.flush()
    return conversation_id


def test_idle_conversations_are_resolved_once_by_the_bot_or_the_system(db):
    by_bot, by_system, waiting = _idle(db), _idle(db, with_agent=True), _idle(db, waiting=True)
    now = utcnow()
    assert desk.resolve_idle(db, now) >= 2
    assert desk.resolve_idle(db, now) == 0  # exactly once
    [bot] = _events(db, EventName.CONVERSATION_RESOLVED, by_bot)
    [system] = _events(db, EventName.CONVERSATION_RESOLVED, by_system)
    assert (bot.actor, system.actor) == (Actor.BOT, Actor.SYSTEM)
    assert _events(db, EventName.CONVERSATION_RESOLVED, waiting) == []  # still waits for a person
    assert db.get(Conversation, by_system).handled_by == Handler.BOT
    assert desk.current_escalation(db, by_system) is None
    [handed_back] = _events(db, EventName.CONVERSATION_HANDED_BACK, by_system)
    assert handed_back.actor == Actor.SYSTEM


def test_a_conversation_active_within_a_day_is_not_resolved(db):
    conversation_id = _idle(db)
    db.get(Conversation, conversation_id).last_message_at = utcnow() - timedelta(hours=23)
    db.flush()
    desk.resolve_idle(db, utcnow())
    assert db.get(Conversation, conversation_id).status == ConversationStatus.OPEN


def test_private_notes_are_kept_in_order_and_held_to_their_length(db):
    conversation_id = _waiting(db)
    desk.add_note(db, conversation_id, AGENT_A, "  顾客是老客户，优先处理  ", utcnow())
    desk.add_note(db, conversation_id, AGENT_B, "已联系仓库", utcnow())
    assert [(n.author, n.text) for n in desk.notes(db, conversation_id)] == [
        (AGENT_A, "顾客是老客户，优先处理"),
        (AGENT_B, "已联系仓库"),
    ]
    for bad in ("   ", "长" * 1001):
        with pytest.raises(DeskRefusedError) as refused:
            desk.add_note(db, conversation_id, AGENT_A, bad, utcnow())
        assert refused.value.refusal == DeskRefusal.BAD_TEXT
    with pytest.raises(DeskRefusedError):
        desk.add_note(db, "no-such-conversation", AGENT_A, "x", utcnow())


def test_saved_replies_are_unique_by_title_found_by_their_words_and_deleted(db):
    saved = desk.create_saved_reply(db, "发货时间", "现货48小时内发出哦", AGENT_A, utcnow())
    with pytest.raises(DeskRefusedError) as refused:
        desk.create_saved_reply(db, "发货时间", "另一条", AGENT_B, utcnow())
    assert refused.value.refusal == DeskRefusal.TITLE_EXISTS
    assert [r.title for r in desk.saved_replies(db, "48小时")] == ["发货时间"]
    assert desk.saved_replies(db, "100%") == []  # a wildcard is a plain character
    desk.delete_saved_reply(db, saved.id)
    assert desk.saved_replies(db, "48小时") == []
    with pytest.raises(DeskRefusedError):
        desk.delete_saved_reply(db, saved.id)


def test_a_saved_reply_that_ties_anything_to_a_review_is_refused(db):
    with pytest.raises(DeskRefusedError) as refused:
        desk.create_saved_reply(db, "返现", "给个五星好评返现5元", AGENT_A, utcnow())
    assert refused.value.refusal == DeskRefusal.INDUCEMENT
    with pytest.raises(DeskRefusedError) as too_long:
        desk.create_saved_reply(db, "标" * 41, "正文", AGENT_A, utcnow())
    assert too_long.value.refusal == DeskRefusal.BAD_TEXT


def test_canned_answers_are_saved_replies_then_faq_answers(db):
    desk.create_saved_reply(db, "退货运费", "七天无理由退货的运费由买家承担哦", AGENT_A, utcnow())
    found = desk.canned(db, "退货运费")
    assert found[0].kind == CannedKind.SAVED
    assert found[0].title == "退货运费"
    faq = [c for c in found if c.kind == CannedKind.FAQ]
    assert faq
    assert all(c.text and c.score is not None for c in faq)
    assert "{" not in faq[0].text  # the shop's facts are filled in
    assert len(found) <= desk.CANNED_MAX


def test_the_order_beside_the_transcript_has_items_scans_after_sales_and_cases(db):
    order = demo_order(db, "damaged_on_arrival", 2)
    conversation_id = _waiting(db, order_no=order.order_no)
    open_case(db, order, CaseKind.DAMAGED, utcnow(), conversation_id=conversation_id)
    context = desk.order_context(db, conversation_id)
    assert context is not None
    assert context.order_no == order.order_no
    assert context.lines
    assert context.lines[0].quantity >= 1
    assert context.parcels
    assert context.parcels[0].scans
    scans = context.parcels[0].scans
    assert scans == sorted(scans, key=lambda s: s.occurred_at, reverse=True)  # newest first
    assert [c.kind for c in context.cases][:1] == [CaseKind.DAMAGED]
    assert context.phone_tail == order.receiver_phone[-4:]


def test_a_conversation_with_no_verified_order_has_none_beside_it(db):
    assert desk.order_context(db, _waiting(db)) is None
    assert db.scalar(select(Order.id).limit(1)) is not None


def test_a_conversation_handed_to_a_person_and_back_unanswered_is_not_the_bots_resolution(db):
    conversation_id = _idle(db, waiting=True)
    desk.take(db, conversation_id, AGENT_A, utcnow())
    desk.release(db, conversation_id, AGENT_A)
    desk.take(db, conversation_id, AGENT_A, utcnow())  # taken, never answered, then idle
    desk.resolve_idle(db, utcnow())
    [resolved] = _events(db, EventName.CONVERSATION_RESOLVED, conversation_id)
    assert resolved.actor == Actor.SYSTEM


def test_the_bots_own_conversation_is_neither_handed_back_nor_resolved_by_an_agent(db):
    conversation_id = _idle(db)  # nobody asked for a person
    for refused_action in (
        lambda: desk.check_with_person(db, conversation_id),
        lambda: desk.resolve(db, conversation_id, AGENT_A, utcnow()),
    ):
        with pytest.raises(DeskRefusedError) as refused:
            refused_action()
        assert refused.value.refusal == DeskRefusal.NOT_WAITING
    assert _events(db, EventName.CONVERSATION_RESOLVED, conversation_id) == []

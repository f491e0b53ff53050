"""The agent desk in the browser: a shopper asks for a human in the storefront widget; an agent
signs in, takes the conversation in the inbox and replies; the shopper sees the reply at once.
What the shopper typed is shown as text, never run. Screenshots go to docs/screenshots/."""

import uuid
from pathlib import Path

from sqlalchemy import select

from accounts.models import Role
from conversations.corrections_models import Correction
from conversations.models import Escalation, EscalationReason, EscalationStatus, Sender
from conversations.service import hand_over, post
from core.database import unit_of_work
from shop.models import Order, OrderStatus
from tests.e2e.conftest import login

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}
PAYLOAD = '<img src=x onerror="window.__pwned=1">我的快递呢'
REPLY = "您好，我是客服小美，已经帮您查到包裹在路上，预计明天送达。"


def _shipped_order_no() -> str:
    with unit_of_work() as session:
        return (
            session.scalars(
                select(Order.order_no).where(Order.status == OrderStatus.SHIPPED).order_by(Order.id)
            ).first()
            or ""
        )


def _another_shopper_waiting(order_no: str) -> None:
    """An upset shopper already in the queue, with a verified order (as the bot hands over)."""
    conversation_id = f"e2e-desk-{uuid.uuid4().hex[:12]}"
    with unit_of_work() as session:
        post(session, conversation_id, Sender.SHOPPER, "都三天了还没到，再不到我就去12315投诉")
        hand_over(
            session,
            conversation_id,
            EscalationReason.COMPLAINT,
            detail="物流太慢",
            order_no=order_no,
        )


def _corrected_intent(conversation_id: str) -> tuple[str, str] | None:
    with unit_of_work() as session:
        found = session.scalars(
            select(Correction).where(Correction.conversation_id == conversation_id)
        ).one_or_none()
        return None if found is None else (found.intent, found.text)


def _verified_before_the_handoff(conversation_id: str, order_no: str) -> None:
    """The shopper had verified the order with the bot (the stand-in Rasa verifies nothing)."""
    with unit_of_work() as session:
        escalation = session.scalars(
            select(Escalation).where(Escalation.conversation_id == conversation_id)
        ).one()
        escalation.order_no = order_no


def test_a_shopper_asks_for_a_human_and_an_agent_takes_it_and_replies(
    browser, live_server, staff_context
):
    order_no = _shipped_order_no()
    _another_shopper_waiting(order_no)

    shopper_context = browser.new_context(viewport=PHONE, locale="zh-CN")
    try:
        shopper = shopper_context.new_page()
        shopper.goto(live_server + "/")
        shopper.click("#chat-open")
        shopper.fill("#chat-input", "转人工")
        shopper.press("#chat-input", "Enter")
        shopper.wait_for_selector("text=好的，马上为您转接人工客服。")
        notices = shopper.locator(".msg.system .bubble").count()
        shopper.fill("#chat-input", PAYLOAD)
        shopper.press("#chat-input", "Enter")
        shopper.wait_for_function(  # acknowledged while waiting for the agent
            f"() => document.querySelectorAll('.msg.system .bubble').length > {notices}"
        )
        conversation_id = shopper.evaluate("localStorage.getItem('kefu-conversation-id')")
        _verified_before_the_handoff(conversation_id, order_no)

        agent = staff_context().new_page()
        login(agent, live_server, Role.AGENT)
        assert agent.url.endswith("/desk")
        row = agent.locator(f"tr[data-conversation-id='{conversation_id}']")
        row.wait_for()
        assert "顾客要求人工" in row.inner_text()
        assert PAYLOAD[:20] in row.locator("td.last").inner_text()  # shown as text
        assert row.locator("img").count() == 0
        agent.wait_for_selector("tbody tr .badge.bad")  # the shopper who threatens 12315
        SHOTS.mkdir(parents=True, exist_ok=True)
        agent.screenshot(path=str(SHOTS / "desk-inbox.png"))

        row.locator("button.take").click()
        agent.wait_for_url(f"**/desk/conversations/{conversation_id}")
        agent.wait_for_selector("#chat-state:has-text('我在处理')")
        agent.wait_for_selector(f"#order:has-text('{order_no}')")
        agent.wait_for_selector("#order .timeline li")  # the parcel's scans, newest first
        bubble = agent.locator(".msg.shopper .bubble").last
        assert bubble.inner_text() == PAYLOAD
        assert agent.locator("#transcript img").count() == 0
        assert agent.evaluate("window.__pwned") is None

        agent.fill("#canned-q", "运费")
        agent.locator("#canned-list .canned-item").first.click()  # a canned answer goes in
        assert agent.input_value("#reply-text")
        assert agent.locator("#canned-list").is_hidden()
        agent.fill("#note-text", "顾客着急，明天上午再跟进一次物流")
        agent.click("#note-form button[type=submit]")
        agent.wait_for_selector("#notes li:has-text('明天上午再跟进')")
        teach = agent.locator(".msg.shopper").last  # the bot did not understand this line
        teach.locator(".teach-open").click()
        teach.locator("select.teach-choice").select_option("intent:track_order")
        teach.locator(".teach-form button[type=submit]").click()
        teach.locator(".teach-done").wait_for()
        assert _corrected_intent(conversation_id) == ("track_order", PAYLOAD)
        agent.fill("#reply-text", REPLY)
        agent.click("#send")
        agent.wait_for_selector(f".msg.agent .bubble:has-text('{REPLY[:10]}')")
        agent.evaluate("window.scrollTo(0, 0)")
        agent.screenshot(path=str(SHOTS / "desk-conversation.png"))

        shopper.wait_for_selector(f"text={REPLY}", timeout=10000)
        assert agent.evaluate("window.__pwned") is None
    finally:
        shopper_context.close()


def test_a_conversation_the_agent_did_not_take_cannot_be_answered_by_another_agent(
    live_server, staff_context
):
    conversation_id = f"e2e-desk-{uuid.uuid4().hex[:12]}"
    with unit_of_work() as session:
        post(session, conversation_id, Sender.SHOPPER, "在吗")
        hand_over(session, conversation_id, EscalationReason.SHOPPER_ASKED)
        escalation = session.scalars(
            select(Escalation).where(Escalation.conversation_id == conversation_id)
        ).one()
        escalation.taken_by = "客服阿强"  # another agent has it
        escalation.status = EscalationStatus.TAKEN
    agent = staff_context().new_page()
    login(agent, live_server, Role.AGENT, f"/desk/conversations/{conversation_id}")
    agent.wait_for_selector("#chat-state:has-text('客服阿强 处理中')")
    assert agent.locator("#send").is_disabled()
    assert agent.locator("#take").is_hidden()

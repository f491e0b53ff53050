"""A manager follows a report's number to the review or the conversation behind it: the record
opens read-only (nothing to approve, reply or note), the desk itself stays closed to them, and
script or image markup in the shopper's words is shown as text."""

import uuid

from accounts.models import Role
from conversations.models import EscalationReason, Sender
from conversations.service import hand_over, post
from core.database import unit_of_work
from reviews.importer import ReviewRow
from reviews.service import store_reviews
from tests.e2e.conftest import login

PAYLOAD = '<script>window.__xss=1</script><img src=x onerror="window.__xss=1">'


def _stored_negative_review() -> int:
    with unit_of_work() as session:
        row = ReviewRow(
            line=1,
            platform="jd",
            review_id=f"e2e-records-{uuid.uuid4().hex[:12]}",
            text=f"鞋底开胶了，质量太差{PAYLOAD}",
            rating=1,
        )
        (stored,) = store_reviews(session, [row])
        session.flush()
        return stored.review.id


def _handed_over_conversation() -> str:
    conversation_id = f"e2e-records-{uuid.uuid4().hex[:12]}"
    with unit_of_work() as session:
        post(session, conversation_id, Sender.SHOPPER, f"快递三天没动了{PAYLOAD}")
        hand_over(session, conversation_id, EscalationReason.COMPLAINT, detail="物流太慢")
    return conversation_id


def _visible_controls(page) -> int:
    return page.locator("main button:visible, main form:visible").count()


def test_a_manager_reads_a_review_and_a_conversation_behind_a_number_but_changes_nothing(
    live_server, staff_context
):
    number, conversation_id = _stored_negative_review(), _handed_over_conversation()
    page = staff_context().new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    login(page, live_server, Role.MANAGER)

    page.goto(f"{live_server}/desk/reviews/{number}")
    page.wait_for_selector("#review-text:has-text('鞋底开胶')")
    assert PAYLOAD in page.inner_text("#review-text")  # as text
    page.wait_for_selector("#reply-text")
    assert page.input_value("#reply-text")  # the draft is shown
    assert page.locator("#reply-text").evaluate("t => t.readOnly")
    assert _visible_controls(page) == 0

    page.goto(f"{live_server}/desk/conversations/{conversation_id}")
    page.wait_for_selector(".msg.shopper .bubble")
    assert page.inner_text(".msg.shopper .bubble") == f"快递三天没动了{PAYLOAD}"
    assert page.locator("#transcript img, .teach-open:visible").count() == 0
    assert _visible_controls(page) == 0
    assert page.evaluate("window.__xss") is None

    refused = page.goto(f"{live_server}/desk")
    assert refused is not None
    assert refused.status == 403
    assert errors == []


def test_an_agent_still_works_on_the_same_review(live_server, staff_context):
    number = _stored_negative_review()
    page = staff_context().new_page()
    login(page, live_server, Role.AGENT)
    page.goto(f"{live_server}/desk/reviews/{number}")
    page.wait_for_selector("#review-text:has-text('鞋底开胶')")
    assert page.locator("#reply-save").is_visible()
    assert not page.locator("#reply-text").evaluate("t => t.readOnly")

"""An admin sees the alert channels and a dead letter, and sends it again."""

import uuid
from pathlib import Path

from sqlalchemy import delete, select

from accounts.models import Role
from core.database import unit_of_work
from core.outbox import OutboxAttempt, OutboxItem, OutboxState, Topic
from tests.e2e.conftest import login

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_an_admin_sees_the_channels_and_retries_a_dead_alert(live_server, staff_context):
    review = f"9{uuid.uuid4().int % 10**8}"
    with unit_of_work() as session:
        row = OutboxItem(topic=Topic.REVIEW_ALERT, destination="wecom", subject_id=review)
        row.state, row.attempts = OutboxState.DEAD, 5
        row.last_error = "errcode 93000: invalid webhook url"
        session.add(row)
    try:
        page = staff_context().new_page()
        login(page, live_server, Role.ADMIN, next_path="/admin/alerts")
        page.wait_for_selector("#channels tr[data-channel='wecom']")
        assert "企业微信" in page.inner_text("#channels tr[data-channel='wecom']")
        dead = page.locator("#dead tr").filter(has_text=f"#{review}")
        dead.wait_for()
        assert "invalid webhook url" in dead.inner_text()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "admin-alerts.png"))
        dead.locator("button").click()
        page.wait_for_selector(f"#toasts :text('已重新加入发送队列：评价 #{review}')")
    finally:
        with unit_of_work() as session:  # the retry's attempt is logged: its log goes too
            ids = select(OutboxItem.id).where(OutboxItem.subject_id == review)
            session.execute(delete(OutboxAttempt).where(OutboxAttempt.item_id.in_(ids)))
            session.execute(delete(OutboxItem).where(OutboxItem.subject_id == review))

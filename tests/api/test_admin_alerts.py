"""The alert channels page's API: each channel of the policy, on or off, with its deliveries."""

from accounts.models import Role
from core.outbox import OutboxItem, OutboxState, Topic
from tests.staff import bearer

URL = "/api/admin/alert-channels"


def test_an_admin_sees_every_channel_on_or_off_with_its_delivered_and_dead_alerts(
    api_client, db, monkeypatch
):
    monkeypatch.setenv("ALERT_WECOM_URL", "http://127.0.0.1:9/robot")
    for monkey in ("ALERT_WEBHOOK_URL", "ALERT_DINGTALK_URL", "ALERT_FEISHU_URL", "ALERT_SMTP_URL"):
        monkeypatch.delenv(monkey, raising=False)
    states = (OutboxState.SENT, OutboxState.SENT, OutboxState.DEAD)
    for review, state in enumerate(states, start=900001):
        row = OutboxItem(topic=Topic.REVIEW_ALERT, destination="wecom", subject_id=str(review))
        row.state = state
        db.add(row)
    db.flush()

    found = {c["name"]: c for c in api_client.get(URL, headers=bearer(Role.ADMIN)).json()}

    assert found["wecom"]["on"] is True
    assert found["wecom"]["kind_label"] == "企业微信"
    assert found["wecom"]["deliveries"]["sent"] >= 2
    assert found["wecom"]["deliveries"]["dead"] >= 1
    assert found["webhook"]["on"] is False
    assert found["webhook"]["address_variable"] == "ALERT_WEBHOOK_URL"


def test_the_page_is_an_admins(api_client):
    assert api_client.get(URL, headers=bearer(Role.AGENT)).status_code == 403
    assert api_client.get("/admin/alerts", follow_redirects=False).status_code == 303

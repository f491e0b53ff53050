"""A negative review reaches every alert channel once: in one message, or in one digest of a
burst; a failing channel is tried again with back-off and a refusing one ends dead."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from accounts.models import Role
from connectors.alerts import MAX_BYTES
from core import rate_limits
from core.clock import utcnow
from core.outbox import OutboxAttempt, OutboxItem, OutboxState, Outcome
from jobs.alert_delivery import CHANNEL_OFF, deliver_turn, fitted
from reviews.alert_channels import channels
from reviews.alerts import ReviewAlert
from reviews.importer import ReviewRow
from reviews.service import store_reviews
from tests.connectors.alerts.receivers import (
    WEBHOOK,
    WECOM,
    Failure,
    RobotReceiver,
    SmtpReceiver,
    covered_ids,
    covered_review_ids,
    message_text,
)
from tests.staff import bearer

SECRET = "hook-secret"
NEGATIVE = "手机用了三天就黑屏了，客服也不理人，差评"
POSITIVE = "很好用，物流也快，五星好评"


@pytest.fixture
def receivers(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, RobotReceiver]]:
    """A webhook and a WeCom robot switched on as the shop's channels (email stays off)."""
    rate_limits.limiter.cache_clear()  # each test starts with every channel's window empty
    with RobotReceiver(WEBHOOK, SECRET) as webhook, RobotReceiver(WECOM) as wecom:
        monkeypatch.setenv("ALERT_WEBHOOK_URL", webhook.url)
        monkeypatch.setenv("ALERT_WEBHOOK_SECRET", SECRET)
        monkeypatch.setenv("ALERT_WECOM_URL", wecom.url)
        for name in ("ALERT_DINGTALK_URL", "ALERT_FEISHU_URL", "ALERT_SMTP_URL"):
            monkeypatch.delenv(name, raising=False)
        yield {"webhook": webhook, "wecom": wecom}
    rate_limits.limiter.cache_clear()


def _store(db: Session, *texts: str, start: int = 1, rating: int = 1) -> list[int]:
    rows = [
        ReviewRow(
            line=n, review_id=f"alert-test-{start + n}", platform="taobao", text=t, rating=rating
        )
        for n, t in enumerate(texts)
    ]
    stored = store_reviews(db, rows)
    db.flush()
    return [s.review.id for s in stored]


def review_alert_payload(review_id: int) -> dict[str, object]:
    return ReviewAlert(
        review_id=review_id,
        platform="taobao",
        platform_review_id=f"TB{review_id}",
        product_id="P-1",
        sku=None,
        order_id=None,
        rating=1,
        severity="medium",
        severity_reasons=("rating: 1 star",),
        causes=("product",),
        sub_causes=("product.defect",),
        evidence=(("product.defect", "黑屏了"),),
        text="手机用了三天就黑屏了",
        received_at="2026-12-04T10:00:00+00:00",
    ).as_payload()


def _next_turn(db: Session, channel: str) -> float | None:
    """The channel's next turn as if its wait were over (no sleeping in tests)."""
    rate_limits.limiter.cache_clear()
    db.execute(
        update(OutboxItem)
        .where(OutboxItem.destination == channel, OutboxItem.state == OutboxState.PENDING)
        .values(next_attempt_at=utcnow())
    )
    return deliver_turn(channel)


def test_a_negative_review_is_alerted_once_on_each_channel_and_a_positive_one_never(db, receivers):
    negative, _positive = _store(db, NEGATIVE, POSITIVE)

    for channel in ("webhook", "wecom"):
        assert deliver_turn(channel) is None  # nothing left
        assert deliver_turn(channel) is None  # and nothing sent again

    for receiver in receivers.values():
        [request] = receiver.requests
        assert request.accepted
        assert covered_review_ids(request) == {negative}
    hook = receivers["webhook"].requests[0]
    assert hook.body["type"] == "review_alert"
    assert [a["review_id"] for a in hook.body["alerts"]] == [negative]
    assert "商品问题" in hook.body["text"]
    rows = db.scalars(select(OutboxItem).where(OutboxItem.subject_id == str(negative)))
    assert {(r.destination, r.state) for r in rows} == {
        ("webhook", OutboxState.SENT),
        ("wecom", OutboxState.SENT),
    }


def test_a_burst_becomes_one_digest_and_the_next_waits_for_the_channels_turn(db, receivers):
    first = _store(db, *[f"{NEGATIVE}（第{n}单）" for n in range(30)])
    assert deliver_turn("wecom") is None
    [digest] = receivers["wecom"].requests
    assert covered_review_ids(digest) == set(first)
    assert "30 条新中差评" in digest.body["markdown"]["content"]

    later = _store(db, *[f"{NEGATIVE}（补{n}）" for n in range(5)], start=100)
    wait = deliver_turn("wecom")
    assert wait is not None
    assert 0 < wait <= 3.0  # 20 a minute: one message every 3 s
    assert len(receivers["wecom"].requests) == 1

    assert _next_turn(db, "wecom") is None
    assert covered_review_ids(receivers["wecom"].requests[1]) == set(later)


def test_a_failing_channel_is_tried_again_with_back_off_and_loses_nothing(db, receivers):
    (review,) = _store(db, NEGATIVE)
    receivers["wecom"].fail(Failure.http(502))
    receivers["wecom"].fail_rate_limited()

    wait = deliver_turn("wecom")
    assert wait is not None
    assert 4 <= wait <= 5  # first back-off: 5 s
    assert _next_turn(db, "wecom") is not None  # the robot's 45009: too many, later
    assert _next_turn(db, "wecom") is None

    item = db.scalars(select(OutboxItem).where(OutboxItem.destination == "wecom")).one()
    assert (item.state, item.attempts) == (OutboxState.SENT, 3)
    log = db.scalars(select(OutboxAttempt).where(OutboxAttempt.item_id == item.id)).all()
    assert [(a.outcome, a.error_code) for a in log] == [
        (Outcome.RETRY, "502"),
        (Outcome.RETRY, "45009"),
        (Outcome.SENT, None),
    ]
    assert [covered_review_ids(r) for r in receivers["wecom"].accepted] == [{review}]


def test_a_channel_that_refuses_for_good_leaves_a_dead_letter_an_admin_can_retry(
    db, receivers, api_client, monkeypatch
):
    monkeypatch.setenv("ALERT_WEBHOOK_SECRET", "a-wrong-secret")
    (review,) = _store(db, NEGATIVE)
    assert deliver_turn("webhook") is None  # 401: dead at once, no retry
    headers = {"Authorization": "Bearer test-admin-token"}

    dead = api_client.get("/api/outbox", params={"state": "dead"}, headers=headers).json()
    assert [(d["destination"], d["subject_id"]) for d in dead] == [("webhook", str(review))]
    assert dead[0]["log"][0]["error_code"] == "401"
    detail = api_client.get(f"/api/reviews/{review}", headers=bearer(Role.AGENT)).json()
    assert {a["destination"]: a["state"] for a in detail["alerts"]} == {
        "webhook": "dead",
        "wecom": "pending",
    }

    monkeypatch.setenv("ALERT_WEBHOOK_SECRET", SECRET)  # the admin fixed the secret
    retried = api_client.post(f"/api/outbox/{dead[0]['id']}/retry", headers=headers)
    assert retried.status_code == 200
    assert retried.json()["state"] == "pending"
    assert api_client.post(f"/api/outbox/{dead[0]['id']}/retry", headers=headers).status_code == 409
    assert api_client.post("/api/outbox/999999/retry", headers=headers).status_code == 404
    assert api_client.get("/api/outbox", headers={}).status_code == 401
    assert _next_turn(db, "webhook") is None
    assert covered_review_ids(receivers["webhook"].accepted[-1]) == {review}


def test_alerts_for_a_channel_switched_off_are_dead_with_the_reason(db, receivers, monkeypatch):
    _store(db, NEGATIVE)
    monkeypatch.delenv("ALERT_WECOM_URL")
    assert deliver_turn("wecom") is None
    item = db.scalars(select(OutboxItem).where(OutboxItem.destination == "wecom")).one()
    assert (item.state, item.last_error) == (OutboxState.DEAD, CHANNEL_OFF)
    assert receivers["wecom"].requests == []


def test_email_hears_only_of_the_severity_it_asks_for(db, receivers, monkeypatch):
    with SmtpReceiver() as smtp:
        monkeypatch.setenv("ALERT_SMTP_URL", smtp.url)
        monkeypatch.setenv("ALERT_EMAIL_TO", "dianzhang@example.com")
        (low,) = _store(db, "颜色有点偏差，不太喜欢", rating=3)  # severity low
        (threat,) = _store(db, "假货！我要去12315投诉你们，过敏了", start=50)  # critical
        assert deliver_turn("email") is None
        [mail] = smtp.messages
        assert covered_review_ids(mail) == {threat}  # email: medium and above
        assert low not in covered_review_ids(mail)


def test_a_commit_that_adds_alerts_wakes_their_channels_at_once(db, receivers, monkeypatch):
    from core import outbox
    from jobs import tasks

    monkeypatch.setattr(outbox, "_wakers", [])
    tasks.enqueue_on_commit()  # jobs run in-process in tests (JOBS_URL=memory://)
    from core.database import unit_of_work

    with unit_of_work() as session:
        (review,) = _store(session, NEGATIVE)
    assert [covered_review_ids(r) for r in receivers["webhook"].requests] == [{review}]
    assert [covered_review_ids(r) for r in receivers["wecom"].requests] == [{review}]


def test_the_sweep_sends_what_a_dead_worker_left_sending(db, receivers):
    (review,) = _store(db, NEGATIVE)
    long_ago = utcnow() - timedelta(minutes=5)
    db.execute(
        update(OutboxItem)
        .where(OutboxItem.destination == "wecom")
        .values(state=OutboxState.SENDING, claimed_at=long_ago, attempts=1)
    )
    assert deliver_turn("wecom") is None  # nothing pending: it is someone's, for now
    assert receivers["wecom"].requests == []

    from jobs.tasks import sweep_outbox

    sweep_outbox.call_local()
    assert [covered_review_ids(r) for r in receivers["wecom"].requests] == [{review}]


def test_a_message_a_dead_worker_may_have_delivered_goes_again_as_itself_marked_as_a_repeat(
    db, receivers
):
    (review,) = _store(db, NEGATIVE)
    long_ago = utcnow() - timedelta(minutes=5)
    for channel in ("webhook", "wecom"):
        db.execute(
            update(OutboxItem)
            .where(OutboxItem.destination == channel)
            .values(
                state=OutboxState.SENDING,
                claimed_at=long_ago,
                attempts=1,
                message_id=f"{channel}-left-by-a-dead-worker",
            )
        )
    from jobs.tasks import sweep_outbox

    sweep_outbox.call_local()
    (hook,) = receivers["webhook"].requests
    assert hook.headers["x-kefu-delivery"] == "webhook-left-by-a-dead-worker"
    (robot,) = receivers["wecom"].requests
    text = message_text(robot)
    assert text.startswith("> 【重发】")
    assert "请勿重复处理" in text
    assert covered_review_ids(robot) == {review}
    assert _next_turn(db, "wecom") is None  # sent: never a third time


def test_a_new_message_never_says_it_is_a_repeat(db, receivers):
    _store(db, NEGATIVE)
    assert deliver_turn("wecom") is None
    (robot,) = receivers["wecom"].requests
    assert "重发" not in message_text(robot)


def test_a_digest_whose_id_list_would_not_fit_covers_fewer_and_the_rest_go_next(db, receivers):
    scattered = [
        review_alert_payload(1_000_000 + 3 * n) for n in range(1200)
    ]  # no two ids in a row: 1,200 ids do not fit in 4,096 bytes
    channel = channels()["wecom"]
    message = fitted(channel, scattered, "m-1")
    covered = covered_ids(message.markdown)
    assert 100 < len(covered) < 1200
    assert covered == {a["review_id"] for a in scattered[: len(covered)]}  # oldest first
    assert len(message.markdown.encode()) <= MAX_BYTES[WECOM]
    in_a_row = [review_alert_payload(2_000_000 + n) for n in range(5000)]
    assert len(covered_ids(fitted(channel, in_a_row, "m-2").markdown)) == 5000  # one run


@pytest.mark.parametrize(
    ("method", "path", "params"),
    [
        ("get", "/api/outbox", {"state": "lost"}),
        ("get", "/api/outbox", {"limit": "0"}),
        ("get", "/api/outbox", {"limit": str(2**70)}),
        ("get", "/api/outbox", {"destination": "x" * 65}),
        ("post", "/api/outbox/abc/retry", {}),
        ("post", "/api/outbox/0/retry", {}),
        ("post", f"/api/outbox/{2**64}/retry", {}),
        ("get", "/api/reviews/0", {}),
        ("get", f"/api/reviews/{2**64}", {}),
    ],
)
def test_bad_input_to_the_outbox_and_review_routes_is_a_clear_4xx(api_client, method, path, params):
    headers = bearer(Role.ADMIN if path.startswith("/api/outbox") else Role.AGENT)
    answer = getattr(api_client, method)(path, params=params, headers=headers)
    assert answer.status_code == 422


def test_an_unknown_review_number_is_a_404_in_chinese_and_english(api_client):
    headers = bearer(Role.AGENT)
    answer = api_client.get("/api/reviews/999999", headers=headers)
    assert answer.status_code == 404
    assert answer.json()["detail"] == "没有这条评价 / no such review"

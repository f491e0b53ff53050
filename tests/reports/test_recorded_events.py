"""The events carry what the reports group by: a review's product, SKU, sub-cause, and its
order's carrier and region; a case's region; an alert's delivery or its dead letter, once per
review and channel."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import rate_limits
from core.clock import utcnow
from core.events import Event, EventName
from core.outbox import OutboxItem, OutboxState, revive
from jobs.alert_delivery import deliver_turn
from reviews.importer import ReviewRow
from reviews.service import store_reviews
from shop.logistics import open_case
from shop.models import CaseKind, Order
from shop.regions import province
from tests.connectors.alerts.receivers import WEBHOOK, WECOM, Failure, RobotReceiver
from tests.shop.conftest import demo_order

SECRET = "hook-secret"
NEGATIVE = "手机用了三天就黑屏了，快递也慢，差评"


@pytest.fixture
def receivers(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, RobotReceiver]]:
    rate_limits.limiter.cache_clear()
    with RobotReceiver(WEBHOOK, SECRET) as webhook, RobotReceiver(WECOM) as wecom:
        monkeypatch.setenv("ALERT_WEBHOOK_URL", webhook.url)
        monkeypatch.setenv("ALERT_WEBHOOK_SECRET", SECRET)
        monkeypatch.setenv("ALERT_WECOM_URL", wecom.url)
        for name in ("ALERT_DINGTALK_URL", "ALERT_FEISHU_URL", "ALERT_SMTP_URL"):
            monkeypatch.delenv(name, raising=False)
        yield {"webhook": webhook, "wecom": wecom}
    rate_limits.limiter.cache_clear()


def _events(db: Session, name: EventName, subject: int | str) -> list[Event]:
    query = select(Event).where(Event.name == name, Event.subject_id == str(subject))
    return list(db.scalars(query.order_by(Event.id)))


def _shipped_order(db: Session) -> Order:
    orders = db.scalars(select(Order).order_by(Order.id))
    return next(o for o in orders if o.latest_shipment is not None)


def test_a_province_is_read_from_the_start_of_an_address():
    assert province("广东省深圳市南山区科苑路188号") == "广东"
    assert province("北京市朝阳区望京街道") == "北京"
    assert province("杭州西湖区文一西路522号") == "浙江"  # a big city without its province
    assert province("内蒙古自治区呼和浩特市") == "内蒙古"
    assert province("某小区3栋") is None
    assert province(None) is None


def test_a_review_of_a_shop_order_carries_product_sku_sub_cause_carrier_and_region(db):
    order = _shipped_order(db)
    row = ReviewRow(line=1, review_id="dims-1", platform="taobao", text=NEGATIVE, rating=1,
                    product_id="P-DIMS", sku="SKU-9", order_id=order.order_no)  # fmt: skip

    (stored,) = store_reviews(db, [row])
    db.flush()

    (received,) = _events(db, EventName.REVIEW_RECEIVED, stored.review.id)
    (flagged,) = _events(db, EventName.REVIEW_FLAGGED_NEGATIVE, stored.review.id)
    parcel = order.latest_shipment
    assert parcel is not None
    expected = ("P-DIMS", "SKU-9", order.order_no, parcel.carrier, province(order.shipping_address))
    for event in (received, flagged):
        assert (event.product_id, event.sku, event.order_no, event.carrier, event.region) == (
            expected
        )
    assert flagged.region is not None
    analysis = stored.analysis
    assert analysis is not None
    assert flagged.cause == analysis.causes[0]
    under = [s for s in analysis.sub_causes if s.startswith(f"{flagged.cause}.")]
    assert flagged.sub_cause == (under[0] if under else None)


def test_a_review_naming_no_shop_order_has_no_order_dimensions(db):
    row = ReviewRow(line=1, review_id="dims-2", platform="jd", text=NEGATIVE, rating=1,
                    order_id="NOT-OURS")  # fmt: skip

    (stored,) = store_reviews(db, [row])
    db.flush()

    (received,) = _events(db, EventName.REVIEW_RECEIVED, stored.review.id)
    assert (received.order_no, received.carrier, received.region) == (None, None, None)


def test_a_logistics_case_event_names_the_region_of_the_order(db, seeded_at):
    order = demo_order(db, "stalled", which=-1)

    open_case(db, order, CaseKind.DELAYED, seeded_at)
    db.flush()

    (opened,) = db.scalars(
        select(Event).where(Event.name == EventName.CASE_OPENED, Event.order_no == order.order_no)
    )
    assert opened.region == province(order.shipping_address)


def _store(db: Session, text: str = NEGATIVE) -> int:
    (stored,) = store_reviews(
        db, [ReviewRow(line=1, review_id="alert-ev-1", platform="taobao", text=text, rating=1)]
    )
    db.flush()
    return stored.review.id


def test_an_alert_delivered_records_one_alert_sent_per_channel_with_its_delay(db, receivers):
    review = _store(db)

    for channel in ("webhook", "wecom"):
        assert deliver_turn(channel) is None
        assert deliver_turn(channel) is None  # nothing sent, nothing recorded again

    sent = _events(db, EventName.ALERT_SENT, review)
    assert sorted(str(e.cause) for e in sent) == ["webhook", "wecom"]
    assert all(e.value is not None and 0 <= e.value < 60 for e in sent)
    assert _events(db, EventName.ALERT_FAILED, review) == []


def test_an_alert_retried_records_nothing_until_it_ends_dead(db, receivers, monkeypatch):
    review = _store(db)
    receivers["wecom"].fail(Failure.http(502))

    assert deliver_turn("wecom") is not None  # to be tried again
    assert _events(db, EventName.ALERT_SENT, review) == []
    assert _events(db, EventName.ALERT_FAILED, review) == []

    monkeypatch.setenv("ALERT_WEBHOOK_SECRET", "a-wrong-secret")  # refused for good: dead
    assert deliver_turn("webhook") is None
    (failed,) = _events(db, EventName.ALERT_FAILED, review)
    assert (failed.cause, failed.value) == ("webhook", None)
    assert failed.occurred_at - utcnow() < timedelta(minutes=1)


def test_a_dead_alert_revived_twice_records_one_failure_and_then_one_delivery(
    db, receivers, monkeypatch
):
    review = _store(db)
    monkeypatch.setenv("ALERT_WEBHOOK_SECRET", "a-wrong-secret")
    assert deliver_turn("webhook") is None  # dead
    (row,) = db.scalars(
        select(OutboxItem).where(
            OutboxItem.subject_id == str(review), OutboxItem.destination == "webhook"
        )
    )
    db.expire_all()  # the worker's units of work changed the row
    assert revive(db, row.id, utcnow()) is not None
    db.flush()
    rate_limits.limiter.cache_clear()  # the channel's pace: not what this test is about
    assert deliver_turn("webhook") is None  # dead again: no second failure
    assert len(_events(db, EventName.ALERT_FAILED, review)) == 1
    monkeypatch.setenv("ALERT_WEBHOOK_SECRET", SECRET)  # the admin fixed the secret
    db.expire_all()  # the worker's units of work changed the row
    assert revive(db, row.id, utcnow()) is not None
    db.flush()
    rate_limits.limiter.cache_clear()  # the channel's pace: not what this test is about
    assert deliver_turn("webhook") is None
    db.refresh(row)
    assert row.state == OutboxState.SENT, row.log
    assert len(_events(db, EventName.ALERT_SENT, review)) == 1
    assert len(_events(db, EventName.ALERT_FAILED, review)) == 1

"""Recurring complaints open queue items: the same cause on one product, one carrier and region,
or one kind of service, crossing the policy's threshold within its window; more complaints
update the open item; reviews and the chat count alike; each event counts once."""

from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from conversations.models import EscalationReason
from conversations.service import hand_over
from core.clock import utcnow
from core.events import Event, EventName
from recurring import service
from recurring.complaints import IssueKey
from recurring.models import (
    ComplaintSource,
    ItemState,
    Queue,
    RecurringComplaint,
    RecurringCursor,
    RecurringIssue,
)
from recurring.service import crosses
from shop.aftersales import delivered_at, request_return
from shop.fresh_food import open_fresh_claim
from shop.logistics import CaseOpened, open_case
from shop.models import CaseKind
from shop.regions import province
from tests.recurring.conftest import open_items, read_all, review, ship_like
from tests.shop.conftest import demo_order

FADED = "衣服洗了一次就掉色，质量太差"  # product.poor_quality
SLOW = "快递太慢了，一个星期才到"  # logistics.slow


def _events(db, name: EventName, after: int) -> list[Event]:
    query = select(Event).where(Event.name == name, Event.id > after).order_by(Event.id)
    return list(db.scalars(query))


def _last_event_id(db) -> int:
    return db.scalar(select(func.max(Event.id))) or 0


def test_three_bad_reviews_of_one_product_open_one_item_and_a_fourth_updates_it(db):
    read_all(db)  # the demo's events
    before = _last_event_id(db)
    first = [review(db, FADED, at=utcnow() - timedelta(days=d)) for d in (3, 2)]
    read_all(db)
    assert open_items(db, Queue.PRODUCT) == []  # two: under the threshold

    third = review(db, FADED)
    (done,) = read_all(db)
    [item] = open_items(db, Queue.PRODUCT)
    assert done.opened == (item.id,)
    assert (item.cause, item.product_id, item.state) == ("product.poor_quality", "P-RECUR", "open")
    assert item.complaint_count == 3
    (view,) = service.item_views(db, [item])
    assert set(view.links.review_ids) == {*first, third}
    assert [s.excerpt for s in view.samples] == ["衣服洗了一次就掉色"]  # said once
    assert view.trend.this_window == 3
    assert sum(d.count for d in view.trend.days) == 3
    [opened] = _events(db, EventName.QUEUE_ITEM_OPENED, before)
    assert (opened.subject_id, opened.cause, opened.product_id) == (
        str(item.id),
        "product",
        "P-RECUR",
    )
    assert opened.payload["complaints"] == 3

    fourth = review(db, "质量太差了，穿了一次就起球")
    (done,) = read_all(db)
    assert done.updated == (item.id,)
    assert done.opened == ()
    assert [i.id for i in open_items(db, Queue.PRODUCT)] == [item.id]  # no second item
    assert item.complaint_count == 4
    assert fourth in service.item_views(db, [item])[0].links.review_ids
    [updated] = _events(db, EventName.QUEUE_ITEM_UPDATED, before)
    assert updated.payload["added"] == 1


def test_the_same_complaint_about_different_products_opens_nothing(db):
    for product in ("P-A", "P-B", "P-C"):
        review(db, FADED, product_id=product)
    read_all(db)
    assert open_items(db, Queue.PRODUCT) == []
    keys = db.scalars(select(RecurringComplaint.key).where(RecurringComplaint.queue == "product"))
    assert {k for k in keys if k.endswith(("P-A", "P-B", "P-C"))} == {
        "product|product.poor_quality|P-A",
        "product|product.poor_quality|P-B",
        "product|product.poor_quality|P-C",
    }


def test_complaints_spread_wider_than_the_window_open_nothing(db):
    for days in (20, 12, 1):  # the product window is 7 days
        review(db, FADED, at=utcnow() - timedelta(days=days))
    read_all(db)
    assert open_items(db, Queue.PRODUCT) == []


def test_a_review_about_the_product_and_the_parcel_counts_in_both_queues(db):
    review_id = review(db, "快递太慢了，衣服质量也差")
    read_all(db)
    rows = db.scalars(
        select(RecurringComplaint).where(RecurringComplaint.source_id == str(review_id))
    ).all()
    assert sorted((r.queue, r.key) for r in rows) == [
        ("logistics", "logistics|logistics.slow||"),  # no order: carrier and region unknown
        ("product", "product|product.poor_quality|P-RECUR"),
    ]


def test_logistics_complaints_are_keyed_by_carrier_and_region(db):
    model = demo_order(db, "late")
    other = demo_order(db, "late", which=-1)
    ship_like(other, model)
    elsewhere = demo_order(db, "in_transit")
    elsewhere.latest_shipment.carrier = model.latest_shipment.carrier
    elsewhere.shipping_address = "新疆乌鲁木齐市天山区解放北路1号"
    assert province(model.shipping_address) != "新疆"

    review(db, SLOW, order_no=model.order_no)
    review(db, SLOW, order_no=elsewhere.order_no)  # the same carrier, another region
    read_all(db)
    assert open_items(db, Queue.LOGISTICS) == []
    review(db, SLOW, order_no=other.order_no)
    read_all(db)
    assert open_items(db, Queue.LOGISTICS) == []  # 2 in the model's region, 1 elsewhere
    review(db, "物流太慢了，等了好久", order_no=model.order_no)
    read_all(db)
    [item] = open_items(db, Queue.LOGISTICS)
    carrier, region = model.latest_shipment.carrier, province(model.shipping_address)
    assert (item.cause, item.carrier, item.region) == ("logistics.slow", carrier, region)
    assert item.complaint_count == 3
    assert set(service.item_views(db, [item])[0].links.order_nos) == {
        model.order_no,
        other.order_no,
    }


def test_a_case_opened_in_the_chat_and_reviews_count_toward_one_logistics_item(db):
    now = utcnow()
    stalled = demo_order(db, "stalled")
    opened = open_case(
        db, stalled, CaseKind.DELAYED, now, conversation_id="c-recur", detail="还没到"
    )
    assert isinstance(opened, CaseOpened)
    for which in (1, 2):
        order = demo_order(db, "stalled", which=which)
        ship_like(order, stalled)
        review(db, SLOW, order_no=order.order_no)
    read_all(db)
    [item] = open_items(db, Queue.LOGISTICS)
    assert (item.cause, item.carrier) == ("logistics.slow", stalled.latest_shipment.carrier)
    assert item.region == province(stalled.shipping_address)
    (view,) = service.item_views(db, [item])
    assert view.links.case_ids == (opened.case_id,)
    assert len(view.links.review_ids) == 2
    assert view.links.conversation_ids == ("c-recur",)
    assert "还没到" in [s.excerpt for s in view.samples]


def test_complaint_handoffs_count_for_the_service_queue_and_other_handoffs_do_not(db):
    for n in range(2):
        hand_over(db, f"c-angry-{n}", EscalationReason.COMPLAINT, detail="你们客服太不负责了")
    hand_over(db, "c-asked", EscalationReason.SHOPPER_ASKED, detail="转人工")
    db.flush()
    read_all(db)
    assert open_items(db, Queue.SERVICE) == []
    hand_over(db, "c-angry-2", EscalationReason.COMPLAINT, detail="我要投诉")
    db.flush()
    read_all(db)
    [item] = open_items(db, Queue.SERVICE)
    assert (item.cause, item.complaint_count) == ("service", 3)
    (view,) = service.item_views(db, [item])
    assert set(view.links.conversation_ids) == {"c-angry-0", "c-angry-1", "c-angry-2"}
    assert [s.excerpt for s in view.samples] == ["我要投诉", "你们客服太不负责了"]


def test_a_quality_return_and_a_fresh_claim_in_the_chat_are_product_complaints(db):
    worn = demo_order(db, "wrong_item")
    request_return(db, worn, delivered_at(worn) + timedelta(days=1), "洗了一次就掉色", quality=True)
    fresh = demo_order(db, "fresh_delivered")
    open_fresh_claim(db, fresh, delivered_at(fresh) + timedelta(hours=2), ["一共16个 坏了4个"])
    db.flush()
    read_all(db)
    rows = db.scalars(
        select(RecurringComplaint).where(RecurringComplaint.source == ComplaintSource.ORDER)
    )
    found = {(r.order_no, r.key.rsplit("|", 1)[0]) for r in rows}
    assert found == {
        (worn.order_no, "product|product.poor_quality"),
        (fresh.order_no, "product|product.not_fresh"),
    }


def test_the_consumer_run_twice_counts_each_event_once(db):
    for _ in range(3):
        review(db, FADED)
    first = read_all(db)
    again = read_all(db)  # reads only the queue_item.opened event the first run recorded
    assert sum(d.complaints for d in first) == 3
    assert [(d.events, d.complaints, d.opened, d.updated) for d in again] == [(1, 0, (), ())]
    assert read_all(db)[0].events == 0
    [item] = open_items(db, Queue.PRODUCT)
    assert item.complaint_count == 3
    assert db.get(RecurringCursor, service.CURSOR).last_event_id == _last_event_id(db)


def test_an_event_that_becomes_visible_late_is_read_when_it_appears(db):
    read_all(db)
    last = _last_event_id(db)
    early, late = review(db, FADED), review(db, FADED)
    db.execute(delete(Event).where(Event.id > last))
    # the id after `last` is still in someone's open transaction: a later one is visible
    db.add(Event(id=last + 2, **_review_flagged(early)))
    db.flush()
    read_all(db)
    cursor = db.get(RecurringCursor, service.CURSOR)
    assert cursor.last_event_id == last + 2
    # (ids below `last` may be holes too: on PostgreSQL, earlier tests' rolled-back rows)
    assert {h for h in cursor.holes if int(h) > last} == {str(last + 1)}
    db.add(Event(id=last + 1, **_review_flagged(late)))  # that transaction commits
    db.flush()
    read_all(db)
    assert cursor.last_event_id == last + 2
    assert [h for h in cursor.holes if int(h) > last] == []
    complaints = db.scalars(
        select(RecurringComplaint.event_id).where(RecurringComplaint.event_id > last)
    )
    assert sorted(complaints) == [last + 1, last + 2]


def _review_flagged(review_id: int) -> dict:
    return {
        "name": EventName.REVIEW_FLAGGED_NEGATIVE,
        "subject_type": "review",
        "subject_id": str(review_id),
        "product_id": "P-LATE",
        "cause": "product",
        "occurred_at": utcnow(),
        "payload": {"causes": ["product"], "sub_causes": ["product.poor_quality"]},
    }


def test_after_an_item_is_closed_its_key_opens_a_new_item_only_past_the_threshold_again(db):
    for _ in range(3):
        review(db, FADED)
    read_all(db)
    [item] = open_items(db, Queue.PRODUCT)
    service.close(db, item.id, "运营小王", utcnow(), note="换了面料供应商")
    assert (item.state, item.open_key) == (ItemState.CLOSED, None)
    for n in range(2):
        review(db, FADED)
        read_all(db)
        assert open_items(db, Queue.PRODUCT) == [], n  # the closed item's three do not count
    assert item.complaint_count == 3
    review(db, FADED)
    read_all(db)
    [new] = open_items(db, Queue.PRODUCT)
    assert new.id != item.id
    assert (new.key, new.complaint_count) == (item.key, 3)


def test_old_complaints_count_in_the_trend_but_open_nothing(db):
    for hours in (1, 2, 3):
        review(db, FADED, at=utcnow() - timedelta(days=40, hours=hours))
    read_all(db)
    assert open_items(db, Queue.PRODUCT) == []
    assert db.scalar(select(func.count()).select_from(RecurringComplaint)) >= 3


def test_the_trend_compares_this_window_with_the_one_before():
    now = utcnow()
    times = [now - timedelta(days=d) for d in (0.5, 1, 2, 8, 13, 30)]
    trend = service.trend(times, now, 14, timedelta(days=7))
    assert (trend.this_window, trend.previous_window, trend.direction) == (3, 2, "rising")
    assert len(trend.days) == 14
    assert sum(d.count for d in trend.days) == 5  # 30 days ago is outside the 14


def test_a_threshold_is_crossed_only_within_one_window():
    day = timedelta(days=1)
    now = utcnow()
    spread = [now - 6 * day, now - 3 * day, now]
    assert crosses(spread, now, 7 * day, 3)
    assert not crosses(spread, now, 3 * day, 3)
    late = [now - 10 * day, now - 9 * day, now - 2 * day]  # `now - 9` arrives late
    assert crosses(late, now - 9 * day, 7 * day, 3) is False
    assert crosses(late, now - 9 * day, 8 * day, 3)


def test_a_province_is_read_from_the_start_of_an_address():
    assert province("浙江省杭州市西湖区文一西路522号") == "浙江"
    assert province("上海市浦东新区张杨路1280弄") == "上海"
    assert province("杭州西湖区文三路1号") == "浙江"  # a big city without its province
    assert province("内蒙古自治区呼和浩特市") == "内蒙古"
    assert province("西湖区文三路1号") is None
    assert province(None) is None


def test_the_key_names_only_what_its_queue_groups_by():
    assert IssueKey(Queue.SERVICE, "service", product_id="P1").text == "service|service"
    assert IssueKey(Queue.LOGISTICS, "logistics.lost", carrier="顺丰").text == (
        "logistics|logistics.lost|顺丰|"
    )


def test_the_database_keeps_one_open_item_per_key(db):
    now = utcnow()

    def item() -> RecurringIssue:
        return RecurringIssue(
            queue=Queue.SERVICE,
            cause="service",
            key="service|service",
            open_key="service|service",
            complaint_count=3,
            first_complaint_at=now,
            last_complaint_at=now,
        )

    db.add(item())
    db.flush()
    with db.begin_nested() as twice:
        db.add(item())
        with pytest.raises(IntegrityError):
            db.flush()
        twice.rollback()


def test_a_change_made_from_a_stale_read_of_an_item_is_refused(db):
    for _ in range(3):
        review(db, FADED)
    read_all(db)
    [item] = open_items(db, Queue.PRODUCT)
    # another worker closed it meanwhile (this session still holds the version it read)
    db.execute(
        update(RecurringIssue)
        .where(RecurringIssue.id == item.id)
        .values(state=ItemState.CLOSED, open_key=None, version=item.version + 1)
        .execution_options(synchronize_session=False)
    )
    with db.begin_nested() as change:
        with pytest.raises(StaleDataError):
            service.acknowledge(db, item.id, "运营小王", utcnow())
        change.rollback()

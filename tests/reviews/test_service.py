"""Stored reviews are deduplicated, each gets an analysis, and events are recorded."""

from sqlalchemy import func, select

from core.events import Event, EventName
from reviews.importer import ReviewRow
from reviews.models import Review, ReviewAnalysis
from reviews.service import store_reviews


def row(review_id: str, text: str, rating: int | None = None, **kw) -> ReviewRow:
    return ReviewRow(line=1, platform="jd", review_id=review_id, text=text, rating=rating, **kw)


def test_each_new_review_is_stored_with_an_analysis_and_events(db):
    before = db.scalar(select(func.max(Event.id))) or 0
    rows = [row("a1", "客服态度太差了", 2, product_id="p-9"), row("a2", "很好用", 5)]
    stored = store_reviews(db, rows)
    assert [s.duplicate for s in stored] == [False, False]
    assert stored[0].analysis.negative
    assert stored[0].analysis.causes == ["service"]
    assert not stored[1].analysis.negative
    stored_names = (EventName.REVIEW_RECEIVED, EventName.REVIEW_FLAGGED_NEGATIVE)
    events = db.scalars(
        select(Event).where(Event.id > before, Event.name.in_(stored_names)).order_by(Event.id)
    ).all()
    assert [(e.name, e.subject_id) for e in events] == [
        (EventName.REVIEW_RECEIVED, str(stored[0].review.id)),
        (EventName.REVIEW_FLAGGED_NEGATIVE, str(stored[0].review.id)),
        (EventName.REVIEW_RECEIVED, str(stored[1].review.id)),
    ]
    received, flagged, _ = events
    assert received.product_id == "p-9"
    assert received.payload == {"platform": "jd", "platform_review_id": "a1"}
    assert (flagged.cause, flagged.product_id) == ("service", "p-9")
    assert flagged.payload["causes"] == ["service"]
    assert set(flagged.payload) == {"causes", "sub_causes", "severity", "negative_score"}


def test_the_same_review_twice_is_stored_once(db):
    store_reviews(db, [row("d1", "快递太慢")])
    again = store_reviews(db, [row("d1", "快递太慢"), row("d1", "快递太慢")])
    assert [s.duplicate for s in again] == [True, True]
    review_ids = select(Review.id).where(Review.platform_review_id == "d1")
    assert db.scalar(select(func.count()).select_from(review_ids.subquery())) == 1
    analyses = select(ReviewAnalysis).where(ReviewAnalysis.review_id.in_(review_ids))
    assert db.scalar(select(func.count()).select_from(analyses.subquery())) == 1


def test_a_known_order_raises_severity_by_its_value(db, seeded_at):
    from shop.models import Order

    order = db.scalars(select(Order).order_by(Order.total_amount.desc())).first()
    order.total_amount = 2500  # a known value: the demo's largest order may change
    (stored,) = store_reviews(db, [row("o1", "质量太差了", 1, order_id=order.order_no)])
    assert any(r.startswith("order_value") for r in stored.analysis.severity_reasons)

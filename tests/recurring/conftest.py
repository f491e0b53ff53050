"""Helpers for the recurring-issue tests: complaints recorded the way the shop records them (a
review stored and analysed, a case opened, a conversation handed over), and the consumer run
until it has read everything."""

from datetime import datetime, timedelta
from itertools import count

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import utcnow
from core.settings import get_settings
from recurring import service
from recurring.models import ItemState, Queue, RecurringIssue
from recurring.service import Consumed, consume
from reviews.importer import ReviewRow
from reviews.service import store_reviews
from shop.models import Order

_numbers = count(1)


@pytest.fixture(autouse=True)
def _no_wakes_and_no_sink(monkeypatch: pytest.MonkeyPatch) -> None:
    """The consumer runs when a test says so, and the sink is off unless a test turns it on."""
    monkeypatch.setattr(service, "_wakers", [])
    monkeypatch.setattr(get_settings(), "queue_sink_url", "")
    monkeypatch.setattr(get_settings(), "queue_sink_secret", "")
    return


def review(
    db: Session,
    text: str,
    *,
    product_id: str | None = "P-RECUR",
    order_no: str | None = None,
    at: datetime | None = None,
) -> int:
    """Store one 1-star review (analysed as the shop does); its id."""
    row = ReviewRow(
        line=1,
        platform="jd",
        review_id=f"recurring-{next(_numbers)}",
        text=text,
        rating=1,
        product_id=product_id,
        order_id=order_no,
        created_at=at or utcnow() - timedelta(hours=1),
    )
    (stored,) = store_reviews(db, [row])
    assert stored.analysis is not None
    assert stored.analysis.negative
    return stored.review.id


def read_all(db: Session, now: datetime | None = None) -> list[Consumed]:
    """Run the consumer on the test's session until it has read every event."""
    done = [consume(db, now)]
    while done[-1].more:
        done.append(consume(db, now))
    return done


def open_items(db: Session, queue: Queue) -> list[RecurringIssue]:
    return list(
        db.scalars(
            select(RecurringIssue)
            .where(RecurringIssue.queue == queue, RecurringIssue.state != ItemState.CLOSED)
            .order_by(RecurringIssue.id)
        )
    )


def ship_like(order: Order, model: Order) -> None:
    """Make `order`'s parcel travel with `model`'s carrier to `model`'s address."""
    assert order.latest_shipment is not None
    assert model.latest_shipment is not None
    order.shipping_address = model.shipping_address
    order.latest_shipment.carrier = model.latest_shipment.carrier

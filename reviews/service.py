"""Storing reviews with their analyses: deduplicated, in batches, with events and alerts.

Events: `review.received` for every stored review, `review.flagged_negative` for each negative one
(its cause dimension is the first cause found, its sub_cause the first finer one under it); both
carry the product and SKU, and the order's carrier and region when the review names a shop
order. Each negative review gets one outbox row per alert channel that wants its severity
(reviews.alerts), and its offer and reply drafts (reviews.handling), in the same transaction.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session, selectinload

from core import outbox
from core.database import unit_of_work
from core.events import EventName, record_event
from reviews.alert_channels import channels
from reviews.alerts import alert_work
from reviews.analysis import Analyser, ReviewText, get_analyser
from reviews.causes import ReviewCause
from reviews.handling import draft_for
from reviews.importer import ReviewRow, RowError, read_rows
from reviews.models import Review, ReviewAnalysis
from shop.models import Order
from shop.regions import province

BATCH_SIZE = 500
# A negative review without a recognisable cause counts as `product` (the taxonomy's convention).
DEFAULT_CAUSE = ReviewCause.PRODUCT
SKU_LENGTH = 64  # the events' `sku` column


@dataclass
class Stored:
    review: Review
    analysis: ReviewAnalysis | None  # None for a duplicate (the review was stored before)
    duplicate: bool


def _order_facts(session: Session, order_ids: set[str]) -> dict[str, tuple[float, bool]]:
    """order number → (order value, whether its customer has other orders) for known orders."""
    if not order_ids:
        return {}
    orders = session.execute(
        select(Order.order_no, Order.total_amount, Order.customer_id).where(
            Order.order_no.in_(order_ids)
        )
    ).all()
    customers = {o.customer_id for o in orders}
    counts = dict(
        session.execute(
            select(Order.customer_id, func.count())
            .where(Order.customer_id.in_(customers))
            .group_by(Order.customer_id)
        ).all()
    )
    return {o.order_no: (float(o.total_amount), counts[o.customer_id] > 1) for o in orders}


def _order_places(
    session: Session, order_nos: set[str]
) -> dict[str, tuple[str | None, str | None]]:
    """order number → (carrier of its latest parcel, province of its address), for reports."""
    if not order_nos:
        return {}
    orders = session.scalars(
        select(Order).where(Order.order_no.in_(order_nos)).options(selectinload(Order.shipments))
    )
    return {
        o.order_no: (
            o.latest_shipment.carrier if o.latest_shipment else None,
            province(o.shipping_address),
        )
        for o in orders
    }


def store_reviews(
    session: Session, rows: list[ReviewRow], analyser: Analyser | None = None
) -> list[Stored]:
    """Store the new rows and their analyses (duplicates are returned, not stored again)."""
    analyser = analyser or get_analyser()
    keys = {(r.platform, r.review_id) for r in rows}
    existing = (
        {
            (r.platform, r.platform_review_id): r
            for r in session.scalars(
                select(Review).where(tuple_(Review.platform, Review.platform_review_id).in_(keys))
            )
        }
        if keys
        else {}
    )
    fresh: list[ReviewRow] = []
    results: list[Stored] = []
    seen: dict[tuple[str, str], Review] = dict(existing)
    for row in rows:
        key = (row.platform, row.review_id)
        if key in seen:
            results.append(Stored(seen[key], None, True))
            continue
        review = Review(
            platform=row.platform,
            platform_review_id=row.review_id,
            product_id=row.product_id,
            product_name=row.product_name,
            sku=row.sku,
            order_id=row.order_id,
            rating=row.rating,
            text=row.text,
            follow_up_text=row.follow_up_text,
            images_count=row.images_count,
            created_at=row.created_at,
        )
        seen[key] = review
        fresh.append(row)
        results.append(Stored(review, None, False))
    facts = _order_facts(session, {r.order_id for r in fresh if r.order_id})
    places = _order_places(session, set(facts))
    texts = [
        ReviewText(
            r.text,
            r.rating,
            r.follow_up_text,
            *facts.get(r.order_id or "", (None, False)),
        )
        for r in fresh
    ]
    analyses = iter(analyser.analyse(texts))
    new = [s for s in results if not s.duplicate]
    session.add_all([s.review for s in new])
    session.flush()
    for stored in new:
        found = next(analyses)
        stored.analysis = ReviewAnalysis(
            review_id=stored.review.id,
            negative=found.negative,
            negative_score=found.negative_score,
            causes=found.causes,
            sub_causes=found.sub_causes,
            severity=found.severity.level,
            severity_reasons=found.severity.reasons,
            evidence=found.evidence,
            model_version=analyser.version,
        )
        session.add(stored.analysis)
        review = stored.review
        carrier, region = places.get(review.order_id or "", (None, None))
        sku = review.sku[:SKU_LENGTH] if review.sku else None
        order_no = review.order_id if review.order_id in places else None
        record_event(
            session,
            EventName.REVIEW_RECEIVED,
            review.id,
            product_id=review.product_id,
            sku=sku,
            order_no=order_no,
            carrier=carrier,
            region=region,
            payload={"platform": review.platform, "platform_review_id": review.platform_review_id},
        )
        if found.negative:
            cause = ReviewCause(found.causes[0]) if found.causes else DEFAULT_CAUSE
            record_event(
                session,
                EventName.REVIEW_FLAGGED_NEGATIVE,
                review.id,
                cause=cause,
                sub_cause=next((s for s in found.sub_causes if s.startswith(f"{cause}.")), None),
                product_id=review.product_id,
                sku=sku,
                order_no=order_no,
                carrier=carrier,
                region=region,
                payload={
                    "causes": found.causes,
                    "sub_causes": found.sub_causes,
                    "severity": found.severity.level,
                    "negative_score": round(found.negative_score, 4),
                },
            )
    session.flush()
    analysed = [(s.review, s.analysis) for s in new if s.analysis is not None]
    outbox.add(session, outbox.Topic.REVIEW_ALERT, alert_work(analysed, channels()))
    draft_for(session, analysed)
    session.flush()
    return results


@dataclass
class ImportReport:
    stored: int = 0
    duplicates: int = 0
    negative: int = 0
    errors: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, int]:
        return {
            "stored": self.stored,
            "duplicates": self.duplicates,
            "negative": self.negative,
            "errors": len(self.errors),
        }


def _batches(
    items: Iterable[ReviewRow | RowError], size: int
) -> Iterable[list[ReviewRow | RowError]]:
    batch: list[ReviewRow | RowError] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def import_file(
    path: Path,
    platform: str | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import an export file, one unit of work per `batch_size` rows (a re-run ends a crashed
    import)."""
    report = ImportReport()
    analyser = get_analyser()
    for batch in _batches(read_rows(path, platform), batch_size):
        rows = [item for item in batch if isinstance(item, ReviewRow)]
        report.errors += [str(item) for item in batch if isinstance(item, RowError)]
        with unit_of_work() as session:
            stored = store_reviews(session, rows, analyser)
        report.stored += sum(not s.duplicate for s in stored)
        report.duplicates += sum(s.duplicate for s in stored)
        report.negative += sum(bool(s.analysis and s.analysis.negative) for s in stored)
        if progress is not None:
            progress(len(batch))
    return report

"""Reviews in by API (one or a batch), analysed at once; the negative ones listed for agents."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Path, Query, status
from pydantic import BaseModel, Field
from sqlalchemy import ScalarSelect, select
from sqlalchemy.orm import selectinload

from api.deps import AdminStaff, DbSession, DeskStaff
from api.fields import Id, Offset, PlainText, UtcDatetime
from api.routes.outbox import OutboxItemOut, item_out
from api.routing import ApiRoute, errors
from core.outbox import OutboxItem, Topic, with_log
from reviews.importer import MAX_TEXT, ReviewRow
from reviews.models import Review, ReviewAnalysis
from reviews.service import store_reviews

router = APIRouter(prefix="/api/reviews", tags=["reviews"], route_class=ApiRoute)

MAX_BATCH = 1000


class ReviewIn(BaseModel):
    review_id: PlainText = Field(
        min_length=1, max_length=64, description="the platform's review id"
    )
    platform: PlainText = Field("api", min_length=1, max_length=32)
    text: PlainText = Field("", max_length=MAX_TEXT)
    rating: int | None = Field(None, ge=1, le=5)
    follow_up_text: PlainText | None = Field(None, max_length=MAX_TEXT)
    product_id: PlainText | None = Field(None, max_length=64)
    sku: PlainText | None = Field(None, max_length=128)
    order_id: PlainText | None = Field(None, max_length=64)
    # platforms take 9 photos (Taobao, JD) or a few more with videos: 1,000 is a typo's bound
    images_count: int = Field(0, ge=0, le=1000)
    created_at: UtcDatetime | None = None


class AnalysisOut(BaseModel):
    review_id: str
    platform: str
    duplicate: bool = Field(description="true when the review was stored before (not again)")
    negative: bool | None
    negative_score: float | None
    causes: list[str]
    sub_causes: list[str]
    severity: dict[str, Any]
    evidence: dict[str, str]


class ReviewOut(BaseModel):
    review_id: str
    platform: str
    product_id: str | None
    order_id: str | None
    rating: int | None
    text: str
    follow_up_text: str | None
    created_at: datetime | None
    analysis: dict[str, Any] | None


def _analysis_json(analysis: ReviewAnalysis | None) -> dict[str, Any]:
    """Every key of an analysis; a review stored without one has empty values."""
    if analysis is None:
        return {
            "negative": None,
            "negative_score": None,
            "causes": [],
            "sub_causes": [],
            "severity": {"level": "none", "reasons": []},
            "evidence": {},
        }
    return {
        "negative": analysis.negative,
        "negative_score": round(analysis.negative_score, 4),
        "causes": analysis.causes,
        "sub_causes": analysis.sub_causes,
        "severity": {"level": analysis.severity, "reasons": analysis.severity_reasons},
        "evidence": analysis.evidence,
    }


def _latest(review: Review) -> ReviewAnalysis | None:
    return review.analyses[-1] if review.analyses else None


def _latest_negative() -> ScalarSelect[bool]:
    """SQL: whether the review's latest analysis (highest id, as `_latest`) is negative."""
    return (
        select(ReviewAnalysis.negative)
        .where(ReviewAnalysis.review_id == Review.id)
        .order_by(ReviewAnalysis.id.desc())
        .limit(1)
        .correlate(Review)
        .scalar_subquery()
    )


@router.post("", response_model=list[AnalysisOut], status_code=status.HTTP_201_CREATED)
def post_reviews(
    session: DbSession,
    _admin: AdminStaff,
    body: Annotated[ReviewIn | list[ReviewIn], Body(description="one review or a list")],
) -> list[dict[str, Any]]:
    """Store and analyse reviews; a review already stored is returned with `duplicate: true`."""
    items = body if isinstance(body, list) else [body]
    if len(items) > MAX_BATCH:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            f"每次最多提交 {MAX_BATCH} 条评价 / at most {MAX_BATCH} reviews per request",
        )
    rows = [ReviewRow(line=i + 1, **item.model_dump()) for i, item in enumerate(items)]
    stored = store_reviews(session, rows)
    out = []
    for item in stored:
        out.append(
            {
                "review_id": item.review.platform_review_id,
                "platform": item.review.platform,
                "duplicate": item.duplicate,
                **_analysis_json(item.analysis or _latest(item.review)),
            }
        )
    return out


class ReviewDetailOut(ReviewOut):
    number: int = Field(description="the review's number here (alerts show it as #number)")
    alerts: list[OutboxItemOut] = Field(description="its 中差评 alerts, one per channel")


@router.get("/{number}", response_model=ReviewDetailOut, responses=errors(404))
def get_review(
    session: DbSession,
    _staff: DeskStaff,
    number: Annotated[Id, Path(description="#number from an alert")],
) -> ReviewDetailOut:
    """One review with its latest analysis and where its alerts went."""
    review = session.get(Review, number)
    if review is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "没有这条评价 / no such review")
    alerts = session.scalars(
        select(OutboxItem)
        .options(with_log())
        .where(OutboxItem.topic == Topic.REVIEW_ALERT, OutboxItem.subject_id == str(review.id))
        .order_by(OutboxItem.id)
    )
    return ReviewDetailOut(
        **_review_json(review), number=review.id, alerts=[item_out(a) for a in alerts]
    )


@router.get("", response_model=list[ReviewOut])
def list_reviews(
    session: DbSession,
    _staff: DeskStaff,
    negative: Annotated[bool | None, Query(description="only negative (or positive) ones")] = None,
    product_id: Annotated[PlainText | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[Offset, Query()] = 0,
) -> list[dict[str, Any]]:
    """Stored reviews with their latest analysis, newest first; `negative` filters on it."""
    query = select(Review).options(selectinload(Review.analyses)).order_by(Review.id.desc())
    if negative is not None:
        # One row per review (a join would give one per analysis, and limit/offset would count
        # those), filtered on the analysis the response shows.
        query = query.where(_latest_negative().is_(negative))
    if product_id is not None:
        query = query.where(Review.product_id == product_id)
    reviews = session.scalars(query.limit(limit).offset(offset))
    return [_review_json(r) for r in reviews]


def _review_json(review: Review) -> dict[str, Any]:
    latest = _latest(review)
    return {
        "review_id": review.platform_review_id,
        "platform": review.platform,
        "product_id": review.product_id,
        "order_id": review.order_id,
        "rating": review.rating,
        "text": review.text,
        "follow_up_text": review.follow_up_text,
        "created_at": review.created_at,
        "analysis": _analysis_json(latest) if latest else None,
    }

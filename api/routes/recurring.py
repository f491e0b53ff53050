"""The product, logistics and service queues of recurring issues, for admins: list, look at,
acknowledge, assign and close items (recurring/)."""

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Body, HTTPException, Path, Query, status
from pydantic import BaseModel, Field, field_validator
from sqlalchemy.orm.exc import StaleDataError

from api.deps import DbSession, DeskStaff
from api.fields import Id, PlainText
from api.routing import ApiRoute, errors
from core.clock import utcnow
from recurring import service
from recurring.models import ASSIGNEE_LENGTH, NOTE_LENGTH, ItemState, Queue, RecurringIssue
from recurring.service import IllegalTransitionError, ItemView, NoSuchItemError

router = APIRouter(
    prefix="/api/queues", tags=["queues"], route_class=ApiRoute, responses=errors(404, 409)
)

ItemId = Annotated[Id, Path(description="the queue item's id")]
NOT_FOUND = "没有这个队列事项 / no such queue item"
CHANGED = "该事项刚被其他操作修改，请刷新后重试 / the item changed meanwhile: reload and retry"


class DayCountOut(BaseModel):
    day: date
    count: int


class TrendOut(BaseModel):
    days: list[DayCountOut] = Field(description="complaints of the key per shop-local day")
    window_days: int
    this_window: int = Field(description="complaints of the key in the window that ends now")
    previous_window: int = Field(description="and in the window before it")
    direction: str = Field(description="rising, falling or steady")


class SampleOut(BaseModel):
    source: str
    source_id: str
    excerpt: str
    occurred_at: datetime


class LinksOut(BaseModel):
    review_ids: list[int]
    case_ids: list[int]
    conversation_ids: list[str]
    order_nos: list[str]


class ItemOut(BaseModel):
    id: int
    version: int
    queue: Queue
    cause: str = Field(description="the sub-cause (product.defect) or the coarse cause")
    product_id: str | None
    carrier: str | None
    region: str | None = Field(description="the province of the complaining orders")
    state: ItemState
    assignee: str | None
    close_note: str | None
    complaint_count: int
    first_complaint_at: datetime
    last_complaint_at: datetime
    opened_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    trend: TrendOut
    samples: list[SampleOut]
    links: LinksOut


class AssignIn(BaseModel):
    assignee: PlainText = Field(min_length=1, max_length=ASSIGNEE_LENGTH)

    @field_validator("assignee")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the assignee must not be blank")
        return value.strip()


class CloseIn(BaseModel):
    note: PlainText | None = Field(None, max_length=NOTE_LENGTH)


def item_out(view: ItemView) -> ItemOut:
    return ItemOut.model_validate(view.as_payload())


def _views(session: DbSession, items: list[RecurringIssue]) -> list[ItemOut]:
    return [item_out(v) for v in service.item_views(session, items, utcnow())]


@router.get("/items/{item_id}", response_model=ItemOut)
def get_item(session: DbSession, _staff: DeskStaff, item_id: ItemId) -> ItemOut:
    """One item with its count, trend, sample evidence and links."""
    try:
        item = service.get_item(session, item_id)
    except NoSuchItemError:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND) from None
    return _views(session, [item])[0]


def _act(session: DbSession, act: Callable[[], RecurringIssue]) -> ItemOut:
    try:
        item = act()
    except NoSuchItemError:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND) from None
    except IllegalTransitionError as exc:
        why = f"这个事项现在的状态不能这样操作，请刷新后再看 / {exc}"
        raise HTTPException(status.HTTP_409_CONFLICT, why) from None
    except StaleDataError:
        raise HTTPException(status.HTTP_409_CONFLICT, CHANGED) from None
    return _views(session, [item])[0]


@router.post("/items/{item_id}/acknowledge", response_model=ItemOut)
def acknowledge(session: DbSession, staff: DeskStaff, item_id: ItemId) -> ItemOut:
    """Someone has seen the item (a new one only)."""
    return _act(session, lambda: service.acknowledge(session, item_id, staff.name, utcnow()))


@router.post("/items/{item_id}/assign", response_model=ItemOut)
def assign(
    session: DbSession, staff: DeskStaff, item_id: ItemId, body: Annotated[AssignIn, Body()]
) -> ItemOut:
    """Give the item to someone (again to someone else: reassigned)."""
    return _act(
        session,
        lambda: service.assign(session, item_id, body.assignee, staff.name, utcnow()),
    )


@router.post("/items/{item_id}/close", response_model=ItemOut)
def close(
    session: DbSession,
    staff: DeskStaff,
    item_id: ItemId,
    body: Annotated[CloseIn | None, Body()] = None,
) -> ItemOut:
    """Done: the key's later complaints count toward a new item."""
    note = body.note if body else None
    return _act(session, lambda: service.close(session, item_id, staff.name, utcnow(), note))


@router.get("/{queue}/items", response_model=list[ItemOut])
def list_items(
    session: DbSession,
    _staff: DeskStaff,
    queue: Annotated[Queue, Path(description="product, logistics or service")],
    state: Annotated[
        ItemState | None, Query(description="only items in this state (default: not closed)")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[ItemOut]:
    """A queue's items, the latest changed first."""
    return _views(session, service.items(session, queue, state, limit))

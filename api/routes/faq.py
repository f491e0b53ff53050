"""FAQ search for everyone; editing for admins, live at once for the bot and this API."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Response, status
from pydantic import BaseModel
from sqlalchemy import select

from api.deps import AdminStaff, DbSession
from api.fields import PlainText
from api.limits import per_client
from api.routing import ApiRoute, errors
from faq import knowledge_base as kb
from faq.models import FaqRevision
from faq.schema import ENTRY_ID_PATTERN, FaqEntryData
from faq.service import MAX_K, faq_search, result_json

EntryId = Annotated[str, Path(pattern=ENTRY_ID_PATTERN, description="e.g. shipping_fee")]

router = APIRouter(prefix="/api/faq", tags=["faq"], route_class=ApiRoute, dependencies=[per_client])


class SearchHit(BaseModel):
    id: str
    question: str
    answer: str
    score: float


class SearchResponse(BaseModel):
    results: list[SearchHit]
    answered: bool


class Revision(BaseModel):
    action: str
    actor: str
    at: datetime
    snapshot: dict[str, Any]


@router.get("/search", response_model=SearchResponse)
def search(
    session: DbSession,
    q: Annotated[
        PlainText, Query(min_length=1, max_length=500, description="the shopper's question")
    ],
    k: Annotated[int, Query(ge=1, le=MAX_K)] = 3,
    category: Annotated[
        PlainText | None, Query(max_length=32, description="product category code")
    ] = None,
) -> dict:
    """The best entries for a question, about goods of `category` when given (an entry scoped
    to other goods is left out, as in the chat); `answered` is false when none is good enough."""
    goods = frozenset({category}) if category else None
    return result_json(faq_search.search(session, q, k, categories=goods), category)


@router.get("", response_model=list[FaqEntryData])
def list_entries(session: DbSession) -> list[FaqEntryData]:
    return kb.all_entries(session)


@router.get("/{entry_id}", response_model=FaqEntryData, responses=errors(404))
def get_entry(session: DbSession, entry_id: EntryId) -> FaqEntryData:
    entry = kb.get_entry(session, entry_id)
    if entry is None:
        missing = f"没有这个 FAQ 条目 / FAQ entry {entry_id!r} not found"
        raise HTTPException(status.HTTP_404_NOT_FOUND, missing)
    return entry


@router.post(
    "",
    response_model=FaqEntryData,
    status_code=status.HTTP_201_CREATED,
    responses=errors(409),
)
def create_entry(session: DbSession, admin: AdminStaff, entry: FaqEntryData) -> FaqEntryData:
    try:
        created = kb.create_entry(session, entry, actor=admin.name)
    except kb.EntryExistsError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, f"已有这个编号的 FAQ 条目 / {exc}") from exc
    return created


@router.put("/{entry_id}", response_model=FaqEntryData, responses=errors(404))
def update_entry(
    session: DbSession, admin: AdminStaff, entry_id: EntryId, entry: FaqEntryData
) -> FaqEntryData:
    if entry.id != entry_id:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            "正文的 id 须与网址中的一致 / the body's id must match the URL's id",
        )
    try:
        updated = kb.update_entry(session, entry, actor=admin.name)
    except kb.EntryNotFoundError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"没有这个 FAQ 条目 / {exc}") from exc
    return updated


@router.delete("/{entry_id}", status_code=status.HTTP_204_NO_CONTENT, responses=errors(404))
def delete_entry(session: DbSession, admin: AdminStaff, entry_id: EntryId) -> Response:
    try:
        kb.delete_entry(session, entry_id, actor=admin.name)
    except kb.EntryNotFoundError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"没有这个 FAQ 条目 / {exc}") from exc
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{entry_id}/revisions", response_model=list[Revision])
def revisions(session: DbSession, _admin: AdminStaff, entry_id: EntryId) -> list[FaqRevision]:
    """Who changed the entry, when, and what it became: oldest first."""
    rows = session.scalars(
        select(FaqRevision).where(FaqRevision.entry_id == entry_id).order_by(FaqRevision.id)
    )
    return list(rows)

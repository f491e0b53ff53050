"""The outbox for admins: what was sent where, what is waiting, and the dead letters to retry."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, status
from pydantic import BaseModel

from api.deps import AdminStaff, DbSession
from api.fields import Id, PlainText
from api.routing import ApiRoute, errors
from core import outbox
from core.clock import utcnow
from core.outbox import OutboxItem, OutboxState

router = APIRouter(prefix="/api/outbox", tags=["outbox"], route_class=ApiRoute)


class AttemptOut(BaseModel):
    message_id: str
    attempted_at: datetime
    duration_s: float
    outcome: str
    error_code: str | None
    error: str | None


class OutboxItemOut(BaseModel):
    id: int
    topic: str
    destination: str
    subject_id: str
    state: str
    attempts: int
    created_at: datetime
    next_attempt_at: datetime
    sent_at: datetime | None
    message_id: str | None
    last_error: str | None
    log: list[AttemptOut]


def item_out(item: OutboxItem) -> OutboxItemOut:
    return OutboxItemOut(
        id=item.id,
        topic=item.topic,
        destination=item.destination,
        subject_id=item.subject_id,
        state=item.state,
        attempts=item.attempts,
        created_at=item.created_at,
        next_attempt_at=item.next_attempt_at,
        sent_at=item.sent_at,
        message_id=item.message_id,
        last_error=item.last_error,
        log=[AttemptOut.model_validate(a, from_attributes=True) for a in item.log],
    )


@router.get("", response_model=list[OutboxItemOut])
def list_items(
    session: DbSession,
    _admin: AdminStaff,
    state: Annotated[OutboxState | None, Query(description="dead: the dead letters")] = None,
    destination: Annotated[PlainText | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[OutboxItemOut]:
    """Outbox rows, newest first, each with its delivery log."""
    return [item_out(i) for i in outbox.items(session, state, destination, limit)]


@router.post("/{item_id}/retry", response_model=OutboxItemOut, responses=errors(404, 409))
def retry(
    session: DbSession,
    _admin: AdminStaff,
    item_id: Annotated[Id, Path()],
) -> OutboxItemOut:
    """Give a dead row another round of attempts (after fixing its channel)."""
    item = outbox.revive(session, item_id, utcnow())
    if item is None:
        exists = session.get(OutboxItem, item_id) is not None
        raise HTTPException(
            status.HTTP_409_CONFLICT if exists else status.HTTP_404_NOT_FOUND,
            "只有失败（dead）的投递可以重试 / only a dead row can be retried"
            if exists
            else "没有这条投递 / no such outbox row",
        )
    return item_out(item)

"""Liveness and readiness of the service and its database."""

import logging

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from api.deps import DbSession
from api.routing import DATABASE_RETRY_AFTER_S, DATABASE_UNAVAILABLE, ApiRoute, errors

log = logging.getLogger(__name__)
router = APIRouter(tags=["health"], route_class=ApiRoute)


class Health(BaseModel):
    status: str
    database: str


@router.get("/healthz", response_model=Health, responses=errors(503))
def healthz(session: DbSession) -> Health:
    """`ok` when the service runs and its database answers."""
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:  # the driver's words name hosts and users: logged, not said
        log.warning("health check: the database does not answer: %r", exc)
        retry = {"Retry-After": str(DATABASE_RETRY_AFTER_S)}
        raise HTTPException(503, DATABASE_UNAVAILABLE, headers=retry) from exc
    return Health(status="ok", database=session.get_bind().dialect.name)

"""Liveness and readiness of the service and its database."""

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from api.deps import DbSession
from api.routing import ApiRoute, errors

router = APIRouter(tags=["health"], route_class=ApiRoute)


class Health(BaseModel):
    status: str
    database: str


@router.get("/healthz", response_model=Health, responses=errors(503))
def healthz(session: DbSession) -> Health:
    """`ok` when the service runs and its database answers."""
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        raise HTTPException(status_code=503, detail=f"database unavailable: {exc}") from exc
    return Health(status="ok", database=session.get_bind().dialect.name)

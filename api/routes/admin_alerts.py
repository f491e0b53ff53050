"""The 中差评 alert channels, for admins: which are on, what each has delivered, and the dead
letters to retry once a channel is fixed (the retry itself is `POST /api/outbox/{id}/retry`)."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from api.deps import AdminStaff, DbSession
from api.pages import AdminPage, render
from api.routing import ApiRoute
from core import outbox
from core.outbox import OutboxState, Topic
from reviews.alert_channels import ChannelKind, alert_policy, channels
from words.render import label, label_in

router = APIRouter(route_class=ApiRoute, tags=["alert channels"])


class ChannelOut(BaseModel):
    name: str
    kind: ChannelKind
    kind_label: str
    on: bool = Field(description="its address variable is set: alerts go out through it")
    address_variable: str = Field(description="the environment variable that holds its address")
    min_severity: str
    min_severity_label: str
    deliveries: dict[OutboxState, int] = Field(description="its alerts in each state")


@router.get("/api/admin/alert-channels", response_model=list[ChannelOut])
def alert_channels(session: DbSession, _admin: AdminStaff) -> list[ChannelOut]:
    """The channels of reviews/alert_channels.yaml, on or off, with their deliveries."""
    on = channels()
    counted = outbox.counts(session, Topic.REVIEW_ALERT)
    return [
        ChannelOut(
            name=spec.name,
            kind=spec.kind,
            kind_label=label(spec.kind),
            on=spec.name in on,
            address_variable=spec.url_env,
            min_severity=spec.min_severity,
            min_severity_label=label_in("SeverityLevel", spec.min_severity),
            deliveries={state: counted.get((spec.name, state), 0) for state in OutboxState},
        )
        for spec in alert_policy().channels
    ]


@router.get("/admin/alerts", include_in_schema=False, response_class=HTMLResponse)
def alerts_page(request: Request, ctx: AdminPage) -> HTMLResponse:
    """The channels and the dead letters, each with a retry."""
    return render(request, "staff/admin/alerts.html", ctx)

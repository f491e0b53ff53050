"""The review worklist, queue and teach-the-bot pages. Thin: each page is a template whose
script reads the JSON API (negative_reviews, recurring, bot_corrections); what the script needs
from the server comes in `data-*` attributes."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from accounts.models import Area
from api.fields import Id
from api.pages import AdminPage, DeskPage, RecordsPage, render
from reviews.severity import LEVELS
from words.render import vocabulary_labels

router = APIRouter(include_in_schema=False)

REVIEW_VOCABULARIES = (
    "SeverityLevel",
    "ReviewCause",
    "ReviewSubCause",
    "OfferState",
    "OfferRemedy",
    "ReplyState",
    "ContactChannel",
    "OutboxState",
)
QUEUE_VOCABULARIES = ("Queue", "ItemState", "ReviewCause", "ReviewSubCause")


@router.get("/desk/reviews", response_class=HTMLResponse)
def review_worklist(request: Request, ctx: DeskPage) -> HTMLResponse:
    """Negative reviews by severity, waiting ones first."""
    levels = [level for level in reversed(LEVELS) if level != "none"]
    return render(
        request,
        "staff/reviews/list.html",
        ctx,
        levels=levels,
        labels=vocabulary_labels(*REVIEW_VOCABULARIES),
    )


@router.get("/desk/reviews/{number}", response_class=HTMLResponse)
def review_detail(request: Request, ctx: RecordsPage, number: Id) -> HTMLResponse:
    """One negative review: its analysis, alerts, drafts and contacts, and every step."""
    supervisor = ctx.staff.can(Area.SUPERVISE)
    return render(
        request,
        "staff/reviews/detail.html",
        ctx,
        record=True,
        number=number,
        supervisor=supervisor,
        labels=vocabulary_labels(*REVIEW_VOCABULARIES),
    )


@router.get("/desk/queues", response_class=HTMLResponse)
def queues(request: Request, ctx: DeskPage) -> HTMLResponse:
    """The product, logistics and service queues of recurring issues."""
    return render(
        request, "staff/queues/list.html", ctx, labels=vocabulary_labels(*QUEUE_VOCABULARIES)
    )


@router.get("/admin/corrections", response_class=HTMLResponse)
def corrections(request: Request, ctx: AdminPage) -> HTMLResponse:
    """What agents taught the bot, and the export for the next training."""
    return render(request, "staff/admin/corrections.html", ctx)

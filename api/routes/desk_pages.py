"""The agent desk's pages: the inbox and one conversation. Thin: each page is a template whose
script (static/staff/desk.js) reads the desk's JSON API (api/routes/agent_desk.py); what the
script needs from the server comes in `data-*` attributes."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from accounts.models import Area
from api.deps import DbSession
from api.pages import DeskPage, RecordsPage, render
from api.routes.chat import ConversationId
from conversations.models import Conversation
from words.render import vocabulary_labels

router = APIRouter(include_in_schema=False)


DESK_VOCABULARIES = ("Sender", "Mood", "ConversationStatus", "CannedKind")


@router.get("/desk", response_class=HTMLResponse)
def inbox_page(request: Request, ctx: DeskPage) -> HTMLResponse:
    """Conversations waiting for a person and those agents have; refreshes itself."""
    return render(request, "staff/desk/inbox.html", ctx)


@router.get("/desk/conversations/{conversation_id}", response_class=HTMLResponse)
def conversation_page(
    request: Request, conversation_id: ConversationId, ctx: RecordsPage, session: DbSession
) -> HTMLResponse:
    """One conversation: the live transcript, the reply box with canned answers, private
    notes, the verified order, and take / release / hand back / resolve."""
    if session.get(Conversation, conversation_id) is None:
        return render(request, "staff/desk/missing.html", ctx, status_code=404)
    return render(
        request,
        "staff/desk/conversation.html",
        ctx,
        record=True,
        conversation_id=conversation_id,
        labels=vocabulary_labels(*DESK_VOCABULARIES),
        supervises=ctx.staff.can(Area.SUPERVISE),
    )

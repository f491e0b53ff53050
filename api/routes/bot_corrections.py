"""Teaching the bot: an agent marks a misunderstood shopper message with the intent or FAQ topic
it should have had; an admin reads the corrections and downloads them as Rasa training data
(the same export as `python -m bot.data corrections --out FILE`). A thin adapter over
conversations.corrections."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response
from pydantic import BaseModel, Field

from api.deps import AdminStaff, DbSession, DeskStaff
from api.fields import Id, Offset
from api.routing import ApiRoute, errors
from conversations import corrections
from conversations.corrections import CorrectionError, Refusal
from conversations.corrections_models import LABEL_MAX, Correction
from words.render import intent_label

router = APIRouter(
    prefix="/api/bot-corrections",
    tags=["teach the bot"],
    route_class=ApiRoute,
    responses=errors(403),
)

LABEL_PATTERN = r"^[a-z][a-z0-9_]*$"
REFUSALS = {
    Refusal.NO_MESSAGE: (404, "没有这条消息 / no such message"),
    Refusal.NOT_SHOPPER: (
        409,
        "只能纠正顾客发的消息 / only a shopper's message can be corrected",
    ),
    Refusal.NO_LABEL: (422, "请选择意图或FAQ主题 / give an intent or an FAQ topic"),
    Refusal.UNKNOWN_INTENT: (422, "机器人没有这个意图 / the bot has no such intent"),
    Refusal.UNKNOWN_TOPIC: (422, "FAQ知识库没有这个主题 / no FAQ entry has this id"),
    Refusal.TOPIC_NOT_FAQ: (
        422,
        "选了FAQ主题时意图只能是 faq / an FAQ topic goes with the intent faq only",
    ),
}


class CorrectionIn(BaseModel):
    message_id: Id = Field(description="the shopper message's id, as the transcript gives it")
    intent: str | None = Field(
        None, max_length=LABEL_MAX, pattern=LABEL_PATTERN, description="e.g. track_order"
    )
    faq_topic: str | None = Field(
        None,
        max_length=LABEL_MAX,
        pattern=LABEL_PATTERN,
        description="an FAQ entry's id, e.g. shipping_fee (the intent is then faq)",
    )


class LabelOut(BaseModel):
    intent: str
    faq_topic: str | None


class CorrectionOut(BaseModel):
    id: int
    message_id: int
    conversation_id: str
    intent: str
    intent_label: str
    faq_topic: str | None
    faq_question: str | None = Field(description="the FAQ entry's question, if it still exists")
    text: str = Field(description="the message's text, copied (≤ 500 characters)")
    author: str
    created_at: datetime
    updated_at: datetime
    replaced: int = Field(description="how many times a later correction replaced this one")


class TaughtOut(CorrectionOut):
    replaced_label: LabelOut | None = Field(description="the correction this one replaced")


class CorrectionsOut(BaseModel):
    total: int
    items: list[CorrectionOut]


class IntentOut(BaseModel):
    name: str
    label: str


class TopicOut(BaseModel):
    id: str
    question: str


class ChoicesOut(BaseModel):
    intents: list[IntentOut]
    faq_topics: list[TopicOut]


def _out(row: Correction, questions: dict[str, str]) -> dict[str, object]:
    return {
        "id": row.id,
        "message_id": row.message_id,
        "conversation_id": row.conversation_id,
        "intent": row.intent,
        "intent_label": intent_label(row.intent),
        "faq_topic": row.faq_topic,
        "faq_question": questions.get(row.faq_topic or ""),
        "text": row.text,
        "author": row.author,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "replaced": row.replaced,
    }


@router.get("/choices", response_model=ChoicesOut)
def choices(session: DbSession, _staff: DeskStaff) -> ChoicesOut:
    """What a message can be marked with: the bot's intents and the FAQ topics."""
    return ChoicesOut(
        intents=[IntentOut(name=n, label=intent_label(n)) for n in corrections.bot_intents()],
        faq_topics=[TopicOut(id=i, question=q) for i, q in corrections.faq_topics(session).items()],
    )


@router.post("", response_model=TaughtOut, responses=errors(404, 409))
def teach(session: DbSession, staff: DeskStaff, body: CorrectionIn) -> TaughtOut:
    """Mark a shopper message with the intent or FAQ topic it should have had. One correction
    per message: a later one replaces it (`replaced_label` says what it replaced)."""
    try:
        taught = corrections.teach(
            session, body.message_id, staff.name, body.intent, body.faq_topic
        )
    except CorrectionError as exc:
        code, text = REFUSALS[exc.refusal]
        raise HTTPException(code, text) from exc
    before = taught.replaced
    return TaughtOut.model_validate(
        {
            **_out(taught.correction, corrections.faq_topics(session)),
            "replaced_label": LabelOut(intent=before[0], faq_topic=before[1]) if before else None,
        }
    )


@router.get("", response_model=CorrectionsOut)
def listed(
    session: DbSession,
    _staff: AdminStaff,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[Offset, Query()] = 0,
) -> CorrectionsOut:
    """The corrections, the latest first (admins)."""
    rows = corrections.corrections(session, limit, offset)
    questions = corrections.faq_topics(session)
    return CorrectionsOut(
        total=corrections.count(session),
        items=[CorrectionOut.model_validate(_out(r, questions)) for r in rows],
    )


@router.get(
    "/export",
    response_model=None,
    responses={200: {"content": {"application/yaml": {}}, "description": "Rasa NLU YAML"}},
)
def export(session: DbSession, _staff: AdminStaff) -> Response:
    """Every correction as Rasa 3 NLU training data (YAML), for the next training."""
    text = corrections.nlu_yaml(corrections.corrections(session, limit=1_000_000))
    return Response(
        text,
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="bot-corrections.yml"'},
    )

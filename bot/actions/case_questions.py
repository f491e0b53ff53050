"""Follow-up questions about the logistics case open in this conversation.

Shoppers ask them in a few words the NLU reads as many things (out of scope, not understood, a
new report, a return): every action those land on first asks `answer_case_question`, which
answers from the case when one is open here and the message is one of its questions.
"""

from collections.abc import Collection

from rasa_sdk.events import EventType

from bot.actions import problem_cases
from bot.actions.common import Turn, TurnAction
from conversations.models import EscalationReason
from conversations.service import hand_over
from shop.case_questions import (
    CaseChased,
    CaseQuestion,
    CaseTimeline,
    ask_about_case,
    case_question,
    open_case_in,
)
from shop.models import CaseKind, Order, OrderStatus, ShipmentStatus


def answer_case_question(
    turn: Turn,
    words: str | None = None,
    order_no: str | None = None,
    kinds: Collection[CaseKind] = tuple(CaseKind),
) -> bool:
    """Answer the message (or `words`) if it asks about the case open in this conversation
    (on this order, of these kinds, when given); False when it does not, and nothing was said."""
    question = case_question(turn.text if words is None else words)
    if question is None:
        return False
    case = open_case_in(turn.session, turn.conversation_id, order_no)
    if case is None or case.kind not in kinds:
        return False
    answer = ask_about_case(turn.session, case, question, turn.now)
    if isinstance(answer, CaseChased | CaseTimeline) and answer.passed_to_agent:
        hand_over(
            turn.session,
            turn.conversation_id,
            EscalationReason.CASE_OVERDUE,
            reason_detail=case.kind.value,
            case_id=case.id,
            order_no=answer.case.order_no,
            detail=turn.text if words is None else words,
        )
    turn.say(answer)
    return True


def follow_up_on_parcel(turn: Turn, order: Order, words: str | None = None) -> bool:
    """A follow-up the NLU read as a cancel or a change of a shipped order (能不能快点,
    先不取消 帮我催, 换个快递重新发): answered from the case open here; with none open, a chase
    of a parcel on its way opens the late-parcel case (the tracking decides: late, or on
    schedule and said so). False when it is neither, and nothing was said."""
    if answer_case_question(turn, words, order.order_no):
        return True
    text = turn.text if words is None else words
    shipment = order.latest_shipment
    on_its_way = (
        order.status == OrderStatus.SHIPPED
        and shipment is not None
        and shipment.status != ShipmentStatus.DELIVERED
    )
    if not on_its_way or case_question(text) != CaseQuestion.HURRY:
        return False
    problem_cases.open_case(turn, order, CaseKind.DELAYED, text)  # asked in so many words
    return True


class ActionAnswerOutOfScope(TurnAction):
    """A message the NLU finds out of scope is declined, unless it asks about the case open
    in this conversation (照片怎么发给你 reads as out of scope without the case)."""

    def name(self) -> str:
        return "action_answer_out_of_scope"

    def act(self, turn: Turn) -> list[EventType]:
        if not answer_case_question(turn):
            turn.utter("utter_out_of_scope")
        return []

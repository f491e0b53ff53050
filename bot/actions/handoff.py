"""Hand the conversation to a human agent with the reason and the verified order."""

from rasa_sdk.events import EventType

from bot.actions.common import Turn, TurnAction, latest_intent
from conversations.models import EscalationReason
from conversations.queue import who_to_turn_to
from conversations.reading import asks_for_the_shops_phone, asks_who_to_turn_to, wants_a_person
from conversations.service import hand_over
from words.render import Button

# What the shopper hears and why the conversation goes to a person, by the intent that led here.
RESPONSE_BY_INTENT = {"complain": "utter_complaint_ack"}
REASON_BY_INTENT = {
    "request_human": EscalationReason.SHOPPER_ASKED,
    "complain": EscalationReason.COMPLAINT,
}


class ActionHandOver(TurnAction):
    """Opens an escalation; from then on the chat gateway holds messages for the agent desk."""

    answers_shopper = False  # a person answers next

    def name(self) -> str:
        return "action_hand_over"

    def act(self, turn: Turn) -> list[EventType]:
        # 你们客服电话多少: this chat's agents, no phone line; 我要找领导 找谁 is handed over
        if not wants_a_person(turn.text) and answer_who_to_turn_to(turn):
            return []
        intent = latest_intent(turn.tracker) or "unknown"
        reason = REASON_BY_INTENT.get(intent, EscalationReason.NEEDS_AGENT)
        detail = None if intent in REASON_BY_INTENT else intent
        pass_to_agent(turn, reason, detail, RESPONSE_BY_INTENT.get(intent, "utter_pass_to_agent"))
        return []


def pass_to_agent(
    turn: Turn,
    reason: EscalationReason,
    reason_detail: str | None = None,
    response: str = "utter_pass_to_agent",
) -> None:
    """Give the conversation to a person, with the shopper's words and the verified order, and
    say so."""
    hand_over(
        turn.session,
        turn.conversation_id,
        reason,
        reason_detail=reason_detail,
        detail=turn.text,
        order_no=turn.tracker.get_slot("verified_order_no"),
    )
    turn.utter(response)


def answer_who_to_turn_to(turn: Turn) -> bool:
    """我找谁, 那我问谁去: the agents in this chat and their hours, a person offered (never a
    goodbye, never the last answer again). False, nothing said, when the message asks not that."""
    if not asks_who_to_turn_to(turn.text):
        return False
    phone_asked = asks_for_the_shops_phone(turn.text)
    turn.say(who_to_turn_to(turn.now, phone_asked=phone_asked), buttons=[Button.HUMAN])
    return True

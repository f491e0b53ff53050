"""Hand the conversation to a human agent with the reason and the verified order."""

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.common import latest_intent
from conversations.service import hand_over
from core.database import session_scope

# What the shopper hears, by the intent that led to the handoff.
RESPONSE_BY_INTENT = {"complain": "utter_complaint_ack"}
REASON_BY_INTENT = {"request_human": "shopper_asked", "complain": "complaint"}


class ActionHandOver(Action):
    """Opens an escalation; from then on the chat gateway holds messages for the agent desk."""

    def name(self) -> str:
        return "action_hand_over"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        intent = latest_intent(tracker) or "unknown"
        reason = REASON_BY_INTENT.get(intent, f"needs_agent:{intent}")
        with session_scope() as session:
            hand_over(
                session,
                tracker.sender_id,
                reason=reason,
                detail=tracker.latest_message.get("text"),
                order_no=tracker.get_slot("verified_order_no"),
            )
        dispatcher.utter_message(response=RESPONSE_BY_INTENT.get(intent, "utter_pass_to_agent"))
        return []

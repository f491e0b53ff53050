"""When the bot is unsure: try the FAQ, then offer the two likeliest meanings, then a human."""

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.common import faq_answer
from conversations.service import hand_over
from core.database import session_scope
from faq.service import faq_search

MAX_FAILED_TRIES = 2
# Intents a button can stand for: their flow does not depend on the words typed.
BUTTON_TITLES = {
    "track_order": "查询订单物流",
    "report_delivery_delay": "物流太慢/没更新",
    "report_damaged_item": "收到的商品破损",
    "report_lost_parcel": "显示签收但没收到",
    "report_wrong_or_missing_item": "发错货/少发了",
    "modify_order": "修改订单",
    "cancel_order": "取消订单",
    "request_return_exchange": "退货/换货",
    "ask_refund_status": "查询退款进度",
    "request_repair": "维修/保修",
    "request_human": "转人工客服",
}


def failed_tries(tracker: Tracker) -> int:
    """How many of the shopper's latest messages in a row the bot did not understand."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        if (event.get("parse_data", {}).get("intent") or {}).get("name") != "nlu_fallback":
            break
        count += 1
    return count


class ActionClarify(Action):
    """Runs on nlu_fallback."""

    def name(self) -> str:
        return "action_clarify"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        with session_scope() as session:
            result = faq_search.search(session, text, k=2)
            if result.answered:
                dispatcher.utter_message(text=faq_answer(session, tracker, result.hits[0]))
                return []
            if failed_tries(tracker) >= MAX_FAILED_TRIES:
                hand_over(
                    session,
                    tracker.sender_id,
                    reason="bot_did_not_understand",
                    detail=text,
                    order_no=tracker.get_slot("verified_order_no"),
                )
                dispatcher.utter_message(response="utter_handoff_not_understood")
                return []
        ranking = tracker.latest_message.get("intent_ranking") or []
        buttons = [
            {"title": BUTTON_TITLES[r["name"]], "payload": f"/{r['name']}"}
            for r in ranking
            if r.get("name") in BUTTON_TITLES
        ][:2]
        if buttons:
            dispatcher.utter_message(response="utter_clarify_intent", buttons=buttons)
        else:
            dispatcher.utter_message(response="utter_default")
        return []

"""Saying that the bot did not understand, never the same way twice in a row.

First the FAQ, reading the conversation (a policy question it knows, or the topic the shopper
has been on). Then the first miss asks again (with the likeliest requests as buttons when there
are some), the second offers the likely meanings (requests and FAQ questions) and a human, the
third hands the conversation to a person. A cancel or a return is never among the likely meanings
unless the message names it.
"""

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType

from bot.actions.common import Turn, earlier_texts, faq_answer, goods_in_focus, search_asked
from conversations.models import EscalationReason
from conversations.service import hand_over
from words.render import Button, button, intent_button

# The responses that tell the shopper the bot did not understand them.
MISSED = frozenset(
    {"utter_default", "utter_clarify_intent", "utter_clarify_options", "utter_faq_clarify"}
)
HAND_OVER_AFTER = 2  # misses in a row before this message: the next one goes to a person
INTENT_OPTIONS = 2
# Requests with consequences, offered as a likely meaning only when the message names them.
NAMED_ONLY = {
    "cancel_order": re.compile(r"取消|不要了|不想要|退单|拍错"),
    "request_return_exchange": re.compile(r"退|换"),
}
FAQ_OPTIONS = 2


def missed_in_a_row(tracker: Tracker) -> int:
    """How many of the shopper's messages in a row before the latest one the bot answered
    with "did not understand" (whatever the NLU made of them: Rasa's own fallback too)."""
    count, replies, seen_latest = 0, [], False
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            replies.append((event.get("metadata") or {}).get("utter_action"))
        elif event.get("event") == "user":
            if seen_latest:
                if not MISSED.intersection(replies):
                    break
                count += 1
            seen_latest, replies = True, []
    return count


def _intent_buttons(tracker: Tracker) -> list[dict[str, Any]]:
    """Buttons for the likeliest requests the NLU saw in the message; a cancel or a return
    only when the message names it (券我不要 我要的是东西 is venting, never a cancel offered)."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    text = str(tracker.latest_message.get("text") or "")
    offered = (
        intent_button(name)
        for r in ranking
        if (name := r.get("name", "")) not in NAMED_ONLY or NAMED_ONLY[name].search(text)
    )
    return [b for b in offered if b is not None][:INTENT_OPTIONS]


def clarify(turn: Turn) -> list[EventType]:
    """Answer from the FAQ if the conversation makes the message clear, else ask back."""
    tracker, dispatcher = turn.tracker, turn.out
    result = search_asked(
        turn,
        k=FAQ_OPTIONS,
        earlier=earlier_texts(tracker),
        categories=goods_in_focus(turn.session, tracker),
    )
    if result.answered:
        dispatcher.utter_message(text=faq_answer(turn, result.hits[0].entry))
        return []
    misses = missed_in_a_row(tracker)
    if misses >= HAND_OVER_AFTER:
        hand_over(
            turn.session,
            turn.conversation_id,
            EscalationReason.BOT_DID_NOT_UNDERSTAND,
            detail=turn.text,
            order_no=tracker.get_slot("verified_order_no"),
        )
        turn.utter("utter_handoff_not_understood")
        return []
    buttons = _intent_buttons(tracker)
    if misses == 0:  # ask again, with the likeliest requests if there are some
        response = "utter_clarify_intent" if buttons else "utter_default"
        dispatcher.utter_message(response=response, buttons=buttons)
        return []
    # the second miss in a row: the likely meanings, and a person
    titles = {b["title"] for b in buttons}
    buttons += [
        {"title": h.entry.question, "payload": h.entry.question}
        for h in result.hits[:FAQ_OPTIONS]
        if h.entry.question not in titles
    ]
    response = "utter_clarify_options" if buttons else "utter_clarify_offer_human"
    human = button(Button.HUMAN)
    buttons = [b for b in buttons if b["payload"] != human["payload"]] + [human]
    dispatcher.utter_message(response=response, buttons=buttons)
    return []

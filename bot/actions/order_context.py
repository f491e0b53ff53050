"""An order number given on its own: about the question asked before it, and the order in focus.

"你们家电保修多久", then "1679247082276544 0419": the number answers the question, so the bot
verifies the order and answers it there (its own warranty), instead of asking what the shopper
wants. A number other than the verified order's becomes the order in focus: the next request
("帮我放门卫") is about it, never about the order handled before. A message read as data that
holds none (收件人电话也给下, 她要白色S, 那还得几天) is read with the conversation
(bot/actions/in_context.py) before the bot asks how it can help.
"""

import re

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from bot.actions import order_services
from bot.actions.common import Turn, TurnAction, message_intent, shopper_client
from bot.actions.in_context import answer_in_context
from bot.actions.order_lookup import POLICY_SLOT, agreed_while_waiting, read_number, read_tail
from bot.actions.order_requests import ORDER_REQUEST_HANDLERS
from bot.actions.presale import product_follow_up
from shop.orders import verify_order
from shop.own_order import topic_named

REPAIR = order_services.REPAIR
# A warranty or repair question ("保修多久", "坏了还能保不"): asked for an item, it is a repair
# request, said back with the item's warranty for a yes (bot/actions/order_requests.py).
REPAIR_WORDS = re.compile(r"保修|维修|修理|返修|坏了|过保")
LOOKBACK = 3  # earlier messages an open question is looked for in
# What answered a question on an order, or ended it: nothing before it is still open.
CLOSING_ACTIONS = frozenset(
    {
        "action_handle_order_request",
        "action_answer_pending_request",
        "action_confirm_invoice",
        "action_hand_over",
        "utter_lookup_stopped",
        "utter_change_stopped",
        "utter_invoice_stopped",
        "utter_goodbye",
    }
)
# Messages a question may stand in (a policy question, one not understood, or an order request).
QUESTION_INTENTS = frozenset({"faq", "nlu_fallback"})


def open_question(tracker: Tracker) -> str | None:
    """The order question the shopper asked shortly before the latest message that nothing has
    answered on an order yet (`invoice`, `price_protection`, or `request_repair` for a warranty
    question). An order request in between has its own lookup: nothing is open then."""
    users = 0
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "session_started" or (kind == "action" and event.get("name") in CLOSING_ACTIONS):
            return None
        if kind != "user":
            continue
        users += 1
        if users == 1:
            continue  # the latest message: the order number itself
        if users > LOOKBACK + 1:
            return None
        text = str(event.get("text") or "")
        intent = message_intent(event)
        if text.startswith("/"):
            continue
        if intent in ORDER_REQUEST_HANDLERS:
            return None
        if intent in QUESTION_INTENTS:
            if (topic := topic_named(text)) is not None:
                return topic.value
            if REPAIR_WORDS.search(text):
                return REPAIR
    return None


def policy_request_open(tracker: Tracker) -> bool:
    """Whether an order request answered as a policy question shortly before (生鲜能七天无理由吗,
    answered with the order number offered) still waits for that number: asked within the last
    few messages, nothing answered or ended on an order since."""
    if not tracker.get_slot(POLICY_SLOT):
        return False
    users = 0
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "slot" and event.get("name") == POLICY_SLOT and event.get("value"):
            return True
        if kind == "session_started" or (kind == "action" and event.get("name") in CLOSING_ACTIONS):
            return False
        if kind == "user":
            users += 1
            if users > LOOKBACK + 1:
                return False
    return False


class ActionTakeOrderNumber(TurnAction):
    """Data given out of the blue (rules.yml): an order number or phone tail after an order
    question verifies the order and answers it; otherwise the bot asks how it can help, the
    order just named being the one in focus."""

    answers_shopper = False

    def name(self) -> str:
        return "action_take_order_number"

    def act(self, turn: Turn) -> list[EventType]:
        if order_services.typed_invoice_details(turn.tracker, turn.text):
            if (agreed := agreed_while_waiting(turn)) is not None:
                return agreed  # 普票就行 还发原来的邮箱 to the invoice said back: it still waits
            # 个人的 抬头张丽娟, 公司名 … 税号 … after an invoice answer on the verified order:
            # the rules answer it there (order_context_rules.yml), said back for a yes; an
            # invoice said back before is not what it answers (开成…就行 is no yes to it)
            forget = [SlotSet(POLICY_SLOT, None)] if turn.tracker.get_slot(POLICY_SLOT) else []
            if turn.tracker.get_slot("pending_request"):
                forget.append(SlotSet("pending_request", None))
            return [*forget, SlotSet(order_services.ORDER_NEED, order_services.INVOICE)]
        order_no = read_number(turn.text)
        events = self._focus(turn, order_no) if order_no else []
        question = open_question(turn.tracker)
        given = bool(order_no or read_tail(turn.text))
        if question is None and given and policy_request_open(turn.tracker):
            # the order a policy answer offered to check: the rules start the lookup for the
            # request it was asked as (bot/data/acknowledgement_rules.yml)
            return [*events, SlotSet(POLICY_SLOT, True)]
        if turn.tracker.get_slot(POLICY_SLOT):
            events.append(SlotSet(POLICY_SLOT, None))  # nothing the number answers any more
        if not given and (about_product := product_follow_up(turn)) is not None:
            return [*events, *about_product]  # 那雾霾蓝XXL呢: the product in focus, read as data
        if not given and (in_context := answer_in_context(turn)) is not None:
            return [*events, *in_context]  # 收件人电话也给下, 她要白色S: the talk explains it
        if question is None or not given:
            turn.utter("utter_ask_how_to_help")
            noted = turn.tracker.get_slot(order_services.ORDER_NEED) is not None
            return [*events, SlotSet(order_services.ORDER_NEED, None)] if noted else events
        # the rules start the order lookup for it (bot/data/order_context_rules.yml)
        return [*events, SlotSet(order_services.ORDER_NEED, question)]

    def _focus(self, turn: Turn, order_no: str) -> list[EventType]:
        """The order just named is the one in focus; another than the verified one is verified
        by the phone tail the shopper gave already, or else asked for its own."""
        verified = turn.tracker.get_slot("verified_order_no")
        if verified is None or verified == order_no:
            return [SlotSet("order_id", order_no)]
        tail = turn.tracker.get_slot("phone_tail")
        client = shopper_client(turn.tracker)
        if (
            tail
            and verify_order(turn.session, order_no, str(tail), guess=False, client=client).order
        ):
            return [SlotSet("order_id", order_no), SlotSet("verified_order_no", order_no)]
        return [
            SlotSet("order_id", order_no),
            SlotSet("verified_order_no", None),
            SlotSet("phone_tail", read_tail(turn.text)),
        ]

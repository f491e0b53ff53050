"""An order number given on its own: about the question asked before it, and the order in focus.

"你们家电保修多久", then "1679247082276544 0419": the number answers the question, so the bot
verifies the order and answers it there (its own warranty), instead of asking what the shopper
wants; so does a problem described before the number (好几天没动静了: the parcel's delay). A
number and its tail with nothing told before verify the order and show it at a glance, with
the question what the shopper needs about it. A number other than the verified order's becomes
the order in focus: the next request ("帮我放门卫") is about it, never about the order handled
before. A message read as data that holds none (收件人电话也给下, 她要白色S, 那还得几天) is read
with the conversation (bot/actions/in_context.py) before the bot asks how it can help.
"""

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from bot.actions import order_requests, order_services
from bot.actions.common import (
    ANOTHER_ORDER_REQUEST,
    ORDER_NEED,
    Turn,
    TurnAction,
    message_intent,
    put_off_request,
    verified_order,
)
from bot.actions.in_context import answer_in_context
from bot.actions.order_lookup import (
    POLICY_SLOT,
    agreed_while_waiting,
    focus_on,
    in_a_presale_talk,
    read_number,
    read_tail,
)
from bot.actions.order_requests import (
    ORDER_REQUEST_HANDLERS,
    OrderRequest,
    ask_order_for_problem,
    request_of,
    serve_problem_on_verified_order,
)
from bot.actions.presale import product_follow_up
from conversations.acknowledgement import reports_a_problem
from conversations.needs import need_told, need_told_before, parts_apart
from shop.invoice_reading import InvoiceDetailsBeforeOrder, details_before_order
from shop.models import Order
from shop.orders import load_order
from shop.product_names import GoodsOfAnotherOrder, goods_of_another_order, names_own_goods

REPAIR = order_services.REPAIR
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
AT_A_GLANCE = order_requests.AT_A_GLANCE  # the order given, no need said: shown at a glance


def open_question(tracker: Tracker) -> str | None:
    """The order request the shopper's messages shortly before the latest one told and nothing
    has served on an order yet (`conversations.needs.need_told_before`: 好几天没动静了 is the
    parcel's delay, 能开发票吗 the invoice, 保修多久 the repair), as the request that serves it.
    An order request in between has its own lookup: nothing is open then."""
    texts: list[str] = []
    users = 0
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "session_started" or (kind == "action" and event.get("name") in CLOSING_ACTIONS):
            break
        if kind != "user":
            continue
        users += 1
        if users == 1:
            continue  # the latest message: the order number itself
        if users > LOOKBACK + 1:
            break
        text = str(event.get("text") or "")
        if text.startswith("/"):
            continue
        if message_intent(event) in ORDER_REQUEST_HANDLERS:
            return None
        texts.insert(0, text)
    told = need_told_before(texts)
    return request_of(told) if told is not None else None


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
    """Data given out of the blue (rules.yml): an order number or phone tail after messages
    that told a need (an order question, a problem described) verifies the order and serves the
    need; a number and its tail with no need told verify the order and show it at a glance;
    otherwise the bot asks how it can help, the order just named being the one in focus."""

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
            return [*forget, SlotSet(ORDER_NEED, order_services.INVOICE)]
        order_no = read_number(turn.text)
        if order_no is None and (details := details_before_any_order(turn)) is not None:
            turn.say(details)  # 抬头：杭州青禾设计有限公司，税号9133…, before buying
            return []
        events = focus_on(turn.session, turn.tracker, order_no, turn.text) if order_no else []
        question = open_question(turn.tracker)
        put_off = put_off_request(turn.tracker)
        if put_off and not order_no and (other := self._other_goods(turn)) is not None:
            turn.say(other)  # 橙子烂了5个 照片拍了: still the oranges' order asked for
            return events
        if turn.tracker.get_slot(ANOTHER_ORDER_REQUEST):
            events.append(SlotSet(ANOTHER_ORDER_REQUEST, None))  # served now, or stale
            if question is None and order_no and put_off:
                question = put_off  # 还有键盘 钱呢 → "把那个订单号发给我" → its number
        given = bool(order_no or read_tail(turn.text))
        if question is None and given and (told := need_told(turn.text)) is not None:
            question = request_of(told)  # 电热水壶收到就是瘪的 <number> <tail>: the dent
        if question is None and given and policy_request_open(turn.tracker):
            # the order a policy answer offered to check: the rules start the lookup for the
            # request it was asked as (bot/data/acknowledgement_rules.yml)
            return [*events, SlotSet(POLICY_SLOT, True)]
        if turn.tracker.get_slot(POLICY_SLOT):
            events.append(SlotSet(POLICY_SLOT, None))  # nothing the number answers any more
        # 苹果烂了3个 一共9个, read as data: the problem met and its order asked, or served on
        # the verified order; never a question about the apples
        if not given and reports_a_problem(turn.text):
            if ask_order_for_problem(turn, None):
                return events
            if (served := serve_problem_on_verified_order(turn)) is not None:
                return [*events, *served]
        if not given and (about_product := product_follow_up(turn)) is not None:
            return [*events, *about_product]  # 那雾霾蓝XXL呢: the product in focus, read as data
        if not given and (in_context := answer_in_context(turn)) is not None:
            return [*events, *in_context]  # 收件人电话也给下, 她要白色S: the talk explains it
        if question is None and given and self._pair_given(turn, order_no):
            # the order and its tail, no need said: the rules verify it and show it at a glance
            return [*events, SlotSet(ORDER_NEED, AT_A_GLANCE)]
        if question is None or not given:
            turn.utter("utter_ask_how_to_help")
            noted = turn.tracker.get_slot(ORDER_NEED) is not None
            return [*events, SlotSet(ORDER_NEED, None)] if noted else events
        # the rules start the order lookup for it (bot/data/order_context_rules.yml)
        return [*events, SlotSet(ORDER_NEED, question)]

    def _other_goods(self, turn: Turn) -> GoodsOfAnotherOrder | None:
        """The goods of another order than the verified one the words name (the request put
        off for them still waits for that order's number)."""
        order = verified_order(turn.session, turn.tracker)
        return goods_of_another_order(turn.session, turn.text, order) if order else None

    def _pair_given(self, turn: Turn, order_no: str | None) -> bool:
        """Whether the message gives a phone tail for an order number it gives or one named
        before (1234 after the number alone): enough to verify the order."""
        named = order_no or turn.tracker.get_slot("order_id")
        return bool(named and read_tail(turn.text))


def details_before_any_order(turn: Turn) -> InvoiceDetailsBeforeOrder | None:
    """Invoice details typed when no order is verified or waited for (an invoice asked for
    waits for its number), or in a talk about a product before any order (公司采购能开专票吗,
    then 抬头… 税号…); None otherwise, or when the words give none."""
    if turn.tracker.get_slot("verified_order_no"):
        return None
    waiting = turn.tracker.get_slot(ORDER_NEED) or open_question(turn.tracker) is not None
    if waiting and not in_a_presale_talk(turn.tracker):
        return None
    return details_before_order(turn.text)


def served_for_another_order(turn: Turn) -> list[EventType] | None:
    """The number of the order a request was put off for (键盘 钱呢 → "把那个订单号发给我" →
    肉脯那个是8771…), given while any action holds the turn: verified by the tail given before and
    the request served on it at once. None when nothing was put off, the message gives no
    other order's number, or the tail given before does not verify it."""
    put_off = put_off_request(turn.tracker)
    order_no = read_number(turn.text)
    if not put_off or order_no is None or order_no == turn.tracker.get_slot("verified_order_no"):
        return None
    focus = focus_on(turn.session, turn.tracker, order_no, turn.text)
    verified = next((e["value"] for e in focus if e["name"] == "verified_order_no"), None)
    order = load_order(turn.session, str(verified)) if verified else None
    if order is None:
        return None
    request = str(put_off)
    words = _words_put_off(turn, order) or turn.text
    waiting = ORDER_REQUEST_HANDLERS[request](OrderRequest(turn, order, request, words))
    if waiting is None and turn.tracker.get_slot("pending_request"):
        # the heater's 价保 answered while the cup's case waits for its yes: the cup's order
        # stays in focus, its case still waiting
        return [SlotSet(ANOTHER_ORDER_REQUEST, None)]
    return [*focus, SlotSet(ANOTHER_ORDER_REQUEST, None), SlotSet("pending_request", waiting)]


def _words_put_off(turn: Turn, order: Order) -> str:
    """What the shopper said of this order's goods since their request was put off (还有昨晚
    到的橙子烂了好几个, 橙子烂了5个 照片拍了): the problem the number given now is for, read
    from those words (rotten fruit is the fresh-food claim, never a damaged parcel's case)."""
    texts: list[str] = []
    put_off = False  # the message that put it off is the last one read
    for event in reversed(turn.tracker.events):
        if event.get("event") == "user" and not str(event.get("text") or "").startswith("/"):
            texts.append(str(event.get("text") or ""))
            if put_off:
                break
        elif event.get("event") == "slot" and event.get("name") == ANOTHER_ORDER_REQUEST:
            put_off = put_off or bool(event.get("value"))
    earlier = reversed(texts[1:])  # the message giving the number aside
    parts = [part.text for text in earlier for part in parts_apart(text)]
    return " ".join(p for p in parts if names_own_goods(turn.session, p, order))

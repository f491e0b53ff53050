"""Invoices, 价保 and chasing on the shopper's own order, answered from the order's records.

`action_answer_faq` notes the need in the slot `order_need` when an invoice or 价保 question is
about the shopper's own order (`shop.own_order`); the order lookup verifies the order and
`action_handle_order_request` answers here. A company invoice asked for without its title or tax
number goes to `invoice_form` instead (it verifies the order the same way and asks for them),
then `action_confirm_invoice`. Whatever changes something is said back first and done on the
shopper's yes (`carry_out`, from `action_answer_pending_request`).

A shopper chasing a late order follows up in a few words the NLU reads as many things (今天能发吗,
你就说能不能发, 发了之后告诉我一声, 那先别取消 我急着用): `answer_chase_talk`, asked by the FAQ
action (through `note_need`) and the clarification, answers them from the order and its chase
(`shop.chasing`), and registers the chase when the order is late and none is open yet.
"""

from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from bot.actions import problem_cases
from bot.actions.common import Turn, verified_order
from conversations.models import EscalationReason
from conversations.service import hand_over
from shop.case_questions import open_case_in
from shop.chasing import ChaseTalk, OrderKept, chase_answer, load_chase_policy, read_chase_talk
from shop.invoice_reading import InvoiceAsk, read_invoice_wish
from shop.invoices import (
    DetailsMissing,
    InvoiceDetails,
    InvoicePending,
    InvoiceRefusal,
    InvoiceRefused,
    InvoiceToConfirm,
    NoInvoice,
    NoInvoiceReason,
    invoice_check,
    invoice_status,
    load_invoice_policy,
    request_invoice,
    wished_details,
)
from shop.models import CaseKind, LogisticsCase, Order, OrderStatus
from shop.orders import load_order
from shop.own_order import OrderTopic, own_order_topic
from shop.price_protection import (
    apply_price_protection,
    load_price_policy,
    price_protection_check,
)
from shop.tracking import order_progress
from words.render import Button

ORDER_NEED = "order_need"  # the slot
INVOICE = OrderTopic.INVOICE.value
PRICE_PROTECTION = OrderTopic.PRICE_PROTECTION.value
INVOICE_DETAILS = "invoice_details"  # a company invoice: invoice_form asks for title and tax no
SERVICES = (INVOICE, PRICE_PROTECTION)
REPAIR = "request_repair"  # a warranty question the order number that followed answers
INVOICE_SLOTS = ["invoice_title", "invoice_tax_no"]  # what invoice_form asks for
# Intents NLU may give an invoice or 价保 message about the order ("发票开了没有啊" is no parcel
# problem): the words decide.
REDIRECTED_INTENTS = frozenset(
    {
        "track_order",
        "report_delivery_delay",
        "report_damaged_item",
        "report_lost_parcel",
        "report_wrong_or_missing_item",
    }
)
CONFIRM_BUTTONS = [Button.CONFIRM_REQUEST, Button.KEEP_REQUEST]
# The action server checks the rules when it starts: an invalid file stops it with a clear error.
load_invoice_policy()
load_price_policy()
load_chase_policy()

INTRO = {
    INVOICE: "utter_check_order_invoice",
    INVOICE_DETAILS: "utter_open_company_invoice",
    PRICE_PROTECTION: "utter_check_order_price",
}


# --- noticing the need ----------------------------------------------------------------------


def order_need(text: str, faq_topic: str | None = None) -> str | None:
    """The slot value for a message about the shopper's own invoice or 价保 (None for a policy
    question): `invoice_details` when a company invoice still lacks its title or tax number."""
    topic = own_order_topic(text, faq_topic)
    if topic is None:
        return None
    wish = read_invoice_wish(text)
    if (
        topic == OrderTopic.INVOICE
        and wish.ask != InvoiceAsk.STATUS
        and isinstance(wished_details(wish), DetailsMissing)
    ):
        return INVOICE_DETAILS
    return topic.value


@dataclass(frozen=True)
class NoteOnNeed:
    """What the FAQ action does about an own-order need: `taken` when the lookup or the invoice
    form takes over (its intro said), and the slot events either way."""

    taken: bool
    events: list[EventType]


def note_need(turn: Turn, faq_topic: str | None) -> NoteOnNeed:
    """Whether a FAQ question is about the shopper's own invoice or 价保 (noted in `order_need`
    for the rules to start the lookup or the invoice form), or one the FAQ answers (a need
    noted before is forgotten, unless the invoice form is asking for its details)."""
    loop = (turn.tracker.active_loop or {}).get("name")
    if loop == "invoice_form":
        return NoteOnNeed(False, [])  # answered, and the form resumes
    if answer_chase_talk(turn):  # 你就说能不能发: the late order being chased, not the FAQ
        forget = turn.tracker.get_slot(ORDER_NEED) is not None
        return NoteOnNeed(True, [SlotSet(ORDER_NEED, None)] if forget else [])
    need = order_need(turn.text, faq_topic) if loop in (None, "order_lookup_form") else None
    if need is None:
        forget = turn.tracker.get_slot(ORDER_NEED) is not None
        return NoteOnNeed(False, [SlotSet(ORDER_NEED, None)] if forget else [])
    verified = turn.tracker.get_slot("verified_order_no") is not None
    if need == INVOICE_DETAILS or not verified:
        turn.utter(INTRO[need])
    fresh = [SlotSet(slot, None) for slot in INVOICE_SLOTS if turn.tracker.get_slot(slot)]
    return NoteOnNeed(True, [SlotSet(ORDER_NEED, need), *fresh])


def noted_need(event: dict[str, Any]) -> str | None:
    """The service an `order_need` slot event notes (`invoice` for the invoice form too; a
    repair for a warranty question answered by an order number, bot/actions/order_context.py)."""
    if event.get("event") != "slot" or event.get("name") != ORDER_NEED or not event.get("value"):
        return None
    return event["value"] if event["value"] in (PRICE_PROTECTION, REPAIR) else INVOICE


def redirected(intent: str, text: str) -> str:
    """The service an order request really is: an invoice or 价保 message taken for tracking or a
    parcel problem is answered as what it says, and never opens a case."""
    if intent in REDIRECTED_INTENTS and (topic := own_order_topic(text)) is not None:
        return topic.value
    return intent


def need_words(tracker: Tracker) -> str:
    """The shopper's message whose invoice or 价保 need was noted last."""
    noted = False
    for event in reversed(tracker.events):
        if noted_need(event) is not None:
            noted = True
        elif noted and event.get("event") == "user":
            return str(event.get("text") or "")
    return ""


# --- answering on the verified order --------------------------------------------------------


def answer_invoice(turn: Turn, words: str, order_no: str) -> str | None:
    """Where the order's invoice is, or the request said back for a yes (returns `invoice`
    when it waits for one)."""
    order = load_order(turn.session, order_no)
    assert order is not None  # verified
    wish = read_invoice_wish(words)
    details = wished_details(wish)
    if wish.ask == InvoiceAsk.STATUS or not isinstance(details, InvoiceDetails):
        status = invoice_status(turn.session, order, turn.now)
        turn.say(status, buttons=next_buttons(status))
        return None
    return confirm_invoice(turn, order_no, details)


def confirm_invoice(turn: Turn, order_no: str, details: InvoiceDetails) -> str | None:
    order = load_order(turn.session, order_no)
    assert order is not None
    checked = invoice_check(turn.session, order, details, turn.now)
    if isinstance(checked, InvoiceToConfirm):
        turn.say(checked, buttons=CONFIRM_BUTTONS)
        return INVOICE
    turn.say(checked, buttons=next_buttons(checked))
    return None


def next_buttons(fact: object) -> list[Button]:
    """Ways on from an invoice answer: the two titles when one can be asked for, a person when
    only a person can help further."""
    if isinstance(fact, NoInvoice) and fact.reason == NoInvoiceReason.CAN_REQUEST:
        return [Button.INVOICE_PERSONAL, Button.INVOICE_COMPANY]
    human = (
        (isinstance(fact, NoInvoice) and fact.reason == NoInvoiceReason.WINDOW_PASSED)
        or (isinstance(fact, InvoicePending) and fact.overdue)
        or (
            isinstance(fact, InvoiceRefused)
            and fact.reason
            not in (InvoiceRefusal.ORDER_CANCELLED, InvoiceRefusal.SPECIAL_NEEDS_COMPANY)
        )
    )
    return [Button.HUMAN] if human else []


def answer_price_protection(turn: Turn, words: str, order_no: str) -> str | None:
    """Whether each item's price drop is refunded, said back for a yes when one is."""
    order = load_order(turn.session, order_no)
    assert order is not None
    checked = price_protection_check(turn.session, order, turn.now, words)
    turn.say(checked, buttons=CONFIRM_BUTTONS if checked.eligible else [])
    return PRICE_PROTECTION if checked.eligible else None


def carry_out(turn: Turn, service: str, words: str, order_no: str) -> None:
    """The invoice or 价保 the shopper has just confirmed (the domain checks it again)."""
    order = load_order(turn.session, order_no)
    assert order is not None
    if service == PRICE_PROTECTION:
        turn.say(
            apply_price_protection(
                turn.session, order, turn.now, words, conversation_id=turn.conversation_id
            )
        )
        return
    slot = turn.tracker.get_slot
    details = wished_details(
        read_invoice_wish(words), slot("invoice_title"), slot("invoice_tax_no")
    )
    if not isinstance(details, InvoiceDetails):  # nothing complete was said back
        turn.utter("utter_anything_else")
        return
    outcome = request_invoice(
        turn.session, order, details, turn.now, conversation_id=turn.conversation_id
    )
    turn.say(outcome, buttons=next_buttons(outcome))


# --- chasing a late order -------------------------------------------------------------------


def answer_chase_talk(turn: Turn) -> bool:
    """Answer the message if it follows up a chase (今天能发吗, 发了之后告诉我一声, 先别取消
    我急着用) of the order this conversation is about: the late case open here, else the
    verified order while it has not arrived. A notice asked for, or the order kept, on a late
    order not yet chased registers the chase at once (it commits the shop to nothing but
    hurrying; the follow-up job then tells the shopper when it ships or moves). False when it
    is no such message, and nothing was said."""
    talk = read_chase_talk(turn.text)
    if talk is None or (turn.tracker.active_loop or {}).get("name"):
        return False
    case = open_case_in(turn.session, turn.conversation_id)
    if case is not None and case.kind != CaseKind.DELAYED:
        return False  # a question about another case: the case answers it
    order = case.order if case is not None else verified_order(turn.session, turn.tracker)
    if order is None or not _on_its_way(order):
        return False
    if case is None and talk != ChaseTalk.WHEN_SHIP:
        progress = order_progress(order, turn.now)
        if progress.late_to_ship or progress.delayed:
            if talk == ChaseTalk.KEEP_ORDER:
                turn.say(OrderKept(order.order_no))
            problem_cases.open_case(turn, order, CaseKind.DELAYED, turn.text)
            return True
    say_chase_answer(turn, order, talk, case)
    return True


def say_chase_answer(
    turn: Turn, order: Order, talk: ChaseTalk, case: LogisticsCase | None = None
) -> None:
    """The chase's answer (its answer time, the shipping notice or the parcel's news in this
    chat); past the answer time a person takes the case over, as the answer says."""
    answer = chase_answer(order, talk, case, turn.now)
    if case is not None and answer.chase_overdue:
        hand_over(
            turn.session,
            turn.conversation_id,
            EscalationReason.CASE_OVERDUE,
            reason_detail=case.kind.value,
            case_id=case.id,
            order_no=order.order_no,
            detail=turn.text,
        )
    turn.say(answer)


def _on_its_way(order: Order) -> bool:
    """Paid and not yet received: waiting to ship, or shipped and not delivered."""
    if order.status == OrderStatus.AWAITING_SHIPMENT:
        return True
    shipment = order.latest_shipment
    return (
        order.status == OrderStatus.SHIPPED and shipment is not None and not (shipment.delivered_at)
    )

"""A company invoice: the order verified like the lookup, then the title and the tax number,
then the invoice said back for the shopper's yes (`bot.actions.order_services`)."""

from abc import abstractmethod
from dataclasses import replace
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.common import Turn, TurnAction, latest_intent, latest_text, verified_order
from bot.actions.form_turns import NOT_AN_ANSWER, offer_a_person, stuck
from bot.actions.order_lookup import ValidateOrderLookupForm
from bot.actions.order_services import (
    INVOICE_SLOTS,
    ORDER_NEED,
    confirm_invoice,
    need_words,
    next_buttons,
    noted_need,
    with_email_said,
)
from conversations.reading import button_intent
from core.clock import utcnow
from shop.invoice_reading import (
    check_title,
    find_title,
    kind_named,
    read_invoice_wish,
    read_tax_no,
)
from shop.invoices import (
    DetailsMissing,
    DetailsProblem,
    InvoiceDetails,
    invoice_on_record,
    invoice_refusal,
    invoice_status,
    wished_details,
)
from shop.models import InvoiceKind
from shop.orders import load_order
from words.render import say


class ValidateInvoiceForm(ValidateOrderLookupForm):
    """Verifies the order like the lookup, then takes the company title and tax number from
    the shopper's words (both may come in one message, or in the question itself)."""

    fresh_slots = tuple(INVOICE_SLOTS)  # nothing left over from a title asked for before

    def name(self) -> str:
        return "validate_invoice_form"

    def cannot_go_on(self, order_no: str, tracker: Tracker) -> bool:
        # action_confirm_invoice says why no invoice can be asked for, or the one on record
        order = load_order(self.session, order_no)
        if order is None:
            return False
        if invoice_on_record(self.session, order, read_invoice_wish(need_words(tracker))):
            return True
        return invoice_refusal(self.session, order, utcnow()) is not None

    async def extract_invoice_title(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = latest_text(tracker)
        title = find_title(text)
        if tracker.get_slot("invoice_title"):  # another title named (抬头 西安青禾…): the one
            return {"invoice_title": title} if title else {}
        if title:
            return {"invoice_title": title}
        if tracker.get_slot("requested_slot") != "invoice_title":
            return {}
        if latest_intent(tracker) in NOT_AN_ANSWER or button_intent(text):
            return {}  # 算了, a policy question, another need: their rules take the turn
        if title := check_title(text):
            return {"invoice_title": title}
        _say_problem(dispatcher, tracker, DetailsProblem.TITLE_MISSING)
        return {"invoice_title": None}  # the form asks again

    async def extract_invoice_tax_no(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        code, invalid_length = read_tax_no(latest_text(tracker))
        if tracker.get_slot("invoice_tax_no"):  # another valid number named: the one
            return {"invoice_tax_no": code} if code else {}
        if code:
            return {"invoice_tax_no": code}
        if tracker.get_slot("requested_slot") != "invoice_tax_no":
            return {}
        if invalid_length is None:  # no code at all (买了两件只到了一件): not an answer
            return {}
        _say_problem(dispatcher, tracker, DetailsProblem.TAX_NO_INVALID, invalid_length)
        return {"invoice_tax_no": None}


def _say_problem(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    problem: DetailsProblem,
    tax_no_length: int | None = None,
) -> None:
    """What is wrong with the answer (a tax number one short is said to be one short); after
    the question was asked twice, nothing: the form offers a person instead of asking a third
    time (AskInvoiceDetail)."""
    if not stuck(tracker, str(tracker.get_slot("requested_slot"))):
        dispatcher.utter_message(text=say(DetailsMissing(problem, tax_no_length)))


class AskInvoiceDetail(TurnAction):
    """The invoice form's question for the title or the tax number; asked twice already, a
    person is offered instead (the form stays open: a right answer is still taken)."""

    slot = ""

    @abstractmethod
    def name(self) -> str:
        """`action_ask_<slot>`: Rasa's form asks with it instead of the response."""

    def act(self, turn: Turn) -> list[EventType]:
        if stuck(turn.tracker, self.slot):
            offer_a_person(turn.out)
        else:
            turn.utter(f"utter_ask_{self.slot}")
        return []


class ActionAskInvoiceTitle(AskInvoiceDetail):
    slot = "invoice_title"

    def name(self) -> str:
        return "action_ask_invoice_title"


class ActionAskInvoiceTaxNo(AskInvoiceDetail):
    slot = "invoice_tax_no"

    def name(self) -> str:
        return "action_ask_invoice_tax_no"


def latest_kind(tracker: Tracker) -> InvoiceKind | None:
    """The invoice kind the shopper named last since the invoice need was noted."""
    for event in reversed(tracker.events):
        if noted_need(event) is not None:
            return None
        if event.get("event") == "user":
            kind = kind_named(str(event.get("text") or ""))
            if kind is not None:
                return kind
    return None


class ActionConfirmInvoice(TurnAction):
    """After the invoice form: the company invoice said back for a yes, or why it cannot be."""

    def name(self) -> str:
        return "action_confirm_invoice"

    def act(self, turn: Turn) -> list[EventType]:
        done: list[EventType] = [SlotSet(ORDER_NEED, None)]
        tracker = turn.tracker
        if tracker.get_slot("lookup_blocked"):
            turn.utter("utter_lookup_blocked")
            return done
        order = verified_order(turn.session, tracker)
        if order is None:
            turn.utter("utter_order_not_verified")
            return done
        wish = with_email_said(tracker, read_invoice_wish(need_words(tracker)))
        if invoice_on_record(turn.session, order, wish):  # already asked for: where it is
            status = invoice_status(turn.session, order, turn.now)
            turn.say(status, buttons=next_buttons(status))
            return done
        if (refused := invoice_refusal(turn.session, order, turn.now)) is not None:
            turn.say(refused, buttons=next_buttons(refused))
            return done
        if (kind := latest_kind(tracker)) is not None:  # 那普票也行: the last word on it wins
            wish = replace(wish, kind=kind)
        details = wished_details(
            wish, tracker.get_slot("invoice_title"), tracker.get_slot("invoice_tax_no")
        )
        if not isinstance(details, InvoiceDetails):
            turn.utter("utter_invoice_stopped")
            return done
        waiting = confirm_invoice(turn, order.order_no, details)
        return [*done, SlotSet("pending_request", waiting), SlotSet("lookup_failures", 0)]

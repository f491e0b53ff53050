"""What to do for each kind of order request once the order is verified.

Each handler asks the domain and says its facts; what needs a person (repairs, remedies that
need approval) goes to an agent with the verified order attached.
"""

from collections.abc import Callable
from dataclasses import dataclass

from rasa_sdk import Tracker

from bot.actions.common import Turn
from conversations.models import EscalationReason
from conversations.service import hand_over
from shop import aftersales, logistics
from shop.logistics import CaseOpened, NoParcelYet
from shop.models import CaseKind, Order
from shop.tracking import order_progress
from words.render import Button, phrase


@dataclass(frozen=True)
class OrderRequest:
    """A verified order and what the shopper asked about it, in their own words."""

    turn: Turn
    order: Order
    intent: str  # e.g. report_wrong_or_missing_item
    words: str  # the message asking for it (not the phone tail that verified the order)


def asked_request(tracker: Tracker) -> tuple[str, str]:
    """The shopper's latest order request in this session and its words (tracking if none).

    Read from the conversation itself: the order lookup that follows the request may take a
    few messages (order number, phone tail, a question in between).
    """
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intent = (event.get("parse_data", {}).get("intent") or {}).get("name")
        if intent in ORDER_REQUEST_HANDLERS:
            return intent, event.get("text") or ""
    return "track_order", tracker.latest_message.get("text") or ""


def _track(r: OrderRequest) -> None:
    r.turn.say(order_progress(r.order, r.turn.now))


def _cancel(r: OrderRequest) -> None:
    turn = r.turn
    turn.say(
        aftersales.cancel(turn.session, r.order, turn.now, conversation_id=turn.conversation_id)
    )


def _return(r: OrderRequest) -> None:
    turn = r.turn
    outcome = aftersales.request_return(
        turn.session, r.order, turn.now, r.words, conversation_id=turn.conversation_id
    )
    refused = isinstance(outcome, aftersales.ReturnWindow)
    r.turn.say(outcome, buttons=[Button.HUMAN] if refused else [])


def _refund(r: OrderRequest) -> None:
    r.turn.say(aftersales.refund_status(r.order))


def _repair(r: OrderRequest) -> None:
    warranty = aftersales.warranty(r.order, r.turn.now)
    hand_over(
        r.turn.session,
        r.turn.conversation_id,
        EscalationReason.REPAIR,
        order_no=r.order.order_no,
        detail=r.words,
    )
    r.turn.out.utter_message(text=phrase("repair_passed_on", warranty=warranty))


MISSING_WORDS = ("少", "漏", "缺", "没收到赠品", "没有赠品", "只有一")
CASE_KIND_BY_INTENT = {
    "report_delivery_delay": CaseKind.DELAYED,
    "report_lost_parcel": CaseKind.LOST,
    "report_damaged_item": CaseKind.DAMAGED,
    "report_wrong_or_missing_item": CaseKind.WRONG_ITEM,
}


def _logistics_case(r: OrderRequest) -> None:
    """Check the real tracking, open a case with the remedies the policy allows."""
    kind = CASE_KIND_BY_INTENT[r.intent]
    if kind == CaseKind.WRONG_ITEM and any(word in r.words for word in MISSING_WORDS):
        kind = CaseKind.MISSING_ITEM
    turn = r.turn
    outcome = logistics.open_case(
        turn.session, r.order, kind, turn.now, conversation_id=turn.conversation_id, detail=r.words
    )
    offer_human = isinstance(outcome, NoParcelYet) and outcome.offer_human
    turn.say(outcome, buttons=[Button.HUMAN] if offer_human else [])
    if isinstance(outcome, CaseOpened) and outcome.needs_approval:  # an agent approves it
        hand_over(
            turn.session,
            turn.conversation_id,
            EscalationReason.REMEDY_APPROVAL,
            reason_detail=outcome.report.kind.value,
            case_id=outcome.case_id,
            order_no=r.order.order_no,
            detail=r.words,
        )


ORDER_REQUEST_HANDLERS: dict[str, Callable[[OrderRequest], None]] = {
    "track_order": _track,
    "cancel_order": _cancel,
    "request_return_exchange": _return,
    "ask_refund_status": _refund,
    "request_repair": _repair,
    **dict.fromkeys(CASE_KIND_BY_INTENT, _logistics_case),
}

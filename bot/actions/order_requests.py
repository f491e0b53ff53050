"""What to do for each kind of order request once the order is verified.

Each handler asks the domain and says its facts; what needs a person (repairs, remedies that
need approval) goes to an agent with the verified order attached. Nothing hard to undo happens
on a misunderstanding: a cancel or a return is first said back, exactly, for a yes.
"""

from collections.abc import Callable
from dataclasses import dataclass

from rasa_sdk import Tracker

from bot.actions import order_services
from bot.actions.case_questions import answer_case_question
from bot.actions.common import Turn
from conversations.models import EscalationReason
from conversations.service import hand_over
from shop import aftersales, logistics
from shop.logistics import AFTER_DELIVERY, CaseOpened, NoParcelYet
from shop.models import AfterSaleStatus, CaseKind, Order
from shop.tracking import order_progress
from words.render import Button, phrase, say


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
    few messages (order number, phone tail, a question in between). An invoice or 价保 need
    the FAQ action noted (slot `order_need`) is a request too, in the words that asked it.
    """
    noted = None
    for event in reversed(tracker.events):
        if noted is None and (noted := order_services.noted_need(event)) is not None:
            continue
        if event.get("event") != "user":
            continue
        text = event.get("text") or ""
        if noted is not None:
            return noted, text
        intent = (event.get("parse_data", {}).get("intent") or {}).get("name")
        if intent in ORDER_REQUEST_HANDLERS:
            return order_services.redirected(intent, text), text
    return "track_order", tracker.latest_message.get("text") or ""


def _track(r: OrderRequest) -> None:
    # 还要等多久 after a damaged or wrong item is about its case, not the delivered parcel
    if answer_case_question(r.turn, r.words, r.order.order_no, AFTER_DELIVERY):
        return
    r.turn.say(order_progress(r.order, r.turn.now))


CONFIRM_BUTTONS = [Button.CONFIRM_REQUEST, Button.KEEP_REQUEST]


def _cancel(r: OrderRequest) -> str | None:
    """Say what cancelling will do and wait for the shopper's yes (or why it cannot be done)."""
    checked = aftersales.cancel_check(r.order)
    confirm = isinstance(checked, aftersales.CancelToConfirm)
    r.turn.say(checked, buttons=CONFIRM_BUTTONS if confirm else [])
    return r.intent if confirm else None


def _return(r: OrderRequest) -> str | None:
    """Say what the return request will be and wait for the yes (or why it cannot be made)."""
    if answer_case_question(r.turn, r.words, r.order.order_no):  # 多久能给我换好: the open case
        return None
    checked = aftersales.return_check(r.order, r.turn.now)
    if isinstance(checked, aftersales.ReturnToConfirm):
        r.turn.say(checked, buttons=CONFIRM_BUTTONS)
        return r.intent
    refused = isinstance(checked, aftersales.ReturnWindow)
    r.turn.say(checked, buttons=[Button.HUMAN] if refused else [])
    return None


def carry_out(r: OrderRequest) -> None:
    """The request the shopper has just confirmed (the domain checks it again)."""
    turn = r.turn
    if r.intent in order_services.SERVICES:
        order_services.carry_out(turn, r.intent, r.words, r.order.order_no)
        return
    if r.intent == "cancel_order":
        cancelled = aftersales.cancel(
            turn.session, r.order, turn.now, conversation_id=turn.conversation_id
        )
        turn.say(cancelled)
        return
    outcome = aftersales.request_return(
        turn.session, r.order, turn.now, r.words, conversation_id=turn.conversation_id
    )
    refused = isinstance(outcome, aftersales.ReturnWindow)
    turn.say(outcome, buttons=[Button.HUMAN] if refused else [])


def _refund(r: OrderRequest) -> None:
    status = aftersales.refund_status(r.order, r.turn.now)
    # a person explains a rejection, or looks for money that should have arrived
    human = status.status == AfterSaleStatus.REJECTED or status.should_have_arrived
    r.turn.say(status, buttons=[Button.HUMAN] if human else [])


def _repair(r: OrderRequest) -> None:
    """The warranty of the item to repair (asked with a button per item when the order holds
    several and the shopper named none), then an agent arranges the repair."""
    item = aftersales.repair_item(r.order, r.words)
    if isinstance(item, aftersales.WhichItemToRepair):
        buttons = [
            {"title": name, "payload": f'/request_repair{{"product":"{code}"}}'}
            for code, name in zip(item.product_codes, item.product_names, strict=True)
        ]
        r.turn.out.utter_message(text=say(item), buttons=buttons)
        return
    warranty = aftersales.warranty(r.order, item, r.turn.now)
    hand_over(
        r.turn.session,
        r.turn.conversation_id,
        EscalationReason.REPAIR,
        order_no=r.order.order_no,
        detail=_typed_words(r.turn.tracker, r.intent) or r.words,
    )
    r.turn.out.utter_message(text=phrase("repair_passed_on", warranty=warranty))


def _typed_words(tracker: Tracker, intent: str) -> str | None:
    """The shopper's latest own words for `intent` (not a button's payload)."""
    for event in reversed(tracker.events):
        text = event.get("text") or ""
        named = (event.get("parse_data", {}).get("intent") or {}).get("name")
        if event.get("event") == "user" and named == intent and not text.startswith("/"):
            return text
    return None


MISSING_WORDS = ("少", "漏", "缺", "没收到赠品", "没有赠品", "只有一")
CASE_KIND_BY_INTENT = {
    "report_delivery_delay": CaseKind.DELAYED,
    "report_lost_parcel": CaseKind.LOST,
    "report_damaged_item": CaseKind.DAMAGED,
    "report_wrong_or_missing_item": CaseKind.WRONG_ITEM,
}


def _logistics_case(r: OrderRequest) -> None:
    """Check the real tracking, open a case with the remedies the policy allows (or answer a
    question about the case already open here: 照片怎么发给你, 能不能快点)."""
    if answer_case_question(r.turn, r.words, r.order.order_no):
        return
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


# Each handler answers; one that needs the shopper's yes first returns the request it waits for.
ORDER_REQUEST_HANDLERS: dict[str, Callable[[OrderRequest], str | None]] = {
    "track_order": _track,
    "cancel_order": _cancel,
    "request_return_exchange": _return,
    "ask_refund_status": _refund,
    "request_repair": _repair,
    **dict.fromkeys(CASE_KIND_BY_INTENT, _logistics_case),
    order_services.INVOICE: lambda r: order_services.answer_invoice(
        r.turn, r.words, r.order.order_no
    ),
    order_services.PRICE_PROTECTION: lambda r: order_services.answer_price_protection(
        r.turn, r.words, r.order.order_no
    ),
}

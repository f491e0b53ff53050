"""What to do for each kind of order request once the order is verified.

Each handler answers from the shop's real data; what needs a person (repairs, remedies that
need approval) goes to an agent with the verified order attached.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from bot.actions.common import HUMAN_BUTTON
from conversations.service import hand_over
from shop import aftersales, logistics
from shop.models import Order
from shop.tracking import describe_progress, order_progress


@dataclass(frozen=True)
class OrderRequest:
    session: Session
    order: Order
    request: str  # the intent, e.g. report_wrong_or_missing_item
    text: str  # the shopper's words asking for it (not the phone tail that verified the order)
    tracker: Tracker
    out: CollectingDispatcher
    now: datetime


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
    r.out.utter_message(text=describe_progress(order_progress(r.order, r.now), r.now))


def _cancel(r: OrderRequest) -> None:
    r.out.utter_message(text=aftersales.cancel(r.session, r.order, r.now).message)


def _return(r: OrderRequest) -> None:
    if aftersales.pending_return(r.order) is not None:
        r.out.utter_message(
            text="这个订单已经有一个退换货申请在处理中了，客服审核通过后会把寄回地址发给您，"
            "不用重复申请哦。"
        )
        return
    verdict = aftersales.return_window(r.order, r.now)
    if not verdict.allowed:
        r.out.utter_message(text=verdict.message, buttons=[HUMAN_BUTTON])
        return
    aftersales.open_return(r.session, r.order, r.now, r.text or "退换货")
    r.out.utter_message(
        text=verdict.message
        + "已为您提交退换货申请，客服审核通过后会把寄回地址发给您，请留意消息。"
    )


def _refund(r: OrderRequest) -> None:
    r.out.utter_message(text=aftersales.refund_status(r.order))


def _repair(r: OrderRequest) -> None:
    verdict = aftersales.warranty(r.order, r.now)
    hand_over(
        r.session, r.tracker.sender_id, reason="repair", order_no=r.order.order_no, detail=r.text
    )
    r.out.utter_message(
        text=verdict.message + "我已经把您的情况转给售后同事，他们会联系您安排维修。"
    )


MISSING_WORDS = ("少", "漏", "缺", "没收到赠品", "没有赠品", "只有一")
CASE_KIND_BY_INTENT = {
    "report_delivery_delay": "delayed",
    "report_lost_parcel": "lost",
    "report_damaged_item": "damaged",
    "report_wrong_or_missing_item": "wrong_item",
}


def _logistics_case(r: OrderRequest) -> None:
    """Check the real tracking, open a case with the remedies the policy allows."""
    kind = CASE_KIND_BY_INTENT[r.request]
    if kind == "wrong_item" and any(word in r.text for word in MISSING_WORDS):
        kind = "missing_item"
    outcome = logistics.open_case(
        r.session, r.order, kind, r.now, conversation_id=r.tracker.sender_id, detail=r.text
    )
    r.out.utter_message(text=outcome.message, buttons=[HUMAN_BUTTON] if outcome.offer_human else [])
    if outcome.needs_approval and outcome.case is not None:  # an agent approves the remedy
        hand_over(
            r.session,
            r.tracker.sender_id,
            reason=f"remedy_approval:{outcome.case.kind}",
            order_no=r.order.order_no,
            detail=f"物流跟进单 #{outcome.case.id}：{'、'.join(outcome.case.remedies)}；{r.text}",
        )


ORDER_REQUEST_HANDLERS: dict[str, Callable[[OrderRequest], None]] = {
    "track_order": _track,
    "cancel_order": _cancel,
    "request_return_exchange": _return,
    "ask_refund_status": _refund,
    "request_repair": _repair,
    **dict.fromkeys(CASE_KIND_BY_INTENT, _logistics_case),
}

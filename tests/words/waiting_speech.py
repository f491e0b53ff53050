"""Everything said about a request still waiting for its yes after a question (its answer, its
steps) and about an order its shopper says they did not cancel, for the words tests."""

from collections.abc import Callable
from datetime import datetime

from shop import aftersales, earlier_actions, request_details, skin_reactions, waiting_requests
from shop.models import Order
from words.render import say

# Facts said in these flows' words, for SPOKEN_FACTS.
SPOKEN = (
    waiting_requests.RequestStillWaiting,
    earlier_actions.CancelledUnasked,
    request_details.RequestDetailHeard,
    waiting_requests.WarrantyAsked,
    waiting_requests.RepairCostAsked,
    skin_reactions.ReactionAfterUse,
)
# What may wait for a yes (slot `pending_request`): a cancel, a return, a quality return, others.
PENDING = ("cancel_order", "request_return_exchange", "quality_return", "invoice")


def speak_waiting(order: Order, now: datetime, speak: Callable[[object], None]) -> None:
    """Every request waiting, with the order's return window as the answer and without, with
    its steps; the cancellation an order's shopper did not ask for, when it is cancelled."""
    answer = say(aftersales.return_window(order, now))
    for pending in PENDING:
        for said, steps in ((answer, False), (None, True)):
            speak(waiting_requests.still_waiting(order.order_no, pending, said, steps))
    # a wish heard on a fresh-food claim, and photos said taken
    speak(request_details.RequestDetailHeard(order.order_no, "补发还走顺丰吧", noted=True))
    speak(request_details.RequestDetailHeard(order.order_no, photos_taken=True))
    # the warranty asked about while another request waits: every item's
    products = aftersales.order_products(order)
    warranties = tuple(aftersales.warranty(order, product, now) for product in products)
    speak(waiting_requests.WarrantyAsked(warranties))
    for warranty in warranties:  # what the repair said back costs
        speak(waiting_requests.RepairCostAsked(warranty))
    if (cosmetics := skin_reactions.cosmetics_of(order)) is not None:  # 涂完嘴巴有点痒
        policy = "使用后出现过敏等不良反应的，请立即停用，提供诊断证明后可以退货退款。"
        speak(skin_reactions.ReactionAfterUse(order.order_no, cosmetics, policy))
    if (unasked := earlier_actions.cancelled_unasked(order, now)) is not None:
        speak(unasked)

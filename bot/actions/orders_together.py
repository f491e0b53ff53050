"""Several orders given in one message (跑鞋7507… 羽绒服5431…): each request is served on the
order whose goods its clause names (shop/orders_together.py), all of one shopper (the phone
tail that verified the first)."""

from rasa_sdk.events import EventType, SlotSet

from bot.actions.common import Turn, typed_texts
from bot.actions.order_requests import OrderRequest, request_of
from conversations.needs import SERVED_BY, Part, asked_needs, clauses, needs_in, parts_apart
from shop.models import Order
from shop.orders import find_verified_order
from shop.orders_together import GivenOrder, order_named_in, orders_given_together


def order_of_the_request(turn: Turn, order: Order, intent: str) -> tuple[Order, list[EventType]]:
    """The order the request (`intent`) is about: `order`, the verified one, unless it was given
    together with others of the same shopper and the request's clause names another's goods;
    the events that make that one the verified order."""
    given = _given_with(turn, order.order_no)
    if not given:
        return order, []
    for text in reversed(typed_texts(turn.tracker)):
        for part in parts_apart(text):
            if intent not in _requests_told(part):
                continue
            # 还有薇诺娜那单 说退款完成了: the goods may be named in another part of its message
            named = order_named_in(turn.session, given, part.text)
            chosen = named or order_named_in(turn.session, given, text)
            if chosen is None or chosen.order_no == order.order_no:
                return order, []
            return chosen, [
                SlotSet("verified_order_no", chosen.order_no),
                SlotSet("order_id", chosen.order_no),
            ]
    return order, []


def _requests_told(part: Part) -> set[str]:
    """The order requests a part of a message asks for or tells, each by the request that
    serves it: the need it tells (热水器现在秒杀999 我3天前1099买的 能退100吗: the 价保), and any
    its clauses ask for or name (说退款完成了: the refund, if not asked in so many words)."""
    requests = {request_of(part.told)} if part.told is not None else set()
    for clause in clauses(part.text):
        needs = asked_needs(clause.text) or needs_in(clause.text)
        requests |= {SERVED_BY[n].faq_topic or SERVED_BY[n].intent for n in needs}
    return {r for r in requests if r is not None}


# How many of the shopper's latest messages may tell the needs the orders given together serve.
NEEDS_READ_BACK = 4


def other_request_given_together(turn: Turn, served: Order, intent: str) -> OrderRequest | None:
    """The other need of the shopper's, when several orders were given in one message and a
    part of their words tells another request about another of those orders' goods ("羽绒服拍了
    好几天还没发 还有昨晚到的橙子烂了好几个", then "羽绒服6749… 橙子5704…": the oranges' claim, once
    the jacket's chase is served); None when there is none."""
    given = _given_with(turn, served.order_no)
    if not given:
        return None
    for text in reversed(typed_texts(turn.tracker)[-NEEDS_READ_BACK:]):
        for part in parts_apart(text):
            request = request_of(part.told) if part.told is not None else None
            if request is None or request == intent:
                continue
            other = order_named_in(turn.session, given, part.text)
            if other is not None and other.order_no != served.order_no:
                return OrderRequest(turn, other, request, part.text)
    return None


def _given_with(turn: Turn, order_no: str) -> list[GivenOrder]:
    """The orders given in the message that gave `order_no`, when it gave several and each is
    the shopper's (the tail that verified it matches); empty otherwise."""
    tail = turn.tracker.get_slot("phone_tail")
    for text in reversed(typed_texts(turn.tracker)):
        given = orders_given_together(text)
        if order_no not in {g.order_no for g in given}:
            continue
        if not tail or any(
            find_verified_order(turn.session, g.order_no, str(tail)) is None for g in given
        ):
            return []
        return given
    return []

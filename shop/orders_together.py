"""Several orders given in one message, each need matched to its order.

"我两单 一个跑鞋到哪了 一个孩子羽绒服退货寄哪", then "跑鞋7507… 羽绒服5431…": the return is the
coat order's and the tracking the shoes'. Each order number is read with the words just before
it (跑鞋, 羽绒服); a need's clause names goods (羽绒服退货寄哪); the order whose goods or label
the clause names is the need's. One order, or no clear match, leaves the order verified as is.
"""

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from core.text import normalise
from shop.category_words import category_word_named
from shop.models import Order
from shop.orders import ORDER_NO_PATTERN, load_order
from shop.product_names import compact, named_products

_LABEL_NOISE = re.compile(r"[^\u4e00-\u9fffA-Za-z]+|订单号?|单号|的|那单|这单|是")


@dataclass(frozen=True)
class GivenOrder:
    """An order number as given in a message, and the words just before it (跑鞋)."""

    order_no: str
    label: str


def orders_given_together(text: str) -> list[GivenOrder]:
    """The order numbers one message gives, each with the words before it; empty when it gives
    fewer than two."""
    clean = normalise(text)
    given: list[GivenOrder] = []
    start = 0
    for match in ORDER_NO_PATTERN.finditer(clean):
        number = match.group(0)
        if number not in {g.order_no for g in given}:
            label = _LABEL_NOISE.sub("", clean[start : match.start()])
            given.append(GivenOrder(number, label))
        start = match.end()
    return given if len(given) > 1 else []


def order_named_in(session: Session, given: list[GivenOrder], clause: str) -> Order | None:
    """The one order among `given` whose goods (or whose label) the clause names (孩子羽绒服退货
    寄哪: the coat's order); None when none or several match."""
    words = compact(clause)
    kind = category_word_named(clause)
    named = set(named_products(session, clause))
    matches = []
    for one in given:
        order = load_order(session, one.order_no)
        if order is None:
            continue
        own = {item.variant.product for item in order.items}
        labelled = len(one.label) >= 2 and one.label in words
        by_kind = kind is not None and kind[0] in {p.category.code for p in own}
        if labelled or bool(own & named) or by_kind:
            matches.append(order)
    return matches[0] if len(matches) == 1 else None

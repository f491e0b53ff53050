"""Helpers for the shop's domain tests."""

from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.events import Event, EventName
from shop.demo.seed import ORDERS_FILE, load_yaml
from shop.models import Order, Product
from shop.presale import ProductFact
from shop.product_questions import ProductFacts


def demo_order(db: Session, situation: str, which: int = 0) -> Order:
    """A demo order in `situation`: the first by default, `which=-1` for the last."""
    order_nos = [
        s["order_no"] for s in load_yaml(ORDERS_FILE)["orders"] if s["situation"] == situation
    ]
    return db.scalars(select(Order).where(Order.order_no == order_nos[which])).one()


def catalogue_product(db: Session, code: str) -> Product:
    """The demo catalogue's product `code` (P1001)."""
    return db.scalars(select(Product).where(Product.code == code)).one()


def facts_of(answer: object) -> dict[str, str]:
    """The facts a product answer gives, by attribute (one fact or several)."""
    if isinstance(answer, ProductFact):
        return {answer.attribute: answer.value}
    assert isinstance(answer, ProductFacts), answer
    return dict(answer.facts)


def demo_orders(db: Session, situation: str) -> list[Order]:
    """Every demo order in `situation`, in the demo file's order."""
    count = sum(s["situation"] == situation for s in load_yaml(ORDERS_FILE)["orders"])
    return [demo_order(db, situation, which) for which in range(count)]


@pytest.fixture
def recorded(db: Session) -> Callable[[EventName], list[Event]]:
    """The events the test records: `recorded(EventName.X)` lists those named X, oldest first.

    The demo's seeded events are left out: only rows added after the test started count.
    """
    before = db.scalar(select(func.max(Event.id))) or 0

    def events(name: EventName) -> list[Event]:
        query = select(Event).where(Event.id > before, Event.name == name).order_by(Event.id)
        return list(db.scalars(query))

    return events

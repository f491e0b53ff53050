"""Helpers for the shop's domain tests."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from shop.demo.seed import ORDERS_FILE, load_yaml
from shop.models import Order


def demo_order(db: Session, situation: str, which: int = 0) -> Order:
    """A demo order in `situation`: the first by default, `which=-1` for the last."""
    order_nos = [
        s["order_no"] for s in load_yaml(ORDERS_FILE)["orders"] if s["situation"] == situation
    ]
    return db.scalars(select(Order).where(Order.order_no == order_nos[which])).one()

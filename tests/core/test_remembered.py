from sqlalchemy.orm import Session

from core.database import forget, remembered, remembers
from shop.orders import load_order
from tests.bot.conftest import demo_order


def test_a_read_is_made_once_per_session_until_forgotten(db: Session) -> None:
    reads: list[int] = []

    def read() -> int:
        reads.append(1)
        return len(reads)

    assert remembered(db, "answer", read) == 1
    assert remembered(db, "answer", read) == 1
    assert remembers(db, "answer")
    forget(db, "answer")
    assert not remembers(db, "answer")
    assert remembered(db, "answer", read) == 2


def test_an_order_is_loaded_once_per_session_and_again_once_let_go(db: Session) -> None:
    order_no, _tail = demo_order("in_transit")
    order = load_order(db, order_no)
    assert order is not None
    assert load_order(db, order_no) is order
    db.expunge(order)
    again = load_order(db, order_no)
    assert again is not None
    assert again is not order
    assert again in db


def test_an_order_not_found_is_not_remembered(db: Session) -> None:
    assert load_order(db, "NO-SUCH-ORDER") is None
    assert not remembers(db, ("order", "NO-SUCH-ORDER"))

"""The scheduled pass pushes follow-ups to the shopper and escalates overdue cases."""

import uuid
from datetime import timedelta

from sqlalchemy import select

from connectors.follow_ups import send_follow_ups
from conversations.models import Escalation, Sender
from conversations.service import messages_after
from core.clock import utcnow
from shop.demo.seed import ORDERS_FILE, load_yaml
from shop.logistics import CaseOpened, open_case
from shop.models import CaseKind, LogisticsCase, Order


def test_an_overdue_case_is_pushed_to_the_shopper_and_handed_to_an_agent(db):
    conversation = uuid.uuid4().hex
    order_no = next(
        s["order_no"] for s in load_yaml(ORDERS_FILE)["orders"] if s["situation"] == "late"
    )
    order = db.scalars(select(Order).where(Order.order_no == order_no)).one()
    opened = open_case(db, order, CaseKind.DELAYED, utcnow(), conversation_id=conversation)
    assert isinstance(opened, CaseOpened)
    db.get_one(LogisticsCase, opened.case_id).reply_by = utcnow() - timedelta(minutes=1)
    db.flush()

    assert send_follow_ups() == 1
    db.expire_all()
    pushed = messages_after(db, conversation)
    assert [(m.sender, "还在跟进" in m.text) for m in pushed] == [
        (Sender.BOT, True),
        (Sender.SYSTEM, False),  # where the shopper stands in the queue for a person
    ]
    assert "人工客服" in pushed[1].text
    escalation = db.scalars(
        select(Escalation).where(Escalation.conversation_id == conversation)
    ).one()
    assert (escalation.reason, escalation.reason_detail) == ("case_overdue", "delayed")
    assert escalation.order_no == order_no
    assert db.get_one(LogisticsCase, opened.case_id).overdue_notified_at is not None

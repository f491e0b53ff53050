"""The scheduled pass pushes follow-ups to the shopper and escalates overdue cases."""

import uuid
from datetime import timedelta

from sqlalchemy import select

from connectors.follow_ups import send_follow_ups
from connectors.rasa_client import BotReply
from connectors.storefront_chat import ChatGateway
from conversations.models import Escalation, Sender
from conversations.service import messages_after
from core.clock import utcnow
from core.database import get_session_factory
from shop.demo.seed import ORDERS_FILE, load_yaml
from shop.logistics import open_case
from shop.models import LogisticsCase, Order


class SilentBot:
    async def send(self, sender_id: str, text: str) -> list[BotReply]:
        return []


def test_an_overdue_case_is_pushed_to_the_shopper_and_handed_to_an_agent(seeded_at):
    sessions = get_session_factory()
    gateway = ChatGateway(SilentBot(), sessions)
    conversation = uuid.uuid4().hex
    order_no = next(
        s["order_no"] for s in load_yaml(ORDERS_FILE)["orders"] if s["situation"] == "late"
    )
    with sessions.begin() as session:
        order = session.scalars(select(Order).where(Order.order_no == order_no)).one()
        case = open_case(session, order, "delayed", utcnow(), conversation_id=conversation).case
        case.reply_by = utcnow() - timedelta(minutes=1)

    assert send_follow_ups(gateway, sessions) >= 1
    with sessions() as session:
        pushed = messages_after(session, conversation)
        assert [(m.sender, "还在跟进" in m.text) for m in pushed] == [(Sender.BOT, True)]
        escalation = session.scalars(
            select(Escalation).where(Escalation.conversation_id == conversation)
        ).one()
        assert escalation.order_no == order_no
        assert session.get(LogisticsCase, case.id).overdue_notified_at is not None

"""The scheduled job that re-checks open logistics cases and messages the shopper proactively."""

import asyncio
import logging

from sqlalchemy.orm import Session, sessionmaker

from connectors.storefront_chat import ChatGateway
from conversations.models import Sender
from conversations.service import hand_over
from core.clock import utcnow
from shop.logistics import recheck_open_cases

log = logging.getLogger(__name__)


def send_follow_ups(gateway: ChatGateway, sessions: sessionmaker[Session]) -> int:
    """One pass: every follow-up is stored, pushed to the shopper and, if overdue, escalated."""
    with sessions.begin() as session:
        follow_ups = recheck_open_cases(session, utcnow())
        for follow_up in follow_ups:
            if follow_up.escalate_order_no:
                hand_over(
                    session,
                    follow_up.conversation_id,
                    reason="case_overdue",
                    order_no=follow_up.escalate_order_no,
                )
    for follow_up in follow_ups:
        gateway.push(follow_up.conversation_id, Sender.BOT, follow_up.text)
    return len(follow_ups)


async def follow_up_loop(
    gateway: ChatGateway, sessions: sessionmaker[Session], every_s: float
) -> None:
    """Run `send_follow_ups` every `every_s` seconds until cancelled; a failed pass is logged."""
    while True:
        await asyncio.sleep(every_s)
        try:
            sent = await asyncio.to_thread(send_follow_ups, gateway, sessions)
            if sent:
                log.info("sent %d logistics follow-ups", sent)
        except Exception:  # a bad pass must not stop the next one
            log.exception("logistics follow-up pass failed")

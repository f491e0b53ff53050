"""The scheduled job that re-checks open logistics cases and messages the shopper proactively."""

import asyncio
import logging

from connectors.storefront_chat import ChatGateway
from conversations import service
from conversations.models import EscalationReason, Sender
from conversations.queue import waiting_notice
from conversations.service import hand_over
from core.clock import utcnow
from core.database import unit_of_work
from shop.logistics import FollowUpReason, recheck_open_cases
from words.render import say

log = logging.getLogger(__name__)


def send_follow_ups(gateway: ChatGateway) -> int:
    """One pass in one unit of work: each follow-up is stored in the transcript (and, when
    overdue, escalated) with the case's new state; then the shopper's open chats are woken."""
    with unit_of_work() as session:
        follow_ups = recheck_open_cases(session, utcnow())
        for follow_up in follow_ups:
            service.post(session, follow_up.conversation_id, Sender.BOT, say(follow_up))
            if follow_up.reason == FollowUpReason.OVERDUE:
                hand_over(
                    session,
                    follow_up.conversation_id,
                    EscalationReason.CASE_OVERDUE,
                    reason_detail=follow_up.kind.value,
                    case_id=follow_up.case_id,
                    order_no=follow_up.order_no,
                )
                wait = waiting_notice(session, follow_up.conversation_id, utcnow())
                if wait is not None:  # where the shopper stands in the queue for a person
                    service.post(session, follow_up.conversation_id, Sender.SYSTEM, say(wait))
    for follow_up in follow_ups:
        gateway.signal.notify(follow_up.conversation_id)
    return len(follow_ups)


async def follow_up_loop(gateway: ChatGateway, every_s: float) -> None:
    """Run `send_follow_ups` every `every_s` seconds until cancelled; a failed pass is logged."""
    while True:
        await asyncio.sleep(every_s)
        try:
            sent = await asyncio.to_thread(send_follow_ups, gateway)
            if sent:
                log.info("sent %d logistics follow-ups", sent)
        except Exception:  # a bad pass must not stop the next one
            log.exception("logistics follow-up pass failed")

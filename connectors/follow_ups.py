"""The scheduled job (jobs.tasks.logistics_follow_ups) that re-checks open logistics cases and
messages the shopper proactively. Once stored, the API workers are told (connectors.push), so
the shopper's open stream shows them at once; a stream that missed it reads them at its poll."""

from connectors.push import announce
from conversations import service
from conversations.models import EscalationReason, Sender
from conversations.queue import waiting_notice
from conversations.service import hand_over
from core.clock import utcnow
from core.database import one_at_a_time, unit_of_work
from core.settings import get_settings
from shop.logistics import FollowUpReason, recheck_open_cases
from words.render import say


def send_follow_ups() -> int:
    """One pass in one unit of work: each follow-up is stored in the transcript (and, when
    overdue, escalated) with the case's new state."""
    with unit_of_work() as session:
        one_at_a_time(session, "logistics_follow_ups")  # two workers' passes never overlap
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
    announce(get_settings().push_url, [f.conversation_id for f in follow_ups])
    return len(follow_ups)

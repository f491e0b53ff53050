"""Everything said to a shopper venting inside an open case (shop.case_heard), for the words
tests: every case, with and without the coupon named and an immediate demand, on time and late."""

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from shop import case_heard
from shop.models import LogisticsCase, Order

# Facts said in these flows' words, for SPOKEN_FACTS.
SPOKEN = (case_heard.VentingHeard,)


def speak_venting(
    db: Session, order: Order, now: datetime, speak: Callable[[object], None]
) -> None:
    """Venting heard on each of the order's open cases, every way it can be said."""
    cases = db.scalars(select(LogisticsCase).where(LogisticsCase.order_id == order.id))
    for case in cases:
        for when in (now, case.reply_by + timedelta(hours=1)):
            for compensation in (False, True):
                for right_now in (False, True):
                    speak(
                        case_heard.venting_heard(
                            db,
                            case,
                            when,
                            about_compensation=compensation,
                            right_now=right_now,
                        )
                    )

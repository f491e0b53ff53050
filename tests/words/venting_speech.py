"""Everything shop.case_heard says, for the words tests: venting inside every open case (with
and without the coupon named and an immediate demand, on time and late), a cancel thought aloud
with and without a chase going on, each kind of card named, and compensation asked."""

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from shop import case_heard
from shop.models import LogisticsCase, Order

# Facts said in these flows' words, for SPOKEN_FACTS.
SPOKEN = (
    case_heard.VentingHeard,
    case_heard.CancelWeighed,
    case_heard.CardHeard,
    case_heard.CompensationAsked,
)
PHRASES = {"cancel_weighed_cancel", "cancel_weighed_wait"}  # the weighed cancel's two buttons


def speak_venting(
    db: Session, order: Order, now: datetime, speak: Callable[[object], None]
) -> None:
    """Venting heard on each of the order's open cases, a cancel weighed on the order (chased or
    not) and the cards it may have been paid with, every way each can be said."""
    cases = list(db.scalars(select(LogisticsCase).where(LogisticsCase.order_id == order.id)))
    for case in [None, *cases]:
        if (weighed := case_heard.cancel_weighed(order, case, now)) is not None:
            speak(weighed)
        speak(case_heard.compensation_asked(order, case))
    for card, credit in (("招行信用卡", True), ("储蓄卡", False)):
        speak(case_heard.card_heard(order, card, credit, now))
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

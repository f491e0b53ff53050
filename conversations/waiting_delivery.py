"""A wish for where or when the parcel comes, sent while the conversation waits for a person.

"让快递放小区门卫", "明天再送吧": time-sensitive, so it is not only queued. On an order verified
in the conversation (the hand-over's order, the open case's, or the order number and phone tail
sent with the wish), it is the request the bot takes outside the queue: said back for a yes
(`shop.modifications.pending_change`: passed to the carrier that has the parcel, or noted for
the warehouse), and made on the yes that follows. On no verified order it is said plainly that
the person takes it up. A question about the wish (快递柜满了怎么办, 放门卫丢了谁负责) or a
report of a search (门卫那问过了 也没有) is no wish.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from conversations.models import Escalation, Message, Sender
from conversations.pending_replies import read_reply
from conversations.reading import TypedAnswer
from core.text import normalise
from shop.appointments import DeliveryAppointment, read_appointment
from shop.models import Order
from shop.modifications import (
    AppointmentToConfirm,
    ChangeField,
    ChangeRefused,
    DeliveryAppointed,
    OrderChanged,
    ValueRejected,
    apply_change,
    asks_for_change,
    change_refusal,
    check_value,
    pending_change,
    read_change,
)
from shop.orders import Verification, load_order, read_order_no, read_phone_tail, verify_order

# A number sent beside the wish (its order number, the phone tail): no day or hour of it.
NUMBERS = re.compile(r"\d{4,}")
# Words that put the wish as a worry or a question about it, not as the wish itself.
ASKS_ABOUT_IT = re.compile(
    r"怎么办|怎么弄|谁负责|算谁|丢了|安全吗|可以吗\S*还是|会不会|问过|找过|也没有"
)
# The payload the confirm button sends (words.render.Button.CONFIRM_REQUEST).
CONFIRM_PAYLOAD = "/affirm"


@dataclass(frozen=True)
class DeliveryWishHeld:
    """A delivery wish on an order not verified here: the person takes it up (`appointment`
    as read, said back); `mismatch` when the order number and phone tail sent with it do not
    match (nothing said of the order)."""

    appointment: DeliveryAppointment
    mismatch: bool = False


@dataclass(frozen=True)
class DeliveryWishKept:
    """The shopper said no to the wish said back while waiting: nothing passed on."""

    order_no: str


DeliveryWish = AppointmentToConfirm | DeliveryWishHeld | ChangeRefused | ValueRejected
DeliveryWishDone = DeliveryAppointed | DeliveryWishKept | ChangeRefused | ValueRejected


def wish_in(message: str, now: datetime) -> DeliveryAppointment | None:
    """The place or time the message asks the parcel to come at, on its own (让快递放小区门卫 +
    the order number and tail, 明天再送吧, 家里没人 放快递柜吧); None for a question about it or
    anything else."""
    words = NUMBERS.sub(" ", normalise(message))
    if ASKS_ABOUT_IT.search(words) or not asks_for_change(words):
        return None
    if read_change(words).field != ChangeField.DELIVERY_TIME:
        return None
    wish = read_appointment(words, now)
    return None if wish.empty else wish


def delivery_wish(
    session: Session,
    escalation: Escalation,
    order: Order | None,
    message: str,
    now: datetime,
    client: str | None = None,
) -> DeliveryWish | None:
    """The answer to a delivery wish sent while waiting (None: the message is none): said back
    for a yes on a verified order that can still take it, why not when it cannot, else held
    for the person."""
    wish = wish_in(message, now)
    if wish is None:
        return None
    mismatch = False
    if order is None and (number := read_order_no(message)) and (tail := read_phone_tail(message)):
        checked = verify_order(
            session, number, tail, escalation.conversation_id, now=now, client=client
        )
        order = checked.order if checked.outcome == Verification.VERIFIED else None
        mismatch = order is None
        if order is not None and escalation.order_no is None:
            escalation.order_no = order.order_no  # the person sees the order verified here
    if order is None:
        return DeliveryWishHeld(wish, mismatch)
    if (refused := change_refusal(order, ChangeField.DELIVERY_TIME)) is not None:
        return refused
    checked_value = check_value(ChangeField.DELIVERY_TIME, NUMBERS.sub(" ", message), order, now)
    if checked_value.value is None:
        return checked_value.rejected
    said_back = pending_change(order, ChangeField.DELIVERY_TIME, checked_value.value)
    assert isinstance(said_back, AppointmentToConfirm)  # a delivery time is an appointment
    return said_back


def reply_to_wish(
    session: Session, escalation: Escalation, message: str, now: datetime
) -> DeliveryWishDone | None:
    """The shopper's yes or no to the wish said back while waiting (the system's latest message
    offered the confirm button, right after the wish): on a yes, the wish made (passed to the
    carrier, or noted for the warehouse); None when the message answers no wish said back."""
    wish = _wish_said_back(session, escalation)
    if wish is None or escalation.order_no is None:
        return None
    order = load_order(session, escalation.order_no)
    answer = read_reply(message, None).answer
    if order is None or answer not in (TypedAnswer.YES, TypedAnswer.NO):
        return None
    if answer == TypedAnswer.NO:
        return DeliveryWishKept(order.order_no)
    # the wish as it was meant when sent (明天: the day after it was sent), checked again now
    said = check_value(
        ChangeField.DELIVERY_TIME, NUMBERS.sub(" ", wish.text), order, wish.created_at
    )
    if said.value is None:
        return said.rejected
    done = apply_change(
        session, order, ChangeField.DELIVERY_TIME, said.value, now, escalation.conversation_id
    )
    assert not isinstance(done, OrderChanged)  # a delivery time is an appointment
    return done


def _wish_said_back(session: Session, escalation: Escalation) -> Message | None:
    """The shopper's wish whose yes the system's latest message asked for, if it did."""
    latest = session.scalars(
        select(Message)
        .where(
            Message.conversation_id == escalation.conversation_id,
            Message.created_at >= escalation.created_at,
        )
        .order_by(Message.id.desc())
        .limit(3)
    ).all()
    # the shopper's message just stored, the system's line before it, the wish before that
    if len(latest) < 3 or latest[1].sender != Sender.SYSTEM or latest[2].sender != Sender.SHOPPER:
        return None
    offered = {str(b.get("payload")) for b in latest[1].buttons or []}
    return latest[2] if CONFIRM_PAYLOAD in offered else None

"""Follow-up questions and decisions about the problem being handled in this conversation.

Shoppers ask them in a few words the NLU reads as many things (out of scope, not understood, a
new report, a return, a FAQ): every action those land on first asks `answer_case_question`,
which answers from the case when one is open here and the message is one of its questions, and
from the problem said back or claimed without a case (bad fresh food, a quality return, a
problem described before the order was given) for a photo question. The order requests also
read a decision (能直接退款吗, 换成退款, 还是补发吧) with `answer_about_case`: said back with the
amount for a yes that records it on the case, never a second after-sale beside it. A decision
with no case open is read too (`choice_without_case`): bad fresh food described, or its claim
waiting for a yes (退钱就行 不用补发, 给我补发两个吧 不要退钱), has the claim said back with the
remedy chosen; keeping the item for some money (补偿点钱就行) is said back as a person's to
settle. Never a goodbye, a cancel or a no.
"""

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from sqlalchemy.orm import Session

from bot.actions import problem_cases
from bot.actions.common import (
    Turn,
    TurnAction,
    faq_answer,
    message_intent,
    typed_texts,
    verified_order,
)
from conversations.models import EscalationReason
from conversations.queue import who_to_turn_to
from conversations.reading import is_hypothetical
from conversations.service import hand_over
from faq.service import faq_search
from shop.aftersales import QUALITY_REASON, CancelToConfirm, cancel_check, delivered_at
from shop.case_questions import (
    PHOTO_SUBJECT,
    CaseChased,
    CaseChoice,
    CaseCoupon,
    CaseProgress,
    CaseQuestion,
    CaseTimeline,
    CompensationToConfirm,
    PhotoSubject,
    RemedySwitchToConfirm,
    ask_about_case,
    case_question,
    decided_choice,
    note_choice_if_lost,
    open_case_in,
    parcel_on_its_way,
    problem_photos,
    refund_on_its_way,
    remedy_choice,
    remedy_switch,
    returns_later,
    stated_choice,
)
from shop.logistics import IN_TRANSIT, CaseWithdrawn, withdraw_case
from shop.models import (
    AfterSaleKind,
    AfterSaleStatus,
    CaseKind,
    LogisticsCase,
    Order,
    OrderStatus,
    ShipmentStatus,
)
from shop.order_terms import TermsTopic, policy_in_order_terms
from shop.problems import ProblemKind, read_problem, says_parcel_found
from shop.product_names import goods_of_another_order, names_own_goods
from shop.waiting_requests import CANCEL, still_waiting
from words.render import Button

REMEDY_PENDING = problem_cases.REMEDY_PENDING  # a remedy chosen instead, waiting for a yes
# The problem each described problem's photos show.
SUBJECT_OF_PROBLEM = {
    ProblemKind.TRANSPORT_DAMAGE: PhotoSubject.DAMAGED,
    ProblemKind.WRONG_ITEM: PhotoSubject.WRONG_ITEM,
    ProblemKind.MISSING_ITEM: PhotoSubject.MISSING_ITEM,
    ProblemKind.SPOILED_FRESH: PhotoSubject.FRESH,
    ProblemKind.QUALITY_DEFECT: PhotoSubject.QUALITY,
}
FRESH_CLAIM_KINDS = (AfterSaleKind.REFUND_ONLY, AfterSaleKind.RESEND)
FRESH_CLAIM_REASON = "生鲜坏果"  # how shop.fresh_food starts a claim's reason
DESCRIBED_WITHIN = 6  # the shopper's latest messages read for the problem they described


@dataclass(frozen=True)
class Answered:
    """The bot answered from the case; `waiting` is the choice said back for a yes, if any."""

    waiting: str | None = None


def answer_parcel_found(turn: Turn) -> list[EventType] | None:
    """The parcel of the late or lost parcel's case open here turned up (找到了 放隔壁楼驿站了),
    or the shopper takes the case back (那个登记撤了吧): the case withdrawn, and said so; one
    said back and still waiting for its yes is dropped (its events). None, nothing said,
    otherwise. What would happen if it turned up (要是后面原来那个又找到了呢) withdraws nothing."""
    if not says_parcel_found(turn.text) or is_hypothetical(turn.text):
        return None
    case = open_case_in(turn.session, turn.conversation_id, None)
    if case is not None and case.kind in IN_TRANSIT:
        turn.say(withdraw_case(turn.session, case, turn.now))
        return []
    order = verified_order(turn.session, turn.tracker)
    waiting = turn.tracker.get_slot("pending_request")
    if order is None or waiting not in {problem_cases.CASE_PENDING[k] for k in IN_TRANSIT}:
        return None
    # 找到了 我老婆帮我拿了, while the carrier's check waited for a yes: nothing to take back
    turn.say(CaseWithdrawn(order.order_no, CaseKind.LOST, None, registered=False))
    return [SlotSet("pending_request", None)]


def answer_case_question(
    turn: Turn,
    words: str | None = None,
    order_no: str | None = None,
    kinds: Collection[CaseKind] = tuple(CaseKind),
) -> bool:
    """Answer the message (or `words`) if it asks about the case open in this conversation
    (on this order, of these kinds, when given), or asks about the photos of the problem being
    handled; False when it does not, and nothing was said."""
    return answer_about_case(turn, words, order_no, kinds) is not None


def _of_another_order_than_in_focus(turn: Turn, case: LogisticsCase, text: str) -> bool:
    """Whether the case is on another order than the one verified last, and the words do not
    name that case's goods (寄回去的运费谁出 about the charger just given, the boots' chase
    open): the question is the order in focus's."""
    verified = turn.tracker.get_slot("verified_order_no")
    if not verified or case.order.order_no == verified:
        return False
    return not names_own_goods(turn.session, text, case.order)


def answer_about_case(
    turn: Turn,
    words: str | None = None,
    order_no: str | None = None,
    kinds: Collection[CaseKind] = tuple(CaseKind),
    decisions: bool = False,
) -> Answered | None:
    """`answer_case_question`, and with `decisions` (the caller keeps `pending_request`) a
    remedy chosen in plain words said back for a yes; None when nothing was said."""
    text = turn.text if words is None else words
    case = open_case_in(turn.session, turn.conversation_id, order_no)
    if case is not None and goods_of_another_order(turn.session, text, case.order) is not None:
        case = None  # 橙子烂了5个 照片拍了 beside the jacket's case: not about that case
    if case is not None and order_no is None and _of_another_order_than_in_focus(turn, case, text):
        case = None  # 保修怎么弄 with the charger's order in focus: not the boots' case
    if case is None or case.kind not in kinds:
        if decisions and (answered := _choose_before_case(turn, order_no)) is not None:
            return answered
        if decisions and (answered := _choose_without_case(turn, text, order_no)) is not None:
            return answered
        return _about_the_problem(turn, text, order_no)
    if (noted := _choice_if_lost(turn, case, text)) is not None:
        return noted
    choice = remedy_choice(text) if decisions else None
    switch = remedy_switch(case, choice, turn.now, text) if choice is not None else None
    if isinstance(switch, RemedySwitchToConfirm):
        turn.say(switch, buttons=problem_cases.CONFIRM_BUTTONS)
        return Answered(REMEDY_PENDING[switch.choice])
    if isinstance(switch, CompensationToConfirm):  # 补偿点钱就行: a person sets the amount
        turn.say(switch, buttons=problem_cases.CONFIRM_BUTTONS)
        return Answered(problem_cases.COMPENSATION)
    if switch is not None:  # not a remedy the policy gives for this case
        turn.say(switch, buttons=[Button.HUMAN])
        return Answered()
    question = case_question(text)
    if question is None:
        return None
    if question == CaseQuestion.RETURN_TRIP and case.kind in IN_TRANSIT and returns_later(text):
        # 收到以后不想要了 退回运费谁出 while the parcel is chased: a return of its own, whose
        # postage the order's terms say (the case itself has nothing to send back)
        messages = typed_texts(turn.tracker)
        terms = policy_in_order_terms(case.order, TermsTopic.RETURN_SHIPPING, turn.now, messages)
        if terms is not None:
            turn.say(terms)
            return Answered()
    answer = ask_about_case(turn.session, case, question, turn.now, words=text)
    if isinstance(answer, CaseChased | CaseTimeline | CaseProgress) and answer.passed_to_agent:
        hand_over_overdue(turn, case, text)
    no_coupon = isinstance(answer, CaseCoupon) and answer.coupon_yuan is None
    turn.say(answer, buttons=[Button.HUMAN] if no_coupon else [])
    return Answered()


def _choice_if_lost(turn: Turn, case: LogisticsCase, text: str) -> Answered | None:
    """A remedy settled on in words (我要重发) while the carrier checks a parcel signed but not
    received or stuck: written on the case and said back with what happens once the check
    ends, never the two remedies offered again. None for anything else."""
    choice = decided_choice(text)
    if choice is None:
        return None
    if (
        choice == CaseChoice.REFUND
        and case.kind == CaseKind.DELAYED
        and not parcel_on_its_way(case)
    ):
        # 不想等了 退钱吧 while its dispatch is chased: not shipped, so the cancel said back
        checked = cancel_check(case.order, turn.now)
        if isinstance(checked, CancelToConfirm):
            turn.say(checked, buttons=problem_cases.CONFIRM_BUTTONS)
            return Answered(CANCEL)
        return None
    if (on_its_way := refund_on_its_way(case, choice, turn.now)) is not None:
        turn.say(on_its_way, buttons=[Button.HUMAN])  # 直接给我退款: the ways out, nothing noted
        return Answered()
    noted = note_choice_if_lost(case, choice, turn.now)
    if noted is None:
        return None
    turn.say(noted)
    return Answered()


class ChoiceWithoutCase(StrEnum):
    """What a remedy chosen in words with no case open here is about."""

    FRESH_CLAIM = "fresh_claim"  # bad fresh food: its claim said back with the remedy chosen
    COMPENSATION = "compensation"  # the item kept for some money: a person's to settle


def choice_without_case(
    session: Session, tracker: Tracker, text: str, order_no: str | None = None
) -> ChoiceWithoutCase | None:
    """Whether the words choose a remedy for a problem of the verified, delivered order with
    no case open on it: a fresh-food claim waiting for its yes, or bad fresh food described in
    the conversation (退钱就行 不用补发, 给我补发两个吧 不要退钱), or some money for keeping the
    item (补偿点钱就行) after any problem. Reads only: nothing is said or recorded."""
    choice = stated_choice(text)
    if choice is None:  # most short replies: no order read
        return None
    order = verified_order(session, tracker)
    if order is None or delivered_at(order) is None:
        return None
    if order_no is not None and order.order_no != order_no:
        return None
    if open_case_in(session, tracker.sender_id, order.order_no) is not None:
        return None  # the case's own remedies answer (`answer_about_case`)
    pending = tracker.get_slot("pending_request")
    if choice == CaseChoice.COMPENSATION and pending != problem_cases.FRESH_CLAIM:
        return ChoiceWithoutCase.COMPENSATION
    said = [*_recent_texts(tracker), text]
    spoiled = ProblemKind.SPOILED_FRESH in read_problem(" ".join(said), order).kinds
    if pending == problem_cases.FRESH_CLAIM or spoiled:
        return ChoiceWithoutCase.FRESH_CLAIM
    return None


def _recent_texts(tracker: Tracker) -> list[str]:
    """The shopper's typed messages before the latest one, the last `DESCRIBED_WITHIN`."""
    return typed_texts(tracker)[:-1][-DESCRIBED_WITHIN:]


def _choose_without_case(turn: Turn, text: str, order_no: str | None) -> Answered | None:
    """A remedy chosen with no case open here, said back for a yes (`choice_without_case`)."""
    about = choice_without_case(turn.session, turn.tracker, text, order_no)
    order = verified_order(turn.session, turn.tracker)
    if about is None or order is None:
        return None
    if about == ChoiceWithoutCase.COMPENSATION:
        turn.say(CompensationToConfirm(order.order_no, None), buttons=problem_cases.CONFIRM_BUTTONS)
        return Answered(problem_cases.COMPENSATION)
    return Answered(problem_cases.fresh_claim(turn, order))


def _choose_before_case(turn: Turn, order_no: str | None) -> Answered | None:
    """A remedy settled on while a damaged item's case waits for its yes (要补发 不要退钱):
    said back with the case, which goes on waiting (`problem_cases.say_choice_before_case`)."""
    pending = str(turn.tracker.get_slot("pending_request") or "")
    order = verified_order(turn.session, turn.tracker)
    if order is None or (order_no is not None and order.order_no != order_no):
        return None
    return Answered(pending) if problem_cases.say_choice_before_case(turn, order, pending) else None


def hand_over_overdue(turn: Turn, case: LogisticsCase, words: str) -> None:
    """A person takes over a case past its answer time, as the bot's answer says."""
    hand_over(
        turn.session,
        turn.conversation_id,
        EscalationReason.CASE_OVERDUE,
        reason_detail=case.kind.value,
        case_id=case.id,
        order_no=case.order.order_no,
        detail=words,
    )


def _about_the_problem(turn: Turn, text: str, order_no: str | None) -> Answered | None:
    """A photo question about a problem with no case open here: one said back (a fresh-food
    claim, a quality return, a case waiting for its yes), claimed on the verified order, or
    described before the order was given (收到的东西破了 … 照片怎么发)."""
    if case_question(text) != CaseQuestion.PHOTO_UPLOAD:
        return None
    pending = str(turn.tracker.get_slot("pending_request") or "")
    if pending not in problem_cases.PENDING and read_problem(text).kinds:
        return None  # 橙子烂了5个 照片拍了: the problem reported first, its photos with it
    order = verified_order(turn.session, turn.tracker)
    if order_no is not None and order is not None and order.order_no != order_no:
        order = None
    if order is not None and goods_of_another_order(turn.session, text, order) is not None:
        order = None  # 橙子烂了5个 照片拍了 on the jacket's order: the oranges' own order's
    subject = _subject_in_hand(turn, order)
    if subject is None:
        return None
    photos = problem_photos(order.order_no if order else None, subject, text)
    if order is not None and pending in problem_cases.PENDING:
        # 图拍好了 while the case said back waits for its yes: where they go, and the case
        # still waiting (never dropped)
        waiting = still_waiting(order.order_no, pending, turn.words(photos))
        turn.say(waiting, buttons=problem_cases.CONFIRM_BUTTONS)
        return Answered(pending)
    turn.say(photos)
    return Answered()


def _subject_in_hand(turn: Turn, order: Order | None) -> PhotoSubject | None:
    pending = str(turn.tracker.get_slot("pending_request") or "")
    if pending == problem_cases.FRESH_CLAIM:
        return PhotoSubject.FRESH
    if pending == problem_cases.QUALITY_RETURN:
        return PhotoSubject.QUALITY
    waiting = next((k for k, v in problem_cases.CASE_PENDING.items() if v == pending), None)
    if waiting is not None and PHOTO_SUBJECT[waiting] != PhotoSubject.NONE:
        return PHOTO_SUBJECT[waiting]
    for after_sale in reversed(order.after_sales if order is not None else []):
        if after_sale.status != AfterSaleStatus.REQUESTED:
            continue
        if after_sale.kind in FRESH_CLAIM_KINDS and after_sale.reason.startswith(
            FRESH_CLAIM_REASON
        ):
            return PhotoSubject.FRESH
        if after_sale.reason.startswith(QUALITY_REASON):
            return PhotoSubject.QUALITY
    described = [
        str(event.get("text") or "")
        for event in turn.tracker.events
        if event.get("event") == "user" and message_intent(event) in problem_cases.READ_INTENTS
    ][-DESCRIBED_WITHIN:]
    reading = read_problem(" ".join(described), order)
    return next((SUBJECT_OF_PROBLEM[k] for k in reading.kinds if k in SUBJECT_OF_PROBLEM), None)


def follow_up_on_parcel(turn: Turn, order: Order, words: str | None = None) -> bool:
    """A follow-up the NLU read as a cancel or a change of a shipped order (能不能快点,
    先不取消 帮我催, 换个快递重新发): answered from the case open here; with none open, a chase
    of a parcel on its way opens the late-parcel case (the tracking decides: late, or on
    schedule and said so). False when it is neither, and nothing was said."""
    if answer_case_question(turn, words, order.order_no):
        return True
    text = turn.text if words is None else words
    shipment = order.latest_shipment
    on_its_way = (
        order.status == OrderStatus.SHIPPED
        and shipment is not None
        and shipment.status != ShipmentStatus.DELIVERED
    )
    if not on_its_way or case_question(text) != CaseQuestion.HURRY:
        return False
    problem_cases.open_case(turn, order, CaseKind.DELAYED, text)  # asked in so many words
    return True


# How sure the knowledge base must be of a message read as out of scope to answer it.
OUT_OF_SCOPE_FAQ_SCORE = 0.6


class ActionAnswerOutOfScope(TurnAction):
    """A message the NLU finds out of scope is declined, unless it asks about the case open
    in this conversation (照片怎么发给你 reads as out of scope without the case) or closes it
    with a remark (下次给我挑好点的哈: thanked, with what happens next); with an order in hand
    nothing is a dead end: this chat's agents are offered."""

    def name(self) -> str:
        return "action_answer_out_of_scope"

    def act(self, turn: Turn) -> list[EventType]:
        # the case, a request waiting, the verified order's record, the talk: one chain reads
        # it (in_context imports this module, so it is imported here)
        from bot.actions.in_context import answer_in_context

        in_context = answer_in_context(turn)
        if in_context is not None:
            return in_context
        sure = faq_search.search(turn.session, turn.text, k=1)
        if sure.answered and sure.hits[0].score >= OUT_OF_SCOPE_FAQ_SCORE:
            # 人工几点上班, read as out of scope: the knowledge base's own answer
            turn.out.utter_message(text=faq_answer(turn, sure.hits[0].entry))
            return []
        if turn.tracker.get_slot("verified_order_no"):
            # 那怎么办 财务过不了 about the order in hand: no dead end, this chat's agents
            turn.say(who_to_turn_to(turn.now), buttons=[Button.HUMAN])
        else:
            turn.utter("utter_out_of_scope")
        return []

"""A complaint is heard and served before anyone is called.

The shopper hears an apology, then where the order stands (checked first when it is not yet:
the order lookup starts) and a button for a person. Only an outright demand for a person or a
formal complaint (我要投诉, 叫人工来) hands the conversation over at once, after the order's
state when it is known. A threat on a condition (再不发货我就退款) is a complaint, never a request.
Venting inside a case already open here (补偿呢 就这？, 别跟我说等24小时 我要现在) is heard: the
case goes on and what comes next (shop/case_heard.py), never the order's state again.
"""

from rasa_sdk.events import EventType, SlotSet

from bot.actions.case_questions import answer_case_question
from bot.actions.common import Turn, TurnAction, faq_answer, verified_order
from bot.actions.handoff import ActionHandOver
from bot.actions.in_context import answered_about_opened_goods, heard_in_case
from bot.actions.order_requests import ask_order_for_problem, earlier_order_holding
from bot.actions.periods import answer_pushback_on_a_period
from conversations.reading import is_about_an_order, is_question, wants_a_person
from conversations.short_messages import is_venting, names_compensation, wants_it_now
from faq.service import faq_search
from shop.case_questions import CaseQuestion, case_question
from shop.models import Order
from shop.opened_returns import asks_about_opened_goods
from shop.product_names import names_own_goods
from shop.tracking import order_progress
from words.render import Button

ORDER_LOOKUP = "order_lookup_form"
CHECK = "complaint_order_check"  # the slot: true starts the order lookup (bot/data/rules.yml)


class ActionAnswerComplaint(TurnAction):
    """Runs on `complain`."""

    def name(self) -> str:
        return "action_answer_complaint"

    def act(self, turn: Turn) -> list[EventType]:
        about_order = is_about_an_order(turn.text)
        order = verified_order(turn.session, turn.tracker)
        done = [SlotSet(CHECK, False)]
        # 羽绒服明天再不发我就不要了 with the oranges' claim in focus: the jacket's order, in
        # focus from now unless the claim still waits for its yes
        named = _earlier_order_named(turn, order) if order is not None else None
        if named is not None:
            order, about_order = named, True
            if not turn.tracker.get_slot("pending_request"):
                turn.refocused.append(named.order_no)
        if wants_a_person(turn.text):
            if order is not None and about_order:
                turn.say(order_progress(order, turn.now))
            return [*ActionHandOver().act(turn), *done]
        # 盒子拆了 东西没用过: a question about the no-reason rule, no complaint
        opened = answered_about_opened_goods(turn) if asks_about_opened_goods(turn.text) else None
        if opened is not None:
            return [*opened, *done]
        if answer_pushback_on_a_period(turn):  # 凭什么不行 after the 价保 window said over
            return done
        vents = is_venting(turn.text) or names_compensation(turn.text) or wants_it_now(turn.text)
        if order is not None and vents and heard_in_case(turn, order.order_no):
            return done  # 补偿呢 就这？ inside the case: heard, and what happens next
        if order is not None and _asks_of_the_case(turn):  # 别给我道歉 就告诉我哪天到
            return done
        if order is not None and about_order:
            turn.utter("utter_complaint_heard")
            turn.say(order_progress(order, turn.now))
            turn.utter("utter_complaint_offer_human", buttons=[Button.HUMAN])
            return done
        if not about_order and order is None and ask_order_for_problem(turn, None):
            return done  # 手机怎么还不发 今天不发我就不要了: the late parcel met, its order asked
        if not about_order and order is None and _answered_as_a_question(turn):
            return done  # 你们有没有电话 我打过去说: the policy's answer, and a person offered
        looking_up = (turn.tracker.active_loop or {}).get("name") == ORDER_LOOKUP
        if about_order or looking_up:  # check the order first (a running lookup asks again)
            turn.utter("utter_complaint_check_order", buttons=[Button.HUMAN])
            return done if looking_up else [SlotSet(CHECK, True)]
        turn.utter("utter_complaint_ask_what", buttons=[Button.HUMAN])
        return done


def _earlier_order_named(turn: Turn, order: Order) -> Order | None:
    """The order verified earlier in this talk whose goods the complaint names, when the one
    in focus (`order`) does not hold them; None otherwise."""
    if names_own_goods(turn.session, turn.text, order):
        return None
    return earlier_order_holding(turn, turn.text, order.order_no)


def _asks_of_the_case(turn: Turn) -> bool:
    """A question about the case open here asked in anger (别给我道歉 就告诉我哪天到, 催完多久
    给我回话): the case's answer, never another apology. False, nothing said, otherwise."""
    if case_question(turn.text) in (None, CaseQuestion.CLOSING, CaseQuestion.REMEDY):
        return False  # a remedy named in anger (我现在就要退款) is no choice made
    return answer_case_question(turn)


def _answered_as_a_question(turn: Turn) -> bool:
    """A complaint that asks a question the knowledge base answers (你们有没有电话 我打过去说):
    that answer with a person offered, never "具体是哪里让您不满意". False, nothing said,
    otherwise."""
    if not is_question(turn.text):
        return False
    result = faq_search.search(turn.session, turn.text, k=1)
    if not result.answered:
        return False
    turn.out.utter_message(text=faq_answer(turn, result.hits[0].entry))
    turn.utter("utter_complaint_offer_human", buttons=[Button.HUMAN])
    return True

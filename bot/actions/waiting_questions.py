"""A question asked while a request said back waits for its yes (七天无理由对吧, 运费谁出,
好 那我怎么弄): answered from the order's record or the policy, then the request offered again
in one short line with its buttons. Never a yes, never the hesitation reply."""

import re
from collections.abc import Callable

from bot.actions.common import (
    Turn,
    earlier_texts,
    faq_answer,
    goods_in_focus,
    latest_intent,
    shopper_texts,
)
from bot.actions.order_services import PRICE_PROTECTION, REPAIR, answer_price_protection
from bot.actions.periods import period_explained
from bot.actions.problem_cases import (
    CASE_KIND_BY_INTENT,
    CASE_PENDING,
    CONFIRM_BUTTONS,
    FRESH_CLAIM,
    say_choice_before_case,
)
from conversations.needs import (
    RELATED_TOPICS,
    SERVED_BY,
    Need,
    PushbackHeard,
    asked_needs,
    needs_in,
)
from conversations.reading import Answer as TypedReply
from conversations.reading import (
    answer_to_confirmation,
    asks_how_to_go_on,
    is_question,
    pushes_back,
)
from conversations.short_messages import asks_compensation
from faq.service import faq_search
from shop import aftersales
from shop.case_questions import (
    CaseQuestion,
    approval_explained,
    case_question,
    remedy_before_case,
    reply_time_before_case,
    return_trip,
    returns_later,
)
from shop.logistics import IN_TRANSIT
from shop.models import CaseKind, Order
from shop.opened_returns import OpenedReturn, asks_about_opened_goods, opened_return, said_used
from shop.order_terms import TermsTopic, about_sending, policy_in_order_terms, terms_topic_in
from shop.price_claims import pieces_said
from shop.price_protection import difference_back, price_protection_check
from shop.problems import names_a_fault, read_problem
from shop.waiting_requests import (
    QUALITY_RETURN,
    RETURN,
    RepairCostAsked,
    WarrantyAsked,
    asks_repair_cost,
    still_waiting,
)
from words.render import Button, say

# How sure the FAQ must be of a topic of the waiting request's own that the order answers.
OWN_TOPIC_SCORE = 0.2
# The waiting request (slot `pending_request`) whose topics the order's record answers.
REQUEST_OF_PENDING = {QUALITY_RETURN: RETURN}


def _own_topics(pending: str) -> frozenset[str]:
    """The FAQ topics of the waiting request that the order's record answers."""
    related = RELATED_TOPICS.get(REQUEST_OF_PENDING.get(pending, pending), frozenset())
    return related & {topic.value for topic in TermsTopic}


# The intent that serves each request said back (its own need is asked about in its own words).
INTENT_OF_PENDING = {
    QUALITY_RETURN: RETURN,
    FRESH_CLAIM: "report_damaged_item",
    **{CASE_PENDING[kind]: intent for intent, kind in CASE_KIND_BY_INTENT.items()},
    CASE_PENDING[CaseKind.MISSING_ITEM]: "report_wrong_or_missing_item",  # the wrong item's
}


# Questions about the trip of the item that came wrong or broken (and of its replacement).
RETURN_TRIP_QUESTIONS = frozenset({CaseQuestion.RETURN_TRIP, CaseQuestion.SHIP_FIRST})
# The case said back for a yes, by its `pending_request` value.
CASE_KIND_PENDING = {value: kind for kind, value in CASE_PENDING.items()}


def other_need_asked(text: str, pending: str) -> Need | None:
    """The need the question names that the request waiting does not serve (保修咋弄 while a
    damage case waits: the warranty), if any: its own question, never the request's steps."""
    served = INTENT_OF_PENDING.get(pending, pending)
    return next((n for n in needs_in(text) if SERVED_BY[n].intent != served), None)


def answer_opened_goods(
    turn: Turn, order: Order, pending: str | None = None
) -> OpenedReturn | None:
    """Goods unpacked but unused (盒子拆了 东西没用过, 拆封了还能退吗): whether the order's
    categories still take them back without a reason; a return waiting for its yes (`pending`)
    is said again in one line when they do, a person offered when they do not. The rule said,
    or None, nothing said, when the message is not about that."""
    if not (asks_about_opened_goods(turn.text) or _used_told(turn, order, pending)):
        return None
    opened = opened_return(order, turn.now, turn.text)
    if pending in (RETURN, QUALITY_RETURN) and opened.returnable:
        turn.say(still_waiting(order.order_no, pending, say(opened)), buttons=CONFIRM_BUTTONS)
        return opened
    turn.say(opened, buttons=[] if opened.returnable else [Button.HUMAN])
    return opened


def _used_told(turn: Turn, order: Order, pending: str | None) -> bool:
    """涂过一次而已 while a no-reason return of goods that go back only unopened (a lipstick)
    waits for its yes: goods used are goods opened, whatever the words say of the packaging;
    a fault or a problem told with it is not this (穿了一次就开胶了)."""
    if pending != RETURN or not said_used(turn.text) or names_a_fault(turn.text):
        return False
    if read_problem(turn.text, order, now=turn.now).kinds:
        return False
    return any(rule.needs_unopened for rule in opened_return(order, turn.now, turn.text).rules)


def _opened_goods_told(turn: Turn, order: Order, pending: str) -> bool:
    return answer_opened_goods(turn, order, pending) is not None


# What a message said while a request waits may be, each with its own whole reply (said, and
# True) or nothing (False); the first that replies wins. None of them needs a question mark.
Reply = Callable[[Turn, Order, str], bool]


def _price_protection_asked(turn: Turn, order: Order, pending: str) -> bool:
    """我买的两瓶哦 (the refund counted piece by piece) on a 价保 said back: explained, never a
    hesitation."""
    if pending != PRICE_PROTECTION or pieces_said(turn.text) is None:
        return False
    return answer_price_protection(turn, turn.text, order.order_no) is not None


def _pushed_back(turn: Turn, _order: Order, pending: str) -> bool:
    """就过了一个多月 我是钻石会员 通融一下, to a paid repair said back: the feeling met and a
    person offered, the request still waiting (never the prompt alone)."""
    if not pushes_back(turn.text) or case_question(turn.text) is not None:
        return False  # 为什么还要主管确认: the case's own answer
    restated = latest_intent(turn.tracker) == REQUEST_OF_PENDING.get(pending, pending)
    if restated or answer_to_confirmation(turn.text) == TypedReply.YES:
        return False  # 取消 别家都降价了: the yes, carried by its own path
    turn.say(PushbackHeard(), buttons=[*CONFIRM_BUTTONS, Button.HUMAN])
    return True


WHOLE_REPLIES: tuple[Reply, ...] = (
    _opened_goods_told,  # 盒子拆了 东西没用过: whether opened goods still go back
    say_choice_before_case,  # 要补发 不要退钱 while a damage case waits: said back with it
    _price_protection_asked,
    _pushed_back,
)

# A question's answer from the request waiting's own facts, said before the request in one
# line; None when it is no such question. The first that answers wins.
Answer = Callable[[Turn, Order, str], str | None]


def _warranty(turn: Turn, order: Order, pending: str) -> str | None:
    """保修咋弄 寄哪里 while another request waits: the order's own warranty."""
    if other_need_asked(turn.text, pending) != Need.REPAIR:
        return None
    return say(warranty_asked(turn, order))


def _repair_cost(turn: Turn, order: Order, pending: str) -> str | None:
    """修的话要多少钱 while a repair waits: free under warranty, else a quote after the check."""
    if pending != REPAIR or not asks_repair_cost(turn.text):
        return None
    return say(repair_cost_asked(turn, order))


def _return_trip(turn: Turn, _order: Order, pending: str) -> str | None:
    """错的那双要我自己寄回去吗 运费谁出, 能先寄个新的过来吗 while a case waits: the case's own
    answer, not the returns policy."""
    kind = CASE_KIND_PENDING.get(pending)
    asked = case_question(turn.text) if kind is not None else None
    if kind is None or asked not in RETURN_TRIP_QUESTIONS:
        return None
    if kind in IN_TRANSIT and returns_later(turn.text):
        return None  # 收到以后再退呢 运费谁出 while a late parcel's chase waits: the order's terms
    return say(return_trip(kind, asked_first=asked == CaseQuestion.SHIP_FIRST))


def _reply_time(turn: Turn, order: Order, pending: str) -> str | None:
    """主管什么时候回复, 多久有结果 while a case waits for its yes: when he hears back once it is
    registered."""
    kind = CASE_KIND_PENDING.get(pending)
    if kind is None or case_question(turn.text) not in (
        CaseQuestion.HOW_LONG,
        CaseQuestion.PROGRESS,
        CaseQuestion.HURRY,  # 周六要穿能快点不: when it is answered, from the yes on
    ):
        return None
    return say(reply_time_before_case(kind, order))


def _why_approval(turn: Turn, order: Order, pending: str) -> str | None:
    """为什么还要主管确认 while a case waits for its yes: the order's value over the threshold."""
    kind = CASE_KIND_PENDING.get(pending)
    if kind is None or case_question(turn.text) != CaseQuestion.WHY_APPROVAL:
        return None
    return say(approval_explained(kind, order))


def _remedy(turn: Turn, order: Order, pending: str) -> str | None:
    """有没有补偿, 真丢了怎么办 while a case waits for its yes: what it gives once registered."""
    kind = CASE_KIND_PENDING.get(pending)
    asked = case_question(turn.text) == CaseQuestion.REMEDY or asks_compensation(turn.text)
    if kind is None or not asked:
        return None
    return say(remedy_before_case(kind, order))


def _difference_back(turn: Turn, order: Order, pending: str) -> str | None:
    """退到哪里 多久到 while a 价保 waits for its yes: the difference's way back and how soon,
    not the window's days."""
    if pending != PRICE_PROTECTION or Need.REFUND not in needs_in(turn.text):
        return None
    back = difference_back(price_protection_check(turn.session, order, turn.now, turn.text))
    return say(back) if back is not None else None


# Money back asked for in so many words (能不能干脆退钱, 直接退款可以吗).
_MONEY_BACK = re.compile(r"退钱|退款")


def _quality_return_window(turn: Turn, order: Order, pending: str) -> str | None:
    """都快一个月了还能换吗, 能不能干脆退钱 while a quality return waits for its yes: what the
    quality rule gives on this order (any time for a book's missing pages: an exchange; else
    a return or an exchange while its days last)."""
    if pending != QUALITY_RETURN or not is_question(turn.text):
        return None
    asked = Need.RETURN in asked_needs(turn.text) or _MONEY_BACK.search(turn.text)
    return say(aftersales.return_window(order, turn.now, quality=True)) if asked else None


def _period(turn: Turn, _order: Order, _pending: str) -> str | None:
    """从哪天算, 周末算不算 about the period just said (the 价保 window, the return window)."""
    explained = period_explained(turn)
    return turn.words(explained) if explained is not None else None


OWN_ANSWERS: tuple[Answer, ...] = (
    *(_difference_back, _quality_return_window, _period, _warranty, _repair_cost),
    *(_why_approval, _return_trip, _reply_time, _remedy),
)


def answer_own_question_while_waiting(turn: Turn, order: Order, pending: str) -> bool:
    """Answer a question the request waiting answers from its own facts (为什么还要主管确认
    while a case waits, read as tracking), the request said back in one line; False, nothing
    said, for any other message."""
    if not is_question(turn.text) or (answer := _own_answer(turn, order, pending)) is None:
        return False
    turn.say(still_waiting(order.order_no, pending, answer), buttons=CONFIRM_BUTTONS)
    return True


def _own_answer(turn: Turn, order: Order, pending: str) -> str | None:
    """The first of the request's own answers (`OWN_ANSWERS`) the message asks, if any."""
    return next((a for own in OWN_ANSWERS if (a := own(turn, order, pending))), None)


def answer_while_waiting(turn: Turn, order: Order, pending: str) -> bool:
    """Answer the shopper's message while a request said back waits for its yes: a reply of
    its own (`WHOLE_REPLIES`), or a question's answer (the request's own facts, `OWN_ANSWERS`,
    else the policy in the order's terms) with the request said back in one line (its steps
    when they asked how to go on that request). False, nothing said, when the message asks
    nothing or nothing answers it (the request then waits as before)."""
    if any(reply(turn, order, pending) for reply in WHOLE_REPLIES):
        return True
    if not is_question(turn.text):
        return False
    if pending in CASE_KIND_PENDING and case_question(turn.text) == CaseQuestion.PHOTO_UPLOAD:
        return False  # 面单也要拍: the photos the case needs (answer_case_question), no entry
    answer = _own_answer(turn, order, pending)
    steps = answer is None and asks_how_to_go_on(turn.text)
    steps = steps and other_need_asked(turn.text, pending) is None
    if answer is None and not steps:
        answer = answer_in_terms(turn, order, pending)
    if answer is None and not steps:
        return False
    turn.say(still_waiting(order.order_no, pending, answer, steps), buttons=CONFIRM_BUTTONS)
    return True


def warranty_asked(turn: Turn, order: Order) -> WarrantyAsked:
    """The warranty of the item the shopper's messages name, else of every item of the order."""
    named = aftersales.repair_item(order, " ".join(shopper_texts(turn.tracker)))
    products = [named] if not isinstance(named, aftersales.WhichItemToRepair) else None
    products = products or aftersales.order_products(order)
    return WarrantyAsked(tuple(aftersales.warranty(order, p, turn.now) for p in products))


def repair_cost_asked(turn: Turn, order: Order) -> RepairCostAsked:
    """What the repair said back costs: the warranty of the item the shopper's messages name,
    else of the order's first item."""
    named = aftersales.repair_item(order, " ".join(shopper_texts(turn.tracker)))
    if isinstance(named, aftersales.WhichItemToRepair):
        named = aftersales.order_products(order)[0]
    return RepairCostAsked(aftersales.warranty(order, named, turn.now))


def answer_in_terms(turn: Turn, order: Order, pending: str) -> str | None:
    """The answer to the latest message as a policy question, in the order's terms when its
    record answers (its return window, who pays the postage, where the money goes), else the
    FAQ's; None when the knowledge base is not sure of one. A topic of the request waiting
    (`pending`) that the order's record answers needs less certainty; one the words name
    themselves (那运费呢 来回都我出) is answered from the record before any search."""
    messages = shopper_texts(turn.tracker)
    named = terms_topic_in(turn.text)
    if named is not None and (terms := policy_in_order_terms(order, named, turn.now, messages)):
        return turn.words(terms)
    result = faq_search.search(
        turn.session,
        turn.text,
        k=1,
        earlier=earlier_texts(turn.tracker),
        categories=goods_in_focus(turn.session, turn.tracker),
    )
    if not result.hits:
        return None
    hit = result.hits[0]
    # the request said back makes its own topics likely (运费不用我出吧 on a return waiting)
    likely = hit.entry.id in _own_topics(pending) and hit.score >= OWN_TOPIC_SCORE
    if result.answered or about_sending(turn.text) or likely:
        terms = policy_in_order_terms(order, hit.entry.id, turn.now, messages)
        if terms is not None:
            return turn.words(terms)
    return faq_answer(turn, hit.entry) if result.answered else None

"""A question asked while a request said back waits for its yes (七天无理由对吧, 运费谁出,
好 那我怎么弄): answered from the order's record or the policy, then the request offered again
in one short line with its buttons. Never a yes, never the hesitation reply."""

from bot.actions.common import Turn, earlier_texts, faq_answer, goods_in_focus, shopper_texts
from bot.actions.problem_cases import CONFIRM_BUTTONS
from conversations.needs import RELATED_TOPICS
from conversations.reading import asks_how_to_go_on, is_question
from faq.service import faq_search
from shop.models import Order
from shop.order_terms import TermsTopic, about_sending, policy_in_order_terms
from shop.waiting_requests import QUALITY_RETURN, RETURN, still_waiting
from words.render import say

# How sure the FAQ must be of a topic of the waiting request's own that the order answers.
OWN_TOPIC_SCORE = 0.2
# The waiting request (slot `pending_request`) whose topics the order's record answers.
REQUEST_OF_PENDING = {QUALITY_RETURN: RETURN}


def _own_topics(pending: str) -> frozenset[str]:
    """The FAQ topics of the waiting request that the order's record answers."""
    related = RELATED_TOPICS.get(REQUEST_OF_PENDING.get(pending, pending), frozenset())
    return related & {topic.value for topic in TermsTopic}


def answer_while_waiting(turn: Turn, order: Order, pending: str) -> bool:
    """Answer the shopper's question and say the waiting request back in one line (its steps
    first when they asked how to go on); False, nothing said, when the message asks nothing
    or nothing answers it (the request then waits as before)."""
    if not is_question(turn.text):
        return False
    steps = asks_how_to_go_on(turn.text)
    answer = None if steps else answer_in_terms(turn, order, pending)
    if answer is None and not steps:
        return False
    turn.say(still_waiting(order.order_no, pending, answer, steps), buttons=CONFIRM_BUTTONS)
    return True


def answer_in_terms(turn: Turn, order: Order, pending: str) -> str | None:
    """The answer to the latest message as a policy question, in the order's terms when its
    record answers (its return window, who pays the postage, where the money goes), else the
    FAQ's; None when the knowledge base is not sure of one. A topic of the request waiting
    (`pending`) that the order's record answers needs less certainty."""
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
        messages = shopper_texts(turn.tracker)
        terms = policy_in_order_terms(order, hit.entry.id, turn.now, messages)
        if terms is not None:
            return say(terms)
    return faq_answer(turn, hit) if result.answered else None

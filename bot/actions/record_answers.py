"""What the verified order's record answers, tried before a generic reply.

"电话也给我一个" on an approved return, "运费谁出" or "还能退不" on a verified order: the NLU may
find such a message out of scope or not understand it, yet the order's record answers it (the
return's address and phone, who pays the postage, its return window, where the money goes).
The clarification and the out-of-scope reply ask `answer_from_the_order` before their generic
words. `answer_question_beside` answers a question put inside another answer (放门卫就行
丢了算谁的, while a change waits for its yes) from the FAQ, so that it is never dropped.
"""

import re
from collections.abc import Callable

from bot.actions.common import (
    Turn,
    earlier_texts,
    faq_answer,
    goods_in_focus,
    shopper_texts,
    verified_order,
)
from bot.actions.faq import answer_in_order_terms, answer_sending_back
from core.text import normalise
from faq.service import faq_search
from shop.order_terms import TermsTopic, returns_the_goods, terms_topic_in

TERMS_TOPICS = frozenset(t.value for t in TermsTopic)
FAQ_OPTIONS = 3  # the FAQ topics a question in the shopper's own words may be among
# A clause that asks something: 吗, 谁, 怎么, 多少, 能不能 …
ASKS = re.compile(
    r"[?？吗么嘛]|谁|怎么|咋|多少|多久|几|哪|什么|啥|能不能|可不可以|会不会|有没有|要不要|是不是"
)
BESIDE_CONTEXT = 3  # the shopper's messages before a question beside a value it is read with
CLAUSES = re.compile(r"[\s,，。.!！~～;；]+")


def answer_from_the_order(turn: Turn) -> bool:
    """Answer the message from the verified order's record when it asks what the record
    answers (sending back an approved return, who pays the postage, where the money goes,
    whether it can still go back); False, nothing said, otherwise."""
    if verified_order(turn.session, turn.tracker) is None:
        return False
    if answer_sending_back(turn):  # 电话也给我一个 快递要填: the approved return's desk
        return True
    topic = order_terms_topic(turn)
    return topic is not None and answer_in_order_terms(turn, topic)


def order_terms_topic(turn: Turn) -> str | None:
    """The order-terms FAQ topic of the message: the FAQ's answer when it is sure of one, or
    the topic the words name when the FAQ has it among its likeliest (还能退不: unsure, yet
    return_policy is first; 不想要了 能退吗: the goods, though the FAQ saw 拒收); None when the
    message is about something else."""
    result = faq_search.search(
        turn.session, turn.text, k=FAQ_OPTIONS, earlier=earlier_texts(turn.tracker)
    )
    found = [hit.entry.id for hit in result.hits]
    if result.answered and found and found[0] in TERMS_TOPICS:
        return found[0]
    named = terms_topic_in(turn.text)
    if named is None:
        return None
    if named.value in found or (named == TermsTopic.RETURN_POLICY and returns_the_goods(turn.text)):
        return named.value  # 不想要了 能退吗: the goods, whatever else the FAQ saw
    return None


def question_beside(text: str, is_value: Callable[[str], bool]) -> str | None:
    """The clauses of a message that ask something and are not themselves a value for what
    the bot asked (放门卫就行 丢了算谁的: 丢了算谁的; 周六上午可以吗: none, it is a value)."""
    clauses = [c for c in CLAUSES.split(normalise(text)) if c]
    asked = [c for c in clauses if ASKS.search(c) and not is_value(c)]
    return " ".join(asked) or None


def answer_question_beside(turn: Turn, is_value: Callable[[str], bool]) -> bool:
    """Answer a question put beside a value (丢了算谁的 with 放门卫就行) from the FAQ, read with
    the whole message and the conversation; False, nothing said, when there is none or the FAQ
    is not sure."""
    if question_beside(turn.text, is_value) is None:
        return False
    # read with what the shopper said just before (让快递放门卫: what 丢了谁负责 is about)
    earlier = shopper_texts(turn.tracker)[:-1][-BESIDE_CONTEXT:]
    goods = goods_in_focus(turn.session, turn.tracker)
    result = faq_search.search(turn.session, turn.text, k=1, earlier=earlier, categories=goods)
    if not result.answered:
        return False
    turn.out.utter_message(text=faq_answer(turn, result.hits[0].entry))
    return True

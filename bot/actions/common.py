"""What every action shares: one unit of work per turn, and the conversation's product/order."""

import copy
import dataclasses
import functools
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from conversations.acknowledgement import is_policy_question
from conversations.needs import (
    PRESALE_INTENTS,
    RELATED_TOPICS,
    SAME_NEED,
    SERVED_BY,
    AnsweredBeside,
    Need,
    OtherNeeds,
    OtherNeedsNoted,
    PushbackHeard,
    asks,
    clauses,
    further_questions,
    need_of_topic,
    needs_in,
    other_needs,
    questions_apart,
)
from conversations.parts_asked import (
    Covered,
    answering_part,
    asks_something,
    covered_in,
    sentences_of,
)
from conversations.queue import who_to_turn_to
from conversations.reading import (
    asks_about_another_place,
    asks_arrival_ahead,
    asks_for_the_shops_phone,
    asks_if_it_ships_to,
    asks_shipping_ahead,
    asks_who_to_turn_to,
    is_question,
    names_another_thing_sent,
    names_own_purchase,
    pushes_back,
    reproaches,
    tells_of_an_order_made,
)
from conversations.short_messages import asks_compensation
from core.clock import utcnow
from core.database import unit_of_work
from core.text import normalise
from faq.knowledge_base import get_entry
from faq.retrieval import MEMORY_INTENTS, Hit, SearchResult
from faq.schema import FaqEntryData
from faq.service import faq_search
from shop import product_names
from shop.carriers import CARRIERS
from shop.case_heard import compensation_asked
from shop.case_questions import CaseQuestion, ask_about_case, case_question, open_case_in
from shop.category_words import category_named
from shop.invoices import InvoiceDetails, InvoiceToConfirm
from shop.models import CaseKind, Order, Product
from shop.order_terms import asks_to_return
from shop.orders import ORDER_NO_PATTERN, load_order
from shop.own_order import about_own_order, own_order_topic, points_at_an_order
from shop.periods import Period, period_stated
from shop.policy import load_policy
from shop.presale import (
    FactUnknown,
    ProductFact,
    asks_instalments,
    attribute_answer,
    price_quote,
)
from shop.price_protection import product_price_protection
from shop.product_names import product_by_code
from shop.product_questions import product_answer
from shop.regions import place_named, province_named
from shop.shipping import asks_postage, delivery_estimate, shipping_asked, unserved_named
from shop.tracking import OrderProgress, tracking_follow_up
from words.render import Button, button, need_button, say

REPEAT_TURNS = 2  # the bot's turns before this one whose words it does not say again
MIN_REPEAT_CHARS = 15  # a short line (好的, 不客气) may well come back
WHOLE_CHARS = 160  # a repeated message this short is said again whole, after "和刚才说的一样"


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def recent_bot_texts(tracker: Tracker, turns: int = REPEAT_TURNS) -> list[str]:
    """What the bot said in its last `turns` turns before the shopper's latest message (and so
    far in this one), whitespace left out."""
    users = [i for i, e in enumerate(tracker.events) if e.get("event") == "user"]
    start = users[-turns - 1] if len(users) > turns else 0
    return [
        _flat(str(e["text"]))
        for e in tracker.events[start:]
        if e.get("event") == "bot" and e.get("text")
    ]


def said_lately(tracker: Tracker, text: str, turns: int = 1) -> bool:
    """Whether the bot said `text` in its last `turns` turns (whitespace left out)."""
    flat = _flat(text)
    return any(flat in said for said in recent_bot_texts(tracker, turns))


def answered_this_turn(tracker: Tracker) -> bool:
    """Whether an earlier action of this turn already said something of its own since the
    shopper's latest message (an answer, not just an opening line that leads into another:
    "…跟您说清楚：")."""
    said: list[str] = []
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            break
        if event.get("event") == "bot" and event.get("text"):
            said.append(_flat(str(event["text"])))
    return any(_an_answer(t) for t in said)


def _offers_a_choice(buttons: list[dict[str, Any]] | None) -> bool:
    """Whether the buttons offer a choice (确认 / 先不用了), not only a person."""
    human = button(Button.HUMAN)["payload"]
    return any(b.get("payload") != human for b in buttons or [])


def _an_answer(text: str) -> bool:
    """Whether a message says something of its own: not a short line (好的), not an opening
    that leads into the next message ("…跟您说清楚：")."""
    flat = _flat(text)
    return len(flat) >= MIN_REPEAT_CHARS and not flat.endswith(("：", ":"))


def gist(text: str) -> str:
    """A message said again: whole when it is short (its facts are the point: a date, an
    amount), else its first sentence, whole (never cut off with "…")."""
    if len(text.strip()) <= WHOLE_CHARS:
        return text.strip()
    first = re.match(r"[^。！？!?\n]*[。！？!?]?", text.strip())
    return first.group(0) if first and first.group(0) else text.strip()


def _has_parts(text: str) -> bool:
    """Whether a message is an answer of several sentences a follow-up may ask one part of
    (a request in one sentence, 麻烦把订单号…发给我, is no answer of parts)."""
    return len(sentences_of(text)) > 1


class NoRepeats(CollectingDispatcher):
    """The turn's dispatcher (its messages are the action's): a message the bot already sent
    word for word in its last two turns is not sent again. A follow-up asking one part of it
    (多久, 在哪, 积分能抵现金不, 直播间的价格算吗) gets the sentences that answer it
    (conversations.parts_asked); a question it does not answer is told so, with a person
    offered; who to turn to (过了时间还没到找谁), the agents and their hours; anything else,
    one short line with a person offered. A question asked again, or a choice offered again
    with its buttons, goes out as it is, unless the shopper asks something it answers: then
    the answering part and its question line. A message that says again sentences of the last
    turns beside new ones says only the new ones. Once a turn has said so, or has answered
    something new (保修几年 answered, then the order number asked again), further
    repeats in it are left out: never "和刚才说的一样" after a new answer."""

    def __init__(
        self,
        out: CollectingDispatcher,
        said: list[str],
        question: str = "",
        answered: bool = False,
    ) -> None:
        super().__init__()
        self.messages = out.messages
        self.said = said
        self.question = question  # the shopper's message this turn answers
        self.said_again = answered  # this turn said something new already: no repeat

    def repeats(self, text: str | None, buttons: list[dict[str, Any]] | None = None) -> bool:
        """Whether `text` would be said again word for word (a question or a choice aside)."""
        flat = _flat(text or "")
        if len(flat) < MIN_REPEAT_CHARS or flat.endswith(("？", "?")):
            return False
        if _offers_a_choice(buttons):
            return False  # a choice offered again with its buttons
        return any(flat == said or (len(flat) >= 40 and flat in said) for said in self.said)

    def said_already(self, sentence: str) -> bool:
        """Whether a sentence (not a question) was said in the bot's last turns."""
        flat = _flat(sentence)
        if len(flat) < MIN_REPEAT_CHARS or flat.endswith(("？", "?")):
            return False
        return any(flat in said for said in self.said)

    def told(self, text: str) -> bool:
        """Whether every sentence of `text` was said in the bot's last turns or earlier in this
        one (an answer to take up beside the main one that is no news)."""
        said = [*self.said, *(_flat(str(m.get("text") or "")) for m in self.messages)]
        sentences = [_flat(s) for s in sentences_of(text)]
        return bool(sentences) and all(any(s in t for t in said) for s in sentences)

    def new_part(self, text: str) -> str | None:
        """`text` without the sentences said in the bot's last turns, line by line (a status
        said again beside a new line: only the new line); None when nothing or everything in
        it was said before."""
        lines = [sentences_of(line) for line in text.split("\n")]
        sentences = [s for line in lines for s in line]
        old = [s for s in sentences if self.said_already(s)]
        fresh = [s for s in sentences if not any(_flat(s) in said for said in self.said)]
        if not old or not fresh:  # nothing said before, or nothing new (a question asked again)
            return None
        kept = ("".join(s for s in line if not self.said_already(s)) for line in lines)
        return "\n".join(line for line in kept if line)

    def choice_again(self, text: str, buttons: list[dict[str, Any]] | None) -> str | None:
        """A choice offered again word for word with its buttons while the shopper asks
        something it answers (还能换吗, 要我自己寄回去吗): the answering part and its question
        line, not the whole block again; None otherwise."""
        if not buttons or not asks_something(self.question) or _flat(text) not in self.said:
            return None
        part = answering_part(text, self.question)
        asking = [s for s in sentences_of(text) if s.endswith(("？", "?"))]
        if part is None or not asking:
            return None
        return part + "\n" + "".join(asking)

    def utter_message(
        self,
        text: str | None = None,
        buttons: list[dict[str, Any]] | None = None,
        **kwargs: Any,
    ) -> None:
        if text is not None and (shorter := self.choice_again(text, buttons)) is not None:
            text = shorter  # the buttons stay: the choice still waits
            self.said_again = True
        elif text is not None and self.repeats(text, buttons):
            if self.said_again:
                return
            self.said_again = True
            part = answering_part(text or "", self.question)
            if asks_who_to_turn_to(self.question):  # 过了时间还没到找谁: a person, the hours
                phone_asked = asks_for_the_shops_phone(self.question)
                text = say(who_to_turn_to(utcnow(), phone_asked=phone_asked))
                buttons = [button(Button.HUMAN)]
            elif part is not None and _flat(part) not in self.said:  # not this part again
                text, buttons = say(PartAnswered(part, covered_in(part, self.question))), None
            elif part is None and asks_something(self.question) and _has_parts(text or ""):
                text, buttons = say(NotSaidBefore()), [button(Button.HUMAN)]
            elif pushes_back(self.question):  # 差个几天而已 通融下呗: heard, kept, a person
                text, buttons = say(RefusalHeld(gist(part or text or ""))), [button(Button.HUMAN)]
            else:
                text, buttons = say(SaidAgain(gist(part or text or ""))), [button(Button.HUMAN)]
        elif text is not None and _an_answer(text) and not _offers_a_choice(buttons):
            # said before: only what is new (a card said back for a yes goes out whole: it is
            # what the yes agrees to)
            text = self.new_part(text) or text
            self.said_again = True  # a repeat after it adds nothing: left out
        super().utter_message(text=text, buttons=buttons, **kwargs)


@dataclass(frozen=True)
class SaidAgain:
    """What the bot said a moment ago, said again in one short line."""

    gist: str


@dataclass(frozen=True)
class RefusalHeld:
    """What the bot said a moment ago, which the shopper pushes back on (通融下呗): their
    feeling met, the answer kept in one line, a person offered."""

    gist: str


@dataclass(frozen=True)
class PartAnswered:
    """The part of what the bot said a moment ago that answers a follow-up; `covered`: the
    follow-up's word that a broader word of it covers (信用卡 by 银行卡, 周末 not by 工作日)."""

    part: str
    covered: Covered | None = None


@dataclass(frozen=True)
class NotSaidBefore:
    """A follow-up asking something that what the bot said a moment ago does not say."""


@dataclass(frozen=True)
class Turn:
    """One bot turn: its unit of work, the conversation so far, and where replies go.

    Its replies never repeat word for word what the bot said in its last two turns (NoRepeats):
    tracking shown a moment ago answers the question asked on it instead (明天能到吗, 那要多久,
    怎么这么慢: shop.tracking.tracking_follow_up), anything else is said in one short line."""

    session: Session
    tracker: Tracker
    out: CollectingDispatcher
    now: datetime
    stated: list[Period] = field(default_factory=list)  # periods said (shop.periods), in order
    invoices_said_back: list[InvoiceToConfirm] = field(default_factory=list)  # for a yes
    # requests put off because they name goods of another order (键盘 钱呢 on the fryer's order):
    # the number the shopper gives next serves them (bot/actions/order_context.py)
    for_another_order: list[str] = field(default_factory=list)
    # requests served beside the one asked (the other need of a message about two orders'
    # goods, served on the order given): not offered again
    served_besides: list[str] = field(default_factory=list)
    # what a request hands the turn on to (a change form started for an exchange of goods not
    # yet sent): events the action ends with
    handed_on: list[EventType] = field(default_factory=list)
    # orders verified earlier in the talk that a request named the goods of: the last is in
    # focus again
    refocused: list[str] = field(default_factory=list)
    # the parcels talked of that turned up (找到了): what was asked about them beside is settled
    parcels_found: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not isinstance(self.out, NoRepeats):
            said = recent_bot_texts(self.tracker)
            guard = NoRepeats(
                self.out, said, latest_text(self.tracker), answered_this_turn(self.tracker)
            )
            object.__setattr__(self, "out", guard)

    @property
    def text(self) -> str:
        """The shopper's latest message."""
        return latest_text(self.tracker)

    @property
    def conversation_id(self) -> str:
        return self.tracker.sender_id

    def say(self, fact: object, buttons: Iterable[Button] = (), **extra: Any) -> None:
        """Send the shopper the words for `fact` (words/storefront.yaml)."""
        shown = [button(b) for b in buttons]
        text = self.words(fact, **extra)
        guard = self.out if isinstance(self.out, NoRepeats) else None
        if isinstance(fact, OrderProgress) and guard and guard.repeats(text, shown):
            # shown a moment ago: the question asked on it is answered instead
            text = say(tracking_follow_up(fact, self.text, self.now))
            shown = [button(Button.HUMAN)]
        self.out.utter_message(text=text, buttons=shown)

    def words(self, fact: object, **extra: Any) -> str:
        """The words for `fact`, said alone or inside another line (a request said again after
        the answer); a period they state is kept in focus (shop.periods)."""
        if (period := period_stated(fact, self.now)) is not None:
            self.stated.append(period)
        if isinstance(fact, InvoiceToConfirm):
            self.invoices_said_back.append(fact)
        return say(fact, **extra)

    def utter(self, response: str, buttons: Iterable[Button] = ()) -> None:
        """Send one of Rasa's own responses (`responses:` in words/storefront.yaml)."""
        self.out.utter_message(response=response, buttons=[button(b) for b in buttons])


FAQ_BESIDE_SCORE = 0.7  # a policy question beside another need is taken up when this sure


@dataclass(frozen=True)
class AskedBeside:
    """A question asked beside the message's main need, offered once that is answered: a
    policy question as the knowledge base words it (`key` faq:<id>), or, when it is sure of
    none (纯棉T恤白色L什么时候有货), the shopper's own words (`key` ask:<words>): never dropped."""

    question: str
    key: str


def read_other_needs(
    session: Session, tracker: Tracker
) -> tuple[list[Need], list[AskedBeside], list[EventType]]:
    """Needs and policy questions named in the shopper's messages beside the ones their intents
    serve: each message is read once (slot `needs_read_in` counts the messages read, so one a
    form took is read by the next action), and what it named waits in `later_needs` until it
    is offered."""
    pending: list[str] = list(tracker.get_slot("later_needs") or [])
    messages = [e for e in tracker.events if e.get("event") == "user"]
    read = int(tracker.get_slot("needs_read_in") or 0)
    verified = tracker.get_slot("verified_order_no") is not None
    memories = _faq_memories(tracker)
    goods = functools.cache(lambda: goods_in_focus(session, tracker))  # read as the answer is
    ordered = functools.cache(lambda: verified or _order_named(tracker))
    for index, message in enumerate(messages[read:], start=read):
        text = message.get("text") or ""
        intent = message_intent(message)
        served = _answered_need(session, text, intent, memories[index], verified, goods)
        beside = other_needs(text, intent, served)
        general = {} if ordered() else _asked_in_general(session, tracker, text, beside, goods)
        named = [n.value for n in beside if n not in general]
        related = RELATED_TOPICS.get(intent or "", frozenset())
        apart = questions_apart(text)  # after 还有, 顺便, 另外, or a question of its own
        further = [q for q in further_questions(text, intent) if not _asks_again(q, intent)]
        named += _policy_questions(session, further, goods, apart, related, text)
        named += [key for key in general.values() if key not in named]
        if intent in PRESALE_INTENTS and not ordered():  # 是正品不 beside 保修多久
            named += _beside_the_page(session, tracker, text, goods)
        pending += [n for n in named if n not in pending]
    needs = [Need(n) for n in pending if not n.startswith(QUESTION_PREFIXES)]
    questions = [q for q in (_asked_beside(session, n) for n in pending) if q is not None]
    events: list[EventType] = []
    if len(messages) != read:
        events = [
            SlotSet("needs_read_in", str(len(messages))),
            SlotSet("later_needs", pending or None),
        ]
    return needs, questions, events


def _order_named(tracker: Tracker) -> bool:
    """Whether the shopper has typed an order number in the conversation."""
    return any(ORDER_NO_PATTERN.search(text) for text in typed_texts(tracker))


FAQ_PREFIX = "faq:"
ASK_PREFIX = "ask:"  # a question beside the main need that no FAQ entry answers for sure
HEARD_PREFIX = "heard:"  # a reproach or a plea beside it (谁规定的, 不给点补偿?): heard
QUESTION_PREFIXES = (FAQ_PREFIX, ASK_PREFIX, HEARD_PREFIX)  # keys of questions, not needs


def _asked_beside(session: Session, key: str) -> AskedBeside | None:
    """The question kept in `later_needs` under `key` (None for a need, or an entry gone)."""
    if key.startswith((ASK_PREFIX, HEARD_PREFIX)):
        return AskedBeside(key.partition(":")[2], key)
    if not key.startswith(FAQ_PREFIX):
        return None
    entry = get_entry(session, key.removeprefix(FAQ_PREFIX))
    return AskedBeside(entry.question, key) if entry is not None else None


# Intents answered with the FAQ's best entry (action_answer_faq, action_clarify): what they
# answer is known only by asking the FAQ, the same way they do.
FAQ_ANSWERED = frozenset({"faq", "nlu_fallback"})


def _faq_memories(tracker: Tracker) -> list[list[str]]:
    """For each of the shopper's messages, the earlier ones of its session that the FAQ search
    reads it within (those that may be policy questions: faq.retrieval.MEMORY_INTENTS)."""
    memories: list[list[str]] = []
    texts: list[str] = []
    for event in tracker.events:
        if event.get("event") == "session_started":
            texts = []
        elif event.get("event") == "user":
            memories.append([text for text in texts if text])
            memory = message_intent(event) in MEMORY_INTENTS and event.get("text")
            texts.append(str(event["text"]) if memory else "")
    return memories


Goods = Callable[[], frozenset[str] | None]  # the goods in focus, read once when first asked


def _answered_need(
    session: Session,
    text: str,
    intent: str | None,
    earlier: list[str],
    verified: bool,
    goods: Goods,
) -> Need | None:
    """The need the FAQ's answer to `text` serves, for a message it answers that names a need
    (the own order's invoice or 价保 first, as bot/actions/order_services.note_need takes it;
    else the need of the entry's topic, searched with the goods in focus as the answering
    actions search); None when the intent alone says it."""
    if intent not in FAQ_ANSWERED or not needs_in(text):
        return None
    result = faq_search.search(session, text, k=1, earlier=earlier, categories=goods())
    topic = result.hits[0].entry.id if result.hits else None
    own = own_order_topic(text, topic, verified)
    if own is not None:
        return Need(own.value)
    return need_of_topic(topic) if result.answered else None


def _asks_again(question: str, intent: str | None) -> bool:
    """Whether a clause only asks the message's own request again (开不了机 才用两个月 能直接退吗:
    the return its answer is about), so it is no question beside it."""
    return intent == "request_return_exchange" and asks_to_return(question)


def _policy_questions(
    session: Session,
    questions: list[str],
    goods: Goods,
    apart: set[str],
    related: frozenset[str] = frozenset(),
    message: str = "",
) -> list[str]:
    """The keys (in `later_needs`) of the shopper's further questions (conversations.needs.
    further_questions: "改地址 顺便问下满多少包邮" → 运费), each once: the policy entry the
    knowledge base is sure of, unless the main answer covers its topic (`related`: 今天能到吗
    beside the tracking); else, for one put apart (`apart`: after 还有, 顺便, 另外, or a question
    of its own: 到了他会不会给我打电话), a reproach or a plea to hear (谁规定的, 不给点补偿?,
    whatever its topic), or the question in the shopper's own words (还有你们那个T恤白色L什么
    时候有货: a product's stock) when the main answer does not cover its topic."""
    found: list[str] = []
    for question in questions:
        if len(question) < 3 or needs_in(question):
            continue
        result = faq_search.search(session, question, k=1, categories=goods())
        sure = result.answered and result.hits[0].score >= FAQ_BESIDE_SCORE
        covered = bool(result.hits) and result.hits[0].entry.id in related
        if sure and not _sure_in_its_context(session, question, message, result, goods):
            continue  # 想要两颗备用扣子 能寄给我吗: the clause leans on the one before it
        if sure:
            key = None if covered else f"{FAQ_PREFIX}{result.hits[0].entry.id}"
        elif question not in apart:
            key = None
        elif reproaches(question) or asks_compensation(question):
            key = f"{HEARD_PREFIX}{question}"  # heard, even beside an answer on its topic
        else:
            key = None if covered else f"{ASK_PREFIX}{question}"
        if key is not None and key not in found:
            found.append(key)
    return found


def _asked_in_general(
    session: Session, tracker: Tracker, text: str, needs: list[Need], goods: Goods
) -> dict[Need, str]:
    """Of the needs a message names beside its main question, with no order in the talk, those
    whose clause asks how things go (保修多久 beside 防水吗, 今天下单什么时候发货 beside the
    price) and that the knowledge base is sure of: each need's key (the entry), to be answered
    from it, no order offered. A need it is not sure of stays a need, offered as before."""
    found: dict[Need, str] = {}
    for need in needs:
        clause = next((c.text for c in clauses(text) if need in needs_in(c.text)), None)
        serving = SERVED_BY[need]
        if clause is None or not is_policy_question(clause, serving.faq_topic or serving.intent):
            continue
        if (entry := _entry_sure_of(session, tracker, clause, text, goods)) is not None:
            found[need] = f"{FAQ_PREFIX}{entry.id}"
    return found


def _entry_sure_of(
    session: Session, tracker: Tracker, clause: str, message: str, goods: Goods
) -> FaqEntryData | None:
    """The entry a clause asked beside the main question names outright (`entry_read`), else
    the one the knowledge base is sure of for it alone; None when neither."""
    if (entry := entry_read(session, tracker, clause, message)) is not None:
        return entry
    result = faq_search.search(session, clause, k=1, categories=goods())
    sure = result.answered and result.hits[0].score >= FAQ_BESIDE_SCORE
    return result.hits[0].entry if sure else None


def _beside_the_page(session: Session, tracker: Tracker, text: str, goods: Goods) -> list[str]:
    """The keys of policy questions asked beside a product question that the product's page
    does not answer (是正品不 beside 保修多久, 能送货上门吗 beside the price): the entry the words
    name outright or the knowledge base is sure of, taken up after the page's answer."""
    product = conversation_product(session, tracker)
    if product is None:
        return []  # 我家插座是普通的 能用吗, no product: which page is not known
    keys = []
    for part in clauses(text):
        if not asks(part.text) or needs_in(part.text):
            continue
        if not isinstance(product_answer(product, part.text), FactUnknown):
            continue  # the page answers it
        entry = _entry_sure_of(session, tracker, part.text, text, goods)
        if entry is not None and f"{FAQ_PREFIX}{entry.id}" not in keys:
            keys.append(f"{FAQ_PREFIX}{entry.id}")
    return keys


# How sure the knowledge base must stay of a clause's entry when the clause is read with the
# one before it: a clause whose answer was sure only alone leaned on that clause.
FAQ_IN_CONTEXT_SCORE = 0.6


def _sure_in_its_context(
    session: Session, question: str, message: str, alone: SearchResult, goods: Goods
) -> bool:
    """Whether the entry the knowledge base is sure of for `question` alone is still its answer,
    fairly sure, when the question is read with the clause before it in `message` (能寄给我吗
    alone is a gift's delivery; after 想要两颗备用扣子 it is the buttons')."""
    start = message.find(question)
    before = [c for c in CLAUSE_SPLIT.split(message[:start]) if c.strip()] if start > 0 else []
    if not before:
        return True
    paired = faq_search.search(session, f"{before[-1]} {question}", k=1, categories=goods())
    same = bool(paired.hits) and paired.hits[0].entry.id == alone.hits[0].entry.id
    return same and paired.hits[0].score >= FAQ_IN_CONTEXT_SCORE


# Where a message's clauses part (spaces and punctuation).
CLAUSE_SPLIT = re.compile(r"[\s，,。.!！?？;；~～]+")


class TurnAction(Action, ABC):
    """An action whose turn reads and writes in one unit of work, committed when it returns.

    An action that answers the shopper (`answers_shopper`) then offers the other needs the
    message named (发票 and 物流 together), unless a form is still asking for something.
    """

    answers_shopper: ClassVar[bool] = True
    # A reply to what was said back for its yes (确认 with a question; to a case: photos sent, a
    # remedy chosen, a go-ahead) is read as one before the action acts, whatever the NLU read.
    hears_replies_first: ClassVar[bool] = True

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        with unit_of_work() as session:
            needs, questions, read = read_other_needs(session, tracker)
            served = self.serves(tracker)
            if served and any(_serves(n, served) for n in needs):
                needs = [n for n in needs if not _serves(n, served)]
                read = _kept_for_later(read, needs, questions)
            turn = Turn(session, tracker, dispatcher, utcnow())
            events = _answered(self, turn) + read + _period_in_focus(tracker, turn.stated)
            needs = [n for n in needs if not _case_open_for(turn, n)]
            if turn.parcels_found:  # 是不是送错了, asked of the parcel now found: settled
                questions = [q for q in questions if not q.key.startswith(ASK_PREFIX)]
                events = _kept_for_later(events, needs, questions)
            if turn.served_besides:
                needs = [n for n in needs if _request_serving(n) not in turn.served_besides]
                events = _kept_for_later(events, needs, questions)
            events += _invoice_said_back(turn.invoices_said_back)
            if turn.for_another_order:
                events.append(SlotSet(ANOTHER_ORDER_REQUEST, turn.for_another_order[-1]))
            if turn.refocused:  # an order verified before in focus again
                order_no = turn.refocused[-1]
                events += [SlotSet(slot, order_no) for slot in ("order_id", "verified_order_no")]
            if _waits_for_yes(tracker, events) and questions:
                # a request waits with its buttons: a clause in the shopper's words beside it
                # (修要不要钱, 怎么给你们) is that request's matter, never echoed; another
                # product's question (另外那款羽绒服黑色M还有吗) still is
                questions = [q for q in questions if _kept_beside_a_request(session, q)]
                events = _kept_for_later(events, needs, questions)
            taking_up = bool(needs or questions) and self.answers_shopper
            follows = _answer_follows(events)
            if taking_up and not _asking(tracker, events) and not follows:
                questions = _taken_up_in_the_turn(turn, questions)
                if (looked_up := _looked_up_beside(turn, needs, events)) is not None:
                    needs = [n for n in needs if n is not looked_up[0]]
                    events += looked_up[1]
            else:
                unread = _messages_so_far(tracker) > int(tracker.get_slot("needs_read_in") or 0)
                if taking_up and follows and unread:
                    # 价保 beside 发票开了没, the order to look up first: noted, taken up after
                    turn.say(OtherNeedsNoted(tuple(needs), tuple(q.question for q in questions)))
                taking_up = False
        if taking_up:
            if needs or questions:
                dispatcher.utter_message(
                    text=say(OtherNeeds(tuple(needs), tuple(q.question for q in questions))),
                    buttons=[need_button(n, SERVED_BY[n].intent) for n in needs]
                    + [{"title": q.question, "payload": q.question} for q in questions],
                )
            events.append(SlotSet("later_needs", None))
        return events

    def serves(self, tracker: Tracker) -> str | None:
        """The intent this turn serves: a need named earlier that it serves is not offered again."""
        return None

    @abstractmethod
    def act(self, turn: Turn) -> list[EventType]:
        """Do the turn's work; return the Rasa events to apply (slot sets)."""


# What a message saying the parcel turned up is read as, when it says nothing more: its answer
# is the case taken back (`_parcel_found`), and the action has nothing to add.
ABOUT_THE_PARCEL = frozenset(
    {
        *("report_lost_parcel", "report_delivery_delay", "track_order", "inform"),
        *("affirm", "deny", "nlu_fallback", "thank", "goodbye", "greet", "out_of_scope"),
        "complain",
    }
)


def _answered(action: TurnAction, turn: "Turn") -> list[EventType]:
    """The turn's answer: a parcel that turned up (找到了 在隔壁驿站) or a reply to what was
    said back for its yes (确认 补发要多久到, 照片发了 [照片], 补发吧) first, both whatever the NLU
    read; else the action's own."""
    if (found := _parcel_found(turn)) is not None:  # the case taken back; more asked beside
        turn.parcels_found.append(turn.text)
        # where it was found (放鞋柜上) reads as a delivery wish: no delivery is left to change
        said_only = latest_intent(turn.tracker) in {*ABOUT_THE_PARCEL, "modify_order"}
        return _then_listen(turn, found) if said_only else action.act(turn)
    if (other := _for_another_order(turn)) is not None:  # 肉脯那个是8771…, read as anything
        return _then_listen(turn, other)
    hears = action.hears_replies_first and not turn.tracker.active_loop
    if hears and (replied := _reply_to_what_waits(turn)) is not None:
        return _then_listen(turn, replied)
    return action.act(turn)


def _then_listen(turn: "Turn", events: list[EventType]) -> list[EventType]:
    """An answer given before the action acted (a reply to what waits, read whatever the NLU
    read) ends the turn: the bot listens next. No rule knows that turn (多久给我结果 read as a
    complaint, answered from the case said back, sets none of the complaint's slots), and the
    policies' guess was the fallback: "没太理解" after a good answer."""
    if turn.tracker.active_loop or any(e.get("event") == "followup" for e in events):
        return events  # a form asks next, or the answer names what follows
    return [*events, FollowupAction("action_listen")]


def _reply_to_what_waits(turn: "Turn") -> list[EventType] | None:
    """A reply to what was said back for its yes (bot/actions/order_lookup.py)."""
    from bot.actions.order_lookup import replied_to_what_waits  # it builds on this module

    return replied_to_what_waits(turn)


def _for_another_order(turn: "Turn") -> list[EventType] | None:
    """The request put off for another order, served on the number just given
    (bot/actions/order_context.py)."""
    from bot.actions.order_context import served_for_another_order  # it builds on this module

    return served_for_another_order(turn)


def _parcel_found(turn: "Turn") -> list[EventType] | None:
    """The late or lost parcel of the case open here turned up (bot/actions/case_questions.py
    answers it before any action acts: the case is taken back, whatever the NLU read)."""
    from bot.actions.case_questions import answer_parcel_found  # it builds on this module

    return answer_parcel_found(turn)


PERIOD_IN_FOCUS = "period_in_focus"
PERIOD_KEPT_MESSAGES = 4  # a period said stays what 从哪天算 asks about for this many messages


def _period_in_focus(tracker: Tracker, stated: list[Period]) -> list[EventType]:
    """The slot event keeping the last period said this turn in focus, with the count of the
    shopper's messages it was said at."""
    if not stated:
        return []
    return [SlotSet(PERIOD_IN_FOCUS, {**stated[-1].as_slot(), "at": _messages_so_far(tracker)})]


INVOICE_SAID_BACK = "invoice_said_back"


ANOTHER_ORDER_REQUEST = "another_order_request"
ORDER_NEED = "order_need"  # the slot: what the order lookup serves once the order is verified
PUT_OFF_KEPT_MESSAGES = 4  # a request put off for another order waits this many messages


def put_off_request(tracker: Tracker) -> str | None:
    """The request put off for another order's number (键盘 钱呢 on the fryer's order) within
    the shopper's last few messages; None when none waits, or it was put off longer ago (a
    number given much later is about something else)."""
    messages = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            messages += 1
            if messages > PUT_OFF_KEPT_MESSAGES:
                return None
        elif event.get("event") == "slot" and event.get("name") == ANOTHER_ORDER_REQUEST:
            value = event.get("value")
            return str(value) if value else None
    return None


def _serves(need: Need, intent: str) -> bool:
    """Whether an answer to `intent` serves `need` (a late parcel and where it is are one)."""
    return intent in {SERVED_BY[n].intent for n in (need, SAME_NEED.get(need, need))}


def _request_serving(need: Need) -> str:
    """The order request that serves `need` (an FAQ need by its topic: invoice, 价保)."""
    return SERVED_BY[need].faq_topic or SERVED_BY[need].intent


def _invoice_said_back(said_back: list[InvoiceToConfirm]) -> list[EventType]:
    """The slot event keeping the invoice said back last this turn for the shopper's yes, with
    its order: what the yes confirms, and what is requested (order_services.carry_out)."""
    if not said_back:
        return []
    last = said_back[-1]
    return [SlotSet(INVOICE_SAID_BACK, {"order_no": last.order_no, **last.details.as_slot()})]


def invoice_said_back(tracker: Tracker, order_no: str) -> InvoiceDetails | None:
    """The invoice said back for a yes on `order_no` (None: none, or one of another order)."""
    value = tracker.get_slot(INVOICE_SAID_BACK)
    if not isinstance(value, dict) or value.get("order_no") != order_no:
        return None
    return InvoiceDetails.from_slot(value)


def period_in_focus(tracker: Tracker) -> Period | None:
    """The period the bot stated within the shopper's last few messages (a refund's working
    days, the 价保 or return window), which a bare 从哪天算 asks about; None otherwise."""
    value = tracker.get_slot(PERIOD_IN_FOCUS)
    if not isinstance(value, dict) or not isinstance(value.get("at"), int):
        return None
    if _messages_so_far(tracker) - value["at"] > PERIOD_KEPT_MESSAGES:
        return None
    return Period.from_slot(value)


def _messages_so_far(tracker: Tracker) -> int:
    return sum(1 for e in tracker.events if e.get("event") == "user")


def _taken_up_in_the_turn(turn: Turn, questions: list[AskedBeside]) -> list[AskedBeside]:
    """Questions beside the main answer, taken up after it in the same turn: a policy question
    answered from the knowledge base, reproaches and pleas heard once (with the case's
    compensation when one is asked on a verified order), a question about sending back the
    goods of the case open here answered from the case. The other questions in the shopper's
    own words are returned, to be offered."""
    for asked in questions:
        if not asked.key.startswith(FAQ_PREFIX):
            continue
        entry = get_entry(turn.session, asked.key.removeprefix(FAQ_PREFIX))
        if entry is None:
            continue
        answer = faq_answer(turn, entry)
        if isinstance(turn.out, NoRepeats) and turn.out.told(answer):  # no news: not again
            continue
        if _opens_with_a_fact_said(turn, answer):  # 保修多久 beside 防水吗, answered by the page
            continue
        turn.say(AnsweredBeside(entry.question, answer))
    heard = [q.question for q in questions if q.key.startswith(HEARD_PREFIX)]
    if heard:
        _hear(turn, heard)
    own_words = [q for q in questions if q.key.startswith(ASK_PREFIX)]
    return [q for q in own_words if not _return_trip_told(turn, q.question)]


def _opens_with_a_fact_said(turn: Turn, answer: str) -> bool:
    """Whether a policy answer opens with the product's own fact, said already this turn (the
    charger's warranty answered the message, and 保修多久 beside it would say it again)."""
    said = (str(m.get("text") or "").strip() for m in turn.out.messages)
    return any(len(text) >= MIN_FACT_CHARS and answer.startswith(text) for text in said)


MIN_FACT_CHARS = 10  # a fact said, long enough that an answer opening with it repeats it


def _hear(turn: Turn, heard: list[str]) -> None:
    """Reproaches and pleas beside the main answer, heard once: compensation asked on a verified
    order gets what its case gives; else the feeling met and a person offered, unless the
    answer offered one already."""
    compensation = any(asks_compensation(words) for words in heard)
    order = verified_order(turn.session, turn.tracker) if compensation else None
    if order is not None:
        case = open_case_in(turn.session, turn.conversation_id, order.order_no)
        turn.say(compensation_asked(order, case), buttons=[Button.HUMAN])
        return
    person = button(Button.HUMAN)
    offered = any(person in (m.get("buttons") or []) for m in turn.out.messages)
    if compensation or not offered:
        turn.say(PushbackHeard(compensation), buttons=[Button.HUMAN])


# The needs a logistics case serves: one open here on the verified order is that need in hand.
CASE_OF_NEED = {
    Need.DELAY: CaseKind.DELAYED,
    Need.WRONG_ITEM: CaseKind.WRONG_ITEM,
    Need.MISSING_ITEM: CaseKind.MISSING_ITEM,
    Need.DAMAGED: CaseKind.DAMAGED,
}


def _case_open_for(turn: Turn, need: Need) -> bool:
    """Whether `need` is served by the case open in this conversation on the verified order
    (发错的那双怎么寄回去 inside the wrong item's case: no 「发错的商品」 offered)."""
    order_no = turn.tracker.get_slot("verified_order_no")
    kind = CASE_OF_NEED.get(need)
    if kind is None or not order_no:
        return False
    case = open_case_in(turn.session, turn.conversation_id, order_no)
    return case is not None and case.kind == kind


# Needs beside the main answer that read the order or say back what they would do for a yes
# (where the parcel is, where the refund is, the invoice, the 价保): looked up in the same turn,
# by the request that serves each, when nothing else waits for a yes.
LOOKED_UP_BESIDE = (Need.TRACKING, Need.REFUND, Need.INVOICE, Need.PRICE_PROTECTION)


def _looked_up_beside(
    turn: Turn, needs: list[Need], events: list[EventType]
) -> tuple[Need, list[EventType]] | None:
    """The first need beside the main answer that only reads the verified order, and the
    events that look it up right after (the order lookup, which serves it at once): in a talk
    that named no other order, with nothing said back waiting for a yes. None otherwise: the
    need is offered."""
    need = next((n for n in needs if n in LOOKED_UP_BESIDE), None)
    order_no = turn.tracker.get_slot("verified_order_no")
    if need is None or not order_no or turn.for_another_order or turn.refocused:
        return None
    if _waits_for_yes(turn.tracker, events):
        return None
    named = {n for text in typed_texts(turn.tracker) for n in ORDER_NO_PATTERN.findall(text)}
    if named - {order_no}:  # 跑鞋… 羽绒服…: the need may be the other order's
        return None
    return need, look_up_for(_request_serving(need))


def look_up_for(request: str) -> list[EventType]:
    """The events that have the order lookup follow this action and serve `request` (an
    intent, or an FAQ need's topic) on the order: at once when it is verified, else once the
    shopper gives it."""
    return [SlotSet(ORDER_NEED, request), FollowupAction("order_lookup_form")]


def _return_trip_told(turn: Turn, words: str) -> bool:
    """A question in the shopper's words about sending back the goods of the case open on the
    verified order (要等我寄回去吗, 我自己找快递?): the case's return trip told, unless said a
    moment ago. False, nothing said, for any other question or with no case open here."""
    order_no = turn.tracker.get_slot("verified_order_no")
    if not order_no or case_question(words) is not CaseQuestion.RETURN_TRIP:
        return False
    case = open_case_in(turn.session, turn.conversation_id, order_no)
    if case is None:
        return False
    trip = ask_about_case(turn.session, case, CaseQuestion.RETURN_TRIP, turn.now, words=words)
    if not (isinstance(turn.out, NoRepeats) and turn.out.told(say(trip))):
        turn.say(trip)
    return True


def _kept_for_later(
    events: list[EventType], needs: list[Need], questions: list[AskedBeside]
) -> list[EventType]:
    """`events` with `later_needs` set to what is still to be offered: these needs and
    questions."""
    later = [n.value for n in needs] + [q.key for q in questions]
    return [e for e in events if e.get("name") != "later_needs"] + [
        SlotSet("later_needs", later or None)
    ]


def _kept_beside_a_request(session: Session, asked: AskedBeside) -> bool:
    """Whether a question beside a request waiting for its yes is still offered: an FAQ
    entry's, or one in the shopper's words that names a catalogue product."""
    own_words = asked.key.startswith(ASK_PREFIX)
    return not own_words or product_names.named_product_id(session, asked.question) is not None


def _waits_for_yes(tracker: Tracker, events: list[EventType]) -> bool:
    """Whether a request said back waits for the yes after this turn (`pending_request`, as
    this turn's events leave it)."""
    pending = tracker.get_slot("pending_request")
    for event in events:
        if event.get("event") == "slot" and event.get("name") == "pending_request":
            pending = event.get("value")
    return bool(pending)


def _answer_follows(events: list[EventType]) -> bool:
    """Whether the message's answer comes from an action that follows this one (a need noted
    for the order lookup, 发票什么时候能收到: the lookup serves it next), which takes up what
    the message asked beside it."""
    noted = any(
        e.get("event") == "slot" and e.get("name") == ORDER_NEED and e.get("value") for e in events
    )
    return noted or any(
        e.get("event") == "followup" and e.get("name") != "action_listen" for e in events
    )


def _asking(tracker: Tracker, events: list[EventType]) -> bool:
    """Whether a form is active after this action (it was, and the action did not end it)."""
    for event in reversed(events):
        if event.get("event") == "active_loop":
            return bool(event.get("name"))
    return bool((tracker.active_loop or {}).get("name"))


def message_intent(event: dict[str, Any]) -> str | None:
    """The intent the NLU read in a `user` event (None for any other event)."""
    name: str | None = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
    return name


def answer_before_message(tracker: Tracker) -> list[dict[str, Any]]:
    """The events between the shopper's message before the latest and the latest one (the
    bot's answer to it), oldest first."""
    span: list[dict[str, Any]] = []
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                break
            seen_user = True
        elif seen_user:
            span.append(event)
    return span[::-1]


def action_before_message(tracker: Tracker) -> str | None:
    """The bot's last action (not `action_listen`) before the shopper's latest message; None
    when it did nothing between that message and the one before."""
    actions = [
        e.get("name")
        for e in answer_before_message(tracker)
        if e.get("event") == "action" and e.get("name") != "action_listen"
    ]
    return actions[-1] if actions else None


def offers_yes(event: dict[str, Any]) -> bool:
    """Whether the event is a bot message offering a yes button."""
    if event.get("event") != "bot":
        return False
    buttons = (event.get("data") or {}).get("buttons") or []
    return any(b.get("payload") == "/affirm" for b in buttons)


def latest_text(tracker: Tracker) -> str:
    """The shopper's latest message."""
    return tracker.latest_message.get("text") or ""


def earlier_texts(tracker: Tracker) -> list[str]:
    """The shopper's messages of this session before the latest one that may be policy
    questions (faq.retrieval.MEMORY_INTENTS), oldest first: what the FAQ search reads a
    follow-up within (the latest of them: faq.retrieval.MEMORY_MESSAGES)."""
    memories = _faq_memories(tracker)
    return memories[-1] if memories else []


def shopper_texts(tracker: Tracker) -> list[str]:
    """Every message the shopper sent in this session, oldest first, the latest last."""
    texts: list[str] = []
    for event in tracker.events:
        if event.get("event") == "session_started":
            texts = []
        elif event.get("event") == "user" and event.get("text"):
            texts.append(str(event["text"]))
    return texts


def typed_texts(tracker: Tracker) -> list[str]:
    """The shopper's messages of this session that they typed (no button's payload), oldest
    first."""
    return [text for text in shopper_texts(tracker) if not text.startswith("/")]


def shopper_client(tracker: Tracker) -> str | None:
    """Who sends the latest message, as the chat gateway names the shopper's device (a digest
    of its address, in the message's metadata); None when another channel sent it."""
    client = (tracker.latest_message.get("metadata") or {}).get("client")
    return client if isinstance(client, str) and 0 < len(client) <= 64 else None


def latest_intent(tracker: Tracker) -> str | None:
    """The intent of the shopper's latest message (nlu_fallback included)."""
    intent: str | None = (tracker.latest_message.get("intent") or {}).get("name")
    return intent


def named_products(tracker: Tracker) -> list[str]:
    """The products the NLU tagged in the latest message (not earlier ones: the `product`
    slot keeps the last one ever tagged)."""
    entities = tracker.latest_message.get("entities") or []
    return [str(e.get("value")) for e in entities if e.get("entity") == "product"]


def conversation_product(session: Session, tracker: Tracker) -> Product | None:
    """The product named in this message, else the one in focus (这个, 它): naming another
    product switches the focus, naming nothing keeps it; a product named in a message no
    product answer read (赣南脐橙能发申通吗, answered from the FAQ) is named all the same."""
    text = " ".join([tracker.latest_message.get("text") or "", *named_products(tracker)])
    current = tracker.get_slot("current_product")
    return (
        product_names.find_product(session, text, current)
        or _referred_back(session, tracker, current)
        or _named_since_focus(session, tracker, current)
        or product_by_code(session, current)
    )


# 刚才那个壶, 之前那双鞋: a product discussed before, called by the last character of its kind.
_BACK_REFERENCE = re.compile(r"那(?:个|款|双|件|台|把|本|只|条|套|瓶|盒|箱|支|部)([\u4e00-\u9fff])")


def as_if_said(turn: "Turn", words: str, focus: Product | None = None) -> "Turn":
    """The turn as if the shopper had just said `words` (a clause of the message, the question
    that started a request, an earlier question asked again), about `focus` when given (the
    product the whole message named)."""
    tracker = copy.copy(turn.tracker)
    tracker.latest_message = {**tracker.latest_message, "text": words}
    if focus is not None:
        tracker.slots = {**tracker.slots, "current_product": focus.code}
    return dataclasses.replace(turn, tracker=tracker)


def entry_read(
    session: Session, tracker: Tracker, text: str, message: str | None = None
) -> FaqEntryData | None:
    """The knowledge base's entry the words themselves say is asked, whatever other words the
    search weighs: when goods bought now would come, or how long they take to a place (寄西藏拉萨
    要几天: the delivery time, not 西藏's postage), what sending them costs (水星被子寄哈尔滨
    运费多少), whether the shop sends there at all (寄到香港要几天: it does not), which carrier,
    whether goods are genuine (是正版吗别给我发盗版的哈). Never about the shopper's own order, nor
    about another thing sent (发票能寄到北京吗, 退货寄到杭州要几天, 刻字的下单后几天发货)."""
    if tracker.get_slot("verified_order_no") or points_at_an_order(text):
        return None
    if _AUTHENTICITY.search(text) and asks(text) and not names_own_purchase(text):
        return get_entry(session, AUTHENTICITY_TOPIC)  # 三体是正版吗别给我发盗版的哈
    if about_own_order(text):  # 帮我查下发到北京要几天: the shopper's own parcel
        return None
    if names_another_thing_sent(normalise(text)):
        return None
    earlier = typed_texts(tracker)[:-1]
    if asks_about_another_place(text) and earlier and earlier[-1] != text:
        # 那寄西宁呢 after 烟台苹果寄海口运费多少: the question before, about that place
        return entry_read(session, tracker, earlier[-1])
    shipping = _asks_how_goods_are_sent(text, message)
    if shipping is not None and unserved_named(message or text):  # 寄到香港要几天
        return get_entry(session, DELIVERY_AREA_TOPIC)
    return get_entry(session, shipping) if shipping is not None else None


def _asks_how_goods_are_sent(text: str, message: str | None) -> str | None:
    """The topic of a question about sending goods bought here, by its words: the carrier, the
    days (多久能到 beside 寄哈尔滨运费多少: to the place the whole message names), whether they go
    to a place, the postage; None when it asks none of these."""
    placed = message is not None and place_named(message) is not None
    when = asks_shipping_ahead(text) or (placed and asks_arrival_ahead(text))
    when = when or bool(_WHEN_ASKED.search(normalise(text)))  # 几天到 beside 发什么快递
    asked = [
        topic
        for topic, read in (
            (CARRIER_TOPIC, bool(_CARRIER_ASKED.search(normalise(text)))),  # 你们家发什么快递啊
            (DELIVERY_TIME_TOPIC, when),  # 寄到成都要几天
            (DELIVERY_AREA_TOPIC, asks_if_it_ships_to(text)),  # 龙井礼盒能寄西藏吗
            (SHIPPING_TOPIC, asks_postage(text) and asks(text)),  # 寄哈尔滨运费多少
        )
        if read
    ]
    # 发什么快递 几天到 asks two things: each clause is read on its own (each_question_answered)
    return asked[0] if len(asked) == 1 else None


# The knowledge base's entries about sending goods bought here: a read among them wins over the
# search; an entry of another topic the search is sure of (拒收要付运费吗: refusing a parcel)
# is the search's to answer.
SENDING_TOPICS = frozenset({"shipping_fee", "delivery_time", "delivery_area", "shipping_carrier"})
# When goods leave or come, asked in so many words (几天到, 什么时候发).
_WHEN_ASKED = re.compile(r"(?:几天|多久|什么时候|啥时候|哪天)(?:能|会|可以)?(?:到|发|送|寄|收到)")
# Which carrier the shop sends by (发什么快递, 走哪家物流, 能发顺丰吗); 发的什么快递 asks after a
# parcel sent.
_CARRIER_ASKED = re.compile(
    r"(?:发|走|用)(?:什么|啥|哪家|哪个|哪种)(?:快递|物流)|"
    rf"(?:能|可以|能不能|可不可以|支持)(?:发|走|用)(?:{'|'.join(CARRIERS)})"
)
# Whether goods are genuine, asked in any of the words for it (收到的是假货 tells, not asks).
_AUTHENTICITY = re.compile(r"正品|正版|真货|假货|盗版|水货|高仿|仿品|山寨|真的假的|是不是真的")


def search_asked(
    turn: "Turn",
    text: str | None = None,
    k: int = 1,
    earlier: Sequence[str] = (),
    categories: frozenset[str] | None = None,
    message: str | None = None,
) -> SearchResult:
    """The knowledge base's search of the message (or `text`), also read without the names of
    the product it names, whose words may find entries about goods of its kind (九阳空气炸锅
    包邮吗 finds an air fryer's manual; 包邮吗, the postage): the surer of the two readings. A
    name that says the kind of goods asked about (买橙子要是有坏的怎么弄) keeps its reading. An
    entry the words say outright (`entry_read`; `message`: the whole message of a clause) first."""
    words = turn.text if text is None else text
    read = entry_read(turn.session, turn.tracker, words, message)
    result = faq_search.search(turn.session, words, k=k, earlier=earlier, categories=categories)
    if read is not None and _read_wins(read, result):
        return SearchResult([Hit(read, READ_SCORE)], answered=True)
    product = product_names.find_product(turn.session, words, None)
    if product is None:
        return result
    left = product_names.without_names(product, words).strip()
    if len(left) < MIN_ASKED_CHARS:
        return result
    bare = faq_search.search(turn.session, left, k=k, earlier=earlier, categories=categories)
    best = bare.hits[0].score if bare.hits else 0.0
    return bare if best > (result.hits[0].score if result.hits else 0.0) else result


def _read_wins(read: FaqEntryData, result: SearchResult) -> bool:
    """Whether the entry the words name outright answers rather than the search's: unless the
    search is sure of an entry of another topic (拒收要付运费吗: refusing; 冰箱能寄新疆吗: large
    appliances), a read about sending goods settles which of those entries is meant."""
    if not result.answered or result.hits[0].entry.id == read.id:
        return True
    return read.id in SENDING_TOPICS and result.hits[0].entry.id in SENDING_TOPICS


def each_question_answered(
    turn: "Turn", text: str, categories: frozenset[str] | None = None
) -> list[str] | None:
    """The answers to a message asking two or more things the knowledge base answers apart
    (包邮吗 寄新疆几天到: the postage and the days), each clause's entry once, in the message's
    order; None when fewer than two of its questions have an entry it is sure of."""
    parts = [c.text for c in clauses(text) if is_question(c.text)]
    if len(parts) < 2:
        return None
    found: dict[str, tuple[FaqEntryData, str]] = {}
    for part in parts:
        result = search_asked(turn, part, categories=categories, message=text)
        if result.answered and result.hits[0].score >= FAQ_BESIDE_SCORE:
            found.setdefault(result.hits[0].entry.id, (result.hits[0].entry, part))
    if len(found) < 2:
        return None
    product = conversation_product(turn.session, turn.tracker)  # 龙井礼盒能寄西藏吗 运费多少
    answers: list[str] = []
    for entry, part in found.values():
        new = _not_said_in(faq_answer(as_if_said(turn, part, product), entry), answers)
        if new:  # 能寄西藏吗 要几天: the area's answer says the days already
            answers.append(new)
    return answers if len(answers) >= 2 else None


def _not_said_in(answer: str, answers: list[str]) -> str:
    """The sentences of `answer` that none of `answers` says already (赣南脐橙…运费多少 走什么快递:
    the cold chain said once), in their order; empty when it says nothing new."""
    said = "".join(answers)
    return "".join(s for s in sentences_of(answer) if s.strip("。；，\n ") not in said).strip()


READ_SCORE = 1.0  # an entry the words themselves say is asked (`entry_read`)
MIN_ASKED_CHARS = 2  # 包邮吗 left of a message that named the product: asked; 吗 alone: not


def _referred_back(session: Session, tracker: Tracker, current: str | None) -> Product | None:
    """The one product discussed earlier in this session (in focus before) whose kind the
    message calls by its last character (刚才那个壶 after the rice cooker: the kettle); None
    when the message calls none, the product in focus is such a one, or several are."""
    found = _BACK_REFERENCE.search(tracker.latest_message.get("text") or "")
    if found is None:
        return None
    head = found.group(1)
    codes: list[str] = []
    for event in reversed(tracker.events):
        if event.get("event") == "session_started":
            break
        code = event.get("value") if event.get("name") == "current_product" else None
        if event.get("event") == "slot" and code and code not in codes:
            codes.append(str(code))
    called = [p for c in codes if (p := product_by_code(session, c)) and _called(p, head)]
    if len(called) != 1 or called[0].code == current:
        return None
    return called[0]


def _called(product: Product, head: str) -> bool:
    """Whether `head` is the last character of one of the product's own names for its kind."""
    return any(len(k) >= 2 and k.endswith(head) for k in product.keywords)


def _named_since_focus(session: Session, tracker: Tracker, current: str | None) -> Product | None:
    """The product last named in the shopper's earlier messages since the focus was last set
    (within this session), or None."""
    for event in reversed(_events_before_message(tracker)):
        kind = event.get("event")
        if kind == "session_started" or (kind == "slot" and event.get("name") == "current_product"):
            return None
        named = (
            product_names.find_product(session, str(event["text"]), current)
            if kind == "user" and event.get("text")
            else None
        )
        if named is not None:
            return named
    return None


def _events_before_message(tracker: Tracker) -> list[dict[str, Any]]:
    """The conversation's events before the shopper's latest message."""
    users = [i for i, e in enumerate(tracker.events) if e.get("event") == "user"]
    return tracker.events[: users[-1]] if users else list(tracker.events)


def verified_order(session: Session, tracker: Tracker) -> Order | None:
    """The order this conversation proved is the shopper's (number + phone tail, checked once
    by the lookup); its phone may have changed since, so the tail is not asked again."""
    order_no = tracker.get_slot("verified_order_no")
    return load_order(session, order_no) if order_no else None


def goods_in_focus(session: Session, tracker: Tracker) -> frozenset[str] | None:
    """The product categories (codes) the conversation is about: the product named or in focus,
    the verified order's goods and the goods the message names (衣服); None when it is about
    none. An FAQ entry about other goods (大家电 delivery for running shoes) never answers
    (FaqEntryData.scope)."""
    product = conversation_product(session, tracker)
    order = verified_order(session, tracker)
    codes = {product.category.code} if product is not None else set()
    if order is not None:
        codes |= {item.variant.product.category.code for item in order.items}
    if (named := category_named(latest_text(tracker))) is not None:  # 衣服要是洗过呢
        codes.add(named)
    return frozenset(codes) or None


# FAQ topics whose answer starts with the product's own fact when a product is being discussed
PRODUCT_FACT_OF_TOPIC = {"warranty_repair": "保修"}
PRICE_PROTECTION_TOPIC = "price_protection"  # starts with the product's running promotion
PAYMENT_TOPIC = "payment_methods"  # 能分期吗 免息不: the product's own instalments first
SHIPPING_TOPIC = "shipping_fee"  # 包邮不: on the product in focus, or on the amount named
CARRIER_TOPIC = "shipping_carrier"  # 你们家发什么快递: by whom
AUTHENTICITY_TOPIC = "authenticity"  # 是正品吗: however the rest of the words read
DELIVERY_AREA_TOPIC = "delivery_area"  # 能寄西藏吗: where goods go at all
DELIVERY_TIME_TOPIC = "delivery_time"  # 今天下单什么时候发, 寄到成都要几天: from now, to there


def faq_answer(turn: Turn, entry: FaqEntryData) -> str:
    """The entry's answer for the goods the message names (衣服: 服装's rule), else for the
    product the conversation is about (fresh fruit, appliances…), after that product's own fact
    when the topic has one (its warranty, not a general one; for
    价保, whether the price it sells at now is covered: a 秒杀 is not; for instalments, its own
    interest-free plan). It never asks for the
    order number of an order the conversation has verified."""
    product = conversation_product(turn.session, turn.tracker)
    verified = turn.tracker.get_slot("verified_order_no") is not None
    category = category_named(turn.text) or (product.category.code if product else None)
    answer = entry.answer_for(category, verified)
    if product is not None and entry.id == PRICE_PROTECTION_TOPIC:
        covered = product_price_protection(turn.session, product, turn.now)
        return f"{say(covered)}\n{answer}"
    # 包邮不 about the shoes, 99块刚好包邮吧: that amount's postage (fresh food and appliances
    # have their own rule, the entry's answer for them)
    if entry.id == SHIPPING_TOPIC and not load_policy().shipping.has_own_rule(category):
        postage = shipping_asked(turn.text, product, turn.now, _said_around(turn))
        if postage is not None:
            return say(postage)
    own_rule = (category or "") in entry.category_answers  # fresh food, appliances: their own
    if entry.id == DELIVERY_TIME_TOPIC and not own_rule and _asks_when_from_now(turn):
        return say(delivery_estimate(turn.text, turn.now, _said_around(turn)))
    if product is not None and entry.id == PAYMENT_TOPIC and asks_instalments(turn.text):
        return f"{say(price_quote(product, turn.now, turn.text))}\n{answer}"
    attribute = PRODUCT_FACT_OF_TOPIC.get(entry.id)
    if product is None or attribute is None:
        return answer
    fact = attribute_answer(product, attribute)
    return f"{say(fact)}{answer}" if isinstance(fact, ProductFact) else answer


def _said_around(turn: Turn) -> list[str]:
    """The shopper's messages around the words answered: those before, and the whole message
    when the words are one clause of it (包邮吗 in 包邮吗 寄新疆几天到: still to 新疆)."""
    texts = typed_texts(turn.tracker)
    return texts[:-1] if texts and texts[-1] == turn.text else texts


def _asks_when_from_now(turn: Turn) -> bool:
    """Whether a delivery-time question asks about a purchase made now or a place named, in
    its words or in the message they are a clause of (今天下单什么时候发, 寄到成都要几天, 几天能到
    beside 寄西宁运费多少), which the warehouse's and transit rules answer; never in a talk of
    an order placed (verified, its number given, 我昨天买了条裤子, 我的快递还没到)."""
    if turn.tracker.get_slot("verified_order_no") or _order_named(turn.tracker):
        return False
    texts = typed_texts(turn.tracker)
    if any(about_own_order(t) or tells_of_an_order_made(t) for t in texts):
        return False
    if names_another_thing_sent(normalise(turn.text)):  # 退货寄到杭州要几天: not goods bought
        return False
    named = any(province_named(text) for text in (turn.text, *texts[-1:]))
    return asks_shipping_ahead(turn.text) or named


_turn_session: ContextVar[Session] = ContextVar("turn_session")


@contextmanager
def form_turn() -> Iterator[Session]:
    """The unit of work of one form-validation turn, which its validators read."""
    with unit_of_work() as session:
        token = _turn_session.set(session)
        try:
            yield session
        finally:
            _turn_session.reset(token)


class TurnFormValidation(FormValidationAction, ABC):
    """A form's validation whose turn is one unit of work, read by its validators through
    `self.session` (rasa-sdk fixes their signatures, so it cannot be passed)."""

    @abstractmethod
    def name(self) -> str:
        """The form validation's action name, `validate_<form>`."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        # No bookkeeping slots here: a message that fills none of the form's slots must leave it
        # with no slot set, so the form rejects it and the rules for its intent answer it
        # (bot/data/form_rules.yml); the next TurnAction reads its other needs.
        with form_turn():
            return await super().run(dispatcher, tracker, domain)

    @property
    def session(self) -> Session:
        return _turn_session.get()

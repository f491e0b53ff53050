"""Short replies inside an open case or chase, which the NLU reads as a yes, a no, a goodbye,
data or out of scope.

Inside a case a shopper answers in a few words: 嗯 那就退款吧, 还是补发吧 (a remedy chosen),
行吧 尽快 (hurry it), 那先别取消 我急着用, 好吧 等你消息, 明天还不动我再来找你 (keep the order, tell
me, I will be back). The NLU reads them as `affirm`, `deny`, `goodbye`, `inform` or
`out_of_scope`, whose fixed rules (请问还有什么可以帮您的吗, the goodbye, 帮不上忙) would lose
what they say.

`read_case_reply` decides, from the message, the conversation and the case open in it, whether
the message is such a reply: no form asks and no request said back waits for its yes (their own
rules answer then), a case is open on the verified order, and the words choose a remedy, follow
up the chase, or ask about or close the case. A bare 好的 / 嗯 is no such reply: the fixed rule
answers it as before. `ActionCheckCaseReply` runs it on each of those intents' messages (a
custom slot mapping, before any rule is picked) and sets `case_open`; the rules in
bot/data/case_replies.yml then send the message to `ActionReplyInCase`, which answers it:

- a remedy chosen is said back with the amount for a yes (`answer_about_case(decisions=True)`),
  never carried out on the bare yes that chose it;
- in a chase (a late case), keeping the order, a notice asked for, or a closing remark gets the
  chase's answer: the answer time, and the shipping notice or the parcel's news in this chat;
- any other question about the case, or a closing remark, is answered from the case.

A remedy chosen in words is read the same way where no case is open yet (`ReplyKind.CHOICE`):
while a fresh-food claim or a remedy said back waits for its yes (退钱就行 不用补发 is no "no"),
or after a problem with no case (补偿点钱就行 is no goodbye). It is said back with exactly what
will happen, for a yes (`answer_about_case(decisions=True)`).

Anything else gets exactly what the fixed rule would have said.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from bot.actions import problem_cases
from bot.actions.case_questions import answer_about_case, choice_without_case
from bot.actions.common import (
    Turn,
    TurnAction,
    action_before_message,
    latest_intent,
    latest_text,
)
from bot.actions.in_context import heard_in_case
from bot.actions.order_lookup import WAITING_FOR_YES, still_asked
from bot.actions.order_services import chase_talk, say_chase_answer
from conversations.reading import Answer, answer_to_confirmation, is_negated_request
from conversations.short_messages import says_more_than_goodbye, steps_away
from core.clock import utcnow
from core.database import unit_of_work
from core.text import normalise
from shop.case_questions import (
    CaseChoice,
    CaseQuestion,
    case_question,
    open_case_in,
    remedy_choice,
    remedy_switch,
    stated_choice,
)
from shop.chasing import WAREHOUSE, ChaseTalk, on_its_way
from shop.fresh_food import read_remedy
from shop.models import CaseKind, LogisticsCase
from shop.problem_policy import FreshRemedy

CASE_OPEN = "case_open"  # the slot: this message is a reply inside the case open here
# The intents whose fixed rules a reply inside a case comes as, and what each would have said
# (`inform` with nothing to take: the bot asks how it can help, bot/actions/order_context.py).
FIXED_REPLY = {
    "affirm": "utter_anything_else",
    "deny": "utter_goodbye",
    "goodbye": "utter_goodbye",
    "inform": "utter_ask_how_to_help",
    "out_of_scope": "utter_out_of_scope",
}
REPLY_INTENTS = frozenset(FIXED_REPLY)
# A bare acknowledgement (好的, 嗯, 行吧) says nothing of its own: the fixed rule answers it.
BARE_ACK = re.compile(
    r"^(好|行|嗯|恩|哦|噢|ok|okay|收到|知道了|明白|可以)+[的吧啊哈呀了]*[~!。.]*$"
)
# Data the order lookup or an order question takes (an order number, a phone tail).
DIGITS = re.compile(r"\d{4,}")
# A chase of an order the warehouse has not shipped: what happens if a parcel is lost, a
# return or photos are not its questions.
WAREHOUSE_QUESTIONS = frozenset({CaseQuestion.HURRY, CaseQuestion.HOW_LONG, CaseQuestion.CLOSING})
# Slots whose question waits for data (an order number after an invoice, 价保 or policy answer).
WAITING_FOR_DATA = ("order_need", "policy_request")


class ReplyKind(StrEnum):
    REMEDY = "remedy"  # 嗯 那就退款吧, 还是补发吧: said back for a yes
    CHASE = "chase"  # 那先别取消 我急着用, 好吧 等你消息: the chase's answer
    QUESTION = "question"  # 行吧 尽快, 下次挑好点: answered from the case
    CHOICE = "choice"  # 退钱就行 不用补发, 补偿点钱就行 with no case open: said back for a yes
    KEPT = "kept"  # 算了不取消了 千万别给我取消: the order stays as it is, said so


@dataclass(frozen=True)
class CaseReply:
    """What a short reply inside the case open here is, and the case (`talk`: the chase
    follow-up it is; no case for a remedy chosen before one is open)."""

    kind: ReplyKind
    case: LogisticsCase | None
    talk: ChaseTalk | None = None


def choice_while_waiting(
    session: Session, tracker: Tracker, now: datetime, text: str
) -> CaseReply | None:
    """A remedy chosen in words (退钱就行 不用补发, 还是补发吧 不要退钱, 补偿点钱就行) right after
    a problem was said back for a yes: the fresh-food claim, or a remedy on the case open here
    when the words choose another one, or some money for keeping the item. Said back again
    with the choice, never taken for a no. None for any other request waiting (a cancel)."""
    pending = str(tracker.get_slot("pending_request") or "")
    choice = stated_choice(text)
    if pending not in problem_cases.PENDING or choice is None:
        return None
    if action_before_message(tracker) not in WAITING_FOR_YES and not still_asked(tracker):
        return None  # said back longer ago than a question or two in between
    plain_yes = latest_intent(tracker) == "affirm" and answer_to_confirmation(text) == Answer.YES
    if plain_yes and choice == _choice_said_back(tracker, pending):
        return None  # 好的 退款吧 to the refund said back: the yes-or-no rule carries it out
    verified = tracker.get_slot("verified_order_no")
    case = open_case_in(session, tracker.sender_id, str(verified)) if verified else None
    if case is not None:
        if remedy_switch(case, choice, now, text) is not None:
            return CaseReply(ReplyKind.CHOICE, case)
        return None
    if choice_without_case(session, tracker, text) is not None:
        return CaseReply(ReplyKind.CHOICE, None)
    return None


def _choice_said_back(tracker: Tracker, pending: str) -> CaseChoice | None:
    """The remedy the problem waiting for its yes was said back with (a fresh-food claim's:
    the one its earlier messages chose, else its policy's first, a proportional refund)."""
    if pending == problem_cases.COMPENSATION:
        return CaseChoice.COMPENSATION
    if pending == problem_cases.FRESH_CLAIM:
        earlier = problem_cases.episode_messages(tracker, True)
        resend = read_remedy(earlier) == FreshRemedy.RESEND
        return CaseChoice.RESHIP if resend else CaseChoice.REFUND
    return next((c for c, value in problem_cases.REMEDY_PENDING.items() if value == pending), None)


def read_case_reply(
    session: Session, tracker: Tracker, now: datetime, intent: str | None = None
) -> CaseReply | None:
    """The reply inside the case open here that the latest message is (None when it is not
    one: the fixed rule of its intent answers it). Reads only: nothing is recorded."""
    intent = intent or latest_intent(tracker)
    text = latest_text(tracker)
    if intent not in REPLY_INTENTS or (tracker.active_loop or {}).get("name"):
        return None
    if text.startswith("/"):
        return None
    if tracker.get_slot("pending_request"):
        return choice_while_waiting(session, tracker, now, text)
    if intent == "inform" and (
        DIGITS.search(text) or any(tracker.get_slot(slot) for slot in WAITING_FOR_DATA)
    ):
        return None
    clean = normalise(text).replace(" ", "")
    verified = tracker.get_slot("verified_order_no")
    if not clean or BARE_ACK.match(clean) or not verified:
        return None
    case = open_case_in(session, tracker.sender_id, str(verified))
    if case is None:
        if choice_without_case(session, tracker, text) is not None:
            return CaseReply(ReplyKind.CHOICE, None)  # 补偿点钱就行 after a problem, no case yet
        if is_negated_request(text):  # 不取消了 别给我取消: never a bare goodbye
            return CaseReply(ReplyKind.KEPT, None)
        return None
    choice = remedy_choice(text)
    if choice is not None and remedy_switch(case, choice, now, text) is not None:
        return CaseReply(ReplyKind.REMEDY, case)
    question = case_question(text)
    if case.kind == CaseKind.DELAYED and on_its_way(case.order):
        talk = chase_talk(text)
        if talk is None and question == CaseQuestion.CLOSING:
            talk = ChaseTalk.NOTIFY  # 好吧 等你消息: the answer time and the news in this chat
        if talk is not None:
            return CaseReply(ReplyKind.CHASE, case, talk)
        if case.carrier == WAREHOUSE and question not in WAREHOUSE_QUESTIONS:
            return None
    if question is None:  # 说白了就是不知道呗, 快递柜我翻了 没有: not done, never a goodbye
        return CaseReply(ReplyKind.QUESTION, case) if says_more_than_goodbye(text) else None
    return CaseReply(ReplyKind.QUESTION, case)


class ActionCheckCaseReply(Action):
    """Run before any rule is picked, on each message of `REPLY_INTENTS` (the custom mapping
    of the slot `case_open`, bot/domain.yml): sets the slot when the message is a reply inside
    the case open here, so the rules send it to `action_reply_in_case`."""

    def name(self) -> str:
        return "action_check_case_reply"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        if latest_intent(tracker) not in REPLY_INTENTS or (tracker.active_loop or {}).get("name"):
            reply = None  # no query: nothing of the case is read
        else:
            with unit_of_work() as session:
                reply = read_case_reply(session, tracker, utcnow())
        value = True if reply is not None else None
        if value is None and tracker.get_slot(CASE_OPEN) is None:
            return []
        return [SlotSet(CASE_OPEN, value)]


class ActionReplyInCase(TurnAction):
    """A short reply inside the case open here (bot/data/case_replies.yml): a remedy chosen is
    said back for a yes, a chase follow-up or a closing remark gets the case's or chase's next
    step, a question about the case its answer; anything else what the fixed rule says."""

    hears_replies_first = False  # a reply inside the case is its own work

    def name(self) -> str:
        return "action_reply_in_case"

    def act(self, turn: Turn) -> list[EventType]:
        events: list[EventType] = [SlotSet(CASE_OPEN, None)]
        reply = read_case_reply(turn.session, turn.tracker, turn.now)
        if reply is not None and reply.case is not None and reply.talk is not None:
            say_chase_answer(turn, reply.case.order, reply.talk, reply.case)
            return events
        if reply is not None and reply.kind == ReplyKind.KEPT:  # the order stays as it is
            turn.utter("utter_request_kept")
            return events
        if reply is not None:
            verified = turn.tracker.get_slot("verified_order_no")
            order_no = reply.case.order.order_no if reply.case is not None else str(verified)
            decisions = reply.kind in (ReplyKind.REMEDY, ReplyKind.CHOICE)
            answered = answer_about_case(turn, order_no=order_no, decisions=decisions)
            if answered is not None:
                # a choice said back again replaces what waited (or ends it: too late to claim)
                replaced = reply.kind == ReplyKind.CHOICE or answered.waiting
                waiting = [SlotSet("pending_request", answered.waiting)] if replaced else []
                return events + waiting
        in_case = reply.case.order.order_no if reply is not None and reply.case else None
        if in_case and heard_in_case(turn, in_case):  # 快递柜我翻了 没有: what happens next
            return events
        if steps_away(turn.text):  # 等下我下楼看看: they come back to the case
            turn.utter("utter_take_your_time")
            return events
        turn.utter(FIXED_REPLY.get(latest_intent(turn.tracker) or "", "utter_anything_else"))
        return events

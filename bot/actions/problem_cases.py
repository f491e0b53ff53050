"""A problem with the shopper's order: what their words describe decides what is done.

The NLU's intent is a first reading; `shop.problems.read_problem` reads the words against the
order's items. Rotten fruit goes to the fresh-food policy whatever report intent was picked, a
defect after use is a quality return (never transport damage), a crushed box a parcel case.
When two actions fit — the NLU nearly as sure of a second acting intent, or the words describe
a problem the intent would not handle — the bot asks with a button each and never guesses.
Nothing is committed on a guess: a case opens at once only when the words described it (or the
shopper picked it with a button) on a verified order; otherwise it is said back for a yes, and
a fresh-food claim or a quality return is always said back first.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from rasa_sdk import Tracker

from bot.actions.common import Turn, message_intent
from conversations.models import EscalationReason
from conversations.service import hand_over
from shop import aftersales, logistics
from shop.case_questions import (
    CaseChoice,
    ChoiceBeforeCase,
    RemedyNotOffered,
    choice_before_case,
    choose_remedy,
    decided_choice,
    note_compensation,
    open_case_in,
    stated_choice,
)
from shop.fresh_food import (
    FreshClaimOpened,
    FreshClaimToConfirm,
    FreshReportTooLate,
    fresh_claim_check,
    read_remedy,
    said_payment,
)
from shop.fresh_food import open_fresh_claim as record_fresh_claim
from shop.logistics import CaseOpened, CaseToConfirm, NoParcelYet
from shop.models import CaseKind, Order
from shop.problem_policy import FreshRemedy, load_problem_policy
from shop.problems import CASE_KIND, ProblemKind, ProblemReading, WhichAction, read_problem
from words.render import Button, intent_button, say

# The action server checks the policy when it starts: an invalid file stops it with a clear error.
load_problem_policy()

CONFIRM_BUTTONS = [Button.CONFIRM_REQUEST, Button.KEEP_REQUEST]
UNSURE_MARGIN = 0.15  # top two acting intents closer than this: ask which
# Intents that do something to the order (two of them close together: ask which).
ACTING_INTENTS = frozenset(
    {
        "cancel_order",
        "request_return_exchange",
        "report_delivery_delay",
        "report_damaged_item",
        "report_lost_parcel",
        "report_wrong_or_missing_item",
        "modify_order",
        "request_repair",
    }
)
CASE_KIND_BY_INTENT = {
    "report_delivery_delay": CaseKind.DELAYED,
    "report_lost_parcel": CaseKind.LOST,
    "report_damaged_item": CaseKind.DAMAGED,
    "report_wrong_or_missing_item": CaseKind.WRONG_ITEM,
}
# Intents whose words the problem reader reads: a parcel problem, or a return.
READ_INTENTS = frozenset({*CASE_KIND_BY_INTENT, "request_return_exchange"})
# The intent that does what each problem needs (the second button when the words disagree).
RETURN_INTENT = "request_return_exchange"
INTENT_OF = {
    ProblemKind.SPOILED_FRESH: "report_damaged_item",
    ProblemKind.QUALITY_DEFECT: "request_return_exchange",
    ProblemKind.WRONG_ITEM: "report_wrong_or_missing_item",
    ProblemKind.MISSING_ITEM: "report_wrong_or_missing_item",
    ProblemKind.LOST: "report_lost_parcel",
    ProblemKind.LATE: "report_delivery_delay",
    ProblemKind.TRANSPORT_DAMAGE: "report_damaged_item",
}
_WHEREABOUTS = frozenset({"report_delivery_delay", "report_lost_parcel"})
# The intents each problem may come as without changing what is done: late and lost are one
# case (the tracking tells them apart); spoiled fresh food and a defect after use take their
# own path from any of the read intents.
FITS = {
    ProblemKind.SPOILED_FRESH: READ_INTENTS,
    ProblemKind.QUALITY_DEFECT: READ_INTENTS,
    ProblemKind.WRONG_ITEM: frozenset({"report_wrong_or_missing_item"}),
    ProblemKind.MISSING_ITEM: frozenset({"report_wrong_or_missing_item"}),
    ProblemKind.LOST: _WHEREABOUTS,
    ProblemKind.LATE: _WHEREABOUTS,
    ProblemKind.TRANSPORT_DAMAGE: frozenset({"report_damaged_item"}),
}

# What a confirmed problem waits for in `pending_request`.
FRESH_CLAIM = "fresh_claim"
QUALITY_RETURN = "quality_return"
CASE_PENDING = {kind: f"case_{kind.value}" for kind in CaseKind}
# A remedy chosen instead on the case open here (bot/actions/case_questions.py), said back.
REMEDY_PENDING: dict[CaseChoice, str] = {
    choice: f"case_remedy_{choice.value}"
    for choice in CaseChoice
    if choice != CaseChoice.COMPENSATION
}
# The item kept for some money (补偿点钱就行), said back: a person sets the amount on the yes.
COMPENSATION = "compensation"
PENDING = frozenset(
    {FRESH_CLAIM, QUALITY_RETURN, COMPENSATION, *CASE_PENDING.values(), *REMEDY_PENDING.values()}
)
# The intents a fresh-food claim's follow-ups come as (坏了3个, 一共12个, 补发吧, 好的).
EPISODE_INTENTS = READ_INTENTS | {"inform", "affirm", "nlu_fallback"}
EPISODE_MESSAGES = 8
TOO_LATE_DETAIL = "report_damaged_item"  # the escalation's detail: the need the bot did not serve


@dataclass(frozen=True)
class Route:
    """What to do: the intent to act on, the problem the words describe (None: the intent
    alone), and whether the shopper's request was explicit (words or a button)."""

    intent: str
    problem: ProblemKind | None
    explicit: bool


@dataclass(frozen=True)
class Unsure:
    """Two actions fit: ask which (a button for each intent)."""

    first: str
    second: str
    described: ProblemKind | None = None


Ranking = Sequence[tuple[str, float]]


def close_second(ranking: Ranking, intent: str) -> str | None:
    """The runner-up when the NLU was nearly as sure of it (within `UNSURE_MARGIN`) and both
    it and `intent`, the top one, do something to the order."""
    if intent not in ACTING_INTENTS or len(ranking) < 2 or ranking[0][0] != intent:
        return None
    (_, top), (second, runner_up) = ranking[0], ranking[1]
    if second in ACTING_INTENTS and second != intent and top - runner_up < UNSURE_MARGIN:
        return second
    return None


# Words that ask to send goods back or swap them: a return read where they say none of these
# (我买的裙子好几天没动静了) is the NLU's guess, and the problem the words describe is the request.
RETURN_WORDS = re.compile(r"退|换")


def route(
    intent: str,
    reading: ProblemReading,
    ranking: Ranking,
    chosen: bool,
    words: str,
) -> Route | Unsure:
    """Decide what the request is. A button the shopper picked is their choice; otherwise the
    words decide between the NLU's intent and a close runner-up, a decisive problem (spoiled
    fresh food, a defect after use) holds whatever the intent, a return read from words that
    ask no return is the problem they describe, and words that describe a problem the intent
    would not handle ask which."""
    if chosen:
        problem = next((k for k in reading.kinds if intent in FITS[k]), None)
        return Route(intent, problem, True)
    second = close_second(ranking, intent)
    for candidate in (intent, second) if second else (intent,):
        for kind in reading.kinds:
            if candidate in FITS[kind]:
                return Route(candidate, kind, True)
    if second is not None:
        return Unsure(intent, second)
    if intent == RETURN_INTENT and reading.kind is not None and not RETURN_WORDS.search(words):
        return Route(INTENT_OF[reading.kind], reading.kind, True)  # 裙子好几天没动静了
    if intent in READ_INTENTS and reading.kind is not None:
        return Unsure(intent, INTENT_OF[reading.kind], reading.kind)
    return Route(intent, None, False)


def ask_which(turn: Turn, order: Order, unsure: Unsure) -> None:
    """Two buttons, each sending its intent; nothing is done until one is picked."""
    buttons = [intent_button(unsure.first), intent_button(unsure.second)]
    turn.out.utter_message(
        text=say(WhichAction(order.order_no, unsure.described)),
        buttons=[b for b in buttons if b is not None],
    )


# --- messages of the conversation -----------------------------------------------------------


# The actions that say a request back for the shopper's yes (the invoice form's ends there; a
# remedy chosen in a short reply inside a case: bot/actions/case_replies.py).
SAYING_BACK = ("action_handle_order_request", "action_confirm_invoice", "action_reply_in_case")


def answering(tracker: Tracker, requests: frozenset[str] | set[str]) -> bool:
    """Whether this turn answers what the bot has just said back (the rule for words while a
    request waits for a yes), not a request: a request waits, the latest message is none, and
    the bot's last action before it said the request back (not the lookup asking for a tail)."""
    if not tracker.get_slot("pending_request"):
        return False
    seen_message = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_message or message_intent(event) in requests:
                return False
            seen_message = True
        elif event.get("event") == "action" and event.get("name") != "action_listen":
            return seen_message and event.get("name") in SAYING_BACK
    return False


def episode_messages(tracker: Tracker, before_latest: bool = False) -> list[str]:
    """The shopper's typed messages about the problem being handled, oldest first: back to the
    last answer to a request said back, or to a message about something else (`before_latest`:
    without the latest message, the yes to what was said back)."""
    texts: list[str] = []
    skip = before_latest
    waiting_since = _waiting_since(tracker)
    for at in range(len(tracker.events) - 1, -1, -1):
        event = tracker.events[at]
        answered = event.get("name") == "action_answer_pending_request"
        if event.get("event") == "action" and answered and not _still_waited(tracker, event):
            break  # a wish heard while the claim waited is of the same episode
        if event.get("event") != "user":
            continue
        if skip:
            skip = False
            continue
        text = str(event.get("text") or "")
        # a remedy chosen in words is about the problem whatever the NLU read (退钱就行 不用补发
        # as a no, 给我补发两个吧 as a cancel)
        about = message_intent(event) in EPISODE_INTENTS or stated_choice(text) is not None
        if not about and waiting_since is not None and at > waiting_since:
            continue  # 照片要带什么吗 while the claim waited: answered, and the claim kept waiting
        if not about or len(texts) >= EPISODE_MESSAGES:
            break
        if not text.startswith("/"):
            texts.append(text)
    return texts[::-1]


def _waiting_since(tracker: Tracker) -> int | None:
    """Where the request now waiting was said back, as an index of the tracker's events: the
    first of the latest run of `pending_request` events that all hold it; None when nothing
    waits."""
    waiting = tracker.get_slot("pending_request")
    since = None
    for at, event in enumerate(tracker.events):
        if event.get("event") == "slot" and event.get("name") == "pending_request":
            since = (since if since is not None else at) if event.get("value") == waiting else None
    return since if waiting else None


def _still_waited(tracker: Tracker, answered: dict[str, Any]) -> bool:
    """Whether the request waiting was kept waiting by the answer `answered` (an event of
    `action_answer_pending_request`): no slot event cleared it right after."""
    events = tracker.events
    start = next(i for i, e in enumerate(events) if e is answered)
    for event in events[start + 1 :]:
        if event.get("event") in ("user", "action"):
            return True
        if event.get("event") == "slot" and event.get("name") == "pending_request":
            return event.get("value") is not None
    return True


def said_back_remedy(tracker: Tracker, pending: str) -> str | None:
    """The remedy a fresh-food claim waiting for its yes was said back with, as the
    `pending_request` value of that remedy (a resend: `case_remedy_reship`); None for any
    other request waiting."""
    if pending != FRESH_CLAIM:
        return None
    resend = read_remedy(episode_messages(tracker, before_latest=True)) == FreshRemedy.RESEND
    return REMEDY_PENDING[CaseChoice.RESHIP if resend else CaseChoice.REFUND]


def continues_fresh_claim(tracker: Tracker, order: Order, intent: str, words: str) -> bool:
    """A message with no other problem of its own (坏了3个, 补发吧) while a fresh-food claim
    waits for its yes is about that claim."""
    if tracker.get_slot("pending_request") != FRESH_CLAIM or intent not in READ_INTENTS:
        return False
    return set(read_problem(words, order).kinds) <= {ProblemKind.SPOILED_FRESH}


# --- what is said back, and done on the yes -------------------------------------------------


def fresh_claim(turn: Turn, order: Order) -> str | None:
    """The fresh-food claim the conversation asks for, said back for a yes; after the policy's
    hours a person decides (the conversation goes to an agent)."""
    messages = episode_messages(turn.tracker)
    checked = fresh_claim_check(order, turn.now, messages)
    if isinstance(checked, FreshReportTooLate):
        hand_over(
            turn.session,
            turn.conversation_id,
            EscalationReason.NEEDS_AGENT,
            reason_detail=TOO_LATE_DETAIL,
            order_no=order.order_no,
            detail=" / ".join(messages),
        )
    confirm = isinstance(checked, FreshClaimToConfirm)
    if isinstance(checked, FreshClaimToConfirm) and turn.tracker.get_slot("pending_request") == (
        FRESH_CLAIM
    ):  # a count or a choice told while it waits: said again in short, never the whole block
        checked = replace(checked, again=True)
    turn.say(checked, buttons=CONFIRM_BUTTONS if confirm else [])
    return FRESH_CLAIM if confirm else None


@dataclass(frozen=True)
class RepairInstead:
    """A quality problem past the quality-return days on an item still under warranty:
    `closed`, the quality-return window that has passed (said before the repair offered)."""

    closed: aftersales.ReturnWindow


def quality_return(turn: Turn, order: Order) -> str | RepairInstead | None:
    """A defect after use: a quality return said back for a yes while the policy's days last;
    later, a repair under warranty, or a person."""
    checked = aftersales.return_check(order, turn.now, quality=True)
    if isinstance(checked, aftersales.ReturnToConfirm):
        turn.say(checked, buttons=CONFIRM_BUTTONS)
        return QUALITY_RETURN
    if (
        isinstance(checked, aftersales.ReturnWindow)
        and checked.rule == aftersales.ReturnRule.QUALITY_EXPIRED
    ):
        covered = any(
            aftersales.warranty(order, product, turn.now).covered
            for product in aftersales.order_products(order)
        )
        if covered:
            return RepairInstead(checked)
        turn.say(checked, buttons=[Button.HUMAN])
        return None
    turn.say(checked)
    return None


def confirm_case(
    turn: Turn,
    order: Order,
    kind: CaseKind,
    chase_words: str | None = None,
    described: bool = False,
) -> str | None:
    """A case the words did not describe for sure: checked against the tracking and said back
    for a yes (or why there is none to open). A late parcel the tracking confirms (in transit
    past its promise or stalled, or an order late to ship) is chased at once when the shopper
    reported it (`chase_words`, the words kept on the case; None for a question about what
    would happen or "不用催"): a chase commits the shop to nothing but hurrying it, and the
    reply says what was done. A parcel shown delivered, or on time, is still asked. Talk about
    money is answered from the order instead, and no case is offered (`instead_of_a_case`).
    `described`: the words described the problem (少发了, 碎了): it is not asked again, the
    order's items are listed for the piece and the count, and the case waits for the yes."""
    if (money := instead_of_a_case(turn, order, described)) is not None:
        return money.waiting
    checked = logistics.case_check(turn.session, order, kind, turn.now)
    if (
        chase_words is not None
        and kind in logistics.IN_TRANSIT
        and logistics.chase_without_asking(checked)
    ):
        open_case(turn, order, kind, chase_words)
        return None
    if isinstance(checked, CaseToConfirm):
        turn.say(replace(checked, described=described), buttons=CONFIRM_BUTTONS)
        return CASE_PENDING[checked.report.kind]
    offer_human = isinstance(checked, NoParcelYet) and checked.offer_human
    turn.say(checked, buttons=[Button.HUMAN] if offer_human else [])
    return None


@dataclass(frozen=True)
class MoneyAnswered:
    """The order's money matter was answered instead of a parcel case; `waiting` is what the
    answer said back for a yes (a 价保 refund), if anything."""

    waiting: str | None


# Parcel problems the words describe for sure: only these still open a case on money talk.
PARCEL_PROBLEMS = frozenset(
    {
        ProblemKind.LOST,
        ProblemKind.LATE,
        ProblemKind.TRANSPORT_DAMAGE,
        ProblemKind.WRONG_ITEM,
        ProblemKind.MISSING_ITEM,
    }
)


def instead_of_a_case(turn: Turn, order: Order, described: bool = False) -> MoneyAnswered | None:
    """A parcel case is never offered on talk about money, nor on an order whose money went
    back (cancelled, refunded in full: no parcel is owed). A question about a refund, 价保 or
    the invoice (in its words, or the conversation's topic just before: "要是一个礼拜还没到呢"
    after the refund, "39天怎么了" after a 价保 refusal), a hypothetical or an argument about it,
    is answered from the order's record. None: the case goes on as asked (a parcel problem the
    words describe, `described`, on an order still owed its parcel)."""
    from bot.actions import order_services  # it uses this module: imported when needed

    returned = order_services.money_returned(order)
    topic = order_services.money_topic(turn.tracker, turn.text)
    if not returned:
        if topic is None or described:
            return None
        if PARCEL_PROBLEMS & set(read_problem(turn.text, order).kinds):
            return None  # 对了 快递还没到: the parcel, whatever was talked about before
    return MoneyAnswered(order_services.answer_money(turn, order, topic or order_services.REFUND))


def open_case(turn: Turn, order: Order, kind: CaseKind, words: str) -> None:
    """Open the case (checked against the tracking) with the policy's remedies; one that needs
    a person's approval goes to an agent. An order whose money went back has no parcel to
    chase: its refund is said instead."""
    if instead_of_a_case(turn, order, described=True) is not None:
        return
    outcome = logistics.open_case(
        turn.session, order, kind, turn.now, conversation_id=turn.conversation_id, detail=words
    )
    offer_human = isinstance(outcome, NoParcelYet) and outcome.offer_human
    turn.say(outcome, buttons=[Button.HUMAN] if offer_human else [])
    if isinstance(outcome, CaseOpened) and outcome.needs_approval:  # an agent approves it
        hand_over(
            turn.session,
            turn.conversation_id,
            EscalationReason.REMEDY_APPROVAL,
            reason_detail=outcome.report.kind.value,
            case_id=outcome.case_id,
            order_no=order.order_no,
            detail=words,
        )


def carry_out(turn: Turn, order: Order, pending: str, words: str) -> None:
    """The problem the shopper has just confirmed (the domain checks it again)."""
    if pending == COMPENSATION:  # the item kept for some money: a person sets the amount
        pass_compensation_on(turn, order)
        return
    choice = next((c for c, value in REMEDY_PENDING.items() if value == pending), None)
    if choice is not None:  # the remedy chosen instead, on the case open here
        case = open_case_in(turn.session, turn.conversation_id, order.order_no)
        chosen = choose_remedy(case, choice, turn.now) if case is not None else None
        if chosen is None:  # the case closed meanwhile, or the choice was already made
            turn.utter("utter_anything_else")
            return
        refused = isinstance(chosen, RemedyNotOffered)
        turn.say(chosen, buttons=[Button.HUMAN] if refused else [])
        return
    if pending == FRESH_CLAIM:  # as said back: the yes itself (好的 退款吧) changes nothing
        outcome = record_fresh_claim(
            turn.session,
            order,
            turn.now,
            episode_messages(turn.tracker, before_latest=True),
            conversation_id=turn.conversation_id,
        )
        said = said_payment(turn.text)  # 好吧 那坏的那些退钱 我微信付的: checked against the record
        if isinstance(outcome, FreshClaimOpened) and said not in (None, order.payment_method):
            outcome = replace(outcome, said_channel=said)
        turn.say(outcome)
        return
    if pending == QUALITY_RETURN:
        returned = aftersales.request_return(
            turn.session, order, turn.now, words, conversation_id=turn.conversation_id, quality=True
        )
        refused = isinstance(returned, aftersales.ReturnWindow)
        turn.say(returned, buttons=[Button.HUMAN] if refused else [])
        return
    kind = next(k for k, value in CASE_PENDING.items() if value == pending)
    heard = episode_messages(turn.tracker, before_latest=True)
    if kind in logistics.AFTER_DELIVERY:  # the piece and the count said while it waited
        words = " / ".join(heard) or words
    open_case(turn, order, kind, words)
    waited = [*said_while_waiting(turn.tracker, pending), turn.text]  # 对 补发: the yes too
    choice = next((c for text in reversed(waited) if (c := decided_choice(text))), None)
    if choice is not None and isinstance(choice_before_case(order, kind, choice), ChoiceBeforeCase):
        # 要补发 不要退钱 said while it waited, and said back: written on the case now open
        case = open_case_in(turn.session, turn.conversation_id, order.order_no)
        chosen = choose_remedy(case, choice, turn.now) if case is not None else None
        if chosen is not None:
            turn.say(chosen)


def said_while_waiting(tracker: Tracker, pending: str) -> list[str]:
    """The shopper's typed messages since `pending` was said back for a yes (a question asked
    in between included), oldest first, without the latest (the yes)."""
    texts: list[str] = []
    users = 0
    for event in reversed(tracker.events):
        if event.get("event") == "slot" and event.get("name") == "pending_request":
            if event.get("value") != pending:
                break
        elif event.get("event") == "user":
            users += 1
            text = str(event.get("text") or "")
            if users > 1 and not text.startswith("/"):
                texts.append(text)
    return texts[::-1]


def say_choice_before_case(turn: Turn, order: Order, pending: str) -> bool:
    """A remedy settled on (要补发 不要退钱, 退钱吧) while a damaged item's case waits for its yes,
    when the policy leaves the choice to the shopper: said back with the case for the yes
    (written on it when it opens). A refund the policy does not give (不换了 直接退款 for a
    wrong item): what it gives, still waiting for the yes, and a person for the refund. False,
    nothing said, otherwise."""
    kind = AFTER_DELIVERY_PENDING.get(pending)
    choice = decided_choice(turn.text) if kind is not None else None
    fact = choice_before_case(order, kind, choice, words=turn.text) if kind and choice else None
    if fact is None:
        return False
    if isinstance(fact, RemedyNotOffered):
        turn.say(fact, buttons=[Button.CONFIRM_REQUEST, Button.HUMAN])
    else:  # 能不能换成雾蓝色 beside the resend: a person for the colour
        turn.say(fact, buttons=[*CONFIRM_BUTTONS, *([Button.HUMAN] if fact.asked_instead else [])])
    return True


AFTER_DELIVERY_PENDING = {CASE_PENDING[kind]: kind for kind in logistics.AFTER_DELIVERY}
PROBLEM_OF_CASE = {case: problem for problem, case in CASE_KIND.items()}


def adds_to_case(pending: str, words: str, order: Order) -> bool:
    """Whether the words, while a damaged, wrong or missing item case waits for its yes, tell
    more of that same problem (就一个裂了 另一个好的, 少的是那支口红): the piece or the count,
    written on the case on the yes; never a yes or a no."""
    kind = AFTER_DELIVERY_PENDING.get(pending)
    if kind is None:
        return False
    return PROBLEM_OF_CASE[kind] in read_problem(words, order).kinds


COMPENSATION_DETAIL = "report_damaged_item"  # the escalation's detail: the need the bot passed on


def pass_compensation_on(turn: Turn, order: Order) -> None:
    """The shopper confirmed they keep the item for some money: the wish is written on the
    case open here (if any) and a person takes the conversation over to set the amount."""
    case = open_case_in(turn.session, turn.conversation_id, order.order_no)
    passed = note_compensation(case, order.order_no, turn.now)
    turn.say(passed)
    hand_over(
        turn.session,
        turn.conversation_id,
        EscalationReason.NEEDS_AGENT,
        reason_detail=COMPENSATION_DETAIL,
        case_id=case.id if case is not None else None,
        order_no=order.order_no,
        detail=" / ".join(episode_messages(turn.tracker, before_latest=True)) or turn.text,
    )

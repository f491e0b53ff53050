"""What to do for each kind of order request once the order is verified.

Each handler asks the domain and says its facts; what needs a person (repairs, remedies that
need approval) goes to an agent with the verified order attached. Nothing hard to undo happens
on a misunderstanding: a cancel or a return is first said back, exactly, for a yes, and so is
a parcel case the shopper's words did not describe; a problem with what arrived goes where its
words say (bot/actions/problem_cases.py), and two actions that fit are asked about.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, cast

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet

from bot.actions import order_services, problem_cases
from bot.actions.case_questions import (
    Answered,
    answer_about_case,
    answer_case_question,
    follow_up_on_parcel,
)
from bot.actions.common import (
    Turn,
    faq_answer,
    latest_text,
    message_intent,
    shopper_texts,
    verified_order,
)
from conversations.acknowledgement import AckAskOrder, acknowledgement, is_policy_question
from conversations.models import EscalationReason
from conversations.needs import (
    RELATED_TOPICS,
    SERVED_BY,
    Need,
    NeedTold,
    further_questions,
    need_told,
    parts_apart,
)
from conversations.order_messages import carries_order
from conversations.pending_replies import read_reply
from conversations.reading import (
    TypedAnswer,
    asks_for_the_address,
    exchange_wanted,
    is_hypothetical,
    is_question,
    opens_with_yes,
    withdraws_return,
)
from conversations.service import hand_over
from conversations.short_messages import weighs_cancelling
from core.text import normalise
from faq.knowledge_base import get_entry
from faq.service import faq_search
from shop import aftersales
from shop.case_heard import cancel_weighed
from shop.case_questions import CaseQuestion, ask_about_case, open_case_in
from shop.invoice_reading import read_invoice_wish, talks_of_tax_no_digits
from shop.logistics import AFTER_DELIVERY, IN_TRANSIT, case_kind_for
from shop.models import AfterSaleStatus, CaseKind, Order, OrderStatus
from shop.modifications import exchanges_a_spec
from shop.opened_returns import OpenedReturn, asks_about_opened_goods, opened_return, said_used
from shop.order_terms import TermsTopic, asks_to_return, policy_in_order_terms
from shop.orders import load_order
from shop.price_claims import claims_price_difference
from shop.problems import (
    CASE_KIND,
    ProblemKind,
    ProblemReading,
    declines_chase,
    denies_a_problem,
    in_hand_unopened,
    names_a_fault,
    read_problem,
    waits_for_pickup,
)
from shop.product_names import goods_of_another_order, names_goods, names_own_goods
from shop.return_withdrawal import (
    WithdrawalRefusal,
    WithdrawalRefused,
    said_sent_back,
    withdraw_return,
    withdrawal_check,
)
from shop.skin_reactions import COSMETICS, ReactionAfterUse, cosmetics_of, tells_a_reaction
from shop.tracking import (
    ArrivalVerdict,
    order_at_a_glance,
    order_progress,
    tracking_follow_up,
)
from shop.waiting_requests import CANCEL, RETURN, WITHDRAW_RETURN, names_repair, still_waiting
from shop.waybills import ReturnWaybillHeard, WaybillNotAnOrder, read_waybill
from words.render import Button, button, phrase, say


@dataclass(frozen=True)
class OrderRequest:
    """A verified order and what the shopper asked about it, in their own words."""

    turn: Turn
    order: Order
    intent: str  # e.g. report_wrong_or_missing_item
    words: str  # the message asking for it (not the phone tail that verified the order)


@dataclass(frozen=True)
class AskedRequest:
    """The shopper's latest order request: its intent and words, whether a button picked it
    (its words are then those of the message the buttons answered), and the NLU's ranking."""

    intent: str
    words: str
    chosen: bool = False
    ranking: tuple[tuple[str, float], ...] = ()


def asked(tracker: Tracker) -> AskedRequest:
    """The shopper's latest order request in this session (tracking if none).

    Read from the conversation itself: the order lookup that follows the request may take a
    few messages (order number, phone tail, a question in between). An invoice or 价保 need
    the FAQ action noted (slot `order_need`) is a request too, in the words that asked it.
    """
    noted = None
    told_none: AskedRequest | None = None  # a problem report that tells no problem
    events = tracker.events
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if noted is None and (noted := order_services.noted_need(event)) is not None:
            continue
        if event.get("event") != "user":
            continue
        text = event.get("text") or ""
        if noted is not None:
            intent = message_intent(event)
            # the question with the invoice details typed after it (个人的 抬头张丽娟)
            typed = order_services.invoice_words(events, index) if noted == INVOICE else ""
            told_here = need_told(text) is not None  # 电热水壶收到就是瘪的 <number> <tail>
            if intent == "inform" and index > 0 and not text.startswith("/") and not told_here:
                # the order number that answered the question: the question's own words
                earlier = _question_before(events, index)
                return AskedRequest(noted, typed or earlier or text)
            return AskedRequest(noted, typed or text)
        parsed = event.get("parse_data") or {}
        intent = (parsed.get("intent") or {}).get("name")
        if _invoice_change(events, index, intent, text):
            # 能换吗 right after an invoice answer: 换开, not the goods
            return AskedRequest(INVOICE, order_services.invoice_words(events, index))
        if _invoice_details(events, index, intent, text):
            # 少一位？我看看 9151… in the invoice talk: the tax number, not a missing item
            return AskedRequest(INVOICE, order_services.invoice_words(events, index, True))
        if intent in ORDER_REQUEST_HANDLERS:
            ranking = tuple(
                (str(r.get("name")), float(r.get("confidence") or 0))
                for r in parsed.get("intent_ranking") or []
            )
            if text.startswith("/"):  # a button: the shopper's choice, about what they typed
                # (a payload naming something, /request_repair{"product":…}, says it itself)
                words = text if "{" in text else _typed_before(events, index)
                return AskedRequest(intent, words, True, ranking)
            if _told_nothing_to_the_lookup(events, index, intent, text):
                # 就试了一下下 盖子都还在的 while the lookup asks for the number, read as a
                # late parcel: the request asked before it (口红涂了一次 能退吗) is the one
                told_none = told_none or AskedRequest(intent, text, False, ranking)
                continue
            return AskedRequest(read_request(intent, text), text, False, ranking)
    return told_none or AskedRequest("track_order", tracker.latest_message.get("text") or "")


def read_request(intent: str, text: str) -> str:
    """The request the shopper's words make: an invoice or 价保 message is that service, and a
    return or refund asked for a price difference (这个现在26 我32买的 退我6块) is 价保, never a
    return of the goods."""
    if intent in MONEY_BACK_INTENTS and claims_price_difference(text):
        return order_services.PRICE_PROTECTION
    return order_services.redirected(intent, text)


MONEY_BACK_INTENTS = frozenset({"request_return_exchange", "cancel_order", "ask_refund_status"})
PROBLEM_REPORTS = frozenset(
    {
        "report_delivery_delay",
        "report_lost_parcel",
        "report_damaged_item",
        "report_wrong_or_missing_item",
    }
)
INVOICE = order_services.INVOICE
# The order given without a need said (bot/actions/order_context.py): shown, and what it is asked.
AT_A_GLANCE = "order_at_a_glance"
# What the invoice's 换开 is read as when its words name nothing else (bot/actions: trial 27).
INVOICE_CHANGE_READ_AS = frozenset({"request_return_exchange", "track_order"})
CHANGE_ASKED = re.compile(r"[换改](?:开|一下|吗|么|不|了吗)|还能[换改]|再[换改]")
# A size, a colour or the goods named: an exchange of the goods, whatever was talked about.
GOODS_WORDS = re.compile(r"码|(?<!税)号|尺寸|颜色|色|款|大一|小一|货|鞋|衣|裤")


def _invoice_change(
    events: list[dict[str, Any]], index: int, intent: str | None, text: str
) -> bool:
    """Whether a return or exchange request is the invoice's 换开: the words name no goods or
    problem ("能换吗", "可以换成公司抬头吗", 上次换过一次 这次还能换吗 read as tracking) and the
    conversation was on the invoice."""
    if intent not in INVOICE_CHANGE_READ_AS or text.startswith("/"):
        return False
    if intent != "request_return_exchange" and not CHANGE_ASKED.search(text):
        return False
    return _in_the_invoice_talk(events[: index + 1], text)


def invoice_change_asked(events: list[dict[str, Any]], text: str) -> bool:
    """Whether words read as a change of the order ask to change the invoice again: a change
    asked of nothing named (以后要是还要改 还能改吗) while the talk is on the invoice."""
    return bool(CHANGE_ASKED.search(text)) and _in_the_invoice_talk(events, text)


def _in_the_invoice_talk(events: list[dict[str, Any]], text: str) -> bool:
    """Whether words naming no goods and no problem come while the talk is on the invoice."""
    if read_problem(text).kinds or GOODS_WORDS.search(text):
        return False
    return order_services.money_topic_in(events, text) == INVOICE


def _invoice_details(
    events: list[dict[str, Any]], index: int, intent: str | None, text: str
) -> bool:
    """Whether an order request is invoice details typed in the invoice talk: a tax number, a
    company title or words about the number's characters (少一位, 多打了一位) right after the
    invoice was talked about, whatever the classifier made of them (少 is no missing item)."""
    if intent not in ORDER_REQUEST_HANDLERS or intent == INVOICE or text.startswith("/"):
        return False
    wish = read_invoice_wish(text)
    about_the_number = wish.tax_no or wish.tax_no_invalid or talks_of_tax_no_digits(text)
    if not (about_the_number or wish.title):
        return False
    return order_services.money_topic_in(events[: index + 1], text) == INVOICE


def _told_nothing_to_the_lookup(
    events: list[dict[str, Any]], index: int, intent: str, text: str
) -> bool:
    """Whether the message at `index`, read as a problem report, tells no problem and came
    while the order lookup asked for the order (the request it serves was asked before)."""
    if intent not in PROBLEM_REPORTS or need_told(text) is not None:
        return False
    before = (
        e.get("name")
        for e in reversed(events[:index])
        if e.get("event") == "action" and e.get("name") not in ("action_listen", None)
    )
    return next(before, None) == "order_lookup_form"


def asked_request(tracker: Tracker) -> tuple[str, str]:
    """The shopper's latest order request in this session and its words (tracking if none)."""
    request = asked(tracker)
    return request.intent, request.words


QUESTION_WITHIN = 3  # typed messages before an order number that may hold what it answers


def _question_before(events: list[dict[str, Any]], index: int) -> str:
    """The shopper's typed message before `index` that told the need an order number given on
    its own answered (快递一直没动静, then 稍等我找下, then the number), else the one before."""
    typed: list[str] = []
    for event in reversed(events[:index]):
        text = str(event.get("text") or "")
        if event.get("event") == "user" and not text.startswith("/"):
            typed.append(text)
            if len(typed) == QUESTION_WITHIN:
                break
    return next((text for text in typed if need_told(text)), typed[0] if typed else "")


def _typed_before(events: list[dict[str, Any]], index: int) -> str:
    """The words of the request the shopper typed before `index` (the message a button picked
    for: the request the bot asked about, or one it did not understand)."""
    for event in reversed(events[:index]):
        text = str(event.get("text") or "")
        intent = message_intent(event)
        typed = event.get("event") == "user" and not text.startswith("/")
        if typed and (intent in ORDER_REQUEST_HANDLERS or intent == "nlu_fallback"):
            return text
    return ""


def _track(r: OrderRequest) -> None:
    if heard_waybill(r.turn, r.order, r.words):  # 中通 运单号：7531… while a return waits
        return
    if asks_for_the_address(r.turn.text) and (to_send := aftersales.return_to_send(r.order)):
        r.turn.say(to_send)  # 寄到哪 while an approved return waits: where it goes, by when
        return
    if _delivery_policy_asked(r.turn, r.words):  # 送货的时候要本人签收吗: the rule, not the scans
        return
    _where_it_is(r)


# Delivery rules the NLU may take for tracking (送货的时候要本人签收吗, 大件送上楼吗): asked in
# so many words, the knowledge base answers them, not the parcel's scans. Only words about how
# a parcel is handed over are searched for them: a tracking turn stays one query.
DELIVERY_POLICIES = frozenset({"signature_policy", "large_item_delivery"})
DELIVERY_POLICY_SURE = 0.7
HANDING_OVER = re.compile(r"签收|代收|代签|本人|验货|上楼|入户|上门|驿站|快递柜")


def _delivery_policy_asked(turn: Turn, words: str) -> bool:
    """Answer a delivery rule asked in so many `words` (the knowledge base is sure of it);
    False, nothing said, for anything else."""
    if not HANDING_OVER.search(words):
        return False
    result = faq_search.search(turn.session, words, k=1)
    hit = result.hits[0] if result.answered and result.hits else None
    if hit is None or hit.entry.id not in DELIVERY_POLICIES or hit.score < DELIVERY_POLICY_SURE:
        return False
    turn.out.utter_message(text=faq_answer(turn, hit.entry))
    return True


# Cases whose parcel's tracking says nothing new: 还要等多久 or 补发的话几天能发出 after a damaged
# or wrong item, or a parcel shown signed that is being checked, is about the case.
ANSWERED_BY_THE_CASE = (*AFTER_DELIVERY, CaseKind.LOST)


def _where_it_is(r: OrderRequest) -> None:
    """Where the order is (its goods already checked to be the ones asked about)."""
    if answer_case_question(r.turn, r.words, r.order.order_no, ANSWERED_BY_THE_CASE):
        return
    progress = order_progress(r.order, r.turn.now)
    answer = tracking_follow_up(progress, r.words, r.turn.now)
    if answer.asked_day is None or answer.verdict == ArrivalVerdict.NOT_SHIPPED:
        r.turn.say(progress)  # 今天能发吗 before it ships: its dispatch, with any chase
        return
    # 周六要穿去喝喜酒的 能到吗: the day asked, answered (in time, too soon, no promise while
    # the parcel is stuck, with a person to ask)
    stuck = answer.verdict == ArrivalVerdict.DELAYED
    r.turn.say(answer, buttons=[Button.HUMAN] if stuck else [])


# The parts of a request's words and the request each part tells (conversations.needs).
Parts = list[tuple[str, str | None]]


def _parts(words: str) -> Parts:
    """The parts of `words` about different needs, each with the request that serves it."""
    return [
        (part.text, request_of(part.told) if part.told is not None else None)
        for part in parts_apart(words)
    ]


def _goods_words(r: OrderRequest, parts: Parts) -> str:
    """The words that name the goods the request is about: of a message telling two needs, the
    part asking this one (猪肉脯少了一包 还有那个绘本…能退差价不: the 价保's part names the book);
    else the latest message, without the questions asked beside it (还有那个T恤什么时候有货)."""
    if len({request for _, request in parts if request is not None}) > 1:
        for part, request in parts:
            if request == r.intent and names_goods(r.turn.session, part):
                return part  # else the goods named around it (雪地靴 … 钱呢) are its
    main = normalise(latest_text(r.turn.tracker))
    for beside in further_questions(main, r.intent):
        main = main.replace(beside, " ")
    return main


def _part_for_this_order(r: OrderRequest, parts: Parts) -> OrderRequest | None:
    """Of a message telling two needs about two orders' goods, the other need, when its part
    names this order's goods (the snack order given for 猪肉脯少了一包 还有那个绘本…能退差价不,
    whose 价保 names the book: the missing bag is this order's matter)."""
    for part, request in parts if len(parts) > 1 else []:
        if request not in (None, r.intent) and names_own_goods(r.turn.session, part, r.order):
            return replace(r, intent=str(request), words=part)
    return None


def _for_another_order(r: OrderRequest) -> Answered | None:
    """The request, when its words name goods the verified order does not hold (那靴子也帮我
    催一下 with the charger's order in hand): nothing is done to this order for it, the other
    order's number is asked for, and the request waits for it (`another_order_request`); a need
    the same message tells of this order's goods is served here. None: the goods are this
    order's."""
    parts = _parts(r.words)
    goods_words = _goods_words(r, parts)
    other = goods_of_another_order(r.turn.session, goods_words, r.order)
    if other is None:
        return None
    if (earlier := earlier_order_holding(r.turn, goods_words, r.order.order_no)) is not None:
        # 羽绒服要是不要了 退银行卡多久 with the oranges' order in hand, the jacket's verified
        # before in this talk: that order again, never its number asked a second time
        r.turn.refocused.append(earlier.order_no)
        return Answered(ORDER_REQUEST_HANDLERS[r.intent](replace(r, order=earlier)))
    r.turn.say(other)
    r.turn.for_another_order.append(r.intent)
    if (this_order := _part_for_this_order(r, parts)) is None:
        return Answered(None)
    r.turn.served_besides.append(this_order.intent)
    return Answered(ORDER_REQUEST_HANDLERS[this_order.intent](this_order))


def earlier_order_holding(turn: Turn, goods_words: str, besides: str) -> Order | None:
    """An order verified earlier in this conversation, other than `besides` (the one in
    focus), whose goods the words name (the latest such); None when there is none."""
    verified = [
        str(e.get("value"))
        for e in turn.tracker.events
        if e.get("event") == "slot" and e.get("name") == "verified_order_no" and e.get("value")
    ]
    for order_no in dict.fromkeys(reversed(verified)):
        if order_no == besides:
            continue
        order = load_order(turn.session, order_no)
        if order is not None and names_own_goods(turn.session, goods_words, order):
            return order
    return None


def heard_waybill(turn: Turn, order: Order, words: str) -> bool:
    """A carrier's waybill in the words on a verified order: while its approved return waits
    for the parcel, it is the return parcel's, and the shopper is told where to fill it in
    (True: answered); another number than the order's own parcel is said to be no order
    number, and the order's tracking follows (False); nothing said otherwise."""
    waybill = read_waybill(words)
    if waybill is None:
        return False
    if aftersales.return_to_send(order) is not None:
        turn.say(ReturnWaybillHeard(order.order_no, waybill.number, waybill.carrier))
        return True
    own = {shipment.tracking_no.upper() for shipment in order.shipments}
    if waybill.number not in own:
        turn.say(WaybillNotAnOrder(waybill.number, waybill.carrier, order.order_no))
    return False


def answer_waybill(turn: Turn) -> bool:
    """A waybill pasted on its own (我寄回去了 顺丰SF…, 中通 7531… 已揽收), however NLU read it:
    on a verified order, the return parcel's or the order's tracking (`heard_waybill`); with
    no order, said to be no order number (the order number is asked for). False when the words
    hold no waybill."""
    if (waybill := read_waybill(turn.text)) is None:
        return False
    order = verified_order(turn.session, turn.tracker)
    if order is None:
        turn.say(WaybillNotAnOrder(waybill.number, waybill.carrier))
        return True
    if not heard_waybill(turn, order, turn.text):
        turn.say(order_progress(order, turn.now))
    return True


CONFIRM_BUTTONS = problem_cases.CONFIRM_BUTTONS


def _about_the_case(r: OrderRequest) -> Answered | None:
    """The request is about the case open here on this order: a question answered from it, or
    a remedy chosen instead (能直接退款吗 on a damaged item) said back for a yes."""
    return answer_about_case(r.turn, r.words, r.order.order_no, decisions=True)


def _cancel(r: OrderRequest) -> str | None:
    """Say what cancelling will do and wait for the shopper's yes (or why it cannot be done)."""
    if weighs_cancelling(r.words) and ask_weighed_cancel(r.turn, r.order):
        return r.intent  # 干脆取消得了: asked plainly, the chase going on said first
    if (answered := _about_the_case(r)) is not None:  # 我不想换了 能直接退款吗
        return answered.waiting
    checked = aftersales.cancel_check(r.order, r.turn.now)
    confirm = isinstance(checked, aftersales.CancelToConfirm)
    part = aftersales.part_cancel_asked(r.order, r.words) if confirm else None
    if part is not None:  # 只取消洗脸巾 四件套留着: never the whole order offered as asked
        r.turn.say(part, buttons=[Button.HUMAN])
        return None
    # 先不取消 帮我催, 能直接退款吗 after it shipped: about the parcel's case, not a cancel
    if not confirm and follow_up_on_parcel(r.turn, r.order, r.words):
        return None
    refused = checked if isinstance(checked, aftersales.CancelRefused) else None
    signed = refused is not None and refused.reason == aftersales.CancelRefusal.DELIVERED
    if (
        signed
        and ProblemKind.QUALITY_DEFECT in described(r.turn.tracker, r.order, r.turn.now).kinds
    ):
        # 能直接退款吗 after 200到216页是空白的: the quality problem's own return, never the
        # no-reason windows said passed
        return _return(replace(r, intent="request_return_exchange"))
    if refused is not None and refused.reason == aftersales.CancelRefusal.ALREADY_CANCELLED:
        # 上回取消的手环 钱退回花呗了吧: when it was cancelled and where its money went
        r.turn.say(aftersales.refund_status(r.order, r.turn.now))
        return None
    r.turn.say(checked, buttons=CONFIRM_BUTTONS if confirm else [])
    return r.intent if confirm else None


def ask_weighed_cancel(turn: Turn, order: Order) -> bool:
    """A cancel thought aloud (要不取消算了……) on an order that can still be cancelled: the chase
    going on is said, then the cancel asked plainly with its refund, two buttons (cancel it,
    wait); the caller sets it waiting for the yes. False, nothing said, when it cannot be
    cancelled (the cancel's own answer says why)."""
    case = open_case_in(turn.session, turn.conversation_id, order.order_no)
    weighed = cancel_weighed(order, case, turn.now)
    if weighed is None:
        return False
    buttons = [
        {"title": phrase("cancel_weighed_cancel"), "payload": "/affirm"},
        {"title": phrase("cancel_weighed_wait"), "payload": "/deny"},
    ]
    turn.out.utter_message(text=say(weighed), buttons=buttons)
    return True


def _return(r: OrderRequest) -> str | None:
    """Say what the return request will be and wait for the yes (or why it cannot be made).

    A return of an item with a case open here is the case's remedy (a damaged or wrong item is
    never a second, 7-day no-reason return beside it), and one of an item the shopper said
    went wrong in use is a quality return (能退吗 还是只能换 after 用了一次就有杂音了)."""
    if (answered := _about_the_case(r)) is not None:  # 多久能给我换好, 换成退款: the open case
        return answered.waiting
    case = open_case_in(r.turn.session, r.turn.conversation_id, r.order.order_no)
    if case is not None and case.kind in AFTER_DELIVERY:
        r.turn.say(ask_about_case(r.turn.session, case, CaseQuestion.REMEDY, r.turn.now))
        return None
    if ProblemKind.QUALITY_DEFECT in described(r.turn.tracker, r.order, r.turn.now).kinds:
        outcome = problem_cases.quality_return(r.turn, r.order)
        if isinstance(outcome, problem_cases.RepairInstead):
            return _repair(replace(r, intent="request_repair"), outcome.closed)
        return outcome
    if (opened := _said_opened(r)) is not None and not opened.returnable:
        r.turn.say(opened, buttons=[Button.HUMAN])  # 就拆开涂了一次 said before: no return offered
        return None
    checked = aftersales.return_check(r.order, r.turn.now)
    if isinstance(checked, aftersales.ReturnToConfirm):
        r.turn.say(checked, buttons=CONFIRM_BUTTONS)
        return r.intent
    unshipped = r.order.status == OrderStatus.AWAITING_SHIPMENT
    if unshipped and exchanges_a_spec(r.words) and not is_hypothetical(r.words):
        # 那黑色L 帮我换一下 before it ships: the spec changed on the order (the change form
        # says it back for a yes), never a cancel offered
        r.turn.handed_on.append(FollowupAction("modify_order_form"))
        return None
    if unshipped and asks_a_later_return(r.words):
        # 到了不喜欢能退吧 我不拆不开机 before it ships: the no-reason rule for its goods once
        # they arrive, never its cancel offered
        entry = get_entry(r.turn.session, "return_policy")
        if entry is not None:
            category = aftersales.order_products(r.order)[0].category.code
            r.turn.out.utter_message(text=entry.answer_for(category, True))
            return None
    if unshipped:
        # 羽绒服要是不要了 退银行卡多久 before it ships: the cancel and its refund, for a yes
        return _cancel(replace(r, intent=CANCEL))
    refused = isinstance(checked, aftersales.ReturnWindow)
    r.turn.say(checked, buttons=[Button.HUMAN] if refused else [])
    return None


# A return asked about for once the goods arrive (到了不喜欢能退吧, 收到以后不合适可以换吗).
ARRIVED = re.compile(r"(?<![没未])(?:到了|收到|到货|到手|签收|拿到)")  # never 还没收到
LATER_RETURN = re.compile(
    ARRIVED.pattern + r"[^，,。]{0,8}(?:能|可以|可不可以|能不能|让)[^，,。]{0,3}[退换]"
)


def asks_a_later_return(text: str) -> bool:
    """Whether the words ask whether the goods can go back once they arrive (到了不喜欢能退吧)."""
    clean = normalise(text)
    arrived = ARRIVED.search(clean) is not None
    return LATER_RETURN.search(clean) is not None or (is_question(clean) and arrived)


OPENED_WITHIN = 6  # the shopper's latest messages a word of the goods opened is looked for in
# What else a shopper says they used or tried (用了优惠券, 用了花呗, 试了好几次 打不通电话).
NOT_THE_GOODS_USED = re.compile(r"券|花呗|白条|积分|红包|优惠|余额|打不通|电话|客服|链接|页面|app")
UNOPENED_SAID = re.compile(r"没拆|未拆|没开封|未开封|没打开")


def _said_opened(r: OrderRequest) -> OpenedReturn | None:
    """What the order's categories allow of goods the shopper said were opened (就拆开涂了一次)
    or tried (颜色太红了 涂了一次 能退吗: a lipstick tried is opened) in one of their latest
    messages, with no fault told; None when none said so."""
    latest = shopper_texts(r.turn.tracker)[-OPENED_WITHIN:]
    said = next((text for text in reversed(latest) if _opened_or_tried(text, r)), None)
    return opened_return(r.order, r.turn.now, said) if said is not None else None


def _opened_or_tried(text: str, r: OrderRequest) -> bool:
    """Opened goods told; or goods tried, with no fault, of a category that takes them back
    only unopened (a lipstick tried is opened; clothes tried on with their tags are not)."""
    if asks_about_opened_goods(text):
        return True
    if not said_used(text) or NOT_THE_GOODS_USED.search(text) or UNOPENED_SAID.search(text):
        return False  # 用了优惠券买的 还没拆, 试了好几次 打不通: not the goods tried
    if names_a_fault(text) or read_problem(text, r.order).kinds:
        return False
    return any(rule.needs_unopened for rule in opened_return(r.order, r.turn.now, text).rules)


def _return_open(order: Order, now: datetime) -> bool:
    """Whether the order has a return request that taking one back would be about."""
    checked = withdrawal_check(order, now)
    return not (
        isinstance(checked, WithdrawalRefused) and checked.reason == WithdrawalRefusal.NO_RETURN
    )


def _withdraw(r: OrderRequest) -> str | None:
    """The order's return request taken back: what that does, said back for a yes; or why a
    person undoes it (the parcel received, the refund under way)."""
    # 能不能不退了 换成41码 after 退货已经寄了 单号YT…: on its way, a person undoes it
    sent = said_sent_back(shopper_texts(r.turn.tracker)[-SENT_BACK_WITHIN:])
    checked = withdrawal_check(r.order, r.turn.now, sent_back=sent)
    if isinstance(checked, WithdrawalRefused):
        r.turn.say(checked, buttons=[Button.HUMAN])
        return None
    r.turn.say(checked, buttons=CONFIRM_BUTTONS)
    return WITHDRAW_RETURN


SENT_BACK_WITHIN = 6  # the shopper's latest messages that may say the parcel went back


def carry_out(r: OrderRequest) -> None:
    """The request the shopper has just confirmed (the domain checks it again)."""
    turn = r.turn
    if r.intent == WITHDRAW_RETURN:
        withdrawn = withdraw_return(turn.session, r.order, turn.now, turn.conversation_id)
        refused = isinstance(withdrawn, WithdrawalRefused)
        turn.say(withdrawn, buttons=[Button.HUMAN] if refused else [])
        return
    if r.intent in problem_cases.PENDING:  # a case, a fresh-food claim, a quality return
        problem_cases.carry_out(turn, r.order, r.intent, asked(turn.tracker).words)
        return
    if r.intent in order_services.SERVICES:
        order_services.carry_out(turn, r.intent, r.words, r.order.order_no)
        return
    if r.intent == "request_repair":
        _pass_repair_on(r)
        return
    if r.intent == "cancel_order":
        cancelled = aftersales.cancel(
            turn.session, r.order, turn.now, conversation_id=turn.conversation_id
        )
        turn.say(cancelled)
        return
    if (opened := _said_opened(r)) is not None and not opened.returnable:
        turn.say(opened, buttons=[Button.HUMAN])  # 确认 after 就拆开涂了一次: never submitted
        return
    outcome = aftersales.request_return(
        turn.session,
        r.order,
        turn.now,
        r.words,
        conversation_id=turn.conversation_id,
        exchange_for=exchange_wanted(turn.text),  # 确认 换卡其色33
    )
    refused = isinstance(outcome, aftersales.ReturnWindow)
    turn.say(outcome, buttons=[Button.HUMAN] if refused else [])


def _refund(r: OrderRequest) -> str | None:
    status = aftersales.refund_status(r.order, r.turn.now)
    if status.status is None and (answered := _about_the_case(r)) is not None:  # 换成退款
        return answered.waiting
    waiting = r.turn.tracker.get_slot("pending_request") == CANCEL and status.status is None
    checked = aftersales.cancel_check(r.order, r.turn.now) if waiting else None
    if isinstance(checked, aftersales.CancelToConfirm):
        # 取消了钱退哪里 多久到, while the cancel waits: its money, the cancel kept waiting
        refund = phrase(
            "cancel_refund",
            amount=checked.amount,
            refund_channel=checked.refund_channel,
            arrival=checked.arrival,
        )
        r.turn.say(still_waiting(r.order.order_no, CANCEL, refund), buttons=CONFIRM_BUTTONS)
        return CANCEL
    returning = r.turn.tracker.get_slot("pending_request") == RETURN and status.status is None
    terms = (
        policy_in_order_terms(r.order, TermsTopic.REFUND_TIME, r.turn.now) if returning else None
    )
    if terms is not None:
        # 钱退到哪, while the return waits for its yes: where its money would go, the return
        # kept waiting (never "no refund requested")
        words = r.turn.words(terms)
        r.turn.say(still_waiting(r.order.order_no, RETURN, words), buttons=CONFIRM_BUTTONS)
        return RETURN
    # a person explains a rejection, or looks for money that should have arrived
    human = status.status == AfterSaleStatus.REJECTED or status.should_have_arrived
    r.turn.say(status, buttons=[Button.HUMAN] if human else [])
    return None


def _repair(r: OrderRequest, closed: aftersales.ReturnWindow | None = None) -> str | None:
    """The warranty of the item to repair (asked with a button per item when the order holds
    several and the shopper named none), then, on the shopper's yes, an agent arranges it:
    "保修吗" is a question, and a handover stops the bot answering. `closed`: the return
    windows have passed (a fault weeks after signing, 能直接退吗), said first."""
    item = aftersales.repair_item(r.order, r.words)
    before = phrase("returns_closed", closed=closed) if closed is not None else ""
    if isinstance(item, aftersales.WhichItemToRepair):
        buttons = [
            {"title": name, "payload": f'/request_repair{{"product":"{code}"}}'}
            for code, name in zip(item.product_codes, item.product_names, strict=True)
        ]
        r.turn.out.utter_message(text=say(item, before=before), buttons=buttons)
        return None
    warranty = aftersales.warranty(r.order, item, r.turn.now)
    if warranty.rule == aftersales.WarrantyRule.NOT_RECEIVED:
        r.turn.say(warranty)
        return None
    r.turn.out.utter_message(
        text=phrase("repair_offer", warranty=warranty, before=before),
        buttons=[button(b) for b in CONFIRM_BUTTONS],
    )
    return r.intent


def _pass_repair_on(r: OrderRequest) -> None:
    """The repair the shopper confirmed goes to an agent, with their own words."""
    item = aftersales.repair_item(r.order, r.words)
    hand_over(
        r.turn.session,
        r.turn.conversation_id,
        EscalationReason.REPAIR,
        order_no=r.order.order_no,
        detail=_typed_words(r.turn.tracker, "request_repair") or r.words,
    )
    if isinstance(item, aftersales.WhichItemToRepair):  # the item was lost: the agent asks
        r.turn.utter("utter_pass_to_agent")
        return
    warranty = aftersales.warranty(r.order, item, r.turn.now)
    r.turn.out.utter_message(text=phrase("repair_passed_on", warranty=warranty))


def _typed_words(tracker: Tracker, intent: str) -> str | None:
    """The shopper's latest own words for `intent` (not a button's payload)."""
    for event in reversed(tracker.events):
        text = event.get("text") or ""
        named = message_intent(event)
        if event.get("event") == "user" and named == intent and not text.startswith("/"):
            return text
    return None


DESCRIBED_WITHIN = 4  # the shopper's latest typed messages that describe the problem at hand


def described(tracker: Tracker, order: Order, now: datetime | None = None) -> ProblemReading:
    """The problem the shopper's latest few typed messages describe together (用了一次就有杂音了,
    then 那能退吗 还是只能换: the return is of a defect found in use; `now`: a fault told weeks
    after signing is one found in use too)."""
    texts = [str(event.get("text") or "") for event in _latest_typed(tracker)]
    return read_problem(" ".join(texts), order, now=now)


def _latest_typed(tracker: Tracker) -> list[dict[str, Any]]:
    """The shopper's latest few typed messages (buttons left out), oldest first."""
    typed = [
        event
        for event in tracker.events
        if event.get("event") == "user" and not str(event.get("text") or "").startswith("/")
    ]
    return typed[-DESCRIBED_WITHIN:]


# A parcel shown signed for that the shopper is not sure is lost (是不是送错了, 会不会放错了).
UNSURE_LOST = re.compile(r"是不是|会不会|是否|可能|难道|放哪|放错|送错|哪去了|在哪")
MISSING_WORDS = ("少", "漏", "缺", "没收到赠品", "没有赠品", "只有一")
CASE_KIND_BY_INTENT = problem_cases.CASE_KIND_BY_INTENT


def _logistics_case(
    r: OrderRequest, problem: ProblemKind | None = None, explicit: bool = True
) -> str | None:
    """Check the real tracking and open a case of the problem the shopper described, with the
    remedies the policy allows; a damaged, wrong or missing item (whose piece, count and remedy
    are still to settle), a case their words did not describe and any case while another
    waits for its yes are said back for a yes, unless it is a chase of a parcel the tracking
    shows late (a report, not a question about what would happen; "不急 不用催" chases nothing
    without a yes)."""
    kind = CASE_KIND.get(problem) if problem is not None else None
    if kind is None:
        kind = CASE_KIND_BY_INTENT[r.intent]
        if kind == CaseKind.WRONG_ITEM and any(word in r.words for word in MISSING_WORDS):
            kind = CaseKind.MISSING_ITEM
    no_hurry = kind in IN_TRANSIT and declines_chase(r.words)
    waiting = r.turn.tracker.get_slot("pending_request") in problem_cases.CASE_PENDING.values()
    # 帮我催一下 on a parcel the tracking shows signed: "not received" is not what was said
    other_kind = kind in IN_TRANSIT and _tracking_kind(r, kind) != kind
    # 显示签收了 没拿到 是不是送错了: not sure it is lost, so the pickup point and the family
    # are suggested first and the carrier's check waits for a yes
    unsure = _tracking_kind(r, kind) == CaseKind.LOST and bool(UNSURE_LOST.search(r.words))
    if not explicit or no_hurry or kind in AFTER_DELIVERY or waiting or other_kind or unsure:
        # another case said back still waits for its yes: this one is said back too, never
        # opened on words that may only press the first (那快点补啊 while a missing item waits)
        # a damaged, wrong or missing item is said back, its piece and count asked, for a yes
        reported = not is_hypothetical(r.words) and not no_hurry
        chase = r.words if reported else None
        described = explicit and (kind in AFTER_DELIVERY or unsure)
        return problem_cases.confirm_case(r.turn, r.order, kind, chase, described)
    problem_cases.open_case(r.turn, r.order, kind, r.words)
    return None


def _tracking_kind(r: OrderRequest, kind: CaseKind) -> CaseKind:
    """The case the tracking makes of the one the shopper described (a late parcel shown
    signed is a lost one: logistics.case_kind_for)."""
    progress = order_progress(r.order, r.turn.now)
    delivered = progress.parcel is not None and progress.parcel.delivered
    return case_kind_for(kind, delivered)


def _act(r: OrderRequest) -> str | None:
    """A request that does something to the order, as the shopper's words have it: a problem
    they described takes its own path (a parcel case, the fresh-food policy, a quality return),
    and when two actions fit the bot asks with a button each instead of guessing."""
    turn, order = r.turn, r.order
    if _fresh_claim_carried_out(r):  # 对 补发 to the resend said back, read as a report
        return None
    about_the_case = r.intent in problem_cases.READ_INTENTS | {"cancel_order"}
    if (
        about_the_case and (answered := _about_the_case(r)) is not None
    ):  # 照片怎么发给你, 能直接退款吗
        return answered.waiting
    if r.intent in CASE_KIND_BY_INTENT and denies_a_problem(latest_text(turn.tracker)):
        # 没有烂的 就是口感一般般: nothing to report; what they ask of the order is a return
        return _return(replace(r, intent="request_return_exchange"))
    if problem_cases.continues_fresh_claim(turn.tracker, order, r.intent, r.words):
        return problem_cases.fresh_claim(turn, order)
    if answer_reaction_after_use(turn, order, r.words):  # 涂完嘴巴有点痒: the allergy rule
        return None
    request = asked(turn.tracker)
    reading = read_problem(r.words, order, now=turn.now)  # a fault weeks on: in use
    routed = problem_cases.route(r.intent, reading, request.ranking, request.chosen, r.words)
    if isinstance(routed, problem_cases.Unsure):
        problem_cases.ask_which(turn, order, routed)
        return None
    if routed.problem == ProblemKind.SPOILED_FRESH:
        return problem_cases.fresh_claim(turn, order)
    if routed.problem == ProblemKind.QUALITY_DEFECT:
        outcome = problem_cases.quality_return(turn, order)
        if isinstance(outcome, problem_cases.RepairInstead):
            return _repair(replace(r, intent="request_repair"), outcome.closed)
        return outcome
    if (decided := _repair_or_return(r, routed, reading, request.chosen)) is not None:
        return decided.waiting
    acted = replace(r, intent=routed.intent)
    if routed.intent in WHEREABOUTS and routed.problem is None:
        if waits_for_pickup(r.words):  # 没人上门取件: the return's pick-up, not a late parcel
            return _return(replace(acted, intent="request_return_exchange"))
        if in_hand_unopened(r.words):  # 一直没空拆: received, only not opened — never lost
            return _in_hand(acted)
    if routed.intent in CASE_KIND_BY_INTENT:  # "what if it never comes?" reports nothing yet
        explicit = routed.explicit and not is_hypothetical(r.words)
        return _logistics_case(acted, routed.problem, explicit)
    return ACTING_HANDLERS[routed.intent](acted)


WHEREABOUTS = frozenset({"report_lost_parcel", "report_delivery_delay"})
# A return or exchange named beside a repair (修还是换): the shopper is asked which.
RETURN_WORDS = re.compile(r"换|退")


def _repair_or_return(
    r: OrderRequest,
    routed: problem_cases.Route,
    reading: ProblemReading,
    chosen: bool,
) -> Answered | None:
    """A fault read as a repair (用了两天有杂音) while the quality return's days last: the
    shopper may have it exchanged or returned as a quality problem, or repaired, so the bot
    asks which with a button each unless the words or a button chose; a return asked just
    before (音箱不想要了 退, then 其实开大了有点破音) stands, said back as a quality return.
    None, nothing said, when it is no such fault."""
    if chosen or routed.intent != "request_repair":
        return None
    # a fault named soon after signing (音箱有杂音 一开大就沙沙响) is a quality problem too,
    # unless the words tell of the parcel's damage
    fault = ProblemKind.TRANSPORT_DAMAGE not in reading.kinds and names_a_fault(r.words)
    if ProblemKind.QUALITY_DEFECT not in reading.kinds and not fault:
        return None
    words = normalise(r.words)
    if names_repair(words) and not RETURN_WORDS.search(words):
        return None  # 能修吗: the repair it asks for
    checked = aftersales.return_check(r.order, r.turn.now, quality=True)
    if not isinstance(checked, aftersales.ReturnToConfirm):
        return None
    if _return_asked(r.turn.tracker):
        return Answered(cast(str, problem_cases.quality_return(r.turn, r.order)))
    unsure = problem_cases.Unsure(
        "request_return_exchange", "request_repair", ProblemKind.QUALITY_DEFECT
    )
    problem_cases.ask_which(r.turn, r.order, unsure)
    return Answered()


def _in_hand(r: OrderRequest) -> str | None:
    """The parcel is in hand, only not opened yet: in a talk about sending it back, the return
    (its window counts from the signed date, opened or not); otherwise where the order is."""
    if _return_asked(r.turn.tracker):
        return _return(replace(r, intent="request_return_exchange"))
    _where_it_is(r)  # the goods named were checked by _act
    return None


def _return_asked(tracker: Tracker) -> bool:
    """Whether one of the shopper's latest few messages asked to send the goods back."""
    return any(
        message_intent(event) == "request_return_exchange" or asks_to_return(str(event.get("text")))
        for event in _latest_typed(tracker)
    )


ACTING_HANDLERS: dict[str, Callable[[OrderRequest], str | None]] = {
    "cancel_order": _cancel,
    "request_return_exchange": _return,
    "request_repair": _repair,
}


def answer_reaction_after_use(turn: Turn, order: Order, words: str) -> bool:
    """Skin or lips that reacted to the order's cosmetics (涂完嘴巴有点痒 起皮了): told to stop
    using them, the shop's allergy rule, and a person offered; never a parcel case or the
    no-reason return. False, nothing said, when the words tell no reaction or the order holds
    no cosmetics."""
    product = cosmetics_of(order)
    if product is None or not tells_a_reaction(words):
        return False
    entry = get_entry(turn.session, ALLERGY_ENTRY)
    policy = entry.answer_for(COSMETICS, order_known=True) if entry is not None else ""
    turn.say(ReactionAfterUse(order.order_no, product, policy), buttons=[Button.HUMAN])
    return True


# The knowledge base's entry on reactions to cosmetics.
ALLERGY_ENTRY = "cosmetics_allergy"


def _unless_answering(
    handler: Callable[[OrderRequest], str | None],
) -> Callable[[OrderRequest], str | None]:
    """The handler, unless the shopper is answering what was said back (a number, a yes: the
    rule for words while a request waits): a fresh-food claim or the case reads it, anything
    else is a typed reply to the request (`_typed_reply`)."""

    def handle(r: OrderRequest) -> str | None:
        # a request on another order than the verified one (its number given for a request put
        # off) answers nothing said back on the verified one
        on_another = r.order.order_no != r.turn.tracker.get_slot("verified_order_no")
        if on_another or not problem_cases.answering(r.turn.tracker, set(ORDER_REQUEST_HANDLERS)):
            if r.intent == AT_A_GLANCE:
                return handler(r)
            # 还有我退的那个键盘 钱呢 with the fryer's order in hand: put off for that order
            if (put_off := _for_another_order(r)) is not None:
                return put_off.waiting
            if withdraws_return(r.words) and _return_open(r.order, r.turn.now):
                return _withdraw(r)  # 鞋还挺好 不想退了 能取消退货吗: the request taken back
            return _kept_waiting(r, handler(r))
        pending = str(r.turn.tracker.get_slot("pending_request"))
        if pending == problem_cases.FRESH_CLAIM:
            return fresh_claim_reply(r)
        if problem_cases.adds_to_case(pending, r.words, r.order):  # 就一个裂了: the same case
            kind = problem_cases.AFTER_DELIVERY_PENDING[pending]
            return problem_cases.confirm_case(r.turn, r.order, kind, None, described=True)
        if pending == INVOICE and _names_invoice_details(r.turn.text):
            # 不好意思名字打错了 是…公司: the invoice said back again with the new details
            return order_services.answer_invoice(r.turn, r.turn.text, r.order.order_no)
        return _typed_reply(r, pending)

    return handle


# What a shopper may say of the order while its cancel or return waits for a yes, without
# taking the request back: where the parcel is, that it is late (你们发货也太慢了吧 after 帮我取消:
# maybe why they cancel). Answered, and the request offered again, never dropped unsaid.
KEPT_WAITING_THROUGH = frozenset({"track_order", "report_delivery_delay"})


def _kept_waiting(r: OrderRequest, waiting: str | None) -> str | None:
    """What the turn's answer left `waiting`; when nothing, a cancel or return said back on
    this order before it is offered again (a cancel only while the order can still be)."""
    pending = r.turn.tracker.get_slot("pending_request")
    if waiting is not None or pending not in (CANCEL, RETURN):
        return waiting
    if r.intent not in KEPT_WAITING_THROUGH:
        return waiting
    if r.order.order_no != r.turn.tracker.get_slot("verified_order_no"):
        return waiting
    checked = aftersales.cancel_check(r.order, r.turn.now) if pending == CANCEL else None
    if pending == CANCEL and not isinstance(checked, aftersales.CancelToConfirm):
        return waiting
    r.turn.say(still_waiting(r.order.order_no, pending), buttons=CONFIRM_BUTTONS)
    return pending


def fresh_claim_reply(r: OrderRequest) -> str | None:
    """A message about the fresh-food claim waiting for its yes: the yes typed with the remedy
    said back (对 补发) carries it out; a count or another choice says it again in short."""
    if _fresh_claim_carried_out(r):
        return None
    return problem_cases.fresh_claim(r.turn, r.order)


def _fresh_claim_carried_out(r: OrderRequest) -> bool:
    """Carry out the fresh-food claim waiting when the message is its yes (对 补发, 要得);
    whether it was."""
    claim = problem_cases.FRESH_CLAIM
    if r.turn.tracker.get_slot("pending_request") != claim:
        return False
    remedy = problem_cases.said_back_remedy(r.turn.tracker, claim)
    if not opens_with_yes(r.turn.text):  # 按比例退钱就行: a choice, said back in short
        return False
    if read_reply(r.turn.text, claim, remedy).answer != TypedAnswer.YES:
        return False
    carry_out(replace(r, intent=claim, words=asked(r.turn.tracker).words))
    return True


def _names_invoice_details(text: str) -> bool:
    """Whether the words give an invoice's title, tax number or e-mail."""
    wish = read_invoice_wish(text)
    return bool(wish.title or wish.tax_no or wish.email)


def _typed_reply(r: OrderRequest, pending: str) -> str | None:
    """Words the NLU read as data, answering the request said back (对 两瓶都要 申请吧): a yes
    carries it out, a no keeps the order as it is; anything else keeps it waiting, said again
    with its buttons (never dropped for "how can I help")."""
    read = read_reply(r.turn.text, pending, problem_cases.said_back_remedy(r.turn.tracker, pending))
    if read.answer == TypedAnswer.YES:
        carry_out(replace(r, intent=pending, words=asked(r.turn.tracker).words))
        return None
    if read.answer == TypedAnswer.NO:
        r.turn.utter("utter_request_kept")
        return None
    r.turn.say(still_waiting(r.order.order_no, pending), buttons=CONFIRM_BUTTONS)
    return pending


def request_of(told: NeedTold) -> str | None:
    """The order request that serves a need told (None for one no order request serves here:
    a change has its own form)."""
    if told.problem is not None:
        return problem_cases.INTENT_OF[told.problem]
    if told.need is None:
        return None
    serving = SERVED_BY[told.need]
    request = serving.faq_topic or serving.intent
    return request if request in ORDER_REQUEST_HANDLERS else None


def ask_order_for_problem(
    turn: Turn, answered_topic: str | None, own_purchase: bool = False
) -> bool:
    """A message that describes a problem with the shopper's own parcel or item (快递五天没动了,
    用了一周就出问题了) while no order is verified: the problem is met and the order number and
    phone tail asked for, never an FAQ entry about something else (`answered_topic`, the entry
    the FAQ would answer with: one the request's own flow covers is still answered). The number
    that follows serves the problem (order_context.open_question); so does a need asked of
    goods the words say the shopper bought (`own_purchase`: 我前天买的红米手机 什么时候发货).
    False, nothing said, otherwise."""
    if turn.tracker.get_slot("verified_order_no") or (turn.tracker.active_loop or {}).get("name"):
        return False
    if carries_order(turn.text):  # 6559… 尾号2751 专票开了没 财务天天催: the lookup reads it
        return False
    told = need_told(turn.text)
    # 1099买的 现在999 差的能补吗; 退货你们都签收了 钱呢: the order's own money asked for
    claimed = told is not None and told.need in (Need.PRICE_PROTECTION, Need.REFUND)
    asked = told.described or claimed or own_purchase if told is not None else False
    if told is None or not asked or is_hypothetical(turn.text):
        return False
    request = request_of(told)
    if request is None or answered_topic in RELATED_TOPICS.get(request, frozenset()):
        return False
    if is_policy_question(turn.text, request):  # 买了用不了能退吗: asked in general, no report
        return False
    heard = acknowledgement(turn.text, request)
    turn.say(AckAskOrder(heard if heard.says_anything else None))
    return True


def serve_problem_on_verified_order(turn: Turn) -> list[EventType] | None:
    """A problem told of the goods (那缺页的书怎么换 中间十几页空白) while an order is verified,
    read as a product question: served on that order by the problem's own path (goods the
    order does not hold are put off for their own order). None when the words tell no problem
    or ask in general (会不会缺页)."""
    order = verified_order(turn.session, turn.tracker)
    if order is None or is_hypothetical(turn.text):
        return None
    told = need_told(turn.text)
    if told is None or not told.described or not read_problem(turn.text, order, now=turn.now).kinds:
        return None
    request = request_of(told) or "request_return_exchange"
    if request not in ORDER_REQUEST_HANDLERS or is_policy_question(turn.text, request):
        return None
    handler = ORDER_REQUEST_HANDLERS[request]
    return [SlotSet("pending_request", handler(OrderRequest(turn, order, request, turn.text)))]


def _at_a_glance(r: OrderRequest) -> None:
    """The order given with no need said: shown in a few words, and what it is asked."""
    r.turn.say(order_at_a_glance(r.order, r.turn.now))


# Each handler answers; one that needs the shopper's yes first returns the request it waits for.
ORDER_REQUEST_HANDLERS: dict[str, Callable[[OrderRequest], str | None]] = {
    "track_order": _track,
    AT_A_GLANCE: _at_a_glance,
    "cancel_order": _act,
    "request_return_exchange": _act,
    "ask_refund_status": _refund,  # 换成退款 inside a case: the remedy chosen instead
    "request_repair": _act,
    **dict.fromkeys(CASE_KIND_BY_INTENT, _act),
    order_services.INVOICE: lambda r: order_services.answer_invoice(
        r.turn, r.words, r.order.order_no
    ),
    order_services.PRICE_PROTECTION: lambda r: order_services.answer_price_protection(
        r.turn, r.words, r.order.order_no
    ),
    WITHDRAW_RETURN: _withdraw,
}
ORDER_REQUEST_HANDLERS = {
    intent: _unless_answering(handler) for intent, handler in ORDER_REQUEST_HANDLERS.items()
}

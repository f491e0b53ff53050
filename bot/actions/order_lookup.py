"""Identify the shopper's order (order number + phone tail), then do what they asked about it."""

import re
from typing import Any, ClassVar, cast

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from bot.actions.bare_yes import answer_yes_with_nothing_waiting
from bot.actions.case_questions import answer_case_question
from bot.actions.common import (
    Turn,
    TurnAction,
    TurnFormValidation,
    action_before_message,
    answer_before_message,
    as_if_said,
    each_question_answered,
    earlier_texts,
    faq_answer,
    goods_in_focus,
    invoice_said_back,
    latest_intent,
    latest_text,
    offers_yes,
    search_asked,
    shopper_client,
    typed_texts,
    verified_order,
)
from bot.actions.order_requests import (
    CONFIRM_BUTTONS,
    ORDER_REQUEST_HANDLERS,
    PROBLEM_REPORTS,
    OrderRequest,
    answer_reaction_after_use,
    asked_request,
    carry_out,
    fresh_claim_reply,
)
from bot.actions.order_services import (
    INVOICE,
    confirm_invoice,
    refund_question_service,
    say_chase_answer,
)
from bot.actions.orders_together import order_of_the_request, other_request_given_together
from bot.actions.periods import answer_period_asked, period_explained
from bot.actions.problem_cases import (
    AFTER_DELIVERY_PENDING,
    CASE_KIND_BY_INTENT,
    CASE_PENDING,
    FRESH_CLAIM,
    QUALITY_RETURN,
    SAYING_BACK,
    adds_to_case,
    confirm_case,
    said_back_remedy,
)
from bot.actions.waiting_questions import (
    answer_in_terms,
    answer_opened_goods,
    answer_own_question_while_waiting,
    answer_while_waiting,
    other_need_asked,
)
from conversations.acknowledgement import (
    QUESTION,
    AckAskOrder,
    AckPolicyAnswer,
    acknowledgement,
    asks_where_order_number,
    is_policy_question,
)
from conversations.needs import PRESALE_INTENTS, RELATED_TOPICS, Need, clauses, needs_in
from conversations.pending_replies import ReplyRead, goes_ahead, read_reply, says_photos_taken
from conversations.reading import (
    TypedAnswer,
    asks_arrival_ahead,
    confirmed_first,
    confirmed_then_asked,
    is_about_earlier_action,
    is_closing,
    is_negated_request,
    is_question,
    opens_with_yes,
    pushes_back,
    says_no_order,
    says_tail_unknown,
    settles_back,
)
from conversations.short_messages import asks_when_a_promotion_ends, asks_when_it_comes
from core.spoken import spoken_digits
from core.text import normalise
from faq.service import faq_search
from shop.aftersales import holds
from shop.case_questions import (
    CaseQuestion,
    ChoiceBeforeCase,
    case_question,
    choice_before_case,
    decided_choice,
    open_case_in,
    remedy_choice,
)
from shop.chasing import ChaseTalk
from shop.earlier_actions import cancelled_unasked
from shop.fresh_food import BadShare, read_bad_share
from shop.invoice_reading import only_agrees
from shop.invoices import sent_otherwise
from shop.models import CaseKind, Order
from shop.modifications import ValueProblem, ValueRejected
from shop.orders import (
    LANDLINE,
    Verification,
    check_phone,
    mistyped_phone_digits,
    normalise_order_no,
    normalise_phone_tail,
    read_order_no,
    read_phone_tail,
    verify_order,
)
from shop.own_order import points_at_an_order
from shop.presale import FactUnknown, body_girth, named_variant_terms
from shop.problems import ProblemKind, names_a_fault, read_problem
from shop.product_names import find_product, names_goods, product_by_code
from shop.product_questions import product_answer
from shop.request_details import RequestDetailHeard
from shop.typed_answers import yes_or_no
from shop.waiting_requests import RETURN, still_waiting
from shop.waybills import WaybillNotAnOrder, read_waybill, without_waybill
from words.render import Button, phrase, say

MAX_LOOKUP_FAILURES = 3
# Words that say the digits are the phone's tail ("尾号1234", "后四位是1234", "手机末四位…").
TAIL_WORDS = re.compile(r"尾号|尾数|后四位|后4位|末四位|末4位|手机|电话")
# Digits that are neither an order number nor a phone tail (订单号 12-19 digits, 尾号 4).
# (digits inside a run of letters and digits are a tax number's or a waybill's: 91110105MA01…)
WRONG_LENGTH = re.compile(r"(?<![0-9a-z])(?:\d{5,11}|\d{20,})(?![0-9a-z])", re.IGNORECASE)
# Digits read out in groups: "3997 5288 2001 8263", "2845-1937-…", with a tail after them or not.
SPACED_DIGITS = re.compile(r"(?<!\d)\d+(?:[ \-]+\d+)+(?!\d)")
POLICY_SLOT = "policy_request"  # an order request answered as a policy question (bool)
POLICY_SCORE = 0.65  # how sure the FAQ must be to answer an order request as a policy question


def _spaced_number(text: str) -> tuple[str, str | None, str] | None:
    """An order number written in groups of digits, the phone tail when its last group is one
    (a 4-digit group after 12-19 digits), and the text without them; None when there is none."""
    clean = LANDLINE.sub(" ", spoken_digits(normalise(text)))  # 0571-86886688: a phone
    for run in SPACED_DIGITS.finditer(clean):
        groups = re.split(r"[ \-]+", run.group(0))
        digits = "".join(groups)
        rest = clean[: run.start()] + " " + clean[run.end() :]
        if 12 <= len(digits) <= 19:
            return digits, None, rest
        if len(groups[-1]) == 4 and 12 <= len(digits) - 4 <= 19:
            return digits[:-4], groups[-1], rest
    return None


def read_number(text: str) -> str | None:
    """The order number in the message, also read out in groups ("3997 5288 2001 8263" is one
    number, "3997 5288 2001 8263 0419" a number and a tail); never a carrier's waybill
    (中通 运单号：7531 2345 6789 01)."""
    text = without_waybill(text)
    found = read_order_no(text)
    if found is None and (spaced := _spaced_number(text)) is not None:
        found = spaced[0]
    return found


def read_tail(text: str) -> str | None:
    """The phone tail in the message, never a group of an order number read out in groups nor
    of a waybill."""
    text = without_waybill(text)
    if (spaced := _spaced_number(text)) is not None:
        _, tail, rest = spaced
        return tail or read_phone_tail(rest)
    return read_phone_tail(text)


def is_button_payload(text: str) -> bool:
    """Whether the message is a button's payload (`/intent`), not words the shopper typed."""
    return text.startswith("/")


def slot_before_message(tracker: Tracker, name: str) -> Any:
    """The slot's value before the shopper's latest message (what Rasa filled from it since
    is left out)."""
    value = before = None
    for event in tracker.events:
        if event.get("event") == "user":
            before = value
        elif event.get("event") == "slot" and event.get("name") == name:
            value = event.get("value")
    return before


def focus_on(session: Session, tracker: Tracker, order_no: str, text: str) -> list[EventType]:
    """The order just named is the one in focus; another than the verified one is verified by
    the phone tail the shopper gave already, or else asked for its own (the tail in `text`, if
    it gives one, is taken)."""
    verified = tracker.get_slot("verified_order_no")
    if verified is None or verified == order_no:
        return [SlotSet("order_id", order_no)]
    tail = tracker.get_slot("phone_tail")
    client = shopper_client(tracker)
    if tail and verify_order(session, order_no, str(tail), guess=False, client=client).order:
        return [SlotSet("order_id", order_no), SlotSet("verified_order_no", order_no)]
    return [
        SlotSet("order_id", order_no),
        SlotSet("verified_order_no", None),
        SlotSet("phone_tail", read_tail(text)),
    ]


class ValidateOrderLookupForm(TurnFormValidation):
    """Reads the order number and the phone tail from what shoppers write or paste (order
    details with dates and times in them, a corrected tail), checks their shape, then that they
    belong together. A tail given before the number waits for it; a wrong tail keeps the number,
    so the shopper can correct either."""

    # Slots of the form's own that a stopped earlier run may have left: cleared when it starts.
    fresh_slots: ClassVar[tuple[str, ...]] = ()

    def name(self) -> str:
        return "validate_order_lookup_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if self.name() in GATED_FORMS and _no_order_to_give(tracker):
            # 就问问 没具体单子: the lookup stops; the action after the form answers the question
            return [SlotSet("order_id", None), SlotSet("requested_slot", None)]
        if tracker.get_slot("requested_slot") is not None:
            return await super().run(dispatcher, tracker, domain)
        stale = [slot for slot in self.fresh_slots if tracker.slots.get(slot) is not None]
        tracker.slots.update(dict.fromkeys(stale))
        return [SlotSet(slot, None) for slot in stale] + await super().run(
            dispatcher, tracker, domain
        )

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        if tracker.get_slot("lookup_blocked"):
            return []
        if self.name() in GATED_FORMS and _policy_only(self.session, tracker):
            return []  # answered in general by the action after the form; no number demanded
        order_no = tracker.get_slot("verified_order_no")
        # 另外三体在派送 能放快递柜吗 6901…: the order named is read (validate_order_id), never
        # the one verified before judged
        named = read_number(latest_text(tracker)) not in (None, order_no)
        if order_no and not named and self.cannot_go_on(str(order_no), tracker):
            return []  # the action after the form says why
        return domain_slots

    def cannot_go_on(self, order_no: str, tracker: Tracker) -> bool:
        """Whether the verified order cannot have what the form goes on to ask for (a form that
        asks for more after the lookup says)."""
        return False

    async def extract_order_id(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The order number in the message, read whole (not a date, a time or a waybill number
        taken for one); what NLU took for one otherwise is undone."""
        text = latest_text(tracker)
        if is_button_payload(text):
            return {}
        asked = tracker.get_slot("requested_slot")
        found = read_number(text)
        if not found and asked == "order_id" and asks_where_order_number(text):
            return {"order_id": None}  # the form asks again, with the steps to find it
        if found and asked == "phone_tail" and mistyped_phone_digits(text):
            found = None  # a 12-digit phone at the tail question: its hint follows
        if not found and asked == "order_id" and (waybill := read_waybill(text)) is not None:
            # 中通 运单号：7531…: a carrier's number, not the order's; the form asks again
            heard = WaybillNotAnOrder(waybill.number, waybill.carrier, order_asked=True)
            dispatcher.utter_message(text=say(heard))
            return {"order_id": None}
        if found:
            return {"order_id": found}
        if "order_id" in tracker.slots_to_validate():
            return {"order_id": slot_before_message(tracker, "order_id")}
        if asked == "order_id" and WRONG_LENGTH.search(text) and not _a_phone(text):
            dispatcher.utter_message(response="utter_invalid_order_id")  # the form asks again
            return {"order_id": None}
        return {}

    async def extract_phone_tail(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The phone tail in the message ("不对 是1234" after a wrong one, "尾号1234"), never a
        piece of an order number, a date or a time; a phone number a digit short or long gets
        a hint."""
        if tracker.get_slot("verified_order_no"):
            return {}  # digits after the verification are not a new one
        text = latest_text(tracker)
        asked = tracker.get_slot("requested_slot") == "phone_tail"
        from_nlu = "phone_tail" in tracker.slots_to_validate()
        spaced = _spaced_number(text)  # "3997 5288 2001 8263 0419": a number, then its tail
        named = asked or from_nlu or TAIL_WORDS.search(text) or check_phone(text)
        named = named or (spaced is not None and spaced[1] is not None)
        if is_button_payload(text) or not named:
            return {}
        if asked and (digits := mistyped_phone_digits(text)):
            rejected = ValueRejected(ValueProblem.PHONE_DIGITS, digits=digits)
            dispatcher.utter_message(text=say(rejected))  # the form asks for the tail again
            return {"phone_tail": None}
        tail = read_tail(text)
        if tail is None and from_nlu:
            return {"phone_tail": slot_before_message(tracker, "phone_tail")}
        return {"phone_tail": tail} if tail else {}

    def validate_order_id(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None:  # undone by extract_order_id, or an invalid one just said
            return {"order_id": None}
        order_no = normalise_order_no(str(value))
        if order_no is None:
            dispatcher.utter_message(response="utter_invalid_order_id")
            return {"order_id": None}
        verified = tracker.get_slot("verified_order_no")
        if verified is None:
            result = {"order_id": order_no}
            tail = tracker.get_slot("phone_tail")
            if tail and "phone_tail" not in tracker.slots_to_validate():
                result |= self._verify(order_no, str(tail), dispatcher, tracker)  # said first
            return result
        if order_no == verified:
            return {"order_id": order_no}
        # another order than the one verified: the tail given before verifies it when it is the
        # same shopper's, else it needs its own (one just given is checked by its validator)
        focus = {e["name"]: e["value"] for e in focus_on(self.session, tracker, order_no, "")}
        if "phone_tail" in tracker.slots_to_validate():
            focus.pop("phone_tail", None)
        return focus

    def validate_phone_tail(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("verified_order_no") and tracker.get_slot("requested_slot") != (
            "phone_tail"
        ):
            return {}  # digits in a later message (a new phone number…) are not a new verification
        if value is None:  # undone by extract_phone_tail (its hint, if any, is said)
            return {"phone_tail": None}
        tail = normalise_phone_tail(str(value))
        if tail is None:
            dispatcher.utter_message(response="utter_invalid_phone_tail")
            return {"phone_tail": None}
        order_no = tracker.get_slot("order_id")
        if not order_no:
            return {"phone_tail": tail}  # checked once the order number comes
        return self._verify(str(order_no), tail, dispatcher, tracker)

    def _verify(
        self, order_no: str, tail: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """Whether the pair belongs together; a failure counts, and keeps the order number so
        that a corrected tail (or a corrected number) is all the next message needs."""
        checked = verify_order(
            self.session, order_no, tail, tracker.sender_id, client=shopper_client(tracker)
        )
        if checked.order is not None:
            return {"phone_tail": tail, "verified_order_no": checked.order.order_no}
        failures = (tracker.get_slot("lookup_failures") or 0) + 1
        if failures >= MAX_LOOKUP_FAILURES or checked.outcome is Verification.LOCKED:
            return {"phone_tail": None, "lookup_failures": failures, "lookup_blocked": True}
        dispatcher.utter_message(response="utter_pair_not_matched")  # the form asks again
        return {"phone_tail": None, "lookup_failures": failures}


def _a_phone(text: str) -> bool:
    """A whole phone number, or one a digit short or long (not an order number gone wrong)."""
    return bool(check_phone(text) or mistyped_phone_digits(text))


def answer_in_general(turn: Turn, intent: str, words: str) -> list[EventType]:
    """An order request asked in general terms, with no order in the conversation (生鲜能七天无
    理由吗, 能不能发中通, 买了不合适能退吗, 就问问): answered at once from the catalogue (the
    product named or in focus, when its page answers) or the FAQ, the order number offered as a
    second line; the FAQ's likeliest questions when it is not sure. Its events: the offer's
    request waits for an order number that may follow."""
    from bot.actions.presale import product_follow_up  # presale imports the order actions

    parts = [part.text for part in clauses(words)]
    if (coming := _a_variant_coming(turn, parts)) is not None:
        return coming
    policy = [part for part in parts if needs_in(part)]
    goods = " ".join(part for part in parts if part not in policy)
    if policy and goods and (said := product_follow_up(as_if_said(turn, goods))) is not None:
        # 那白绿的37和38都有吧 买了不合适能换吗: the stock, then the return policy
        return [*said, *_policy_answer(turn, " ".join(policy), intent)]
    if (said := product_follow_up(as_if_said(turn, words))) is not None:
        if intent not in ORDER_OFFERED:
            return said  # 基站要不要接水管: the product's page
        # 裤子有点短 想退 签收三天了还能退吗: the page's rule, and the order number offered for
        # the shopper's own (the number that follows serves the request)
        turn.say(AckPolicyAnswer("", intent))
        return [*said, SlotSet(POLICY_SLOT, True)]
    return _policy_answer(turn, words, intent)


# Order requests asked in general terms whose answer offers to check the shopper's own order.
ORDER_OFFERED = frozenset(
    {"request_return_exchange", "request_repair", "cancel_order", "ask_refund_status"}
)


def _promotion_end_asked(turn: Turn) -> list[EventType] | None:
    """When a promotion ends, asked of the product named, in focus, or of the verified order
    (秒杀到什么时候 after the heater's 价保): its price and promotions, with their end; None when
    the message asks no such thing."""
    from bot.actions.presale import answer_about  # presale imports the order actions

    if not asks_when_a_promotion_ends(turn.text):
        return None
    current = turn.tracker.get_slot("current_product")
    product = find_product(turn.session, turn.text, current) or product_by_code(
        turn.session, current
    )
    if product is None and (order := verified_order(turn.session, turn.tracker)) is not None:
        product = order.items[0].variant.product
    return answer_about(turn, product, "ask_price_promotion") if product is not None else None


# Words that find fault with the goods (很差, 不好用, 没声音, 有异味): a problem told, no question.
COMPLAINED_OF = re.compile(
    r"差|不好|不行|没声|不响|异味|味道大|掉|漏|坏|裂|不灵|失灵|怎么办|不正常|正常吗"
)


def _product_question_read_as_a_problem(turn: Turn) -> list[EventType] | None:
    """A question the catalogue answers about goods the message names, read as a problem with
    them though it tells none (茶叶收到了要放冰箱吗: their storage); None otherwise."""
    from bot.actions.presale import answer_about  # presale imports the order actions

    if latest_intent(turn.tracker) not in PROBLEM_REPORTS or not is_question(turn.text):
        return None
    if read_problem(turn.text).kinds or names_a_fault(turn.text) or COMPLAINED_OF.search(turn.text):
        return None  # 保温效果很差 正常吗, 左耳没声音 怎么办: a problem, its own path
    product = find_product(turn.session, turn.text, None)
    if product is None or isinstance(product_answer(product, turn.text), FactUnknown):
        return None
    return answer_about(turn, product, "ask_product_info")


def _the_product_weighed(turn: Turn, order: Order) -> list[EventType] | None:
    """A question its page answers about the product in focus, one the verified order does not
    hold, naming none of the order's goods (拆开洗了觉得不好能退吗 after the bedding set's price,
    the quilt's order verified): about that product, before buying it. None otherwise."""
    from bot.actions.presale import answer_about  # presale imports the order actions

    product = product_by_code(turn.session, turn.tracker.get_slot("current_product"))
    if product is None or not is_question(turn.text) or points_at_an_order(turn.text):
        return None  # 这单能退吗: the order's own
    if holds(order, product):
        return None
    if not _focused_after_the_order(turn.tracker):
        return None  # the product talked of before the order was given: the order is meant
    if names_goods(turn.session, turn.text) or read_problem(turn.text).kinds:
        return None
    if isinstance(product_answer(product, turn.text), FactUnknown):
        return None
    return answer_about(turn, product, "ask_product_info")


def _focused_after_the_order(tracker: Tracker) -> bool:
    """Whether the product in focus was put there after the order was last verified."""
    last: dict[str, int] = {}
    for at, event in enumerate(tracker.events):
        named = event.get("name") in ("current_product", "verified_order_no")
        if event.get("event") == "slot" and named and event.get("value"):
            last[str(event["name"])] = at
    return last.get("current_product", -1) > last.get("verified_order_no", -1)


def _a_variant_coming(turn: Turn, parts: list[str]) -> list[EventType] | None:
    """那白L啥时候到 到了能通知我不, no order given: the variant's stock and restock date, and
    what else the message asks that the knowledge base is sure of; None when no clause asks
    when a variant of the product in focus comes."""
    from bot.actions.presale import answer_about  # presale imports the order actions

    tracker, session = turn.tracker, turn.session
    coming = [p for p in parts if asks_when_it_comes(p)]
    coming = [p for p in coming if _names_a_variant_in_focus(session, tracker, p)]
    product = product_by_code(session, tracker.get_slot("current_product"))
    if product is None or not coming:
        return None
    said = answer_about(as_if_said(turn, coming[0]), product, "ask_stock")
    if rest := " ".join(p for p in parts if p not in coming):
        result = faq_search.search(session, rest, k=1, earlier=earlier_texts(tracker))
        if result.answered and result.hits[0].score >= POLICY_SCORE:
            turn.out.utter_message(text=faq_answer(as_if_said(turn, rest), result.hits[0].entry))
    return said


def _policy_answer(turn: Turn, words: str, intent: str) -> list[EventType]:
    """The knowledge base's answer to an order request asked in general terms, the order
    number offered; its likeliest questions when it is not sure."""
    asking = as_if_said(turn, words)
    goods = goods_in_focus(turn.session, turn.tracker)
    result = search_asked(turn, words, k=2, earlier=earlier_texts(turn.tracker), categories=goods)
    if (each := each_question_answered(turn, words, goods)) is not None:
        turn.say(AckPolicyAnswer("\n".join(each), intent))  # 包邮吗 寄新疆几天到: both
        return [SlotSet(POLICY_SLOT, True)]
    hit = result.hits[0] if result.answered else None
    related = RELATED_TOPICS.get(intent, frozenset())
    if hit is not None and (hit.entry.id in related or hit.score >= POLICY_SCORE):
        turn.say(AckPolicyAnswer(faq_answer(asking, hit.entry), intent))
        return [SlotSet(POLICY_SLOT, True)]
    if result.hits:
        buttons = [{"title": h.entry.question, "payload": h.entry.question} for h in result.hits]
        turn.out.utter_message(response="utter_faq_clarify", buttons=buttons)
    else:
        turn.utter("utter_faq_unknown", buttons=[Button.HUMAN])
    return []


def asked_in_general(session: Session, tracker: Tracker, intent: str, words: str) -> bool:
    """Whether a request with no order verified is a question in general terms
    (`asked_before_buying`), or the shopper just said there is no order (就问问 没具体单子)."""
    if tracker.get_slot("verified_order_no"):
        return False
    return asked_before_buying(session, tracker, intent, words) or says_no_order(
        latest_text(tracker)
    )


def asked_before_buying(session: Session, tracker: Tracker, intent: str | None, text: str) -> bool:
    """Whether an order request is a question no order of the shopper's answers: one in general
    terms (the gate, `is_policy_question`: 保修几年 坏了要自己送修吗, 今天下单周五前能到吗), an FAQ
    entry's own question (its button tapped: 保修多久？坏了怎么维修？ leads where it says), or,
    with a product in focus, when it would arrive (要两盒 下周三之前能到上海吗)."""
    if is_button_payload(text):
        return False
    if is_policy_question(text, intent) or faq_search.entry_titled(session, text) is not None:
        return True
    if measures_for_a_size(tracker, text):
        return True  # 腰是86 不是2尺5 after the trousers' size was asked: the size again
    if intent != "track_order" and QUESTION.search(text) and _presale_talk(tracker, text):
        return True  # 装好了不想要能退吗 after the heater's questions: before buying it
    if asks_when_a_promotion_ends(text) and tracker.get_slot("current_product"):
        return True  # 秒杀到什么时候结束 after the heater's price: the promotion's end
    weighing = bool(tracker.get_slot("current_product")) and intent == "track_order"
    if weighing and asks_when_it_comes(text) and _presale_talk(tracker, text):
        return _names_a_variant_in_focus(session, tracker, text)  # 那白L啥时候到: its restock
    return weighing and asks_arrival_ahead(text) and not points_at_an_order(text)


def _names_a_variant_in_focus(session: Session, tracker: Tracker, text: str) -> bool:
    """Whether the words name a colour or size of the product in focus (那白L啥时候到)."""
    product = product_by_code(session, tracker.get_slot("current_product"))
    return product is not None and any(named_variant_terms(product, text))


def in_a_presale_talk(tracker: Tracker) -> bool:
    """Whether the talk is about a product in focus and no order was ever given or verified in
    it (装好了不想要能退吗 after the heater's questions)."""
    if not tracker.get_slot("current_product") or tracker.get_slot("verified_order_no"):
        return False
    return not any(read_number(t) for t in typed_texts(tracker))


def _presale_talk(tracker: Tracker, text: str) -> bool:
    """Whether the words come in a talk about a product before any order
    (`in_a_presale_talk`) and point at no purchase of the shopper's (我买的热水器…): a
    question then asks what would happen, before buying."""
    return in_a_presale_talk(tracker) and not points_at_an_order(text)


def measures_for_a_size(tracker: Tracker, text: str) -> bool:
    """Whether the words give a body girth (腰是86, 39领) for the product in focus, and tell no
    problem with an order: a size asked before buying, whatever the NLU read."""
    if not tracker.get_slot("current_product") or points_at_an_order(text):
        return False
    return body_girth(text) is not None and not read_problem(text).kinds


def _no_order_to_give(tracker: Tracker) -> bool:
    """Whether the shopper, asked for the order number, says there is none (就问问 没具体单子,
    还没买 先问问): the request waiting for it stops."""
    asked = tracker.get_slot("requested_slot") in ("order_id", "phone_tail")
    text = latest_text(tracker)
    if not asked or tracker.get_slot("verified_order_no") or is_button_payload(text):
        return False
    if latest_intent(tracker) in PRESALE_INTENTS and _presale_talk(tracker, text):
        return True  # 3200瓦的那个插座要求是啥 after the heater's questions: no order to give
    if says_tail_unknown(text) and read_tail(text) is None:
        return True  # 他手机号我不知道: the lookup cannot go on (the action after says why)
    return says_no_order(text) and read_number(text) is None


# The forms that verify an order for a request: a question in general terms ends them at once.
GATED_FORMS = frozenset({"validate_order_lookup_form", "validate_modify_order_form"})


def _policy_only(session: Session, tracker: Tracker) -> bool:
    """Whether the message starting the lookup or the change reads as a question in general
    terms (`asked_before_buying`), with no order verified or named yet. The form is starting
    when it has asked nothing yet: Rasa already names it the active loop when it calls the
    validation for the first time."""
    starting = tracker.get_slot("requested_slot") is None
    named = any(tracker.get_slot(s) for s in ("verified_order_no", "order_id", "phone_tail"))
    if not starting or named:
        return False
    return asked_before_buying(session, tracker, latest_intent(tracker), latest_text(tracker))


def answered_this_message(tracker: Tracker) -> bool:
    """Whether the bot has already said something since the shopper's latest message (an
    apology, a policy answer, what was wrong with a number): the question then comes alone."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "bot":
            return True
    return False


class ActionAskOrderId(TurnAction):
    """The order lookup's question for the order number, which every form that verifies an
    order asks (Rasa's `action_ask_order_id`): what the shopper said is met first (an apology
    for a late or broken parcel, reassurance when time presses), and the phone tail is asked
    in the same message; "订单号在哪里看" gets the steps to find it."""

    answers_shopper = False  # a question: other needs wait until something is answered

    def name(self) -> str:
        return "action_ask_order_id"

    def act(self, turn: Turn) -> list[EventType]:
        where = asks_where_order_number(turn.text)
        ack = None
        if not answered_this_message(turn.tracker):
            heard = acknowledgement(turn.text, latest_intent(turn.tracker))
            ack = heard if heard.says_anything else None
        tail = turn.tracker.get_slot("phone_tail")
        asked = AckAskOrder(ack, str(tail) if tail else None, where)
        turn.say(asked, buttons=[Button.HUMAN] if where else [])
        return []


class ActionHandleOrderRequest(TurnAction):
    """Once the order is verified: does what the shopper asked, in plain words."""

    def name(self) -> str:
        return "action_handle_order_request"

    def serves(self, tracker: Tracker) -> str | None:
        return asked_request(tracker)[0]  # 维修 named with 保修多久: the repair answered here

    def act(self, turn: Turn) -> list[EventType]:
        if turn.tracker.get_slot("lookup_blocked"):
            turn.utter("utter_lookup_blocked")
            return []
        if (promotion := _promotion_end_asked(turn)) is not None:
            return promotion  # 秒杀到什么时候, whatever the order: the product's promotion
        if (about := _product_question_read_as_a_problem(turn)) is not None:
            return about  # 茶叶收到了要放冰箱吗: how to keep it, no problem told
        intent, words = asked_request(turn.tracker)
        # 差了30呢 退不退 after a 价保 said back: the 价保's money, not a refund on record
        intent = refund_question_service(turn.tracker, intent, words)
        order = verified_order(turn.session, turn.tracker)
        if order is None:
            from bot.actions.presale import PRESALE_ACTIONS  # it builds on the order actions

            asked_now = latest_intent(turn.tracker)
            if measures_for_a_size(turn.tracker, turn.text):
                asked_now = "ask_size_advice"  # 腰是86 不是2尺5, read as a wrong item
            if asked_now in PRESALE_ACTIONS and asked_now != intent:
                # 没买呢 我是问休闲裤尺码 腰围86 穿几码, the lookup stopped: the question asked now
                return PRESALE_ACTIONS[asked_now].act(turn)
            if asked_in_general(turn.session, turn.tracker, intent, words):
                # 生鲜能七天无理由吗, 就问问: the answer, and the order number offered
                return answer_in_general(turn, intent, words)
            if says_tail_unknown(turn.text):  # 帮朋友查 他手机号我不知道: why not, and how
                turn.out.utter_message(text=phrase("tail_unknown"))
                return [SlotSet("order_id", None), SlotSet("phone_tail", None)]
            turn.utter("utter_order_not_verified")
            return [SlotSet("order_id", None), SlotSet("phone_tail", None)]
        # 跑鞋7507… 羽绒服5431… for 跑鞋到哪了 and 羽绒服退货寄哪: the order its clause names
        order, switched = order_of_the_request(turn, order, intent)
        if (weighed := _the_product_weighed(turn, order)) is not None:
            return weighed  # 拆开洗了觉得不好能退吗 after the bedding set's questions: its rule
        # the order a policy answer offered to check is checked now: nothing waits for it
        answered = [SlotSet(POLICY_SLOT, None)] if turn.tracker.get_slot(POLICY_SLOT) else []
        answered += switched
        # 我没取消啊 on a cancelled order: when, the refund, and a person for why
        unasked = cancelled_unasked(order, turn.now) if intent == "track_order" else None
        if unasked is not None and is_about_earlier_action(words):
            turn.say(unasked, buttons=[Button.HUMAN])
            return [SlotSet("lookup_failures", 0), SlotSet("pending_request", None), *answered]
        pending_now = turn.tracker.get_slot("pending_request")
        misread = pending_now and latest_intent(turn.tracker) == "track_order"
        # 为什么还要主管确认 我明天就要用 while the case waits: its own answer, it still waits
        if misread and answer_own_question_while_waiting(turn, order, str(pending_now)):
            return [SlotSet("lookup_failures", 0), *answered]
        agreed = agreed_while_waiting(turn) if latest_intent(turn.tracker) == "inform" else None
        if agreed is not None:  # 普票就行 还发原来的邮箱 to the invoice said back: it still waits
            return [SlotSet("lookup_failures", 0), *agreed, *answered]
        # 1到3个工作日从哪天算 read as the refund asked again: the period just stated
        if words == turn.text and (about := answered_about_the_period(turn)) is not None:
            return [SlotSet("lookup_failures", 0), *about, *answered]
        request = OrderRequest(turn, order, intent, words)
        pending = turn.tracker.get_slot("pending_request")
        if pending and _no_problem_told(turn, order, intent, str(pending), words):
            # 用了两次 盒子配件都在 while a return waits: no report, the return still waits;
            # 都快一个月了还能换吗: answered first
            if not answer_while_waiting(turn, order, str(pending)):
                turn.say(still_waiting(order.order_no, str(pending)), buttons=CONFIRM_BUTTONS)
            return [SlotSet("lookup_failures", 0), *answered]
        plea = pending and pending != latest_intent(turn.tracker) and pushes_back(turn.text)
        if plea and answer_while_waiting(turn, order, str(pending)):
            return [SlotSet("lookup_failures", 0), *answered]  # 通融一下: heard, a person offered
        typed = None
        if pending == intent and intent in TYPED_ANSWERS:
            typed = _typed_answer(turn, order, str(pending))
        if typed is not None:
            # 取消 / 对 不要了 取消 to the cancel said back: the answer, in the request's own words
            done = typed == TypedAnswer.YES or typed == TypedAnswer.NO
            return [
                SlotSet("lookup_failures", 0),
                *([SlotSet("pending_request", None)] if done else []),
                *answered,
            ]
        waiting = ORDER_REQUEST_HANDLERS[intent](request)
        also = other_request_given_together(turn, order, intent) if waiting is None else None
        if also is not None:
            # 羽绒服6749… 橙子5704… after 羽绒服还没发 还有橙子烂了好几个: the oranges' claim too,
            # and their order the one in focus for what follows (烂了6个)
            turn.served_besides.append(also.intent)
            waiting = ORDER_REQUEST_HANDLERS[also.intent](also)
            answered += [
                SlotSet("verified_order_no", also.order.order_no),
                SlotSet("order_id", also.order.order_no),
            ]
        served = [SlotSet("order_need", None)] if turn.tracker.get_slot("order_need") else []
        return [
            SlotSet("lookup_failures", 0),
            SlotSet("pending_request", waiting),
            *served,
            *answered,
            *_turn_ends(turn, pending, waiting),
            *turn.handed_on,
        ]


def _turn_ends(turn: Turn, pending: object, waiting: str | None) -> list[EventType]:
    """The bot listens next when data (对 两瓶都要 申请吧 read as inform) answered the request
    said back and ended its wait: no rule knows that turn (the rule for data while a request
    waits ends with the request still waiting), and the policies' guess is the fallback."""
    ended = pending is not None and waiting is None
    return (
        [FollowupAction("action_listen")]
        if ended and latest_intent(turn.tracker) == "inform"
        else []
    )


# Requests said back that are about the goods themselves, not a parcel case or a claim.
RETURNS = frozenset({RETURN, QUALITY_RETURN})  # the returns said back for a yes
REQUESTS_OF_THE_GOODS = frozenset({"request_return_exchange", QUALITY_RETURN, "request_repair"})


def _no_problem_told(turn: Turn, order: Order, intent: str, pending: str, words: str) -> bool:
    """Whether the latest message, read as a parcel problem while another request waits for
    its yes, describes no problem at all (盒子配件都在 beside a return): words about the
    request waiting, not a report."""
    if pending not in REQUESTS_OF_THE_GOODS or intent not in CASE_KIND_BY_INTENT:
        return False  # a case or claim waiting: the words may choose its remedy
    if words != turn.text:
        return False
    return not read_problem(words, order, now=turn.now).kinds


class ActionAnswerPendingRequest(TurnAction):
    """The shopper's yes or no to a cancel, a return, an invoice or a 价保 refund the bot has
    just said back: carried out, or the order left as it is. A yes that does not answer that
    question does nothing."""

    hears_replies_first = False  # the replies to what waits are its own work

    def name(self) -> str:
        return "action_answer_pending_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        pending = tracker.get_slot("pending_request")
        text = latest_text(tracker)
        heard = pending and read_reply(text, pending, said_back_remedy(tracker, pending))
        if pending and (is_question(text) or (heard and (heard.detail or heard.photos_taken))):
            # 七天无理由对吧, 补发还走顺丰吧 别又给压坏了: the answer is the turn's whole answer,
            # the problem it names not offered again
            quiet = cast(TurnAction, _QuestionWhileWaiting(self))
            return await TurnAction.run(quiet, dispatcher, tracker, domain)
        return await super().run(dispatcher, tracker, domain)

    def act(self, turn: Turn) -> list[EventType]:
        cleared: list[EventType] = [SlotSet("pending_request", None)]
        pending = turn.tracker.get_slot("pending_request")
        order = verified_order(turn.session, turn.tracker)
        if pending and order and not _just_asked(turn.tracker) and still_asked(turn.tracker):
            return _after_a_question(turn, order, str(pending))
        if not (pending and order and _just_asked(turn.tracker)):
            # nothing was waiting for this answer
            return [*cleared, *answer_yes_with_nothing_waiting(turn)]
        if (confirmed := confirmed_in_words(turn, order)) is not None:  # 确认 补发要多久到
            return confirmed
        if answer_while_waiting(turn, order, str(pending)):  # 七天无理由对吧: answered, waits
            return []
        read = read_reply_to(turn, str(pending))
        if heard_about_request(turn, order, str(pending), read):  # 补发还走顺丰吧: never a no
            return []
        answer = read.answer
        # 取消 read as a no (deny) to the cancel said back is its yes in its own words
        restated = read.restated and answer == TypedAnswer.YES
        if answer == TypedAnswer.NO or (latest_intent(turn.tracker) != "affirm" and not restated):
            if answer == TypedAnswer.EITHER:  # 不要了 read as a no: could be either
                ask_yes_or_no(turn, order, str(pending))
                return []
            say_kept(turn, order, str(pending))
            return cleared
        if answer == TypedAnswer.EITHER:
            ask_yes_or_no(turn, order, str(pending))
            return []
        if answer == TypedAnswer.UNSURE:  # 等一下: nothing is done, the question stays open
            turn.utter("utter_request_waits", buttons=CONFIRM_BUTTONS)
            return []
        carry_out(waiting_request(turn, order, pending))
        return cleared


class _QuestionWhileWaiting:
    """The pending request's answer to a question asked while it waits, run as its turn
    without the other needs' offer: what the question named is what it answers. (No Action
    subclass: the action server would register it under the same name.)"""

    answers_shopper = False
    hears_replies_first = False  # the pending request's own action reads the reply

    def __init__(self, action: ActionAnswerPendingRequest) -> None:
        self.action = action

    def serves(self, tracker: Tracker) -> str | None:
        return self.action.serves(tracker)

    def act(self, turn: Turn) -> list[EventType]:
        return self.action.act(turn)


def declined_waiting_request(turn: Turn) -> list[EventType] | None:
    """A no the NLU did not take for one (好吧 算了) to a request just said back, or said back
    before a question in between: the order stays as it is (None when nothing waits)."""
    waiting = _just_asked(turn.tracker) or still_asked(turn.tracker)
    if not (turn.tracker.get_slot("pending_request") and waiting):
        return None
    if read_reply_to(turn, str(turn.tracker.get_slot("pending_request"))).answer != (
        TypedAnswer.NO
    ):  # 对 不要了 取消 is no no to a cancel; 补发还走顺丰吧 别又给压坏了 no no to a resend
        return None
    order = verified_order(turn.session, turn.tracker)
    if order is None:
        turn.utter("utter_request_kept")
    else:
        say_kept(turn, order, str(turn.tracker.get_slot("pending_request")))
    return [SlotSet("pending_request", None)]


def declined_taken_back(turn: Turn) -> list[EventType] | None:
    """A parcel case turned down a moment ago, taken back (其实燕麦色也挺好看的 我能留着不换吗,
    then 还是换黑的吧): said back again for its yes. None when nothing was just turned down
    or the words do not go back to it."""
    if turn.tracker.get_slot("pending_request") or not settles_back(turn.text):
        return None
    declined = _declined_last_turn(turn.tracker)
    kind = AFTER_DELIVERY_PENDING.get(declined or "")
    order = verified_order(turn.session, turn.tracker) if kind is not None else None
    if kind is None or order is None:
        return None
    said_back = confirm_case(turn, order, kind, None, described=True)
    return [SlotSet("pending_request", said_back)]


def _declined_last_turn(tracker: Tracker) -> str | None:
    """The request the bot's last turn let go of (its pending_request set to none after a
    value), if any."""
    users = 0
    cleared = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users += 1
            if users > 2:
                return None
        elif event.get("event") == "slot" and event.get("name") == "pending_request":
            if users == 1 and event.get("value") is None:
                cleared = True
            elif cleared and event.get("value"):
                return str(event["value"])
    return None


def say_kept(turn: Turn, order: Order, pending: str) -> None:
    """A no to the request waiting: the order stays as it is; a cancel declined on an order
    being chased (其实我挺想要的 就是等太久了) is kept with the chase's next step said."""
    case = open_case_in(turn.session, turn.conversation_id, order.order_no)
    if pending == "cancel_order" and case is not None and case.kind == CaseKind.DELAYED:
        say_chase_answer(turn, order, ChaseTalk.KEEP_ORDER, case)
        return
    turn.utter("utter_request_kept")


def answered_while_waiting(turn: Turn) -> list[EventType] | None:
    """A question the NLU did not read as a yes or a no (是七天无理由的吧 as data, 然后呢 as
    anything) to a request just said back, or said back before a question in between: answered
    from the order or the policy and the request offered again in one line (None when nothing
    waits, the message asks nothing, or nothing answers it). For the actions such messages reach
    (action_clarify, action_answer_out_of_scope, action_answer_faq). The request's own words
    typed to it (申请价保, 取消掉吧 read as anything) are its yes; 不要了 to a cancel is asked
    with two buttons."""
    pending = turn.tracker.get_slot("pending_request")
    waiting = _just_asked(turn.tracker) or still_asked(turn.tracker)
    order = verified_order(turn.session, turn.tracker) if pending and waiting else None
    if order is None:
        return None
    if answer_while_waiting(turn, order, str(pending)):
        return []
    read = read_reply_to(turn, str(pending))
    if heard_about_request(turn, order, str(pending), read):  # 拍好了 连快递单一起: heard
        return []
    answer = read.answer
    if answer == TypedAnswer.YES and read.restated:
        carry_out(waiting_request(turn, order, str(pending)))
        return [SlotSet("pending_request", None)]
    if answer == TypedAnswer.EITHER:
        ask_yes_or_no(turn, order, str(pending))
        return []
    return None


def replied_to_what_waits(turn: Turn) -> list[EventType] | None:
    """A reply to what was said back for its yes, whatever the NLU read: the yes typed with a
    question after it (确认 补发要多久到, read as tracking) to any request; to a parcel case, the
    photos said sent (照片发了 [照片] read as a 价保 question) are heard, a remedy chosen (补发吧
    read as a change) is said back with it, a go-ahead (帮我登记 要退款 read as out of scope)
    carries it out (`answered_while_waiting`). None for any other message, or when nothing
    waits."""
    pending = turn.tracker.get_slot("pending_request")
    text = turn.text
    # 确认 补发要多久到, 确认 换黑色L: the yes, read as anything (a question after it answered)
    if pending and (confirmed_then_asked(text) is not None or confirmed_first(text)):
        order = verified_order(turn.session, turn.tracker)
        return confirmed_in_words(turn, order) if order is not None else None
    if pending in RETURNS and (opened := _opened_goods_replied(turn, str(pending))) is not None:
        return opened  # 涂过一次而已, read as anything: whether such goods still go back
    if pending and _reaction_told(turn):  # 涂完嘴巴有点痒: the allergy rule, not what waited
        return [SlotSet("pending_request", None)]
    if pending == FRESH_CLAIM:
        return _fresh_claim_replied(turn)
    if pending not in CASE_PENDING.values():
        return None
    if (yes := _yes_with_the_remedy(turn, str(pending))) is not None:
        return yes
    remedy = said_back_remedy(turn.tracker, str(pending))
    replies = says_photos_taken(text) or remedy_choice(text) is not None
    asks = case_question(text) in WHEN_ASKED  # 主管几时回, 周六要穿能快点不
    # 要我先把错的寄回去吗: its trip, answered from the case said back, never the case said
    # again whole
    trip = case_question(text) in (CaseQuestion.RETURN_TRIP, CaseQuestion.SHIP_FIRST)
    # 你们保修5年是吧 while the damaged drive's case waits: the warranty, the case kept
    warranty = other_need_asked(text, str(pending)) is Need.REPAIR
    if not (replies or asks or trip or warranty or goes_ahead(text, str(pending), remedy)):
        return None
    answered = answered_while_waiting(turn)
    if answered is None or any(e.get("name") == "pending_request" for e in answered):
        return answered
    return [*answered, SlotSet("pending_request", pending)]  # still waiting, and said so


def _reaction_told(turn: Turn) -> bool:
    """Skin that reacted to the verified order's cosmetics, told while a request waits: the
    allergy rule said (`answer_reaction_after_use`); False, nothing said, otherwise."""
    order = verified_order(turn.session, turn.tracker)
    return order is not None and answer_reaction_after_use(turn, order, turn.text)


# Questions of when, asked while a case waits for its yes: answered from the case said back.
WHEN_ASKED = frozenset({CaseQuestion.HOW_LONG, CaseQuestion.PROGRESS, CaseQuestion.HURRY})


def _opened_goods_replied(turn: Turn, pending: str) -> list[EventType] | None:
    """Goods said opened or used while their return waits for its yes: the category's rule,
    the return still waiting when it allows them back, dropped when it does not; None when the
    message says neither."""
    order = verified_order(turn.session, turn.tracker)
    opened = answer_opened_goods(turn, order, pending) if order is not None else None
    if opened is None:
        return None
    return [] if opened.returnable else [SlotSet("pending_request", None)]


def _yes_with_the_remedy(turn: Turn, pending: str) -> list[EventType] | None:
    """对 换黑色L, 好 补发吧 to a damaged, wrong or missing item's case said back: the yes, with
    a remedy the case gives (written on it), read as anything; None for any other message."""
    kind = AFTER_DELIVERY_PENDING.get(pending)
    order = verified_order(turn.session, turn.tracker)
    text = turn.text
    if kind is None or order is None or not opens_with_yes(text) or is_question(text):
        return None
    choice = decided_choice(text)
    if choice is None or not isinstance(choice_before_case(order, kind, choice), ChoiceBeforeCase):
        return None
    if not (_just_asked(turn.tracker) or still_asked(turn.tracker)):
        return None
    carry_out(waiting_request(turn, order, pending))
    return [SlotSet("pending_request", None)]


# The count of bad pieces said not to be known (总共多少个我没数): the claim goes on without it.
COUNT_UNKNOWN = re.compile(r"没数|没有数|数不清|不知道(有)?多少|不清楚(有)?多少")


def _fresh_claim_replied(turn: Turn) -> list[EventType] | None:
    """橙子退钱吧 总共多少个我没数 while the fresh-food claim waits for its yes, read as
    anything: the claim's reply (its remedy, the count, the photos), said back again in short;
    None when the message says none of them or tells another problem."""
    order = verified_order(turn.session, turn.tracker)
    text = turn.text
    if order is None or not set(read_problem(text, order).kinds) <= {ProblemKind.SPOILED_FRESH}:
        return None
    if is_question(text) and case_question(text) == CaseQuestion.PHOTO_UPLOAD:
        return None  # 照片拍了 面单也要拍吗: the photos' question, answered with the claim kept
    counts = read_bad_share([text]) != BadShare()
    said = remedy_choice(text) is not None or counts or says_photos_taken(text)
    if not (said or COUNT_UNKNOWN.search(normalise(text))):
        return None
    request = OrderRequest(turn, order, FRESH_CLAIM, text)
    return [SlotSet("pending_request", fresh_claim_reply(request))]


def answered_about_the_period(turn: Turn) -> list[EventType] | None:
    """A question about the period just stated (从哪天算, 周末算不算), answered from it, with a
    request waiting for its yes said again after the answer; None when the message asks
    nothing about a period in focus."""
    if period_explained(turn) is None:
        return None
    if (waits := answered_while_waiting(turn)) is not None:
        return waits
    answer_period_asked(turn)
    return []


def waiting_request(turn: Turn, order: Order, pending: str) -> OrderRequest:
    """The request waiting (`pending`) on the order, in the words that asked it when they asked
    for it (none when another request was asked last)."""
    intent, words = asked_request(turn.tracker)
    return OrderRequest(turn, order, pending, words if intent == pending else "")


def agreed_while_waiting(turn: Turn) -> list[EventType] | None:
    """Invoice words beside the invoice said back and waiting for its yes: the kind or the
    e-mail they name (普票就行 after a 专票, 电子普票 发 caiwu@…) said back again with them, for
    its yes; words that add nothing (普票就行 还发原来的邮箱 after an ordinary one) heard, the
    invoice offered again in one line. None when no invoice waits or the words change its
    title or tax number (the details' own flow)."""
    pending = turn.tracker.get_slot("pending_request")
    if pending != INVOICE:
        return None
    if not (_just_asked(turn.tracker) or still_asked(turn.tracker)):
        return None
    order = verified_order(turn.session, turn.tracker)
    if order is None:
        return None
    said_back = invoice_said_back(turn.tracker, order.order_no)
    changed = sent_otherwise(said_back, turn.text) if said_back is not None else None
    if changed is not None:
        return [SlotSet("pending_request", confirm_invoice(turn, order.order_no, changed))]
    if not only_agrees(turn.text):
        return None
    heard = phrase("agreed_while_waiting")
    turn.say(still_waiting(order.order_no, pending, heard), buttons=CONFIRM_BUTTONS)
    return []


def _after_a_question(turn: Turn, order: Order, pending: str) -> list[EventType]:
    """A yes or a no to a request said back before a question in between (差多少钱, then
    好 申请): a no keeps the order as it is; a yes says the request back again for a plain yes
    (the shopper may have changed their mind on what the bot just answered); a thanks leaves it
    waiting with its buttons; a question (好 那我怎么弄) is answered and the request waits."""
    if answer_while_waiting(turn, order, pending):
        return []
    read = read_reply_to(turn, pending)
    if heard_about_request(turn, order, pending, read):
        return []
    answer = read.answer
    restated = read.restated and answer == TypedAnswer.YES
    if answer == TypedAnswer.EITHER:
        ask_yes_or_no(turn, order, pending)
        return []
    if answer == TypedAnswer.NO or (latest_intent(turn.tracker) == "deny" and not restated):
        turn.utter("utter_request_kept")
        return [SlotSet("pending_request", None)]
    thanks = is_closing(turn.text) or "谢" in turn.text  # 好的 谢谢: about the answer just given
    named = restated or EXPLICIT_YES.search(turn.text)  # 好 申请, 算了 退吧 确认
    if answer == TypedAnswer.YES and (named or (not thanks and offered_yes(turn.tracker))):
        # a yes naming what it confirms, or 好 to the request said back again with its buttons
        carry_out(waiting_request(turn, order, pending))
        return [SlotSet("pending_request", None)]
    if answer == TypedAnswer.YES and not thanks and pending not in ORDER_REQUEST_HANDLERS:
        ask_yes_or_no(turn, order, pending)  # a case or a claim: asked, never guessed
        return []
    if answer == TypedAnswer.YES and not thanks and pending in ORDER_REQUEST_HANDLERS:
        request = waiting_request(turn, order, pending)
        return [SlotSet("pending_request", ORDER_REQUEST_HANDLERS[pending](request))]
    turn.utter("utter_request_waits", buttons=CONFIRM_BUTTONS)
    return []


# The requests said back whose own words typed to them answer them (取消 to the cancel said
# back); an invoice or a 价保 asked about again is answered by its handler.
TYPED_ANSWERS = frozenset({"cancel_order", "request_return_exchange", "request_repair"})
# A yes said outright beside the request's own words, when it was said back a while ago
# (算了 退吧 确认; 帮我取消 alone is said back afresh).
LATE_YES = re.compile(r"确认|确定|对|是的|好|行|可以|嗯")
# A yes that names what it confirms beside a plain yes word (确认, 确定).
EXPLICIT_YES = re.compile(r"确认|确定")
# How many of the shopper's messages back a request said back may be confirmed in its own words
# (算了 退吧 确认 after a question, a hesitation and a goodbye), while it still waits on that order.
SAID_BACK_WITHIN = 6


def read_reply_to(turn: Turn, pending: str) -> ReplyRead:
    """How the latest message answers the request waiting (`pending`): a go-ahead in words
    (那就退吧 帮我申请, 先给我办着) is a yes, the request or the remedy said back restated with a
    wish (补发还走顺丰吧 别又给压坏了) a detail, photos said taken heard (`read_reply`)."""
    return read_reply(turn.text, pending, said_back_remedy(turn.tracker, pending))


def heard_about_request(turn: Turn, order: Order, pending: str, read: ReplyRead) -> bool:
    """A wish about the request waiting, or the photos said taken: heard (a fresh-food claim's
    wish goes on the claim with it) and the request offered again in one line; never a yes or a
    no, and what was said is never asked again. False, nothing said, for any other reply."""
    case_detail = adds_to_case(pending, turn.text, order)  # 就一个裂了: the piece, the count
    if not (read.detail or read.photos_taken or case_detail):
        return False
    # its messages are written on the claim or the case
    noted = (pending == FRESH_CLAIM and read.detail) or case_detail
    heard = RequestDetailHeard(
        order.order_no, turn.text.strip() if noted else None, noted, read.photos_taken
    )
    answer = say(heard) if noted or read.photos_taken else None
    turn.say(still_waiting(order.order_no, pending, answer), buttons=CONFIRM_BUTTONS)
    return True


def ask_yes_or_no(turn: Turn, order: Order, pending: str) -> None:
    """Typed words that could answer the request said back either way (不要了): asked again as
    a choice, two buttons each saying what it does; never the same prompt word for word."""
    asked = yes_or_no(order.order_no, pending)
    buttons = [
        {"title": phrase("yes_or_no_yes", kind=asked.kind), "payload": "/affirm"},
        {"title": phrase("yes_or_no_no", kind=asked.kind), "payload": "/deny"},
    ]
    turn.out.utter_message(text=say(asked), buttons=buttons)


def offered_yes(tracker: Tracker) -> bool:
    """Whether the bot's last message before the shopper's latest offered a yes button (the
    request said back, or said back again after a question answered)."""
    said = [e for e in answer_before_message(tracker) if e.get("event") == "bot"]
    return bool(said) and offers_yes(said[-1])


def _said_back_lately(tracker: Tracker) -> bool:
    """Whether the request waiting was said back within the shopper's last `SAID_BACK_WITHIN`
    messages."""
    messages = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            messages += 1
            if messages > SAID_BACK_WITHIN:
                return False
        elif event.get("event") == "action" and messages and event.get("name") in SAYING_BACK:
            return True
    return False


def _another_order_since(tracker: Tracker) -> bool:
    """Whether an order was verified since the bot last said a request back, other than the
    one verified then (a yes in words is then no yes to it)."""
    verified_then: str | None = None
    since: list[str | None] = []
    for event in tracker.events:
        if event.get("event") == "action" and event.get("name") in SAYING_BACK:
            verified_then, since = (since[-1] if since else verified_then), []
        elif event.get("event") == "slot" and event.get("name") == "verified_order_no":
            since.append(event.get("value"))
    return any(value is not None and value != verified_then for value in since)


def _typed_answer(turn: Turn, order: Order, pending: str) -> TypedAnswer | None:
    """The request's own words typed to it while it waits on this order (取消 to the cancel
    said back, 对 不要了 取消, 算了 退吧 确认 after a question or two): carried out on a yes, the
    order kept on a no, asked with two buttons when they could be either or say nothing more
    (never the same prompt again); None when they are a new request (the handler says it back)."""
    tracker = turn.tracker
    before = slot_before_message(tracker, "verified_order_no")
    if (before is not None and before != order.order_no) or _another_order_since(tracker):
        return None  # another order than the one the request was said back for
    just, between = _just_asked(tracker), still_asked(tracker)
    if not (just or between or _said_back_lately(tracker)):
        return None
    read = read_reply_to(turn, pending)
    answer = read.answer
    # said back longer ago (a hesitation, a goodbye since): the words must also say yes outright
    outright = just or between or LATE_YES.search(turn.text) is not None
    if answer == TypedAnswer.YES and outright and (just or read.restated):
        carry_out(waiting_request(turn, order, pending))
        return answer
    if answer == TypedAnswer.NO:
        turn.utter("utter_request_kept")
        return answer
    if not just or latest_intent(tracker) != pending:
        return None  # said back a while ago, or data given (a number): the handler answers it
    if answer == TypedAnswer.UNSURE and answer_while_waiting(turn, order, pending):
        return answer  # 取消的话钱退哪: answered, and the request still waits
    ask_yes_or_no(turn, order, pending)
    return TypedAnswer.EITHER


# The actions after which a request said back waits for a yes: those that say it back, and the
# answer that kept the question open (等一下).
WAITING_FOR_YES = (*SAYING_BACK, "action_answer_pending_request")


def confirmed_in_words(turn: Turn, order: Order) -> list[EventType] | None:
    """The request said back, confirmed outright beside other words the NLU read as something
    else (行 确认 帮我换一本完整的 read as a change): carried out; None when nothing waits for
    a yes, or the words ask, refuse or never say 确认."""
    pending = turn.tracker.get_slot("pending_request")
    text = turn.text
    question = confirmed_then_asked(text)  # 确认 补发要多久到: the yes, then its question
    if not pending or not EXPLICIT_YES.search(text) or (is_question(text) and not question):
        return None
    if is_negated_request(text) or not (_just_asked(turn.tracker) or still_asked(turn.tracker)):
        return None
    carry_out(waiting_request(turn, order, str(pending)))
    if question is not None:
        _answer_after_the_yes(turn, order, str(pending), question)
    return [SlotSet("pending_request", None)]


def _answer_after_the_yes(turn: Turn, order: Order, pending: str, question: str) -> None:
    """The question asked beside the yes (补发要多久到, 钱几天到账), answered once the request is
    carried out: from the case it opened, else from the order's terms or the FAQ; nothing more
    when neither knows (what was carried out says its own times)."""
    if answer_case_question(turn, question, order.order_no):
        return
    if (answer := answer_in_terms(turn, order, pending)) is not None:
        turn.say(answer)


def _just_asked(tracker: Tracker) -> bool:
    """Whether the bot's last action before this message said the request back for a yes (one
    of those that say requests back, or one that set the request waiting with a yes button:
    a cancel thought aloud asked plainly, bot/actions/in_context.py)."""
    return action_before_message(tracker) in WAITING_FOR_YES or _set_with_a_yes(tracker)


def _set_with_a_yes(tracker: Tracker) -> bool:
    """Whether the bot's answer to the shopper's message before the latest offered its yes
    button with a request waiting: one it set then, or one still waiting that it said again
    (刚才说的还没有提交 after a question in between). A yes button shown is a yes heard."""
    answer = answer_before_message(tracker)
    set_then = [
        e.get("value")
        for e in answer
        if e.get("event") == "slot" and e.get("name") == "pending_request"
    ]
    waiting = set_then[-1] if set_then else tracker.get_slot("pending_request")
    return bool(waiting) and any(offers_yes(e) for e in answer)


# Answers to a question in between that leave a request said back waiting for its yes or no.
IN_BETWEEN = frozenset(
    {
        "action_answer_faq",
        "action_answer_price",
        "action_answer_product_info",
        "action_answer_stock",
        "action_advise_size",
        "action_clarify",
        "action_answer_out_of_scope",
        "action_take_order_number",  # words that only agree with the request said back
        "utter_greet",
        "utter_you_are_welcome",
    }
)
MAX_IN_BETWEEN = 2  # questions in between, at most
UNLOGGED = ("action_listen", "action_extract_slots")


def still_asked(tracker: Tracker) -> bool:
    """Whether the request said back still waits for this message after a question or two in
    between that the bot answered (nothing else happened since it was said back)."""
    messages = 0
    sets_a_request = False  # the events after the action met next set a request waiting
    for event in reversed(tracker.events):
        name = event.get("name")
        if event.get("event") == "user":
            messages += 1
            if messages > MAX_IN_BETWEEN + 1:
                return False
        elif event.get("event") == "slot" and name == "pending_request":
            sets_a_request = sets_a_request or bool(event.get("value"))
        elif event.get("event") == "action" and messages and name not in UNLOGGED:
            # (the book's quality return said back when its order number was taken; a slot
            # carried over into a new session says nothing back)
            if name in WAITING_FOR_YES or (sets_a_request and name != "action_session_start"):
                return messages > 1
            if name not in IN_BETWEEN:
                return False
        if event.get("event") == "action" and name not in UNLOGGED:
            sets_a_request = False
    return False

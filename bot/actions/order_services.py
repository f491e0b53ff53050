"""Invoices, 价保 and chasing on the shopper's own order, answered from the order's records.

`action_answer_faq` notes the need in the slot `order_need` when an invoice or 价保 question is
about the shopper's own order (`shop.own_order`); the order lookup verifies the order and
`action_handle_order_request` answers here. A company invoice asked for without its title or tax
number goes to `invoice_form` instead (it verifies the order the same way and asks for them),
then `action_confirm_invoice`. Whatever changes something is said back first and done on the
shopper's yes (`carry_out`, from `action_answer_pending_request`).

A shopper chasing a late order follows up in a few words the NLU reads as many things (今天能发吗,
你就说能不能发, 发了之后告诉我一声, 那先别取消 我急着用): `answer_chase_talk`, asked by the FAQ
action (through `note_need`) and the clarification, answers them from the order and its chase
(`shop.chasing`), and registers the chase when the order is late and none is open yet.
"""

import re
from dataclasses import dataclass, replace
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from bot.actions import problem_cases
from bot.actions.case_questions import hand_over_overdue
from bot.actions.common import (
    ORDER_NEED,
    Turn,
    invoice_said_back,
    message_intent,
    verified_order,
)
from conversations.reading import keeps_it
from core.text import normalise
from shop import aftersales
from shop.case_questions import open_case_in
from shop.chasing import ChaseTalk, OrderKept, chase_answer, on_its_way, read_chase_talk
from shop.invoice_reading import (
    InvoiceAsk,
    InvoiceWish,
    email_in,
    gives_details,
    read_invoice_wish,
    tax_no_tail,
)
from shop.invoices import (
    DetailsMissing,
    DetailsProblem,
    InvoiceAction,
    InvoiceDetails,
    InvoicePending,
    InvoiceRefusal,
    InvoiceRefused,
    InvoiceToConfirm,
    NoInvoice,
    NoInvoiceReason,
    current_invoice,
    invoice_check,
    invoice_on_record,
    invoice_refusal,
    invoice_status,
    load_invoice_policy,
    order_invoices,
    request_invoice,
    wished_details,
)
from shop.models import (
    AfterSaleStatus,
    CaseKind,
    InvoiceKind,
    InvoiceStatus,
    InvoiceTitleType,
    LogisticsCase,
    Order,
    OrderStatus,
)
from shop.order_terms import asks_to_return, returns_the_goods
from shop.orders import load_order, read_order_no
from shop.own_order import OrderTopic, own_order_topic, topic_named
from shop.price_claims import pieces_said
from shop.price_protection import (
    PriceAsk,
    apply_price_protection,
    load_price_policy,
    price_protection_check,
    price_protection_refund,
    price_question,
)
from shop.tracking import order_progress
from words.render import Button

INVOICE = OrderTopic.INVOICE.value
PRICE_PROTECTION = OrderTopic.PRICE_PROTECTION.value
INVOICE_DETAILS = "invoice_details"  # a company invoice: invoice_form asks for title and tax no
SERVICES = (INVOICE, PRICE_PROTECTION)
REPAIR = "request_repair"  # a warranty question the order number that followed answers
INVOICE_SLOTS = ["invoice_title", "invoice_tax_no"]  # what invoice_form asks for
# Intents NLU may give an invoice or 价保 message about the order ("发票开了没有啊" is no parcel
# problem): the words decide.
REDIRECTED_INTENTS = frozenset(
    {
        "track_order",
        "report_delivery_delay",
        "report_damaged_item",
        "report_lost_parcel",
        "report_wrong_or_missing_item",
    }
)
CONFIRM_BUTTONS = [Button.CONFIRM_REQUEST, Button.KEEP_REQUEST]
# The action server checks the rules when it starts: an invalid file stops it with a clear error.
load_invoice_policy()
load_price_policy()

INTRO = {
    INVOICE: "utter_check_order_invoice",
    INVOICE_DETAILS: "utter_open_company_invoice",
    PRICE_PROTECTION: "utter_check_order_price",
}


# --- noticing the need ----------------------------------------------------------------------


def order_need(text: str, faq_topic: str | None = None, verified: bool = False) -> str | None:
    """The slot value for a message about the shopper's own invoice or 价保 (None for a policy
    question): `invoice_details` when a company invoice still lacks its title or tax number.
    With an order `verified`, a warranty question is its repair (`request_repair`)."""
    if faq_topic == WARRANTY_TOPIC and invoice_for_the_warranty(text):
        return None  # 保修要带发票吗: the warranty's terms answer, not the order's invoice
    if _asks_only_what_an_invoice_needs(text):
        return None  # 专票还要我们提供开户行地址电话吗: what it needs, the policy's answer
    if verified and faq_topic == WARRANTY_TOPIC and topic_named(text) is None:
        return REPAIR
    topic = own_order_topic(text, faq_topic, verified)
    if topic is None:
        return None
    wish = read_invoice_wish(text)
    if topic == OrderTopic.INVOICE and (wish.ask == InvoiceAsk.CHANGE or tax_no_tail(text)):
        # a change: said from the order's record once verified (answer_invoice: what it will
        # do, why it cannot, what it still needs), never "我来帮您申请" a new one
        return INVOICE
    if (
        topic == OrderTopic.INVOICE
        and wish.ask != InvoiceAsk.STATUS
        and isinstance(wished_details(wish), DetailsMissing)
    ):
        return INVOICE_DETAILS
    return topic.value


# What an invoice needs, asked (还要提供开户行地址电话吗, 需要什么资料): the policy answers.
INVOICE_PAPERS_ASKED = re.compile(
    r"(?:要|需要|得|提供|准备|填)[^,。 ]{0,6}"
    r"(?:开户行|银行账号|账号|注册地址|地址电话|地址和电话|资料|材料|营业执照|信息)"
    r"[^,。 ]{0,4}(?:吗|么|嘛|不|呢|啥|什么)|(?:什么|哪些|啥)(?:资料|材料|信息)|"
    r"(?:要|需要|得)(?:提供|准备|填|给)(?:些)?(?:啥|什么|哪些)"  # 开专票要提供啥
)


# An invoice asked for or after in the same words (帮我开个专票, 开好了吗): the order's own.
INVOICE_ASKED_FOR = re.compile(r"帮我开|给我开|我要开|要开(?!户)|开了没|开好|开了吗|申请|补开|换开")


def _asks_only_what_an_invoice_needs(text: str) -> bool:
    """Whether the words ask what an invoice needs and nothing of the order's invoice (专票还要
    我们提供开户行地址电话吗; never 帮我开个专票 需要什么资料, 保修需要什么资料)."""
    clean = normalise(text)
    if not re.search(r"发票|专票|普票|开票", clean) or INVOICE_ASKED_FOR.search(clean):
        return False
    return INVOICE_PAPERS_ASKED.search(clean) is not None


# The invoice named as what a repair needs (保修要带发票吗, 没发票能保修吗), no invoice asked for.
INVOICE_FOR_WARRANTY = re.compile(
    r"(?:保修|维修|修)[^,。 ]{0,4}(?:要|需要|得|带|凭|用)[^,。 ]{0,3}(?:发票|发漂)"
    r"|(?:没有?|没开|不带)(?:发票|发漂)[^,。 ]{0,4}(?:保修|维修|修)"
)
INVOICE_ASKED = re.compile(r"开了没|开好|开了吗|补开|帮我开|给我开|换开|重开|抬头|税号|专票")


def invoice_for_the_warranty(text: str) -> bool:
    """Whether the invoice is named only as what the warranty needs (保修要带发票吗)."""
    clean = normalise(text)
    return bool(INVOICE_FOR_WARRANTY.search(clean)) and not INVOICE_ASKED.search(clean)


@dataclass(frozen=True)
class NoteOnNeed:
    """What the FAQ action does about an own-order need: `taken` when the lookup or the invoice
    form takes over (its intro said), and the slot events either way."""

    taken: bool
    events: list[EventType]


def note_need(turn: Turn, faq_topic: str | None) -> NoteOnNeed:
    """Whether a FAQ question is about the shopper's own invoice or 价保 (noted in `order_need`
    for the rules to start the lookup or the invoice form), or one the FAQ answers (a need
    noted before is forgotten, unless the invoice form is asking for its details)."""
    loop = (turn.tracker.active_loop or {}).get("name")
    if loop == "invoice_form":
        return NoteOnNeed(False, [])  # answered, and the form resumes
    if answer_chase_talk(turn) and not _another_order_named(turn):
        # 你就说能不能发: the late order being chased, not the FAQ (算了 再等等 另外电饭煲那单的
        # 发票… <number>: the chase answered, and the invoice of the order named noted too)
        forget = turn.tracker.get_slot(ORDER_NEED) is not None
        return NoteOnNeed(True, [SlotSet(ORDER_NEED, None)] if forget else [])
    verified = turn.tracker.get_slot("verified_order_no") is not None
    own = loop in (None, "order_lookup_form")
    need = order_need(turn.text, faq_topic, verified) if own else None
    if need is None and own and verified and faq_topic in REFUND_TOPICS:
        # 退到哪 after a 价保 said back: that money, whatever refund text the FAQ found
        topic = money_topic(turn.tracker, turn.text)
        need = topic if topic in SERVICES else None
    if need is None:
        forget = turn.tracker.get_slot(ORDER_NEED) is not None
        events = [SlotSet(ORDER_NEED, None)] if forget else []
        # 退到我花呗还是余额, 多久到账: the verified order's own refund, not the policy
        taken = own and faq_topic in REFUND_TOPICS and answer_own_refund(turn)
        return NoteOnNeed(taken, events)
    if need == INVOICE_DETAILS or not verified:
        turn.utter(INTRO[need])
    fresh = [SlotSet(slot, None) for slot in INVOICE_SLOTS if turn.tracker.get_slot(slot)]
    return NoteOnNeed(True, [SlotSet(ORDER_NEED, need), *fresh])


def _another_order_named(turn: Turn) -> bool:
    """Whether the message gives the number of another order than the verified one."""
    named = read_order_no(turn.text)
    return named is not None and named != turn.tracker.get_slot("verified_order_no")


WARRANTY_TOPIC = "warranty_repair"  # the FAQ topic: on a verified order, its item's warranty
REFUND_TOPICS = frozenset({"refund_time"})  # FAQ topics a verified order's refund answers


def answer_own_refund(turn: Turn) -> bool:
    """Say where the verified order's refund is (a cancellation's too), when it has one: the
    record, not the policy's general times (False, nothing said, when it has none)."""
    order = verified_order(turn.session, turn.tracker)
    if order is None:
        return False
    status = aftersales.refund_status(order, turn.now)
    if status.status is None:
        return say_price_protection_refund(turn, order)  # 退到哪 after a 价保: that money
    human = status.should_have_arrived or status.status == AfterSaleStatus.REJECTED
    turn.say(status, buttons=[Button.HUMAN] if human else [])
    return True


def say_price_protection_refund(turn: Turn, order: Order) -> bool:
    """Say where the order's 价保 refund is (how much, back to where, by when), when a 价保 was
    applied to it; False, nothing said, otherwise."""
    refund = price_protection_refund(turn.session, order, turn.now)
    if refund is None:
        return False
    turn.say(refund, buttons=[Button.HUMAN] if refund.overdue else [])
    return True


# Asking where money is or how soon it comes (退到哪, 多久到, 钱呢, 到账了吗): on a 价保 already
# applied, its refund answers, not the check again.
ASKS_FOR_MONEY = re.compile(
    r"退(?:到|回|去)?(?:哪|什么)|到账|多久|几天|什么时候|啥时候|钱呢|钱.{0,4}(?:哪|没|吗)|原路"
)


def noted_need(event: dict[str, Any]) -> str | None:
    """The service an `order_need` slot event notes (`invoice` for the invoice form too; the
    request a need told before an order number asks for, bot/actions/order_context.py)."""
    if event.get("event") != "slot" or event.get("name") != ORDER_NEED or not event.get("value"):
        return None
    return INVOICE if event["value"] == INVOICE_DETAILS else str(event["value"])


def redirected(intent: str, text: str) -> str:
    """The service an order request really is: an invoice or 价保 message taken for tracking or a
    parcel problem is answered as what it says, and never opens a case."""
    if intent in REDIRECTED_INTENTS and (topic := own_order_topic(text)) is not None:
        return topic.value
    return intent


def need_words(tracker: Tracker) -> str:
    """The shopper's message whose invoice or 价保 need was noted last."""
    noted = False
    for event in reversed(tracker.events):
        if noted_need(event) is not None:
            noted = True
        elif noted and event.get("event") == "user":
            return str(event.get("text") or "")
    return ""


# --- answering on the verified order --------------------------------------------------------


@dataclass(frozen=True)
class InvoiceDetailsWanted:
    """An invoice the shopper wants asked for or changed on the order, said with what it will
    do, and what is still needed from them: the title and tax number, the tax number, a valid
    one, or the whole tax number when they corrected only its end (`tax_no_tail`)."""

    order_no: str
    action: InvoiceAction
    replaces_title: str | None
    problem: DetailsProblem
    tax_no_tail: str | None = None
    tax_no_length: int | None = None  # the invalid tax number's length (17: one short)


def answer_invoice(turn: Turn, words: str, order_no: str) -> str | None:
    """Where the order's invoice is, or the request said back for a yes (returns `invoice`
    when it waits for one); a request or a change still missing its details says what it will
    do and asks for them (the shopper's typed answer comes back here, `invoice_words`)."""
    order = load_order(turn.session, order_no)
    assert order is not None  # verified
    wish = with_email_said(turn.tracker, _with_recorded_kind(turn, order, read_invoice_wish(words)))
    wish = _with_details_said_back(turn, order_no, wish)
    wish = _one_detail_changed(turn, order, wish)
    details = wished_details(wish)
    if isinstance(details, InvoiceDetails):
        return confirm_invoice(turn, order_no, details)
    tail = tax_no_tail(words)
    # a title or a tax number typed answers an offer; a kind named alone (专票开了没) asks
    named = wish.title or wish.tax_no or wish.tax_no_invalid or tail
    asking = wish.ask != InvoiceAsk.STATUS or bool(named)
    if not tail and invoice_on_record(turn.session, order, wish):
        asking = False  # 帮我开专票 once it is asked for: the one on record, no details asked
    if asking and (isinstance(details, DetailsMissing) or tail):
        if (refused := invoice_refusal(turn.session, order, turn.now)) is not None:
            turn.say(refused, buttons=next_buttons(refused))
            return None
        turn.say(_details_wanted(turn, order, details, tail if not wish.tax_no_invalid else None))
        return None
    status = invoice_status(turn.session, order, turn.now)
    turn.say(status, buttons=next_buttons(status))
    return None


def _with_details_said_back(turn: Turn, order_no: str, wish: InvoiceWish) -> InvoiceWish:
    """A company title or tax number corrected while the company invoice said back waits
    (名字打错了 是…公司 税号没错): the other detail, the kind and the e-mail kept from it."""
    said_back = invoice_said_back(turn.tracker, order_no)
    if said_back is None:
        return wish
    if wish.email and not (wish.title or wish.tax_no or wish.tax_no_invalid or wish.person):
        # 邮箱记上了吗 caiwu@…: the invoice said back, to that e-mail, said back again
        return replace(
            wish,
            kind=wish.kind or said_back.kind,
            title_type=said_back.title_type,
            title=said_back.title,
            tax_no=said_back.tax_no,
            person=said_back.title if said_back.title_type == InvoiceTitleType.PERSONAL else None,
        )
    if said_back.title_type != InvoiceTitleType.COMPANY:
        return wish
    if not (wish.title or wish.tax_no) or wish.title_type == InvoiceTitleType.PERSONAL:
        return wish
    return replace(
        wish,
        kind=wish.kind or said_back.kind,
        title_type=InvoiceTitleType.COMPANY,
        title=wish.title or said_back.title,
        tax_no=wish.tax_no or (None if wish.tax_no_invalid else said_back.tax_no),
        email=wish.email or said_back.email,
    )


def _one_detail_changed(turn: Turn, order: Order, wish: InvoiceWish) -> InvoiceWish:
    """Only the e-mail changed (就把接收邮箱改成 …, 抬头税号都不变), or on a company invoice only
    the tax number corrected (税号填错了, then 正确的是9151…): the invoice on record with it, said
    back for a yes; never its title and tax number asked again."""
    current = current_invoice(order_invoices(turn.session, order))
    if current is None:
        return wish
    named = wish.title or wish.tax_no or wish.tax_no_invalid or wish.person
    email_only = wish.ask == InvoiceAsk.CHANGE and bool(wish.email) and not named
    email_only = email_only and wish.email != current.email
    tax_only = current.title_type == InvoiceTitleType.COMPANY and bool(wish.tax_no)
    tax_only = tax_only and not (wish.tax_no_invalid or wish.title or wish.person)
    tax_only = tax_only and wish.tax_no != current.tax_no
    tax_only = tax_only and wish.title_type != InvoiceTitleType.PERSONAL
    if not (email_only or tax_only):
        return wish
    return replace(
        wish,
        kind=wish.kind or current.kind,
        title_type=current.title_type,
        title=current.title,
        tax_no=wish.tax_no or current.tax_no,
        email=wish.email or current.email,
    )


def with_email_said(tracker: Tracker, wish: InvoiceWish) -> InvoiceWish:
    """The wish with the email the shopper gave earlier in this session when its own words give
    none (发我邮箱 …, then 个人就行): the invoice goes there too."""
    if wish.email is not None:
        return wish
    for event in reversed(tracker.events):
        if event.get("event") == "session_started":
            break
        said = str(event.get("text") or "") if event.get("event") == "user" else ""
        if (email := email_in(said)) is not None:
            return replace(wish, email=email)
    return wish


def _with_recorded_kind(turn: Turn, order: Order, wish: InvoiceWish) -> InvoiceWish:
    """A company invoice changed without naming its kind keeps the kind on record (a 专票 whose
    tax number is corrected stays a 专票)."""
    if wish.kind is not None or wish.title_type == InvoiceTitleType.PERSONAL:
        return wish
    current = current_invoice(order_invoices(turn.session, order))
    if current is None or current.kind != InvoiceKind.SPECIAL:
        return wish
    return replace(wish, kind=InvoiceKind.SPECIAL, title_type=InvoiceTitleType.COMPANY)


def _details_wanted(
    turn: Turn, order: Order, details: object, tail: str | None
) -> InvoiceDetailsWanted:
    current = current_invoice(order_invoices(turn.session, order))
    if current is None:
        action, replaces = InvoiceAction.NEW, None
    elif current.status == InvoiceStatus.REQUESTED:
        action, replaces = InvoiceAction.UPDATE, current.title
    else:
        action, replaces = InvoiceAction.REISSUE, current.title
    problem = (
        details.problem if isinstance(details, DetailsMissing) else DetailsProblem.TITLE_MISSING
    )
    if tail is not None and problem != DetailsProblem.TAX_NO_INVALID:
        problem = DetailsProblem.TAX_NO_MISSING
    length = details.tax_no_length if isinstance(details, DetailsMissing) else None
    return InvoiceDetailsWanted(order.order_no, action, replaces, problem, tail, length)


def invoice_words(events: list[dict[str, Any]], index: int, details: bool = False) -> str:
    """The shopper's words about the invoice up to the message at `index`: the typed details
    given outside any form ("个人的 抬头张丽娟", "公司名 … 税号 …"), latest first so that a
    corrected title or tax number wins, then the question they answer. Order numbers and
    phone tails in between are passed over. `details`: the message at `index` gives details
    whatever its intent (少一位？我看看 9151…, read as a missing item), not the question."""
    parts: list[str] = []
    informs = 0
    for position in range(index, -1, -1):
        event = events[position]
        if event.get("event") == "session_started":
            break
        text = str(event.get("text") or "")
        if event.get("event") != "user" or text.startswith("/"):
            continue
        as_details = details and position == index
        if message_intent(event) != "inform" and not as_details:
            parts.append(text)  # the question the details answer
            break
        if gives_details(text):
            parts.append(text)
        informs += 1
        if informs >= INVOICE_DETAIL_MESSAGES:
            break
    return " ".join(parts)


INVOICE_DETAIL_MESSAGES = 4  # typed details read together with the question they answer


def typed_invoice_details(tracker: Tracker, text: str) -> bool:
    """Whether the message gives invoice details in answer to the invoice talk on the verified
    order just before it (an invoice answered, or a title asked for)."""
    if tracker.get_slot("verified_order_no") is None or not gives_details(text):
        return False
    return money_topic(tracker, text) == INVOICE


def confirm_invoice(turn: Turn, order_no: str, details: InvoiceDetails) -> str | None:
    order = load_order(turn.session, order_no)
    assert order is not None
    checked = invoice_check(turn.session, order, details, turn.now)
    if isinstance(checked, InvoiceToConfirm):
        turn.say(checked, buttons=CONFIRM_BUTTONS)
        return INVOICE
    turn.say(checked, buttons=next_buttons(checked))
    return None


def next_buttons(fact: object) -> list[Button]:
    """Ways on from an invoice answer: the two titles when one can be asked for, a person when
    only a person can help further."""
    if isinstance(fact, NoInvoice) and fact.reason == NoInvoiceReason.CAN_REQUEST:
        return [Button.INVOICE_PERSONAL, Button.INVOICE_COMPANY]
    human = (
        (isinstance(fact, NoInvoice) and fact.reason == NoInvoiceReason.WINDOW_PASSED)
        or (isinstance(fact, InvoicePending) and fact.overdue)
        or (
            isinstance(fact, InvoiceRefused)
            and fact.reason
            not in (InvoiceRefusal.ORDER_CANCELLED, InvoiceRefusal.SPECIAL_NEEDS_COMPANY)
        )
    )
    return [Button.HUMAN] if human else []


def answer_price_protection(turn: Turn, words: str, order_no: str) -> str | None:
    """Whether each item's price drop is refunded, said back for a yes when one is."""
    order = load_order(turn.session, order_no)
    assert order is not None
    checked = price_protection_check(turn.session, order, turn.now, words)
    if (
        not checked.eligible
        and ASKS_FOR_MONEY.search(normalise(turn.text))
        and say_price_protection_refund(turn, order)
    ):
        return None  # 退到哪 多久到 once applied: where that money is, not the check again
    buttons = CONFIRM_BUTTONS if checked.eligible else []
    explained = price_question(checked, turn.text)
    said_back = turn.tracker.get_slot("pending_request") == PRICE_PROTECTION
    if explained is not None and (said_back or explained.ask == PriceAsk.LATER_DROP):
        # 差了30呢 退不退 / 以后再降还能再保吗: what was asked, not the same offer again
        turn.say(explained, buttons=buttons)
    else:
        turn.say(checked, buttons=buttons)
    return PRICE_PROTECTION if checked.eligible else None


def carry_out(turn: Turn, service: str, words: str, order_no: str) -> None:
    """The invoice or 价保 the shopper has just confirmed (the domain checks it again)."""
    order = load_order(turn.session, order_no)
    assert order is not None
    if service == PRICE_PROTECTION:
        turn.say(
            apply_price_protection(
                turn.session, order, turn.now, words, conversation_id=turn.conversation_id
            )
        )
        return
    # exactly what was said back for the yes (专票, title, tax number, e-mail), never the words
    # read again
    details = invoice_said_back(turn.tracker, order.order_no)
    if details is None:  # nothing complete was said back
        turn.utter("utter_anything_else")
        return
    outcome = request_invoice(
        turn.session, order, details, turn.now, conversation_id=turn.conversation_id
    )
    turn.say(outcome, buttons=next_buttons(outcome))


# --- chasing a late order -------------------------------------------------------------------


def answer_chase_talk(turn: Turn) -> bool:
    """Answer the message if it follows up a chase (今天能发吗, 发了之后告诉我一声, 先别取消
    我急着用) of the order this conversation is about: the late case open here, else the
    verified order while it has not arrived. A notice asked for, or the order kept, on a late
    order not yet chased registers the chase at once (it commits the shop to nothing but
    hurrying; the follow-up job then tells the shopper when it ships or moves). False when it
    is no such message, and nothing was said."""
    talk = chase_talk(turn.text)
    if talk is None or (turn.tracker.active_loop or {}).get("name"):
        return False
    case = open_case_in(turn.session, turn.conversation_id)
    if case is not None and case.kind != CaseKind.DELAYED:
        return False  # a question about another case: the case answers it
    order = case.order if case is not None else verified_order(turn.session, turn.tracker)
    if order is None or not on_its_way(order):
        return False
    if case is None and talk != ChaseTalk.WHEN_SHIP:
        progress = order_progress(order, turn.now)
        if progress.late_to_ship or progress.delayed:
            if talk == ChaseTalk.KEEP_ORDER:
                turn.say(OrderKept(order.order_no))
            problem_cases.open_case(turn, order, CaseKind.DELAYED, turn.text)
            return True
    say_chase_answer(turn, order, talk, case)
    return True


def chase_talk(text: str) -> ChaseTalk | None:
    """The chase follow-up the message is (`read_chase_talk`); a change of mind that keeps the
    order (其实我挺想要的 就是等太久了, 那我再等等) keeps it."""
    talk = read_chase_talk(text)
    return ChaseTalk.KEEP_ORDER if talk is None and keeps_it(text) else talk


def say_chase_answer(
    turn: Turn, order: Order, talk: ChaseTalk, case: LogisticsCase | None = None
) -> None:
    """The chase's answer (its answer time, the shipping notice or the parcel's news in this
    chat); past the answer time a person takes the case over, as the answer says."""
    answer = chase_answer(order, talk, case, turn.now)
    if case is not None and answer.chase_overdue:
        hand_over_overdue(turn, case, turn.text)
    turn.say(answer)


# --- money talk: never a parcel case ----------------------------------------------------------

REFUND = "ask_refund_status"  # the money of a refund or a cancellation
RETURN = "request_return_exchange"  # the goods sent back
# Words about money coming back: "要是一个礼拜还没到呢" about a refund is no parcel.
MONEY_WORDS = re.compile(r"钱|退款|到账|退回|余额|花呗|支付宝|微信|银行卡|账单|零钱")
# Words that argue with an answer just given (39天怎么了, 凭什么, 通融一下): a person may help.
ARGUING = re.compile(r"怎么了|凭什么|通融|而已|别家|别人家|就不能|不讲理|太坑|坑人|差评")
MONEY_TOPIC_WITHIN = 3  # the shopper's messages before the latest that set the topic
# Intents of a message about the parcel or the goods: the topic before it is no longer money.
PARCEL_INTENTS = REDIRECTED_INTENTS | {"request_return_exchange", "request_repair", "cancel_order"}


def _pieces_of_the_price_protection(tracker: Tracker, text: str) -> bool:
    """Whether the words name how many pieces to refund (两瓶都退吧) while a 价保 said back
    waits, and send no goods back."""
    waiting = tracker.get_slot("pending_request") == PRICE_PROTECTION
    return waiting and pieces_said(text) is not None and not returns_the_goods(text)


def money_topic(tracker: Tracker, text: str) -> str | None:
    """The money matter (a refund, 价保, the invoice) the latest message is about: named in its
    own words, else the one the conversation was on just before (a follow-up in few words,
    "要是一个礼拜还没到呢", "39天怎么了"); None when it is about the parcel or the goods."""
    return money_topic_in(tracker.events, text)


def money_topic_in(events: list[dict[str, Any]], text: str) -> str | None:
    """`money_topic` of the message `text`, the last of `events`."""
    if (named := topic_named(text)) is not None:
        return named.value
    if MONEY_WORDS.search(normalise(text)):
        return REFUND
    if returns_the_goods(text):  # 这个我也不想要了 还能退不: the goods, not the money before
        return None
    before = _money_topic_before(events)
    if before == INVOICE and asks_to_return(text):
        return None  # 还能退不 after the invoice: an invoice is not sent back, the goods are
    return before


def _money_topic_before(events: list[dict[str, Any]]) -> str | None:
    """The money matter the conversation was on just before its latest message, if any."""
    messages = 0
    for event in reversed(events):
        if (need := noted_need(event)) in SERVICES:
            return need
        if _said_back(event) in SERVICES:  # a 价保 or invoice said back for a yes (退到哪 after)
            return str(event["value"])
        if event.get("event") != "user":
            continue
        messages += 1
        if messages == 1:
            continue  # the latest message itself
        if messages > MONEY_TOPIC_WITHIN + 1:
            return None
        words = str(event.get("text") or "")
        intent = message_intent(event)
        if (named := topic_named(words)) is not None:
            return named.value
        if intent == REFUND or MONEY_WORDS.search(normalise(words)):
            return REFUND
        if intent in PARCEL_INTENTS:
            return None
    return None


def _said_back(event: dict[str, Any]) -> str | None:
    """The request a `pending_request` slot event says back for a yes, if any."""
    if event.get("event") != "slot" or event.get("name") != "pending_request":
        return None
    value = event.get("value")
    return value if isinstance(value, str) else None


def money_returned(order: Order) -> bool:
    """Whether the order's money went back in full, or is on its way back: cancelled, or a
    full refund not rejected (nothing is left to send or to lose)."""
    if order.status == OrderStatus.CANCELLED:
        return True
    status = aftersales.refund_status(order, order.placed_at)
    active = status.status not in (None, AfterSaleStatus.REJECTED, AfterSaleStatus.CLOSED)
    return active and status.amount is not None and status.amount >= order.total_amount


def answer_money(turn: Turn, order: Order, topic: str) -> str | None:
    """Answer a money matter of the order from its record instead of any parcel case: where its
    refund is, whether its 价保 applies, where its invoice is (returns the request said back for
    a yes, if any); arguing with a refusal gets a person offered."""
    arguing = bool(ARGUING.search(normalise(turn.text)))
    if topic == PRICE_PROTECTION:
        words = need_words(turn.tracker) or turn.text
        checked = price_protection_check(turn.session, order, turn.now, words)
        if checked.eligible:  # said back, or what was asked about it explained
            return answer_price_protection(turn, words, order.order_no)
        if ASKS_FOR_MONEY.search(normalise(turn.text)) and say_price_protection_refund(turn, order):
            return None
        turn.say(checked, buttons=[Button.HUMAN] if arguing else [])
        return None
    if topic == INVOICE:
        return answer_invoice(turn, need_words(turn.tracker) or turn.text, order.order_no)
    status = aftersales.refund_status(order, turn.now)
    human = arguing or status.should_have_arrived or status.status == AfterSaleStatus.REJECTED
    turn.say(status, buttons=[Button.HUMAN] if human else [])
    return None


def refund_question_service(tracker: Tracker, intent: str, text: str) -> str:
    """The service a refund-status question is about: in a conversation on the order's 价保 or
    invoice ("差了30呢 退不退", "退到哪" after a 价保 said back), that one; a question whether
    the goods can go back ("不想要了 还能退不"), the return; otherwise the refund."""
    if intent == RETURN and _pieces_of_the_price_protection(tracker, text):
        return PRICE_PROTECTION  # 两瓶都退吧 to the 价保 said back: its pieces, no goods back
    if intent != REFUND:
        return intent
    topic = money_topic(tracker, text)
    if topic in SERVICES:
        return topic
    if topic is None and asks_to_return(text):
        return RETURN  # 不想要了 还能退不: whether the goods can go back, said back for a yes
    return intent

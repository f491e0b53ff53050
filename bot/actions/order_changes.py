"""Changing an order: which order, what to change, the new value, a yes, then done.

The form verifies the order like the lookup does (it inherits that validation); an order past
changing what the shopper asked for (shipped, delivered, cancelled; a delivery appointment is
still possible once shipped) ends the form early, and `action_apply_order_change` says why.
A button clicked or another request made while the form asks for a value is never taken for
the value: the form rejects it and the rules of bot/data/form_rules.yml answer it.
"""

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from bot.actions import order_services, problem_cases
from bot.actions.case_questions import follow_up_on_parcel
from bot.actions.common import (
    Turn,
    TurnAction,
    latest_intent,
    latest_text,
    message_intent,
    shopper_client,
    shopper_texts,
    verified_order,
)
from bot.actions.form_turns import NOT_AN_ANSWER, answered_just_now, offer_a_person, stuck
from bot.actions.order_lookup import (
    ValidateOrderLookupForm,
    answer_in_general,
    answered_this_message,
    asked_in_general,
    confirmed_in_words,
    is_button_payload,
    read_number,
    slot_before_message,
)
from bot.actions.order_requests import (
    AT_A_GLANCE,
    ORDER_REQUEST_HANDLERS,
    OrderRequest,
    described,
    invoice_change_asked,
    request_of,
)
from bot.actions.record_answers import answer_from_the_order, answer_question_beside
from conversations.models import EscalationReason
from conversations.needs import need_told
from conversations.reading import (
    CANCEL_OR_RETURN_TAKEN_BACK,
    Answer,
    answer_to_confirmation,
    asks_for_a_person,
    is_negated_request,
    is_question,
    says_a_detail_stays,
    wants_a_person,
)
from conversations.service import hand_over
from core.clock import utcnow
from core.text import normalise
from shop import product_names
from shop.appointments import (
    DeliveryAppointment,
    asks_arrival,
    asks_which,
    day_part_hours_asked,
    declined,
    is_delivery_wish,
    read_appointment,
    refined,
)
from shop.models import Order, OrderStatus
from shop.modifications import (
    ChangeField,
    ChangeRequest,
    DeliveryAppointed,
    OrderChanged,
    ValueRejected,
    apply_change,
    asks_for_change,
    block_changes,
    can_change,
    change_refusal,
    changes_to_make,
    check_value,
    corrected,
    exchanges_a_spec,
    field_named,
    looks_like_a_value,
    other_field_value,
    pending_change,
    read_change,
    still_waiting,
    value_question,
)
from shop.orders import check_phone, load_order, order_status, verify_order
from shop.pasted_details import read_pasted_details
from shop.presale import named_variant_terms
from shop.problems import read_problem
from shop.product_questions import STOCK_QUESTION
from shop.spec_choices import choices_answer, conditional_choice
from shop.waiting_requests import RETURN
from words.render import Button, button, phrase, say

CHANGE_SLOTS = ["change_field", "change_value", "change_confirmed"]
# [field, value, …]: further changes named while the first is asked about (a new phone beside
# the address; the receiver and phone of a pasted block)
ALSO = "also_change"

# Values checked against the order, so kept as said until it is verified.
CHECKED_AGAINST_ORDER = (ChangeField.SPEC, ChangeField.DELIVERY_TIME)
VALUE_BUTTONS = [Button.KEEP_ORDER, Button.HUMAN]


class ValidateModifyOrderForm(ValidateOrderLookupForm):
    """Verifies the order, then collects the field, the new value and the shopper's yes."""

    fresh_slots = (*CHANGE_SLOTS, ALSO)  # a new change, nothing left over from one stopped

    def name(self) -> str:
        return "validate_modify_order_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if _stops_the_change(tracker):
            if latest_intent(tracker) in STOP_INTENTS:
                return []  # the form lets it go: the rule for 算了 stops the change
            # 那就不换了, 哎算了算了 明天上午我也得出去: stopped, nothing changed (the form ends
            # here and action_apply_order_change says so)
            return [SlotSet("change_confirmed", False), SlotSet("requested_slot", None)]
        before = tracker.get_slot(ALSO)
        events = await super().run(dispatcher, tracker, domain)
        if (after := tracker.slots.get(ALSO)) != before:  # not a form slot: rasa-sdk drops it
            events.append(SlotSet(ALSO, after))
        return events

    def cannot_go_on(self, order_no: str, tracker: Tracker) -> bool:
        # action_apply_order_change explains why it cannot be changed
        field = tracker.get_slot("change_field") or (  # named in the message starting the form
            read_change(latest_text(tracker)).field if _names_a_change(tracker) else None
        )
        status = order_status(self.session, order_no)
        return status is not None and not can_change(status, ChangeField(field) if field else None)

    def validate_phone_tail(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        change = read_change(latest_text(tracker))
        new_phone = latest_intent(tracker) == "modify_order" and check_phone(change.value or "")
        if new_phone and not tracker.get_slot("verified_order_no"):
            return {"phone_tail": None}  # "手机号改成138…" names the NEW phone, not the verifier
        result = super().validate_phone_tail(value, dispatcher, tracker, domain)
        return result | self._recheck(result, dispatcher, tracker)

    def validate_order_id(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if (verified := tracker.get_slot("verified_order_no")) and _another_order_asked_about(
            self.session, tracker
        ):
            return {"order_id": verified}  # the change stays on its order; the ask answers it
        result = super().validate_order_id(value, dispatcher, tracker, domain)
        return result | self._recheck(result, dispatcher, tracker)  # a tail said before

    def _recheck(
        self, result: dict[str, Any], dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """A spec or appointment named before the order was verified, checked against it now."""
        raw, field = tracker.get_slot("change_value"), tracker.get_slot("change_field")
        if not (result.get("verified_order_no") and raw and field in CHECKED_AGAINST_ORDER):
            return {}
        order = load_order(self.session, result["verified_order_no"])
        if order is None or not can_change(order.status, ChangeField(field)):
            return {}  # the form ends: action_apply_order_change says why
        checked = check_value(ChangeField(field), raw, order)
        if checked.rejected:  # e.g. sold out: said before the question that follows
            dispatcher.utter_message(
                text=say(checked.rejected), buttons=choice_buttons(checked.rejected)
            )
        return {"change_value": checked.value}

    async def extract_change_field(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = latest_text(tracker)
        if current := tracker.get_slot("change_field"):
            return _another_field(current, text, tracker)
        if tracker.get_slot("requested_slot") == "change_field":
            field = field_named(text) or read_change(text).field
        elif _names_a_change(tracker):
            field = read_change(text).field
            if field is None and self._names_a_variant(tracker, text):
                field = ChangeField.SPEC  # 四件套雾霾蓝 帮我换一下: a variant of the goods named
        else:
            return {}
        return {"change_field": field.value} if field else {}

    async def extract_change_value(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = latest_text(tracker)
        if is_button_payload(text) or is_button_payload(text.replace("／", "/")):
            return {}  # a button: the rules for its intent take the turn
        field = tracker.get_slot("change_field")
        if _switched(tracker):
            return {}  # the change turned to another field just now (extract_change_field)
        asked = tracker.get_slot("requested_slot") in ("change_value", "change_confirmed")
        if asked and (other := other_field_value(field, text)) and not _a_value_for(field, text):
            # 手机号也换一下 159…: the new phone beside the address being changed, not an address
            return {ALSO: [str(other.field), other.value]}
        if tracker.get_slot("change_value"):
            confirming = tracker.get_slot("requested_slot") == "change_confirmed"
            said_back = str(tracker.get_slot("change_value"))
            # 对 白色M to 「白色 / M」: the yes (extract_change_confirmed), not a new value; an
            # appointment said again plainly is said back whole (the place's note kept)
            restated = field not in (None, ChangeField.DELIVERY_TIME) and _restates_value(
                ChangeField(field), said_back, text
            )
            if confirming and _a_value_for(field, text) and not restated:
                # another value instead of a yes ("还是周日吧"): checked and said back
                return {"change_value": text} | _pasted_beside(text)
            if confirming and field in CORRECTABLE and (fixed := corrected(said_back, text)):
                return {"change_value": fixed}  # 不对 是702 我打错了: said back whole again
            return {}
        if tracker.get_slot("requested_slot") == "change_value":
            if field == ChangeField.SPEC and (spec := self._spec_words(dispatcher, tracker)):
                return spec  # 有啥颜色, 那黑色呢: answered; 没有的话白色吧: what is in stock
            if latest_intent(tracker) in NOT_AN_ANSWER and not _a_value_for(field, text):
                return {}  # 算了, 转人工, a question, another request: their rules take the turn
            return {"change_value": text} | _pasted_beside(text)
        if _names_a_change(tracker) and (value := read_change(text).value):
            return {"change_value": value} | _pasted_beside(text)
        if _names_a_change(tracker) and self._names_a_variant(tracker, text):
            return {"change_value": text}  # 那黑色L 帮我换一下, M换L: the variant it names
        return {}

    def _names_a_variant(self, tracker: Tracker, text: str) -> bool:
        """Whether a spec change names a variant of the verified order's goods (黑色L)."""
        order = verified_order(self.session, tracker)
        asked = tracker.get_slot("change_field")
        if order is None or read_change(text).field not in (None, ChangeField.SPEC):
            return False
        if asked not in (None, ChangeField.SPEC.value):
            return False
        return any(named_variant_terms(i.variant.product, text) for i in order.items)

    async def extract_change_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A yes typed with the value said back restated (对 周六下午, 是的 就这个地址): the yes,
        never the same value said back again. Another value beside a yes (对 改周日吧) is a new
        value, said back (`extract_change_value`)."""
        if tracker.get_slot("requested_slot") != "change_confirmed":
            return {}
        said_back = slot_before_message(tracker, "change_value")
        field = tracker.get_slot("change_field")
        text = latest_text(tracker)
        if not (said_back and field) or is_button_payload(text):
            return {}
        if _settles_on_said_back(self.session, tracker, str(said_back), text):
            return {"change_confirmed": True}  # 算了算了 还是黑的L 别耽误发货: the spec said back
        if answer_to_confirmation(text) != Answer.YES:
            return {}
        if _restates_value(ChangeField(field), str(said_back), text):
            return {"change_confirmed": True}
        return {}

    def _spec_words(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any] | None:
        """A question about the choices while the new spec is asked (有啥颜色, 那黑色呢): the
        variants and their stock said, and the step goes on; a value with a condition (没有的话
        白色吧): the first named in stock taken, or none and what is (the step goes on). None
        for anything else (a value, a no: read as before)."""
        order = verified_order(self.session, tracker)
        if order is None:
            return None
        text = latest_text(tracker)
        earlier = shopper_texts(tracker)[:-1]
        if (choice := conditional_choice(order, text, earlier)) is not None:
            dispatcher.utter_message(text=say(choice))
            return {"change_value": choice.chosen}
        if (choices := choices_answer(order, text)) is not None:
            dispatcher.utter_message(text=say(choices))
            return {"change_value": None}
        return None

    def validate_change_field(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        # extract_change_field only ever sets a known field; a value named before it is
        # checked now, against the field it turned out to be for
        pending = tracker.get_slot("change_value")
        if pending and "change_value" not in tracker.slots_to_validate():
            return {"change_field": value} | self._checked(
                ChangeField(value), pending, dispatcher, tracker
            )
        return {"change_field": value}

    def validate_change_value(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None:  # cleared by a switch to another field
            return {"change_value": None}
        field_value = tracker.get_slot("change_field")
        if not field_value:  # named before the field: checked once the field is known
            return {"change_value": value}
        said_back = slot_before_message(tracker, "change_value")
        confirming = tracker.get_slot("requested_slot") == "change_confirmed"
        raw = str(value)
        if confirming and field_value == ChangeField.DELIVERY_TIME and said_back:
            raw = _refined(str(said_back), raw)  # 周六上午吧 after 周六: the Saturday morning
        checked = self._checked(ChangeField(field_value), raw, dispatcher, tracker)
        if confirming and checked["change_value"] != said_back:
            checked["change_confirmed"] = None  # a yes is for the value said back, not this one
        return checked

    def _checked(
        self, field: ChangeField, raw: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """The new value as stored, or None after saying what is wrong (the question follows)."""
        order = verified_order(self.session, tracker)
        if field in CHECKED_AGAINST_ORDER and order is None:
            return {"change_value": raw}  # checked once the order is verified
        checked = check_value(field, raw, order)
        asked = tracker.get_slot("requested_slot") in CHANGE_SLOTS
        # 改成明天晚上十点以后送 as the change is asked: the appointment's problem said at once
        wished = field == ChangeField.DELIVERY_TIME and _a_value_for(field, raw)
        if checked.rejected and (asked or wished):
            dispatcher.utter_message(
                text=say(checked.rejected), buttons=choice_buttons(checked.rejected)
            )
        return {"change_value": checked.value}


def choice_buttons(rejected: ValueRejected) -> list[dict[str, str]]:
    """A button for each reading the rejection asks between (明天 after midnight: each day,
    with its weekday and the hours wished); its words are what it sends."""
    choices = rejected.appointment.choices if rejected.appointment else ()
    return [{"title": said, "payload": said} for said in map(say, choices)]


def _pasted_beside(text: str) -> dict[str, Any]:
    """A pasted block (收货人：… 地址：… 电话不变): its receiver and new phone kept beside its
    address (whether they change anything is decided against the order when said back), in
    place of what was kept before; nothing for a message that is no block."""
    block = read_pasted_details(text)
    if block is None or not block.address:
        return {}
    flat = [str(part) for change in block_changes(text) for part in (change.field, change.value)]
    return {ALSO: flat or None}


def _refined(said_back: str, text: str) -> str:
    """The appointment said back with what the shopper's words add or correct, as its code
    (the words themselves when nothing was said back as an appointment)."""
    appointment = DeliveryAppointment.from_code(said_back)
    if appointment is None or DeliveryAppointment.from_code(text) is not None:
        return text
    return refined(appointment, text, utcnow()).code()


# The yes words a value restated may stand beside (对 周六下午, 是的 就这个).
_YES_BESIDE = re.compile(r"对的?|是的|没错|嗯+|好的?|可以|行|确认|就是?|这个|吧|[，,。.!！~～\s]")


def _restates_value(field: ChangeField, said_back: str, text: str) -> bool:
    """Whether the words, beside a yes, say the value said back and nothing else: the
    appointment refined by them is the one said back (对 周六下午 after 周六下午); any other
    field's value typed again the same."""
    if field == ChangeField.DELIVERY_TIME:
        return DeliveryAppointment.from_code(said_back) is not None and (
            _refined(said_back, text) == said_back
        )
    rest = _bare(_YES_BESIDE.sub("", normalise(text)))
    return not rest or rest == _bare(_YES_BESIDE.sub("", normalise(said_back)))


# The choice the shopper settles on after weighing another (算了 还是黑的L): what follows it.
_SETTLES_ON = re.compile(r"还是(?:要|换|改)?(?P<choice>[^，,。！!？?\s]+)")


def _settles_on_said_back(session: Session, tracker: Tracker, said_back: str, text: str) -> bool:
    """Whether the words, while a spec change waits for its yes, settle on the spec said back
    after weighing another (白色L有没有 … 算了算了 还是黑的L): the yes to it, never a no."""
    if tracker.get_slot("change_field") != ChangeField.SPEC:
        return False
    order = verified_order(session, tracker)
    settled = list(_SETTLES_ON.finditer(normalise(text)))
    if order is None or not settled:
        return False
    said = {_bare(part) for part in said_back.split("/") if part.strip()}
    for item in order.items:
        color, size = named_variant_terms(item.variant.product, settled[-1]["choice"])
        named = {_bare(term) for term in (color, size) if term}
        if named and named == said:
            return True
    return False


def _bare(value: str) -> str:
    """A value without its separators (白色 / M and 白色M are one spec)."""
    return re.sub(r"[\s/／·、,，]", "", value)


def _names_a_change(tracker: Tracker) -> bool:
    """A change asked for, or a delivery wish said on its own that NLU read as data (周六上午吧,
    门卫室: what the bot invited after a change it could not make; shop.appointments)."""
    intent = latest_intent(tracker)
    text = latest_text(tracker)
    return (
        intent == "modify_order"
        or (intent in ("inform", "nlu_fallback") and is_delivery_wish(text, utcnow()))
        # 那黑色L 帮我换一下 read as an exchange of goods not yet sent: the change form it started
        or (intent == "request_return_exchange" and exchanges_a_spec(text))
    )


def _a_value_for(field: str | None, text: str) -> bool:
    """Whether the message is plainly a value for `field` (a phone, an address; a day, hours or
    place for an appointment), whatever NLU made of it; None: for any field."""
    if field == ChangeField.DELIVERY_TIME and (asks_arrival(text) or asks_which(text)):
        return False  # 明天能送到吗, 下周三前能到不: a question about the parcel, answered
    if field == ChangeField.DELIVERY_TIME and day_part_hours_asked(text) is not None:
        return False  # 下午是几点到几点: the hours of the part said back, answered
    if field == ChangeField.DELIVERY_TIME and not read_appointment(text, utcnow()).empty:
        return True
    if field in (ChangeField.ADDRESS, ChangeField.PHONE):
        return check_value(ChangeField(field), text, None).value is not None
    if field == ChangeField.SPEC and read_change(text).field in (
        ChangeField.ADDRESS,
        ChangeField.PHONE,
    ):
        return False  # 地址也改下 改成公司 杭州市… while 黑色 / L waits: no size, the address too
    return looks_like_a_value(text)


# Intents whose rules stop a change themselves (bot/data/order_rules.yml): the form lets them go.
STOP_INTENTS = ("deny", "goodbye")
# Values a shopper puts right by a number (不对 是702): said back whole with it.
CORRECTABLE = (ChangeField.ADDRESS, ChangeField.PHONE)


def _stops_the_change(tracker: Tracker) -> bool:
    """Whether the latest message, while the change asks for its value or its yes, stops it in
    words (那就不换了, 先不改了, 算了; a delivery wish taken back whole: 哎算了算了 明天上午我也得
    出去, 刚才说的明天上午那个就不要了), whatever NLU made of it. A no to part of a wish (周六算了
    beside 晚上6点以后吧), a value beside a no (不要放门口 放门卫) or a question is not this."""
    asked = tracker.get_slot("requested_slot")
    field = tracker.get_slot("change_field")
    # 那就不取消了 四件套换成雾霾蓝: a no to a cancel thought of before, not to this change
    text = CANCEL_OR_RETURN_TAKEN_BACK.sub(" ", latest_text(tracker))
    if asked not in ("change_value", "change_confirmed") or not field or is_button_payload(text):
        return False
    if is_question(text) or asks_arrival(text):
        return False
    if says_a_detail_stays(text) and (named := field_named(text)) is not None:
        return named.value == field  # 地址还是原来的 to the address said back: a no
    pending = tracker.get_slot("change_value") if asked == "change_confirmed" else None
    wish = DeliveryAppointment.from_code(str(pending)) if pending else None
    if field == ChangeField.DELIVERY_TIME and wish is not None:
        return declined(wish, text, utcnow()) or is_negated_request(text)
    if is_negated_request(text):  # 那就不换了 (我这个已经是黑的了): no change, whatever is named
        return True
    if field == ChangeField.SPEC and _SETTLES_ON.search(normalise(text)):
        return False  # 算了算了 还是黑的L: a spec settled on, which the form's extractors read
    if other_field_value(ChangeField(field), text) is not None:
        return False  # 电话也换一个 不用原来的 139…: a second change beside this one, no no
    return answer_to_confirmation(text) == Answer.NO and not _a_value_for(field, text)


# A message that turns the change to another field says so with a change verb or a denial.
_CHANGE_WORDS = ("改", "换", "不是", "修改", "变更")


def _another_field(current: str, text: str, tracker: Tracker) -> dict[str, Any]:
    """The change turned to another field (不是约送货 是改尺码 换大一号; 我要改的是电话): the field
    switches and what was asked for the old one is dropped; a plain value for another field
    (a new phone while the address is said back) is kept beside it instead (extract_change_value).
    """
    if is_button_payload(text):
        return {}
    named = read_change(text)
    intent = latest_intent(tracker)
    # 尺码帮我换成L 还是黑色 read as an exchange while the order is still being changed: the
    # size, before it ships (an order that cannot change any more says so after)
    exchange = intent == "request_return_exchange" and named.field == ChangeField.SPEC
    if intent in NOT_AN_ANSWER - {"modify_order"} and not exchange:
        return {}
    if named.field is None or named.field == current or not any(w in text for w in _CHANGE_WORDS):
        return {}
    if other_field_value(ChangeField(current), text):
        return {}  # 手机号也换一下 159…: a second change beside this one (extract_change_value)
    return {
        "change_field": named.field.value,
        "change_value": named.value,
        "change_confirmed": None,
    }


def _switched(tracker: Tracker) -> bool:
    """Whether extract_change_field switched the field in this turn of a form already asking
    (its slot now differs from the one before the message)."""
    if tracker.get_slot("requested_slot") not in CHANGE_SLOTS:
        return False  # the form starts: a field left by a stopped change is no switch
    before = slot_before_message(tracker, "change_field")
    return before is not None and tracker.get_slot("change_field") != before


def _also(tracker: Tracker) -> tuple[ChangeRequest, ...]:
    """The further changes named while the first was asked about (none: ())."""
    also = tracker.get_slot(ALSO) or []
    pairs = zip(also[0::2], also[1::2], strict=False)
    return tuple(ChangeRequest(ChangeField(field), str(value)) for field, value in pairs)


class ActionAskChangeValue(TurnAction):
    def name(self) -> str:
        return "action_ask_change_value"

    def act(self, turn: Turn) -> list[EventType]:
        field = ChangeField(turn.tracker.get_slot("change_field"))
        order = verified_order(turn.session, turn.tracker)
        if order is None:  # the form verifies the order before it asks for a value
            return []
        # the choices just said (有啥颜色), or what is in stock for 没有的话白色吧
        answered = field == ChangeField.SPEC and _spec_words_answered(turn, order)
        if stuck(turn.tracker, "change_value") and not answered:
            offer_a_person(turn.out, (Button.HUMAN, Button.KEEP_ORDER))
            return []
        if answered:  # the step goes on, without the list again
            buttons = [button(b) for b in VALUE_BUTTONS]
            turn.out.utter_message(text=phrase("value_question_again"), buttons=buttons)
            return []
        if any(also.field != field for also in _also(turn.tracker)):
            turn.utter("utter_change_also_noted")
        turn.say(value_question(field, order, turn.now), buttons=VALUE_BUTTONS)
        return []


def _spec_words_answered(turn: Turn, order: Order) -> bool:
    """Whether the form's reading of the latest message has just answered it (a question about
    the choices, a value with a condition: `ValidateModifyOrderForm._spec_words`)."""
    if not answered_this_message(turn.tracker):
        return False
    earlier = shopper_texts(turn.tracker)[:-1]
    return (
        choices_answer(order, turn.text) is not None
        or conditional_choice(order, turn.text, earlier) is not None
    )


class ActionAskChangeConfirmed(TurnAction):
    def name(self) -> str:
        return "action_ask_change_confirmed"

    def act(self, turn: Turn) -> list[EventType]:
        slot = turn.tracker.get_slot
        order = verified_order(turn.session, turn.tracker)
        if order is None:  # verified, and the value checked, before the form asks this
            return []
        if stuck(turn.tracker, "change_confirmed"):
            offer_a_person(turn.out, (Button.CONFIRM_CHANGE, Button.KEEP_ORDER, Button.HUMAN))
            return []
        field = ChangeField(slot("change_field"))
        change = pending_change(order, field, slot("change_value"), _also(turn.tracker))
        answered = (
            answered_just_now(turn.tracker)
            or _answer_about_another_order(turn)
            or _answer_arrival(turn, order, field)
            or answer_question_beside(turn, lambda words: _a_value_for(field, words))
        )  # 放门卫就行 丢了算谁的: the question answered, and the change kept
        if _said_back_before(turn.tracker) and answered:
            # a question answered in between: the change still waits, said in one short line
            turn.say(still_waiting(change), buttons=[Button.CONFIRM_CHANGE, Button.KEEP_ORDER])
            return []
        turn.say(change, buttons=[Button.CONFIRM_CHANGE, Button.KEEP_ORDER])
        return []


def _answer_arrival(turn: Turn, order: Order, field: ChangeField) -> bool:
    """A question about when the parcel comes while a delivery wish waits (明天能送到吗 能的话我
    就等, 周六前到得了吗): answered from the tracking, never taken for a new wish (the wish is
    offered again after it, in one line)."""
    if field != ChangeField.DELIVERY_TIME or answered_this_message(turn.tracker):
        return False
    if not asks_arrival(turn.text) or not _said_back_before(turn.tracker):
        return False
    ORDER_REQUEST_HANDLERS["track_order"](OrderRequest(turn, order, "track_order", turn.text))
    return True


def _another_order_asked_about(session: Session, tracker: Tracker) -> Order | None:
    """Another order of the same shopper's, asked about by number while a change to the
    verified one waits (还有个键盘退了 退款到哪一步了 2433…, while a drop-off is said back): its
    question is answered, and the change stays on its own order. None otherwise."""
    verified, tail = tracker.get_slot("verified_order_no"), tracker.get_slot("phone_tail")
    named = read_number(latest_text(tracker))
    if not (verified and tail and tracker.get_slot("change_field")):
        return None
    if latest_intent(tracker) not in QUESTIONS_DURING_A_CHANGE or named in (None, verified):
        return None
    text = latest_text(tracker)
    if _ORDER_CORRECTED.search(text) or read_change(text).field is not None:
        return None  # 我搞错了 要改地址的是7492…这单: the change is that order's, not kept here
    client = shopper_client(tracker)
    return verify_order(session, str(named), str(tail), guess=False, client=client).order


# The order of the change said to be another (不是这单, 我搞错了, 要改的是…).
_ORDER_CORRECTED = re.compile(r"不是这[单个]|搞错|弄错|写错|说错|要改的是|是另[一外]")


def _answer_about_another_order(turn: Turn) -> bool:
    """Answer the question about another order of the shopper's asked while a change waits
    (`_another_order_asked_about`); False, nothing said, when the message asks none."""
    other = _another_order_asked_about(turn.session, turn.tracker)
    intent = latest_intent(turn.tracker)
    if other is None or intent is None:
        return False
    ORDER_REQUEST_HANDLERS[intent](OrderRequest(turn, other, intent, turn.text))
    return True


def _said_back_before(tracker: Tracker) -> bool:
    """Whether this very change was said back for a yes before the shopper's latest message
    (the same value, the form already waiting for the yes)."""
    return slot_before_message(tracker, "requested_slot") == "change_confirmed" and (
        slot_before_message(tracker, "change_value") == tracker.get_slot("change_value")
        and slot_before_message(tracker, ALSO) == tracker.get_slot(ALSO)
    )


# Questions about the order that need no change of their own: answered while a change is
# under way, and the change goes on (快递员电话能给我吗 while a drop-off waits for its yes).
QUESTIONS_DURING_A_CHANGE = ("track_order", "ask_refund_status")


class ActionAnswerDuringChange(TurnAction):
    """A question about the order in the middle of a change (where the parcel is, the courier,
    the refund) is answered from the order; the change is kept and its question put again
    (bot/data/change_confirmations.yml)."""

    def name(self) -> str:
        return "action_answer_during_change"

    def serves(self, tracker: Tracker) -> str | None:
        intent = latest_intent(tracker)  # 还没发货吧 named with the change: answered here
        return intent if intent in QUESTIONS_DURING_A_CHANGE else None

    def act(self, turn: Turn) -> list[EventType]:
        order = verified_order(turn.session, turn.tracker)
        intent = latest_intent(turn.tracker)
        if order is None or intent not in QUESTIONS_DURING_A_CHANGE:
            turn.utter("utter_request_noted")  # the order is checked first: the form asks it
            return []
        ORDER_REQUEST_HANDLERS[intent](OrderRequest(turn, order, intent, turn.text))
        return []


MODIFY_ORDER = "modify_order"


def _change_words(tracker: Tracker) -> str:
    """The words of the shopper's latest message asking for a change (the one that started the
    change form), or the latest message."""
    for event in reversed(tracker.events):
        if event.get("event") == "user" and message_intent(event) == MODIFY_ORDER:
            return str(event.get("text") or "")
    return latest_text(tracker)


# Details said to be wrong (订单信息填错了): a change asked, though no verb or field names it.
_WRONG_DETAILS = re.compile(r"[填写弄搞打选拍下]错")


def _asks_a_change(words: str) -> bool:
    """Whether words read as a change ask for one: a change verb or value, a field named, a
    detail said to be wrong, or nothing to read otherwise (no words kept)."""
    clean = normalise(words)
    wrong = _WRONG_DETAILS.search(clean) is not None
    return not clean or asks_for_change(clean) or field_named(clean) is not None or wrong


def _order_page(words: str) -> bool:
    """Whether the words are an order's page pasted (订单号：… 商品：… 收货人：… 手机：…): its
    number beside its details, with no change asked (a new address has no order number)."""
    return read_number(words) is not None and not asks_for_change(words)


def not_a_change(turn: Turn, order: Order, words: str) -> list[EventType]:
    """Words the NLU read as a change that ask for none (直接给我发个新的 今天能发吗 inside a
    damage case, 安装要不要钱, an order's page pasted with a complaint): never "订单信息没法再改".
    Verified just now after them, the need they tell is served (承诺时间早就过了 怎么还在路上:
    the late parcel), else the order shown at a glance; said just now, they are read with the
    conversation (a request waiting for its yes, the case, the record), else the FAQ."""
    from bot.actions.clarify import clarify  # these import the order actions
    from bot.actions.in_context import answer_in_context

    told = need_told(words)
    request = request_of(told) if told is not None else None
    if words != turn.text:
        request = request or AT_A_GLANCE
        pending = ORDER_REQUEST_HANDLERS[request](OrderRequest(turn, order, request, words))
        return [SlotSet("pending_request", pending)]
    pending = str(turn.tracker.get_slot("pending_request"))
    if (kind := problem_cases.AFTER_DELIVERY_PENDING.get(pending)) is not None:
        # 直接给我发个新的 今天能发吗 while a damage case waits: the case said back, its remedy,
        # who decides and when (the part asked, when said a moment ago), for its yes
        said_back = problem_cases.confirm_case(turn, order, kind, None, described=True)
        return [SlotSet("pending_request", said_back)]
    if follow_up_on_parcel(turn, order):  # 能不能快点: the parcel chased, or said on time
        return []
    if request is not None and request not in NOT_SERVED_HERE:
        # 周六要穿去喝喜酒的 能到吗: the parcel's progress, the question asked on it answered
        pending = ORDER_REQUEST_HANDLERS[request](OrderRequest(turn, order, request, words))
        turn.served_besides.append(request)
        return [SlotSet("pending_request", pending)]
    events = answer_in_context(turn)
    return events if events is not None else clarify(turn)


def _exchange_of_goods_in_hand(
    turn: Turn, order: Order, field: str | None, words: str
) -> list[EventType] | None:
    """A change of size or colour asked on an order signed for: the goods are in hand, so it is
    an exchange (就是想把XL换成L 吊牌还在 没穿过), said back with its window for a yes; a
    question about it (换的话运费我出是吧) is answered from the order's terms. None for any other
    change, or an order not yet signed for."""
    if order.status != OrderStatus.DELIVERED:
        return None
    if is_question(turn.text) and answer_from_the_order(turn):
        return []
    if field != ChangeField.SPEC.value and not exchanges_a_spec(words):
        return None
    if described(turn.tracker, order, turn.now).kinds:
        return None  # 底座裂了 … 补发吧 换个蓝色的: the problem's own path, no no-reason one
    pending = ORDER_REQUEST_HANDLERS[RETURN](OrderRequest(turn, order, RETURN, words))
    turn.served_besides.append(RETURN)
    return [SlotSet("pending_request", pending)]


# Needs a message read as a change may tell instead; a return or another change is the change
# refused (如果规格不合适…), never started from here.
NOT_SERVED_HERE = frozenset({"modify_order", "cancel_order", "request_return_exchange"})


def _another_need(turn: Turn, order: Order, words: str) -> list[EventType] | None:
    """The need words read as a change tell instead, on an order that can no longer change: a
    person demanded (找个能做主的来), a problem with the goods (是你们发错货了 我要换成白绿39),
    an invoice (开成个人的了 能换成公司吗, 还要开户行那些吗, a title and tax number typed),
    another variant's stock (N05那个奶茶色还有货不). None when the words tell none of them."""
    from bot.actions.handoff import ActionHandOver  # these import the order actions
    from bot.actions.presale import answer_about

    if (confirmed := confirmed_in_words(turn, order)) is not None:
        return confirmed  # 行 确认 帮我换一本完整的: the case said back, confirmed
    if wants_a_person(words) or asks_for_a_person(words):
        return ActionHandOver().act(turn)
    told = need_told(words)
    request = request_of(told) if told is not None else None
    if request is None and (
        order_services.typed_invoice_details(turn.tracker, words)
        or invoice_change_asked(turn.tracker.events, words)
    ):  # 以后要是还要改 还能改吗 right after the invoice's 换开: the invoice's
        request = order_services.INVOICE
    # 第200到216页是空白的 还能换吗: a problem with the goods told, its return served (the
    # problem's own path: a quality return, a damaged item's case), never a spec exchange
    problem_told = request == RETURN and bool(read_problem(words, order, now=turn.now).kinds)
    if request is not None and (request not in NOT_SERVED_HERE or problem_told):
        pending = ORDER_REQUEST_HANDLERS[request](OrderRequest(turn, order, request, words))
        turn.served_besides.append(request)  # never offered again as a need named besides
        return [SlotSet("pending_request", pending)]
    if STOCK_QUESTION.search(normalise(words)):
        bought = [item.variant.product for item in order.items]
        named = [p for p in bought if any(named_variant_terms(p, words))]
        product = product_names.find_product(turn.session, words, None) or (named or bought)[0]
        return answer_about(turn, product, "ask_stock")
    return None


class ActionApplyOrderChange(TurnAction):
    """After the form: make the change, or say why the order cannot be changed here."""

    def name(self) -> str:
        return "action_apply_order_change"

    def act(self, turn: Turn) -> list[EventType]:
        reset = [SlotSet(slot, None) for slot in (*CHANGE_SLOTS, ALSO)]
        tracker = turn.tracker
        if tracker.get_slot("lookup_blocked"):
            turn.utter("utter_lookup_blocked")
            return reset
        order = verified_order(turn.session, tracker)
        if order is None:
            words = _change_words(tracker)
            if asked_in_general(turn.session, tracker, MODIFY_ORDER, words):
                # 能不能发中通, 下单后还能改地址吗: answered, the order number offered
                return [*reset, *answer_in_general(turn, MODIFY_ORDER, words)]
            turn.utter("utter_order_not_verified")
            return reset
        field, value = tracker.get_slot("change_field"), tracker.get_slot("change_value")
        if (refused := change_refusal(order, ChangeField(field) if field else None)) is not None:
            words = _change_words(tracker)
            if _order_page(words) or not (field or value or _asks_a_change(words)):
                # 直接给我发个新的 今天能发吗, an order's page pasted: no change, read as it is
                return [*reset, *not_a_change(turn, order, words)]
            if (served := _another_need(turn, order, words)) is not None:
                return [*reset, *served]  # 发错货了 我要换成白绿39: the wrong item, not a change
            if (in_hand := _exchange_of_goods_in_hand(turn, order, field, words)) is not None:
                return [*reset, *in_hand]  # 就是想把XL换成L 吊牌还在: an exchange, said back
            # 能不能快点, 换个快递重新发 after it shipped: about the parcel's case, not a change
            if not follow_up_on_parcel(turn, order):
                turn.say(refused, buttons=[Button.HUMAN])
            return reset
        if tracker.get_slot("change_confirmed") is not True or not (field and value):
            turn.utter("utter_change_stopped")
            return reset
        outcome = apply_change(
            turn.session, order, ChangeField(field), value, turn.now, turn.conversation_id
        )
        turn.say(outcome)
        # said back with the first, and confirmed with it (those that change something)
        for also in changes_to_make(order, _also(tracker)):
            if also.field is None or not also.value or also.field == field:
                continue
            if not isinstance(outcome, OrderChanged):
                break
            outcome = apply_change(
                turn.session, order, also.field, also.value, turn.now, turn.conversation_id
            )
            turn.say(outcome)
            field, value = also.field.value, also.value
        if not isinstance(outcome, OrderChanged | DeliveryAppointed):  # e.g. sold out meanwhile
            hand_over(
                turn.session,
                turn.conversation_id,
                EscalationReason.CHANGE_FAILED,
                reason_detail=field,
                order_no=order.order_no,
                detail=value,  # the new value the shopper confirmed
            )
            turn.utter("utter_pass_to_agent")
            return reset
        return [*reset, SlotSet("lookup_failures", 0)]

"""A message the NLU could not place, read with the conversation before anyone says "没理解".

One chain for every action such a message reaches (the clarification on `nlu_fallback`, data
out of the blue on `inform` with nothing to take): a request waiting for its yes, a cancel
thought aloud (asked plainly, never carried out), who to turn to (我找谁: a person, the hours),
a closing remark, a chase follow-up (a change of mind that keeps the order too), a question
about the open case, a subject-less follow-up on
the order in focus (好了吗, 那还得几天, 我问到没到), what the verified order's record answers, the
card the shopper paid with (the refund goes back to it), venting (heard, and the case or order's
next step said), and a product or a variant of the product in focus (她要白色S: its stock). None
when nothing in the conversation explains the message: only then does the bot say it did not
understand.
"""

import copy
import dataclasses
import re

from rasa_sdk.events import EventType, SlotSet

from bot.actions.case_questions import answer_about_case, answer_case_question
from bot.actions.common import (
    Turn,
    earlier_texts,
    faq_answer,
    recent_bot_texts,
    search_asked,
    verified_order,
)
from bot.actions.faq import SURE_ON_ITS_OWN
from bot.actions.handoff import answer_who_to_turn_to
from bot.actions.order_lookup import (
    answered_while_waiting,
    declined_taken_back,
    declined_waiting_request,
)
from bot.actions.order_requests import (
    ORDER_REQUEST_HANDLERS,
    OrderRequest,
    answer_waybill,
    ask_weighed_cancel,
    asked,
)
from bot.actions.order_services import answer_chase_talk
from bot.actions.periods import answer_period_asked, answer_pushback_on_a_period
from bot.actions.presale import answer_about, policy_questions_answered
from bot.actions.record_answers import answer_from_the_order
from bot.actions.waiting_questions import answer_opened_goods
from conversations.needs import PushbackHeard
from conversations.reading import is_closing_without_request, is_question, pushes_back
from conversations.short_messages import (
    asks_again_when,
    asks_compensation,
    asks_if_it_ships_now,
    asks_to_keep_watch,
    asks_when_in_stock,
    asks_when_it_comes,
    is_venting,
    names_compensation,
    names_payment_card,
    pays_by_credit,
    says_searched,
    steps_away,
    variant_wish,
    wants_it_now,
    weighs_cancelling,
)
from shop import product_names
from shop.aftersales import holds
from shop.appointments import PARTS, day_part_hours_asked
from shop.case_heard import card_heard, compensation_asked, venting_heard
from shop.case_questions import decided_choice, note_search, open_case_in, stated_choice
from shop.presale import FactUnknown, named_variant_terms
from shop.product_names import product_by_code
from shop.product_questions import (
    ProductInFocus,
    is_bare_mention,
    names_only_a_variant,
    product_answer,
)
from shop.tracking import FollowUpQuestion, order_progress, read_follow_up, tracking_follow_up
from shop.waiting_requests import CANCEL
from words.render import Button

NEWS_ASKED = "有消息通知我"  # what asking the bot to keep watch means (shop.chasing's NOTIFY)
# The order request a subject-less follow-up asks again, by the request last asked (the state
# may have moved on): a late parcel's follow-up (到没到, 好了吗) asks where the parcel is now.
FOLLOWED_UP = {
    "track_order": "track_order",
    "report_delivery_delay": "track_order",
    "ask_refund_status": "ask_refund_status",
}


def _as_if(turn: Turn, words: str) -> Turn:
    """The turn as if the shopper had said `words` (the same meaning in the words read)."""
    tracker = copy.copy(turn.tracker)
    tracker.latest_message = {**tracker.latest_message, "text": words}
    return dataclasses.replace(turn, tracker=tracker)


def answer_in_context(turn: Turn) -> list[EventType] | None:
    """Answer the message from what the conversation is on; its events, or None when nothing
    explains it (and nothing was said)."""
    if (kept := declined_waiting_request(turn)) is not None:  # 好吧 算了, to a request
        return kept
    if (again := declined_taken_back(turn)) is not None:  # 还是换黑的吧, after a no to it
        return again
    if (waits := answered_while_waiting(turn)) is not None:  # 然后呢 while a return waits
        return waits
    if answer_period_asked(turn):  # 周末算不算 after a refund's working days were said
        return []
    if answer_day_part_hours(turn):  # 下午是几点到几点 after 12月9日下午 was noted
        return []
    if answer_pushback_on_a_period(turn):  # 凭什么不行 after the 价保 window said over
        return []
    if answer_opened_on_order(turn):  # 盒子拆了 东西没用过: the categories' no-reason rule
        return []
    if (weighed := weigh_cancelling(turn)) is not None:  # 要不取消算了……: asked, never done
        return weighed
    if answer_waybill(turn):  # 顺丰SF… 寄回了
        return []
    if answer_who_to_turn_to(turn):  # 那就没办法了吗 我找谁: a person and the hours
        return []
    if is_closing_without_request(turn.text):  # 好 我再想想 / 算了不用了 谢谢: a goodbye
        turn.utter("utter_closing_later")
        return []
    if steps_away(turn.text):  # 快递柜？我去看看 等我一下哈: they come back, nothing asked
        turn.utter("utter_take_your_time")
        return []
    if answer_chase_talk(turn):  # 发了之后告诉我一声, 今天能发吗: the late order being chased
        return []
    if answer_search_told(turn):  # 驿站我去问了 没有, while the carrier checks: on the case
        return []
    if (answered := answer_about_case(turn)) is not None:  # a cancel said back waits for its yes
        return [SlotSet("pending_request", answered.waiting)] if answered.waiting else []
    if asks_to_keep_watch(turn.text):  # 那你帮我盯着点: news asked for, in the chase's words
        watching = _as_if(turn, NEWS_ASKED)
        if answer_chase_talk(watching) or answer_case_question(watching):
            return []
    if follow_up_on_order(turn):  # 好了没, 那还得几天 after the refund or the tracking
        return []
    if answer_from_the_order(turn):  # 运费谁出, 电话也给我一个: the verified order's record
        return []
    if answer_card_named(turn):  # 我付的时候用的招行信用卡: the refund goes back to it
        return []
    if answer_pushback(turn):  # 就一支口红还要去医院？: heard, the rule kept, a person offered
        return []
    if answer_venting(turn):  # 京东都能晚 服了: heard, and what happens next
        return []
    if answer_compensation_asked(turn):  # 有没有什么补偿: the case's coupon, else a person
        return []
    return about_a_product(turn)


def answer_search_told(turn: Turn) -> bool:
    """Where the shopper looked in vain for a parcel shown signed for (驿站我去问了 没有), while
    its case is open: written on the case, and when the answer comes. False, nothing said,
    otherwise."""
    if not says_searched(turn.text) or is_question(turn.text):
        return False
    if decided_choice(turn.text) or stated_choice(turn.text):
        return False  # 快递柜翻了没有 直接给我退款吧: the choice, noted on the case
    case = open_case_in(turn.session, turn.conversation_id)
    noted = note_search(case, turn.text, turn.now) if case is not None else None
    if noted is None:
        return False
    turn.say(noted)
    return True


def answer_day_part_hours(turn: Turn) -> bool:
    """下午是几点到几点, right after a delivery time with that part of the day was said: its
    hours by the policy. False, nothing said, otherwise (下午几点上班 asks the people's hours)."""
    hours = day_part_hours_asked(turn.text)
    if hours is None:
        return False
    words = dict(PARTS)[hours.part]  # 下午, 午后: the part said back just before
    if not any(w in said for said in recent_bot_texts(turn.tracker) for w in words):
        return False
    turn.say(hours)
    return True


def answer_opened_on_order(turn: Turn) -> bool:
    """Goods unpacked but unused (盒子拆了 东西没用过) on the verified order: whether its
    categories still take them back without a reason. False, nothing said, otherwise."""
    order = verified_order(turn.session, turn.tracker)
    return order is not None and answer_opened_goods(turn, order) is not None


def answered_about_opened_goods(turn: Turn) -> list[EventType] | None:
    """The same for an action that would take the message for something else (a complaint):
    answered beside a return waiting for its yes, or on the verified order; None otherwise."""
    if (waits := answered_while_waiting(turn)) is not None:
        return waits
    return [] if answer_opened_on_order(turn) else None


def follow_up_on_order(turn: Turn) -> bool:
    """A subject-less follow-up (好了没, 那还得几天, 我问到没到) on a verified order is about the
    order's state the shopper last asked for (the refund, the parcel): answered from its record
    again, never "not understood" or a greeting; the courier's phone asked after the parcel is
    the latest scan's courier."""
    courier = read_follow_up(turn.text) == FollowUpQuestion.COURIER
    if not (asks_again_when(turn.text) or courier):
        return False
    order = verified_order(turn.session, turn.tracker)
    request = FOLLOWED_UP.get(str(asked(turn.tracker).intent))
    if order is None or request is None:
        return False
    if courier and request == "track_order":  # 快递员电话给我一个: the latest scan's courier
        turn.say(tracking_follow_up(order_progress(order, turn.now), turn.text, turn.now))
        return True
    if courier:
        return False
    ORDER_REQUEST_HANDLERS[request](OrderRequest(turn, order, request, turn.text))
    return True


def weigh_cancelling(turn: Turn) -> list[EventType] | None:
    """A cancel thought aloud (要不取消算了……, 干脆退了得了) on the verified order that can still
    be cancelled: asked plainly (`ask_weighed_cancel`), nothing cancelled on these words. None
    when the words weigh no cancel, or no such order is known."""
    if not weighs_cancelling(turn.text):
        return None
    order = verified_order(turn.session, turn.tracker)
    if order is None or not ask_weighed_cancel(turn, order):
        return None
    return [SlotSet("pending_request", CANCEL)]


def answer_card_named(turn: Turn) -> bool:
    """The card the shopper says they paid with (我付的时候用的招行信用卡), on the verified
    order: the refund goes back to it (the record's way of payment), how much and how soon by
    the refund policy. False, nothing said, when no card is named or no order is known."""
    card = names_payment_card(turn.text)
    if card is None or is_question(turn.text):
        return False
    order = verified_order(turn.session, turn.tracker)
    if order is None:
        return False
    turn.say(card_heard(order, card, pays_by_credit(card), turn.now))
    return True


def answer_pushback(turn: Turn) -> bool:
    """A push back on what the bot just said (就一支口红还要去医院？, 这么麻烦) after something
    was answered: the feeling met, the answer kept, a person offered; never the same rule said
    again word for word. False, nothing said, otherwise."""
    if not pushes_back(turn.text) or not turn.tracker.get_slot("verified_order_no"):
        return False
    turn.say(PushbackHeard(), buttons=[Button.HUMAN])
    return True


def answer_venting(turn: Turn) -> bool:
    """Venting (服了, 券我不要 我要的是东西！！, 别跟我说等 我要现在) on a verified order is heard:
    inside the case open here, the case goes on and its next step is said (the coupon no
    substitute, nothing before the check); with no case, where the order stands. Never a
    cancel or return offered. False, nothing said, when it is no venting or no order is known."""
    if not is_venting(turn.text):
        return False
    order = verified_order(turn.session, turn.tracker)
    if order is None:
        return False
    if heard_in_case(turn, order.order_no):
        return True
    turn.utter("utter_complaint_heard")
    turn.say(order_progress(order, turn.now))
    turn.utter("utter_complaint_offer_human", buttons=[Button.HUMAN])
    return True


def answer_compensation_asked(turn: Turn) -> bool:
    """有没有什么补偿 on a verified order: the coupon the case open here gives, anything more
    (or with no case) a person's to grant, with the button. False, nothing said, otherwise."""
    if not asks_compensation(turn.text):
        return False
    order = verified_order(turn.session, turn.tracker)
    if order is None:
        return False
    case = open_case_in(turn.session, turn.conversation_id, order.order_no)
    turn.say(compensation_asked(order, case), buttons=[Button.HUMAN])
    return True


def heard_in_case(turn: Turn, order_no: str) -> bool:
    """Venting inside the case open here on the order: the case goes on, the coupon is no
    substitute, nothing comes before the check, and when the shopper hears back (also for a
    complaint, bot/actions/complaints.py). False, nothing said, when no case is open."""
    case = open_case_in(turn.session, turn.conversation_id, order_no)
    if case is None:
        return False
    heard = venting_heard(
        turn.session,
        case,
        turn.now,
        about_compensation=names_compensation(turn.text),
        right_now=wants_it_now(turn.text),
    )
    turn.say(heard, buttons=[Button.HUMAN])
    return True


# A product named with a wish or a request (我想买三体, 给我推荐一下充电宝, 三体讲的什么): what
# the shopper wants to know about it is asked, never a policy answer guessed.
WISH_OR_REQUEST = re.compile(
    r"想买|想要|需要|推荐|介绍|发我|发一下|帮我|给我|看看|特点|讲的|讲什么|好看|好用|怎么样|咋样"
)


def about_a_product(turn: Turn) -> list[EventType] | None:
    """A message that names a catalogue product is about it (那充电宝呢: the last product
    question again); one that asks what the catalogue says of the product in focus is answered
    (它透不透); a variant wished for someone (她要白色S) asks the last product question again
    about that variant's stock."""
    current = turn.tracker.get_slot("current_product")
    named = product_names.find_product(turn.session, turn.text, current)
    if named is not None and is_bare_mention(named, turn.text):
        return answer_about(turn, named, None)
    product = named or product_by_code(turn.session, current)
    if product is None:
        return None
    if not isinstance(product_answer(product, turn.text), FactUnknown):
        return answer_about(turn, product, "ask_product_info")
    asked = turn.tracker.get_slot("product_question")
    if named is None and asked and asked[0] == "ask_stock" and asks_when_in_stock(turn.text):
        return answer_about(turn, product, None)  # 要多久才有 after a size sold out: its date
    # 黑色42的啥时候到 of the shoes bought: their parcel, never their restock
    comes = asks_when_it_comes(turn.text) and not holds(
        verified_order(turn.session, turn.tracker), product
    )
    ships_now = named is None and (asks_if_it_ships_now(turn.text) or comes)
    if ships_now and any(named_variant_terms(product, turn.text)):
        # 冰川蓝现在能发吗, 那白L啥时候到 (no order): that one's stock, its restock date
        return answer_about(turn, product, "ask_stock")
    wish = variant_wish(turn.text)
    if named is None and wish is not None and names_only_a_variant(product, wish):
        return answer_about(turn, product, "ask_stock")  # a wish asks whether it is there
    if named is None:
        return None
    focus: list[EventType] = [SlotSet("current_product", named.code)]
    # 赣南脐橙发乌鲁木齐么, 戴尔27寸那款 有坏点怎么办: a rule the knowledge base is sure of
    _, answers = policy_questions_answered(turn, FactUnknown(named.name))
    if answers:
        for answer in answers:
            turn.out.utter_message(text=answer)
        return focus
    if is_question(turn.text) and not WISH_OR_REQUEST.search(turn.text):
        # 三体能刻名字吗: the knowledge base's answer when it is sure of it on its own
        result = search_asked(turn, earlier=earlier_texts(turn.tracker))
        if result.answered and result.hits[0].score >= SURE_ON_ITS_OWN:
            turn.out.utter_message(text=faq_answer(turn, result.hits[0].entry))
            return focus
    turn.say(ProductInFocus(named.name))
    return focus

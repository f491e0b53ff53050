"""Answer policy and how-to questions from the FAQ knowledge base (the same search as the API)."""

import re

from rasa_sdk.events import EventType, SlotSet

from bot.actions import problem_cases
from bot.actions.case_questions import answer_case_question
from bot.actions.common import (
    ORDER_NEED,
    PRODUCT_FACT_OF_TOPIC,
    Turn,
    TurnAction,
    as_if_said,
    each_question_answered,
    earlier_texts,
    faq_answer,
    goods_in_focus,
    said_lately,
    search_asked,
    shopper_texts,
    verified_order,
)
from bot.actions.handoff import ActionHandOver
from bot.actions.order_requests import ask_order_for_problem
from bot.actions.order_services import NoteOnNeed, note_need
from bot.actions.presale import (
    StockAskedToo,
    answer_about,
    basket_of_the_postage,
    page_answers,
    price_asked_too,
    stock_asked_too,
)
from conversations.acknowledgement import AckAskOrder, asks_where_order_number, is_policy_question
from conversations.needs import asks, clauses
from conversations.parts_asked import answering_part
from conversations.reading import is_question, wants_a_person
from faq.retrieval import SearchResult
from faq.service import faq_search
from shop import product_names
from shop.case_questions import CaseQuestion, case_question
from shop.invoices import invoice_status
from shop.order_terms import (
    about_sending,
    about_the_return_parcel,
    approved_return,
    policy_in_order_terms,
)
from shop.own_order import topic_named
from shop.presale import FactUnknown
from shop.product_questions import product_answer
from words.render import Button

CLARIFY_OPTIONS = 2
# An answer less sure than this gives way to a question about the case open in the
# conversation (要多久 after a late parcel is not about refunds) and to a demand for a person.
SURE_ON_ITS_OWN = 0.8
# Questions only the open case answers, however sure the knowledge base is (照片怎么发: its
# photos; 会不会是分开发的: its parcels; 错的要寄回去吗: its return trip).
CASE_ONLY_QUESTIONS = frozenset(
    {
        CaseQuestion.PHOTO_UPLOAD,
        CaseQuestion.SPLIT_SHIPMENT,
        CaseQuestion.RETURN_TRIP,
        CaseQuestion.SHIP_FIRST,  # 要我先寄回去吗 运费谁出: the case's return trip
        CaseQuestion.COUPON,  # 那个券有期限没有: the case's coupon, not the coupon rules
        CaseQuestion.PROGRESS,  # 物流那边咋说: the case so far
    }
)
# Words that carry on with what was answered (那要是…呢, 如果…): a follow-up on its topic.
FOLLOW_UP_LEAD = re.compile(r"那|(?:所以|还有)?(?:要是|如果|万一|假如)")
INVOICE_TOPIC = "invoice"
PRICE_PROTECTION_TOPIC = "price_protection"


class ActionAnswerFaq(TurnAction):
    """Answers when the knowledge base is sure; otherwise offers the likeliest questions."""

    def name(self) -> str:
        return "action_answer_faq"

    def act(self, turn: Turn) -> list[EventType]:
        events = self._answer(turn)
        return [*events, *_focus_on_the_named_product(turn, events)]

    def _answer(self, turn: Turn) -> list[EventType]:
        # (imported here: order_lookup imports this module)
        from bot.actions.order_lookup import (
            answered_about_the_period,
            answered_while_waiting,
            in_a_presale_talk,
        )

        # 从哪天算, 周末算不算 after a refund's days or a window were said: that period
        if (about := answered_about_the_period(turn)) is not None:
            return about
        from bot.actions.in_context import answer_day_part_hours  # it imports this module

        if answer_day_part_hours(turn):  # 下午是几点到几点 after 12月9日下午 was noted
            return []
        earlier = earlier_texts(turn.tracker)  # 要多久 after a question about refunds: refunds
        goods = goods_in_focus(turn.session, turn.tracker)  # 送上楼吗 about running shoes
        result = search_asked(turn, k=CLARIFY_OPTIONS, earlier=earlier, categories=goods)
        result = _not_the_same_again(turn, result, goods)
        # 你们必须赔偿 我要找主管, 我要投诉 快递员态度太差: a person, unless the policy is sure
        if wants_a_person(turn.text) and not sure_on_its_own(result):
            return ActionHandOver().act(turn)
        # 两件一共多少钱 包邮不: the price of the product in focus first, then the policy if sure
        if (priced := price_asked_too(turn)) is not None:
            # the basket's postage was said with its price: not the policy's again, nor one
            # product's (米两袋 牛奶两箱 寄内蒙古运费多少: the milk alone had been priced after it)
            if result.answered and not basket_of_the_postage(turn):
                turn.out.utter_message(text=faq_answer(turn, result.hits[0].entry))
            return priced
        # 哦 券后的不算啊。。那我再买一本 现在有货吗: the stock; the policy only if asked too
        if (stock := stock_asked_too(turn)) is not None:
            if is_question(
                stock.rest
            ):  # 保温能保多久 beside 薄荷绿还有吗: the page, else the policy
                _answer_the_rest(turn, stock, goods)
            return answer_about(turn, stock.product, "ask_stock")
        if answer_sending_back(turn):  # 单号填哪, 到付可以吗 on an approved return: that parcel
            return []
        # 内存以后能加吗 about the laptop, read as a policy question: its page, unless the
        # knowledge base is sure on its own
        page_first = not sure_on_its_own(result) or _opens_with_the_pages_fact(result)
        if page_first and (on_the_page := page_answers(turn)) is not None:
            return on_the_page
        topic = result.hits[0].entry.id if result.hits else None
        # 买完要是又降价了能保价吗 with no order: the rule for a purchase, never an order asked for
        # an invoice or 价保 entry the search is unsure of names no need on the order (换货运费谁出
        # after the invoice talk: the memory put the invoice first, unsure; its own words are the
        # postage's)
        waiting = turn.tracker.get_slot("pending_request") in problem_cases.PENDING
        photos = waiting and case_question(turn.text) is CaseQuestion.PHOTO_UPLOAD
        if photos and answer_case_question(turn):
            return []  # 照片要拍什么 while the apples' claim waits, after an invoice talk
        # 专票还要不要开户行 while the invoice change said back waits: answered, it still waits
        # (noting the invoice need again would start the invoice over, and drop the change)
        own_waits = turn.tracker.get_slot("pending_request") in OWN_ORDER_TOPICS
        if own_waits and (waits := answered_while_waiting(turn)) is not None:
            return waits
        if topic == "invoice" and in_a_presale_talk(turn.tracker):
            from bot.actions.order_context import details_before_any_order  # it imports this

            if (typed := details_before_any_order(turn)) is not None:
                turn.say(typed)  # 需要开专票 抬头… 税号… before buying: checked, where they go
                return []
        sure_topic = topic if result.answered or topic not in OWN_ORDER_TOPICS else None
        need = no_need(turn) if presale_what_if(turn, topic) else note_need(turn, sure_topic)
        if need.taken:  # 发票开了没 / 我买的降价了: answered from the order, once verified
            return need.events
        if asks_where_order_number(turn.text):  # 订单号在哪里看: the steps, not the manual
            turn.say(AckAskOrder(where=True), buttons=[Button.HUMAN])
            return need.events
        # 买的东西一直没动静: the problem met and the order asked for, no entry about another thing
        if ask_order_for_problem(turn, topic if result.answered else None):
            return need.events
        sure = sure_on_its_own(result)
        about_the_case = case_question(turn.text) in CASE_ONLY_QUESTIONS
        if (not sure or about_the_case) and answer_case_question(turn):  # 照片怎么发给你, 要多久
            return need.events
        # 运费谁出 while a return waits for its yes: answered, the request said back in one line
        if (waits := answered_while_waiting(turn)) is not None:
            return [*need.events, *waits]
        in_terms = result.hits and (result.answered or about_sending(turn.text))
        if in_terms and answer_in_order_terms(turn, result.hits[0].entry.id):  # 钱退哪里
            return need.events
        # 包邮吗 寄新疆几天到: the postage and the days, each from its own entry
        if (each := each_question_answered(turn, turn.text, goods)) is not None:
            for answer in each:
                turn.out.utter_message(text=answer)
            return need.events
        if result.answered:
            turn.out.utter_message(text=faq_answer(turn, result.hits[0].entry))
            return need.events
        if (asked := _one_clause_answered(turn)) is not None:
            turn.out.utter_message(text=asked)  # 小新Pro14 32G那款，公司采购能开专票吗: the 专票
            return need.events  # the laptop named is put in focus after
        # 5块钱券？打发要饭的呢 inside a case: what the conversation is on, before any guess
        # (imported here: in_context reads the order's record, whose answers import this module)
        from bot.actions.in_context import answer_in_context

        if (in_context := answer_in_context(turn)) is not None:
            return [*need.events, *in_context]
        if result.hits:
            buttons = [
                {"title": h.entry.question, "payload": h.entry.question} for h in result.hits
            ]
            turn.out.utter_message(response="utter_faq_clarify", buttons=buttons)
        else:
            turn.utter("utter_faq_unknown", buttons=[Button.HUMAN])
        return need.events


def _not_the_same_again(
    turn: Turn, result: SearchResult, goods: frozenset[str] | None
) -> SearchResult:
    """The question's own answer when the conversation's memory put first the entry answered
    a moment ago, no part of which answers it, and the question alone is answered by another
    (到了不合身能退不 运费谁出 right after 新客立减是自动减吗 got the new-customer offer again,
    then "刚才的答复里没有写到"). Only then: on real chats the memory serves follow-ups better
    than their own words (docs/nlu.md, round 3)."""
    if not result.answered or FOLLOW_UP_LEAD.match(turn.text.strip()):
        return result  # 那要是我已经点了确认收货呢 after the 价保 rule: still about it
    again = faq_answer(turn, result.hits[0].entry)
    # a part of it answering the question (信用卡会慢吗 after the refund times) is said instead
    if not said_lately(turn.tracker, again) or answering_part(again, turn.text) is not None:
        return result
    alone = faq_search.search(turn.session, turn.text, k=CLARIFY_OPTIONS, categories=goods)
    if alone.answered and alone.hits[0].entry.id != result.hits[0].entry.id:
        return alone
    return result


def _focus_on_the_named_product(turn: Turn, events: list[EventType]) -> list[EventType]:
    """The product the message names, put in focus when the answer did not (那牛奶呢 特仑苏 新疆
    运费多少, answered from the shipping rules: 买3箱多少钱 and 4箱呢 are about the milk)."""
    if any(e.get("name") == "current_product" for e in events):
        return []
    current = turn.tracker.get_slot("current_product")
    named = product_names.find_product(turn.session, turn.text, current)
    if named is None or named.code == current:
        return []
    return [SlotSet("current_product", named.code)]


def _one_clause_answered(turn: Turn) -> str | None:
    """The knowledge base's answer to the one clause of a message that asks (公司采购能开增值税
    专用发票吗 after 小新Pro14 32G那款, which only says which laptop), when the whole message left
    it unsure; None when no clause, or more than one, asks, or it is unsure of that one too."""
    asking = [part.text for part in clauses(turn.text) if asks(part.text)]
    if len(asking) != 1 or asking[0] == turn.text.strip():
        return None
    result = faq_search.search(turn.session, asking[0], k=1)
    return faq_answer(turn, result.hits[0].entry) if result.answered else None


def _answer_the_rest(turn: Turn, stock: StockAskedToo, goods: frozenset[str] | None) -> None:
    """What a message asks beside a product's stock: from the knowledge base when it answers the
    rest on its own (优惠券怎么领), else from the product's page (保温能保多久 of the flask)."""
    rest = as_if_said(turn, stock.rest, stock.product)
    result = search_asked(rest, k=1, earlier=earlier_texts(turn.tracker), categories=goods)
    if result.answered:  # 优惠券怎么领: the knowledge base's
        turn.out.utter_message(text=faq_answer(rest, result.hits[0].entry))
    elif not isinstance(product_answer(stock.product, stock.rest), FactUnknown):
        answer_about(rest, stock.product, "ask_product_info")


def _opens_with_the_pages_fact(result: SearchResult) -> bool:
    """Whether the knowledge base's first answer opens with the product's own fact (保修多久 of
    the phone: its warranty), which the page says alone, without the general rule after it."""
    return bool(result.hits) and result.hits[0].entry.id in PRODUCT_FACT_OF_TOPIC


def sure_on_its_own(result: SearchResult) -> bool:
    """Whether the knowledge base is sure enough of its first answer to give it before all."""
    return result.answered and result.hits[0].score >= SURE_ON_ITS_OWN


def presale_what_if(turn: Turn, topic: str | None) -> bool:
    """Whether an invoice or 价保 question asks how things go after a purchase (买完要是又降价
    了能保价吗, 买完降价退差价吗, 下单就能开票吗) while no order is verified: a question in general
    terms (the one gate, `is_policy_question`) the policy answers (with the product in focus's
    own terms), not a need about an order."""
    named = topic_named(turn.text)
    asked = str(named) if named is not None else topic
    if asked not in OWN_ORDER_TOPICS:
        return False
    return verified_order(turn.session, turn.tracker) is None and is_policy_question(
        turn.text, asked
    )


OWN_ORDER_TOPICS = frozenset({INVOICE_TOPIC, PRICE_PROTECTION_TOPIC})


def no_need(turn: Turn) -> NoteOnNeed:
    """No own-order need in this message: one noted before is forgotten."""
    noted = turn.tracker.get_slot(ORDER_NEED) is not None
    return NoteOnNeed(False, [SlotSet(ORDER_NEED, None)] if noted else [])


def answer_sending_back(turn: Turn) -> bool:
    """A question about sending a parcel (单号填哪, 到付可以吗, 电话给我一个) on a verified order
    whose return is approved and waits for the shopper's parcel is about that parcel, whatever
    FAQ entry its words matched (单号 is no invoice, 到付 no cash on delivery); False, nothing
    said, otherwise. An invoice or 价保 named in the words is theirs."""
    if not about_the_return_parcel(turn.text) or topic_named(turn.text) is not None:
        return False
    if (turn.tracker.active_loop or {}).get("name"):
        return False  # a form asking: its own answers first
    order = verified_order(turn.session, turn.tracker)
    waiting = approved_return(order) if order is not None else None
    if waiting is None:
        return False
    turn.say(waiting)
    return True


def answer_in_order_terms(turn: Turn, topic: str) -> bool:
    """Answer a policy question from the verified order's record (钱退哪里: its payment method;
    运费谁出: the problem described or the no-reason window; 开好了在哪看 while the invoice
    form asks: its invoice as recorded); False, nothing said, when the record adds nothing."""
    order = verified_order(turn.session, turn.tracker)
    if order is None:
        return False
    if topic == INVOICE_TOPIC and (turn.tracker.active_loop or {}).get("name") == "invoice_form":
        status = invoice_status(turn.session, order, turn.now)
        turn.say(status)
        return True
    terms = policy_in_order_terms(order, topic, turn.now, shopper_texts(turn.tracker))
    if terms is None:
        return False
    turn.say(terms)
    return True

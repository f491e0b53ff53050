"""Pre-sale questions answered from the catalogue: facts, stock, price and size advice.

The product in focus (slot `current_product`) is the one the shopper last named; 这个/它 mean
it. A message that only names another product (那充电宝呢) asks the last product question
(slot `product_question`: its intent and words) again about that one. What the shopper said
while a product is in focus counts for it until another one is: a colour or size (那黑色呢,
有大一码的吗), and for any product the height and weight or foot length given in this session
(那卫衣呢 我这个身高体重穿啥, 她脚有点宽) are not asked for again.
"""

import dataclasses
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from bot.actions.case_questions import answer_case_question
from bot.actions.clarify import clarify
from bot.actions.common import (
    FAQ_BESIDE_SCORE,
    Turn,
    TurnAction,
    as_if_said,
    conversation_product,
    entry_read,
    faq_answer,
    latest_text,
    look_up_for,
    named_products,
    recent_bot_texts,
    search_asked,
    shopper_texts,
    verified_order,
)
from bot.actions.order_requests import (
    CONFIRM_BUTTONS,
    ORDER_REQUEST_HANDLERS,
    OrderRequest,
    ask_order_for_problem,
    earlier_order_holding,
    serve_problem_on_verified_order,
)
from bot.actions.order_services import PRICE_PROTECTION, answer_chase_talk, answer_own_refund
from bot.actions.waiting_questions import repair_cost_asked
from conversations.acknowledgement import reports_a_problem
from conversations.needs import clauses
from conversations.order_messages import carries_order
from conversations.reading import asks_about_another_place, names_own_purchase
from core.clock import to_shop_time
from core.text import normalise
from shop import product_names
from shop.appointments import asks_arrival, read_appointment
from shop.case_questions import CaseQuestion, case_question
from shop.models import Order, Product
from shop.presale import (
    SELF,
    FactUnknown,
    FootOutsideChart,
    NoSizeChart,
    PersonMeasures,
    ProductFact,
    ProductNotFound,
    ShoeSizeAdvice,
    SizeAdvice,
    StockReport,
    advise_size,
    girth_size,
    measures_by_person,
    named_variant_terms,
    parse_foot_length_mm,
    parse_height_cm,
    parse_weight_kg,
    person_named,
    price_quote,
    same_person,
    sizes_named,
    stock_report,
    together_quote,
)
from shop.price_claims import claims_price_difference
from shop.problems import read_problem
from shop.product_questions import (
    PROMOTION,
    SIZE_QUESTION,
    STOCK_QUESTION,
    AskedAbout,
    PresaleTopic,
    ProductAnswer,
    ProductFacts,
    ProductInFocus,
    ProductOptions,
    chart_measure,
    facts_asked,
    is_bare_mention,
    names_only_a_variant,
    product_answer,
    product_options,
    relative_size,
)
from shop.promotions import asked_quantity, quantities_in
from shop.shipping import POSTAGE_ASKED, asks_postage, basket_shipping
from shop.tracking import FollowUpQuestion, order_progress, read_follow_up
from shop.waiting_requests import asks_repair_cost, still_waiting
from words.render import Button


def _names_a_product(tracker: Tracker) -> bool:
    """Whether the shopper's message names a product (one the catalogue may not have)."""
    return bool(named_products(tracker))


def answer_about(turn: Turn, product: Product, intent: str | None) -> list[EventType]:
    """Answer the shopper's `intent` question about `product`, which becomes the product in
    focus. A bare mention of it (那充电宝呢; `intent` None: the NLU did not say) asks the last
    product question again about it, or what they want to know."""
    question = [intent, turn.text] if intent else None
    if intent is None or is_bare_mention(product, turn.text):
        asked = turn.tracker.get_slot("product_question")
        question = list(asked) if asked and asked[0] in PRESALE_ACTIONS else None
    focus: list[EventType] = [SlotSet("current_product", product.code)]
    if question is None:
        turn.say(ProductInFocus(product.name))
        return focus
    said = PRESALE_ACTIONS[question[0]].answer(product, as_if_said(turn, question[1]))
    return [*focus, SlotSet("product_question", question), *said]


def product_follow_up(turn: Turn) -> list[EventType] | None:
    """A message the NLU did not take for a product question that is one (那雾霾蓝XXL呢 给我爸买
    read as data, 那个李宁卫衣呢 我这个身高体重穿啥 not understood): about the product it names
    or the one in focus, when the catalogue answers it or it asks stock, a size or the price.
    The answer's events, or None when it is not about a product."""
    current = turn.tracker.get_slot("current_product")
    named = product_names.find_product(turn.session, turn.text, current)
    if named is not None and is_bare_mention(named, turn.text):
        return answer_about(turn, named, None)
    product = named or product_names.product_by_code(turn.session, current)
    if product is None or isinstance(product_answer(product, turn.text), FactUnknown):
        return None
    return answer_about(turn, product, "ask_product_info")


def _arrival_of_the_order(turn: Turn) -> list[EventType] | None:
    """Whether the parcel of the verified order arrives by a day, asked with no product named
    (周六喝喜酒要穿的 来得及吗, read as a size question): answered from its tracking; None
    otherwise."""
    order = verified_order(turn.session, turn.tracker)
    by_a_day = read_appointment(turn.text, turn.now).day is not None
    if order is None or not (by_a_day and asks_arrival(turn.text)):
        return None  # 还要等多久, 这个保温多久: the case, the product
    if product_names.named_products(turn.session, turn.text):
        return None  # 这款跑鞋周六能到吗: the product's own delivery question
    request = OrderRequest(turn, order, "track_order", turn.text)
    return [SlotSet("pending_request", ORDER_REQUEST_HANDLERS["track_order"](request))]


class _ProductAction(TurnAction, ABC):
    """Finds the product, or asks which one; subclasses answer about it."""

    intent: ClassVar[str]  # the shopper's intent this action answers

    @abstractmethod
    def answer(self, product: Product, turn: Turn) -> list[EventType]:
        """Tell the shopper about `product`; the events: the colour and size the answer was
        about (大一码 worked out, a size advised), which later follow-ups mean."""

    def answer_several(self, products: list[Product], turn: Turn) -> list[EventType]:
        """A message naming two or more products (充电宝和65w充电头 哪个能给电脑充, 空气炸锅呢
        烧水壶呢): the question for each in turn, the last one named staying in focus."""
        events: list[EventType] = []
        for product in products:
            others = [p for p in products if p is not product]
            events += answer_about(
                as_if_said(turn, _without(turn.text, others)), product, self.intent
            )
        return events

    def act(self, turn: Turn) -> list[EventType]:
        # 有没有补偿 等了这么久, read as a stock question, about a verified order: its case's
        # coupon, else a person (imported here: in_context builds on this module)
        from bot.actions.in_context import answer_compensation_asked

        if turn.tracker.get_slot("verified_order_no") and answer_compensation_asked(turn):
            return []
        # 那寄西宁呢 after the apples' postage to 海口, read as a stock question: the postage there
        another = asks_about_another_place(turn.text)
        if another and (entry := entry_read(turn.session, turn.tracker, turn.text)) is not None:
            turn.out.utter_message(text=faq_answer(turn, entry))
            return []
        # 买的python那本书 中间有一沓印反了: a problem with the shopper's own goods, no product
        # question: met, and the order asked for
        own = names_own_purchase(turn.text)
        # told as having happened (苹果烂了3个, 裙子物流4天没动了), not asked before buying (这鞋
        # 开胶吗): the shopper's own goods, whether or not the words say they were bought
        told = own or reports_a_problem(turn.text)
        own_problem = told and read_problem(turn.text).kinds
        # 热水器3天前1099买的 现在秒杀999 差的100能补吗: a 价保 claim on a purchase, the order asked
        claim = claims_price_difference(turn.text)
        if (own_problem or claim) and ask_order_for_problem(turn, None):
            return []
        if claim and (carries_order(turn.text) or turn.tracker.get_slot("verified_order_no")):
            # 还有防晒 5920… 我买的228现在198 退30, read as a size: the 价保 on that order
            return look_up_for(PRICE_PROTECTION)
        # 我前天买的红米手机 什么时候发货: the shopper's own order's need, the order asked
        if own and ask_order_for_problem(turn, None, own_purchase=True):
            return []
        if (served := serve_problem_on_verified_order(turn)) is not None:
            return served  # 那缺页的书怎么换 中间十几页空白, the book's order verified
        if (arrival := _arrival_of_the_order(turn)) is not None:
            return arrival  # 周六喝喜酒要穿的 来得及吗 about the dress's verified order
        if (parcel := _parcel_of_goods_ordered(turn)) is not None:
            return parcel  # 那充电宝今天能动吗, the power bank's chase open in this talk
        several = [
            p
            for p in product_names.named_products(turn.session, turn.text)
            if not _served(p, turn.text)
        ]
        if len(several) >= 2:
            return self.answer_several(several, turn)
        product = conversation_product(turn.session, turn.tracker)
        if product is None and _names_a_product(turn.tracker):
            turn.say(ProductNotFound(), buttons=[Button.HUMAN])
            return []
        if _about_the_open_case(turn, product, self.intent):
            return []
        if product is None:
            return _without_a_product(turn, self.intent)
        if (waits := _about_what_waits(turn, product)) is not None:
            return waits  # 能直接给我寄个新的吗 while its 换新 waits: the offer, not "not listed"
        return answer_about(turn, product, self.intent)


def _about_what_waits(turn: Turn, product: Product) -> list[EventType] | None:
    """A message the page has no answer to while a request said back waits for its yes (能直接
    给我寄个新的吗 while the charger's 换新 waits): answered from the request, or the request
    said again in one line; None when nothing waits or the page answers it."""
    from bot.actions.order_lookup import answered_while_waiting  # it imports this module

    pending = turn.tracker.get_slot("pending_request")
    order = verified_order(turn.session, turn.tracker) if pending else None
    if order is None or not isinstance(product_answer(product, turn.text), FactUnknown):
        return None
    if (waits := answered_while_waiting(turn)) is not None:
        return waits
    turn.say(still_waiting(order.order_no, str(pending)), buttons=CONFIRM_BUTTONS)
    return []


# Words before a product named as what another one serves (能给笔记本充电吗, 帮手机充): the
# device, not a product asked about.
SERVED_BY = re.compile(r"(?:给|帮|替|为)(?:我的|我|家里的?)?$")


def _served(product: Product, text: str) -> bool:
    """Whether every mention of `product` in `text` follows 给/帮 (哪个能给轻薄本充电)."""
    clean = product_names.compact(text)
    names = [product_names.compact(n) for n in (product.name, *product.keywords)]
    starts = [
        m.start()
        for name in names
        if len(name) >= product_names.MIN_NAME
        for m in re.finditer(re.escape(name), clean)
    ]
    return bool(starts) and all(SERVED_BY.search(clean[:start]) for start in starts)


def _without(text: str, others: list[Product]) -> str:
    """The message without the names of `others` (what is left asks about the one product)."""
    rest = product_names.compact(text)
    names = [
        product_names.compact(name)
        for other in others
        for name in (other.name, *other.keywords, *other.brand.split())
    ]
    for name in sorted(names, key=len, reverse=True):
        if len(name) >= product_names.MIN_NAME:
            rest = rest.replace(name, " ")
    return JOINING.sub(" ", rest)


# The words joining the products a message names (空气炸锅和烧水壶呢), left over once the others'
# names are taken out.
_JOIN = "和|跟|与|以及|还有|或者|还是"
JOINING = re.compile(rf"(?:{_JOIN})(?=\s)|(?<=\s)(?:{_JOIN})")


def _without_a_product(turn: Turn, intent: str) -> list[EventType]:
    """A product question with no product named or in focus. On a verified order it is about
    the order's item (那黑色呢, 现在还是这个价吗, 装的时候师傅收钱吗) when the catalogue answers
    it or it asks stock, a size or the price; otherwise it was not a product question: the
    chase, the tracking just shown (那要多久) or the FAQ read in the conversation answer it, or
    the bot asks back (补多少 about a compensation). Only with no order either does the bot ask
    which product."""
    order = verified_order(turn.session, turn.tracker)
    if order is None:
        turn.utter("utter_ask_which_product")
        return []
    if answer_chase_talk(turn):
        return []
    if _tracking_just_shown(turn, order) and read_follow_up(turn.text) != FollowUpQuestion.SAME:
        turn.say(order_progress(order, turn.now))  # shown a moment ago: Turn.say answers the
        return []  # question asked on it instead
    products = {item.variant.product.code: item.variant.product for item in order.items}
    if len(products) > 1:  # which of the order's items: the one it names a colour or size of
        products = {
            code: product
            for code, product in products.items()
            if any(named_variant_terms(product, turn.text))
        }
    item = next(iter(products.values())) if len(products) == 1 else None
    if item is not None and _asks_about_item(item, intent, turn.text):
        return answer_about(turn, item, intent)
    if answer_own_refund(turn):  # 要是一周了还没有呢 after the refund's date: that refund
        return []
    return clarify(turn)


# Words that ask an item's stock, price or size: without them (and no colour or size of it
# named) a message the NLU took for such a question is about something else on the order
# (要是一周了还没有呢 after its refund: the money, not the goods' stock).
ITEM_TOPIC_WORDS = {
    "ask_stock": re.compile(r"货|库存|还有(?:吗|没|么)|有没有|卖完|售罄|断码|补(?:货|吗)|缺"),
    "ask_price_promotion": re.compile(
        r"钱|价|元|块|贵|便宜|优惠|活动|券|折|减|满|包邮|到手|划算|秒杀"
    ),
    "ask_size_advice": re.compile(r"码|尺|大小|身高|体重|斤|穿|脚|宽|窄|紧|松|合适"),
}


def _asks_a_deal_not_a_size(text: str) -> bool:
    """Whether words read as a size question ask a deal's terms (买两件减60 要同一款吗, 我是问
    优惠 两件要同尺码吗) and give no body measure of their own."""
    clean = normalise(text)
    if not ITEM_TOPIC_WORDS["ask_price_promotion"].search(clean):
        return False
    if not ITEM_TOPIC_WORDS["ask_size_advice"].search(clean):
        return True
    measures = (parse_height_cm(text), parse_weight_kg(text), parse_foot_length_mm(text))
    return all(measure is None for measure in measures)


def _asks_about_item(item: Product, intent: str, text: str) -> bool:
    """Whether a product question on a verified order's only item is about the item: the
    catalogue answers it (or it names one of its colours or sizes), or its words ask that
    question's topic (那个多少钱, 还有货吗)."""
    if _catalogue_answers(item, text) or any(named_variant_terms(item, text)):
        return True
    words = ITEM_TOPIC_WORDS.get(intent)
    return words is not None and bool(words.search(normalise(text)))


def _tracking_just_shown(turn: Turn, order: Order) -> bool:
    """Whether the bot showed the order's parcel in its last turns (its tracking number)."""
    shipment = order.latest_shipment
    said = recent_bot_texts(turn.tracker)
    return shipment is not None and any(shipment.tracking_no in text for text in said)


# Words that ask about the parcel, not the goods (能动吗, 到哪了, 发了吗, 今天能到吗).
PARCEL_ASKED = re.compile(
    r"能动|动了|到哪|到了吗|到没|发了吗|发货了|物流|快递|派送|今天能到|明天能到"
)


def _parcel_of_goods_ordered(turn: Turn) -> list[EventType] | None:
    """A question about the parcel of goods an order verified in this talk holds (那充电宝今天能
    动吗 after its chase, read as a product question): answered from that order's case, else
    its progress, and that order in focus; None when the words ask no parcel question or name
    no such goods."""
    if not PARCEL_ASKED.search(normalise(turn.text)):
        return None
    order = earlier_order_holding(turn, turn.text, besides="")
    if order is None:
        return None
    if not answer_case_question(turn, turn.text, order.order_no):
        turn.say(order_progress(order, turn.now))
    return [SlotSet("verified_order_no", order.order_no), SlotSet("order_id", order.order_no)]


def _about_the_open_case(turn: Turn, product: Product | None, intent: str) -> bool:
    """A question about the case open here that the NLU took for a product question
    (还要等多久啊) is answered from the case, unless it is about a product: one it names, or
    the one in focus when the catalogue answers it (这个保温多久) or it asks stock or price.
    The case's own coupon asked about (优惠券两单都有吗, read as a price question) is the case's."""
    if case_question(turn.text) == CaseQuestion.COUPON and answer_case_question(turn):
        return True
    if product is not None and (
        intent != "ask_product_info"
        or product_names.find_product(turn.session, turn.text) is not None
        or _catalogue_answers(product, turn.text)
    ):
        return False
    return answer_case_question(turn)


def _catalogue_answers(product: Product, text: str) -> bool:
    """Whether the product's page answers the message, or it names one of its variants (那黑色
    呢): 什么时候到货 inside a case is the parcel's question, not the product's stock."""
    answer = product_answer(product, text)
    if isinstance(answer, AskedAbout):
        return names_only_a_variant(product, text)
    return not isinstance(answer, FactUnknown)


# The action answering a follow-up that asks another topic than the product's facts.
TOPIC_INTENTS = {
    PresaleTopic.STOCK: "ask_stock",
    PresaleTopic.SIZE: "ask_size_advice",
    PresaleTopic.PRICE: "ask_price_promotion",
}


class ActionAnswerProductInfo(_ProductAction):
    intent = "ask_product_info"

    def name(self) -> str:
        return "action_answer_product_info"

    def answer(self, product: Product, turn: Turn) -> list[EventType]:
        fact = product_answer(product, turn.text)
        if isinstance(fact, AskedAbout):  # 那黑色呢, 我这个身高体重穿啥, 买两件呢
            return PRESALE_ACTIONS[TOPIC_INTENTS[fact.topic]].answer(product, turn)
        if isinstance(fact, ProductOptions) and fact.not_offered:  # 有160码的吗: it has not
            turn.say(fact)
            return []
        if isinstance(fact, ProductOptions):  # 有几种颜色: each one with its stock (售罄 said)
            return PRESALE_ACTIONS["ask_stock"].answer(product, turn)
        left, policies = policy_questions_answered(turn, fact)
        unlisted = isinstance(left, FactUnknown) or (
            isinstance(left, ProductFacts | ProductFact) and bool(left.unlisted)
        )
        if left is not None:
            turn.say(left, buttons=[Button.HUMAN] if unlisted else [])
        for policy in policies:  # 公司采购能开增值税专用发票吗: the shop's rule, not the page's
            turn.out.utter_message(text=policy)
        return named_variant_stock(turn, product)


def policy_questions_answered(
    turn: Turn, fact: ProductAnswer
) -> tuple[ProductAnswer | None, list[str]]:
    """Of the questions the product's page leaves (`unlisted`, or the whole message when it
    answers none), those the knowledge base is sure of, answered from it (公司采购能开专票吗 beside
    the laptop: the invoice rules, never "not on the page"); the fact without them (None when
    nothing is left of it) and the answers."""
    bar = 0.0  # a question left beside the page's answer: the knowledge base's, when answered
    if isinstance(fact, FactUnknown):  # 小新Pro14 32G那款，公司采购能开增值税专用发票吗: by clause
        asked: tuple[str, ...] = (turn.text, *(c.text for c in clauses(turn.text)))
        bar = FAQ_BESIDE_SCORE  # a product question the page misses: only a sure policy answer
    elif isinstance(fact, ProductFacts | ProductFact):
        asked = fact.unlisted
    else:
        return fact, []
    answers: list[str] = []
    left: list[str] = []
    for question in asked:
        result = search_asked(turn, question)
        sure = result.answered and result.hits[0].score >= bar
        answer = faq_answer(turn, result.hits[0].entry) if sure else None
        if answer is None:  # surer than "not on the page" and a person when it is answered
            left.append(question)
        elif answer not in answers:
            answers.append(answer)
    if not answers:
        return fact, []
    if isinstance(fact, FactUnknown):
        return None, answers
    return dataclasses.replace(fact, unlisted=tuple(left)), answers


def named_variant_stock(turn: Turn, product: Product) -> list[EventType]:
    """The stock of the product's variant the message names beside another question (儿童款有吗
    里面有芒果不, 再要一支蜜桃珊瑚 两支多少钱): said, so a sold-out one is never passed over."""
    color, size = named_variant_terms(product, turn.text)
    if color is None and (size is None or all(size in (v.size, v.spec) for v in product.variants)):
        return []  # nothing named, or a size every variant has (65W of a 65W charger)
    report = stock_report(product, color, size, to_shop_time(turn.now).date())
    if not isinstance(report, StockReport):
        return []
    turn.say(report, buttons=[Button.HUMAN] if report.sold_out_undated else [])
    said = (SlotSet(name, value) for name, value in (("color", color), ("size", size)))
    return [event for event in said if event["value"]]


# A body measure given (175 140斤, 脚长232, 腰围81, 一米二八): a size can be worked out from it.
MEASURES = re.compile(
    r"身高|体重|脚长|腰围|胸围|领围|\d{2,3}(?:\.\d)?\s*(?:cm|厘米|公分|斤|公斤|kg|mm|毫米)|"
    r"一米[一二三四五六七八九]|\d{3}\s+\d{2,3}"
)


class ActionAnswerStock(_ProductAction):
    intent = "ask_stock"

    def name(self) -> str:
        return "action_answer_stock"

    def answer(self, product: Product, turn: Turn) -> list[EventType]:
        text = normalise(turn.text)
        measured = SIZE_QUESTION.search(text) and MEASURES.search(text)
        if product.size_chart is not None and measured:
            # 脚长232选几码 白粉色还有没: the size first, then that size's stock
            return PRESALE_ACTIONS["ask_size_advice"].answer(product, turn)
        quantity_only = asked_quantity(text) and not STOCK_QUESTION.search(text)
        if quantity_only and _last_question(turn, product) == "ask_price_promotion":
            # 4箱呢 after 买3箱多少钱: the price of that many, not the stock
            return PRESALE_ACTIONS["ask_price_promotion"].answer(product, turn)
        # the product's own colours and sizes named in this message first (大一码: one up from
        # the size in focus), then those said while it has been in focus
        color, size = named_variant_terms(product, turn.text)
        said_color, said_size = variant_in_focus(turn.tracker, product)
        size = size or relative_size(product, turn.text, size_in_focus(turn, product))
        color, size = color or said_color, size or said_size
        if size is None and _last_question(turn, product) == "ask_size_advice":
            size = size_in_focus(turn, product)  # 有货吗, right after the size advice
        options = product_options(product, turn.text)
        if options is not None:  # 有几种颜色 白色还有吗: every colour, and its stock
            turn.say(options)
            color = None if options.kind != "size" else color
            size = None if options.kind == "size" else size
        named = sizes_named(product, turn.text)  # 37和38都有吧: each one
        more = tuple(s for s in named if s != size) if size in named else ()
        report = stock_report(product, color, size, to_shop_time(turn.now).date(), more)
        undated = isinstance(report, StockReport) and report.sold_out_undated
        turn.say(report, buttons=[Button.HUMAN] if undated else [])
        # 两个一起买包邮吗 冰川蓝的充电宝有吗: the basket's postage too
        if several := basket_of_the_postage(turn):
            PRESALE_ACTIONS["ask_price_promotion"].answer_several(several, turn)
        if not isinstance(report, StockReport):
            return []
        said = (SlotSet(name, value) for name, value in (("color", color), ("size", size)))
        return [event for event in said if event["value"]]


# A price asked for everything talked about (两双一起买多少钱), not for more of the last one;
# a product added to those (再加一本活着 满减完多少钱): the basket keeps the earlier ones.
TOGETHER = re.compile(r"一起|加起来|一共|总共|都买|都要|两个都|两样|这俩|两个一起")
ADDED = re.compile(r"再加|加上|再买|再来|再拿|再要|还要买|另外加|外加|顺便买|凑单")
DISCUSSED = 2  # the products talked about last that "一起" means


def products_discussed(turn: Turn) -> list[Product]:
    """The last products the conversation was about (the `current_product` each answer set in
    this session), oldest first; one, or none, when it was about fewer."""
    codes: list[str] = []
    for event in reversed(turn.tracker.events):
        if event.get("event") == "session_started":
            break
        code = event.get("value") if event.get("name") == "current_product" else None
        if event.get("event") == "slot" and code and code not in codes:
            codes.append(code)
    products = [product_names.product_by_code(turn.session, c) for c in codes[:DISCUSSED]]
    return [p for p in reversed(products) if p is not None]


def basket(turn: Turn, named: list[Product]) -> list[Product]:
    """The products a price question is about together: those it names; with 再加 the earlier
    ones too; with 一起 those talked about last (两双一起买: one of each of the two shoes; of one
    product only, the caller prices the quantity of it), as a price follow-up on such a basket
    (不是满100减50吗) does."""
    text = normalise(turn.text)
    together = bool(TOGETHER.search(text))
    if named and (ADDED.search(text) or (together and len(named) == 1)):
        return [*(p for p in products_discussed(turn) if p not in named), *named]
    discussed = products_discussed(turn)
    if named and len(quantities_in(text)) > len(named) and set(named) < set(discussed):
        return discussed  # 米两袋 牛奶两箱 after the rice and the milk: both, each its own
    if named:
        return named
    asked = turn.tracker.get_slot("product_question")
    before = normalise(str(asked[1])) if asked and asked[0] == "ask_price_promotion" else ""
    priced_together = bool(TOGETHER.search(before) or ADDED.search(before))
    if together or (priced_together and asked_quantity(text) is None):
        return products_discussed(turn)
    return []


# Products weighed against each other, not bought together (烟台苹果和赣南脐橙哪个甜).
COMPARED = re.compile(r"哪个|哪款|哪一个|还是|比较|对比|区别|差别")
# A price asked in so many words (a policy question may ask it too: 两件一共多少钱 包邮不).
PRICE_ASKED = re.compile(
    r"多少钱|几块|多少块|价格|价钱|(?:一共|总共|加起来|算下来)(?:要|得)?多少|"
    r"买[一二两三四五六七八九十几\d]+[件袋箱盒支本个斤瓶双套提包](?:要|得)?多少(?![天时日])"
)


# A promotion asked about (有什么优惠, 满299减40能用吗, 能打折吗): the product's own, when one
# is in focus or named.
PROMOTION_ASKED = re.compile(
    r"有(?:什么|啥|没有|哪些)(?:优惠|活动|折扣)|(?:优惠|活动|折扣)(?:吗|么|嘛)|能打折|打几折|优惠多少"
    r"|满\d+减\d+(?:能|可以)用"
)


# The postage asked (包邮吗, 运费多少).


def basket_of_the_postage(turn: Turn) -> list[Product]:
    """The products whose postage the message asks together (三体和活着各一本 满减以后还包邮吗;
    米两袋 牛奶两箱 寄内蒙古运费多少 after the rice and the milk): two or more, else none."""
    if not postage_asked(turn):
        return []
    several = basket(turn, product_names.named_products(turn.session, turn.text))
    return several if len(several) >= 2 else []


def postage_asked(turn: Turn) -> bool:
    """Whether the message asks the postage, in its words or as one more product added to the
    shopper's postage question just before (再加本活着呢 after 三体单买包邮吗)."""
    if asks_postage(turn.text):
        return True
    before = shopper_texts(turn.tracker)[:-1]
    return bool(ADDED.search(normalise(turn.text)) and before and asks_postage(before[-1]))


def page_answers(turn: Turn) -> list[EventType] | None:
    """A message the NLU took for a policy question that the page of the product in focus (or
    named) answers whole (内存以后能加吗 about the laptop: 板载，不可扩展), with no order verified:
    that answer (its events); None, nothing said, otherwise."""
    if verified_order(turn.session, turn.tracker) is not None:
        return None
    if (product := _named_or_in_focus(turn)) is None:
        return None
    fact = product_answer(product, turn.text)
    if not isinstance(fact, ProductFact | ProductFacts) or fact.unlisted:
        return None
    labels = [fact.attribute] if isinstance(fact, ProductFact) else [f[0] for f in fact.facts]
    if PROMOTION in labels:  # 可以分期付款吗: the price's own answer, with its instalments
        return None
    return answer_about(turn, product, "ask_product_info")


def price_asked_too(turn: Turn) -> list[EventType] | None:
    """A message the NLU took for a policy question that also asks the price of some of the
    product in focus or named (黑色L白色S两件一共多少钱 包邮不, 寄郑州 买两箱多少钱), or the
    postage of several products it names (三体和活着各一本 满减以后还包邮吗): the price is
    answered (its events); None, nothing said, when it asks none."""
    text = normalise(turn.text)
    # 有什么优惠 满299减40能用吗: the product's own (满100减50以后还包邮吗: the basket's postage;
    # 现在打折了 能保价吗 on an order: the order's claim, not a price quote)
    promotion = PROMOTION_ASKED.search(text) and not POSTAGE_ASKED.search(text)
    promotion = promotion and not turn.tracker.get_slot("verified_order_no")
    promotion = promotion and not claims_price_difference(text)
    if not (PRICE_ASKED.search(text) or promotion):
        several = basket_of_the_postage(turn)
        return ActionAnswerPrice().answer_several(several, turn) if several else None
    several = product_names.named_products(turn.session, turn.text)
    bought = names_own_purchase(turn.text) or COMPARED.search(text)  # 我买了三体, 哪个甜
    if len(several) >= 2 and not bought:  # 三体跟活着一起拍多少钱 包邮吗: together, and postage
        return ActionAnswerPrice().answer_several(several, turn)
    current = turn.tracker.get_slot("current_product")
    named = product_names.find_product(turn.session, turn.text, current)
    product = named or product_names.product_by_code(turn.session, current)
    for earlier in reversed(shopper_texts(turn.tracker)[:-1]):
        if product is not None:
            break
        product = product_names.find_product(turn.session, earlier)  # 橙子寄喀什能发吗, then
    if product is None:  # 寄郑州 买两箱多少钱: the oranges, named before but never answered
        return None
    together = asked_quantity(text) or TOGETHER.search(text) or ADDED.search(text)
    if named is None and not (together or promotion):
        return None  # 运费多少钱 with a product in focus: the policy's question
    if named is None and verified_order(turn.session, turn.tracker) is not None:
        return None  # 两件退回去运费多少钱: about the order's goods, the policy's question
    return answer_about(turn, product, "ask_price_promotion")


@dataclass(frozen=True)
class StockAskedToo:
    """The stock of `product` asked in a clause of a message; `rest`: its other clauses."""

    product: Product
    rest: str


def stock_asked_too(turn: Turn) -> StockAskedToo | None:
    """A message the NLU took for a policy question one of whose clauses asks the stock of the
    product in focus or named (哦 券后的不算啊。。那我再买一本给我侄女 现在有货吗, 保温杯薄荷绿
    还有吗 保温能保多久); None when none asks the stock."""
    parts = [part.text for part in clauses(turn.text)]
    asking = [part for part in parts if STOCK_QUESTION.search(part)]
    if len(parts) < 2 or not asking:
        return None
    if (product := _named_or_in_focus(turn)) is None:
        return None
    return StockAskedToo(product, " ".join(part for part in parts if part != asking[0]))


def _named_or_in_focus(turn: Turn) -> Product | None:
    """The product the message names, else the one in focus."""
    current = turn.tracker.get_slot("current_product")
    named = product_names.find_product(turn.session, turn.text, current)
    return named or product_names.product_by_code(turn.session, current)


class ActionAnswerPrice(_ProductAction):
    intent = "ask_price_promotion"

    def name(self) -> str:
        return "action_answer_price"

    def answer_several(self, products: list[Product], turn: Turn) -> list[EventType]:
        return self._together(basket(turn, products), turn)

    def answer(self, product: Product, turn: Turn) -> list[EventType]:
        if repair_cost_on_order(turn):  # 修的话多少钱: the repair's cost, never the price
            return []
        if (measured := chart_measure(product, turn.text)) is not None:  # 31腰围多少
            turn.say(measured)
            return []
        together = basket(turn, product_names.named_products(turn.session, turn.text))
        if len(together) >= 2:
            return self._together(together, turn)
        turn.say(price_quote(product, turn.now, turn.text))
        if (girth := girth_size(product, turn.text)) is not None:  # 腰围81穿几码 卡其色有吗 多少钱
            turn.say(girth)
            if STOCK_QUESTION.search(turn.text):
                _stock_of_the_size(turn, product, girth.size)
            return [SlotSet("size", girth.size)]
        return named_variant_stock(turn, product)

    @staticmethod
    def _together(products: list[Product], turn: Turn) -> list[EventType]:
        """三体跟活着一起买多少钱: their total under the promotions they share, then what else the
        message asks of each (保修多久); each becomes a product discussed, the last in focus."""
        quote = together_quote(products, turn.now, turn.text)
        turn.say(quote)
        if postage_asked(turn):  # 满减以后还包邮吗, 再加本活着呢: the postage on what is paid
            words = _without(turn.text, products)  # 烟台苹果 names no destination
            turn.say(basket_shipping(quote.total, words, shopper_texts(turn.tracker)[:-1]))
        for product in products:
            for fact in facts_asked(product, turn.text):
                turn.say(fact)
        question = ["ask_price_promotion", turn.text]
        return [
            *(SlotSet("current_product", p.code) for p in products),
            SlotSet("product_question", question),
        ]


def repair_cost_on_order(turn: Turn) -> bool:
    """What a repair of the verified order's item costs (修的话多少钱), asked in words the NLU
    took for a price question: free under warranty, else a quote after the check (True:
    said). False, nothing said, with no order or no repair in the words."""
    order = verified_order(turn.session, turn.tracker)
    if order is None or not asks_repair_cost(turn.text, named=True):
        return False
    turn.say(repair_cost_asked(turn, order), buttons=[Button.HUMAN])
    return True


def _stock_of_the_size(turn: Turn, product: Product, size: str) -> None:
    """The stock of `size` (just advised or worked out) in the colour the message names, else
    in each colour (黑底的有货不 beside 160 100斤穿什么码: the M of the black print)."""
    color, _ = named_variant_terms(product, turn.text)
    color = color or variant_in_focus(turn.tracker, product)[0]
    report = stock_report(product, color, size, to_shop_time(turn.now).date())
    if isinstance(report, StockReport):
        turn.say(report, buttons=[Button.HUMAN] if report.sold_out_undated else [])


class ActionAdviseSize(_ProductAction):
    intent = "ask_size_advice"

    def name(self) -> str:
        return "action_advise_size"

    def answer(self, product: Product, turn: Turn) -> list[EventType]:
        if product.size_chart is None and isinstance(
            product_answer(product, turn.text), ProductFact | ProductFacts
        ):  # 门槛2.5公分过得去吗: a spec of the product, not a size
            return PRESALE_ACTIONS["ask_product_info"].answer(product, turn)
        if _asks_a_deal_not_a_size(turn.text):  # 买两件减60 要同一款吗: the deal's terms
            return PRESALE_ACTIONS["ask_price_promotion"].answer(product, turn)
        if _names_a_colour_only(product, turn.text):  # 要棕色的 after the size: in that size
            return PRESALE_ACTIONS["ask_stock"].answer(product, turn)
        people = measures_by_person(turn.text)
        if people and product.size_chart is not None and product.size_chart.kind == "apparel":
            return self._for_each(product, people, turn)
        # 33码腰围多少 (the chart's measure), 我腰围82 换33对吧 (the size for it): each said
        girth = girth_size(product, turn.text)
        by_chart = [chart_measure(product, turn.text), girth]
        if any(by_chart):
            for fact in filter(None, by_chart):
                turn.say(fact)
            return [SlotSet("size", girth.size)] if girth is not None else []  # 要黑色: in it
        height, weight = body_measures(turn.tracker)
        advice = advise_size(product, height, weight, foot_length_mm(turn.tracker), turn.text)
        if advice is None:
            turn.utter("utter_ask_height_weight")
            return []
        unsure = isinstance(advice, ShoeSizeAdvice) and advice.foot_shape and not advice.shape_note
        human = isinstance(advice, NoSizeChart | FootOutsideChart) or unsure
        turn.say(advice, buttons=[Button.HUMAN] if human else [])
        if isinstance(advice, ShoeSizeAdvice) and advice.asked_size:  # 要买38吗: its stock too
            color, _ = variant_in_focus(turn.tracker, product)
            report = stock_report(product, color, advice.asked_size, to_shop_time(turn.now).date())
            turn.say(report)
        elif isinstance(advice, SizeAdvice | ShoeSizeAdvice) and STOCK_QUESTION.search(turn.text):
            _stock_of_the_size(turn, product, advice.size)  # 穿啥码 有货没: in that size
        if isinstance(advice, ShoeSizeAdvice):
            return [SlotSet("size", advice.advised)]
        return [SlotSet("size", advice.size)] if isinstance(advice, SizeAdvice) else []

    @staticmethod
    def _for_each(product: Product, people: list[PersonMeasures], turn: Turn) -> list[EventType]:
        """我女生160 100斤 男朋友178 140斤 各穿什么码: a size for each person, in the order said
        (the size in focus stays the first one's)."""
        sizes = []
        for person in people:
            advice = advise_size(product, person.height_cm, person.weight_kg)
            if isinstance(advice, SizeAdvice):
                advice = dataclasses.replace(advice, who=person.who)
                sizes.append(advice.size)
            turn.say(advice)
        return [SlotSet("size", sizes[0])] if sizes else []


# A message that gives height or weight says so (身高, 斤, kg, cm…): "要买38吗" gives neither.
_MEASURES = re.compile(r"身高|体重|斤|kg|公斤|千克|cm|厘米|公分|[一1]米")


def _names_a_colour_only(product: Product, text: str) -> bool:
    """Whether the words name one of the product's colours and no measure or size (要棕色的,
    粉色的呢 after the size was advised): the colour wanted in that size, not new advice."""
    color, size = named_variant_terms(product, text)
    measured = re.search(r"\d", text) or _MEASURES.search(normalise(text))
    return color is not None and size is None and not measured and not FIT_ASKED.search(text)


# A size or fit asked beside a colour (黑色的我穿什么码, 棕色的偏大还是偏小): the size question.
FIT_ASKED = re.compile(r"码|偏大|偏小|大一|小一|合脚|多大|几号")


def body_measures(tracker: Tracker) -> tuple[float | None, float | None]:
    """The height and weight in the shopper's latest message, else the latest given earlier in
    this session (那卫衣呢 我这个身高体重穿啥: not asked for again), else the slots'."""
    height = weight = None
    latest = latest_text(tracker)
    for event in reversed(tracker.events):
        if event.get("event") == "session_started":
            break
        text = str(event.get("text") or "") if event.get("event") == "user" else ""
        if text and not same_person(latest, text):
            break  # 我老婆穿啥 after the shopper's own measures: never hers
        if text and _MEASURES.search(normalise(text)):
            height = height or parse_height_cm(text)
            weight = weight or parse_weight_kg(text)
        if height and weight:
            break
    slot = tracker.get_slot
    # the slots hold whoever's measures the NLU last read: not for someone else named now
    own = person_named(latest) in (None, SELF)
    return (
        parse_height_cm(latest) or height or (parse_height_cm(slot("height")) if own else None),
        parse_weight_kg(latest) or weight or (parse_weight_kg(slot("weight")) if own else None),
    )


def variant_in_focus(tracker: Tracker, product: Product) -> tuple[str | None, str | None]:
    """The colour and size of `product` said while it has been the product in focus: in the
    turns since the focus last moved to it (each turn's message, the colour/size slots the NLU
    or the answer set), latest first; never one said about another product."""
    turns: list[tuple[str | None, list[str]]] = []  # the product each turn was about, words
    focus: str | None = None
    for event in tracker.events:
        kind, name, value = event.get("event"), event.get("name"), event.get("value")
        if kind == "session_started":
            turns, focus = [], None
        elif kind == "user":
            turns.append((focus, [str(event.get("text") or "")]))
        elif kind == "slot" and name == "current_product":
            focus = value
            if turns:
                turns[-1] = (value, turns[-1][1])
        elif kind == "slot" and name in ("color", "size") and value and turns:
            turns[-1][1].append(str(value))
    color = size = None
    latest, *earlier = reversed(turns) if turns else [(None, [latest_text(tracker)])]
    words = list(reversed(latest[1]))
    for about, said in earlier:
        if about != product.code:
            break
        words += reversed(said)
    for text in words:
        said_color, said_size = named_variant_terms(product, text)
        color, size = color or said_color, size or said_size
    if focus is None and tracker.get_slot("current_product") == product.code:
        # no turn shows where the focus moved (a tracker without its history): the slots
        slot_color, _ = named_variant_terms(product, str(tracker.get_slot("color") or ""))
        _, slot_size = named_variant_terms(product, str(tracker.get_slot("size") or ""))
        color, size = color or slot_color, size or slot_size
    return color, size


def size_in_focus(turn: Turn, product: Product) -> str | None:
    """The size the conversation is on for `product`: the one said, else the one its chart
    gives for the measures the shopper gave (大一码 is one up from it)."""
    _, size = variant_in_focus(turn.tracker, product)
    if size is not None:
        return size
    height, weight = body_measures(turn.tracker)
    advice = advise_size(product, height, weight, foot_length_mm(turn.tracker))
    if isinstance(advice, ShoeSizeAdvice | SizeAdvice):
        return advice.size
    return None


def _last_question(turn: Turn, product: Product) -> str | None:
    """The intent of the last product question answered, while `product` is in focus."""
    asked = turn.tracker.get_slot("product_question")
    if not asked or turn.tracker.get_slot("current_product") != product.code:
        return None
    return str(asked[0])


def foot_length_mm(tracker: Tracker) -> float | None:
    """The foot length in the shopper's latest message, else the latest one they gave earlier
    in this session (脚长23.3, then 她脚有点宽 or 雪地靴要买38吗: not asked for again)."""
    latest = latest_text(tracker)
    for event in reversed(tracker.events):
        if event.get("event") == "session_started":
            break
        text = str(event.get("text") or "") if event.get("event") == "user" else ""
        if text and not same_person(latest, text):
            return parse_foot_length_mm(latest)  # the wife's shoes, not the husband's foot
        if text and (foot := parse_foot_length_mm(text)):
            return foot
    return parse_foot_length_mm(latest)


PRESALE_ACTIONS: dict[str, _ProductAction] = {
    action.intent: action
    for action in (
        ActionAnswerProductInfo(),
        ActionAnswerStock(),
        ActionAnswerPrice(),
        ActionAdviseSize(),
    )
}

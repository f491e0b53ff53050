"""Two needs in one message: the one the bot does not answer is offered, never dropped, and a word
inside the one question invents no second need (blind trial 4: T45, T57, T64, T69, T73).

The main question is the one the answer serves: when the FAQ's answer is known (the invoice, for
"能退差价吗 还有发票啥时候开"), every other need asked is offered, the first question's too. Parcel
problems and faults told beside another request are needs of their own (少发了一件, 有点毛病).
"""

import pytest

from conversations.needs import Need, need_of_topic, other_needs, questions_apart

# The shapes of trial 4's messages, in our own words (order numbers left out: they name no need).
PRICE_AND_INVOICE = "前两天买的烤箱 今天直播便宜了80 能退差价吗 还有发票啥时候开"
STALLED_AND_INVOICE_TYPO = "物留三四天不动了 还有这单帮我开个发漂 个人的"
MISSING_AND_INVOICE = "你好 少发了一件 还有这单要开公司的发票"
FAULT_AND_INVOICE = "上个月买的 现在有点毛病 保修要带发票吗"
LATE_REFUND = "尾号4108 退款怎么还没到"


def test_when_the_answer_serves_the_second_question_the_first_is_offered():
    assert other_needs(PRICE_AND_INVOICE, "faq", served=Need.INVOICE) == [Need.PRICE_PROTECTION]


def test_the_need_answered_is_never_offered_again_beside_its_own_answer():
    assert Need.INVOICE not in other_needs(PRICE_AND_INVOICE, "faq", served=Need.INVOICE)


def test_a_stalled_parcel_beside_a_mistyped_invoice_request_is_offered_after_the_invoice():
    assert other_needs(STALLED_AND_INVOICE_TYPO, "nlu_fallback", served=Need.INVOICE) == [
        Need.DELAY
    ]


def test_a_missing_item_told_beside_an_invoice_request_is_offered():
    assert other_needs(MISSING_AND_INVOICE, "faq") == [Need.MISSING_ITEM]


def test_a_fault_told_beside_an_invoice_question_is_offered_as_a_repair():
    assert other_needs(FAULT_AND_INVOICE, "faq") == [Need.REPAIR]


def test_a_question_about_a_late_refund_invents_no_late_parcel():
    assert other_needs(LATE_REFUND, "ask_refund_status") == []
    assert other_needs("钱怎么还没到 退款都三天了", "ask_refund_status") == []


@pytest.mark.parametrize(
    ("topic", "need"),
    [
        ("invoice", Need.INVOICE),
        ("price_protection", Need.PRICE_PROTECTION),
        ("refund_time", Need.REFUND),
        ("delivery_time", Need.TRACKING),
        ("warranty_repair", Need.REPAIR),
        ("shipping_fee", None),
        (None, None),
    ],
)
def test_a_faq_topic_serves_the_need_whose_flow_answers_it(topic, need):
    assert need_of_topic(topic) == need


# One need each: words of a parcel problem or a fault inside the one request, or the request's
# own flow handling the problem (a damaged item's case offers the exchange).
ONE_NEED = [
    ("收到就是坏的 我要换货", "report_damaged_item"),
    ("箱子压扁了 里面东西摔坏了 我要退款", "report_damaged_item"),
    ("发错颜色了 给我换成对的", "report_wrong_or_missing_item"),
    ("买了两件只到了一件 少发了", "report_wrong_or_missing_item"),
    ("发错货了 还少了一件", "report_wrong_or_missing_item"),
    ("用了一次就有毛病了 能换吗", "request_return_exchange"),
    ("收到就摔坏了 我要退货", "request_return_exchange"),
    ("开不了机了 保修期内吗", "request_repair"),
    ("有点毛病 怎么修", "request_repair"),
    ("地址发错了 帮我改一下", "modify_order"),
    ("我电话发错了 能改吗", "modify_order"),
    ("少发了一件 你们怎么搞的", "complain"),
    ("退款到账了没", "ask_refund_status"),
    ("退款怎么还没到账", "ask_refund_status"),
]


@pytest.mark.parametrize(("text", "intent"), ONE_NEED)
def test_a_problem_inside_the_one_request_is_not_offered_again(text, intent):
    assert other_needs(text, intent) == []


TWO_NEEDS = [
    ("快递到哪了 另外上一单少发了一件", "track_order", Need.MISSING_ITEM),
    ("发票开了吗 还有东西摔坏了", "faq", Need.DAMAGED),
    ("物流到哪了 还有上次那单发错货了", "track_order", Need.WRONG_ITEM),
    ("价保怎么申请 对了 我这个开不了机", "faq", Need.REPAIR),
    ("帮我改下地址 还有上一单只收到一件", "modify_order", Need.MISSING_ITEM),
]


@pytest.mark.parametrize(("text", "intent", "second"), TWO_NEEDS)
def test_a_parcel_problem_or_fault_beside_another_need_is_offered(text, intent, second):
    assert other_needs(text, intent) == [second]


def test_what_the_shopper_will_do_themselves_is_no_question_apart():
    assert questions_apart("等下 我问下我老公是不是他拿了") == set()
    assert questions_apart("几号能到呀。我那天要出差 包裹能在驿站放几天？") != set()


@pytest.mark.parametrize("text", ["就超了几天 你们系统就不能通融一下？", "才过了三天 凭什么不行？"])
def test_pushing_back_beside_an_answer_is_no_second_question_to_take_up(text):
    # trial 18 T581: "您刚才还提到了「你们系统就不能通融一下?」" with a button of those words
    from conversations.needs import further_questions

    assert questions_apart(text) == set()
    assert further_questions(text, "complain") == []


def test_a_fact_asked_to_be_confirmed_beside_another_need_is_kept():
    # trial 19 T619: the warranty asked as "还在保修里吧" beside an invoice was dropped
    text = "鼠标那单能补个发票吗 公司要 还有滚轮最近老乱跳 还在保修里吧"
    assert other_needs(text, "faq", served=Need.INVOICE) == [Need.REPAIR]

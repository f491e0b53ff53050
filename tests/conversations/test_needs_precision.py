"""A second need is offered only when the shopper asked for it in a clause of its own.

The blind re-trials offered "您刚才还提到了…" for words that named no need: 尺码表 beside
"加绒的厚不厚" (B-T37), 保修 beside "充电器要另外收钱不" (B-T39), 付款方式 beside a socket question
(B-T40), 价保 after a price question, 下单后多久发货 beside a threat to cancel (A-T06). A word
inside the main question is that question; a remark (那普票也行) asks for nothing.
"""

import pytest
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.common import read_other_needs
from bot.actions.faq import ActionAnswerFaq
from bot.actions.presale import ActionAnswerProductInfo
from conversations.needs import (
    Need,
    asked_needs,
    clauses,
    further_questions,
    needs_in,
    other_needs,
)
from tests.bot.conftest import make_tracker, user_event

# One need each, said the way shoppers type: words of other needs inside the one question, "还有"
# meaning "still in stock", "另外" meaning "extra", remarks that ask for nothing.
ONE_NEED = [
    ("这件羽绒服加厚的吗 零下能穿不", "ask_product_info"),
    ("耳机要另外买充电线不", "ask_product_info"),
    ("安装另外收费吗", "ask_product_info"),
    ("亲 这个热水器包安装吗 要另外付钱不", "ask_product_info"),
    ("红米手机充电器要另外买吗", "ask_product_info"),
    ("耳机能戴着游泳吗 防水等级多少", "ask_product_info"),
    ("这个保修吗 坏了咋办", "ask_product_info"),
    ("这个价还能保价不", "ask_price_promotion"),
    ("在吗？这个价能保价吗", "ask_price_promotion"),
    ("现在下单能保价吗 怕买了又降", "ask_price_promotion"),
    ("现在买是不是便宜了", "ask_price_promotion"),
    ("降价了吗 比上礼拜便宜了", "ask_price_promotion"),
    ("能便宜点吗 买两件", "ask_price_promotion"),
    ("白色还有吗 M码的", "ask_stock"),
    ("还有货吗 黑色XL", "ask_stock"),
    ("这款有几种颜色 蓝色还有没", "ask_stock"),
    ("退货都寄回去三天了 钱怎么还没到", "ask_refund_status"),
    ("退货早寄回去了 钱呢", "ask_refund_status"),
    ("快递到哪了 怎么这么慢", "track_order"),
    ("你好 在吗 我的快递到哪了", "track_order"),
    ("发货了没 急用", "track_order"),
    ("我的快递三天不动了 帮我催催", "report_delivery_delay"),
    ("发票怎么开 要公司抬头的", "faq"),
    ("这个价保多少天", "faq"),
    ("秒杀的也能价保吗", "faq"),
    ("买了第二天就降价了 能补差价不", "faq"),
    ("要是不合适能退货吗", "faq"),
    ("那坏的退钱吧 多久到账", "faq"),
    ("这单地址能改吗 写错了", "modify_order"),
    ("帮我取消订单 不想要了 钱退到哪", "cancel_order"),
    ("收到就是坏的 我要换货", "report_damaged_item"),
    ("发错颜色了 给我退款吧", "report_wrong_or_missing_item"),
    ("手机坏了 保修期内免费修吗", "request_repair"),
    ("尺码偏大还是偏小 我平时穿L", "ask_size_advice"),
    ("好的 那我先拍了", "affirm"),
    ("那普票也行 杭州某某科技有限公司", "affirm"),
    ("嗯 普票也可以", "affirm"),
    ("谢谢啊 辛苦了", "thank"),
    ("开普票 抬头个人就行", "inform"),
    ("今天能发吗 不然我就取消了", "complain"),
    # trials 19-22: 几天到 after the money is the money's arrival; 差100 能退吗 is the difference
    ("钱退到哪了 几天能到", "ask_refund_status"),
    ("上周899买的 现在799 差100能退吗", "ask_price_promotion"),
]

# Two needs each: the second asked in a clause of its own (or listed with the first).
TWO_NEEDS = [
    ("你好 在吗 发票怎么开 顺便看下物流", "faq", Need.TRACKING),
    ("快递到哪了 还有发票开了没", "track_order", Need.INVOICE),
    ("发票开了吗 物流也帮我查下", "faq", Need.TRACKING),
    ("地址写错了要改 另外发票抬头也要改一下", "modify_order", Need.INVOICE),
    ("退款到账了没 顺便问下发票怎么开", "ask_refund_status", Need.INVOICE),
    ("谢谢 那我的快递啥时候到", "thank", Need.TRACKING),
    ("好的 发票记得帮我开", "affirm", Need.INVOICE),
    ("这单帮我取消 还有个事 另一单到哪了", "cancel_order", Need.TRACKING),
    ("我要退货 还有之前那单的价保怎么申请", "request_return_exchange", Need.PRICE_PROTECTION),
    ("物流三天没更新了 发票也一直没给我开", "report_delivery_delay", Need.INVOICE),
    ("手机坏了要保修 对了另一单到哪了", "request_repair", Need.TRACKING),
    ("我买的降价了能补差价吗 顺便看看物流到哪了", "faq", Need.TRACKING),
    ("在吗 快递到哪了 另外帮我改下电话", "track_order", Need.CHANGE),
    ("发票开了没 退款也还没到账", "faq", Need.REFUND),
    ("到哪了啊 还有保修是几年", "track_order", Need.REPAIR),
    ("退款进度帮我查查 另外物流单号发我一下", "ask_refund_status", Need.TRACKING),
    ("我要换货 另外物流到哪了", "request_return_exchange", Need.TRACKING),
    ("发票和物流都帮我看下", "faq", Need.TRACKING),
    ("退款到了吗 快递几天到", "ask_refund_status", Need.TRACKING),  # the parcel named
    ("降价了能退差价吗 我还想退货", "faq", Need.RETURN),  # the goods sent back named
]


@pytest.mark.parametrize(("text", "intent"), ONE_NEED)
def test_a_message_with_one_need_offers_no_second_one(text, intent):
    assert other_needs(text, intent) == []
    assert further_questions(text, intent) == []


@pytest.mark.parametrize(("text", "intent", "second"), TWO_NEEDS)
def test_a_second_need_asked_in_its_own_clause_is_offered(text, intent, second):
    assert other_needs(text, intent) == [second]


def test_where_the_money_goes_after_a_price_protection_answer_is_no_second_need():
    """Trial 19, T620: 钱退哪 几天到 after the 价保 was granted got 退款进度 and 物流 offered."""
    assert other_needs("钱退哪 几天到", "faq", served=Need.PRICE_PROTECTION) == []


def test_a_refund_asked_beside_a_price_protection_claim_is_still_offered():
    """Trial 22, T752: the bracelet's refund asked with the sunscreen's 价保 is another need."""
    text = "手环取消了钱退哪了 还有防晒降价了给我补差价"
    assert other_needs(text, "faq", served=Need.PRICE_PROTECTION) == [Need.REFUND]


def test_a_refund_asked_with_the_cancel_is_the_cancels_money_not_a_refund_to_chase():
    """Trial 18, T593: 不要了 给我取消退款 was offered 退款进度 beside the cancel."""
    assert Need.REFUND not in needs_in("不要了 给我取消退款")
    assert needs_in("我的退款呢") == [Need.REFUND]


def test_the_tables_are_large_enough_to_mean_something():
    assert len(ONE_NEED) >= 30
    assert len(TWO_NEEDS) >= 15


def test_still_in_stock_and_extra_charge_do_not_start_a_further_question():
    assert [c.further for c in clauses("白色还有吗")] == [False]
    assert [c.further for c in clauses("安装要另外收钱不")] == [False]
    assert [c.text for c in clauses("发票开了吗还有物流到哪了")] == ["发票开了吗", "物流到哪了"]
    assert [c.further for c in clauses("发票开了吗还有物流到哪了")] == [False, True]


def test_a_remark_that_mentions_a_need_asks_for_nothing():
    assert asked_needs("那普票也行") == []
    assert asked_needs("退货都寄回去好几天了") == []
    assert asked_needs("发票开了吗") == [Need.INVOICE]
    assert asked_needs("发票") == [Need.INVOICE]
    assert asked_needs("快递还没到") == [Need.DELAY]


def test_a_policy_question_put_after_a_request_is_still_a_further_question():
    assert further_questions("我要改地址 顺便问下满多少包邮", "modify_order") == ["问下满多少包邮"]
    assert further_questions("好的 那运费怎么算", "affirm") == ["那运费怎么算"]


# The re-trials' turns, read as the bot reads them (FAQ search included).
TRIAL_TURNS = [
    ("加绒的厚不厚 冬天能单穿吗", "ask_product_info"),  # B-T37 turn 8: 尺码表
    ("充电器要另外收钱不", "ask_product_info"),  # B-T39 turn 2: 保修
    ("哦 热水器安装要另外收钱不", "ask_product_info"),  # B-T40 turn 4
    ("我家插座是普通的 能用吗", "ask_product_info"),  # B-T40 turn 6: 付款方式
    ("这个价能保价吗", "ask_price_promotion"),  # 价保 after a price answer
    ("今天能发吗 不然我就取消了", "complain"),  # A-T06: 下单后多久发货
    ("退货都寄回去好几天了 钱呢", "ask_refund_status"),  # B-T22 turn 2: 退换货
    ("那普票也行 西安某某商贸有限公司", "inform"),  # B-T29: 发票 during the invoice
    ("那普票也行 西安某某商贸有限公司", "affirm"),
    ("有几种颜色 白色还有吗", "ask_stock"),
]


@pytest.mark.parametrize(("text", "intent"), TRIAL_TURNS)
def test_the_trials_false_offers_are_gone(db, text, intent):
    tracker = make_tracker(text=text, intent=intent)
    needs, questions, _ = read_other_needs(db, tracker)
    assert (needs, [e.id for e in questions]) == ([], [])


async def test_a_greeting_an_invoice_question_and_the_parcel_still_get_both(db):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text="你好 在吗 发票怎么开 顺便看下物流", intent="faq")
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    answer, offer = dispatcher.messages
    assert "发票" in answer["text"]
    assert offer["buttons"] == [{"title": "查物流", "payload": "/track_order"}]


@pytest.mark.parametrize(("text", "intent"), TRIAL_TURNS[:3])
async def test_a_product_answer_is_not_followed_by_an_invented_offer(db, text, intent):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker({"current_product": "P5005"}, text=text, intent=intent)
    await ActionAnswerProductInfo().run(dispatcher, tracker, {})
    assert all("您刚才还提到了" not in (m.get("text") or "") for m in dispatcher.messages)


def test_a_policy_question_put_after_a_request_is_still_offered(db):
    earlier = [user_event("帮我改下地址", "modify_order")]
    tracker = make_tracker(text="好的 另外满多少包邮", intent="affirm", earlier=earlier)
    _, questions, _ = read_other_needs(db, tracker)
    assert [q.key for q in questions] == ["faq:shipping_fee"]

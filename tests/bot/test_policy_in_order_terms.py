"""A policy question on a verified order is answered in that order's terms (its payment method,
its dates, its approved return, the problem the shopper described), not with the FAQ's stock
text that fits every order; a follow-up on what was just said gets the part that answers it."""

import pytest
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.common import answering_part
from bot.actions.faq import ActionAnswerFaq
from core.clock import utcnow
from shop.aftersales import return_window
from shop.models import CaseKind
from tests.bot.conftest import case_opened, make_tracker, order_in, user_event
from words.render import day_text

# FAQ stock sentences that fit every order: never the answer once the order is known.
STOCK_REFUND = "支付宝、微信支付、花呗一般1-3个工作日到账，银行卡一般3-7个工作日到账"
STOCK_POSTAGE = "申请售后时可选上门取件免费寄回，也可以先自行垫付"


async def _ask(
    order_no: str,
    text: str,
    earlier: tuple[dict, ...] = (),
    active_loop: str | None = None,
    sender: str | None = None,
) -> str:
    """The FAQ action's words to `text` on the verified order, after the `earlier` events."""
    tracker = make_tracker({"verified_order_no": order_no}, text, "faq", active_loop)
    tracker.events = [*earlier, user_event(text, "faq")]
    if sender is not None:
        tracker.sender_id = sender
    dispatcher = CollectingDispatcher()
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    return "\n".join(m.get("text") or "" for m in dispatcher.messages)


def _said(text: str) -> dict:
    return {"event": "bot", "text": text}


@pytest.mark.parametrize(
    "question", ["钱退哪里", "退款退到哪 多久能到账", "钱退回哪 微信还是银行卡"]
)
async def test_a_shopper_who_asks_where_the_refund_goes_hears_the_orders_payment_method(
    db, question
):
    order = order_in(db, "returnable")
    text = await _ask(order.order_no, question)
    assert f"原路退回{order.payment_method}" in text
    assert order.order_no in text
    assert STOCK_REFUND not in text


async def test_a_shopper_who_asks_how_long_a_refund_takes_before_shipping_hears_it_starts_at_once(
    db,
):
    order = order_in(db, "awaiting_shipment")
    text = await _ask(order.order_no, "要是取消的话多久到账")
    assert "取消后马上发起退款" in text
    assert order.payment_method in text


@pytest.mark.parametrize("question", ["运费谁出", "退回去的邮费谁承担", "寄回去运费要我出吗"])
async def test_a_shopper_who_asks_who_pays_the_postage_hears_this_orders_return_window(
    db, question
):
    order = order_in(db, "returnable")
    text = await _ask(order.order_no, question)
    window = return_window(order, utcnow())
    assert window.deadline is not None
    assert f"截至 {day_text(window.deadline)}" in text
    assert "运费由我们出" in text  # a quality problem's or a wrong item's
    assert "寄回运费由您承担" in text  # a no-reason return's
    assert STOCK_POSTAGE not in text


@pytest.mark.parametrize("fault", ["前几天收到的 用了一次就充不进电了", "发错货了 颜色不对"])
async def test_a_shopper_who_described_a_fault_hears_the_shop_pays_the_postage(db, fault):
    order = order_in(db, "returnable")
    earlier = (user_event(fault, "report_problem"), user_event("能给我换个新的吗", "faq"))
    text = await _ask(order.order_no, "来回运费我可不出啊", earlier)
    assert "运费由我们承担" in text
    assert "寄回运费由您承担" not in text


async def test_a_fault_past_the_quality_window_is_never_promised_free_postage(db):
    order = order_in(db, "not_returnable")  # signed 25 days ago, the quality window is 15
    earlier = (user_event("穿了不到十次就开线了", "report_problem"),)
    text = await _ask(order.order_no, "来回运费我可不出", earlier)
    assert "已经过了" in text
    assert "运费由我们承担" not in text
    assert "随退款一起补给您" not in text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("寄出去以后单号填哪", "运单号"),
        ("我用顺丰寄行不行 到付可以吗", "不要寄到付"),
        ("要几天之内寄", "前把商品寄到"),
        ("电话也给我一个 快递单上要填", "电话 "),
    ],
)
async def test_a_follow_up_on_an_approved_return_is_about_sending_it_back(db, question, expected):
    order = order_in(db, "return_awaiting")
    text = await _ask(order.order_no, question)
    assert expected in text
    assert "货到付款" not in text  # 到付 is the return parcel's freight, not cash on delivery
    assert "分成多个包裹" not in text  # 单号 is the return's waybill, not a split parcel
    assert "发票" not in text


async def test_a_follow_up_on_the_approved_return_just_shown_gets_the_sentence_that_answers_it(
    db,
):
    order = order_in(db, "return_awaiting")
    first = await _ask(order.order_no, "寄到哪里")
    earlier = (user_event("寄到哪里", "faq"), _said(first))
    text = await _ask(order.order_no, "那单号填哪", earlier)
    assert "运单号" in text
    assert "和刚才说的一样" not in text
    assert "文一西路" not in text  # the address, said a moment ago, is not said again
    when = await _ask(order.order_no, "要几天之内寄出去", earlier)
    assert "前把商品寄到" in when
    assert "运单号" not in when


async def test_a_shopper_who_asks_who_pays_to_send_the_wrong_item_back_hears_the_case(db):
    conversation, order = case_opened(db, "wrong_item", CaseKind.WRONG_ITEM)
    text = await _ask(order.order_no, "要我先寄回去吗 运费谁出", sender=conversation)
    assert text
    assert STOCK_POSTAGE not in text
    assert "七天无理由" not in text


async def test_an_invoice_question_while_the_invoice_form_asks_is_answered_from_the_record(db):
    order = order_in(db, "returnable")
    text = await _ask(order.order_no, "开好了在哪看 是纸质的还是电子的", active_loop="invoice_form")
    assert order.order_no in text
    assert "所有订单都可以开发票" not in text


@pytest.mark.parametrize(
    ("question", "expected", "left_out"),
    [
        ("什么时候能开", "3个工作日内开具", "已经申请了"),
        ("那要多久", "3个工作日内开具", "已经申请了"),
        ("开好了在哪看", "发送到", "已经申请了"),
    ],
)
def test_a_follow_up_asking_one_thing_of_an_answer_gets_the_sentence_that_answers_it(
    question, expected, left_out
):
    said = (
        "订单 6559797114710497 的增值税专用发票（电子）已经申请了。"
        "发票在订单签收后3个工作日内开具，开好后会发送到 finance@example.com，"
        "也可以在订单详情里下载。"
    )
    part = answering_part(said, question)
    assert part is not None
    assert expected in part
    assert left_out not in part


@pytest.mark.parametrize("question", ["嗯", "通融一下不行吗", "39天怎么了"])
def test_a_follow_up_that_asks_nothing_new_gets_no_part(question):
    said = (
        "订单 5920418736625104 是 10月27日 付款的，价保期是付款后30天（截至 11月26日）。"
        "现在已经过了价保期，没办法补差价了。"
    )
    assert answering_part(said, question) is None


@pytest.mark.parametrize(
    "question", ["错的那个我放哪 有人上门拿吗", "发错的那件你们过来拿吗", "要我先寄回去吗 运费谁出"]
)
async def test_a_shopper_who_asks_what_becomes_of_the_wrong_item_hears_the_cases_return_trip(
    db, question
):
    conversation, order = case_opened(db, "wrong_item", CaseKind.WRONG_ITEM)
    text = await _ask(order.order_no, question, sender=conversation)
    assert "寄回" in text
    assert STOCK_POSTAGE not in text


async def test_a_fault_told_on_an_approved_no_reason_return_is_never_told_the_shopper_pays(db):
    # trial 21, T696 (harmful): 拉链是坏的啊 got a flat 寄回运费由您承担
    order = order_in(db, "return_awaiting")
    text = await _ask(order.order_no, "我自己叫快递？运费我出？拉链是坏的啊")
    assert "寄回运费由您承担" not in text
    assert "质量问题" in text
    assert "运费由我们出" in text

"""Two needs in one message: the bot answers one and offers the other, never the one it just
answered, and invents none (blind trial 4: T45, T57, T64, T69, T73).

What a FAQ message is answered with is known only by asking the FAQ (and, for the shopper's own
order, by its invoice or 价保 reading), so `read_other_needs` asks it the way the answering
action does: the question it does not answer is the one offered.
"""

import pytest
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.common import read_other_needs
from bot.actions.faq import ActionAnswerFaq
from bot.actions.order_lookup import ActionHandleOrderRequest
from conversations.needs import Need
from tests.bot.conftest import DOMAIN, demo_order, make_tracker, slots_set, user_event


def _offers(dispatcher: CollectingDispatcher) -> list[dict[str, str]]:
    return [
        b
        for m in dispatcher.messages
        if "您刚才还提到了" in (m.get("text") or "")
        for b in m.get("buttons") or []
    ]


async def test_a_price_drop_asked_before_an_invoice_question_waits_for_the_invoice_answer(db):
    """The FAQ action notes the invoice for the order lookup that follows: the 价保 waits for
    the invoice's answer, to be offered after it, never before (trial 17, T558; offered when
    the lookup has answered: tests/bot/test_other_needs.py)."""
    order_no, tail = demo_order("price_dropped")
    text = f"前两天买的 今天降价便宜了100 能退差价吗 还有发票啥时候开 {order_no} {tail}"
    dispatcher = CollectingDispatcher()
    events = await ActionAnswerFaq().run(dispatcher, make_tracker(text=text, intent="faq"), {})
    assert _offers(dispatcher) == []
    assert "您说的价保我也记下了" in dispatcher.messages[-1]["text"]
    assert slots_set(events)["order_need"] == "invoice"
    assert slots_set(events)["later_needs"] == ["price_protection"]


async def test_the_invoice_being_answered_is_never_offered_beside_its_own_answer(db):
    order_no, tail = demo_order("price_dropped")
    text = f"能退差价吗 还有发票啥时候开 {order_no} {tail}"
    dispatcher = CollectingDispatcher()
    await ActionAnswerFaq().run(dispatcher, make_tracker(text=text, intent="faq"), {})
    assert "查发票" not in [b["title"] for b in _offers(dispatcher)]


async def test_a_fault_told_beside_an_invoice_question_is_offered_as_a_repair(db):
    order_no, tail = demo_order("in_warranty")
    text = f"两个月前买的 现在有点毛病 保修要带发票吗 {order_no} 尾号{tail}"
    dispatcher = CollectingDispatcher()
    await ActionAnswerFaq().run(dispatcher, make_tracker(text=text, intent="faq"), {})
    assert [b["title"] for b in _offers(dispatcher)] == ["维修/保修"]


def test_a_missing_item_told_beside_an_invoice_request_waits_to_be_offered(db):
    order_no, tail = demo_order("wrong_item")
    text = f"你好 {order_no} 尾号{tail} 少发了一件 还有这单要开公司的发票"
    needs, _, events = read_other_needs(db, make_tracker(text=text, intent="faq"))
    assert needs == [Need.MISSING_ITEM]
    later = [e["value"] for e in events if e.get("name") == "later_needs"]
    assert later == [["missing_item"]]


async def test_the_missing_item_button_says_what_the_shopper_told(db):
    text = "发票怎么开 另外上一单少发了一件"
    dispatcher = CollectingDispatcher()
    await ActionAnswerFaq().run(dispatcher, make_tracker(text=text, intent="faq"), {})
    assert _offers(dispatcher) == [{"title": "少发漏发", "payload": "收到的东西少了一件"}]


def test_a_stalled_parcel_beside_a_mistyped_invoice_request_is_kept_for_after_the_invoice(db):
    order_no, tail = demo_order("stalled")
    text = f"{order_no} 尾号{tail} 物留好几天不动了 还有这单帮我开个发漂 个人的"
    needs, _, _ = read_other_needs(db, make_tracker(text=text, intent="nlu_fallback"))
    assert needs == [Need.DELAY]


def test_a_late_refund_with_a_corrected_tail_invents_no_parcel_to_chase(db):
    order_no, _ = demo_order("refund_in_progress")
    earlier = [user_event(f"{order_no} 尾号4108 退款怎么还没到", "ask_refund_status")]
    tracker = make_tracker(text="哦不对 是4180", intent="inform", earlier=earlier)
    needs, questions, _ = read_other_needs(db, tracker)
    assert (needs, questions) == ([], [])


# --- a question beside a request that no FAQ entry answers (trial 10: T273.1) ---------------


async def _return_said_back(text: str) -> CollectingDispatcher:
    order_no, tail = demo_order("returnable")
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        {"verified_order_no": order_no, "order_id": order_no, "phone_tail": tail},
        text=f"{order_no} 尾号{tail} {text}",
        intent="request_return_exchange",
    )
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    return dispatcher


@pytest.mark.parametrize(
    ("text", "asked"),
    [("这个我想退了 不太喜欢 还有你们那个纯棉T恤白色L什么时候有货", "纯棉t恤白色l什么时候有货"),
     ("不想要了 帮我退 另外那款羽绒服黑色M还有吗", "那款羽绒服黑色m还有吗"),
     ("退了吧 对了那个蓝牙耳机戴着会不会掉", "那个蓝牙耳机戴着会不会掉")],
)  # fmt: skip
async def test_a_product_question_beside_a_return_is_offered_in_the_shoppers_words(db, text, asked):
    dispatcher = await _return_said_back(text)
    assert "确认为订单" in dispatcher.messages[0]["text"]  # the return said back first
    offered = _offers(dispatcher)
    assert len(offered) == 1
    assert asked in offered[0]["title"].lower()
    assert offered[0]["payload"] == offered[0]["title"]  # tapped: the question itself


async def test_a_return_alone_or_with_a_remark_offers_nothing_more(db):
    for text in ("这个我想退了 不太喜欢", "想退货 颜色不太喜欢 还有点大"):
        assert _offers(await _return_said_back(text)) == []


@pytest.mark.parametrize(
    "text", ["不想要了 帮我退。我拍了视频 怎么给你们？", "这个我想退了。退的话要不要钱？"]
)
async def test_a_clause_about_the_request_waiting_is_never_echoed_beside_it(db, text):
    dispatcher = await _return_said_back(text)
    assert "确认为订单" in dispatcher.messages[0]["text"]
    assert all("您刚才还提到了「" not in (m.get("text") or "") for m in dispatcher.messages)


async def test_an_invoice_of_another_order_beside_keeping_a_late_one_is_noted_too(db):
    """Trial 28, T975 t3: 算了 再等等 另外电饭煲那单的发票…换成…公司 <number> got only "the late
    order will not be cancelled"; the invoice of the order named was dropped."""
    late, tail = demo_order("late")
    other, _ = demo_order("in_warranty", sku="P5001-BK")
    text = f"算了 再等等 另外电饭煲那单的发票 公司改名了 抬头要换成青岛海川国际贸易有限公司 {other}"
    tracker = make_tracker(
        {"verified_order_no": late, "order_id": late, "phone_tail": tail},
        text=text,
        intent="faq",
        earlier=[user_event(f"显示器承诺的时间早过了 {late} {tail}", "report_delivery_delay")],
    )
    dispatcher = CollectingDispatcher()
    events = await ActionAnswerFaq().run(dispatcher, tracker, DOMAIN)
    assert slots_set(events).get("order_need") == "invoice"

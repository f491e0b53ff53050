"""Questions trial 11 sent to an unrelated flow: who to turn to answered with the agents and
their hours (never a goodbye, "what else", or the last answer again); words the NLU read as an
order change that ask for none read as what they are (never "订单信息没法再改")."""

import uuid

import pytest
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.bare_yes import ActionAnswerBareYes, ActionSayGoodbye
from bot.actions.common import NoRepeats
from bot.actions.fallback import ActionClarify
from bot.actions.order_changes import ActionApplyOrderChange
from bot.actions.order_lookup import ActionHandleOrderRequest
from tests.bot.conftest import (
    DOMAIN,
    bot_said,
    demo_order,
    make_tracker,
    next_message,
    responses,
    slots_set,
    user_event,
)

HUMAN = "/request_human"
NO_CHANGE = "没法再改"


def buttons_of(dispatcher: CollectingDispatcher) -> list[str]:
    return [b["payload"] for m in dispatcher.messages for b in m.get("buttons") or []]


# --- who to turn to ------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["那就没办法了吗我找谁", "那这个事找谁能解决", "那我应该联系谁"])
async def test_who_to_turn_to_read_as_a_goodbye_gets_the_agents_and_their_hours(
    db, dispatcher, text
):
    await ActionSayGoodbye().run(dispatcher, make_tracker(text=text, intent="goodbye"), DOMAIN)
    assert "人工客服" in bot_said(dispatcher)
    assert "09:00-23:00" in bot_said(dispatcher)
    assert HUMAN in buttons_of(dispatcher)
    assert "utter_goodbye" not in responses(dispatcher)


@pytest.mark.parametrize("text", ["好的 拜拜", "没事了 再见", "好吧 那我再考虑考虑"])
async def test_a_goodbye_is_said_back(db, dispatcher, text):
    await ActionSayGoodbye().run(dispatcher, make_tracker(text=text, intent="goodbye"), DOMAIN)
    assert responses(dispatcher) == ["utter_goodbye"]


@pytest.mark.parametrize("text", ["过保了就没办法了吗", "保修期过了还有什么办法吗"])
async def test_a_question_read_as_a_goodbye_is_answered(db, dispatcher, text):
    """Trial 21, T717: "过保了就没办法了吗" after the mouse's warranty got 感谢您的光临."""
    await ActionSayGoodbye().run(dispatcher, make_tracker(text=text, intent="goodbye"), DOMAIN)
    assert "utter_goodbye" not in responses(dispatcher)
    assert "付费维修" in bot_said(dispatcher)


@pytest.mark.parametrize(
    "text",
    ["那先这样吧 有问题再找你们好吗", "好的 拜拜",
     "那不用查了吧"],  # trial 23, T783: with no case open, it got the account FAQ
)  # fmt: skip
async def test_a_question_on_the_way_out_is_still_a_goodbye(db, dispatcher, text):
    await ActionSayGoodbye().run(dispatcher, make_tracker(text=text, intent="goodbye"), DOMAIN)
    assert responses(dispatcher) == ["utter_goodbye"]


async def test_who_to_ask_read_as_a_yes_gets_the_agents_not_what_else(db, dispatcher):
    tracker = make_tracker(text="那我问谁去", intent="affirm")
    await ActionAnswerBareYes().run(dispatcher, tracker, DOMAIN)
    assert "人工客服" in bot_said(dispatcher)
    assert HUMAN in buttons_of(dispatcher)
    assert "utter_anything_else" not in responses(dispatcher)


async def test_who_to_turn_to_the_nlu_could_not_place_gets_the_agents(db, dispatcher):
    tracker = make_tracker(text="这种情况到底谁管啊", intent="nlu_fallback")
    await ActionClarify().run(dispatcher, tracker, DOMAIN)
    assert "人工客服" in bot_said(dispatcher)
    assert HUMAN in buttons_of(dispatcher)


REFUND = "订单 9008374071881817 的退款 ¥169.00 正在处理中，会原路退回银行卡，一般3-7个工作日到账。"


def test_who_to_turn_to_after_an_answer_is_not_told_the_answer_again():
    out = CollectingDispatcher()
    guard = NoRepeats(out, [REFUND.replace(" ", "")], "过了时间还没到找谁")
    guard.utter_message(text=REFUND)
    said = out.messages[0]["text"]
    assert "和刚才说的一样" not in said
    assert "人工客服" in said


def test_a_follow_up_asking_nothing_new_still_hears_the_answer_again_in_short():
    out = CollectingDispatcher()
    NoRepeats(out, [REFUND.replace(" ", "")], "嗯嗯").utter_message(text=REFUND)
    assert "和刚才说的一样" in out.messages[0]["text"]


# --- words read as a change that ask for none -------------------------------------------------


async def _damage_case_said_back(dispatcher, problem: str):
    """A new conversation on the damaged demo order whose problem the shopper told in
    `problem`: the case said back, waiting for its yes; the tracker and the pending request."""
    order_no, tail = demo_order("damaged_on_arrival")
    tracker = make_tracker(
        {"verified_order_no": order_no, "phone_tail": tail},
        text=f"{order_no} {tail} {problem}",
        intent="report_damaged_item",
    )
    tracker.sender_id = uuid.uuid4().hex
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    pending = slots_set(events)["pending_request"]
    assert pending == "case_damaged"
    return tracker, pending


@pytest.mark.parametrize(
    "text",
    [
        "我明天出差要用 直接给我发个新的 今天能发吗",
        "给我重新发一个吧 今天能发出来吗",
        "急用 直接补发新的 什么时候能发",
    ],
)
async def test_a_reship_asked_inside_a_damage_case_is_not_refused_as_an_order_change(
    db, dispatcher, text
):
    tracker, pending = await _damage_case_said_back(dispatcher, "外壳裂了 识别不出来")
    offer = {
        "event": "bot",
        "text": bot_said(dispatcher),
        "data": {"buttons": [{"payload": "/affirm"}]},
    }
    tracker = next_message(tracker, text, "modify_order", pending, dispatcher=dispatcher)
    tracker.events.insert(-2, offer)
    await ActionApplyOrderChange().run(dispatcher, tracker, DOMAIN)
    assert NO_CHANGE not in bot_said(dispatcher)
    assert "确认" in bot_said(dispatcher)  # the case said back still waits for its yes


async def test_a_change_asked_on_a_signed_order_is_still_refused(db, dispatcher):
    order_no, tail = demo_order("damaged_on_arrival")
    tracker = make_tracker(
        {"verified_order_no": order_no, "phone_tail": tail, "change_field": "address"},
        text="地址改成北京市朝阳区阜通东大街6号",
        intent="modify_order",
    )
    await ActionApplyOrderChange().run(dispatcher, tracker, DOMAIN)
    assert NO_CHANGE in bot_said(dispatcher)


@pytest.mark.parametrize(
    "page",
    [
        "订单编号 {o}\n卫龙 大面筋 辣条 x1\n猪肉脯 200g 原味 x2\n少了一包肉脯 只收到一包",
        "订单号：{o} 商品：辣条、猪肉脯×2 缺了一包肉脯",
    ],
)
async def test_an_order_page_pasted_with_a_missing_item_is_the_missing_item(db, dispatcher, page):
    order_no, tail = demo_order("wrong_item")
    tracker = make_tracker(
        {"verified_order_no": order_no, "phone_tail": tail},
        text=f"尾号{tail}",
        earlier=[user_event(page.format(o=order_no), "modify_order")],
    )
    tracker.sender_id = uuid.uuid4().hex
    events = await ActionApplyOrderChange().run(dispatcher, tracker, DOMAIN)
    assert NO_CHANGE not in bot_said(dispatcher)
    assert slots_set(events)["pending_request"] == "case_missing_item"


async def test_an_order_page_pasted_with_a_late_parcel_is_chased_not_an_address_change(
    db, dispatcher
):
    order_no, tail = demo_order("late")
    page = (
        f"订单号：{order_no}\n商品：显示器\n收货人：郭**  手机：186****{tail}\n"
        "承诺送达时间早就过了，怎么还在路上？"
    )
    tracker = make_tracker(
        {"verified_order_no": order_no, "phone_tail": tail},
        text=tail,
        earlier=[user_event(page, "modify_order")],
    )
    tracker.sender_id = uuid.uuid4().hex
    await ActionApplyOrderChange().run(dispatcher, tracker, DOMAIN)
    assert "没法直接修改" not in bot_said(dispatcher)
    # 承诺送达时间早就过了 is a late parcel (it had been shown as one 运输中): the delay chased
    assert "加急催件" in bot_said(dispatcher)


@pytest.mark.parametrize("text", ["安装要不要钱 我家卫生间就普通插座", "装的时候收不收费"])
async def test_an_installation_question_before_buying_is_answered_not_an_order_asked(
    db, dispatcher, text
):
    tracker = make_tracker({"current_product": "P5005"}, text=text, intent="modify_order")
    await ActionApplyOrderChange().run(dispatcher, tracker, DOMAIN)
    assert "安装" in bot_said(dispatcher)
    assert "utter_order_not_verified" not in responses(dispatcher)


@pytest.mark.parametrize("text", ["订单信息填错了", "我想改一下订单"])
async def test_a_change_asked_without_a_field_on_a_shipped_order_is_still_explained(
    db, dispatcher, text
):
    order_no, tail = demo_order("in_transit")
    tracker = make_tracker(
        {"verified_order_no": order_no, "phone_tail": tail}, text=text, intent="modify_order"
    )
    await ActionApplyOrderChange().run(dispatcher, tracker, DOMAIN)
    assert "已经发出了" in bot_said(dispatcher)


async def _change_refused_on_a_signed_order(dispatcher, text: str, field: str | None = None):
    order_no, tail = demo_order("returnable")
    slots = {"verified_order_no": order_no, "phone_tail": tail, "change_field": field}
    tracker = make_tracker(slots, text=text, intent="modify_order")
    tracker.sender_id = uuid.uuid4().hex
    events = await ActionApplyOrderChange().run(dispatcher, tracker, DOMAIN)
    return bot_said(dispatcher), events


async def test_a_wrong_item_with_the_variant_wanted_is_the_wrong_item_not_a_refused_change(
    db, dispatcher
):  # trial 18 T574
    said, events = await _change_refused_on_a_signed_order(
        dispatcher, "是你们发错货了 我要换成白绿39", "spec"
    )
    assert NO_CHANGE not in said
    assert slots_set(events)["pending_request"] == "case_wrong_item"


@pytest.mark.parametrize(
    "text", ["开成个人的了啊 能换成公司吗 普票就行", "还要开户行地址那些吗"]
)  # trial 18 T579, T576
async def test_invoice_words_read_as_a_change_on_a_signed_order_are_the_invoice(
    db, dispatcher, text
):
    said, _ = await _change_refused_on_a_signed_order(dispatcher, text)
    assert NO_CHANGE not in said
    assert "发票" in said


async def test_someone_in_charge_demanded_after_a_refused_change_is_a_person(db, dispatcher):
    said, _ = await _change_refused_on_a_signed_order(dispatcher, "不能改你给个说法 找个能做主的来")
    assert NO_CHANGE not in said
    assert "utter_pass_to_agent" in responses(dispatcher) or "人工" in said


async def test_another_colours_stock_asked_on_a_signed_order_is_its_stock(db, dispatcher):
    said, _ = await _change_refused_on_a_signed_order(dispatcher, "那个卡其色还有货不", "spec")
    assert NO_CHANGE not in said
    assert "卡其" in said


async def test_photos_said_taken_while_a_damage_case_waits_keep_the_case_waiting(db, dispatcher):
    # trial 18 T567: "图拍好了 发过去了" answered the photos and dropped the case said back
    tracker, pending = await _damage_case_said_back(
        dispatcher, "水壶收到了 壶身瘪进去一块 盖子都盖不严"
    )
    out = CollectingDispatcher()
    tracker = next_message(
        tracker, "图拍好了 发过去了", "report_delivery_delay", pending, dispatcher=out
    )
    events = await ActionHandleOrderRequest().run(out, tracker, DOMAIN)
    assert slots_set(events)["pending_request"] == "case_damaged"
    said = bot_said(out)
    assert "申请售后" in said  # where the photos go
    assert "/affirm" in buttons_of(out)  # and the case still waits for its yes

    from bot.actions.order_context import ActionTakeOrderNumber

    out = CollectingDispatcher()
    tracker = next_message(tracker, "那给我补发一个吧", "inform", pending, dispatcher=out)
    events = await ActionTakeOrderNumber().run(out, tracker, DOMAIN)
    assert slots_set(events).get("pending_request", pending) == "case_damaged"  # still waits
    assert "按补发给您登记" in bot_said(out)
    assert "请问您想咨询什么" not in bot_said(out)


async def test_a_case_said_back_confirmed_beside_words_read_as_a_change_is_registered(
    db, dispatcher
):
    # trial 19 T614: "行 确认 帮我换一本完整的" to the case said back got "订单信息没法再改"
    tracker, pending = await _damage_case_said_back(dispatcher, "水壶收到了 壶身瘪进去一块")
    out = CollectingDispatcher()
    tracker = next_message(tracker, "行 确认 帮我换个好的", "modify_order", pending, dispatcher=out)
    tracker.slots["change_field"] = "spec"
    events = await ActionApplyOrderChange().run(out, tracker, DOMAIN)
    assert NO_CHANGE not in bot_said(out)
    assert slots_set(events).get("pending_request", pending) is None
    assert "前给您答复" in bot_said(out)  # the case opened, and when the answer comes


@pytest.mark.parametrize(
    ("situation", "said"),
    [("stalled", "没法保证哪天能到"),  # stuck for days: no promise, a person offered
     ("in_transit", "应该能到")],  # on time: the day asked is in time
)  # fmt: skip
async def test_whether_the_parcel_arrives_by_a_day_read_as_a_change_gets_that_answered(
    db, dispatcher, situation, said
):
    """Trial 21, T683: "周六要穿去喝喜酒的 能到吗" on the dress's verified order, read as a change,
    got "不太确定您的意思" with two buttons."""
    order_no, tail = demo_order(situation)
    text = "周六要穿去喝喜酒的 能到吗 到不了我就麻烦了"
    tracker = make_tracker(
        {"verified_order_no": order_no, "order_id": order_no, "phone_tail": tail},
        text=text,
        intent="modify_order",
        earlier=[user_event("物流到哪了", "track_order")],
    )
    tracker.sender_id = uuid.uuid4().hex
    await ActionApplyOrderChange().run(dispatcher, tracker, DOMAIN)
    answer = bot_said(dispatcher)
    assert "不太确定" not in answer
    assert said in answer
    assert "您刚才还提到了" not in answer  # the parcel asked about is what was answered


async def test_a_printing_fault_asked_to_be_exchanged_read_as_a_change_gets_the_books_rule(
    db, dispatcher
):
    """Trial 22, T748: blank pages in a book bought weeks ago, "还能换吗", read as a change,
    got "订单信息没法再改；如果规格不合适"; books take printing faults back at any time."""
    order_no, tail = demo_order("not_returnable", sku="P7003-PB")
    tracker = make_tracker(
        {"verified_order_no": order_no, "order_id": order_no, "phone_tail": tail},
        text="这本书第120到135页全是空白 买了三周了还能换吗",
        intent="modify_order",
    )
    tracker.sender_id = uuid.uuid4().hex
    events = await ActionApplyOrderChange().run(dispatcher, tracker, DOMAIN)
    answer = bot_said(dispatcher)
    assert NO_CHANGE not in answer
    assert "规格不合适" not in answer
    assert "质量问题" in answer
    assert "您刚才还提到了" not in answer  # the return asked for is what was answered
    assert slots_set(events).get("pending_request")  # said back for a yes, nothing done yet

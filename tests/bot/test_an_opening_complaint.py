"""A problem told in the first message, read by the NLU as a product question or a complaint
(trial 23: 我的裙子物流4天没动了 got "这款商品本店暂时没有找到", 苹果烂了3个 the apples' menu,
我那个手机怎么还不发 今天不发我就不要了 a bare apology): the problem is met and the order asked
for, as when the words say the goods were bought. A question before buying (这鞋开胶吗) is still
a product question."""

import pytest

from bot.actions.bare_yes import ActionSayGoodbye
from bot.actions.complaints import ActionAnswerComplaint
from bot.actions.fallback import ActionClarify
from bot.actions.order_context import ActionTakeOrderNumber
from bot.actions.order_lookup import ActionAnswerPendingRequest, ActionHandleOrderRequest
from bot.actions.presale import ActionAnswerProductInfo, ActionAnswerStock
from conversations.acknowledgement import is_policy_question, reports_a_problem
from conversations.needs import Need, need_told
from conversations.reading import pushes_back
from shop.own_order import OrderTopic, topic_named
from shop.problems import ProblemKind, read_problem
from shop.skin_reactions import tells_a_reaction
from shop.waiting_requests import RETURN
from tests.bot.conftest import (
    DOMAIN,
    bot_said,
    demo_order,
    make_tracker,
    slots_set,
    user_event,
)


@pytest.mark.parametrize(
    "words",
    ["这鞋开胶吗", "会不会缺页", "苹果甜吗 烂的多不多", "橙子寄过去会烂吗 怕路上坏了", "会发错吗"],
)
def test_a_problem_asked_about_before_buying_reports_none(words):
    assert not reports_a_problem(words)


@pytest.mark.parametrize(
    "words",
    [
        "苹果烂了3个 一共9个",
        "我的裙子物流4天没动了！！！周六要穿的",
        "屏幕碎了 能修吗",
        "收到的苹果坏了好几个",
        "承诺的送达日期都过了 显示器还在路上 怎么回事",
    ],
)
def test_a_problem_told_as_having_happened_is_reported(words):
    assert reports_a_problem(words)


@pytest.mark.parametrize(
    ("words", "product", "intent"),
    [
        ("我的裙子物流4天没动了！！！周六要穿的", None, "ask_stock"),
        ("苹果烂了3个 一共9个", "P6102", "ask_product_info"),
    ],
)
async def test_a_problem_told_as_a_product_question_asks_for_the_order(
    db, dispatcher, words, product, intent
):
    slots = {"current_product": product} if product else {}
    tracker = make_tracker(slots, text=words, intent=intent)
    entities = [{"entity": "product", "value": "裙子"}] if product is None else []
    tracker.latest_message["entities"] = entities
    action = ActionAnswerStock() if intent == "ask_stock" else ActionAnswerProductInfo()
    await action.run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "没有找到" not in said
    assert "哪方面" not in said
    assert "订单号" in said


async def test_a_product_question_before_buying_is_answered_about_the_product(db, dispatcher):
    tracker = make_tracker(
        {"current_product": "P6102"}, text="苹果甜吗 烂的多不多", intent="ask_product_info"
    )
    await ActionAnswerProductInfo().run(dispatcher, tracker, DOMAIN)
    assert "订单号" not in bot_said(dispatcher)


async def _opening(dispatcher, action, words: str, intent: str) -> str:
    """What `action` says to `words`, read as `intent`, opening a conversation."""
    await action.run(dispatcher, make_tracker({}, text=words, intent=intent), DOMAIN)
    return bot_said(dispatcher)


@pytest.mark.parametrize(
    ("action", "words", "intent", "generic"),
    [
        # T778: a bare apology; a threat is no request
        (ActionAnswerComplaint(), "我那个手机怎么还不发 今天不发我就不要了", "complain", "不满意"),
        # T777: a payments-and-coupons menu
        (ActionClarify(), "显示器说好昨天到 现在还在路上 咋回事", "nlu_fallback", "优惠券"),
        # T786: a menu of unrelated questions
        (
            ActionClarify(),
            "你好 买的牛奶大米啥时候到 东西重 我腿不好 能送上楼不",
            "nlu_fallback",
            "哪个问题",
        ),
        # T643: "好的，感谢您的光临" to whether the phone arrives tomorrow
        (
            ActionSayGoodbye(),
            "小姑娘在吗 我给孙子买的红米手机明天能到吗 到不了我就不要了取消",
            "goodbye",
            "光临",
        ),
        # T779 and T773, read as data: the apples' "哪方面呢", the book's blurb
        (ActionTakeOrderNumber(), "苹果烂了3个 一共9个", "inform", "哪方面"),
        (ActionTakeOrderNumber(), "买的python书 200到230页是空白的", "inform", "商品详情"),
    ],
)
async def test_an_opening_that_tells_a_need_asks_for_its_order(
    db, dispatcher, action, words, intent, generic
):
    said = await _opening(dispatcher, action, words, intent)
    assert generic not in said
    assert "取消" not in said
    assert "订单号" in said


@pytest.mark.parametrize(
    ("words", "kind"),
    [
        ("在吗 精华显示驿站签收了 我去拿驿站说没有", ProblemKind.LOST),
        ("肉脯买了两包只到了一包", ProblemKind.MISSING_ITEM),
        ("书第209到224页没有 直接跳过去了", ProblemKind.QUALITY_DEFECT),
        ("承诺的送达日期都过了 显示器还在路上", ProblemKind.LATE),
    ],
)
def test_a_problem_told_in_other_words_is_read(words, kind):
    assert kind in read_problem(words).kinds


@pytest.mark.parametrize(
    ("words", "intent"),
    [
        ("口红颜色太红了 我就试了一下 能退吗", "request_return_exchange"),
        ("我孙子说那个音箱不要了 没拆过 能退吗 怎么退", "request_return_exchange"),
        ("书第209到224页没有 直接跳过去了 都快一个月了还能换吗", "request_return_exchange"),
        ("你们仓库都签收我退的货了 钱呢", "ask_refund_status"),
        ("我九天前买的安热沙两瓶，现在便宜了三十块，可以保价吗", "price_protection"),
        ("口红颜色太红了 不适合我 能退吗", "request_return_exchange"),
        ("亲 口红颜色太艳了 涂了一次 能退吗", "request_return_exchange"),
    ],
)
def test_a_request_about_goods_in_hand_is_no_policy_question(words, intent):
    assert not is_policy_question(words, intent)


@pytest.mark.parametrize(
    "words",
    [
        "没拆过的能退吗",
        "用过了还能退吗",
        "七天无理由退货支持吗",
        "不喜欢能退吗",
        "买了不适合能退吗",
        "鞋子38会不会太小了 能换吗",
        "要是太大了能换吗",
    ],
)
def test_a_question_asked_of_any_goods_is_still_a_policy_question(words):
    assert is_policy_question(words, "request_return_exchange")


@pytest.mark.parametrize("words", ["这条碎花裙 160 100斤穿什么码", "破洞牛仔裤有黑色吗"])
def test_a_print_or_a_style_named_is_no_damage(words):
    assert not read_problem(words).kinds


async def test_a_size_question_on_a_floral_dress_read_as_data_is_no_damage(db, dispatcher):
    # the first version of the change asked for the order: 碎花 read as 碎
    words = "这条碎花裙 160 100斤穿什么码"
    said = await _opening(dispatcher, ActionTakeOrderNumber(), words, "inform")
    assert "订单号" not in said
    assert "M" in said


@pytest.mark.parametrize(
    ("words", "need"),
    [
        ("充电宝怎么4天没动了 9414852538885393 8845", "report_delivery_delay"),
        ("MX Master 3S滚轮不灵了 左键还连击 5634786122138783", "request_repair"),
    ],
)
async def test_an_order_carried_with_its_need_and_not_understood_is_looked_up_for_it(
    db, dispatcher, words, need
):
    # trial 13, T514 and T556: "哪方面呢" about the product, the order number ignored
    tracker = make_tracker({}, text=words, intent="nlu_fallback")
    events = await ActionClarify().run(dispatcher, tracker, DOMAIN)
    assert {"event": "slot", "name": "order_need", "value": need} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]
    assert {"event": "followup", "name": "order_lookup_form"} in [
        {k: e.get(k) for k in ("event", "name")} for e in events
    ]
    assert "哪方面" not in bot_said(dispatcher)


@pytest.mark.parametrize("words", ["你好 我买的被子咋还不来呀", "快递怎么还不来"])
def test_a_parcel_that_does_not_come_is_late(words):
    assert read_problem(words).kinds == (ProblemKind.LATE,)


def test_a_person_who_does_not_come_to_reply_is_no_late_parcel():
    assert ProblemKind.LATE not in read_problem("客服怎么还不来回复").kinds


def _lipstick_return_waiting(said_before: list[str], words: str, intent: str):
    """The opened-lipstick talk of T764: a return asked, the order verified, the return said
    back and waiting; then `said_before`, then `words` read as `intent`."""
    order_no, tail = demo_order("returnable", sku="P8003-R01")
    earlier = [
        user_event("亲 口红颜色太红了不喜欢 能退不", "request_return_exchange"),
        user_event(f"{order_no} {tail}", "inform"),
        *(user_event(text, "report_damaged_item") for text in said_before),
        {"event": "action", "name": "action_handle_order_request"},  # said back, or answered
    ]
    slots = {"verified_order_no": order_no, "phone_tail": tail, "pending_request": RETURN}
    return make_tracker(slots, text=words, intent=intent, earlier=earlier)


@pytest.mark.parametrize(
    ("said_before", "words", "intent", "offered"),
    [
        # T764: 就拆开涂了一次 to the return said back got "还没提交 要申请的话点确认"
        ([], "就拆开涂了一次", "report_damaged_item", "还没提交"),
        # T764/3: 七天无理由不是随便退吗 offered the return again, and 确认 submitted it
        (["就拆开涂了一次"], "七天无理由不是随便退吗", "request_return_exchange", "申请退换货吗"),
    ],
)
async def test_a_lipstick_said_opened_gets_the_rule_and_no_return_offered(
    db, dispatcher, said_before, words, intent, offered
):
    tracker = _lipstick_return_waiting(said_before, words, intent)
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert offered not in said
    assert "不支持无理由退货" in said
    assert not slots_set(events).get("pending_request")


@pytest.mark.parametrize(
    "action",
    [ActionClarify, ActionHandleOrderRequest, ActionAnswerComplaint],
    ids=lambda a: a.__name__,
)
async def test_a_lipstick_said_used_once_while_its_return_waits_is_told_it_cannot_go_back(
    db, dispatcher, action
):
    """T831 t3 (trial 24): 涂过一次而已 又没怎么用, no word of the packaging, read as nothing,
    got the chooser of logistics and repair; goods put on the lips are opened."""
    tracker = _lipstick_return_waiting([], "涂过一次而已 又没怎么用", "nlu_fallback")
    events = await action().run(dispatcher, tracker, DOMAIN)
    assert "不支持无理由退货" in bot_said(dispatcher)
    assert slots_set(events).get("pending_request", RETURN) is None


@pytest.mark.parametrize(
    ("said_before", "pending"), [([], RETURN), (["涂过一次而已 又没怎么用"], None)]
)
async def test_lips_that_itch_after_the_lipstick_hear_the_allergy_rule_not_a_parcel_case(
    db, dispatcher, said_before, pending
):
    """T831 t4 (trial 24): 而且涂完嘴巴有点痒 起皮了 got the return's reminder, then (read as
    damage) a transport-damage case said back."""
    tracker = _lipstick_return_waiting(
        said_before, "而且涂完嘴巴有点痒 起皮了", "report_damaged_item"
    )
    tracker.slots["pending_request"] = pending
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "停用" in said
    assert "诊断证明" in said  # the shop's allergy rule
    assert "破损" not in said
    assert "还没提交" not in said
    assert not slots_set(events).get("pending_request")


async def test_a_push_back_on_the_allergy_rule_is_heard_with_a_person_not_a_product_prompt(
    db, dispatcher
):
    """T831 t5 (trial 24): 医院证明？就一支口红还要去医院？, read as nothing after the allergy
    rule, got "您想了解「口红」的哪方面呢"."""
    tracker = _lipstick_return_waiting(
        ["涂过一次而已 又没怎么用", "而且涂完嘴巴有点痒 起皮了"],
        "医院证明？就一支口红还要去医院？",
        "nlu_fallback",
    )
    tracker.slots["pending_request"] = None
    await ActionClarify().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "您的心情我理解" in said
    assert "哪方面" not in said
    assert [b["payload"] for m in dispatcher.messages for b in m.get("buttons") or []] == [
        "/request_human"
    ]


@pytest.mark.parametrize("words", ["就一支口红还要去医院？", "退个货这么麻烦"])
def test_the_rule_said_too_much_for_so_little_is_a_push_back(words):
    assert pushes_back(words)


def test_a_reaction_is_read_only_where_it_is_told():
    assert tells_a_reaction("用了脸又红又肿")
    assert not tells_a_reaction("用了不过敏 就是颜色不喜欢")
    assert not tells_a_reaction("这件显得有点臃肿")


async def test_a_yes_to_a_return_of_a_lipstick_said_opened_submits_nothing(db, dispatcher):
    # the rule said while the return still waited (a question read by another action), then 确认
    tracker = _lipstick_return_waiting(["拆开试涂过一次了 还能退吗"], "确认", "affirm")
    await ActionAnswerPendingRequest().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "已为您提交" not in said
    assert "不支持无理由退货" in said


@pytest.mark.parametrize("words", ["那换支奶茶豆沙的呢 补差价也行", "我补差价", "补差价也行"])
def test_paying_the_difference_for_a_dearer_exchange_is_no_price_protection(words):
    assert topic_named(words) is None
    told = need_told(words)
    assert told is None or told.need != Need.PRICE_PROTECTION


@pytest.mark.parametrize("words", ["能补差价吗", "给我补差价", "降价了 差价退我"])
def test_the_difference_asked_back_is_price_protection(words):
    assert topic_named(words) == OrderTopic.PRICE_PROTECTION


async def test_a_lipstick_said_tried_before_its_order_was_given_gets_no_return_offered(
    db, dispatcher
):
    """T947 t10 (trial 27): 颜色太红了 涂了一次 能退吗, then 就试了一下下 盖子都还在的 (read
    as a late parcel) while the lookup asked for the order: the order verified got a lost-parcel
    check, and without that misreading the no-reason return was offered, then filed."""
    order_no, tail = demo_order("returnable", sku="P8003-R01")
    earlier = [
        user_event("对了上次买的口红 颜色太红了 涂了一次 能退吗", "request_return_exchange"),
        {"event": "action", "name": "order_lookup_form"},
        {"event": "action", "name": "action_listen"},
        user_event("就试了一下下 盖子都还在的", "report_delivery_delay"),
        {"event": "action", "name": "action_resume_form"},
        {"event": "action", "name": "order_lookup_form"},
        {"event": "action", "name": "action_listen"},
        user_event(order_no, "inform"),
        {"event": "action", "name": "order_lookup_form"},
        {"event": "action", "name": "action_listen"},
    ]
    slots = {"verified_order_no": order_no, "phone_tail": tail}
    tracker = make_tracker(slots, text=tail, intent="inform", earlier=earlier)
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "不支持无理由退货" in said
    assert "申请退换货吗" not in said
    assert "没有收到" not in said
    assert not slots_set(events).get("pending_request")


async def test_a_coupon_used_to_buy_an_unopened_lipstick_still_gets_the_return_offered(
    db, dispatcher
):
    # the review of session 28: 用了优惠券 was read as the lipstick used
    order_no, tail = demo_order("returnable", sku="P8003-R01")
    earlier = [
        user_event("口红买重复了 用了优惠券买的 还没拆 能退吗", "request_return_exchange"),
        {"event": "action", "name": "order_lookup_form"},
        {"event": "action", "name": "action_listen"},
        user_event(order_no, "inform"),
    ]
    slots = {"verified_order_no": order_no, "phone_tail": tail}
    tracker = make_tracker(slots, text=tail, intent="inform", earlier=earlier)
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    assert "申请退换货吗" in bot_said(dispatcher)

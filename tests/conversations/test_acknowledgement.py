"""Reading what to acknowledge before asking for the order, and telling a policy question from a
request about the shopper's own order."""

import pytest

from conversations.acknowledgement import (
    POLICY_INTENTS,
    AckAskOrder,
    Acknowledgement,
    AckPolicyAnswer,
    Concern,
    acknowledgement,
    asks_where_order_number,
    is_policy_question,
    read_concern,
)
from words.render import say


@pytest.mark.parametrize(
    ("text", "intent", "concern"),
    [
        ("我的快第四天没动了", "report_delivery_delay", Concern.LATE),
        ("说好前天到的 现在还没到", "report_delivery_delay", Concern.LATE),
        ("拍了好几天了怎么还不发货", "report_delivery_delay", Concern.NOT_SHIPPED),
        ("都三天了 还没发吧", "report_delivery_delay", Concern.NOT_SHIPPED),  # the wait said
        ("物流好几天不动了 你们到底发没发货啊", "report_delivery_delay", Concern.LATE),
        ("到底寄没寄出 三天了一点动静没有", "report_delivery_delay", Concern.LATE),
        ("显示签收了 我没有收到啊 我一直在家", "report_lost_parcel", Concern.LOST),
        ("快递员说放驿站了 我去了没有", "report_lost_parcel", Concern.LOST),
        ("物流一直不动 是不是寄丢了", "report_lost_parcel", Concern.LATE),  # not signed for
        ("外箱压扁了 里面的东西也磕坏了", "report_damaged_item", Concern.DAMAGED),
        ("水果坏了好多 有的都烂出水了", "report_damaged_item", Concern.DAMAGED),
        ("用了两个月坏了 开不了机 保修吗", "request_repair", Concern.DEFECT),
        ("最近充不进电了 还在保修期吗", "request_repair", Concern.DEFECT),
        ("你们发错货了吧", "report_wrong_or_missing_item", Concern.WRONG_ITEM),
        ("少发了一件", "report_wrong_or_missing_item", Concern.MISSING_ITEM),
        ("有问题", "report_wrong_or_missing_item", Concern.PROBLEM),
    ],
)
def test_the_problem_a_shopper_describes_is_the_one_apologised_for(text, intent, concern):
    """发没发货 asks whether it shipped: the delay is apologised for, never "还没给您发货"."""
    assert read_concern(text, intent) == concern


@pytest.mark.parametrize(
    "text",
    [
        "那要是到时候还没到呢",  # what would happen: nothing has gone wrong yet
        "发票还没发吗",  # an invoice, not a parcel
        "我买的东西到哪了",
        "我那件T恤还没发吧 想换成白色L",  # a premise of the change, not a complaint (T351)
        "退货你们都签收了 钱到现在还没到",  # the refund's progress, no parcel late (T356)
    ],
)
def test_a_question_that_reports_no_problem_gets_no_apology_for_one(text):
    assert read_concern(text, "track_order") is None


def test_shouting_and_a_threat_to_complain_read_as_upset():
    assert acknowledgement("东西到了就是坏的！！！", "report_damaged_item").upset
    assert acknowledgement("再这样我就打12315投诉", "track_order").upset  # the reviews' cue
    assert not acknowledgement("我买的东西到哪了", "track_order").upset


def test_a_birthday_present_or_an_elderly_buyer_reads_as_urgent_or_worried():
    late = acknowledgement("说好前天到的 孩子周末过生日要用的", "report_delivery_delay")
    assert late.urgent
    elderly = acknowledgement("给老人买的 急用", "track_order")
    assert elderly.urgent
    assert elderly.worried


def test_smoke_from_a_broken_item_is_a_safety_problem_but_a_lapsed_warranty_is_not():
    assert acknowledgement("充电器冒烟了", "report_damaged_item").safety
    assert not acknowledgement("保修过期了吗", "request_repair").safety


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("订单号在哪里看啊，我不会弄。", True),
        ("单号怎么找", True),
        ("我不知道订单号", True),
        ("去哪里看订单号", True),
        ("订单号发你了", False),
        ("我的订单到哪了", False),
    ],
)
def test_a_shopper_asking_where_the_order_number_is_is_recognised(text, asks):
    assert asks_where_order_number(text) is asks


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("生鲜能七天无理由吗", "request_return_exchange"),
        ("七天无理由是所有东西都可以吗 口红拆了试色还能退不", "request_return_exchange"),
        ("退货运费谁出", "request_return_exchange"),
        ("保修多久", "request_repair"),
        ("没发货可以取消吗", "cancel_order"),
        ("退款一般多久到账", "ask_refund_status"),
    ],
)
def test_a_question_about_how_things_work_is_a_policy_question(text, intent):
    assert is_policy_question(text, intent)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("我要退货", "request_return_exchange"),  # a request, not a question
        ("取消订单", "cancel_order"),
        ("我这单能退吗", "request_return_exchange"),  # their own order
        ("帮我看看能不能取消", "cancel_order"),
        ("退货审核通过了 然后要干嘛 寄到哪里", "request_return_exchange"),  # under way
        ("买的东西用了两个月坏了 开不了机 保修吗", "request_repair"),  # a problem described
        ("能退吗 7492083124023448", "request_return_exchange"),
        ("快递到哪了", "track_order"),  # tracking is always about their parcel
    ],
)
def test_a_request_about_the_shoppers_own_order_is_not_a_policy_question(text, intent):
    assert not is_policy_question(text, intent)


def test_the_acknowledgement_and_the_question_for_number_and_tail_are_one_message():
    text = say(AckAskOrder(acknowledgement("我的快第四天没动了", "report_delivery_delay")))
    ack, question = text.split("\n")
    assert "抱歉" in ack
    assert "订单号和收货手机号后4位" in question


def test_the_policy_answer_offers_the_order_number_instead_of_demanding_it():
    text = say(AckPolicyAnswer("生鲜商品不支持7天无理由退货。", "request_return_exchange"))
    assert text.startswith("生鲜商品不支持7天无理由退货。")
    assert "想看看您自己的订单" in text
    assert "麻烦您提供" not in text


def test_every_acknowledgement_and_policy_answer_renders_whole_lines():
    texts = [
        say(AckAskOrder(Acknowledgement(concern, request, **mood), tail, where))
        for concern in (None, *Concern)
        for request in (None, "track_order", "cancel_order", "inform")
        for mood in ({}, {"upset": True}, {"urgent": True, "worried": True}, {"safety": True})
        for tail, where in ((None, False), ("6384", False), (None, True))
    ]
    texts += [say(AckAskOrder())]
    texts += [say(AckPolicyAnswer("生鲜商品不支持7天无理由退货。", r)) for r in POLICY_INTENTS]
    for text in texts:
        assert text.strip()
        assert "None" not in text
        assert "{" not in text
        assert all(line and line == line.strip() for line in text.split("\n")), text

"""Inside an open case: the remedy the shopper chooses in plain words, said back and recorded on
the case (never a second after-sale); photo, split-shipment and return-trip questions answered
from the case, the order's record and the policy; fresh food's honest rule on a whole return."""

import pytest

from shop.case_questions import (
    CaseChoice,
    CaseParcels,
    CaseQuestion,
    ChoiceBeforeCase,
    PhotoAsk,
    PhotoSubject,
    PhotoUpload,
    RemedyChosen,
    RemedyNotOffered,
    RemedySwitchToConfirm,
    ReturnTrip,
    ask_about_case,
    case_question,
    choice_before_case,
    choose_remedy,
    chosen_remedy,
    photo_ask,
    remedy_choice,
    remedy_switch,
)
from shop.fresh_food import FreshClaimToConfirm, fresh_claim_check, said_payment
from shop.logistics import CaseOpened, open_case
from shop.models import CaseKind, LogisticsCase
from shop.problem_policy import load_problem_policy
from tests.shop.conftest import demo_order
from words.render import say


def _case(db, situation: str, kind: CaseKind, now, which: int = 0) -> LogisticsCase:
    outcome = open_case(db, demo_order(db, situation, which), kind, now, conversation_id="c-rs")
    assert isinstance(outcome, CaseOpened)
    return db.get(LogisticsCase, outcome.case_id)


@pytest.mark.parametrize(
    ("text", "choice"),
    [
        ("我不想换了 能直接退款吗", CaseChoice.REFUND),
        ("嗯 那就退款吧", CaseChoice.REFUND),
        ("换成退款", CaseChoice.REFUND),
        ("好吧 那坏的那些退钱", CaseChoice.REFUND),
        ("还是补发吧", CaseChoice.RESHIP),
        ("不要退款了 给我补发一个", CaseChoice.RESHIP),
        ("改成换货吧", CaseChoice.EXCHANGE),
        ("照片怎么发", None),
        ("多久能到", None),
    ],
)
def test_the_remedy_a_shopper_chooses_is_read_from_plain_words(text, choice):
    assert remedy_choice(text) is choice


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("照片发哪", CaseQuestion.PHOTO_UPLOAD),
        ("照片要拍哪些", CaseQuestion.PHOTO_UPLOAD),
        ("三张够吗", CaseQuestion.PHOTO_UPLOAD),
        ("我拍了外箱 面单 还有坏的地方 三张够吗", CaseQuestion.PHOTO_UPLOAD),
        ("会不会是分开发的", CaseQuestion.SPLIT_SHIPMENT),
        ("是不是还有一个包裹没到", CaseQuestion.SPLIT_SHIPMENT),
        ("能不能先把对的发过来 我急用 错的我后面再寄", CaseQuestion.SHIP_FIRST),
        ("错的那个要我寄回去吗 运费谁出", CaseQuestion.RETURN_TRIP),
        # trials 16 and 23: who sends it back, and where
        ("还要我自己寄?", CaseQuestion.RETURN_TRIP),
        ("我自己找快递?", CaseQuestion.RETURN_TRIP),
        ("能不能上门来拿", CaseQuestion.RETURN_TRIP),
        ("错的那双寄哪", CaseQuestion.RETURN_TRIP),
        ("补发的寄哪个地址", CaseQuestion.REMEDY),
        ("那补发吧 多久能到", CaseQuestion.HOW_LONG),
        ("审核要多久", CaseQuestion.HOW_LONG),
        ("下次给我挑好点的哈", CaseQuestion.CLOSING),
        ("好 有消息马上告诉我", CaseQuestion.CLOSING),
        ("真丢了怎么办 给补发吗", CaseQuestion.REMEDY),
    ],
)
def test_a_follow_up_inside_a_case_is_read_as_the_question_it_asks(text, question):
    assert case_question(text) is question


@pytest.mark.parametrize(
    ("text", "asked", "taken"),
    [
        ("照片怎么发", PhotoAsk.WHERE, None),
        ("照片要拍哪些", PhotoAsk.WHICH, None),
        ("三张够吗", PhotoAsk.ENOUGH, 3),
        ("拍了2张够不够", PhotoAsk.ENOUGH, 2),
        ("要拍几张", PhotoAsk.ENOUGH, None),
    ],
)
def test_a_photo_question_says_what_it_asks_and_how_many_were_taken(text, asked, taken):
    assert photo_ask(text) == (asked, taken)


def test_three_photos_of_a_damage_case_are_enough_and_the_answer_says_where_they_go(db, seeded_at):
    case = _case(db, "damaged_on_arrival", CaseKind.DAMAGED, seeded_at)
    answer = ask_about_case(db, case, CaseQuestion.PHOTO_UPLOAD, seeded_at, words="三张够吗")
    assert isinstance(answer, PhotoUpload)
    assert (answer.subject, answer.enough) == (PhotoSubject.DAMAGED, True)
    text = say(answer)
    assert "3张就够了" in text
    assert "申请售后" in text
    assert "发不了图片" in text
    short = ask_about_case(db, case, CaseQuestion.PHOTO_UPLOAD, seeded_at, words="拍了2张够吗")
    assert "一共需要3张" in say(short)


def test_a_refund_instead_on_a_damaged_case_is_said_back_with_the_amount_and_recorded_on_yes(
    db, seeded_at
):
    case = _case(db, "damaged_on_arrival", CaseKind.DAMAGED, seeded_at)
    order = case.order
    switch = remedy_switch(case, CaseChoice.REFUND, seeded_at)
    assert isinstance(switch, RemedySwitchToConfirm)
    assert (switch.money.amount, switch.money.channel) == (order.total_amount, order.payment_method)
    text = say(switch)
    assert f"¥{order.total_amount}" in text
    assert "确认这样改吗" in text
    after_sales = len(order.after_sales)
    chosen = choose_remedy(case, CaseChoice.REFUND, seeded_at)
    assert isinstance(chosen, RemedyChosen)
    assert chosen_remedy(case) is CaseChoice.REFUND
    assert "全额退款" in (case.detail or "")
    assert len(order.after_sales) == after_sales  # the case itself, no second record
    assert remedy_switch(case, CaseChoice.REFUND, seeded_at) is None  # already chosen
    assert isinstance(remedy_switch(case, CaseChoice.RESHIP, seeded_at), RemedySwitchToConfirm)


def test_a_payment_method_the_shopper_names_is_checked_against_the_orders_record():
    assert said_payment("多久到账 我微信付的") == "微信支付"
    assert said_payment("我支付宝付的") == "支付宝"
    assert said_payment("多久到账") is None


def test_a_refund_on_a_wrong_item_is_not_what_the_policy_gives_and_a_reship_is_the_exchange(
    db, seeded_at
):
    case = _case(db, "wrong_item", CaseKind.WRONG_ITEM, seeded_at)
    assert isinstance(remedy_switch(case, CaseChoice.REFUND, seeded_at), RemedyNotOffered)
    assert remedy_switch(case, CaseChoice.RESHIP, seeded_at) is None  # the exchange already


def test_an_exchange_chosen_before_a_wrong_item_case_opens_is_the_right_item_sent(db):
    order = demo_order(db, "wrong_item")
    chosen = choice_before_case(order, CaseKind.WRONG_ITEM, CaseChoice.EXCHANGE)
    assert isinstance(chosen, ChoiceBeforeCase)
    assert "正确的商品" in say(chosen)
    assert "坏的" not in say(chosen)
    refused = choice_before_case(order, CaseKind.WRONG_ITEM, CaseChoice.REFUND)
    assert isinstance(refused, RemedyNotOffered)
    assert refused.case is None
    assert "点「确认」我就给您登记" in say(refused)


def test_another_colour_asked_for_a_resend_is_answered_the_resend_is_of_the_colour_ordered(db):
    """Trial 27, T942: 给我补发一个吧 能不能换成雾蓝色 (a white kettle): the colour unanswered."""
    order = demo_order(db, "damaged_on_arrival", which=1)  # the white kettle
    words = "给我补发一个吧 能不能换成雾蓝色 白的不好看"
    chosen = choice_before_case(order, CaseKind.DAMAGED, CaseChoice.RESHIP, words=words)
    assert isinstance(chosen, ChoiceBeforeCase)
    assert (chosen.asked_instead, chosen.ordered) == ("雾蓝色", "白色")
    assert "原来买的白色补一件同款" in say(chosen)
    plain = choice_before_case(order, CaseKind.DAMAGED, CaseChoice.RESHIP, words="补发一个吧")
    assert isinstance(plain, ChoiceBeforeCase)
    assert plain.asked_instead is None
    assert "同款" not in say(plain)


def test_a_remedy_named_on_a_late_parcel_switches_nothing(db, seeded_at):
    case = _case(db, "stalled", CaseKind.DELAYED, seeded_at, which=-1)
    assert remedy_switch(case, CaseChoice.REFUND, seeded_at) is None


def test_a_split_shipment_question_is_answered_from_the_orders_parcels(db, seeded_at):
    case = _case(db, "wrong_item", CaseKind.MISSING_ITEM, seeded_at, which=1)
    answer = ask_about_case(db, case, CaseQuestion.SPLIT_SHIPMENT, seeded_at)
    assert isinstance(answer, CaseParcels)
    assert len(answer.parcels) == len(case.order.shipments)
    assert not answer.split
    text = say(answer)
    assert "没有分开发" in text
    assert case.order.shipments[0].tracking_no in text


def test_the_right_item_ships_first_and_the_wrong_one_goes_back_free_as_the_policy_says(
    db, seeded_at
):
    case = _case(db, "wrong_item", CaseKind.WRONG_ITEM, seeded_at)
    answer = ask_about_case(db, case, CaseQuestion.SHIP_FIRST, seeded_at)
    assert isinstance(answer, ReturnTrip)
    rule = load_problem_policy().exchange
    assert (answer.ship_first, answer.shop_pays) == (
        rule.correct_item_first,
        rule.shop_pays_return_shipping,
    )
    text = say(answer)
    assert "先给您发出" in text
    assert "上门免费取件" in text


def test_a_whole_box_of_fresh_food_asked_back_as_a_no_reason_return_gets_the_honest_rule(
    db, seeded_at
):
    order = demo_order(db, "fresh_delivered")
    messages = ["橙子烂了好几个", "能不能全部退了 我不想要了 七天无理由那种"]
    checked = fresh_claim_check(order, seeded_at, messages)
    assert isinstance(checked, FreshClaimToConfirm)
    assert checked.whole_return_asked
    assert "不支持七天无理由" in say(checked)
    other = "银行卡" if order.payment_method != "银行卡" else "微信支付"
    named = fresh_claim_check(order, seeded_at, ["橙子烂了好几个", f"我{other}付的"])
    assert isinstance(named, FreshClaimToConfirm)
    assert named.said_channel is not None
    assert "付款记录是" in say(named)

"""Follow-up questions about an open case are answered from the case and the policy."""

from datetime import timedelta

import pytest

from core.events import EventName
from shop.case_questions import (
    CaseChased,
    CaseCoupon,
    CaseProgress,
    CaseQuestion,
    CaseRefundTime,
    CaseRemedies,
    CaseTimeline,
    PhotoUpload,
    ask_about_case,
    case_question,
    open_case_in,
)
from shop.case_questions import (
    chases as case_chases,
)
from shop.logistics import CaseOpened, open_case
from shop.models import CaseKind, CaseStatus, LogisticsCase, Remedy
from shop.policy import load_policy
from tests.shop.conftest import demo_order

HOUR = timedelta(hours=1)


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("照片怎么发给你", CaseQuestion.PHOTO_UPLOAD),
        ("亲 图片发哪里", CaseQuestion.PHOTO_UPLOAD),
        ("拍了视频能发吗", CaseQuestion.PHOTO_UPLOAD),
        ("真丢了怎么办 给补发吗", CaseQuestion.REMEDY),
        ("要是找不到了你们管不管", CaseQuestion.REMEDY),
        ("能退钱吗", CaseQuestion.REMEDY),
        ("要是最后退钱 多久能到我卡上", CaseQuestion.REFUND_TIME),
        ("钱退到哪", CaseQuestion.REFUND_TIME),
        ("羽绒服要是不要了 退银行卡多久", CaseQuestion.REFUND_TIME),  # trial 23, T791
        ("退到支付宝要几天", CaseQuestion.REFUND_TIME),
        ("退款退哪 我用的花呗", CaseQuestion.REFUND_TIME),  # trial 27, T942 t7: the remedies
        ("能不能换个快递重新给我发一个", CaseQuestion.REMEDY),
        ("那先不取消 你们一定帮我催", CaseQuestion.HURRY),
        ("能不能快点", CaseQuestion.HURRY),
        ("帮我催一下 急用", CaseQuestion.HURRY),
        ("多久能给我换好", CaseQuestion.HOW_LONG),
        ("要多久", CaseQuestion.HOW_LONG),
        ("啥时候有结果啊", CaseQuestion.HOW_LONG),
        ("到底是谁签收的", CaseQuestion.WHO_SIGNED),
        ("签收人写的是谁", CaseQuestion.WHO_SIGNED),
        ("都拍好了 外面的箱子也拍了", CaseQuestion.PHOTO_UPLOAD),
        ("好的谢谢", None),
        ("我还想买个充电宝", None),
        ("白色什么时候补货", None),  # about stock, not the case
        ("发票什么时候开", None),
        ("行吧 那个券有期限没有", CaseQuestion.COUPON),
        ("券到啥时候", CaseQuestion.COUPON),
        ("优惠券什么时候发给我", CaseQuestion.COUPON),
        ("优惠券两单都有吗", CaseQuestion.COUPON),  # trial 28, T983 t6: the charger's price
        ("为什么还要主管确认 我明天就要用", CaseQuestion.WHY_APPROVAL),  # T978 t4
        ("38那双我怎么处理", CaseQuestion.RETURN_TRIP),  # T980 t5: compensation's words
        ("物流那边咋说", CaseQuestion.PROGRESS),
        ("快递那边怎么回的", CaseQuestion.PROGRESS),
        ("查到了吗", CaseQuestion.PROGRESS),
        ("有消息了没", CaseQuestion.PROGRESS),
        ("有消息马上告诉我", CaseQuestion.CLOSING),
        ("补发要几天", CaseQuestion.HOW_LONG),
        # trial 22, T744: 前几天买的 is when it was bought, never how long the case takes
        ("还有前几天买的绘本 现在领券26 能退差价吗", None),
        ("面单也要拍？箱子我扔楼下了", CaseQuestion.PHOTO_UPLOAD),  # trial 21
        ("行吧 拍了 怎么发你", CaseQuestion.PHOTO_UPLOAD),
    ],
)
def test_the_follow_up_is_read_from_the_shoppers_few_words(text, question):
    assert case_question(text) is question


def _opened(db, situation: str, now, conversation: str, which: int = 0) -> LogisticsCase:
    order = demo_order(db, situation, which)
    kind = {"stalled": CaseKind.DELAYED, "damaged_on_arrival": CaseKind.DAMAGED}[situation]
    outcome = open_case(db, order, kind, now, conversation_id=conversation)
    assert isinstance(outcome, CaseOpened)
    return db.get(LogisticsCase, outcome.case_id)


def test_the_open_case_is_the_one_of_this_conversation_and_order(db, seeded_at):
    case = _opened(db, "stalled", seeded_at, "c-q1", which=-1)
    assert open_case_in(db, "c-q1") == case
    assert open_case_in(db, "c-q1", case.order.order_no) == case
    assert open_case_in(db, "c-q1", "0000000000000") is None
    assert open_case_in(db, "c-other") is None
    case.status = CaseStatus.RESOLVED
    assert open_case_in(db, "c-q1") is None


def test_photos_are_asked_where_the_policy_needs_them_and_said_where_they_go(db, seeded_at):
    damaged = _opened(db, "damaged_on_arrival", seeded_at, "c-q2")
    answer = ask_about_case(db, damaged, CaseQuestion.PHOTO_UPLOAD, seeded_at)
    assert isinstance(answer, PhotoUpload)
    assert answer.case.needs_photo is load_policy().cases[CaseKind.DAMAGED].needs_photo is True
    assert answer.case.order_no == damaged.order.order_no
    late = _opened(db, "stalled", seeded_at, "c-q3", which=-1)
    assert ask_about_case(db, late, CaseQuestion.PHOTO_UPLOAD, seeded_at).case.needs_photo is False


def test_how_long_is_the_promised_answer_time_and_the_policys_shipping_time(db, seeded_at):
    damaged = _opened(db, "damaged_on_arrival", seeded_at, "c-q4")
    answer = ask_about_case(db, damaged, CaseQuestion.HOW_LONG, seeded_at)
    assert isinstance(answer, CaseTimeline)
    hours = load_policy().cases[CaseKind.DAMAGED].reply_within_hours
    assert answer.case.reply_by == seeded_at + timedelta(hours=hours)
    assert answer.ships_within_hours == load_policy().remedy_ships_within_hours
    assert answer.case.promised == (Remedy.RESHIP_OR_REFUND,)
    assert not answer.passed_to_agent
    late_answer = ask_about_case(db, damaged, CaseQuestion.HOW_LONG, answer.case.reply_by + HOUR)
    assert late_answer.passed_to_agent


def test_the_refund_time_asked_in_a_case_is_the_orders_way_back_and_its_days(db, seeded_at):
    damaged = _opened(db, "damaged_on_arrival", seeded_at, "c-q7")
    answer = ask_about_case(db, damaged, CaseQuestion.REFUND_TIME, seeded_at)
    assert isinstance(answer, CaseRefundTime)
    assert answer.refund_offered
    assert answer.money.channel == damaged.order.payment_method
    assert answer.money.amount == damaged.order.total_amount
    late = _opened(db, "stalled", seeded_at, "c-q8", which=-1)
    assert not ask_about_case(db, late, CaseQuestion.REFUND_TIME, seeded_at).refund_offered


def test_a_late_parcel_says_what_happens_if_it_is_lost(db, seeded_at):
    late = _opened(db, "stalled", seeded_at, "c-q5", which=-1)
    answer = ask_about_case(db, late, CaseQuestion.REMEDY, seeded_at)
    assert isinstance(answer, CaseRemedies)
    assert answer.if_lost == (Remedy.RESHIP_OR_REFUND,)
    threshold = load_policy().approval.order_value_above_yuan
    assert answer.if_lost_needs_approval is (late.order.total_amount > threshold)


def test_an_expensive_damaged_item_says_a_supervisor_confirms_the_remedy(db, seeded_at):
    damaged = _opened(db, "damaged_on_arrival", seeded_at, "c-q6", which=-1)
    assert damaged.order.total_amount > load_policy().approval.order_value_above_yuan
    answer = ask_about_case(db, damaged, CaseQuestion.REMEDY, seeded_at)
    assert (answer.case.promised, answer.case.awaiting_approval) == ((), (Remedy.RESHIP_OR_REFUND,))
    assert answer.if_lost == ()


def test_a_chase_is_recorded_and_after_the_promised_time_goes_to_a_person(db, seeded_at, recorded):
    late = _opened(db, "stalled", seeded_at, "c-q7", which=-1)
    answer = ask_about_case(db, late, CaseQuestion.HURRY, seeded_at)
    assert answer == CaseChased(answer.case, passed_to_agent=False)
    overdue = ask_about_case(db, late, CaseQuestion.HURRY, late.reply_by + HOUR)
    assert overdue.passed_to_agent
    chases = recorded(EventName.CASE_CHASED)
    assert [(e.subject_id, e.order_no, e.cause, e.conversation_id) for e in chases] == [
        (str(late.id), late.order.order_no, "delayed", "c-q7")
    ] * 2
    assert [e.payload["overdue"] for e in chases] == [False, True]
    assert case_chases(db, [late.id, late.id + 1000]) == {late.id: 2}  # what the desk shows


def test_the_coupon_of_a_late_parcel_is_said_with_how_long_it_can_be_used(db, seeded_at):
    case = _opened(db, "stalled", seeded_at, "c-coupon")
    answer = ask_about_case(db, case, CaseQuestion.COUPON, seeded_at + HOUR)
    rule = load_policy().cases[CaseKind.DELAYED]
    assert answer == CaseCoupon(answer.case, rule.coupon_yuan, rule.coupon_valid_days)


def test_a_case_that_gives_no_coupon_says_so(db, seeded_at):
    case = _opened(db, "damaged_on_arrival", seeded_at, "c-no-coupon")
    answer = ask_about_case(db, case, CaseQuestion.COUPON, seeded_at + HOUR)
    assert (answer.coupon_yuan, answer.valid_days) == (None, None)


def test_the_progress_of_a_late_parcel_is_its_latest_scan_and_nothing_new_yet(db, seeded_at):
    case = _opened(db, "stalled", seeded_at, "c-progress")
    answer = ask_about_case(db, case, CaseQuestion.PROGRESS, seeded_at + HOUR)
    assert isinstance(answer, CaseProgress)
    last = case.order.latest_shipment.events[-1]
    assert answer.last_scan_at == last.occurred_at
    assert last.description in answer.last_scan
    assert not answer.moved_since_opened
    assert not answer.passed_to_agent


def test_progress_asked_after_the_promised_time_passes_the_case_to_a_person(db, seeded_at):
    case = _opened(db, "stalled", seeded_at, "c-progress-late")
    late = case.reply_by + HOUR
    assert ask_about_case(db, case, CaseQuestion.PROGRESS, late).passed_to_agent


def test_once_the_shopper_chose_a_remedy_only_that_one_is_said(db, seeded_at):
    from shop.case_questions import CaseChoice, choose_remedy
    from words.render import say

    case = _opened(db, "damaged_on_arrival", seeded_at, "c-chosen")
    before = say(ask_about_case(db, case, CaseQuestion.HOW_LONG, seeded_at + HOUR))
    assert "您选补发的话" in before
    assert choose_remedy(case, CaseChoice.REFUND, seeded_at + HOUR) is not None
    timeline = ask_about_case(db, case, CaseQuestion.HOW_LONG, seeded_at + HOUR)
    remedies = ask_about_case(db, case, CaseQuestion.REMEDY, seeded_at + HOUR)
    assert timeline.chosen == remedies.chosen == CaseChoice.REFUND
    for said in (say(timeline), say(remedies)):
        assert "按您选的" in said
        assert "补发" not in said


def test_a_shopper_who_does_not_know_how_to_use_the_coupon_asks_about_the_cases_coupon():
    assert case_question("券是啥东西 我不会用啊") == CaseQuestion.COUPON


@pytest.mark.parametrize("text", ["货退到哪", "退哪一件"])
def test_where_goods_go_back_or_which_one_is_no_question_of_the_refund(text):
    # the review of session 28
    assert case_question(text) != CaseQuestion.REFUND_TIME

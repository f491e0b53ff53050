"""What the shopper reads (words/storefront.yaml), rendered from the facts of real demo orders."""

import dataclasses
import re
from datetime import timedelta
from decimal import Decimal

import pytest
import yaml
from sqlalchemy import select

from bot.actions.common import NotSaidBefore, PartAnswered, RefusalHeld, SaidAgain
from conversations import queue, waiting_delivery
from conversations.acknowledgement import (
    POLICY_INTENTS,
    AckAskOrder,
    Acknowledgement,
    AckPolicyAnswer,
    Concern,
)
from conversations.needs import AnsweredBeside, Need, OtherNeeds, OtherNeedsNoted, PushbackHeard
from conversations.parts_asked import Covered
from core.clock import SHOP_TZ
from shop import aftersales, case_questions, order_terms, presale, product_questions, promotions
from shop.aftersales import (
    CancelRefused,
    CancelToConfirm,
    OrderCancelled,
    RefundArrival,
    RefundArrivals,
    RefundStatus,
    RefundTimes,
    ReturnAlreadyPending,
    ReturnRequested,
    ReturnToConfirm,
    ReturnToSend,
    ReturnWindow,
    Warranty,
    WhichItemToRepair,
)
from shop.appointments import (
    AppointmentRejected,
    DayPartHours,
    DeliveryAppointment,
    day_part_hours_asked,
)
from shop.chasing import (
    ChaseAnswer,
    ChaseTalk,
    Dispatch,
    OrderKept,
    WarehouseChased,
    chase_answer,
    next_dispatch,
)
from shop.demo.seed import ORDERS_FILE, load_yaml
from shop.invoice_reading import InvoiceDetailsBeforeOrder
from shop.logistics import (
    IN_TRANSIT,
    CaseAlreadyOpen,
    CaseFollowUp,
    CaseOpened,
    CaseWithdrawn,
    NoParcelYet,
    NotDeliveredYet,
    OnSchedule,
    ParcelReport,
    open_case,
    recheck_open_cases,
    withdraw_case,
)
from shop.models import (
    CaseKind,
    DeliveryPlace,
    LogisticsCase,
    Order,
    OrderStatus,
    Product,
    Remedy,
    TrackingEvent,
)
from shop.modifications import (
    AppointmentToConfirm,
    ChangeField,
    ChangeRefused,
    ChangeStillWaiting,
    DeliveryAppointed,
    OrderChanged,
    PendingChange,
    ValueQuestion,
    ValueRejected,
    apply_change,
    change_refusal,
    check_value,
    pending_change,
    still_waiting,
    value_question,
)
from shop.opened_returns import OpenedReturn, opened_return
from shop.order_terms import OrderRefundTerms, OrderReturnPostage
from shop.periods import PeriodExplained, period_stated
from shop.policy import load_policy
from shop.power_limits import PowerAgainstLimit, power_against_limit
from shop.price_protection import PricePolicy, ProductPriceProtection, product_price_protection
from shop.product_names import GoodsOfAnotherOrder, goods_of_another_order
from shop.refund_policy import load_refund_policy
from shop.return_withdrawal import (
    ReturnWithdrawn,
    WithdrawalRefused,
    WithdrawalToConfirm,
    withdrawal_check,
)
from shop.shipping import DeliveryEstimate, ShippingFee, delivery_estimate, shipping_asked
from shop.tracking import (
    OrderAtAGlance,
    OrderProgress,
    TrackingFollowUp,
    order_at_a_glance,
    order_progress,
    tracking_follow_up,
)
from shop.waybills import ReturnWaybillHeard, WaybillNotAnOrder
from tests.shop.conftest import catalogue_product, demo_order, demo_orders
from tests.words.order_services_speech import SPOKEN, speak_order_services
from tests.words.problem_speech import SPOKEN as PROBLEMS_SPOKEN
from tests.words.problem_speech import speak_problems
from tests.words.typed_answer_speech import PHRASES as TYPED_ANSWER_PHRASES
from tests.words.typed_answer_speech import SPOKEN as TYPED_ANSWER_SPOKEN
from tests.words.typed_answer_speech import speak_typed_answers
from tests.words.venting_speech import PHRASES as CASE_HEARD_PHRASES
from tests.words.venting_speech import SPOKEN as VENTING_SPOKEN
from tests.words.venting_speech import speak_venting
from tests.words.waiting_speech import SPOKEN as WAITING_SPOKEN
from tests.words.waiting_speech import speak_waiting
from words.render import STOREFRONT_FILE, phrase, say, shopper_label, template_key

NEW_ADDRESS = "杭州市西湖区文三路100号2幢301"
NEW_PHONE = "13912345678"

# Every fact the storefront chat says, each with the template named after it.
SPOKEN_FACTS = (
    InvoiceDetailsBeforeOrder,  # 抬头 税号 typed while buying
    DayPartHours,  # 下午是几点到几点 after a delivery time
    aftersales.PartCancelAsked,  # 只取消洗脸巾 四件套留着
    WithdrawalToConfirm,  # 不想退了 能取消退货吗
    WithdrawalRefused,
    ReturnWithdrawn,
    PeriodExplained,  # a question about the period a fact states
    # where the order is
    OrderProgress,
    OrderAtAGlance,
    TrackingFollowUp,
    SaidAgain,
    RefusalHeld,
    NotSaidBefore,
    PartAnswered,
    # after-sales
    CancelToConfirm,
    OrderCancelled,
    CancelRefused,
    ReturnToConfirm,
    ReturnWindow,
    ReturnRequested,
    ReturnAlreadyPending,
    ReturnToSend,
    ReturnWaybillHeard,
    WaybillNotAnOrder,
    RefundStatus,
    RefundArrival,
    RefundArrivals,
    RefundTimes,
    OrderRefundTerms,
    OrderReturnPostage,
    Warranty,
    WhichItemToRepair,
    # order changes
    ValueQuestion,
    ValueRejected,
    PendingChange,
    ChangeStillWaiting,
    ChangeRefused,
    OrderChanged,
    # delivery appointments
    DeliveryAppointment,
    AppointmentRejected,
    AppointmentToConfirm,
    DeliveryAppointed,
    # logistics cases
    ParcelReport,
    NoParcelYet,
    NotDeliveredYet,
    OnSchedule,
    CaseAlreadyOpen,
    CaseOpened,
    CaseFollowUp,
    CaseWithdrawn,  # the parcel turned up: the case taken back
    case_questions.ReplyTimeBeforeCase,  # 主管什么时候回复, before the case is registered
    case_questions.RemedyBeforeCase,  # 有没有补偿, before the case is registered
    # chasing a late order
    WarehouseChased,
    Dispatch,
    OrderKept,
    ChaseAnswer,
    # pre-sale
    presale.ProductNotFound,
    presale.ProductFact,
    presale.FactUnknown,
    presale.StockReport,
    presale.VariantStock,
    presale.NoSuchVariant,
    presale.PriceQuote,
    ShippingFee,
    DeliveryEstimate,
    promotions.ProductsTotal,
    promotions.FullOffShort,  # a 满减 a basket misses, said inside the basket's total
    presale.NoSizeChart,
    presale.SizeAdvice,
    presale.GirthSizeAdvice,
    presale.FootLengthNeeded,
    presale.ShoeSizeAdvice,
    presale.FootOutsideChart,
    # follow-ups about the product in focus
    product_questions.ProductFacts,
    product_questions.ProductOptions,
    product_questions.ProductInFocus,
    PowerAgainstLimit,  # a power limit the shopper stated against the product's power
    OpenedReturn,  # goods unpacked but unused: the categories' no-reason rule
    GoodsOfAnotherOrder,  # goods named that the verified order does not hold
    # questions about the case open in the conversation
    case_questions.PhotoUpload,
    case_questions.CaseTimeline,
    case_questions.CaseRefundTime,
    case_questions.CaseProgress,
    case_questions.CaseCoupon,
    aftersales.MoneyBack,  # inside the case answers that say where a refund goes
    case_questions.ChoiceBeforeCase,
    case_questions.CaseRemedies,
    case_questions.CaseChased,
    case_questions.CaseParcels,
    case_questions.ReturnTrip,
    case_questions.RefundOnItsWay,
    case_questions.CaseClosing,
    case_questions.ParcelSigned,
    case_questions.RemedySwitchToConfirm,
    case_questions.ChoiceNotedIfLost,
    case_questions.SearchNoted,
    case_questions.ApprovalExplained,
    case_questions.RemedyNotOffered,
    case_questions.RemedyChosen,
    case_questions.CompensationToConfirm,
    case_questions.CompensationPassedOn,
    AckAskOrder,
    AckPolicyAnswer,
    # needs named beside the one answered; questions beside it answered, reproaches heard
    OtherNeeds,
    OtherNeedsNoted,
    AnsweredBeside,
    PushbackHeard,
    # waiting for a person
    queue.AgentWait,
    queue.StillWaiting,
    queue.WhoToTurnTo,  # 我找谁: the agents and their hours
    waiting_delivery.DeliveryWishHeld,
    waiting_delivery.DeliveryWishKept,
    # 价保 for the product in focus, before any order
    ProductPriceProtection,
    # invoices and 价保 on the shopper's own order
    *SPOKEN,
    # bad fresh food, quality problems, cases said back, two ways to help
    *PROBLEMS_SPOKEN,
    # a request waiting for its yes after a question; a cancel the shopper did not ask for
    *WAITING_SPOKEN,
    *TYPED_ANSWER_SPOKEN,  # typed words at a confirmation or at a spec change's value step
    *VENTING_SPOKEN,
)
# Lines said from no fact of their own (a nested fact is passed in by name).
PHRASES = {"bot_unavailable", "handed_back", "order_check", "repair_offer", "repair_passed_on"}
PHRASES |= {"returns_closed"}
PHRASES |= {"no_reason_postage"}  # inside the return answers, and on its own
PHRASES |= {"tax_no_length_off"}  # inside the two invoice answers
PHRASES |= {"cancel_refund"}  # inside the cancel said back, and on its own while it waits
PHRASES |= {"not_on_the_page"}  # inside the product's facts, for the questions it leaves
PHRASES |= {"tail_unknown"}  # the lookup stopped for a tail the asker does not know
PHRASES |= TYPED_ANSWER_PHRASES | CASE_HEARD_PHRASES


def _templates() -> dict[str, str]:
    return yaml.safe_load(STOREFRONT_FILE.read_text(encoding="utf-8"))["templates"]


def _tshirt(db) -> Order:
    """The demo order of one black M T-shirt (P1001-BK-M), not yet shipped."""
    orders = db.scalars(select(Order).where(Order.status == OrderStatus.AWAITING_SHIPMENT))
    return next(o for o in orders if o.items[0].variant.sku == "P1001-BK-M")


def _case(db, situation, kind, now, which=-1, **kwargs):
    """Open a case on the situation's last demo order."""
    return open_case(db, demo_order(db, situation, which), kind, now, **kwargs)


# --- where the order is -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("situation", "must_say", "must_not_say"),
    [
        ("awaiting_shipment", ["正在仓库打包", "取消"], ["抱歉"]),
        ("ship_overdue", ["还没有发货", "抱歉"], ["正在仓库打包"]),
        ("in_transit", ["正在运输中", "运单号", "最新物流", "预计"], ["抱歉"]),
        ("out_for_delivery", ["正在派送中", "正在为您派件"], ["抱歉"]),
        ("stalled", ["天没有更新", "抱歉"], []),
        ("late", ["超过承诺", "抱歉"], ["没有更新"]),
        ("delivered_not_received", ["签收", "菜鸟驿站代收"], ["运输中"]),
        ("return_awaiting", ["等待您寄回商品", "¥"], []),
        ("refund_in_progress", ["退款正在处理中", "¥"], []),
        ("refunded", ["原路退回", "¥"], []),
        ("cancelled", ["已经取消"], ["运单号"]),
    ],
)
def test_the_status_message_matches_the_orders_situation(
    db, seeded_at, situation, must_say, must_not_say
):
    order = demo_order(db, situation)
    text = say(order_progress(order, seeded_at))
    assert order.order_no in text
    for words in must_say:
        assert words in text, f"{situation}: {words!r} missing in {text!r}"
    for words in must_not_say:
        assert words not in text, f"{situation}: {words!r} unexpected in {text!r}"


def test_the_status_message_shows_the_tracking_number_and_latest_scans(db, seeded_at):
    order = demo_order(db, "in_transit")
    progress = order_progress(order, seeded_at)
    text = say(progress)
    assert progress.parcel.tracking_no in text
    scan_lines = [line for line in text.split("\n") if line.startswith("· ")]
    assert scan_lines
    assert [line.split("：", 1)[1] for line in scan_lines] == [
        s.description for s in progress.latest_scans
    ]


def test_an_order_of_many_products_names_two_and_counts_the_rest(db, seeded_at):
    order = demo_order(db, "in_transit", which=2)
    progress = dataclasses.replace(
        order_progress(order, seeded_at),
        product_names=("甲", "乙", "丙"),
    )
    assert "（甲、乙等3件商品）" in say(progress)


def test_an_old_date_shows_its_year(db, seeded_at):
    order = demo_order(db, "out_of_warranty")
    text = say(order_progress(order, seeded_at))
    assert f"{order.shipments[-1].delivered_at.year}年" in text


# --- after-sales --------------------------------------------------------------------------------


def test_a_cancelled_order_is_refunded_in_full_to_where_it_was_paid(db, seeded_at):
    order = demo_order(db, "awaiting_shipment")
    asked = say(aftersales.cancel_check(order, seeded_at))
    for said_back in (order.order_no, f"¥{order.total_amount}", "确认帮您取消吗"):
        assert said_back in asked
    assert order.items[0].variant.product.name in asked
    text = say(aftersales.cancel(db, order, seeded_at))
    assert order.order_no in text
    assert f"¥{order.total_amount}" in text
    assert f"原路退回{order.payment_method}" in text


def test_a_shipped_order_that_cannot_be_cancelled_points_to_refusing_the_parcel(db, seeded_at):
    text = say(aftersales.cancel(db, demo_order(db, "in_transit"), seeded_at))
    assert "拒收" in text
    assert "申请退货" in text


def test_cancelling_twice_says_the_order_is_already_cancelled(db, seeded_at):
    text = say(aftersales.cancel(db, demo_order(db, "cancelled"), seeded_at))
    assert "已经是取消状态" in text


@pytest.mark.parametrize(
    ("situation", "must_say"),
    [
        ("returnable", ["还在七天无理由退换期内", "还剩4天"]),
        ("not_returnable", ["期限已经过了", "质量问题"]),
        ("fresh_delivered", ["不支持七天无理由", "质量问题"]),
        ("in_transit", ["还没有签收"]),
    ],
)
def test_the_return_window_says_which_rule_decided(db, seeded_at, situation, must_say):
    order = demo_order(db, situation)
    text = say(aftersales.return_window(order, seeded_at))
    for words in must_say:
        assert words in text, f"{situation}: {words!r} missing in {text!r}"


def test_fresh_food_names_its_category(db, seeded_at):
    order = demo_order(db, "fresh_delivered")
    category = order.items[0].variant.product.category
    assert category.name in say(aftersales.return_window(order, seeded_at))


def test_a_return_request_confirms_the_window_and_is_not_repeated(db, seeded_at):
    order = demo_order(db, "returnable")
    window = say(aftersales.return_window(order, seeded_at))
    requested = say(aftersales.request_return(db, order, seeded_at, "尺码偏小"))
    assert requested.startswith(window)
    assert "已为您提交退换货申请" in requested
    again = say(aftersales.request_return(db, order, seeded_at, "尺码偏小"))
    assert "不用重复申请" in again


def test_an_exchange_wanted_beside_the_yes_is_written_on_the_request_and_said_back(db, seeded_at):
    order = demo_order(db, "returnable")
    requested = aftersales.request_return(db, order, seeded_at, "想换", exchange_for="卡其色33")
    assert "想换成「卡其色33」" in say(requested)
    assert "卡其色33" in order.after_sales[-1].reason


def test_an_approved_return_is_told_the_address_the_day_and_where_the_waybill_goes(db, seeded_at):
    order = demo_order(db, "return_awaiting")
    address = load_refund_policy().return_to.address
    to_send = aftersales.return_to_send(order)
    assert to_send is not None
    for text in (
        say(aftersales.return_check(order, seeded_at)),
        say(aftersales.refund_status(order, seeded_at)),
        say(order_progress(order, seeded_at)),
    ):
        assert address in text
        assert f"{to_send.send_by.astimezone(SHOP_TZ).month}月" in text
        assert "售后进度" in text
        assert "运单号" in text
        assert "审核通过后会把寄回地址发给您" not in text  # never "still in review"


@pytest.mark.parametrize(
    ("situation", "words"),
    [
        ("refund_in_progress", "正在处理中"),
        ("refunded", "原路退回"),
        ("in_transit", "没有退款申请"),
    ],
)
def test_refund_status_reports_progress_and_completed_refunds(db, seeded_at, situation, words):
    order = demo_order(db, situation)
    text = say(aftersales.refund_status(order, seeded_at))
    assert order.order_no in text
    assert words in text


@pytest.mark.parametrize(
    ("situation", "words"),
    [
        ("in_warranty", "免费维修"),
        ("out_of_warranty", "过保"),
        ("returnable", "没有保修服务"),
        ("in_transit", "还没有签收"),
    ],
)
def test_warranty_says_whether_the_repair_is_free(db, seeded_at, situation, words):
    order = demo_order(db, situation)
    product = order.items[0].variant.product
    assert words in say(aftersales.warranty(order, product, seeded_at))


def test_a_repair_passed_on_repeats_the_warranty_and_says_who_follows_up(db, seeded_at):
    order = demo_order(db, "out_of_warranty")
    warranty = aftersales.warranty(order, order.items[0].variant.product, seeded_at)
    text = phrase("repair_passed_on", warranty=warranty)
    assert text.startswith(say(warranty))
    assert "转给售后同事" in text


# --- logistics cases ----------------------------------------------------------------------------


def test_a_stalled_parcels_case_says_the_facts_the_remedies_and_when_we_answer(db, seeded_at):
    text = say(_case(db, "stalled", CaseKind.DELAYED, seeded_at, conversation_id="c-1"))
    assert "天没有动了" in text
    assert "加急催件" in text
    assert f"{load_policy().cases[CaseKind.DELAYED].coupon_yuan}元" in text
    assert "前给您答复" in text


@pytest.mark.parametrize(
    ("situation", "words", "offers_human"),
    [("cancelled", "已经取消了", False), ("ship_overdue", "还没有发货", False)],  # chased
)
def test_an_order_without_a_parcel_says_where_it_stands(
    db, seeded_at, situation, words, offers_human
):
    text = say(_case(db, situation, CaseKind.DELAYED, seeded_at))
    assert words in text
    assert ("转人工客服" in text) is offers_human


def test_reporting_the_same_problem_again_says_it_is_being_followed(db, seeded_at):
    _case(db, "stalled", CaseKind.DELAYED, seeded_at, conversation_id="c-1")
    again = _case(db, "stalled", CaseKind.DELAYED, seeded_at, conversation_id="c-1")
    assert "已经在跟进" in say(again)


def test_a_parcel_on_schedule_gets_an_honest_answer(db, seeded_at):
    assert "正常时效" in say(_case(db, "in_transit", CaseKind.DELAYED, seeded_at))


def test_delivered_but_not_received_names_the_signer_and_the_investigation(db, seeded_at):
    text = say(_case(db, "delivered_not_received", CaseKind.DELAYED, seeded_at))
    assert "菜鸟驿站代收" in text
    assert "核查派送记录" in text


def test_damage_asks_for_photos_and_is_not_taken_before_delivery(db, seeded_at):
    assert "拍几张照片" in say(_case(db, "damaged_on_arrival", CaseKind.DAMAGED, seeded_at, 1))
    early = say(_case(db, "in_transit", CaseKind.DAMAGED, seeded_at))
    assert "还没有签收" in early


def test_a_valuable_order_hears_a_supervisor_confirms_instead_of_a_promise(db, seeded_at):
    damaged = demo_orders(db, "damaged_on_arrival")
    valuable = max(damaged, key=lambda o: o.total_amount)
    cheap = min(damaged, key=lambda o: o.total_amount)
    waiting = open_case(db, valuable, CaseKind.DAMAGED, seeded_at, conversation_id="c-a")
    settled = open_case(db, cheap, CaseKind.DAMAGED, seeded_at, conversation_id="c-b")
    promise = _remedy_line(settled, Remedy.RESHIP_OR_REFUND)
    assert "主管确认" in say(waiting)
    assert promise not in say(waiting)  # not promised before the supervisor confirms it
    assert promise in say(settled)
    assert "主管" not in say(settled)


def _remedy_line(opened: CaseOpened, remedy: Remedy) -> str:
    """The line `remedy` adds to the case's message."""
    without = set(say(dataclasses.replace(opened, promised=(), awaiting_approval=())).split("\n"))
    with_it = say(dataclasses.replace(opened, promised=(remedy,), awaiting_approval=()))
    [line] = [line for line in with_it.split("\n") if line not in without]
    return line


def test_every_remedy_has_its_own_line(db, seeded_at):
    opened = _case(db, "stalled", CaseKind.DELAYED, seeded_at)
    lines = {remedy: _remedy_line(opened, remedy) for remedy in Remedy}
    assert all(line.strip() for line in lines.values())
    assert len(set(lines.values())) == len(Remedy), lines
    assert opened.report.parcel.carrier in lines[Remedy.URGE_CARRIER]
    assert f"{opened.coupon_yuan}元" in lines[Remedy.COUPON]


def test_an_open_case_follows_up_with_the_new_scan_and_when_it_is_overdue(db, seeded_at):
    opened = _case(db, "stalled", CaseKind.DELAYED, seeded_at, conversation_id="c-9")
    order = demo_order(db, "stalled", which=-1)
    order.latest_shipment.events.append(
        TrackingEvent(
            occurred_at=seeded_at + timedelta(hours=1),
            location="天津",
            description="快件已恢复派送",
        )
    )
    db.flush()

    def mine(when):
        return [f for f in recheck_open_cases(db, when) if f.conversation_id == "c-9"]

    [moved] = mine(seeded_at + timedelta(hours=2))
    text = say(moved)
    assert order.order_no in text
    assert "天津：快件已恢复派送" in text
    assert "已经送达" not in text
    assert "已经送达" in say(dataclasses.replace(moved, resolved=True))

    [overdue] = mine(opened.reply_by + timedelta(minutes=1))
    assert "人工客服" in say(overdue)


# --- order changes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("situation", "words"),
    [("in_transit", "拦截改派"), ("cancelled", "已经取消了"), ("returnable", "已经签收了")],
)
def test_an_order_past_changing_says_what_can_still_be_done(db, situation, words):
    order = demo_order(db, situation)
    text = say(change_refusal(order))
    assert order.order_no in text
    assert words in text


def test_an_address_change_repeats_the_new_address(db, seeded_at):
    text = say(apply_change(db, _tshirt(db), ChangeField.ADDRESS, NEW_ADDRESS, seeded_at))
    assert f"收货地址改为：{NEW_ADDRESS}" in text
    assert "仓库会按修改后的信息发货" in text


def test_a_phone_change_shows_only_the_masked_number(db, seeded_at):
    order = _tshirt(db)
    old = order.receiver_phone
    text = say(apply_change(db, order, ChangeField.PHONE, NEW_PHONE, seeded_at))
    assert "139****5678" in text
    assert NEW_PHONE not in text
    assert old not in text
    assert "后四位" in text


def test_a_spec_change_names_the_product_and_both_specs(db, seeded_at):
    order = _tshirt(db)
    text = say(apply_change(db, order, ChangeField.SPEC, "换成L码", seeded_at))
    product = order.items[0].variant.product.name
    assert f"「{product}」从 黑色 / M 换成 黑色 / L" in text


def test_a_sold_out_spec_is_named_as_out_of_stock(db, seeded_at):
    text = say(apply_change(db, _tshirt(db), ChangeField.SPEC, "白色L", seeded_at))
    assert "白色 / L" in text
    assert "没货" in text


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        (ChangeField.ADDRESS, "北京", "地址好像不完整"),
        (ChangeField.PHONE, "尾号5678", "手机号好像不对"),
        (ChangeField.SPEC, "紫色", "没找到您说的这个规格"),
    ],
)
def test_a_value_that_does_not_check_out_says_what_is_wrong(db, field, value, words):
    assert words in say(check_value(field, value, _tshirt(db)).rejected)


def test_the_tracking_answer_mentions_the_appointment_and_who_keeps_it(db, seeded_at):
    order = demo_order(db, "in_transit")
    wanted = DeliveryAppointment(
        seeded_at.date() + timedelta(days=2), 18, None, DeliveryPlace.LOCKER
    )
    apply_change(db, order, ChangeField.DELIVERY_TIME, wanted.code(), seeded_at)
    text = say(order_progress(order, seeded_at))
    assert f"您约了「{say(wanted)}」送达，已经转达给快递" in text
    assert "18点以后，放快递柜" in say(wanted)


def test_an_appointment_passed_to_the_carrier_says_the_carrier_decides(db, seeded_at):
    order = demo_order(db, "in_transit")
    carrier = order.latest_shipment.carrier
    code = DeliveryAppointment(place=DeliveryPlace.GATEHOUSE).code()
    asked = say(pending_change(order, ChangeField.DELIVERY_TIME, code))
    done = say(apply_change(db, order, ChangeField.DELIVERY_TIME, code, seeded_at))
    for text in (asked, done):
        assert f"转达给{carrier}" in text
        assert "为准" in text  # the carrier has the last word, and the shopper is told so
    assert "「放门卫」" in done


def test_the_confirmation_names_the_field_and_the_exact_new_value(db):
    order = _tshirt(db)
    for field, value in [(ChangeField.ADDRESS, NEW_ADDRESS), (ChangeField.SPEC, "黑色 / L")]:
        text = say(PendingChange(order.order_no, field, value))
        assert f"{order.order_no} 的{shopper_label(field)}改成「{value}」" in text
        assert "确认修改吗" in text


def test_the_spec_question_lists_the_specs_in_stock(db):
    order = _tshirt(db)
    question = value_question(ChangeField.SPEC, order)
    text = say(question)
    assert f"「{question.options[0].product_name}」现在有货的有：" in text
    assert "、".join(question.options[0].variants) in text
    assert "白色 / L" not in text  # sold out


def test_a_spec_question_without_other_specs_in_stock_says_so(db):
    question = ValueQuestion(ChangeField.SPEC)
    assert "暂时没有别的规格有货" in say(question)


# --- the whole storefront vocabulary ------------------------------------------------------------


def test_every_spoken_fact_has_its_template_and_every_template_a_speaker():
    templates = set(_templates())
    facts = {template_key(fact) for fact in SPOKEN_FACTS}
    assert all(dataclasses.is_dataclass(fact) for fact in SPOKEN_FACTS)
    assert facts - templates == set(), "facts without a template"
    assert templates - facts - PHRASES == set(), "templates no fact or phrase uses"
    assert facts.isdisjoint(PHRASES)


# Questions on tracking just shown (shop.tracking.tracking_follow_up), one of each kind.
FOLLOW_UP_QUESTIONS = (
    *("明天能到吗", "那要多久", "怎么这么慢", "到哪了"),
    *("好吧", "大后天能到吗", "快递员电话"),
)


def _speak_every_demo_order(db, now) -> dict[str, list[str]]:
    """Every text the storefront says about the demo orders and catalogue, by template.

    Runs each operation the bot offers on every demo order (asking first, then changing), so
    every branch the demo reaches is rendered.
    """
    spoken: dict[str, list[str]] = {}
    spoken["said_again"] = [say(SaidAgain("需要拍这3张：1. 快递外箱；2. 快递面单。"))]
    spoken["refusal_held"] = [say(RefusalHeld("价保期是付款后30天（截至 11月26日），已经过了。"))]
    spoken["not_said_before"] = [say(NotSaidBefore())]
    spoken["day_part_hours"] = [
        say(hours)
        for text in ("上午几点", "中午几点", "下午是几点到几点", "晚上几点")
        if (hours := day_part_hours_asked(text)) is not None
    ]
    spoken["invoice_details_before_order"] = [
        say(InvoiceDetailsBeforeOrder("杭州青禾设计有限公司", None, True, 17)),
        say(InvoiceDetailsBeforeOrder(None, "91330106MA7C2Y1KUJ")),
        say(InvoiceDetailsBeforeOrder("杭州青禾设计有限公司", "91330106MA7C2Y1KUA", True, 18)),
    ]
    spoken["part_answered"] = [
        say(PartAnswered("银行卡一般3-7个工作日到账。", Covered("信用卡", "银行卡", True))),
        say(PartAnswered("退款发起后1-3个工作日到账。", Covered("周末", "工作日", False))),
        say(PartAnswered("仓库签收退货后1个工作日内发起退款。")),
    ]

    def speak(fact, key=None):
        spoken.setdefault(key or template_key(type(fact)), []).append(say(fact))
        if key is None and (period := period_stated(fact, now)) is not None:
            # 从哪天算, 周末算不算, 有期限吗 about the period it states
            spoken.setdefault("period_explained", []).append(say(PeriodExplained(period, now)))

    specs = load_yaml(ORDERS_FILE)["orders"]
    orders = [db.scalars(select(Order).where(Order.order_no == s["order_no"])).one() for s in specs]
    for order in orders:
        speak(order_progress(order, now))
        speak(order_at_a_glance(order, now))
        for question in FOLLOW_UP_QUESTIONS:
            speak(tracking_follow_up(order_progress(order, now), question, now))
        speak(aftersales.return_window(order, now))
        speak(aftersales.return_check(order, now))
        speak(opened_return(order, now))
        for goods in ("靴子也帮我催一下", "那个手机到哪了"):  # a kind, or a product's own keyword
            if (other := goods_of_another_order(db, goods, order)) is not None:
                speak(other)
        speak(withdrawal_check(order, now))  # 不想退了 能取消退货吗
        if isinstance(checked := withdrawal_check(order, now), WithdrawalToConfirm):
            withdrawn = ReturnWithdrawn(order.order_no, checked.product_names, None)
            speak(withdrawn)
            speak(dataclasses.replace(withdrawn, request_again_until=checked.request_again_until))
        if (to_send := aftersales.return_to_send(order)) is not None:
            speak(to_send)
            speak(ReturnWaybillHeard(order.order_no, "YT7712009344561", "圆通"))
        for shipment in order.shipments:  # a waybill given where an order number was wanted
            speak(WaybillNotAnOrder(shipment.tracking_no, shipment.carrier, order.order_no))
            speak(WaybillNotAnOrder(shipment.tracking_no, None, order_asked=True))
            speak(WaybillNotAnOrder(shipment.tracking_no, shipment.carrier))
        speak(aftersales.cancel_check(order, now))
        speak(aftersales.money_back(order))  # said inside the case answers
        if len(aftersales.order_products(order)) > 1:  # 只取消… 其余留着
            first = aftersales.order_products(order)[0]
            part = aftersales.part_cancel_asked(order, f"只取消{first.name}")
            if part is not None:
                speak(part)
        speak_order_services(db, order, now, speak)  # invoices and 价保
        speak(aftersales.refund_status(order, now))
        speak(aftersales.refund_status(order, now + timedelta(days=30)))
        for topic in order_terms.TermsTopic:  # a policy question in the order's terms
            for messages in ([], ["用了一次就坏了"]):
                if terms := order_terms.policy_in_order_terms(order, topic, now, messages):
                    speak(terms)
        if isinstance(item := aftersales.repair_item(order, ""), WhichItemToRepair):
            speak(item)
        for product in aftersales.order_products(order):
            warranty = aftersales.warranty(order, product, now)
            speak(warranty)
            for key in ("repair_offer", "repair_passed_on"):
                spoken.setdefault(key, []).append(phrase(key, warranty=warranty))
        closed = aftersales.return_window(order, now + timedelta(days=60), quality=True)
        if not closed.allowed and closed.deadline is not None:  # a fault found weeks on
            spoken.setdefault("returns_closed", []).append(phrase("returns_closed", closed=closed))
        if (refused := change_refusal(order)) is not None:
            speak(refused)
        for field, value in [
            (ChangeField.ADDRESS, NEW_ADDRESS),
            (ChangeField.PHONE, NEW_PHONE),
            (ChangeField.SPEC, "换成L码"),
        ]:
            speak(value_question(field, order))
            if (checked := check_value(field, value, order).value) is not None:
                speak(PendingChange(order.order_no, field, checked))
                speak(still_waiting(PendingChange(order.order_no, field, checked)))
            speak(apply_change(db, order, field, value, now))
        for field, value in [
            (ChangeField.ADDRESS, "北京"),
            (ChangeField.PHONE, "5678"),
            (ChangeField.SPEC, "白色L"),
        ]:
            if (rejected := check_value(field, value, order).rejected) is not None:
                speak(rejected)
        _speak_appointments(db, order, now, speak)
        speak_problems(db, order, now, speak)  # before the cases below are opened
        speak_waiting(order, now, speak)  # a request waiting after a question
        speak_typed_answers(order, speak, spoken)  # two buttons; the choices at a value step
        for kind in [*CaseKind, *CaseKind]:  # the second round finds the cases open
            outcome = open_case(db, order, kind, now, conversation_id=f"words-{order.order_no}")
            speak(outcome)
            if (report := getattr(outcome, "report", None)) is not None:
                speak(report)
        _speak_case_questions(db, order, now, speak)
        speak_venting(db, order, now, speak)  # venting heard inside the open cases
        _speak_chasing(db, order, now, speak)
        found = case_questions.open_case_in(db, f"words-{order.order_no}", order.order_no)
        if found is not None and found.kind in IN_TRANSIT:  # the parcel turned up
            speak(withdraw_case(db, found, now))
        if order.latest_shipment is not None:
            order.latest_shipment.events.append(
                TrackingEvent(
                    occurred_at=now + timedelta(hours=1),
                    location="天津",
                    description="快件已恢复派送",
                )
            )
        speak(aftersales.cancel(db, order, now))
        speak(aftersales.request_return(db, order, now, "不想要了"))
        speak(aftersales.request_return(db, order, now, "不想要了"))
        speak(order_progress(order, now))
    db.flush()
    for when in (now + timedelta(hours=2), now + timedelta(days=3)):
        for follow_up in recheck_open_cases(db, when):
            if follow_up.conversation_id.startswith("words-"):
                speak(follow_up)

    speak(presale.ProductNotFound())
    speak(presale.together_quote(list(db.scalars(select(Product).limit(2))), now))
    snacks = [catalogue_product(db, "P6001"), catalogue_product(db, "P6002")]
    basket = presale.together_quote(snacks, now, "坚果两袋 肉脯三包")
    speak(basket)
    assert basket.not_reached is not None  # 满199减40 on the nuts alone
    speak(basket.not_reached)
    for question in (
        "今天下单什么时候发货",
        "晚上八点下单什么时候发",
        "上午10点拍明天能发吗",
        "寄到杭州要几天",
        "寄到成都要几天",
        "寄乌鲁木齐几天到",
    ):
        for hour in (2, 12):  # UTC: before and after the warehouse's 16:00 cut-off, shop time
            speak(delivery_estimate(question, now.replace(hour=hour)))
    for product in db.scalars(select(Product)):
        speak(presale.price_quote(product))
        speak(presale.price_quote(product, now, "买两件多少钱"))
        for question in ("包邮吗", "买两件包邮吗", "寄新疆包邮吗 发顺丰呢"):
            speak(shipping_asked(question, product, now))
        speak(presale.stock_report(product, None, None))
        speak(presale.stock_report(product, "紫红", "XXXXL"))
        for variant in product.variants:
            speak(presale._stock(variant, now.date()))
        for question in ("保修多久", "保质期多久", "材质是什么", "能上天吗", *product.attributes):
            speak(presale.attribute_answer(product, question))
        for height, weight, foot in [
            (172, 65.0, None),
            (150, None, None),
            (None, 90.0, None),
            (185, 50.0, None),
            (None, None, 245),
            (None, None, 242),
            (None, None, 300),
        ]:
            if (advice := presale.advise_size(product, height, weight, foot)) is not None:
                speak(advice)
        for girth in ("腰围82", "胸围200"):  # within the chart, above it
            if (by_girth := presale.girth_size(product, girth)) is not None:
                speak(by_girth)
    _speak_product_follow_ups(db, speak)
    _speak_acknowledgements(speak)
    _speak_waiting(now, speak)
    _speak_other_needs(speak)
    _speak_product_price_protection(db, now, speak)
    speak(aftersales.refund_times())
    speak(aftersales.refund_arrivals())
    speak(RefundArrival(None, (0, 1)))
    speak(RefundArrival(None, (2, 2)))
    spoken["bot_unavailable"] = [phrase("bot_unavailable")]
    spoken["order_check"] = [phrase("order_check", known=k) for k in (False, True)]
    spoken["handed_back"] = [phrase("handed_back")]
    spoken["tail_unknown"] = [phrase("tail_unknown")]
    spoken["no_reason_postage"] = [phrase("no_reason_postage")]
    spoken["not_on_the_page"] = [phrase("not_on_the_page", unlisted=("开胶怎么办",))]
    spoken["tax_no_length_off"] = [phrase("tax_no_length_off", length=n) for n in (17, 19, 23)]
    spoken["cancel_refund"] = [
        phrase("cancel_refund", amount=Decimal("1599.00"), refund_channel=channel, arrival=arrival)
        for channel, arrival in (
            ("微信支付", RefundArrival(None, (1, 3))),
            ("银行卡", RefundArrival(None, (3, 7))),
        )
    ]
    for key in CASE_HEARD_PHRASES:
        spoken[key] = [phrase(key)]
    return spoken


OTHER_COLOUR = "能不能换成雾蓝色"  # a resend in another colour (the kettle's other one)


def _speak_case_questions(db, order: Order, now, speak) -> None:
    """Every question about the order's open cases, on time and after the promised time."""
    cases = db.scalars(select(LogisticsCase).where(LogisticsCase.order_id == order.id))
    for case in cases:
        for question in case_questions.CaseQuestion:
            for when in (now, case.reply_by + timedelta(hours=1)):
                speak(case_questions.ask_about_case(db, case, question, when))
        for choice in case_questions.CaseChoice:
            for fact in (
                case_questions.remedy_switch(case, choice, now),
                case_questions.choose_remedy(case, choice, now),
                case_questions.note_choice_if_lost(case, choice, now),  # twice: noted before
                case_questions.note_choice_if_lost(case, choice, now),
                case_questions.choice_before_case(order, case.kind, choice),  # before the yes
                case_questions.choice_before_case(order, case.kind, choice, words=OTHER_COLOUR),
                case_questions.reply_time_before_case(case.kind, order),
                case_questions.approval_explained(case.kind, order),  # 为什么要主管确认
                case_questions.remedy_before_case(case.kind, order),  # 有没有补偿, before it
            ):
                if fact is not None:
                    speak(fact)
        for question in (case_questions.CaseQuestion.HOW_LONG, case_questions.CaseQuestion.REMEDY):
            speak(case_questions.ask_about_case(db, case, question, now))  # after a choice
        speak(case_questions.note_compensation(case, order.order_no, now))
        speak(case_questions.note_compensation(None, order.order_no, now))
        if (searched := case_questions.note_search(case, "驿站问了 没有", now)) is not None:
            speak(searched)
        speak(case_questions.return_trip(case.kind))  # asked before the case is opened
        refund = case_questions.CaseChoice.REFUND
        if (on_its_way := case_questions.refund_on_its_way(case, refund, now)) is not None:
            speak(on_its_way)


def _speak_acknowledgements(speak) -> None:
    """Every acknowledgement before the order question, and the policy answers' offers."""
    moods = ({}, {"upset": True}, {"urgent": True, "worried": True}, {"safety": True})
    for concern in (None, *Concern):
        for mood in moods:
            speak(AckAskOrder(Acknowledgement(concern, "track_order", **mood)))
    speak(AckAskOrder(tail_known="6384"))
    speak(AckAskOrder(where=True))
    for request in sorted(POLICY_INTENTS):
        speak(AckPolicyAnswer("生鲜商品不支持7天无理由退货。", request))


def _speak_chasing(db, order: Order, now, speak) -> None:
    """Every chase follow-up on the order, with its late case open here and without one."""
    case = case_questions.open_case_in(db, f"words-{order.order_no}")
    for talk in ChaseTalk:
        speak(chase_answer(order, talk, None, now))
        if case is not None and case.kind == CaseKind.DELAYED:
            speak(chase_answer(order, talk, case, now))
            speak(chase_answer(order, talk, case, case.reply_by + timedelta(hours=1)))
    speak(OrderKept(order.order_no))
    for hour in (6, 20):
        speak(next_dispatch(now.astimezone(SHOP_TZ).replace(hour=hour)))


def _speak_product_follow_ups(db, speak) -> None:
    for product in db.scalars(select(Product)):
        speak(product_questions.ProductInFocus(product.name))
        for question in ("透不透", "充电多少瓦", "要另外收钱不", "能用多久", "保温多久"):
            speak(product_questions.product_answer(product, question))
        for question in ("有几种颜色", "有哪些尺码", "有几个版本", "有160码的吗", "有xxl的吗"):
            answer = product_questions.product_answer(product, question)
            if not isinstance(answer, product_questions.AskedAbout):  # its stock: said elsewhere
                speak(answer)
        for limit in ("宿舍限800w 能用吗", "插座只有5A", "这条线路限1500瓦"):
            if (against := power_against_limit(product, limit)) is not None:
                speak(against)


def _speak_product_price_protection(db, now, speak) -> None:
    """价保 for every product, under the shop's policy and under ones that cover promotions or
    leave a category out."""
    for product in db.scalars(select(Product)):
        for policy in (
            None,
            PricePolicy(window_days=30, excluded_price_kinds=[]),
            PricePolicy(
                window_days=30, excluded_price_kinds=[], excluded_categories=[product.category.code]
            ),
        ):
            speak(product_price_protection(db, product, now, policy))


def _speak_other_needs(speak) -> None:
    for needs in [(Need.TRACKING,), (Need.INVOICE, Need.PRICE_PROTECTION), tuple(Need)[1:]]:
        speak(OtherNeeds(needs))
    speak(AnsweredBeside("运费怎么算？满多少包邮？", "全场满99元包邮，不满99元收6元运费。"))
    speak(PushbackHeard())
    speak(OtherNeedsNoted((Need.PRICE_PROTECTION,)))
    speak(OtherNeedsNoted((Need.TRACKING, Need.REPAIR), ("能寄到乌鲁木齐吗",)))
    speak(PushbackHeard(compensation=True))


def _speak_waiting(now, speak) -> None:
    hours = queue.load_agent_hours()
    for hour, minute in [(14, 0), (22, 55), (23, 30), (7, 0)]:
        moment = now.astimezone(SHOP_TZ).replace(hour=hour, minute=minute)
        for ahead in (0, 3):
            speak(queue.agent_wait(ahead, moment, hours))
        speak(queue.who_to_turn_to(moment, hours))
    for ahead, open_now in [(0, True), (2, True), (2, False)]:
        speak(queue.StillWaiting(ahead, open_now))
    # a further message answered from what was said, a remedy chosen, a question for the person
    speak(queue.StillWaiting(2, True, said_before="需要拍这3张：1. 快递外箱；2. 快递面单。"))
    for choice in case_questions.CaseChoice:
        speak(queue.StillWaiting(2, True, choice=choice))
    speak(queue.StillWaiting(2, True, for_person=True, wait=queue.agent_wait(2, now, hours)))
    # a delivery wish on no verified order, the no to one said back, the same line not twice
    gatehouse = DeliveryAppointment(place=DeliveryPlace.GATEHOUSE, place_note="小区门卫")
    for mismatch in (False, True):
        wish = waiting_delivery.DeliveryWishHeld(gatehouse, mismatch)
        speak(wish)
        speak(queue.StillWaiting(0, False, delivery=wish))
    kept = waiting_delivery.DeliveryWishKept("7031372159010928")
    speak(kept)
    speak(queue.StillWaiting(0, False, delivery_done=kept))
    for open_now in (True, False):
        speak(queue.StillWaiting(2, open_now, held=3))


def _speak_appointments(db, order: Order, now, speak) -> None:
    """Ask for, refuse, confirm and make delivery appointments on the order (every problem)."""
    field, today = ChangeField.DELIVERY_TIME, now.astimezone(SHOP_TZ).date()
    if (refused := change_refusal(order, field)) is not None:
        speak(refused)
        return
    speak(value_question(field, order, now))
    for appointment in (
        DeliveryAppointment(today + timedelta(days=2), 12, 18),
        DeliveryAppointment(None, 18, None, DeliveryPlace.LOCKER),
        DeliveryAppointment(today + timedelta(days=3), 15, 16, DeliveryPlace.GATEHOUSE),
        DeliveryAppointment(None, 9, 11),
        DeliveryAppointment(None, None, 19),
        DeliveryAppointment(place=DeliveryPlace.PICKUP_STATION),
        DeliveryAppointment(),  # unclear
        DeliveryAppointment(today - timedelta(days=1)),  # past
        DeliveryAppointment(today + timedelta(days=30)),  # too far
        DeliveryAppointment(today),  # too soon, before it ships
        DeliveryAppointment(None, 22, None),  # outside the delivery hours
    ):
        checked = check_value(field, appointment.code(), order, now)
        if checked.rejected is not None:
            speak(checked.rejected)
            assert checked.rejected.appointment is not None
            speak(checked.rejected.appointment)
            continue
        assert checked.value is not None
        speak(appointment)
        speak(pending_change(order, field, checked.value))
        speak(still_waiting(pending_change(order, field, checked.value)))
        speak(apply_change(db, order, field, checked.value, now))
    speak(order_progress(order, now))  # with the appointment


@pytest.fixture
def spoken(db, seeded_at) -> dict[str, list[str]]:
    return _speak_every_demo_order(db, seeded_at)


def test_every_template_is_spoken_from_the_facts_of_the_demo(spoken):
    assert set(_templates()) - set(spoken) == set()


LEFTOVERS = re.compile(r"None|\{\{|\}\}|\{%|%\}|\{#")


def test_no_text_shows_a_missing_value_or_template_syntax(spoken):
    for key, texts in spoken.items():
        for text in texts:
            assert text.strip(), f"{key}: empty text"
            assert not LEFTOVERS.search(text), f"{key}: {text!r}"
            assert all(line == line.strip() for line in text.split("\n")), f"{key}: {text!r}"


def test_no_text_shows_a_whole_new_phone_number_once_it_is_changed(spoken):
    for text in spoken["order_changed"]:
        assert NEW_PHONE not in text


def test_every_value_a_template_branches_on_is_a_value_of_a_domain_enum():
    """Templates compare facts' enum fields with their values ("cancelled"); a renamed value
    would silently fall through to another branch, so each literal must still exist."""
    from tests.words.test_agent_labels import _domain_enums

    values = {m.value for enums in _domain_enums().values() for e in enums for m in e}
    templates = yaml.safe_load(STOREFRONT_FILE.read_text(encoding="utf-8"))["templates"]
    compared: set[str] = set()
    for text in templates.values():
        for expression in re.findall(r"(?:==|\bin)\s*(\([^)]*\)|\"[^\"]*\")", text):
            compared |= set(re.findall(r"\"([a-z_]+)\"", expression))
    assert compared, "no branch found: the pattern no longer matches the templates"
    assert compared <= values, sorted(compared - values)

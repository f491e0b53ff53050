"""A return request the shopper no longer wants is taken back once confirmed, never after the
warehouse has the parcel (trial 21: "我老公说鞋还挺好 不想退了 能取消退货吗" was told three times
to send the shoes)."""

from datetime import timedelta

from core.clock import utcnow
from core.events import Actor, EventName
from shop.aftersales import request_return
from shop.models import AfterSaleStatus
from shop.return_withdrawal import (
    ReturnWithdrawn,
    WithdrawalRefusal,
    WithdrawalRefused,
    WithdrawalToConfirm,
    withdraw_return,
    withdrawal_check,
)
from tests.shop.conftest import demo_order


def test_an_approved_return_is_said_back_with_what_withdrawing_it_does(db):
    order = demo_order(db, "return_awaiting")
    checked = withdrawal_check(order, utcnow())
    assert isinstance(checked, WithdrawalToConfirm)
    assert checked.approved  # the address was sent: a parcel on its way is asked about
    assert checked.amount == order.after_sales[-1].amount
    assert checked.product_names == tuple(i.variant.product.name for i in order.items)


def test_withdrawing_closes_the_request_once_and_records_who_did_it(db, recorded):
    order = demo_order(db, "return_awaiting")
    now = utcnow()
    withdrawn = withdraw_return(db, order, now, conversation_id="c-1")
    assert isinstance(withdrawn, ReturnWithdrawn)
    assert order.after_sales[-1].status == AfterSaleStatus.CLOSED
    [event] = recorded(EventName.AFTER_SALE_WITHDRAWN)
    assert (event.order_no, event.actor, event.conversation_id) == (
        order.order_no,
        Actor.SHOPPER,
        "c-1",
    )
    again = withdraw_return(db, order, now)
    assert again == WithdrawalRefused(order.order_no, WithdrawalRefusal.NO_RETURN)
    assert len(recorded(EventName.AFTER_SALE_WITHDRAWN)) == 1


def test_a_return_just_asked_for_can_be_requested_again_within_the_no_reason_days(db):
    order = demo_order(db, "returnable")
    now = utcnow()
    request_return(db, order, now, "尺码不合适")
    checked = withdrawal_check(order, now)
    assert isinstance(checked, WithdrawalToConfirm)
    assert not checked.approved
    assert checked.request_again_until is not None
    assert checked.request_again_until > now
    later = now + timedelta(days=30)
    assert withdrawal_check(order, later).request_again_until is None  # type: ignore[union-attr]


def test_a_parcel_the_warehouse_has_or_a_refund_under_way_is_a_person_s_to_undo(db):
    order = demo_order(db, "return_awaiting")
    order.after_sales[-1].status = AfterSaleStatus.RETURN_RECEIVED
    checked = withdrawal_check(order, utcnow())
    assert checked == WithdrawalRefused(order.order_no, WithdrawalRefusal.PARCEL_RECEIVED)
    order.after_sales[-1].status = AfterSaleStatus.REFUNDING
    checked = withdrawal_check(order, utcnow())
    assert checked == WithdrawalRefused(order.order_no, WithdrawalRefusal.REFUNDING)
    assert isinstance(withdraw_return(db, order, utcnow()), WithdrawalRefused)
    assert order.after_sales[-1].status == AfterSaleStatus.REFUNDING


def test_an_order_without_a_return_has_nothing_to_withdraw(db):
    order = demo_order(db, "in_transit")
    checked = withdrawal_check(order, utcnow())
    assert checked == WithdrawalRefused(order.order_no, WithdrawalRefusal.NO_RETURN)

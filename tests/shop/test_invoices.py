"""Invoices on a verified order: what the invoice is, and asking for one or a reissue."""

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from core.clock import add_working_days
from core.events import EventName
from shop.invoice_reading import (
    InvoiceAsk,
    check_tax_no,
    find_title,
    kind_named,
    read_invoice_wish,
    tax_no_check_character,
)
from shop.invoices import (
    DetailsMissing,
    DetailsProblem,
    InvoiceAction,
    InvoiceDetails,
    InvoiceIssued,
    InvoicePending,
    InvoicePolicy,
    InvoicePolicyError,
    InvoiceRefusal,
    InvoiceRefused,
    InvoiceRequested,
    InvoiceToConfirm,
    NoInvoice,
    NoInvoiceReason,
    invoice_check,
    invoice_status,
    load_invoice_policy,
    request_invoice,
    wished_details,
)
from shop.models import Invoice, InvoiceKind, InvoiceStatus, InvoiceTitleType
from tests.shop.conftest import demo_order

CODE = "91330106MA2B3C4D5" + tax_no_check_character("91330106MA2B3C4D5")
COMPANY = InvoiceDetails(InvoiceKind.NORMAL, InvoiceTitleType.COMPANY, "杭州悦达科技有限公司", CODE)
PERSONAL = InvoiceDetails(InvoiceKind.NORMAL, InvoiceTitleType.PERSONAL, "个人")
POLICY = load_invoice_policy()


def _rows(db, order):
    db.expire_all()
    return list(
        db.scalars(select(Invoice).where(Invoice.order_id == order.id).order_by(Invoice.id))
    )


# --- what the invoice is ----------------------------------------------------------------------


def test_an_issued_invoice_says_its_number_title_date_and_where_it_was_sent(db, seeded_at):
    order = demo_order(db, "returnable")
    status = invoice_status(db, order, seeded_at)
    assert isinstance(status, InvoiceIssued)
    assert status.invoice_no.isdigit()
    assert len(status.invoice_no) == 20
    assert (status.title, status.email) == ("个人", "dengjianhua@example.com")
    assert status.issued_at < seeded_at
    assert status.change_until == status.issued_at + timedelta(days=POLICY.change_within_days)


def test_an_invoice_asked_for_before_delivery_is_issued_once_the_order_is_signed_for(db, seeded_at):
    status = invoice_status(db, demo_order(db, "in_transit"), seeded_at)
    assert isinstance(status, InvoicePending)
    assert status.kind == InvoiceKind.SPECIAL
    assert status.issue_by is None
    assert status.working_days == POLICY.issue_within_working_days


def test_an_invoice_asked_for_after_delivery_is_due_within_the_policys_working_days(db, seeded_at):
    order = demo_order(db, "flash_sale_now")
    status = invoice_status(db, order, seeded_at)
    assert isinstance(status, InvoicePending)
    delivered = order.latest_shipment.delivered_at
    assert status.issue_by == add_working_days(delivered, POLICY.issue_within_working_days)
    assert not status.overdue
    late = invoice_status(db, order, seeded_at + timedelta(days=10))
    assert isinstance(late, InvoicePending)
    assert late.overdue


def test_an_order_without_an_invoice_can_ask_for_one_until_the_window_ends(db, seeded_at):
    order = demo_order(db, "not_returnable")
    status = invoice_status(db, order, seeded_at)
    delivered = order.latest_shipment.delivered_at
    assert status == NoInvoice(
        order.order_no,
        NoInvoiceReason.CAN_REQUEST,
        order.total_amount,
        POLICY.request_within_days,
        delivered + timedelta(days=POLICY.request_within_days),
    )
    unshipped = invoice_status(db, demo_order(db, "awaiting_shipment"), seeded_at)
    assert isinstance(unshipped, NoInvoice)
    assert unshipped.request_until is None


def test_after_the_window_no_invoice_can_be_asked_for(db, seeded_at):
    order = demo_order(db, "out_of_warranty")
    status = invoice_status(db, order, seeded_at)
    assert isinstance(status, NoInvoice)
    assert status.reason == NoInvoiceReason.WINDOW_PASSED
    refused = invoice_check(db, order, PERSONAL, seeded_at)
    assert isinstance(refused, InvoiceRefused)
    assert refused.reason == InvoiceRefusal.REQUEST_WINDOW_PASSED
    assert refused.deadline == status.request_until


def test_a_cancelled_order_gets_no_invoice(db, seeded_at):
    order = demo_order(db, "cancelled")
    assert invoice_status(db, order, seeded_at).reason == NoInvoiceReason.ORDER_CANCELLED
    refused = request_invoice(db, order, PERSONAL, seeded_at)
    assert refused == InvoiceRefused(order.order_no, InvoiceRefusal.ORDER_CANCELLED)
    assert _rows(db, order) == []


# --- asking for one ---------------------------------------------------------------------------


def test_asking_for_an_invoice_is_said_back_first_and_changes_nothing(db, seeded_at):
    order = demo_order(db, "not_returnable")
    checked = invoice_check(db, order, COMPANY, seeded_at)
    assert isinstance(checked, InvoiceToConfirm)
    assert (checked.action, checked.details, checked.amount) == (
        InvoiceAction.NEW,
        COMPANY,
        order.total_amount,
    )
    assert checked.issue_by == add_working_days(seeded_at, POLICY.issue_within_working_days)
    assert _rows(db, order) == []


def test_a_confirmed_request_is_recorded_with_its_event(db, seeded_at, recorded):
    order = demo_order(db, "not_returnable")
    outcome = request_invoice(db, order, COMPANY, seeded_at, conversation_id="c-inv")
    assert isinstance(outcome, InvoiceRequested)
    assert outcome.action == InvoiceAction.NEW
    [row] = _rows(db, order)
    assert (row.status, row.title, row.tax_no, row.conversation_id) == (
        InvoiceStatus.REQUESTED,
        COMPANY.title,
        CODE,
        "c-inv",
    )
    [event] = recorded(EventName.INVOICE_REQUESTED)
    assert (event.order_no, event.cause, event.value) == (
        order.order_no,
        "new",
        order.total_amount,
    )
    assert isinstance(invoice_status(db, order, seeded_at), InvoicePending)


def test_asking_for_the_invoice_it_already_is_changes_nothing(db, seeded_at, recorded):
    order = demo_order(db, "returnable")
    assert isinstance(request_invoice(db, order, PERSONAL, seeded_at), InvoiceIssued)
    assert recorded(EventName.INVOICE_REQUESTED) == []


def test_a_reissue_voids_the_issued_invoice_and_asks_for_the_new_one(db, seeded_at, recorded):
    order = demo_order(db, "returnable")
    checked = invoice_check(db, order, COMPANY, seeded_at)
    assert isinstance(checked, InvoiceToConfirm)
    assert (checked.action, checked.replaces_title) == (InvoiceAction.REISSUE, "个人")
    outcome = request_invoice(db, order, COMPANY, seeded_at)
    assert isinstance(outcome, InvoiceRequested)
    assert outcome.action == InvoiceAction.REISSUE
    old, new = _rows(db, order)
    assert (old.status, old.voided_at) == (InvoiceStatus.VOIDED, seeded_at)
    assert (new.status, new.replaces_id, new.email) == (
        InvoiceStatus.REQUESTED,
        old.id,
        old.email,  # still sent where the shopper had it sent
    )
    assert [e.cause for e in recorded(EventName.INVOICE_REQUESTED)] == ["reissue"]


def test_an_invoice_reissued_as_often_as_the_policy_allows_is_not_reissued_again(db, seeded_at):
    order = demo_order(db, "in_warranty")
    assert invoice_status(db, order, seeded_at).change_until is None
    refused = invoice_check(db, order, PERSONAL, seeded_at)
    assert isinstance(refused, InvoiceRefused)
    assert (refused.reason, refused.max_reissues) == (
        InvoiceRefusal.REISSUE_LIMIT_REACHED,
        POLICY.max_reissues,
    )


def test_an_invoice_issued_longer_ago_than_the_change_window_is_not_reissued(db, seeded_at):
    order = demo_order(db, "returnable")
    issued_at = invoice_status(db, order, seeded_at).issued_at
    later = issued_at + timedelta(days=POLICY.change_within_days, hours=1)
    refused = invoice_check(db, order, COMPANY, later)
    assert isinstance(refused, InvoiceRefused)
    assert refused.reason == InvoiceRefusal.CHANGE_WINDOW_PASSED
    assert refused.deadline == issued_at + timedelta(days=POLICY.change_within_days)


def test_correcting_a_request_before_it_is_issued_is_no_reissue(db, seeded_at):
    order = demo_order(db, "in_transit")
    corrected = InvoiceDetails(
        InvoiceKind.SPECIAL, InvoiceTitleType.COMPANY, "成都云帆信息科技有限公司", CODE
    )
    outcome = request_invoice(db, order, corrected, seeded_at)
    assert isinstance(outcome, InvoiceRequested)
    assert outcome.action == InvoiceAction.UPDATE
    old, new = _rows(db, order)
    assert old.status == InvoiceStatus.VOIDED
    assert (new.title, new.replaces_id) == (corrected.title, None)
    assert invoice_check(db, order, COMPANY, seeded_at).action == InvoiceAction.UPDATE


def test_a_special_invoice_goes_to_a_company_only(db, seeded_at):
    order = demo_order(db, "not_returnable")
    personal_special = InvoiceDetails(InvoiceKind.SPECIAL, InvoiceTitleType.PERSONAL, "个人")
    refused = invoice_check(db, order, personal_special, seeded_at)
    assert refused == InvoiceRefused(order.order_no, InvoiceRefusal.SPECIAL_NEEDS_COMPANY)


def test_invoice_details_refuse_a_missing_or_wrong_tax_number_and_overlong_text():
    with pytest.raises(ValueError, match="tax number"):
        InvoiceDetails(InvoiceKind.NORMAL, InvoiceTitleType.COMPANY, "杭州悦达科技有限公司")
    with pytest.raises(ValueError, match="tax number"):
        InvoiceDetails(InvoiceKind.NORMAL, InvoiceTitleType.COMPANY, "某某公司", CODE[:-1] + "0")
    with pytest.raises(ValueError, match="title"):
        InvoiceDetails(InvoiceKind.NORMAL, InvoiceTitleType.PERSONAL, "个" * 101)
    with pytest.raises(ValueError, match="e-mail"):
        InvoiceDetails(InvoiceKind.NORMAL, InvoiceTitleType.PERSONAL, "个人", None, "a" * 101)


# --- the shopper's words ----------------------------------------------------------------------


def test_a_unified_social_credit_code_is_18_characters_with_a_check_character():
    assert check_tax_no(CODE) == CODE
    assert check_tax_no(CODE.lower()) == CODE
    assert check_tax_no(f"{CODE[:4]} {CODE[4:10]} {CODE[10:]}") == CODE
    assert check_tax_no(CODE[:-1] + ("0" if CODE[-1] != "0" else "1")) is None  # typo
    assert check_tax_no(CODE[:17]) is None
    assert check_tax_no("91330106MA2B3C4DIO") is None  # letters the code never uses


@pytest.mark.parametrize(
    ("text", "ask", "title_type", "title", "tax_no"),
    [
        ("发票开了没有啊", InvoiceAsk.STATUS, None, None, None),
        ("帮我开个人发票", InvoiceAsk.REQUEST, InvoiceTitleType.PERSONAL, None, None),
        ("帮我开公司抬头的发票", InvoiceAsk.REQUEST, InvoiceTitleType.COMPANY, None, None),
        (
            f"开专票 公司是杭州悦达科技有限公司 税号{CODE}",
            InvoiceAsk.REQUEST,
            InvoiceTitleType.COMPANY,
            "杭州悦达科技有限公司",
            CODE,
        ),
        (
            f"抬头：TCL科技集团股份有限公司 税号 {CODE.lower()}",
            InvoiceAsk.REQUEST,
            InvoiceTitleType.COMPANY,
            "TCL科技集团股份有限公司",
            CODE,
        ),
        (
            "发票开成个人了 报销不了 能重开吗",
            InvoiceAsk.CHANGE,
            InvoiceTitleType.COMPANY,
            None,
            None,
        ),
        ("抬头写错了 帮我换开", InvoiceAsk.CHANGE, InvoiceTitleType.COMPANY, None, None),
        ("我们公司要发票", InvoiceAsk.REQUEST, InvoiceTitleType.COMPANY, None, None),
        # trial 27, T943: whether it can change again is a change asked, not the status
        ("以后要是还要改 还能改吗", InvoiceAsk.CHANGE, InvoiceTitleType.COMPANY, None, None),
        ("抬头还能改吗", InvoiceAsk.CHANGE, InvoiceTitleType.COMPANY, None, None),
    ],
)
def test_the_invoice_wish_is_read_from_the_shoppers_words(text, ask, title_type, title, tax_no):
    wish = read_invoice_wish(text)
    assert (wish.ask, wish.title_type, wish.title, wish.tax_no) == (ask, title_type, title, tax_no)


def test_a_special_invoice_wish_and_an_email_are_read_too():
    wish = read_invoice_wish("帮我开增值税专用发票 发到 Caiwu@Example.com")
    assert (wish.kind, wish.email) == (InvoiceKind.SPECIAL, "caiwu@example.com")


def test_a_company_title_is_a_full_name_not_a_request_or_a_number():
    assert find_title("帮我开成 北京星河文化传媒有限公司") == "北京星河文化传媒有限公司"
    assert find_title("单位是南京市鼓楼区第一中学") == "南京市鼓楼区第一中学"
    assert find_title("我们公司") is None
    assert find_title(CODE) is None
    # trial 23, T772: the name after a colon is read; the one before, named again, is no name
    assert find_title("抬头改成我们子公司：成都云帆数字科技有限公司") == "成都云帆数字科技有限公司"
    assert find_title("等一下，领导说不改了，还是原来的公司。") is None
    # trial 24, T837 (harmful): whose company, not its name, was put on the invoice said back
    assert find_title("等下 税号发错了 那是我老公公司的 正确的是91350203MA8UQ2LD66") is None
    assert find_title("这是我朋友的公司") is None


def test_what_a_company_invoice_still_lacks_is_named():
    wish = read_invoice_wish("帮我开公司抬头的发票")
    assert wished_details(wish) == DetailsMissing(DetailsProblem.TITLE_MISSING)
    assert wished_details(wish, "杭州悦达科技有限公司") == DetailsMissing(
        DetailsProblem.TAX_NO_MISSING
    )
    assert wished_details(wish, "杭州悦达科技有限公司", CODE) == COMPANY
    typo = read_invoice_wish(f"杭州悦达科技有限公司 税号{CODE[:-1]}0")
    assert wished_details(typo) == DetailsMissing(DetailsProblem.TAX_NO_INVALID, 18)
    assert wished_details(read_invoice_wish("发票开了没")) is None
    assert wished_details(read_invoice_wish("帮我开个人的")) == PERSONAL


# --- the policy ---------------------------------------------------------------------------------


def test_the_invoice_policy_file_is_valid_and_says_what_the_faq_says(db):
    from faq.models import FaqEntry

    policy = load_invoice_policy()
    assert isinstance(policy, InvoicePolicy)
    answer = db.get(FaqEntry, "invoice").answer
    assert f"{policy.request_within_days}天" in answer
    assert f"{policy.issue_within_working_days}个工作日" in answer


def test_an_invalid_invoice_policy_stops_with_a_clear_error(tmp_path: Path):
    bad = tmp_path / "invoice_policy.yaml"
    bad.write_text("issue_within_working_days: 0\nrequest_within_days: 90\n", encoding="utf-8")
    with pytest.raises(InvoicePolicyError, match=r"invoice_policy\.yaml"):
        load_invoice_policy(bad)


def test_the_kind_named_reads_a_let_go_special_invoice_as_the_normal_one():
    assert kind_named("那普票也行") == InvoiceKind.NORMAL
    assert kind_named("不是专票") == InvoiceKind.NORMAL
    assert kind_named("能开专票吗") == InvoiceKind.SPECIAL
    assert kind_named("开公司抬头") is None

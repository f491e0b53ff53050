"""Invoices on a verified order: where the invoice is, and asking for one or a reissue.

`invoice_status` says what the order's invoice is (issued: number, title, when, where sent; asked
for: when it will be issued; none: until when one can be asked for). `invoice_check` says what a
request would do, for the shopper's yes; `request_invoice` records it (a reissue voids the issued
one) with an `invoice.requested` event. The rules are in shop/invoice_policy.yaml.
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import add_working_days
from core.events import Actor, EventName, record_event
from core.policy_file import load_policy_file
from core.text import normalise
from shop.invoice_reading import (
    MAX_EMAIL_CHARS,
    MAX_TITLE_CHARS,
    InvoiceAsk,
    InvoiceWish,
    check_tax_no,
    check_title,
    kind_named,
    read_invoice_wish,
    tax_no_tail,
)
from shop.models import Invoice, InvoiceKind, InvoiceStatus, InvoiceTitleType, Order, OrderStatus

INVOICE_POLICY_FILE = Path(__file__).with_name("invoice_policy.yaml")
PERSONAL_TITLE = "个人"


class InvoicePolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    issue_within_working_days: int = Field(gt=0, le=30)
    request_within_days: int = Field(gt=0, le=3650)
    change_within_days: int = Field(ge=0, le=3650)
    max_reissues: int = Field(ge=0, le=10)


class InvoicePolicyError(ValueError):
    """The invoice policy file is invalid; the message says what and where."""


@lru_cache
def load_invoice_policy(path: Path = INVOICE_POLICY_FILE) -> InvoicePolicy:
    return load_policy_file(path, InvoicePolicy, InvoicePolicyError, "invoice policy")


@dataclass(frozen=True)
class InvoiceDetails:
    """What an invoice is issued as: the kind, to whom, and where it is sent."""

    kind: InvoiceKind
    title_type: InvoiceTitleType
    title: str
    tax_no: str | None = None
    email: str | None = None

    def __post_init__(self) -> None:
        if not 0 < len(self.title) <= MAX_TITLE_CHARS:
            raise ValueError(f"an invoice title is 1-{MAX_TITLE_CHARS} characters")
        if self.title_type == InvoiceTitleType.COMPANY and (
            self.tax_no is None or check_tax_no(self.tax_no) != self.tax_no
        ):
            raise ValueError("a company invoice needs a valid 18-character tax number")
        if self.email is not None and len(self.email) > MAX_EMAIL_CHARS:
            raise ValueError(f"an e-mail address is at most {MAX_EMAIL_CHARS} characters")

    def as_slot(self) -> dict[str, str | None]:
        """The details as a conversation slot keeps them (what was said back for the yes)."""
        return {
            "kind": self.kind.value,
            "title_type": self.title_type.value,
            "title": self.title,
            "tax_no": self.tax_no,
            "email": self.email,
        }

    @classmethod
    def from_slot(cls, value: object) -> "InvoiceDetails | None":
        """The details kept in a slot; None for anything that is not such a record."""
        if not isinstance(value, dict):
            return None
        try:
            return cls(
                InvoiceKind(value["kind"]),
                InvoiceTitleType(value["title_type"]),
                str(value["title"]),
                value.get("tax_no"),
                value.get("email"),
            )
        except (KeyError, ValueError):
            return None


def sent_otherwise(said_back: InvoiceDetails, text: str) -> InvoiceDetails | None:
    """The invoice said back with the kind or the e-mail the words name instead (普票就行 after
    a 专票; 电子普票 发 caiwu@…): None when they name neither anew, or change the title or the
    tax number (asked and checked by the details' own flow)."""
    wish = read_invoice_wish(text)
    clean = normalise(text)
    if wish.title or wish.tax_no or wish.tax_no_invalid or tax_no_tail(clean):
        return None
    kind = kind_named(clean) or said_back.kind
    changed = replace(said_back, kind=kind, email=wish.email or said_back.email)
    return changed if changed != said_back else None


class DetailsProblem(StrEnum):
    TITLE_MISSING = "title_missing"
    TAX_NO_MISSING = "tax_no_missing"
    TAX_NO_INVALID = "tax_no_invalid"


@dataclass(frozen=True)
class DetailsMissing:
    """What is still needed before a company invoice can be asked for."""

    problem: DetailsProblem
    tax_no_length: int | None = None  # the invalid tax number's length (17: one short)


def wished_details(
    wish: InvoiceWish, title: str | None = None, tax_no: str | None = None
) -> InvoiceDetails | DetailsMissing | None:
    """The invoice the shopper wants, from their words and the title and tax number they gave
    when asked; what is missing for a company one; None when they did not say which title."""
    kind = wish.kind or InvoiceKind.NORMAL
    if wish.title_type == InvoiceTitleType.PERSONAL and kind == InvoiceKind.NORMAL:
        title = wish.person or PERSONAL_TITLE  # the name they gave, else 个人
        return InvoiceDetails(kind, InvoiceTitleType.PERSONAL, title, None, wish.email)
    if wish.title_type != InvoiceTitleType.COMPANY and wish.kind is None:
        return None
    company = wish.title or check_title(title or "")
    code = wish.tax_no or check_tax_no(tax_no or "")
    if company is None:
        return DetailsMissing(DetailsProblem.TITLE_MISSING)
    if code is None:
        problem = (
            DetailsProblem.TAX_NO_INVALID if wish.tax_no_invalid else DetailsProblem.TAX_NO_MISSING
        )
        return DetailsMissing(problem, wish.tax_no_length if wish.tax_no_invalid else None)
    return InvoiceDetails(kind, InvoiceTitleType.COMPANY, company, code, wish.email)


# --- where the order's invoice is -----------------------------------------------------------


@dataclass(frozen=True)
class InvoiceIssued:
    order_no: str
    kind: InvoiceKind
    title: str
    tax_no: str | None
    invoice_no: str
    amount: Decimal
    issued_at: datetime
    email: str | None
    change_until: datetime | None  # None: it can no longer be reissued (limit or window)


@dataclass(frozen=True)
class InvoicePending:
    """Asked for, not issued yet: after delivery, within the policy's working days."""

    order_no: str
    kind: InvoiceKind
    title: str
    tax_no: str | None
    amount: Decimal
    issue_by: datetime | None  # None: the order has not been signed for yet
    working_days: int
    email: str | None
    overdue: bool = False  # issue_by has passed and it is still not issued


class NoInvoiceReason(StrEnum):
    CAN_REQUEST = "can_request"
    WINDOW_PASSED = "window_passed"
    ORDER_CANCELLED = "order_cancelled"


@dataclass(frozen=True)
class NoInvoice:
    order_no: str
    reason: NoInvoiceReason
    amount: Decimal
    request_within_days: int
    request_until: datetime | None = None  # None: not signed for yet, or it cannot be asked


def delivered_at(order: Order) -> datetime | None:
    shipment = order.latest_shipment
    return shipment.delivered_at if shipment else None


def order_invoices(session: Session, order: Order) -> list[Invoice]:
    """Every invoice row of the order, oldest first (voided ones included)."""
    query = select(Invoice).where(Invoice.order_id == order.id).order_by(Invoice.id)
    return list(session.scalars(query))


def current_invoice(invoices: list[Invoice]) -> Invoice | None:
    """The invoice that stands (asked for or issued), if any."""
    return next((i for i in reversed(invoices) if i.status != InvoiceStatus.VOIDED), None)


def invoice_status(
    session: Session, order: Order, now: datetime, policy: InvoicePolicy | None = None
) -> InvoiceIssued | InvoicePending | NoInvoice:
    """What the order's invoice is, or why there is none and until when one can be asked for."""
    policy = policy or load_invoice_policy()
    invoices = order_invoices(session, order)
    invoice = current_invoice(invoices)
    if invoice is None:
        return _no_invoice(order, now, policy)
    return _invoice_as_it_is(order, invoice, invoices, now, policy)


def _invoice_as_it_is(
    order: Order, invoice: Invoice, invoices: list[Invoice], now: datetime, policy: InvoicePolicy
) -> InvoiceIssued | InvoicePending:
    if invoice.status == InvoiceStatus.ISSUED:
        return _issued(order, invoice, invoices, now, policy)
    due = issue_by(order, invoice.requested_at, policy)
    return InvoicePending(
        order.order_no,
        invoice.kind,
        invoice.title,
        invoice.tax_no,
        invoice.amount,
        due,
        policy.issue_within_working_days,
        invoice.email,
        due is not None and now > due,
    )


def issue_by(order: Order, requested_at: datetime, policy: InvoicePolicy) -> datetime | None:
    """When an invoice asked for at `requested_at` is issued at the latest (None: not signed
    for yet, so not known)."""
    received = delivered_at(order)
    if received is None:
        return None
    return add_working_days(max(received, requested_at), policy.issue_within_working_days)


def _no_invoice(order: Order, now: datetime, policy: InvoicePolicy) -> NoInvoice:
    days = policy.request_within_days
    if order.status == OrderStatus.CANCELLED:
        return NoInvoice(order.order_no, NoInvoiceReason.ORDER_CANCELLED, order.total_amount, days)
    received = delivered_at(order)
    until = received + timedelta(days=days) if received else None
    reason = NoInvoiceReason.WINDOW_PASSED if until and now > until else NoInvoiceReason.CAN_REQUEST
    return NoInvoice(order.order_no, reason, order.total_amount, days, until)


def _issued(
    order: Order, invoice: Invoice, invoices: list[Invoice], now: datetime, policy: InvoicePolicy
) -> InvoiceIssued:
    assert invoice.issued_at is not None
    assert invoice.invoice_no is not None
    return InvoiceIssued(
        order.order_no,
        invoice.kind,
        invoice.title,
        invoice.tax_no,
        invoice.invoice_no,
        invoice.amount,
        invoice.issued_at,
        invoice.email,
        _change_until(invoice, invoices, now, policy),
    )


def _reissues(invoices: list[Invoice]) -> int:
    """How many times the order's invoice was reissued (a corrected request is not one)."""
    return len({i.replaces_id for i in invoices if i.replaces_id is not None})


def _change_until(
    invoice: Invoice, invoices: list[Invoice], now: datetime, policy: InvoicePolicy
) -> datetime | None:
    assert invoice.issued_at is not None
    until = invoice.issued_at + timedelta(days=policy.change_within_days)
    if _reissues(invoices) >= policy.max_reissues or now > until:
        return None
    return until


def invoice_on_record(session: Session, order: Order, wish: InvoiceWish) -> bool:
    """Whether the invoice the words ask for is the one the order already has (asked for or
    issued, of the kind and title type they name) and they give nothing new (no title, tax
    number, name or e-mail other than those on record, no change): the invoice as it is
    answers, nothing is asked again ("我们公司申请的专票开了没", "帮我开专票" once one is asked for,
    "税号你们登记的是9151…对吧")."""
    if wish.ask == InvoiceAsk.CHANGE or wish.tax_no_invalid or wish.person:
        return False
    current = current_invoice(order_invoices(session, order))
    if current is None:
        return False
    said = ((wish.title, current.title), (wish.tax_no, current.tax_no), (wish.email, current.email))
    if any(given is not None and given != recorded for given, recorded in said):
        return False
    if wish.kind is not None and wish.kind != current.kind:
        return False
    return wish.title_type is None or wish.title_type == current.title_type


# --- asking for an invoice or a reissue -----------------------------------------------------


class InvoiceAction(StrEnum):
    NEW = "new"  # no invoice yet
    UPDATE = "update"  # asked for, not issued: the request is corrected
    REISSUE = "reissue"  # issued: it is voided (红冲) and a new one issued


class InvoiceRefusal(StrEnum):
    ORDER_CANCELLED = "order_cancelled"
    REQUEST_WINDOW_PASSED = "request_window_passed"
    CHANGE_WINDOW_PASSED = "change_window_passed"
    REISSUE_LIMIT_REACHED = "reissue_limit_reached"
    SPECIAL_NEEDS_COMPANY = "special_needs_company"


@dataclass(frozen=True)
class InvoiceRefused:
    order_no: str
    reason: InvoiceRefusal
    deadline: datetime | None = None  # the window that passed
    max_reissues: int = 0


@dataclass(frozen=True)
class InvoiceToConfirm:
    """What asking for the invoice will do, said back for the shopper's yes."""

    order_no: str
    action: InvoiceAction
    details: InvoiceDetails
    amount: Decimal
    issue_by: datetime | None  # None: after the order is signed for
    working_days: int
    replaces_title: str | None = None  # the title of the invoice a reissue voids


@dataclass(frozen=True)
class InvoiceRequested:
    order_no: str
    action: InvoiceAction
    details: InvoiceDetails
    amount: Decimal
    issue_by: datetime | None
    working_days: int


def invoice_refusal(
    session: Session, order: Order, now: datetime, policy: InvoicePolicy | None = None
) -> InvoiceRefused | None:
    """Why no invoice can be asked for or reissued on this order now, or None."""
    policy = policy or load_invoice_policy()
    if order.status == OrderStatus.CANCELLED:
        return InvoiceRefused(order.order_no, InvoiceRefusal.ORDER_CANCELLED)
    invoices = order_invoices(session, order)
    invoice = current_invoice(invoices)
    if invoice is None:
        status = _no_invoice(order, now, policy)
        if status.reason == NoInvoiceReason.WINDOW_PASSED:
            return InvoiceRefused(
                order.order_no, InvoiceRefusal.REQUEST_WINDOW_PASSED, status.request_until
            )
        return None
    if invoice.status == InvoiceStatus.ISSUED and invoice.issued_at is not None:
        if _reissues(invoices) >= policy.max_reissues:
            return InvoiceRefused(
                order.order_no, InvoiceRefusal.REISSUE_LIMIT_REACHED, None, policy.max_reissues
            )
        until = invoice.issued_at + timedelta(days=policy.change_within_days)
        if now > until:
            return InvoiceRefused(order.order_no, InvoiceRefusal.CHANGE_WINDOW_PASSED, until)
    return None


def invoice_check(
    session: Session,
    order: Order,
    details: InvoiceDetails,
    now: datetime,
    policy: InvoicePolicy | None = None,
) -> InvoiceToConfirm | InvoiceRefused | InvoiceIssued | InvoicePending:
    """What asking for `details` would do (nothing changes): the request to confirm, why it
    cannot be done, or the invoice as it is when it already reads so."""
    policy = policy or load_invoice_policy()
    if details.kind == InvoiceKind.SPECIAL and details.title_type != InvoiceTitleType.COMPANY:
        return InvoiceRefused(order.order_no, InvoiceRefusal.SPECIAL_NEEDS_COMPANY)
    invoices = order_invoices(session, order)
    invoice = current_invoice(invoices)
    if invoice is not None and _same(invoice, details):  # already so: nothing to do
        return _invoice_as_it_is(order, invoice, invoices, now, policy)
    if (refused := invoice_refusal(session, order, now, policy)) is not None:
        return refused
    if invoice is None:
        action, replaces = InvoiceAction.NEW, None
    elif invoice.status == InvoiceStatus.REQUESTED:
        action, replaces = InvoiceAction.UPDATE, invoice.title
    else:
        action, replaces = InvoiceAction.REISSUE, invoice.title
    return InvoiceToConfirm(
        order.order_no,
        action,
        details,
        order.total_amount,
        issue_by(order, now, policy),
        policy.issue_within_working_days,
        replaces,
    )


def _same(invoice: Invoice, details: InvoiceDetails) -> bool:
    return (invoice.kind, invoice.title_type, invoice.title, invoice.tax_no) == (
        details.kind,
        details.title_type,
        details.title,
        details.tax_no,
    ) and (details.email is None or details.email == invoice.email)


def request_invoice(
    session: Session,
    order: Order,
    details: InvoiceDetails,
    now: datetime,
    conversation_id: str | None = None,
    policy: InvoicePolicy | None = None,
) -> InvoiceRequested | InvoiceRefused | InvoiceIssued | InvoicePending:
    """Ask for the invoice the shopper confirmed (`invoice_check` decides again): a new request,
    a corrected one, or a reissue that voids the issued invoice."""
    checked = invoice_check(session, order, details, now, policy)
    if not isinstance(checked, InvoiceToConfirm):
        return checked
    current = current_invoice(order_invoices(session, order))
    replaces_id = None
    if current is not None and checked.action == InvoiceAction.UPDATE:
        current.status, current.voided_at = InvoiceStatus.VOIDED, now
    elif current is not None:  # a reissue: the issued invoice is voided (红冲)
        current.status, current.voided_at = InvoiceStatus.VOIDED, now
        replaces_id = current.id
    session.add(
        Invoice(
            order_id=order.id,
            kind=details.kind,
            title_type=details.title_type,
            title=details.title,
            tax_no=details.tax_no,
            email=details.email or (current.email if current else None),
            amount=order.total_amount,
            status=InvoiceStatus.REQUESTED,
            requested_at=now,
            replaces_id=replaces_id or (current.replaces_id if current else None),
            conversation_id=conversation_id,
        )
    )
    session.flush()
    record_event(
        session,
        EventName.INVOICE_REQUESTED,
        order.order_no,
        order_no=order.order_no,
        cause=checked.action,
        actor=Actor.SHOPPER,
        conversation_id=conversation_id,
        value=order.total_amount,
        payload={"kind": details.kind.value, "title_type": details.title_type.value},
        occurred_at=now,
    )
    return InvoiceRequested(
        order.order_no,
        checked.action,
        details,
        order.total_amount,
        checked.issue_by,
        checked.working_days,
    )

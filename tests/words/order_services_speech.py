"""Everything the invoice and 价保 flows say about a demo order, for the words tests."""

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.actions.order_services import InvoiceDetailsWanted
from shop import invoices, price_protection
from shop.invoice_reading import tax_no_check_character
from shop.invoices import DetailsMissing, DetailsProblem, InvoiceDetails
from shop.models import InvoiceKind, InvoiceTitleType, Order

CODE = "91330106MA2B3C4D5" + tax_no_check_character("91330106MA2B3C4D5")
WISHES = (
    InvoiceDetails(InvoiceKind.NORMAL, InvoiceTitleType.PERSONAL, "个人", None, "a@example.com"),
    InvoiceDetails(InvoiceKind.SPECIAL, InvoiceTitleType.COMPANY, "杭州悦达科技有限公司", CODE),
    InvoiceDetails(InvoiceKind.SPECIAL, InvoiceTitleType.PERSONAL, "个人"),
)
# Facts said in the flows' words, for SPOKEN_FACTS.
SPOKEN = (
    invoices.InvoiceIssued,
    invoices.InvoicePending,
    invoices.NoInvoice,
    invoices.InvoiceRefused,
    invoices.InvoiceToConfirm,
    invoices.InvoiceRequested,
    invoices.DetailsMissing,
    InvoiceDetailsWanted,
    price_protection.PriceProtectionCheck,
    price_protection.ItemPrice,
    price_protection.PriceProtectionApplied,
    price_protection.PriceProtectionExplained,
    price_protection.PriceProtectionRefund,
    price_protection.DifferenceBack,
)


def speak_order_services(
    db: Session, order: Order, now: datetime, speak: Callable[[object], None]
) -> None:
    """Ask every invoice and 价保 question about `order`, then ask for each (it writes)."""
    speak(invoices.invoice_status(db, order, now))
    speak(invoices.invoice_status(db, order, now + timedelta(days=10)))  # overdue
    speak(invoices.invoice_status(db, order, now + timedelta(days=200)))  # windows passed
    for wish in WISHES:
        speak(invoices.invoice_check(db, order, wish, now))
    speak(invoices.invoice_check(db, order, WISHES[1], now + timedelta(days=200)))
    speak(invoices.request_invoice(db, order, WISHES[1], now))
    speak(invoices.request_invoice(db, order, WISHES[0], now))  # a correction, or refused
    speak(price_protection.price_protection_check(db, order, now))
    speak(price_protection.price_protection_check(db, order, now, "别家比你们便宜"))
    before_the_yes = price_protection.price_protection_check(db, order, now)
    if (back := price_protection.difference_back(before_the_yes)) is not None:
        speak(back)  # 退到哪里 多久到 before the yes
    for item in price_protection.price_protection_check(db, order, now).items:
        speak(item)
    checked = price_protection.price_protection_check(db, order, now)
    for words in [
        "以后再降还能再保吗",
        "从哪天算的",
        *(f"差了{i.paid_price - i.price_now}呢" for i in checked.items),
    ]:
        if (explained := price_protection.price_question(checked, words)) is not None:
            speak(explained)
    speak(price_protection.apply_price_protection(db, order, now))
    speak(price_protection.apply_price_protection(db, order, now))  # never twice
    for later in (now, now + timedelta(days=30)):  # where its money is; overdue
        if (refund := price_protection.price_protection_refund(db, order, later)) is not None:
            speak(refund)
    for problem in DetailsProblem:
        speak(DetailsMissing(problem))
    for action in invoices.InvoiceAction:  # a request or a change still missing its details
        replaces = None if action == invoices.InvoiceAction.NEW else "个人"
        for problem in DetailsProblem:
            speak(InvoiceDetailsWanted(order.order_no, action, replaces, problem))
        speak(InvoiceDetailsWanted(order.order_no, action, replaces, problem, "3T2W"))

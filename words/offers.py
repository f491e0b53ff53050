"""The words of compensation offers (words/offers.yaml): the agents' one-line summary, the
reasons, and the private message that puts the offer to the customer."""

from decimal import Decimal
from functools import cache
from pathlib import Path

from jinja2 import Template

from reviews.offers import Offer, OfferRemedy, Why, WhyKind
from words.render import environment, label, label_in, words_file

OFFERS_FILE = Path(__file__).with_name("offers.yaml")


@cache
def _template(*path: str) -> Template:
    entry = words_file(OFFERS_FILE)
    for key in path:
        entry = entry[key]
    return environment().from_string(str(entry))


def _one_line(text: str) -> str:
    """Template lines joined (the file wraps long sentences; Chinese has no spaces there)."""
    return "".join(line.strip() for line in text.splitlines())


def remedy_name(remedy: OfferRemedy) -> str:
    return label(remedy)


def offer_summary(
    remedy: OfferRemedy, coupon: Decimal, refund: Decimal | None, needs_approval: bool
) -> str:
    """`补发 + ¥5优惠券（需主管审批）`."""
    text = _template("summary").render(
        remedy=remedy_name(remedy),
        remedy_key=remedy.value,
        refund=refund,
        coupon=coupon,
        needs_approval=needs_approval,
    )
    return _one_line(text)


def why_text(why: Why) -> str:
    """One reason, as a supervisor reads it."""
    file = words_file(OFFERS_FILE)
    detail = why.detail or ""
    cap, rule = file["caps"].get(detail, detail), file["rules"].get(detail, detail)
    severity = label_in("SeverityLevel", detail) if why.kind is WhyKind.SEVERITY_START else ""
    return _template("why", why.kind.value).render(
        amount=why.amount, step=why.step, cap=cap, rule=rule, severity=severity
    )


def offer_message(offer: Offer, product: str | None) -> str:
    """The private message that puts the offer to the customer."""
    text = _template("message", offer.remedy.value).render(
        product=product or "", coupon=offer.coupon, refund=offer.refund
    )
    return _one_line(text)

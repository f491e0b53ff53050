"""The drafts for one negative review: a compensation offer, its private message and a checked
public reply. Used by `python -m reviews process` and by reviews.handling, which adds the order,
the customer's history and the budget to the offer's context.
"""

from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from reviews.analysis import Analysis
from reviews.offers import CompensationPolicy, Offer, OfferContext, draft_offer
from reviews.replies import ReplyFacts, reply_facts, reply_label
from reviews.reply_check import Violation, check_private_text, check_reply
from reviews.severity import SeverityLevel
from words.checks import violation_text
from words.offers import offer_message, offer_summary, remedy_name, why_text
from words.replies import reply_text


@dataclass(frozen=True)
class CheckedText:
    """A text and what the checker found in it (nothing: it may be used)."""

    text: str
    violations: tuple[Violation, ...]

    def as_json(self) -> dict[str, Any]:
        return {"text": self.text, "violations": [violation_json(v) for v in self.violations]}


def violation_json(violation: Violation) -> dict[str, Any]:
    return {
        "kind": violation.kind.value,
        "found": violation.found,
        "start": violation.start,
        "end": violation.end,
        "explanation": violation_text(violation),
    }


def checked_reply(text: str, platform: str | None = None) -> CheckedText:
    return CheckedText(text, tuple(check_reply(text, platform)))


def checked_message(text: str) -> CheckedText:
    return CheckedText(text, tuple(check_private_text(text)))


def draft_reply(facts: ReplyFacts, platform: str | None = None) -> CheckedText:
    """The reply's words, checked; a quote of the reviewer that the checker refuses (a phone
    number, a superlative) is left out rather than shown."""
    draft = checked_reply(reply_text(facts), platform)
    if draft.violations and facts.issue:
        unquoted = checked_reply(reply_text(replace(facts, issue=None)), platform)
        if len(unquoted.violations) < len(draft.violations):
            return unquoted
    return draft


def offer_json(offer: Offer | None, message: CheckedText | None) -> dict[str, Any] | None:
    """The offer as `process` writes it and the API shows it."""
    if offer is None:
        return None
    amount = offer.amount
    return {
        "remedy": offer.remedy.value,
        "remedy_name": remedy_name(offer.remedy),
        "amount": None if amount is None else float(amount),
        "coupon": float(offer.coupon),
        "refund": None if offer.refund is None else float(offer.refund),
        "needs_approval": offer.needs_approval,
        "rule": offer.rule,
        "step": offer.step,
        "last_step": offer.last_step,
        "summary": offer_summary(offer.remedy, offer.coupon, offer.refund, offer.needs_approval),
        "why": [why_text(w) for w in offer.why],
        "message": None if message is None else message.as_json(),
    }


@dataclass(frozen=True)
class Drafts:
    offer: Offer | None
    message: CheckedText | None  # the private message that puts the offer
    reply: CheckedText

    def as_json(self) -> dict[str, Any]:
        return {"offer": offer_json(self.offer, self.message), "reply": self.reply.as_json()}


def draft_all(
    context: OfferContext,
    evidence: dict[str, str],
    product: str | None,
    seed: int | str,
    platform: str | None = None,
    policy: CompensationPolicy | None = None,
) -> Drafts:
    """The offer at the context's step, its message, and the public reply."""
    offer = draft_offer(context, policy)
    message = None if offer is None else checked_message(offer_message(offer, product))
    facts = reply_facts(
        list(context.causes), list(context.sub_causes), evidence, product, offer is not None, seed
    )
    return Drafts(offer, message, draft_reply(facts, platform))


class BatchDrafter:
    """Drafts for a stream of analysed reviews without a database (`python -m reviews process`):
    no order or history is known, so offers start from the analysis alone, and replies to one
    problem are numbered in arrival order so that they vary."""

    def __init__(self, policy: CompensationPolicy | None = None) -> None:
        self.policy = policy
        self.similar: Counter[str] = Counter()

    def drafts(self, found: Analysis, product: str | None, platform: str | None) -> Drafts | None:
        """The drafts for a negative review; None for one that is not negative."""
        if not found.negative:
            return None
        context = OfferContext(
            causes=tuple(found.causes),
            sub_causes=tuple(found.sub_causes),
            severity=SeverityLevel(found.severity.level),
            repeat_buyer=any(r.startswith("repeat_buyer") for r in found.severity.reasons),
        )
        label = reply_label(found.causes, found.sub_causes)
        self.similar[label] += 1
        return draft_all(
            context, found.evidence, product, self.similar[label], platform, self.policy
        )

"""中差评 alerts: which channels hear of a negative review, and what they are told (as facts).

`alert_work` is called in the transaction that stores the review, so each alert is an outbox
row written with its cause (core.outbox): one per channel and review, never twice.
"""

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from core.outbox import Work
from reviews.alert_channels import Channel
from reviews.models import Review, ReviewAnalysis

TEXT_SHOWN = 300  # characters of the review in an alert; the desk shows the rest


@dataclass(frozen=True)
class ReviewAlert:
    """What an alert says about one negative review."""

    review_id: int
    platform: str
    platform_review_id: str
    product_id: str | None
    sku: str | None
    order_id: str | None
    rating: int | None
    severity: str  # low, medium, high, critical
    severity_reasons: tuple[str, ...]
    causes: tuple[str, ...]
    sub_causes: tuple[str, ...]
    evidence: tuple[tuple[str, str], ...]  # (cause or cause.sub, the clause that shows it)
    text: str  # the review (and its follow-up), cut to TEXT_SHOWN
    received_at: str  # ISO time the review was stored: alert latency is measured from it

    def as_payload(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> "ReviewAlert":
        fields = dict(payload)
        for name in ("severity_reasons", "causes", "sub_causes"):
            fields[name] = tuple(fields[name])
        fields["evidence"] = tuple((label, clause) for label, clause in fields["evidence"])
        return cls(**fields)


def review_alert(review: Review, analysis: ReviewAnalysis) -> ReviewAlert:
    text = review.text
    if review.follow_up_text:
        text = f"{text}（追评）{review.follow_up_text}"
    if len(text) > TEXT_SHOWN:
        text = text[: TEXT_SHOWN - 1] + "…"
    return ReviewAlert(
        review_id=review.id,
        platform=review.platform,
        platform_review_id=review.platform_review_id,
        product_id=review.product_id,
        sku=review.sku,
        order_id=review.order_id,
        rating=review.rating,
        severity=analysis.severity,
        severity_reasons=tuple(analysis.severity_reasons),
        causes=tuple(analysis.causes),
        sub_causes=tuple(analysis.sub_causes),
        evidence=tuple((label, clause) for label, clause in analysis.evidence.items()),
        text=text,
        received_at=review.imported_at.isoformat(),
    )


def alert_work(
    stored: Iterable[tuple[Review, ReviewAnalysis]], channels: Mapping[str, Channel]
) -> list[Work]:
    """One piece of outbox work per (channel, negative review) the channel wants to hear of."""
    work = []
    for review, analysis in stored:
        if not analysis.negative:
            continue
        payload: dict[str, Any] | None = None
        for name, channel in channels.items():
            if channel.wants(analysis.severity):
                payload = payload or review_alert(review, analysis).as_payload()
                work.append(Work(name, str(review.id), payload))
    return work


SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}


@dataclass(frozen=True)
class AlertBatch:
    """The reviews one message tells a channel about: one alert, or a digest of a burst."""

    alerts: tuple[ReviewAlert, ...]

    @property
    def is_digest(self) -> bool:
        return len(self.alerts) > 1

    def worst(self, k: int) -> tuple[ReviewAlert, ...]:
        """The `k` most severe, oldest first among equals."""
        return tuple(
            sorted(self.alerts, key=lambda a: (SEVERITY_ORDER.get(a.severity, 9), a.review_id))[:k]
        )

    def cause_counts(self) -> tuple[tuple[str, int], ...]:
        """How many reviews name each cause, commonest first."""
        counts: dict[str, int] = {}
        for alert in self.alerts:
            for cause in alert.causes or ("product",):
                counts[cause] = counts.get(cause, 0) + 1
        return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def severity_counts(self) -> tuple[tuple[str, int], ...]:
        counts: dict[str, int] = {}
        for alert in self.alerts:
            counts[alert.severity] = counts.get(alert.severity, 0) + 1
        return tuple(sorted(counts.items(), key=lambda kv: SEVERITY_ORDER.get(kv[0], 9)))

    def id_ranges(self) -> tuple[tuple[int, int], ...]:
        """The reviews' ids as runs (first, last): which reviews the message covers, exactly."""
        runs: list[list[int]] = []
        for review_id in sorted(a.review_id for a in self.alerts):
            if runs and review_id == runs[-1][1] + 1:
                runs[-1][1] = review_id
            else:
                runs.append([review_id, review_id])
        return tuple((first, last) for first, last in runs)

"""Severity of a negative review: a level that orders the agents' work, with its reasons."""

from dataclasses import dataclass, field
from enum import StrEnum


class SeverityLevel(StrEnum):
    """How urgent a negative review is, lowest first."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


LEVELS = tuple(level.value for level in SeverityLevel)
POINTS = {"safety": 3, "complaint_threat": 2, "repeat_buyer": 1}
HIGH_VALUE = 500  # yuan; twice the points from 2000
VERY_HIGH_VALUE = 2000


@dataclass
class Severity:
    level: str = "none"  # "none" for a review that is not negative
    reasons: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, str | list[str]]:
        return {"level": self.level, "reasons": self.reasons}


def severity(
    cues: dict[str, str],
    rating: int | None = None,
    order_value: float | None = None,
    repeat_buyer: bool = False,
) -> Severity:
    """Points from safety (3), a threat to complain to the platform/12315 (2), a repeat buyer (1),
    the order value (1 from 500, 2 from 2000 yuan) and a 1-star rating (1): 0 low, 1 medium,
    2 high, 3+ critical."""
    reasons = [f"{reason}: {phrase}" for reason, phrase in cues.items()]
    points = sum(POINTS[reason] for reason in cues)
    if repeat_buyer and "repeat_buyer" not in cues:
        points += POINTS["repeat_buyer"]
        reasons.append("repeat_buyer: earlier orders")
    if order_value is not None and order_value >= HIGH_VALUE:
        points += 2 if order_value >= VERY_HIGH_VALUE else 1
        reasons.append(f"order_value: {order_value:g}")
    if rating == 1:
        points += 1
        reasons.append("rating: 1 star")
    return Severity(LEVELS[min(points, len(LEVELS) - 1)], reasons)

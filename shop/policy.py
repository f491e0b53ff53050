"""The shop's logistics policy (shop/logistics_policy.yaml), validated when it is loaded.

The policy holds rules only (which remedies, how soon, what needs approval); what the shopper
is told about each remedy is in `words/storefront.yaml`.
"""

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from shop.models import CaseKind, Remedy

POLICY_FILE = Path(__file__).with_name("logistics_policy.yaml")


class CaseRule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    remedies: list[Remedy] = Field(min_length=1)
    reply_within_hours: int = Field(gt=0, le=168)
    needs_photo: bool = False
    coupon_yuan: int | None = Field(default=None, gt=0)


class ApprovalRule(BaseModel):
    """Remedies that wait for a person's approval on orders worth more than a threshold."""

    model_config = ConfigDict(extra="forbid")
    remedies: list[Remedy] = Field(min_length=1)
    order_value_above_yuan: float = Field(ge=0)


class LogisticsPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    stall_after_days: int = Field(gt=0)
    follow_up_every_minutes: int = Field(gt=0)
    cases: dict[CaseKind, CaseRule]
    approval: ApprovalRule | None = None

    @model_validator(mode="after")
    def _complete(self) -> "LogisticsPolicy":
        missing = set(CaseKind) - set(self.cases)
        if missing:
            raise ValueError(f"cases missing for: {', '.join(sorted(missing))}")
        for kind, rule in self.cases.items():
            if Remedy.COUPON in rule.remedies and rule.coupon_yuan is None:
                raise ValueError(f"{kind}: the coupon remedy needs coupon_yuan")
        return self

    def approval_for(self, remedies: list[Remedy], order_value: float) -> ApprovalRule | None:
        """The approval these remedies wait for on an order of this value, if any."""
        approval = self.approval
        applies = (
            approval is not None
            and set(remedies) & set(approval.remedies)
            and order_value > approval.order_value_above_yuan
        )
        return approval if applies else None


class PolicyError(ValueError):
    """The policy file is invalid; the message says what and where."""


@lru_cache
def load_policy(path: Path = POLICY_FILE) -> LogisticsPolicy:
    try:
        return LogisticsPolicy.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise PolicyError(f"{path}: invalid logistics policy: {exc}") from exc

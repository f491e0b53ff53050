"""The shop's policy for problems with what arrived (shop/problem_policy.yaml): fresh food that
arrived bad, quality problems found in use, and the trip back of a wrong item exchanged.
Validated when it is loaded."""

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from core.policy_file import load_policy_file

POLICY_FILE = Path(__file__).with_name("problem_policy.yaml")


class FreshRemedy(StrEnum):
    """What the shop does for fresh food that arrived bad."""

    PROPORTIONAL_REFUND = "proportional_refund"  # the share that is bad, back to where it was paid
    RESEND = "resend"  # the bad pieces sent again


class FreshFoodRule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    categories: list[str] = Field(min_length=1)
    report_within_hours: int = Field(gt=0, le=168)
    remedies: list[FreshRemedy] = Field(min_length=1)
    review_within_hours: int = Field(gt=0, le=168)


class QualityRule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    return_within_days: int = Field(gt=0, le=365)
    # A fault told this long after signing came in use (a quality or warranty matter), not in
    # transport: a transport case is never offered on it.
    found_in_use_after_days: int = Field(gt=0, le=365)
    shop_pays_return_shipping: bool
    review_within_hours: int = Field(gt=0, le=168)  # a person checks the photos this soon
    # catalogue categories (codes) whose own rule takes quality problems back at any time
    # (图书: 缺页、倒装、印刷错误不限时间包换): no days count for an order of them alone
    any_time_categories: list[str] = Field(default_factory=list)


class ExchangeRule(BaseModel):
    """A wrong item exchanged (a damaged one sent again): the trip back and the right item."""

    model_config = ConfigDict(extra="forbid")
    correct_item_first: bool  # the right item leaves once the photos are checked, not after
    send_back_within_days: int = Field(gt=0, le=30)  # the wrong one goes back this soon after
    shop_pays_return_shipping: bool  # by a free pick-up at the shopper's door


class ProblemPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fresh_food: FreshFoodRule
    quality: QualityRule
    exchange: ExchangeRule


class ProblemPolicyError(ValueError):
    """The policy file is invalid; the message says what and where."""


@lru_cache
def load_problem_policy(path: Path = POLICY_FILE) -> ProblemPolicy:
    return load_policy_file(path, ProblemPolicy, ProblemPolicyError, "problem policy")

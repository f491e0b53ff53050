"""The shop's refund times and return address (shop/refund_policy.yaml), validated on load.

The policy holds numbers and the address only; what the shopper is told is in
`words/storefront.yaml`.
"""

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from core.policy_file import load_policy_file

REFUND_POLICY_FILE = Path(__file__).with_name("refund_policy.yaml")
DEFAULT_METHOD = "default"
MAX_WORKING_DAYS = 30


class ReturnAddress(BaseModel):
    """Where approved returns are sent."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    receiver: str = Field(min_length=1, max_length=32)
    phone: str = Field(min_length=1, max_length=20)
    address: str = Field(min_length=1, max_length=100)


class RefundPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    issue_within_working_days: int = Field(gt=0, le=MAX_WORKING_DAYS)
    arrival_working_days: dict[str, tuple[int, int]]
    return_to: ReturnAddress
    send_within_days: int = Field(gt=0, le=30)

    @field_validator("arrival_working_days")
    @classmethod
    def _ranges(cls, arrivals: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
        if DEFAULT_METHOD not in arrivals:
            raise ValueError(f"'{DEFAULT_METHOD}' is missing: it covers unlisted payment methods")
        for method, (low, high) in arrivals.items():
            if not 0 <= low <= high <= MAX_WORKING_DAYS:
                raise ValueError(f"{method}: [{low}, {high}] is not a range of 0-30 working days")
            if not method.strip() or len(method) > 32:
                raise ValueError(f"{method!r}: a payment method is 1-32 characters")
        return arrivals

    def arrival(self, method: str | None) -> tuple[str | None, tuple[int, int]]:
        """The method as listed (None: not listed, the default applies) and its days."""
        if method and method in self.arrival_working_days and method != DEFAULT_METHOD:
            return method, self.arrival_working_days[method]
        return None, self.arrival_working_days[DEFAULT_METHOD]

    @property
    def methods(self) -> list[str]:
        """The payment methods the policy names, in its order."""
        return [m for m in self.arrival_working_days if m != DEFAULT_METHOD]


class RefundPolicyError(ValueError):
    """The refund policy file is invalid; the message says what and where."""


@lru_cache
def load_refund_policy(path: Path = REFUND_POLICY_FILE) -> RefundPolicy:
    return load_policy_file(path, RefundPolicy, RefundPolicyError, "refund policy")

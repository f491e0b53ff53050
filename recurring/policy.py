"""The shop's recurring-issue policy (recurring/policy.yaml), validated when it is loaded."""

from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from core.policy_file import load_policy_file
from recurring.models import Queue

POLICY_FILE = Path(__file__).with_name("policy.yaml")


class QueueRule(BaseModel):
    """`threshold` complaints of one key within `window_days` of each other open an item."""

    model_config = ConfigDict(extra="forbid")
    threshold: int = Field(ge=1, le=1000)
    window_days: int = Field(ge=1, le=90)

    @property
    def window(self) -> timedelta:
        return timedelta(days=self.window_days)


class RecurringPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    queues: dict[Queue, QueueRule]
    trend_days: int = Field(default=14, ge=1, le=90)
    lookback_days: int = Field(default=30, ge=1, le=365)

    @model_validator(mode="after")
    def _complete(self) -> "RecurringPolicy":
        missing = set(Queue) - set(self.queues)
        if missing:
            raise ValueError(f"queues missing: {', '.join(sorted(missing))}")
        for queue, rule in self.queues.items():
            if rule.window_days > self.lookback_days:
                raise ValueError(f"{queue}: window_days is longer than lookback_days")
        return self

    @property
    def lookback(self) -> timedelta:
        return timedelta(days=self.lookback_days)


class PolicyError(ValueError):
    """The policy file is invalid; the message says what and where."""


@lru_cache
def load_recurring_policy(path: Path = POLICY_FILE) -> RecurringPolicy:
    return load_policy_file(path, RecurringPolicy, PolicyError, "recurring-issue policy")

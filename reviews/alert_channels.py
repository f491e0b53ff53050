"""The shop's alert channels (`reviews/alert_channels.yaml`): where 中差评 alerts go, and how often.

Each channel names its kind, the environment variables that hold its address and secret (never
the secrets themselves), the lowest severity it is told about, and its rate limit. A channel
whose address variable is unset is off. The file is validated once, with a clear error.
"""

import os
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints, model_validator

from core.policy_file import load_policy_file
from core.settings import get_settings
from reviews.severity import LEVELS as SEVERITY_LEVELS


class ChannelKind(StrEnum):
    WEBHOOK = "webhook"  # generic JSON, signed with HMAC-SHA256
    WECOM = "wecom"  # 企业微信 group robot
    DINGTALK = "dingtalk"  # 钉钉 custom robot (加签)
    FEISHU = "feishu"  # 飞书 custom robot (签名校验)
    EMAIL = "email"  # SMTP


# Robots' documented limits per minute (a burst beyond becomes one digest).
DEFAULT_PER_MINUTE = {
    ChannelKind.WEBHOOK: 120,
    ChannelKind.WECOM: 20,
    ChannelKind.DINGTALK: 20,
    ChannelKind.FEISHU: 100,
    ChannelKind.EMAIL: 20,
}
# Most reviews one message covers. A digest lists its reviews' ids as runs (#1001–#5000), so an
# import's burst fits in a few bytes; a message whose list would not fit its platform's size
# covers fewer, and the rest leave in the next (jobs.alert_delivery). The webhook carries every
# review's facts, so it takes fewer.
MAX_REVIEWS = {
    ChannelKind.WEBHOOK: 2000,
    ChannelKind.WECOM: 10_000,
    ChannelKind.DINGTALK: 10_000,
    ChannelKind.FEISHU: 10_000,
    ChannelKind.EMAIL: 10_000,
}
EnvName = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_]{0,63}$")]


class ChannelSpec(BaseModel):
    """One channel as the file describes it."""

    name: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,31}$")]
    kind: ChannelKind
    url_env: EnvName  # the webhook URL, or smtp://user:password@host:port for email
    secret_env: EnvName | None = None  # signing secret (webhook, DingTalk, Feishu)
    to_env: EnvName | None = None  # email: comma-separated recipients
    mail_from: str = "客服助手 <kefu-alerts@localhost>"
    min_severity: str = Field(default="low", pattern="^(low|medium|high|critical)$")
    per_minute: int | None = Field(default=None, ge=1, le=600)
    max_reviews: int | None = Field(default=None, ge=1, le=10_000)  # per message (a digest)

    @model_validator(mode="after")
    def _fits_its_kind(self) -> "ChannelSpec":
        if self.kind == ChannelKind.EMAIL and self.to_env is None:
            raise ValueError(f"channel {self.name}: an email channel needs to_env")
        if (self.max_reviews or 0) > MAX_REVIEWS[self.kind]:
            raise ValueError(
                f"channel {self.name}: max_reviews {self.max_reviews} is more than one"
                f" {self.kind} message can list ({MAX_REVIEWS[self.kind]})"
            )
        return self


class AlertPolicy(BaseModel):
    channels: list[ChannelSpec]

    @model_validator(mode="after")
    def _unique_names(self) -> "AlertPolicy":
        names = [c.name for c in self.channels]
        if len(names) != len(set(names)):
            raise ValueError("channel names must be unique")
        return self


class AlertPolicyError(ValueError):
    """alert_channels.yaml is missing or invalid."""


@dataclass(frozen=True)
class Channel:
    """A channel that is on: its spec with the address and secrets read from the environment."""

    spec: ChannelSpec
    url: str
    secret: str | None
    recipients: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def per_minute(self) -> int:
        return self.spec.per_minute or DEFAULT_PER_MINUTE[self.spec.kind]

    @property
    def max_reviews(self) -> int:
        return self.spec.max_reviews or MAX_REVIEWS[self.spec.kind]

    @property
    def min_interval_s(self) -> float:
        """Messages are spaced at least this far apart, so a burst never hits the limit."""
        return 60.0 / self.per_minute

    def wants(self, level: str) -> bool:
        """Whether a negative review of this severity level is alerted here."""
        return level in SEVERITY_LEVELS and SEVERITY_LEVELS.index(level) >= SEVERITY_LEVELS.index(
            self.spec.min_severity
        )


@cache
def alert_policy(path: Path | None = None) -> AlertPolicy:
    return load_policy_file(
        path or get_settings().alert_channels_file, AlertPolicy, AlertPolicyError, "alert channels"
    )


def channels(environ: dict[str, str] | None = None) -> dict[str, Channel]:
    """The channels that are on (their address variable is set), by name."""
    env = os.environ if environ is None else environ
    found = {}
    for spec in alert_policy().channels:
        url = env.get(spec.url_env, "").strip()
        if not url:
            continue
        secret = env.get(spec.secret_env, "").strip() or None if spec.secret_env else None
        recipients = tuple(
            r.strip() for r in env.get(spec.to_env or "", "").split(",") if r.strip()
        )
        found[spec.name] = Channel(spec, url, secret, recipients)
    return found

"""The shop's logistics policy (shop/logistics_policy.yaml), validated when it is loaded.

The policy holds rules only (which remedies, how soon, what needs approval); what the shopper
is told about each remedy is in `words/storefront.yaml`.
"""

from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from core.policy_file import load_policy_file
from shop.models import CaseKind, Remedy


class DayPart(StrEnum):
    """A part of the day as shoppers name it (上午, 中午, 下午, 晚上)."""

    MORNING = "morning"
    NOON = "noon"
    AFTERNOON = "afternoon"
    EVENING = "evening"


POLICY_FILE = Path(__file__).with_name("logistics_policy.yaml")


class CaseRule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    remedies: list[Remedy] = Field(min_length=1)
    reply_within_hours: int = Field(gt=0, le=168)
    needs_photo: bool = False
    coupon_yuan: int | None = Field(default=None, gt=0)
    coupon_valid_days: int | None = Field(default=None, gt=0, le=365)  # from the day it is sent


class ApprovalRule(BaseModel):
    """Remedies that wait for a person's approval on orders worth more than a threshold."""

    model_config = ConfigDict(extra="forbid")
    remedies: list[Remedy] = Field(min_length=1)
    order_value_above_yuan: float = Field(ge=0)


Hours = tuple[int, int]  # whole local hours [start, end)


def _hours_in_order(hours: Hours) -> Hours:
    if not 0 <= hours[0] < hours[1] <= 24:
        raise ValueError(f"hours must be [start, end) within 0-24, not {list(hours)}")
    return hours


class AppointmentRule(BaseModel):
    """The delivery appointments shoppers may make (改天送, 周六下午送, 放快递柜)."""

    model_config = ConfigDict(extra="forbid")
    max_days_ahead: int = Field(default=7, gt=0, le=30)  # how long a carrier holds a parcel
    unshipped_earliest_days: int = Field(default=1, ge=0, le=7)  # not shipped: not sooner
    delivery_hours: Hours = (8, 21)
    day_parts: dict[DayPart, Hours] = Field(
        default_factory=lambda: {
            DayPart.MORNING: (9, 12),
            DayPart.NOON: (11, 14),
            DayPart.AFTERNOON: (12, 18),
            DayPart.EVENING: (18, 21),
        }
    )

    @model_validator(mode="after")
    def _within_delivery_hours(self) -> "AppointmentRule":
        start, end = _hours_in_order(self.delivery_hours)
        missing = set(DayPart) - set(self.day_parts)
        if missing:
            raise ValueError(f"day_parts missing: {', '.join(sorted(missing))}")
        for part, hours in self.day_parts.items():
            if not start <= _hours_in_order(hours)[0] < hours[1] <= end:
                raise ValueError(f"day_parts.{part} lies outside delivery_hours")
        return self


class WarehouseRule(BaseModel):
    """When the warehouse ships (what a chased order not yet shipped is told)."""

    model_config = ConfigDict(extra="forbid")
    ship_cutoff_hour: int = Field(default=16, ge=1, le=23)  # shop time: the day's last dispatch
    pack_minutes: int = Field(default=60, ge=0, le=600)  # a later chase makes the next day's
    ships_within_hours: int = Field(default=48, ge=1, le=168)  # paid after the cut-off


class TransitRule(BaseModel):
    """Days on the road after dispatch, by where the parcel goes: the provinces near the
    warehouse, the remote ones (the shipping rule's), and the rest."""

    model_config = ConfigDict(extra="forbid")
    near_provinces: list[str] = Field(default_factory=list)  # short names: 浙江, 上海
    near_days: tuple[int, int] = (1, 2)
    days: tuple[int, int] = (2, 4)
    remote_days: tuple[int, int] = (5, 7)

    @model_validator(mode="after")
    def _ranges(self) -> "TransitRule":
        for name in ("near_days", "days", "remote_days"):
            low, high = getattr(self, name)
            if not 0 < low <= high <= 30:
                raise ValueError(f"{name}: a range of days [low, high], 0 < low <= high <= 30")
        return self


class ShippingRule(BaseModel):
    """What a parcel costs the shopper: free from an amount of goods (paid, after discounts,
    postage not counted), a higher fee and threshold to remote provinces."""

    model_config = ConfigDict(extra="forbid")
    free_from_yuan: Decimal = Field(default=Decimal(99), ge=0)
    fee_yuan: Decimal = Field(default=Decimal(8), ge=0)
    remote_provinces: list[str] = Field(default_factory=list)  # short names: 新疆, 内蒙古
    remote_fee_yuan: Decimal = Field(default=Decimal(15), ge=0)
    remote_free_from_yuan: Decimal = Field(default=Decimal(199), ge=0)
    sf_extra_yuan: Decimal = Field(default=Decimal(12), ge=0)  # sent by SF Express instead
    # categories (codes) whose postage is not this rule's (fresh food's cold chain): the
    # knowledge base's answer for them says it
    own_rule_categories: list[str] = Field(default_factory=list)
    unserved_provinces: list[str] = Field(default_factory=list)  # not sent to at all: 香港

    def has_own_rule(self, category: str | None) -> bool:
        return category in self.own_rule_categories

    def is_remote(self, province: str | None) -> bool:
        return province in self.remote_provinces

    def free_from(self, province: str | None = None) -> Decimal:
        return self.remote_free_from_yuan if self.is_remote(province) else self.free_from_yuan

    def fee(self, goods: Decimal, province: str | None = None) -> Decimal:
        """The postage on `goods` (yuan paid for the goods) sent to `province`."""
        if goods >= self.free_from(province):
            return Decimal(0)
        return self.remote_fee_yuan if self.is_remote(province) else self.fee_yuan


class LogisticsPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    stall_after_days: int = Field(gt=0)
    follow_up_every_minutes: int = Field(gt=0)
    # a reship, an exchange or the missing items leave the warehouse this soon after the case
    # is confirmed (what a shopper who asks "多久能换好" is told)
    remedy_ships_within_hours: int = Field(default=48, gt=0, le=168)
    cases: dict[CaseKind, CaseRule]
    approval: ApprovalRule | None = None
    appointments: AppointmentRule = Field(default_factory=AppointmentRule)
    warehouse: WarehouseRule = Field(default_factory=WarehouseRule)
    shipping: ShippingRule = Field(default_factory=ShippingRule)
    transit: TransitRule = Field(default_factory=TransitRule)

    @model_validator(mode="after")
    def _complete(self) -> "LogisticsPolicy":
        missing = set(CaseKind) - set(self.cases)
        if missing:
            raise ValueError(f"cases missing for: {', '.join(sorted(missing))}")
        for kind, rule in self.cases.items():
            if Remedy.COUPON in rule.remedies and (
                rule.coupon_yuan is None or rule.coupon_valid_days is None
            ):
                raise ValueError(
                    f"{kind}: the coupon remedy needs coupon_yuan and coupon_valid_days"
                )
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
    return load_policy_file(path, LogisticsPolicy, PolicyError, "logistics policy")

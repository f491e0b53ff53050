"""A power limit the shopper states (宿舍限800w, 插座是10A的), compared with the product's power.

A shopper who names the most their socket or circuit takes and asks whether the product works
on it wants the comparison, not the wattage said again: 1800W is over an 800W limit and would
likely trip it. The limit is taken from a number with a power unit (800w, 800瓦, 1.5千瓦) or a
current (10A, 16安: at the mains' 220V) that is not one of the product's own numbers; the
product's power from its catalogue attributes named 功率 (not a charger's output). A page that
names the socket current it needs (…需使用16A专用插座) answers a current itself.
"""

import re
from dataclasses import dataclass

from core.text import normalise
from shop.models import Product

MAINS_VOLTS = 220  # a current limit (10A) in watts: at China's mains voltage
# A power said with its unit: 800w, 800 瓦, 1.5kw, 2千瓦.
_WATTS = re.compile(r"(\d+(?:\.\d+)?)\s*(千瓦|kw|瓦|w)(?![a-z])")
# A current said with its unit: 10a, 16安 (not 10安装).
_AMPS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:a(?![a-z])|安(?!装|全|排|心|静))")
# Attribute names holding a product's power; a charger's output is not what a socket bears.
_POWER_NAME = re.compile(r"功率")
_NOT_MAINS_POWER = re.compile(r"快充|输出|充电")


@dataclass(frozen=True)
class PowerLimit:
    """The most the shopper's socket or circuit takes, in watts, and as they said it."""

    watts: int
    said: str  # 800W, 10A


@dataclass(frozen=True)
class PowerAgainstLimit:
    """The product's power (each setting or part: `powers`, as (label, watts)) against the
    limit the shopper stated: `over` those above it (likely to trip it), the rest within."""

    product_name: str
    limit: PowerLimit
    powers: tuple[tuple[str, int], ...]

    @property
    def over(self) -> tuple[tuple[str, int], ...]:
        return tuple(p for p in self.powers if p[1] > self.limit.watts)

    @property
    def within(self) -> tuple[tuple[str, int], ...]:
        return tuple(p for p in self.powers if p[1] <= self.limit.watts)


def product_powers(product: Product) -> tuple[tuple[str, int], ...]:
    """The product's mains powers as (attribute, watts), one per number its 功率 attributes
    give (2200W / 3200W 可切换: both settings), in the catalogue's order."""
    powers: list[tuple[str, int]] = []
    for name, value in product.attributes.items():
        if not _POWER_NAME.search(name) or _NOT_MAINS_POWER.search(name):
            continue
        for number, unit in _WATTS.findall(normalise(str(value))):
            watts = _in_watts(number, unit)
            if (name, watts) not in powers:
                powers.append((name, watts))
    return tuple(powers)


def stated_limit(text: str, own: tuple[int, ...] = ()) -> PowerLimit | None:
    """The power limit the message states (限800w, 最多1000瓦, 插座10A), skipping numbers that are
    the product's own powers (`own`: 1800w的能用吗 names the product, not a limit)."""
    clean = normalise(text)
    for number, unit in _WATTS.findall(clean):
        watts = _in_watts(number, unit)
        if watts not in own:
            return PowerLimit(watts, f"{_plain(number)}{'kW' if unit in ('千瓦', 'kw') else 'W'}")
    for number in _AMPS.findall(clean):
        amps = float(number)
        if 0 < amps <= 63:  # a household socket or breaker
            return PowerLimit(round(amps * MAINS_VOLTS), f"{_plain(number)}A")
    return None


def power_against_limit(product: Product, text: str) -> PowerAgainstLimit | None:
    """The product's power compared with the limit the message states; None when it states
    none or the catalogue gives the product no power."""
    powers = product_powers(product)
    if not powers:
        return None
    limit = stated_limit(text, tuple(watts for _, watts in powers))
    if limit is None or (limit.said.endswith("A") and _rates_sockets(product)):
        return None  # 10a的插座: the page's own socket rating answers (3200W档需使用16A…)
    return PowerAgainstLimit(product.name, limit, powers)


def _rates_sockets(product: Product) -> bool:
    """Whether the product's page names the socket current it needs (…需使用16A专用插座)."""
    return any(_AMPS.search(normalise(str(value))) for value in product.attributes.values())


def _in_watts(number: str, unit: str) -> int:
    return round(float(number) * (1000 if unit in ("千瓦", "kw") else 1))


def _plain(number: str) -> str:
    """1.50 → 1.5, 800 → 800."""
    return number.rstrip("0").rstrip(".") if "." in number else number

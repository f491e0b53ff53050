"""The region (province) of a shipping address, as reports group complaints by it."""

import re

from core.places import CITY_PROVINCE, PROVINCES

REGION_LENGTH = 16  # the events' `region` column

_PLACE = re.compile("|".join(sorted([*PROVINCES, *CITY_PROVINCE], key=len, reverse=True)))


def province(address: str | None) -> str | None:
    """The province (省级行政区, short name: 浙江, 上海, 内蒙古) an address lies in, when it
    starts with one or with a big city; None when it cannot be told."""
    return _province_of(_PLACE.match(address.strip())) if address else None


def province_named(text: str | None) -> str | None:
    """The province a message names anywhere (寄新疆多少运费, 发乌鲁木齐包邮吗), short name; None
    when it names none."""
    return _province_of(_PLACE.search(text or ""))


def places_in(text: str) -> list[tuple[str, str]]:
    """Each province or big city the text names, as written, with its province (short name)."""
    return [(m.group(0), province) for m in _PLACE.finditer(text) if (province := _province_of(m))]


def place_named(text: str | None) -> str | None:
    """The province or big city a message names, as written (寄到成都要几天 → 成都)."""
    found = _PLACE.search(text or "")
    return found.group(0) if found else None


def _province_of(found: re.Match[str] | None) -> str | None:
    """The province of a place found (a province, or a big city's), short name."""
    if found is None:
        return None
    place = found.group()
    return CITY_PROVINCE.get(place, place)[:REGION_LENGTH]

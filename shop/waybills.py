"""A carrier's waybill number in a shopper's words: never an order number.

Shoppers paste what the carrier's page shows ("中通快递 运单号：7531 2345 6789 01 已揽收") or type
the number beside the carrier's name ("顺丰 SF1423567890123"). `read_waybill` finds it; the
order-number readers leave its digits alone (shop.orders, bot/actions/order_lookup.py).
"""

import re
from dataclasses import dataclass

from core.text import normalise
from shop.carriers import CARRIERS

_NUMBER = r"([a-z]{0,4}\s*\d(?:[\d\s\-]*\d){7,24})"
# 运单号：…, 快递单号 …, 物流单号: … (订单号 is the order's)
_LABELLED = re.compile(
    r"(?:运单|快递单|物流单|退货单|寄件单)(?:号|编号)(?:是|为)?[:：\s]*" + _NUMBER
)
# 单号 … alone: shoppers say it of the order too (单号4186…0 尾号7205); a waybill only with a
# carrier named or letters in it (单号 SF1423…)
_BARE_LABEL = re.compile(r"(?<![订])单(?:号|编号)(?:是|为)?[:：\s]*" + _NUMBER)
# 中通 7531…, 顺丰速运：SF…, 圆通快递 YT…
_BESIDE_CARRIER = re.compile(
    r"(" + "|".join(CARRIERS) + r")(?:快递|速运|速递|物流|快运)?[:：,，\s]*" + _NUMBER
)
_CARRIER = re.compile("|".join(CARRIERS))
MIN_DIGITS = 9


@dataclass(frozen=True)
class Waybill:
    """A waybill number as the shopper gave it (spaces dropped) and its carrier, when named."""

    number: str
    carrier: str | None
    start: int  # where it stands in the normalised words
    end: int


def read_waybill(text: str) -> Waybill | None:
    """The waybill in the words: a number labelled 运单号/快递单号/物流单号, beside a carrier's
    name, or labelled 单号 with a carrier named or letters in it; None when there is none (an
    order number labelled 订单号, or 单号 with digits alone, is never one)."""
    words = normalise(text)
    found = _LABELLED.search(words) or _BESIDE_CARRIER.search(words)
    bare = _BARE_LABEL.search(words) if found is None else None
    if bare is not None and (_CARRIER.search(words) or re.match(r"[a-z]", bare.group(1))):
        found = bare
    if found is None:
        return None
    number = re.sub(r"[\s\-]", "", found.group(found.lastindex or 1)).upper()
    if sum(c.isdigit() for c in number) < MIN_DIGITS:
        return None
    carrier = _CARRIER.search(words)
    name = carrier.group(0).replace("ems", "EMS") if carrier else None
    return Waybill(number, name, *found.span())


def without_waybill(text: str) -> str:
    """The words with the waybill's number blanked out (normalised), for the order readers."""
    words = normalise(text)
    waybill = read_waybill(words)
    if waybill is None:
        return words
    return words[: waybill.start] + " " + words[waybill.end :]


@dataclass(frozen=True)
class ReturnWaybillHeard:
    """A waybill given while the order's approved return waits for its parcel: it is the
    return parcel's, and the shopper fills it in on the order's after-sale page (the chat
    cannot enter it for them)."""

    order_no: str
    number: str
    carrier: str | None


@dataclass(frozen=True)
class WaybillNotAnOrder:
    """A waybill given where an order number was wanted, or beside a verified order: the bot
    looks parcels up by order (`order_no`: the order it looks up now, if any; `order_asked`:
    the order number is asked for right after)."""

    number: str
    carrier: str | None
    order_no: str | None = None
    order_asked: bool = False

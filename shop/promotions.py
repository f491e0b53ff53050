"""What a quantity of one product costs under its promotion text (一起买两件多少钱).

The catalogue's promotion is text a shop writes (满199减30，任选2件再享95折). The common deal
shapes are read from it: item discounts first (任选2件95折, 第二件半价, 2箱起购每箱再减5元,
买2件立减60元), then a 满X减Y on what is left. A part of the text that is not a deal
(赠口红礼盒) is ignored; nothing is assumed that the text does not say.
"""

import dataclasses
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from core.spoken import NUMBER_CHARS, number_value
from core.text import normalise

CENT = Decimal("0.01")
UNITS = "件箱支袋盒瓶台双条本套提包份罐只"
MAX_QUANTITY = 99  # more than this is not a shopper's basket: no total is worked out
# never a threshold (满99包邮: 99 is no count of 包) or a reduction (减5件)
_QUANTITY = re.compile(
    rf"(?<![×x*\d.第满减])(\d{{1,3}}|[{NUMBER_CHARS}]{{1,4}})\s*([{UNITS}])(?!邮)"
)
_NUMBER = r"(\d+(?:\.\d+)?)"
_PERCENT_OFF = re.compile(
    rf"(?:任选|任意|买)?{_NUMBER}[{UNITS}](?:及以上)?(?:再享|享|打)?{_NUMBER}折"
)
_EACH_OFF = re.compile(rf"{_NUMBER}[{UNITS}]起购?每[{UNITS}](?:再|立)?减{_NUMBER}元?")
_BUNDLE_OFF = re.compile(rf"(?:任选|任意|买){_NUMBER}[{UNITS}](?:再|立)?减{_NUMBER}元?")
_SECOND_HALF = re.compile(r"第二[件支箱袋盒瓶]半价")
_FULL_OFF = re.compile(rf"(每)?满{_NUMBER}减{_NUMBER}")
# 店铺新客立减20元: an amount off the order with no quantity or purchase asked; not one that
# needs another product (与键盘同购立减), a trade-in or a subsidy, or is only "up to" (至高)
_PLAIN_OFF = re.compile(rf"(?:立减|直降|下单减){_NUMBER}元")
_NOT_PLAIN = re.compile(
    rf"同购|搭配|套装|换购|换新|补贴|至高|最高|%|满|起购|(?:\d+|[一两二三四五六七八九十])[{UNITS}]"
)
_INSTALMENTS = re.compile(r"(\d{1,2})期免息")
# 与K380s键盘同购立减50元: an amount off when another product is bought in the same order
_WITH_ANOTHER = re.compile(
    rf"(?:与|和|跟|搭配)(.+?)(?:同购|同买|一起买|一起购买|搭配购买)(?:立减|再减|减|直降)?{_NUMBER}元?"
)


@dataclass(frozen=True)
class BoughtWithDeal:
    """A deal that needs another product in the basket: `partner`, the promotion's words for it
    (K380s键盘), `off` the amount taken off once when it is there."""

    deal: str
    partner: str
    off: Decimal


def bought_with_deals(promotion: str | None) -> tuple[BoughtWithDeal, ...]:
    """The deals of the promotion that need another product bought with it."""
    found = []
    for part in _parts(promotion):
        if match := _WITH_ANOTHER.search(part):
            found.append(BoughtWithDeal(part, match.group(1), Decimal(match.group(2))))
    return tuple(found)


def _parts(promotion: str | None) -> list[str]:
    """The promotion's deals, one clause each (满199减30，任选2件再享95折: two), in the shop's own
    words (half-width, the case kept: 与K380s键盘同购立减50元)."""
    text = normalise(promotion or "", keep_case=True)
    return [p.strip() for p in re.split(r"[，,；;。、+]", text) if p.strip()]


@dataclass(frozen=True)
class Quantity:
    """How many the shopper asks about, with the unit word they used (两箱 → 2, 箱)."""

    count: int
    unit: str


@dataclass(frozen=True)
class FullOffShort:
    """A 满X减Y the basket does not reach: how much more it would need. `products`: the
    products of a basket it counts, when not all of them state it, and `counted` their amount."""

    deal: str
    short_by: Decimal
    products: tuple[str, ...] = ()
    counted: Decimal | None = None


@dataclass(frozen=True)
class BasketTotal:
    """`quantity` at `unit_price`: the subtotal, the deals that apply and the total."""

    quantity: Quantity
    unit_price: Decimal
    subtotal: Decimal
    applied: tuple[str, ...]  # the promotion's own words of each deal used
    total: Decimal
    not_reached: FullOffShort | None  # the nearest 满减 the basket misses


@dataclass(frozen=True)
class SaidQuantity:
    """A quantity said in a message, where: `start`, `end` its place in the text read."""

    start: int
    end: int
    quantity: Quantity


def quantities_in(text: str) -> list[SaidQuantity]:
    """Every quantity `text` says (一袋, 两件, 2箱, 俩袋, 十二盒), in order; `text` is read as
    given (normalised by the caller), so the places are its own."""
    found = []
    for match in _QUANTITY.finditer(text):
        count = number_value(match.group(1))
        if count is not None and 1 <= count <= MAX_QUANTITY:
            found.append(SaidQuantity(*match.span(), Quantity(count, match.group(2))))
    return found


def asked_quantity(text: str) -> Quantity | None:
    """两件 / 2箱 / 买三支 / 要俩 in the shopper's message (a quantity of 2 or more), else None."""
    return next((q.quantity for q in quantities_in(normalise(text)) if q.quantity.count >= 2), None)


def basket_total(unit_price: Decimal, promotion: str | None, quantity: Quantity) -> BasketTotal:
    """What `quantity` costs at `unit_price` under the deals `promotion` states."""
    subtotal, applied, total, short = _apply([unit_price] * quantity.count, promotion)
    return BasketTotal(quantity, unit_price, subtotal, applied, total, short)


@dataclass(frozen=True)
class ProductsTotal:
    """Several products bought together: their prices, and the total under the promotion they
    share (图书满100减50 on two books); `promotion` None: they share none, so the total is the
    plain sum. `counts`: how many of each (2 bags of nuts and 3 packs of jerky), one of each
    when empty."""

    items: tuple[tuple[str, Decimal], ...]  # product name, price
    promotion: str | None
    subtotal: Decimal
    applied: tuple[str, ...]
    total: Decimal
    not_reached: FullOffShort | None
    counts: tuple[int, ...] = ()


def products_total(
    items: list[tuple[str, Decimal, str | None]],
    partners_met: Collection[str] = (),
    counts: Sequence[int] = (),
) -> ProductsTotal:
    """Products (name, price, promotion) bought together, `counts` of each (one of each when
    not given). A promotion's deals count for the products that state it: those sharing one
    text (one shop-wide or category deal) together, each other product on its own (跑鞋专区满399
    减40 still takes 40 off the running shoe bought with a pair of plain trainers), on the
    quantity of each (第二件半价 on 2 bags, 任选3件8折 on 3 packs). A deal that needs another
    product (与K380s键盘同购立减50元) counts when its deal text is in `partners_met` (the caller
    found that product in the basket). `promotion`: the text every product shares, if one does."""
    many = list(counts) or [1] * len(items)
    groups: dict[str, list[tuple[str, Decimal, int]]] = {}
    for (name, price, promotion), count in zip(items, many, strict=True):
        groups.setdefault(promotion or "", []).append((name, price, count))
    subtotal = total = Decimal("0")
    applied: list[str] = []
    short: FullOffShort | None = None
    for promotion, group in groups.items():
        prices = [price for _, price, count in group for _ in range(count)]
        part_subtotal, part_applied, part_total, part_short = _apply(
            prices, promotion, partners_met
        )
        subtotal, total = subtotal + part_subtotal, total + part_total
        applied += part_applied
        if part_short is not None and len(groups) > 1:  # 满199减40 on the nuts alone
            names = tuple(name for name, _, _ in group)
            part_short = dataclasses.replace(part_short, products=names, counted=part_total)
        short = short or part_short
    return ProductsTotal(
        tuple((name, price) for name, price, _ in items),
        next(iter(groups)) or None if len(groups) == 1 else None,
        subtotal,
        tuple(applied),
        total,
        short,
        tuple(many) if any(count > 1 for count in many) else (),
    )


@dataclass(frozen=True)
class Instalments:
    """Paying `price` in `months` interest-free instalments (支持12期免息): each one's amount,
    rounded to the cent (`exact`: it divides evenly)."""

    months: int
    price: Decimal
    per_month: Decimal
    exact: bool


def instalments(price: Decimal, promotion: str | None) -> Instalments | None:
    """The instalments the promotion offers interest-free (N期免息), else None: a plan the
    promotion does not state is never worked out."""
    match = _INSTALMENTS.search(normalise(promotion or ""))
    if match is None or int(match.group(1)) < 2:
        return None
    months = int(match.group(1))
    per_month = (price / months).quantize(CENT, ROUND_HALF_UP)
    return Instalments(months, price, per_month, per_month * months == price)


def _apply(
    prices: list[Decimal], promotion: str | None, partners_met: Collection[str] = ()
) -> tuple[Decimal, tuple[str, ...], Decimal, FullOffShort | None]:
    """The subtotal, the deals used, the total and the nearest 满减 missed, for these items
    (a deal needing another product: when it is in `partners_met`)."""
    count = len(prices)
    subtotal = sum(prices, Decimal("0"))
    total, applied = subtotal, []
    parts = _parts(promotion)
    met = set(partners_met)
    for part in parts:
        if m := _WITH_ANOTHER.search(part):
            if part in met:
                total -= Decimal(m.group(2))  # once per order
                applied.append(part)
        elif (m := _PERCENT_OFF.search(part)) and count >= Decimal(m.group(1)):
            total = total * _rate(Decimal(m.group(2)))
            applied.append(part)
        elif (m := _EACH_OFF.search(part)) and count >= Decimal(m.group(1)):
            total -= Decimal(m.group(2)) * count
            applied.append(part)
        elif (m := _BUNDLE_OFF.search(part)) and count >= Decimal(m.group(1)):
            total -= Decimal(m.group(2))
            applied.append(part)
        elif _SECOND_HALF.search(part) and count >= 2:
            halves = sorted(prices)[: count // 2]  # the cheaper ones are the half-price ones
            total -= sum(halves, Decimal("0")) / 2
            applied.append(part)
        elif (m := _PLAIN_OFF.search(part)) and not _NOT_PLAIN.search(part):
            total -= Decimal(m.group(1))  # once per order
            applied.append(part)
    short: FullOffShort | None = None
    full_offs = [(m, p) for p in parts if (m := _FULL_OFF.search(p))]
    reached = [(m, p) for m, p in full_offs if total >= Decimal(m.group(2))]
    if reached:  # the largest saving the basket reaches
        m, part = max(reached, key=lambda mp: _full_off_saving(mp[0], total))
        total -= _full_off_saving(m, total)
        applied.append(part)
    else:
        missed = [(m, p) for m, p in full_offs]
        if missed:
            m, part = min(missed, key=lambda mp: Decimal(mp[0].group(2)))
            short = FullOffShort(part, (Decimal(m.group(2)) - total).quantize(CENT, ROUND_HALF_UP))
    return (
        subtotal.quantize(CENT, ROUND_HALF_UP),
        tuple(applied),
        max(total, Decimal("0")).quantize(CENT, ROUND_HALF_UP),
        short,
    )


def _rate(discount: Decimal) -> Decimal:
    """95折 → 0.95, 8折 → 0.8, 8.5折 → 0.85."""
    return discount / 100 if discount >= 10 else discount / 10


def _full_off_saving(match: re.Match[str], amount: Decimal) -> Decimal:
    """满X减Y saves Y once; 每满X减Y saves Y for every X."""
    threshold, off = Decimal(match.group(2)), Decimal(match.group(3))
    return off * int(amount // threshold) if match.group(1) else off

"""What a shopper asks or says while a spec change asks for the new colour or size.

"有啥颜色", "那黑色呢", "白色有货吗" ask about the choices: answered with the ordered product's
variants and their stock (the one on the order said), and the step goes on. "没有的话白色吧",
"有黑色就黑色 没有就白色" give a value with a condition: the first variant named, in the order
of preference, that exists and is in stock for the quantity ordered is chosen (none: said so,
and the step goes on). Facts only; the bot's words are in words/storefront.yaml.
"""

import re
from dataclasses import dataclass
from datetime import date

from core.text import normalise
from shop.models import Order, OrderItem, Variant
from shop.modifications import variant_named
from shop.presale import NoSuchVariant, StockReport, stock_report

# A question about which colours, sizes or specs there are (有啥颜色, 都有哪些码, 还有别的颜色吗).
_ABOUT_CHOICES = re.compile(
    r"(?:有|还有|都有|一共有)(?:啥|什么|哪些|哪几种|几种|几个|别的|其他|其它)(?:颜色|色|码|尺码|规格|款|型号)?|"
    r"(?:颜色|尺码|码数|规格|款式|型号)[^，,。]{0,3}(?:有哪些|有啥|有什么|都有|几种|可以选)|"
    r"(?:啥|什么|哪些|哪个)(?:颜色|码|尺码|规格|款)[^，,。]{0,3}(?:有货|可以换|能换|有)"
)
# One variant asked about (那黑色呢, 白色有货吗, XL还有没有): the words end on the question.
_ONE_ASKED = re.compile(
    r"(?:呢|有吗|有没有|有货吗|有货没|还有吗|还有没有|有么|没了吗|卖完了吗)\s*[?？]*$|"
    r"^(?:那|请问)?(?:有没有|还有没有)"
)
# Colour words a shopper may name that the product may not have (黑色, 白的).
_COLOR_WORD = re.compile(r"(?:[黑白红蓝绿灰粉紫黄棕橙金银米咖]|卡其|藏青|酒红|天蓝)(?:色|的)")
# The condition on a value: what to take when the one wanted is not there.
_FALLBACK = re.compile(
    r"(?:(?<!有)没有|没货|缺货|卖完|没了|售罄|不行)(?:了)?(?:的话)?(?:就|那就|那)?|不然(?:就)?|要不(?:就)?|"
    r"实在不行(?:就)?|否则(?:就)?"
)


@dataclass(frozen=True)
class SpecChoices:
    """The ordered product's variants and their stock, asked about while the new spec is asked
    (`missing`: a colour the shopper named that the product does not come in)."""

    current: str  # the variant on the order
    report: StockReport | NoSuchVariant
    missing: str | None = None


@dataclass(frozen=True)
class ConditionalChoice:
    """A value with a condition (没有的话白色吧): `chosen`, the first variant named in order of
    preference that is in stock, or None; `passed_over`, the ones before it that are not (not
    made, or sold out, with the day they come back when known)."""

    chosen: str | None
    passed_over: tuple[str, ...]
    restock: date | None = None  # when the first sold-out one passed over comes back
    options: tuple[str, ...] = ()  # in stock to change to, when nothing named is


def _item(order: Order) -> OrderItem | None:
    """The item a spec change is about (an order of one product that has several variants)."""
    items = [i for i in order.items if len(i.variant.product.variants) > 1]
    return items[0] if len(items) == 1 else None


def _in_stock(item: OrderItem) -> tuple[str, ...]:
    return tuple(
        v.label
        for v in item.variant.product.variants
        if v.id != item.variant_id and v.stock >= item.quantity
    )


def asks_about_choices(text: str) -> bool:
    """Whether the message asks which variants there are, or about one (有啥颜色, 那黑色呢)."""
    clean = normalise(text)
    return bool(_ABOUT_CHOICES.search(clean)) or (
        bool(_ONE_ASKED.search(clean)) and _FALLBACK.search(clean) is None
    )


def choices_answer(order: Order, text: str, today: date | None = None) -> SpecChoices | None:
    """The answer to a question about the choices while a spec change asks for the new one:
    the variant named (its stock), or all of them; None when the message asks none."""
    item = _item(order)
    if item is None or not asks_about_choices(text):
        return None
    product = item.variant.product
    named = variant_named(order, text)
    missing = None
    if named is not None:
        variant = named[1]
        report = stock_report(product, variant.color, variant.size or variant.spec, today)
    else:
        colour = _COLOR_WORD.search(normalise(text))
        missing = colour.group(0) if colour and _ONE_ASKED.search(normalise(text)) else None
        report = stock_report(product, None, None, today)
    return SpecChoices(item.variant.label, report, missing)


def conditional_choice(
    order: Order, text: str, earlier: list[str] | None = None
) -> ConditionalChoice | None:
    """The value a conditional answer picks (没有的话白色吧 after 那黑色呢; 有黑色就黑色 没有就
    白色), reading the preference from the words before the condition, else the shopper's previous
    message; None when the message is no conditional value."""
    item = _item(order)
    clean = normalise(text)
    condition = _FALLBACK.search(clean)
    if item is None or condition is None:
        return None
    after = clean[condition.end() :]
    if not after or _name(order, after) is None:
        return None  # the condition names nothing to take instead
    before = clean[: condition.start()]
    preferred = (
        [before] if _name(order, before) else [t for t in (earlier or [])[-1:] if _name(order, t)]
    )
    passed: list[str] = []
    restock = None
    for words in (*preferred, after):
        found = variant_named(order, words)
        if found is None:
            passed.append(_name(order, words) or "")
            continue
        variant = found[1]
        if variant.stock >= item.quantity:
            return ConditionalChoice(variant.label, tuple(p for p in passed if p))
        passed.append(variant.label)
        restock = restock or _restock(variant)
    return ConditionalChoice(None, tuple(p for p in passed if p), restock, _in_stock(item))


def _name(order: Order, words: str) -> str | None:
    """The variant or colour the words name (a colour the product lacks as written)."""
    if (found := variant_named(order, words)) is not None:
        return found[1].label
    colour = _COLOR_WORD.search(normalise(words))
    return colour.group(0) if colour else None


def _restock(variant: Variant) -> date | None:
    """When a sold-out variant comes back (None: not known, or a day already past)."""
    report = stock_report(variant.product, variant.color, variant.size or variant.spec)
    if isinstance(report, StockReport) and report.variants:
        return report.variants[0].restock_date
    return None

"""Pre-sale answers from the catalogue: which product, its facts, stock, price and size advice.

Each answer is a fact (a frozen dataclass); `words` says it to the shopper. Nothing here
invents a fact: a question the catalogue cannot answer is `FactUnknown`, and the caller says
so and offers a human.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.text import normalise
from shop.models import Product, Variant

JIN_PER_KG = 2
LOW_STOCK = 5  # this many left or fewer: the shopper is told to hurry
VARIANTS_LISTED = 8  # one answer lists at most this many variants
# Words shoppers use for an attribute the catalogue names differently.
ATTRIBUTE_ALIASES = {
    "保修": ["保修", "质保", "保多久", "保几年", "包修"],
    "材质": ["材质", "面料", "什么料", "纯棉", "棉的"],
    "快充功率": ["快充", "充电功率", "多少w", "几瓦"],
    "电池容量": ["电池", "毫安", "mah"],
    "续航": ["续航", "用多久", "能用几天", "待机"],
    "防水等级": ["防水", "ip68", "ip67", "进水"],
    "蓝牙版本": ["蓝牙"],
    "屏幕尺寸": ["屏幕", "多大屏", "几寸"],
    "重量": ["重量", "多重", "几斤", "多少克"],
    "产地": ["产地", "哪里产", "哪产的", "国产"],
    "保质期": ["保质期", "放多久", "过期"],
    "配料": ["配料", "成分表", "添加剂"],
    "兼容性": ["兼容", "适配", "能用在", "支持苹果", "支持安卓"],
    "接口": ["接口", "type-c", "typec", "usb"],
    "容量": ["容量", "多少升", "几升", "多大"],
    "功率": ["功率", "费电", "耗电"],
    "电压": ["电压", "220v"],
    "安装方式": ["安装", "怎么装"],
    "适用肤质": ["肤质", "敏感肌", "油皮", "干皮"],
    "成分": ["成分"],
    "作者": ["作者", "谁写的"],
    "出版社": ["出版社"],
    "洗涤": ["洗", "机洗", "手洗"],
    "厚度": ["厚", "薄"],
    "版型": ["版型", "宽松", "修身"],
    "尺码建议": ["偏大", "偏小", "正码", "尺码标准", "码数准"],
}


@dataclass(frozen=True)
class ProductNotFound:
    """The shopper named a product the catalogue does not sell."""


class FactUnit(StrEnum):
    MONTHS = "months"
    DAYS = "days"


@dataclass(frozen=True)
class ProductFact:
    """One of the product's own facts, the one the shopper asked about: the catalogue's text,
    or a number of months or days (warranty, shelf life) that words render."""

    product_name: str
    attribute: str
    value: str
    unit: FactUnit | None = None


@dataclass(frozen=True)
class FactUnknown:
    """The catalogue does not say what the shopper asked about this product."""

    product_name: str


class StockState(StrEnum):
    IN_STOCK = "in_stock"
    LOW = "low"  # LOW_STOCK or fewer left
    SOLD_OUT_RESTOCK_KNOWN = "sold_out_restock_known"
    SOLD_OUT = "sold_out"  # and no restock date yet


@dataclass(frozen=True)
class VariantStock:
    label: str
    stock: int
    restock_date: date | None
    state: StockState


@dataclass(frozen=True)
class StockReport:
    """The stock of the product's variants the shopper asked about (all when none named)."""

    product_name: str
    variants: tuple[VariantStock, ...]


@dataclass(frozen=True)
class NoSuchVariant:
    """No variant has the colour/size asked for; `options` are the ones the product has."""

    product_name: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class PriceQuote:
    """The price now; `original_price` only when it is higher (a real discount)."""

    product_name: str
    price: Decimal
    original_price: Decimal | None
    promotion: str | None


@dataclass(frozen=True)
class NoSizeChart:
    """The product has no height/weight size chart to advise from."""

    product_name: str


@dataclass(frozen=True)
class SizeAdvice:
    """The size the product's chart gives for the shopper's height and/or weight."""

    size: str
    height_cm: float | None
    weight_kg: float | None
    chart_name: str
    size_height_cm: tuple[float, float]  # the height and weight the chart gives for `size`
    size_weight_kg: tuple[float, float]
    between_sizes: bool  # height and weight pointed at different sizes; the larger was chosen


def find_product(session: Session, text: str, hint: str | None = None) -> Product | None:
    """The product a message talks about: the longest keyword (or product code) match wins.

    Reads only codes and keywords to match, then loads the one product it found.
    """
    haystack = normalise(f"{text} {hint or ''}")
    best_id, best_len = None, 0
    for product_id, code, keywords in session.execute(
        select(Product.id, Product.code, Product.keywords)
    ):
        for keyword in (*keywords, code):
            word = normalise(keyword)
            if len(word) >= 2 and word in haystack and len(word) > best_len:
                best_id, best_len = product_id, len(word)
    return session.get(Product, best_id) if best_id is not None else None


def attribute_answer(product: Product, question: str) -> ProductFact | FactUnknown:
    """The attribute the question asks about, from the product's own facts only."""
    text = normalise(question)
    facts: dict[str, tuple[str, FactUnit | None]] = {
        name: (str(value), None) for name, value in product.attributes.items()
    }
    if product.effective_warranty_months and "保修" not in facts:
        facts["保修"] = (str(product.effective_warranty_months), FactUnit.MONTHS)
    if product.shelf_life_days and "保质期" not in facts:
        facts["保质期"] = (str(product.shelf_life_days), FactUnit.DAYS)
    for name, (value, unit) in facts.items():  # the catalogue's own attribute names first
        if normalise(name) in text:
            return ProductFact(product.name, name, value, unit)
    for name, aliases in ATTRIBUTE_ALIASES.items():
        if name in facts and any(alias in text for alias in aliases):
            return ProductFact(product.name, name, *facts[name])
    return FactUnknown(product.name)


def matching_variants(product: Product, color: str | None, size: str | None) -> list[Variant]:
    def fits(variant: Variant) -> bool:
        ok_color = not color or (variant.color and color.rstrip("色") in variant.color)
        ok_size = not size or normalise(size) in {
            normalise(v) for v in (variant.size, variant.spec) if v
        }
        return bool(ok_color and ok_size)

    return [v for v in product.variants if fits(v)]


def stock_report(
    product: Product, color: str | None, size: str | None
) -> StockReport | NoSuchVariant:
    """The stock of the variants with this colour and size (either may be None: any)."""
    variants = matching_variants(product, color, size)
    if not variants:
        options = tuple(v.label for v in product.variants[:VARIANTS_LISTED])
        return NoSuchVariant(product.name, options)
    return StockReport(product.name, tuple(_stock(v) for v in variants[:VARIANTS_LISTED]))


def _stock(variant: Variant) -> VariantStock:
    if variant.stock > LOW_STOCK:
        state = StockState.IN_STOCK
    elif variant.stock > 0:
        state = StockState.LOW
    elif variant.restock_date:
        state = StockState.SOLD_OUT_RESTOCK_KNOWN
    else:
        state = StockState.SOLD_OUT
    return VariantStock(variant.label, variant.stock, variant.restock_date, state)


def price_quote(product: Product) -> PriceQuote:
    """The price, the original price when it is higher, and the current promotion if any."""
    original = product.original_price
    return PriceQuote(
        product.name,
        product.price,
        original if original and original > product.price else None,
        product.promotion or None,
    )


def named_variant_terms(product: Product, text: str) -> tuple[str | None, str | None]:
    """The colour and the size (or spec) of this product's own variants that `text` names."""
    clean = normalise(text)
    colors = sorted({v.color for v in product.variants if v.color}, key=len, reverse=True)
    color = next((c for c in colors if _names_color(clean, normalise(c.rstrip("色")))), None)
    sizes = {part for v in product.variants for part in (v.size, v.spec) if part}
    size = next(
        (
            part
            for part in sorted(sizes, key=len, reverse=True)
            if re.search(rf"(?<![a-z0-9]){re.escape(normalise(part))}(?![a-z0-9])", clean)
        ),
        None,
    )
    return color, size


def _names_color(clean: str, stem: str) -> bool:
    """黑色/深空灰: the stem anywhere; a one-character stem (白) only as a colour word (白色,
    白的, 换成白), never inside another word (明白, 红包, 粉丝)."""
    if len(stem) > 1:
        return stem in clean
    return bool(
        re.search(rf"{re.escape(stem)}(?:色|的|款)|(?<=[成要换选拿]){re.escape(stem)}$", clean)
    )


def parse_height_cm(text: str | None) -> float | None:
    """170 / 170cm / 1米7 / 1.75m / 一米七五 → centimetres."""
    if not text:
        return None
    text = normalise(text).replace("一米", "1米")
    chinese = {"五": "5", "六": "6", "七": "7", "八": "8", "九": "9", "零": "0"}
    for han, digit in chinese.items():
        text = text.replace(han, digit)
    if match := re.search(r"1米(\d)(\d)?", text):
        return 100 + int(match.group(1)) * 10 + int(match.group(2) or 0)
    if match := re.search(r"(1\.\d{1,2})\s*m", text):
        return round(float(match.group(1)) * 100)
    if match := re.search(r"(1[2-9]\d|2[0-2]\d)(?![\d.]|\s*(?:斤|kg|公斤|千克))", text):
        return float(match.group(1))
    return None


def parse_weight_kg(text: str | None) -> float | None:
    """65kg / 65公斤 / 130斤 / 体重65 / "170 65" → kilograms (a bare number of 100+ is 斤)."""
    if not text:
        return None
    text = normalise(text)
    if match := re.search(r"(\d{2,3}(?:\.\d)?)\s*(kg|公斤|千克|斤)", text):
        value, unit = float(match.group(1)), match.group(2)
    elif match := re.search(r"体重\D{0,3}(\d{2,3}(?:\.\d)?)", text):
        value, unit = float(match.group(1)), None
    else:
        numbers = [float(n) for n in re.findall(r"(?<![\d.])(\d{2,3}(?:\.\d)?)(?![\d.])", text)]
        if len(numbers) >= 2 and 130 <= numbers[0] <= 220:
            numbers = numbers[1:]  # "170 65": the first number is the height
        elif len(numbers) == 1 and 130 <= numbers[0] <= 220 and "斤" not in text:
            return None  # a lone 170 is a height, not a weight
        if not numbers:
            return None
        value, unit = numbers[-1], None
    if unit == "斤" or (unit is None and value >= 100):
        return value / JIN_PER_KG
    return value


def advise_size(
    product: Product, height_cm: float | None, weight_kg: float | None
) -> SizeAdvice | NoSizeChart | None:
    """The size from the product's own chart; between two sizes, the larger (weight first).

    None when the shopper gave neither height nor weight: ask for them.
    """
    chart = product.size_chart
    if chart is None or chart.kind != "apparel":
        return NoSizeChart(product.name)
    if height_cm is None and weight_kg is None:
        return None
    rows = chart.rows

    def index_for(value: float | None, key: str) -> int | None:
        if value is None:
            return None
        fitting = [i for i, r in enumerate(rows) if r[key][0] <= value <= r[key][1]]
        if fitting:
            return max(fitting)
        return 0 if value < rows[0][key][0] else len(rows) - 1

    by_height, by_weight = index_for(height_cm, "height_cm"), index_for(weight_kg, "weight_kg")
    row = rows[max(i for i in (by_height, by_weight) if i is not None)]
    return SizeAdvice(
        size=row["size"],
        height_cm=height_cm,
        weight_kg=weight_kg,
        chart_name=chart.name,
        size_height_cm=(row["height_cm"][0], row["height_cm"][1]),
        size_weight_kg=(row["weight_kg"][0], row["weight_kg"][1]),
        between_sizes=by_height is not None and by_weight is not None and by_height != by_weight,
    )

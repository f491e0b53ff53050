"""Pre-sale answers from the catalogue: which product, its facts, stock, price and size advice.

Each answer is a fact (a frozen dataclass); `words` says it to the shopper. Nothing here
invents a fact: a question the catalogue cannot answer is `FactUnknown`, and the caller says
so and offers a human.
"""

import dataclasses
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, object_session

from core.clock import to_shop_time, utcnow
from core.spoken import written_numbers
from core.text import normalise
from shop import product_names
from shop.models import PriceChange, PriceKind, Product, Variant
from shop.promotions import (
    BasketTotal,
    Instalments,
    ProductsTotal,
    Quantity,
    asked_quantity,
    basket_total,
    bought_with_deals,
    instalments,
    products_total,
    quantities_in,
)
from shop.spec_words import attribute_aliases

JIN_PER_KG = 2
LOW_STOCK = 5  # this many left or fewer: the shopper is told to hurry
VARIANTS_LISTED = 8  # one answer lists at most this many variants


@dataclass(frozen=True)
class ProductNotFound:
    """The shopper named a product the catalogue does not sell."""


class FactUnit(StrEnum):
    MONTHS = "months"
    DAYS = "days"


@dataclass(frozen=True)
class ProductFact:
    """One of the product's own facts, the one the shopper asked about: the catalogue's text,
    or a number of months or days (warranty, shelf life) that words render. `included`: the
    thing the shopper asked about, which the fact says comes with it (45W充电器)."""

    product_name: str
    attribute: str
    value: str
    unit: FactUnit | None = None
    included: str | None = None
    unlisted: tuple[str, ...] = ()  # the message's other questions the page does not answer


@dataclass(frozen=True)
class FactUnknown:
    """The catalogue does not say what the shopper asked about this product."""

    product_name: str


class StockState(StrEnum):
    IN_STOCK = "in_stock"
    LOW = "low"  # LOW_STOCK or fewer left
    SOLD_OUT_RESTOCK_KNOWN = "sold_out_restock_known"  # a restock date today or later
    SOLD_OUT = "sold_out"  # and no confirmed restock date (none, or one already past)


@dataclass(frozen=True)
class VariantStock:
    """One variant's stock; `restock_date` only when it is still ahead (a past date is never
    promised)."""

    label: str
    stock: int
    restock_date: date | None
    state: StockState


@dataclass(frozen=True)
class StockReport:
    """The stock of the product's variants the shopper asked about (all when none named)."""

    product_name: str
    variants: tuple[VariantStock, ...]
    # when every variant asked about is sold out: the in-stock ones of the same size (other
    # colours), else of the same colour (other sizes)
    alternatives: tuple[VariantStock, ...] = ()

    @property
    def sold_out_undated(self) -> bool:
        """Some variant is sold out with no confirmed restock date: offer a notice or a human."""
        return any(v.state == StockState.SOLD_OUT for v in self.variants)


@dataclass(frozen=True)
class NoSuchVariant:
    """No variant has the colour/size asked for; `options` are the ones the product has."""

    product_name: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class FlashSale:
    """A 秒杀 price running now, below the listed price, until `ends_at` (a shop-time moment)."""

    price: Decimal
    label: str | None
    ends_at: datetime | None


@dataclass(frozen=True)
class PriceQuote:
    """The price now; `original_price` only when it is higher (a real discount). `flash_sale`:
    a lower 秒杀 price anyone can pay now; `basket`: the total of the quantity the shopper
    asked about, worked out from the promotion; `one_item`: what one costs after the
    promotion's deals, when the shopper asks what they pay (一条到手多少钱, 新人优惠能减多少);
    `instalments`: each interest-free instalment, when they ask it (一个月多少)."""

    product_name: str
    price: Decimal
    original_price: Decimal | None
    promotion: str | None
    flash_sale: FlashSale | None = None
    basket: BasketTotal | None = None
    one_item: BasketTotal | None = None
    instalments: Instalments | None = None
    instalments_asked: bool = False  # asked, though the promotion offers none
    coupon: FlashSale | None = None  # a shop coupon anyone can claim, running now (券后价)
    sold_out: bool = False  # every variant is sold out: nothing can be bought now
    restock_date: date | None = None  # the earliest restock still ahead, when sold out


@dataclass(frozen=True)
class NoSizeChart:
    """The product has no size chart to advise from."""

    product_name: str


@dataclass(frozen=True)
class FootLengthNeeded:
    """Shoes are sized by foot length: ask for it. `body_measures_given`: the shopper gave
    height or weight instead, which do not tell a shoe size."""

    product_name: str
    chart_name: str
    body_measures_given: bool


class FootShape(StrEnum):
    """A foot shape shoppers name (她脚有点宽), which a product's fit note may advise on."""

    WIDE = "wide"  # 脚宽, 脚肥, 脚胖
    HIGH_INSTEP = "high_instep"  # 脚背高
    SLIM = "slim"  # 脚瘦, 脚窄


@dataclass(frozen=True)
class ShoeSizeAdvice:
    """The size the shoe chart gives for the shopper's foot length. With the foot shape the
    shopper named (她脚有点宽): the product's fit note's words on it (`shape_note`, None when the
    note says nothing of that shape) and the size they give (`shape_size`). With a size the
    shopper asks about (要买38吗): how many sizes it is above the advice (`asked_step`, negative
    below) and whether the note advises that (`note_allows`: 建议…选大一码)."""

    product_name: str
    size: str
    foot_length_mm: float
    chart_name: str
    size_foot_mm: tuple[float, float]  # the foot lengths the chart gives for `size`
    border_sizes: tuple[str, str] | None  # the foot is on the border of these two sizes
    fit_note: str | None  # the product's own sizing note (e.g. 鞋码偏大), if it has one
    foot_shape: FootShape | None = None
    shape_note: str | None = None
    shape_size: str | None = None
    asked_size: str | None = None
    asked_step: int = 0
    note_allows: bool = False

    @property
    def advised(self) -> str:
        """The size advised in the end: for the foot shape when the note gives one."""
        return self.shape_size or self.size


@dataclass(frozen=True)
class FootOutsideChart:
    """The foot length is outside every size of the product's chart."""

    product_name: str
    foot_length_mm: float
    chart_name: str
    smallest: str
    largest: str
    chart_foot_mm: tuple[float, float]


FIT_NOTE = "尺码建议"  # the attribute holding a product's own sizing note


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
    who: str | None = None  # the person it is for, when the message gave several (男朋友)
    fit_note: str | None = None  # the product's own sizing note (女生建议选小一码), if it has one


@dataclass(frozen=True)
class GirthSizeAdvice:
    """The size whose garment measure (腰围 84) is the smallest that takes the shopper's body
    measure (腰围82); `above_chart`: even the largest is smaller."""

    product_name: str
    chart_name: str
    measure: str  # 腰围, 胸围, 臀围
    body_cm: float
    size: str
    size_cm: float
    above_chart: bool


# A body girth said: 腰围82, 腰是86, 胸围有96; in 市尺 (腰围2尺5: 2.5尺, a third of a metre
# each); a collar size (平时穿39领, 领围40).
GIRTH_SAID = re.compile(
    # the body part, then at most a filler word (腰围大概86, 腰是86): never 腰包30, 领券30
    r"(?:(?P<part>腰|胸|臀)围?|(?P<collar_part>领)围)[:：\s]*(?:是|有|大概|差不多|约){0,2}\s*"
    r"(?:(?P<chi>\d)尺(?P<cun>\d)?寸?|(?P<cm>\d{2,3}(?:\.\d)?)(?!\d|尺))"
    r"|(?P<collar>3\d|4[0-6])(?:码|号)?的?领"
)
GIRTH_NAMES = {"腰": "腰围", "胸": "胸围", "臀": "臀围", "领": "领围"}
CM_PER_CHI = 100 / 3
DENIED_BEFORE = re.compile(r"不是\s*$")  # 腰是86 不是2尺5: the 2尺5 is taken back


def body_girth(question: str) -> tuple[str, float] | None:
    """The body girth the words give (its chart name, in cm), the first one not taken back."""
    text = written_numbers(normalise(question))
    for said in GIRTH_SAID.finditer(text):
        if DENIED_BEFORE.search(text[: said.start()]):
            continue
        if said["collar"]:
            return "领围", float(said["collar"])
        part = GIRTH_NAMES[said["part"] or said["collar_part"]]
        if said["chi"]:
            chi = int(said["chi"]) + int(said["cun"] or 0) / 10
            return part, round(chi * CM_PER_CHI, 1)
        return part, float(said["cm"])
    return None


def girth_size(product: Product, question: str) -> GirthSizeAdvice | None:
    """The size for a body girth the question gives (我腰围82 换33对吧, 平时穿39领), from the
    product's own chart when its rows give that measure; None otherwise."""
    chart = product.size_chart
    said = body_girth(question)
    if chart is None or chart.kind != "apparel" or said is None:
        return None
    measure, body = said
    rows = [r for r in chart.rows if measure in (r.get("measurements") or {})]
    if not rows:
        return None
    fitting = [r for r in rows if float(r["measurements"][measure]) >= body]
    row = fitting[0] if fitting else rows[-1]
    return GirthSizeAdvice(
        product.name,
        chart.name,
        measure,
        body,
        str(row["size"]),
        float(row["measurements"][measure]),
        not fitting,
    )


def find_product(session: Session, text: str, hint: str | None = None) -> Product | None:
    """The product a message (and `hint`, e.g. the product it was tagged with) names: by its
    full title, a keyword or short name, or its brand and type (shop.product_names)."""
    return product_names.find_product(session, f"{text} {hint or ''}")


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
    for name, aliases in attribute_aliases().items():  # shop/spec_words.yaml
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


def shop_today() -> date:
    """Today's date in the shop's time zone."""
    return to_shop_time(utcnow()).date()


def stock_report(
    product: Product,
    color: str | None,
    size: str | None,
    today: date | None = None,
    more_sizes: tuple[str, ...] = (),
) -> StockReport | NoSuchVariant:
    """The stock of the variants with this colour and size (either may be None: any), and of
    `more_sizes` asked beside it (37和38都有吧), on `today` (the shop's today by default)."""
    variants = [v for s in (size, *more_sizes) for v in matching_variants(product, color, s)]
    if not variants:
        options = tuple(v.label for v in product.variants[:VARIANTS_LISTED])
        return NoSuchVariant(product.name, options)
    today = today or shop_today()
    report = tuple(_stock(v, today) for v in variants[:VARIANTS_LISTED])
    alternatives: tuple[VariantStock, ...] = ()
    if (color or size) and all(v.stock == 0 for v in variants):
        alternatives = _in_stock_alternatives(product, variants, today)
    return StockReport(product.name, report, alternatives)


def _in_stock_alternatives(
    product: Product, sold_out: list[Variant], today: date
) -> tuple[VariantStock, ...]:
    """In-stock variants that differ from the sold-out ones in one way only: the same size in
    another colour first (the size is what fits), else the same colour in another size."""
    sizes = {v.size or v.spec for v in sold_out} - {None}
    colors = {v.color for v in sold_out} - {None}
    others = [v for v in product.variants if v.stock > 0 and v not in sold_out]
    same_size = [v for v in others if sizes and (v.size or v.spec) in sizes]
    same_color = [v for v in others if colors and v.color in colors]
    return tuple(_stock(v, today) for v in (same_size or same_color)[:VARIANTS_LISTED])


def _stock(variant: Variant, today: date) -> VariantStock:
    """A sold-out variant's restock date is said only while it is still ahead: a date that
    has passed without the stock arriving is no longer a promise anyone can keep."""
    restock = (
        variant.restock_date if variant.restock_date and variant.restock_date >= today else None
    )
    if variant.stock > LOW_STOCK:
        state = StockState.IN_STOCK
    elif variant.stock > 0:
        state = StockState.LOW
    elif restock:
        state = StockState.SOLD_OUT_RESTOCK_KNOWN
    else:
        state = StockState.SOLD_OUT
    return VariantStock(
        variant.label, variant.stock, restock if variant.stock == 0 else None, state
    )


# A question about what the shopper pays in the end, not the listed price (一条到手多少钱).
PAID_QUESTION = re.compile(
    r"到手|实付|最后(?:多少|要付|付)|算下来|减完|减下来|优惠(?:完|后|下来)|能减多少|减多少|便宜多少"
    r"|折后|券后|用券|新人|新客|活动价|实际(?:多少|付|要)"
)
# A question about paying in instalments (一个月多少, 分期每期多少).
INSTALMENT_QUESTION = re.compile(
    r"分期|免息|(?:一|每)个?月(?:要|得|还|付)?(?:多少|几)|每期|一期|月供"
)


def asks_instalments(question: str) -> bool:
    """Whether the question asks about paying in instalments (能分期吗, 免息不, 每期多少)."""
    return bool(INSTALMENT_QUESTION.search(normalise(question)))


def price_quote(product: Product, now: datetime | None = None, question: str = "") -> PriceQuote:
    """The price, the original price when it is higher, the current promotion if any, a
    flash sale running at `now`, and the total of a quantity the `question` names (两箱); for
    a question about what one costs in the end (到手多少), the promotion's deals worked out on
    one; for one about instalments, each interest-free instalment the promotion offers."""
    original = product.original_price
    sale = flash_sale(product, now or utcnow())
    text = normalise(question)
    quantity = asked_quantity(product_names.without_names(product, question))
    unit_price = sale.price if sale else product.price
    one_item = None
    if quantity is None and PAID_QUESTION.search(text):
        one_item = basket_total(unit_price, product.promotion, Quantity(1, "件"))
    asked = bool(INSTALMENT_QUESTION.search(text))
    plan = instalments(unit_price, product.promotion) if asked else None
    today = to_shop_time(now or utcnow()).date()
    stocks = [_stock(v, today) for v in product.variants]
    sold_out = bool(stocks) and all(v.stock == 0 for v in stocks)
    restocks = [v.restock_date for v in stocks if v.restock_date]
    return PriceQuote(
        product.name,
        product.price,
        original if original and original > product.price else None,
        product.promotion or None,
        sale,
        basket_total(unit_price, product.promotion, quantity) if quantity else None,
        one_item,
        plan,
        asked and plan is None,
        _running(product, now or utcnow(), PriceKind.COUPON),
        sold_out,
        min(restocks) if sold_out and restocks else None,
    )


def basket_counts(products: list[Product], question: str) -> list[int]:
    """How many of each product the question asks for, in the order of `products`: 每日坚果买俩袋
    猪肉脯要三包 (a quantity said after the product's name) and 两袋坚果三包肉脯 (before it) both
    give 2 and 3; one of each the question gives no quantity for. Digits inside a name (三只松鼠)
    are no quantity."""
    clean = product_names.compact(question)
    named = sorted(
        (start, end, index)
        for index, product in enumerate(products)
        for start, end in product_names.name_spans(product, clean)
    )
    said = [
        q
        for q in quantities_in(clean)
        if not any(q.start < end and start < q.end for start, end, _ in named)
    ]
    after_name = {  # each quantity to the product named last before it
        q: owner[-1][2] for q in said if (owner := [n for n in named if n[1] <= q.start])
    }
    before_name = {  # each quantity to the product named next after it
        q: owner[0][2] for q in said if (owner := [n for n in named if n[0] >= q.end])
    }
    reading = max(
        (after_name, before_name), key=lambda owners: len(set(owners.values()))
    )  # the reading that gives more products their own quantity; after the name on a tie
    counts = [1] * len(products)
    for q, index in reading.items():
        counts[index] = q.quantity.count
    # 米两袋 牛奶两箱 of a basket of rice and milk: a quantity no name owns is the one product
    # of the basket its words did not name (米 alone names no product)
    left = [q for q in said if q not in reading]
    unnamed = [i for i in range(len(products)) if not any(n[2] == i for n in named)]
    if len(left) == 1 and len(unnamed) == 1:
        counts[unnamed[0]] = left[0].quantity.count
    return counts


def together_quote(
    products: list[Product], now: datetime | None = None, question: str = ""
) -> ProductsTotal:
    """Products bought together (三体跟活着一起买; 坚果两袋 肉脯三包): each one's price now (a
    running flash sale's), the quantity of each the `question` says (one of each by default),
    and the total under the promotions they have."""
    moment = now or utcnow()
    items = []
    for product in products:
        sale = flash_sale(product, moment)
        items.append((product.name, sale.price if sale else product.price, product.promotion))
    met = [
        deal.deal
        for product in products
        for deal in bought_with_deals(product.promotion)
        if (partner := _partner(deal.partner, product)) is not None and partner in products
    ]
    return products_total(items, met, basket_counts(products, question))


def _partner(words: str, product: Product) -> Product | None:
    """The other product a promotion's words name (K380s键盘): the one the catalogue finds for
    them (never any keyboard for 键盘), looked up once per deal."""
    session = object_session(product)
    partner = product_names.find_product(session, words) if session is not None else None
    return partner if partner is not product else None


def flash_sale(product: Product, now: datetime) -> FlashSale | None:
    """The lowest 秒杀 price of the product's price history running at `now`, if below its
    listed price (a live-stream price is not everyone's, so it is not quoted)."""
    return _running(product, now, PriceKind.FLASH_SALE)


def _running(product: Product, now: datetime, kind: PriceKind) -> FlashSale | None:
    """The lowest price of `kind` in the product's price history running at `now`, if below
    its listed price (a 秒杀, or a shop coupon anyone can claim)."""
    session = object_session(product)
    if session is None:
        return None
    running = session.scalars(
        select(PriceChange).where(
            PriceChange.product_id == product.id,
            PriceChange.kind == kind,
            PriceChange.effective_at <= now,
            or_(PriceChange.ends_at.is_(None), PriceChange.ends_at > now),
        )
    ).all()
    best = min(running, key=lambda c: c.price, default=None)
    if best is None or best.price >= product.price:
        return None
    return FlashSale(best.price, best.label, best.ends_at)


def named_variant_terms(product: Product, text: str) -> tuple[str | None, str | None]:
    """The colour and the size (or spec) of this product's own variants that `text` names."""
    clean = normalise(text)
    colors = sorted({v.color for v in product.variants if v.color}, key=len, reverse=True)
    color = next((c for c in colors if _names_color(clean, normalise(c.rstrip("色")))), None)
    color = color or _named_by_part(colors, clean)  # N05 or 奶茶豆沙 for N05 奶茶豆沙
    if color is None:  # 白色 for 镜瓷白, 蓝的 for 冰川蓝, 豆沙色 for 奶茶豆沙: a colour word
        plain = {m.group(1) for m in _PLAIN_COLOR.finditer(clean)}  # only one of them has
        plain |= {m.group(1) for m in _SHADE_WORD.finditer(clean)}
        shades = [c for c in colors if any(p in c for p in plain)]
        color = shades[0] if len(shades) == 1 else None
    sizes = {part for v in product.variants for part in (v.size, v.spec) if part}
    # the longest size named; of two as long, the one named last (M改L: L), never by chance
    named = {part: at for part in sizes if (at := _last_named_at(part, clean)) >= 0}
    size = max(named, key=lambda part: (len(part), named[part]), default=None)
    return color, size or _named_by_part(sorted(sizes, key=len, reverse=True), clean)


def _last_named_at(size: str, clean: str) -> int:
    """Where the words last name `size` as a whole (not inside XL or 38.5); -1 if nowhere."""
    pattern = rf"(?<![a-z0-9]){re.escape(normalise(size))}(?![a-z0-9])"
    return max((m.start() for m in re.finditer(pattern, clean)), default=-1)


def sizes_named(product: Product, text: str) -> tuple[str, ...]:
    """Every size of this product's own that `text` names (37和38都有吧), in the product's
    order; empty when it names fewer than two."""
    clean = normalise(text)
    sizes = list(dict.fromkeys(v.size for v in product.variants if v.size))
    named = tuple(
        s
        for s in sizes
        if re.search(rf"(?<![a-z0-9.]){re.escape(normalise(s))}(?![a-z0-9])", clean)
    )
    return named if len(named) > 1 else ()


def _named_by_part(labels: list[str], clean: str) -> str | None:
    """The one label named by a word of its own (N05 奶茶豆沙 by N05 or 奶茶豆沙, 儿童款 750g/30袋
    by 儿童款): a space-separated part of two or more characters no other label has."""
    parts = {label: set(normalise(label).split()) for label in labels}
    named = []
    for label, own in parts.items():
        others = set().union(*(p for other, p in parts.items() if other != label))
        words = [w for w in own - others if len(w) >= 2 and len(own) > 1]
        if any(re.search(rf"(?<![a-z0-9]){re.escape(w)}(?![a-z0-9])", clean) for w in words):
            named.append(label)
    return named[0] if len(named) == 1 else None


_PLAIN_COLOR = re.compile(r"([黑白红蓝绿灰粉紫黄棕橙金银])(?:色|的|款)")
# a two-character shade said as a colour (豆沙色, 珊瑚色号): one of the colours may hold it
_SHADE_WORD = re.compile(r"([\u4e00-\u9fff]{2})(?:色|的颜色)")


def _names_color(clean: str, stem: str) -> bool:
    """黑色/深空灰: the stem anywhere; a one-character stem (白) only as a colour word (白色,
    白的, 换成白), never inside another word (明白, 红包, 粉丝)."""
    if len(stem) > 1:
        return stem in clean
    return bool(
        re.search(rf"{re.escape(stem)}(?:色|的|款)|(?<=[成要换选拿]){re.escape(stem)}$", clean)
    )


HEIGHT_CM = (50, 229)  # a length in cm outside this is not a person's height (脚长25cm)
WEIGHT_UNITS = "斤|kg|公斤|千克"
# The words of a deal before an amount (买两件减60, 满199包邮, 便宜20, 返30): money, no measure.
DEAL_WORDS = "减满省返券赠差补"
# Units of measures other than a body's height: a number followed by one is never a height (nor,
# but for the weight units, a weight): 220g is a fabric's weight, 65w a charger's power.
OTHER_UNITS = (
    rf"{WEIGHT_UNITS}|g(?![a-z])|克|mm|毫米|ml|毫升|l(?![a-z])|升|w(?![a-z])|瓦|mah|毫安"
    r"|码|号|元|块"
)


# A girth or length of the body or the garment (腰围82, 胸围96, 裤长100, 领围42), or a size's
# own measure asked (180的领围多少): never a height or weight.
GIRTH = re.compile(
    r"(?:领围|腰围|胸围|臀围|腰|胸|臀|肩宽|袖长|衣长|裤长|裙长|腿长)\D{0,3}\d{2,3}(?:\.\d)?"
    r"|\d{2,3}的(?:领围|腰围|胸围|臀围|肩宽|袖长|衣长|裤长|裙长)"
)
# A measure said again after a correction (27斤 不对 27公斤): the one after it counts.
CORRECTED = re.compile(r"不对|说错|错了|打错|写错|不是")
# "是X 不是Y": the Y is the one taken back (身高是127厘米 不是122), never read; a plain 不是 Y
# corrects to Y (110斤 不是 120斤).
_UNIT = r"(?:cm|厘米|公分|kg|公斤|千克|斤)?"
DENIED_NUMBER = re.compile(
    rf"(是\s*\d{{2,3}}(?:\.\d)?\s*{_UNIT}\s*)不是\s*\d{{2,3}}(?:\.\d)?\s*{_UNIT}"
)


def _measures_texts(text: str) -> list[str]:
    """The words a height or weight is read from, first to last: numbers written out, girths
    taken out; what follows a correction first (27斤 不对 27公斤: 27公斤), then what precedes it
    (134公分 before it still counts)."""
    clean = GIRTH.sub(" ", written_numbers(normalise(text)))
    clean = DENIED_NUMBER.sub(r"\1 ", clean)  # 是127厘米 不是122: the 122 is taken back
    parts = CORRECTED.split(clean)
    return [parts[-1], " ".join(parts[:-1])] if len(parts) > 1 else [clean]


def parse_height_cm(text: str | None) -> float | None:
    """170 / 170cm / 1米7 / 1.75m / 一米七五 / 一百二十八公分 → centimetres."""
    if not text:
        return None
    return next((h for t in _measures_texts(text) if (h := _height_cm(t)) is not None), None)


def _height_cm(text: str) -> float | None:
    if match := re.search(r"1米(\d)(\d)?", text):
        return 100 + int(match.group(1)) * 10 + int(match.group(2) or 0)
    if match := re.search(r"(1\.\d{1,2})\s*m", text):
        return round(float(match.group(1)) * 100)
    for match in re.finditer(r"(?<![\d.])(\d{2,3})\s*(?:cm|厘米|公分)|身高\D{0,3}(\d{2,3})", text):
        if HEIGHT_CM[0] <= (height := float(match.group(1) or match.group(2))) <= HEIGHT_CM[1]:
            return height
    # a bare number reads as a height only when it is a plausible one and no unit of another
    # measure follows it (220g is a fabric's weight, 65w a charger's power)
    # never 体重120, never money (满199)
    bare = rf"(?<![\d.{DEAL_WORDS}])(?<!体重)(1[2-9]\d|20\d)(?![\d.]|\s*(?:{OTHER_UNITS}))"
    if match := re.search(bare, text):
        return float(match.group(1))
    return None


# A garment's 号型 (175/92A: height and chest girth with the body type): no weight in it.
GARMENT_SIZE = re.compile(r"\d{3}\s*/\s*\d{2,3}\s*[abcyABCY]")


def parse_weight_kg(text: str | None) -> float | None:
    """65kg / 65公斤 / 130斤 / 五十多斤 / 体重65 / "170 65" / "一米六五 一百一" → kilograms (a
    bare number of 100+ is 斤)."""
    if not text:
        return None
    return next((w for t in _measures_texts(text) if (w := _weight_kg(t)) is not None), None)


def _weight_kg(text: str) -> float | None:
    if match := re.search(r"(\d{2,3}(?:\.\d)?)\s*(?:多|来)?\s*(kg|公斤|千克|斤)", text):
        value, unit = float(match.group(1)), match.group(2)
    elif match := re.search(r"体重\D{0,3}(\d{2,3}(?:\.\d)?)", text):
        value, unit = float(match.group(1)), None
    else:
        text = re.sub(r"身高\D{0,3}\d{2,3}", " ", text)  # 身高110: a height, never 110斤
        text = GARMENT_SIZE.sub(" ", text)  # 175/92A: a garment's 号型, never 92 kg
        numbers = [
            float(n)
            for n in re.findall(
                # never a size asked for (换33, 穿150): after a verb of choosing; never money
                # (买两件减60, 满199): after a word of a deal
                rf"(?<![\d.米换穿买拿选{DEAL_WORDS}])(\d{{2,3}}(?:\.\d)?)"
                rf"(?![\d.]|\s*(?:{OTHER_UNITS}|cm|厘米|公分|岁))",
                text,
            )
        ]
        if len(numbers) >= 2 and 130 <= numbers[0] <= 220:
            numbers = numbers[1:]  # "170 65": the first number is the height
        elif len(numbers) == 1 and 120 <= numbers[0] <= 220 and "斤" not in text:
            return None  # a lone 170 (or a child's 127) is a height, not a weight
        if not numbers:
            return None
        value, unit = numbers[-1], None
    if unit == "斤" or (unit is None and value >= 100):
        return value / JIN_PER_KG
    return value


# Who a size is for: the people shoppers buy for (我老婆, 男朋友, 孩子); 我 only before the
# measures themselves (我160 100斤, 我身高…), since it is in most sentences.
PERSON_WORDS = re.compile(
    r"男朋友|女朋友|男友|女友|老婆|老公|媳妇|爱人|对象|女生|男生|妈妈|我妈|老妈|爸爸|我爸|老爸"
    r"|孩子|儿子|女儿|闺女|宝宝|弟弟|我弟|妹妹|我妹|哥哥|我哥|姐姐|我姐|朋友|同事|自己"
    r"|外孙女|外孙|孙女|孙子|侄子|侄女|外甥女|外甥"
    r"|我(?=\s*(?:\d|身高|体重|脚长|一米|1米|平时穿))"
)
SELF = "我"
_PRONOUNS = re.compile(r"[她他]")
_SAME_PERSON = {
    "我妈": "妈妈",
    "老妈": "妈妈",
    "我爸": "爸爸",
    "老爸": "爸爸",
    "我弟": "弟弟",
    "我妹": "妹妹",
    "我哥": "哥哥",
    "我姐": "姐姐",
    "媳妇": "老婆",
    "男友": "男朋友",
    "女友": "女朋友",
    "闺女": "女儿",
}


def person_named(text: str | None) -> str | None:
    """Whom a message's sizes are for: another person (我老婆…她拿多大 → 老婆; 她 alone → 她),
    else the shopper when they give their own measures (我脚长258 → 我), else None."""
    clean = written_numbers(normalise(text or ""))
    named = [m.group(0) for m in PERSON_WORDS.finditer(clean)]
    other = next((w for w in named if w not in (SELF, "自己")), None)
    if other is not None:
        return _SAME_PERSON.get(other, other)
    if pronoun := _PRONOUNS.search(clean):
        return pronoun.group(0)
    return SELF if named else None


def same_person(latest: str | None, earlier: str | None) -> bool:
    """Whether measures given in `earlier` can count for the `latest` message: unless both say
    whom they are for and it is someone else (老婆 after 我脚长258; 她 stands for anyone but
    the shopper)."""
    now, before = person_named(latest), person_named(earlier)
    if now is None or before is None or now == before:
        return True
    if now in ("她", "他") or before in ("她", "他"):
        return SELF not in (now, before)
    return False


@dataclass(frozen=True)
class PersonMeasures:
    """One person's height (cm) and weight (kg) in a message naming several (我女生160 100斤 男朋友
    178 140斤): `who` as the shopper called them."""

    who: str
    height_cm: float | None
    weight_kg: float | None


def measures_by_person(text: str | None) -> list[PersonMeasures]:
    """Each person's measures in a message giving them for two or more people, in the order
    said; [] when it gives them for one person or none."""
    clean = written_numbers(normalise(text or ""))
    starts = list(PERSON_WORDS.finditer(clean))
    people = []
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(clean)
        part = clean[match.start() : end]
        height, weight = parse_height_cm(part), parse_weight_kg(part)
        if height is not None or weight is not None:
            people.append(PersonMeasures(match.group(0), height, weight))
    return people if len(people) >= 2 else []


FOOT_MM = (150, 320)  # a foot length outside this is not one
CM_UNITS = ("cm", "厘米", "公分")


def parse_foot_length_mm(text: str | None) -> float | None:
    """脚长25厘米 / 脚长245 / 24.5cm / 245mm / a bare 245 or 24.5 → millimetres.

    A number with 脚长 before it or a length unit after it counts; a bare number only when it
    is the message's one number and reads as a foot (15-32 cm or 150-320 mm), so 40码 is not.
    """
    if not text:
        return None
    text = written_numbers(normalise(text))  # 脚长二十四点三 → 脚长24.3
    number = r"(?<![\d.])(\d{2,3}(?:\.\d)?)"
    candidates = [
        *(
            (m.group(1), m.group(2))
            for m in re.finditer(rf"脚长\D{{0,4}}{number}\s*(mm|毫米|cm|厘米|公分)?", text)
        ),
        *(
            (m.group(1), m.group(2))
            for m in re.finditer(rf"{number}\s*(mm|毫米|cm|厘米|公分)", text)
        ),
    ]
    numbers = re.findall(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])", text)
    if len(numbers) == 1 and not re.search(
        r"[码斤岁号米元块件]|kg|cm|mm|厘米|公分|身高|体重", text
    ):
        candidates.append((numbers[0], None))
    for value, unit in candidates:
        amount = float(value)
        mm = amount * 10 if unit in CM_UNITS or (unit is None and amount < 100) else amount
        if FOOT_MM[0] <= mm <= FOOT_MM[1]:
            return mm
    return None


def advise_size(
    product: Product,
    height_cm: float | None,
    weight_kg: float | None,
    foot_mm: float | None = None,
    question: str = "",
) -> SizeAdvice | ShoeSizeAdvice | FootLengthNeeded | FootOutsideChart | NoSizeChart | None:
    """The size from the product's own chart: clothes by height and weight, shoes by foot
    length (and the foot shape and a size the `question` names). Between two sizes, the
    larger (clothes: weight first).

    None when the shopper gave neither height nor weight for clothes: ask for them.
    """
    chart = product.size_chart
    if chart is not None and chart.kind == "shoes":
        if foot_mm is None:
            given = height_cm is not None or weight_kg is not None
            return FootLengthNeeded(product.name, chart.name, given)
        advice = _shoe_size(product, foot_mm)
        if isinstance(advice, ShoeSizeAdvice) and question:
            advice = _fitted(product, advice, question)
        return advice
    if chart is None or chart.kind != "apparel":
        return NoSizeChart(product.name)
    if height_cm is None and weight_kg is None:
        return None
    rows = chart.rows

    def fitting(value: float | None, key: str) -> list[int]:
        """The rows whose range holds the value (two on a border), else the nearest end."""
        if value is None:
            return []
        found = [i for i, r in enumerate(rows) if r[key][0] <= value <= r[key][1]]
        return found or [0 if value < rows[0][key][0] else len(rows) - 1]

    heights, weights = fitting(height_cm, "height_cm"), fitting(weight_kg, "weight_kg")
    # 180cm is on the XL/XXL border and 75kg is XL: the row both hold (XL); else the larger
    both = sorted(set(heights) & set(weights))
    by_height = (both or heights)[-1] if heights else None
    by_weight = (both or weights)[-1] if weights else None
    row = rows[max(i for i in (by_height, by_weight) if i is not None)]
    return SizeAdvice(
        size=row["size"],
        height_cm=height_cm,
        weight_kg=weight_kg,
        chart_name=chart.name,
        size_height_cm=(row["height_cm"][0], row["height_cm"][1]),
        size_weight_kg=(row["weight_kg"][0], row["weight_kg"][1]),
        between_sizes=by_height is not None and by_weight is not None and by_height != by_weight,
        fit_note=str(note) if (note := product.attributes.get(FIT_NOTE)) else None,
    )


def _shoe_size(product: Product, foot_mm: float) -> ShoeSizeAdvice | FootOutsideChart:
    """The chart's size whose foot lengths hold `foot_mm`; on the border of two, the larger,
    or the smaller when the product's own note says it runs large (偏大)."""
    chart = product.size_chart
    assert chart is not None
    rows = chart.rows
    fitting = [r for r in rows if r["foot_length_mm"][0] <= foot_mm <= r["foot_length_mm"][1]]
    if not fitting:
        return FootOutsideChart(
            product.name,
            foot_mm,
            chart.name,
            rows[0]["size"],
            rows[-1]["size"],
            (rows[0]["foot_length_mm"][0], rows[-1]["foot_length_mm"][1]),
        )
    note = product.attributes.get(FIT_NOTE)
    runs_large = bool(note and "偏大" in str(note))
    row = fitting[0] if runs_large else fitting[-1]
    border = (fitting[0]["size"], fitting[-1]["size"]) if len(fitting) > 1 else None
    return ShoeSizeAdvice(
        product_name=product.name,
        size=row["size"],
        foot_length_mm=foot_mm,
        chart_name=chart.name,
        size_foot_mm=(row["foot_length_mm"][0], row["foot_length_mm"][1]),
        border_sizes=border,
        fit_note=str(note) if note else None,
    )


_FOOT_SHAPES = {
    FootShape.WIDE: re.compile(r"脚\S{0,4}?(?:宽|肥|胖)|宽脚|脚型?偏宽"),
    FootShape.HIGH_INSTEP: re.compile(r"脚背\S{0,3}?高|高脚背"),
    FootShape.SLIM: re.compile(r"脚\S{0,4}?(?:瘦|窄)|窄脚"),
}
_SHAPE_WORDS = {
    FootShape.WIDE: ("宽", "肥"),
    FootShape.HIGH_INSTEP: ("背高",),
    FootShape.SLIM: ("瘦", "窄"),
}
_UP = re.compile(r"大(?:一|半)码|选大|加一码")
_DOWN = re.compile(r"小(?:一|半)码|选小")
_ASKED_RELATIVE = re.compile(r"(?:买|选|拍|穿|要)(大|小)[一半]?(?:码|号)")
_ASKED_SIZE = re.compile(r"(?:买|选|要|拍|穿|还是|换)\s*(\d{2}(?:\.5)?|[smlx]{1,4})\s*(?:码|号)?")


def _fitted(product: Product, advice: ShoeSizeAdvice, question: str) -> ShoeSizeAdvice:
    """The advice for the foot shape the question names (脚宽: the note's clause on it, and its
    size) and the size it asks about (要买38吗)."""
    text = normalise(question)
    chart = product.size_chart
    assert chart is not None
    order = [str(row["size"]) for row in chart.rows]
    shape = next((s for s, pattern in _FOOT_SHAPES.items() if pattern.search(text)), None)
    shape_note = shape_size = None
    if shape is not None and advice.fit_note:
        words = _SHAPE_WORDS[shape]
        shape_note = next(
            (c for c in re.split(r"[；;，,。]", advice.fit_note) if any(w in c for w in words)),
            None,
        )
    if shape_note is not None:
        # 按正常码: the chart's own size (the larger on a border), never a size smaller for a
        # shoe that runs large; 选大一码: one up
        step = 1 if _UP.search(shape_note) else -1 if _DOWN.search(shape_note) else 0
        chart_size = advice.border_sizes[-1] if advice.border_sizes else advice.size
        shape_size = order[min(max(order.index(chart_size) + step, 0), len(order) - 1)]
    advised = shape_size or advice.size
    asked = [m.group(1).upper() for m in _ASKED_SIZE.finditer(text)]
    asked_size = next((a for a in reversed(asked) if a in order), None)
    if asked_size is None and (relative := _ASKED_RELATIVE.search(text)):  # 要买大一码吗
        index = order.index(advised) + (1 if relative.group(1) == "大" else -1)
        asked_size = order[index] if 0 <= index < len(order) else None
    if asked_size == advised:
        asked_size = None
    step = order.index(asked_size) - order.index(advised) if asked_size else 0
    # the note's advice for every foot (内里加绒较厚，建议…选大一码), not one for another shape
    # (脚宽建议选大一码 says nothing to a slim foot)
    others = [w for other, ws in _SHAPE_WORDS.items() if other != shape for w in ws]
    note = "；".join(
        c for c in re.split(r"[；;，,。]", advice.fit_note or "") if not any(w in c for w in others)
    )
    allows = (step == 1 and bool(_UP.search(note))) or (step == -1 and bool(_DOWN.search(note)))
    return dataclasses.replace(
        advice,
        foot_shape=shape,
        shape_note=shape_note,
        shape_size=shape_size,
        asked_size=asked_size,
        asked_step=step,
        note_allows=allows,
    )

"""Which catalogue product a shopper's message names.

Shoppers name a product by its full title (pasted from the product page), a short name or a
keyword (红米note14pro, 充电宝), or its brand and type (小米的手环, 美的那个热水器). The product the
conversation is about (`current`) is kept when the message names nothing, or names something
several products share (水果) and it is one of them: only naming *another* product switches.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from core.database import forget, remembered, remembers
from core.text import normalise
from shop.category_words import PHONE_NUMBER, category_word_named
from shop.models import Order, Product

MIN_NAME = 2  # a keyword or brand shorter than this names nothing (一 个 "T")
# Words that say nothing about which product: a brand + type match ignores them.
FILLER = re.compile(
    r"这个|那个|这款|那款|一款|你们|你家|家的|的|呢|吗|嘛|呀|啊|哈|亲|有没有|多少|怎么|什么"
)


CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


def named_among(products: Sequence[Product], words: str) -> Product | None:
    """Which of `products` (an order's) the words name: by code, name or keyword, the longest
    match wins; None when they name none of them."""
    text = normalise(words)
    best, best_len = None, 0
    for product in products:
        for word in (product.code, product.name, *product.keywords):
            clean = normalise(word)
            if len(clean) >= MIN_NAME and clean in text and len(clean) > best_len:
                best, best_len = product, len(clean)
    return best or _product_by_a_keyword_part(products, text)


def _product_by_a_keyword_part(products: Sequence[Product], text: str) -> Product | None:
    """The one product whose keywords hold the longest run of the words (of 2-4 characters) no
    other product's keywords hold: 手环 for the band (小米手环, 智能手环) beside a charger; a
    title's descriptive words (笔记本手机通用) name nothing."""
    keywords = [" ".join(compact(k) for k in p.keywords) for p in products]
    for size in (4, 3, 2):
        runs = {text[i : i + size] for i in range(len(text) - size + 1)}
        runs = {run for run in runs if CJK_RUN.fullmatch(run)}
        owners = {
            i
            for run in runs
            if not FILLER.search(run)
            for i, words in enumerate(keywords)
            if run in words
        }
        if len(owners) == 1:
            return products[owners.pop()]
        if owners:
            return None  # runs of this length name several: no guess
    return None


def compact(text: str) -> str:
    """Normalised and without spaces: "Note 14 Pro" and "note14pro" are the same name."""
    return normalise(text).replace(" ", "")


# 苹果 followed by a model or a device (苹果16, 苹果15pro, 苹果手机) is the phone's brand, not
# the fruit the catalogue sells under that keyword: it names no product of the shop.
# (a number of 斤, 个 or 箱 after it is the fruit's: 苹果5斤, 苹果10个)
PHONE_BRAND = re.compile(
    r"苹果(?=\d+(?![\d斤公kg克个箱盒袋颗只件装])|手机|电脑|平板|耳机|手表|笔记本|iphone|ipad|mac|pro|max|plus)"
)


# A child's clothes named by whose they are (孩子卫衣, 我女儿的羽绒服): the children's kind.
CHILDS = re.compile(
    r"(?:孩子|小孩|小朋友|宝宝|儿子|女儿|闺女|孙子|孙女|外孙女?)的?"
    r"(?=卫衣|套装|羽绒服|衣服|外套|裤子|运动服|睡衣)"
)


def _as_meant(clean: str) -> str:
    """The compacted text with words that only look like a product's keyword blanked out, and
    a child's clothes named as the children's kind (孩子卫衣: 儿童卫衣)."""
    return CHILDS.sub("儿童", PHONE_NUMBER.sub("  ", PHONE_BRAND.sub("  ", clean)))


@dataclass(frozen=True)
class _Names:
    """What a product can be called, compacted."""

    product_id: int
    code: str
    title: str
    keywords: tuple[str, ...]
    brands: tuple[str, ...]
    code_name: str  # the code compacted, a name too (rn14p)
    # the kinds it is of, said with 子 (裤子 of 休闲裤): the weakest of its names, worth 1
    kinds: tuple[str, ...] = ()

    def keyword_in(self, text: str) -> int:
        """The length of the longest of its names the text contains (0: none; a kind 1)."""
        names = (*self.keywords, self.code_name)
        longest = max((len(n) for n in names if len(n) >= MIN_NAME and n in text), default=0)
        return longest or int(any(kind in text for kind in self.kinds))

    def type_overlap(self, text: str) -> int:
        """The longest run of the text (brand and filler removed) found in its title or
        keywords: 手环 in 小米手环9 NFC版."""
        rest = FILLER.sub(" ", text)
        for brand in self.brands:
            rest = rest.replace(brand, " ")
        haystack = " ".join((self.title, *self.keywords))
        best = 0
        for part in rest.split():
            for size in range(len(part), MIN_NAME - 1, -1):
                if size <= best:
                    break
                if any(part[i : i + size] in haystack for i in range(len(part) - size + 1)):
                    best = size
                    break
        return best


def name_spans(product: Product, clean: str) -> list[tuple[int, int]]:
    """Where `clean` (compacted) names `product` by its title, a keyword, its code or a word
    of its brand (三只松鼠 每日坚果): the start and end of each, longest names first, none
    overlapping another."""
    names = [compact(n) for n in (product.name, *product.keywords, product.code)]
    names += [compact(part) for part in product.brand.split()]
    spans: list[tuple[int, int]] = []
    for name in sorted({n for n in names if len(n) >= MIN_NAME}, key=len, reverse=True):
        for match in re.finditer(re.escape(name), clean):
            start, end = match.span()
            if not any(start < e and s < end for s, e in spans):
                spans.append((start, end))
    return sorted(spans)


def without_names(product: Product, text: str) -> str:
    """The words (compacted) without the product's names in them: 三只松鼠 is a brand, not
    three of it; 九阳空气炸锅包邮吗 asks 包邮吗."""
    clean = compact(text)
    for start, end in reversed(name_spans(product, clean)):
        clean = clean[:start] + " " + clean[end:]
    return clean


# A brand's line named after its maker (安踏儿童, 巴拉巴拉童装): the maker's name names it too.
BRAND_LINE = re.compile(r"(?:儿童|童装|官方|旗舰店?)$")


def _brand_names(brand: str) -> tuple[str, ...]:
    """The words a shopper names `brand` by (安踏儿童 ANTA KIDS: 安踏儿童, 安踏, anta, kids)."""
    parts = [compact(part) for part in brand.split()]
    parts += [short for part in parts if (short := BRAND_LINE.sub("", part)) != part]
    return tuple(dict.fromkeys(p for p in parts if len(p) >= MIN_NAME))


def _names(session: Session) -> list[_Names]:
    """Every product's names, read once per unit of work (a bot turn's readers each ask), and
    again after a product of the session changed."""
    if _products_changed(session):
        forget(session, _NAMES)
    return remembered(session, _NAMES, lambda: _read_names(session))


def _read_names(session: Session) -> list[_Names]:
    rows = session.execute(
        select(Product.id, Product.code, Product.name, Product.keywords, Product.brand)
    )
    return [
        _names_of(product_id, code, name, tuple(keywords), brand)
        for product_id, code, name, keywords, brand in rows
    ]


@lru_cache(maxsize=4096)
def _names_of(
    product_id: int, code: str, name: str, keywords: tuple[str, ...], brand: str
) -> _Names:
    """A product's names from its row (compacted once per row's values, not per turn); the
    title's first word is a keyword too (儿童加绒卫衣套装 names the children's set, not the
    加绒卫衣 inside it)."""
    words = name.split()
    # (a brand or a short head, 罗技 or 李宁, is shared with other products: no keyword)
    head = words[0] if words and len(words[0]) >= 4 and words[0] not in brand.split() else ""
    kinds = kinds_said_with_zi(keywords)
    return _Names(
        product_id,
        code,
        compact(name),
        tuple(dict.fromkeys(compact(k) for k in (*keywords, head) if k)),
        _brand_names(brand),
        compact(code),
        tuple(sorted(kinds - set(keywords))),
    )


_NAMES = "product_names"
# Kinds of goods said with 子 (裤子, 鞋子, 裙子, 袜子, 杯子, 被子, 帽子).
KIND_WITH_ZI = frozenset("裤鞋裙袜杯被帽")


def kinds_said_with_zi(keywords: Sequence[str]) -> set[str]:
    """The kinds a product's keywords end in, said with 子: 裤子 for 休闲裤 and 男裤."""
    return {f"{k[-1]}子" for k in keywords if len(k) >= 2 and k[-1] in KIND_WITH_ZI}


def _products_changed(session: Session) -> bool:
    return any(isinstance(o, Product) for o in (*session.new, *session.dirty, *session.deleted))


@event.listens_for(Session, "before_flush")
def _forget_names_of_changed_products(session: Session, _context: object, _objs: object) -> None:
    if remembers(session, _NAMES) and _products_changed(session):
        forget(session, _NAMES)


def _pick(candidates: list[_Names], current: str | None) -> _Names | None:
    """One of equally good candidates: the one in focus, else the only one, else none."""
    if len(candidates) == 1:
        return candidates[0]
    return next((c for c in candidates if c.code == current), None)


def named_product_id(session: Session, text: str, current: str | None = None) -> int | None:
    """The id of the product `text` names (see the module's docstring), or None."""
    clean = _as_meant(compact(text))
    if not clean:
        return None
    names = _names(session)
    titled = [n for n in names if n.title in clean or (len(clean) >= 8 and clean in n.title)]
    if titled:
        chosen = _pick(titled, current)
        return chosen.product_id if chosen else None
    lengths = {n.product_id: n.keyword_in(clean) for n in names}
    best = max(lengths.values(), default=0)
    of_brand = [n for n in names if any(b in clean for b in n.brands)]
    if best:
        tied = [n for n in names if lengths[n.product_id] == best]
        if best == 1 and (focus := _of_the_kind_in_focus(names, tied, clean, current)):
            return focus.product_id  # 裤子洗了会缩水吗 about the kids' suit (卫裤): kept
        branded = [n for n in tied if n in of_brand]
        # 安踏的羽绒服: the brand named makes its own product of that type the one meant,
        # not another maker's whose keyword is the type (女士羽绒服's 羽绒服)
        typed = [n for n in of_brand if n not in tied and n.type_overlap(clean) >= best]
        # 羽绒服能机洗吗 about the kids' down jacket in focus, no brand named: the type it is
        # too keeps it
        in_focus = [n for n in names if n.code == current and n not in tied]
        kept = [n for n in in_focus if not of_brand and n.type_overlap(clean) >= best]
        chosen = _pick(branded or typed or kept or tied, current)
        return chosen.product_id if chosen else None
    if not of_brand:
        return None
    overlaps = {n.product_id: n.type_overlap(clean) for n in of_brand}
    top = max(overlaps.values())
    chosen = _pick([n for n in of_brand if overlaps[n.product_id] == top], current)
    return chosen.product_id if chosen else None


def _of_the_kind_in_focus(
    names: list[_Names], tied: list[_Names], clean: str, current: str | None
) -> _Names | None:
    """The product in focus, when a kind said with 子 is all the text names (裤子) and the
    product in focus is of that kind too (卫裤 in its title)."""
    focus = next((n for n in names if n.code == current), None)
    kinds = {kind[0] for n in tied for kind in n.kinds if kind in clean}
    if focus is None or not kinds:
        return None
    held = " ".join((focus.title, *focus.keywords))
    return focus if all(kind in held for kind in kinds) else None


def named_products(session: Session, text: str) -> list[Product]:
    """Every product `text` names by its own title or keyword (三体跟活着一起买): a name several
    products share (水果) or one inside another's longer name named here counts for none."""
    clean = _as_meant(compact(text))
    names = _names(session)
    matched = {
        n.product_id: [
            k for k in (n.title, *n.keywords, n.code_name) if len(k) >= MIN_NAME and k in clean
        ]
        for n in names
    }
    owners: dict[str, set[int]] = {}
    for product_id, words in matched.items():
        for word in words:
            owners.setdefault(word, set()).add(product_id)
    found = [
        product_id
        for product_id, words in matched.items()
        if any(
            len(owners[w]) == 1
            and not any(
                w != other and w in other for other in owners if owners[other] - {product_id}
            )
            for w in words
        )
    ]
    products = [p for p in (session.get(Product, i) for i in found) if p is not None]
    # a thing named as what comes with another named product (红米 盒子里有充电头吗), or worn
    # or carried with it, is not asked about on its own; one said not to be meant (不是衬衫 是
    # 休闲裤) is not asked about at all
    return [
        p
        for p in products
        if not any(
            o is not p and (_comes_with(o, p, clean) or _in_passing(other=p, clean=clean))
            for o in products
        )
        and not _said_not_meant(p, clean)
    ]


# Around a product's name: it is not the one meant, another is (不是衬衫 是休闲裤); never a
# correction of what else was said (不是 坚果两袋 肉脯三包).
NOT_MEANT = re.compile(r"不是$")
MEANT_INSTEAD = re.compile(r"^[^是]{0,3}(?:而是|是|要的是|问的是)")


def _said_not_meant(product: Product, clean: str) -> bool:
    """Whether every mention of `product` in `clean` is one said not to be meant."""
    spans = [
        (clean.index(k), clean.index(k) + len(k))
        for k in map(compact, product.keywords)
        if len(k) >= MIN_NAME and k in clean
    ]
    return bool(spans) and all(
        NOT_MEANT.search(clean[:start]) and MEANT_INSTEAD.search(clean[end:])
        for start, end in spans
    )


# Asking whether something comes with the product in focus (充电器要另外收钱不, 送不送手机壳)
COMES_WITH = re.compile(
    r"另外|额外|单独|另买|另收|附赠|赠|送|自带|带不带|带吗|含|配(?:的|不配|吗|了)|有没有配"
    r"|盒子?里|包装里|箱子里"
)


def find_product(session: Session, text: str, current: str | None = None) -> Product | None:
    """The product `text` names; `current` is the code of the product in focus. Asking
    whether a thing comes with the product in focus, when its page mentions that thing
    (包装内含45W充电器), keeps the focus: the charger sold on its own is not what is meant;
    so does a thing named in passing, worn or carried with it (里面要穿厚毛衣 选哪个)."""
    product_id = named_product_id(session, text, current)
    if product_id is None:
        return None
    product = session.get(Product, product_id)
    focus = product_by_code(session, current)
    if product is None or focus is None or focus.id == product.id:
        return product
    clean = compact(text)
    if _comes_with(focus, product, clean) or _in_passing(other=product, clean=clean):
        return focus
    if _a_part_named(other=product, clean=clean):  # 有耳机孔吗 about the phone: its jack
        return focus
    if _of_another_maker(other=product, clean=clean):  # 苹果手机能用吗: the shopper's phone
        return focus
    return product


# Makers the shop does not sell, named before a kind of goods: the shopper's own device (苹果手机,
# 华为平板), never a product of the catalogue named by that kind.
OTHER_MAKER = re.compile(
    r"(?:苹果|华为|荣耀|三星|oppo|vivo|一加|魅族|真我|realme|iphone|ipad|安卓|联想|戴尔|惠普|索尼)$"
)


def _of_another_maker(other: Product, clean: str) -> bool:
    """Whether `clean` names `other` only by a keyword right after another maker's name."""
    if _named_outright(other, clean):
        return False
    starts = _keyword_starts(other, clean)
    return bool(starts) and all(OTHER_MAKER.search(clean[:start]) for start in starts)


# A part of the product in focus named by another product's keyword (耳机孔, 充电器接口, 电池仓):
# the keyword followed by one of these is no other product (never 仓库: 键盘仓库收到了 is the
# keyboard the warehouse has).
PART_AFTER = re.compile(r"^(?:孔|口|接口|插孔|插口|插头|仓(?!库)|座|槽|线)")


def _named_outright(other: Product, clean: str) -> bool:
    """Whether `clean` names `other` by its title or its brand (not only by a keyword)."""
    return compact(other.name) in clean or any(
        b in clean for b in (compact(p) for p in other.brand.split()) if len(b) >= MIN_NAME
    )


def _keyword_starts(other: Product, clean: str) -> list[int]:
    """Where `clean` first names `other` by each of its keywords it holds."""
    return [
        clean.index(k) for k in map(compact, other.keywords) if len(k) >= MIN_NAME and k in clean
    ]


def _a_part_named(other: Product, clean: str) -> bool:
    """Whether `clean` first names `other` by a keyword followed by a part word (有耳机孔吗
    老伴用的是有线耳机: the jack is asked about; the earphones after it are the reason)."""
    mentions = [
        (m.start(), m.end())
        for k in map(compact, other.keywords)
        if len(k) >= MIN_NAME
        for m in re.finditer(re.escape(k), clean)
    ]
    if not mentions or compact(other.name) in clean:
        return False
    _, end = min(mentions)
    return bool(PART_AFTER.match(clean[end:]))


# A thing worn, put or carried with the product in focus (里面要穿厚毛衣, 搭条牛仔裤,
# 能装下笔记本吗): these words just before another product's keyword name it in passing, not as
# the new subject.
IN_PASSING = re.compile(
    r"(?:穿|套|搭|叠|塞|打底|内搭|装|放|揣|背)(?:得?下|进去?|在?里面|在?外面|着|了|个|件|条|双|"
    r"上|一件|一条|一个|比较|很|挺|稍|有点|偏|厚|薄|的|些|点|加绒)*$"
)


def _in_passing(other: Product, clean: str) -> bool:
    """Whether `clean` names `other` only by a keyword that comes right after words wearing or
    carrying it with the product in focus (里面要穿厚毛衣 选哪个: still the down jacket's size).
    Its title or brand named, or any mention of the keyword not so placed, names it."""
    if _named_outright(other, clean):
        return False
    starts = _keyword_starts(other, clean)
    # the first mention only: the NLU's tagged product is appended after the message's words
    return bool(starts) and bool(IN_PASSING.search(clean[: min(starts)]))


def _comes_with(focus: Product, other: Product, clean: str) -> bool:
    """Whether `clean` asks if `other`'s thing (named by a keyword, not its brand or title)
    comes with `focus`, whose own page mentions that kind of thing."""
    if not COMES_WITH.search(clean) or _named_outright(other, clean):
        return False
    page = compact(
        " ".join([*map(str, focus.attributes.values()), focus.promotion or "", focus.description])
    )
    # the page names that kind of thing by any of its words (充电头 asked, 充电器 on the page)
    return bool(_keyword_starts(other, clean)) and any(
        k in page for k in map(compact, other.keywords) if len(k) >= MIN_NAME
    )


def product_by_code(session: Session, code: str | None) -> Product | None:
    if not code:
        return None
    return session.scalars(select(Product).where(Product.code == code)).first()


@dataclass(frozen=True)
class GoodsOfAnotherOrder:
    """The goods the shopper's words name are in none of the verified order's items (那靴子也帮我
    催一下 while the charger's order is in hand): nothing is done to this order; the other one
    is asked for."""

    order_no: str
    named: tuple[str, ...]  # the goods named, by their titles
    in_order: tuple[str, ...]  # what the verified order holds


def _a_word_of_its_own(named: list[Product], own: set[Product], clean: str) -> bool:
    """Whether a word that named another product (羽绒服, the women's coat's keyword) is also
    in the name of one of the order's own products (儿童轻薄羽绒服…): the shopper may mean
    theirs."""
    words = {compact(k) for p in named for k in p.keywords if compact(k) in clean}
    return any(w in compact(p.name) for w in words for p in own)


def goods_of_another_order(session: Session, text: str, order: Order) -> GoodsOfAnotherOrder | None:
    """The goods `text` names when none of them is the order's (None when it names none, or one
    of its own, or a thing that comes with one of its own: 手环的充电器)."""
    own = {item.variant.product for item in order.items}
    in_order = tuple(dict.fromkeys(p.name for p in own))
    named = named_products(session, text)
    if not named:  # goods named by their kind (靴子) of a category the order holds none of
        kind = category_word_named(text)
        if kind is None or kind[0] in {p.category.code for p in own}:
            return None
        return GoodsOfAnotherOrder(order.order_no, (kind[1],), in_order)
    if own.intersection(named):
        return None
    if _a_word_of_its_own(named, own, _as_meant(compact(text))):  # 羽绒服 of 儿童轻薄羽绒服
        return None
    if all(_kind_held_by(p, own, compact(text)) for p in named):
        return None  # 孩子那套的裤子起球了 on the kids' suit (卫裤): its own, not the men's
    for product in own:  # a thing its page includes, or one worn or carried with it
        if find_product(session, text, product.code) in own:
            return None
    return GoodsOfAnotherOrder(order.order_no, tuple(p.name for p in named), in_order)


def _kind_held_by(product: Product, own: set[Product], clean: str) -> bool:
    """Whether `product` is named in `clean` only by a kind said with 子 (裤子) that one of the
    order's own goods is of too (卫裤 in the kids' suit's title)."""
    names = [compact(n) for n in (product.name, *product.keywords, product.code)]
    if any(len(n) >= MIN_NAME and n in clean for n in names):
        return False
    named = [kind for kind in kinds_said_with_zi(product.keywords) if kind in clean]
    held = " ".join(" ".join((p.name, *p.keywords)) for p in own)
    return bool(named) and all(kind[0] in held for kind in named)


def names_goods(session: Session, text: str) -> bool:
    """Whether `text` names goods: a product of the catalogue, or a kind of goods (靴子)."""
    return bool(named_products(session, text) or category_word_named(text))


def names_own_goods(session: Session, text: str, order: Order) -> bool:
    """Whether `text` names goods, and the order holds them (猪肉脯少了一包 on the snack order)."""
    return names_goods(session, text) and goods_of_another_order(session, text, order) is None

"""Follow-up questions about the product in focus, answered from the catalogue.

Shoppers ask short follow-ups once a product is being discussed: 透不透, 充电多少瓦, 要另外收钱不,
有几种颜色, 能用多久. Each is read as a topic and answered from the product's own attributes or
variants; a topic the product's page does not cover is `FactUnknown` (the caller offers a
human), never a guess. A message that only names another product (那充电宝呢) is a
`bare mention`: the caller asks the last question again about that product.
"""

import re
from dataclasses import dataclass
from enum import StrEnum

from core.text import normalise
from shop.models import Product
from shop.presale import FactUnknown, ProductFact, attribute_answer
from shop.product_names import compact


class OptionKind(StrEnum):
    COLOR = "color"
    SIZE = "size"
    SPEC = "spec"


@dataclass(frozen=True)
class ProductOptions:
    """The colours (sizes, specs) the product comes in, in the catalogue's order."""

    product_name: str
    kind: OptionKind
    options: tuple[str, ...]


@dataclass(frozen=True)
class ProductFacts:
    """Several of the product's facts that answer one question (单次续航 and 总续航)."""

    product_name: str
    facts: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ProductInFocus:
    """The shopper named a product without a question yet: ask what they want to know."""

    product_name: str


ProductAnswer = ProductOptions | ProductFacts | ProductFact | FactUnknown

_WHICH = r"(?:几|哪些|哪几|什么|啥|多少)[种个款]?"
OPTION_QUESTIONS = {
    OptionKind.COLOR: re.compile(
        rf"{_WHICH}(?:颜色|色号|配色|色)|(?:颜色|色号|配色)(?:都|还)?有?(?:哪些|几种|几个|什么|啥)"
        r"|(?:别的|其他|其它)(?:颜色|色)"
    ),
    OptionKind.SIZE: re.compile(
        rf"{_WHICH}(?:尺码|码数|尺寸)|(?:尺码|码数)都?有?(?:哪些|几个|什么)"
    ),
    OptionKind.SPEC: re.compile(
        rf"{_WHICH}(?:规格|版本|配置|款式)|(?:规格|版本|款式)都?有?(?:哪些|几种)"
    ),
}

# A follow-up topic → the attributes that answer it: the first stem any attribute name
# contains wins (a phone's 快充功率 before a kettle's 功率).
TOPICS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"透(?!气)|透肉|透光"), ("厚度", "面料")),
    (
        re.compile(r"(?:多少|几)\s*(?:瓦|w)|瓦数|充电功率|充电速度|充电快|快充"),
        ("快充功率", "输出功率", "功率"),
    ),
    (
        re.compile(
            r"另外(?:收|要|加|算|付)|额外(?:收|的?费|加|付)|另收|另计|另算|加钱|要钱|收钱|收费|费用"
        ),
        ("安装费用", "费用"),
    ),
    (re.compile(r"保温(?:多久|多长|几个?小时|效果|时间)|能保温"), ("保温效果",)),
    (re.compile(r"保冷|冰多久"), ("保冷效果",)),
    (
        re.compile(r"能用多久|用多久|用多长|用几天|用几个?小时|续航|待机|充一次|充满"),
        ("续航", "待机"),
    ),
)


def product_options(product: Product, question: str) -> ProductOptions | None:
    """The product's colours, sizes or specs when the question asks which there are."""
    text = normalise(question)
    for kind, pattern in OPTION_QUESTIONS.items():
        if not pattern.search(text) or (kind == OptionKind.SIZE and "穿" in text):
            continue
        values = [getattr(v, kind.value) for v in product.variants]
        options = tuple(dict.fromkeys(v for v in values if v))
        if not options:  # no colours (sizes) at all: say the versions it comes in
            kind = OptionKind.SPEC
            options = tuple(dict.fromkeys(v.label for v in product.variants))
        return ProductOptions(product.name, kind, options)
    return None


def product_answer(product: Product, question: str) -> ProductAnswer:
    """What the catalogue says about `product` for this question (FactUnknown: nothing)."""
    options = product_options(product, question)
    if options is not None:
        return options
    text = normalise(question)
    for pattern, stems in TOPICS:
        if not pattern.search(text):
            continue
        for stem in stems:
            found = tuple((n, str(v)) for n, v in product.attributes.items() if stem in n)
            if len(found) == 1:
                return ProductFact(product.name, *found[0])
            if found:
                return ProductFacts(product.name, found)
    return attribute_answer(product, question)


# What is left of a bare mention once the product's names are taken out: nothing but these.
_MENTION_FILLER = re.compile(
    r"那么|那个|这个|那款|这款|那|换成|换|如果是|要是|还有|的话|看看|问一下|问下|怎么样|呢|吗|嘛|的"
    r"|亲|哈|啊|呀|哦|[\s?？,，.。!！~～]"
)


def is_bare_mention(product: Product, text: str) -> bool:
    """Whether `text` only names `product` (那充电宝呢, 耳机的呢, 小米的那个手环呢), asking nothing:
    once its names and filler are taken out, only pieces of its keywords are left."""
    rest = compact(text)
    keywords = [*map(compact, product.keywords), compact(product.code)]
    brands = [b for b in map(compact, product.brand.split()) if len(b) >= 2]
    named = False
    for name in sorted([compact(product.name), *keywords, *brands], key=len, reverse=True):
        if name and name in rest:
            rest, named = rest.replace(name, " "), True
    pieces = " ".join(keywords)
    return named and all(run in pieces for run in _MENTION_FILLER.split(rest) if run)

"""Follow-up questions about the product in focus, answered from the catalogue.

Shoppers ask short follow-ups once a product is being discussed: 透不透, 充电多少瓦, 要另外收钱不,
有几种颜色, 能用多久. Each is read as a topic and answered from the product's own attributes or
variants; a topic the product's page does not cover is `FactUnknown` (the caller offers a
human), never a guess, and a question of a message the page answers only in part is named as
not listed beside the facts that are. A message that only names another product (那充电宝呢) is
a `bare mention`: the caller asks the last question again about that product. A follow-up that
asks the product's stock (那黑色呢, 有大一码的吗), a size (我这个身高体重穿啥) or its price (买两件
呢) is `AskedAbout` that topic: the caller answers it as that question.
"""

import dataclasses
import re
from dataclasses import dataclass
from enum import StrEnum

from core.text import clause_parts, normalise
from shop.models import Product
from shop.power_limits import PowerAgainstLimit, power_against_limit
from shop.presale import FactUnknown, ProductFact, attribute_answer, named_variant_terms
from shop.product_names import compact
from shop.promotions import asked_quantity
from shop.size_labels import SIZE_LABEL
from shop.spec_words import spec_topics


class OptionKind(StrEnum):
    COLOR = "color"
    SIZE = "size"
    SPEC = "spec"


@dataclass(frozen=True)
class ProductOptions:
    """The colours (sizes, specs) the product comes in, in the catalogue's order; `not_offered`:
    the size asked for that is none of them (有160码的吗)."""

    product_name: str
    kind: OptionKind
    options: tuple[str, ...]
    not_offered: str | None = None


@dataclass(frozen=True)
class ProductFacts:
    """Several of the product's facts that answer one question (单次续航 and 总续航);
    `unlisted`: the message's other questions the page does not answer (冬天能单穿吗)."""

    product_name: str
    facts: tuple[tuple[str, str], ...]
    unlisted: tuple[str, ...] = ()


class PresaleTopic(StrEnum):
    """A question about the product that its facts do not answer but another answer does."""

    STOCK = "stock"  # 那黑色呢, 有大一码的吗, XL还有吗
    SIZE = "size"  # 我这个身高体重穿啥, 她脚有点宽, 要买38吗
    PRICE = "price"  # 买两件呢, 有优惠吗


@dataclass(frozen=True)
class AskedAbout:
    """The follow-up asks the product's stock, a size or its price: answer it as that question."""

    product_name: str
    topic: PresaleTopic


@dataclass(frozen=True)
class ProductInFocus:
    """The shopper named a product without a question yet: ask what they want to know."""

    product_name: str


ProductAnswer = (
    ProductOptions | ProductFacts | ProductFact | FactUnknown | AskedAbout | PowerAgainstLimit
)

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
    (re.compile(r"保温(?:能保)?(?:多久|多长|几个?小时|效果|时间)|能保温"), ("保温效果",)),
    (re.compile(r"保冷|冰多久"), ("保冷效果",)),
    (
        re.compile(r"能用多久|用多久|用多长|用几天|用几个?小时|续航|待机|充一次|充满"),
        ("续航", "待机"),
    ),
)


# Topics the page often answers inside another fact's text (防水等级: …不可游泳佩戴), in the
# promotion (支持12期免息) or the description (可随身带上飞机): the stems name the attributes
# that answer them; the pattern also finds them in any attribute's value, promotion or
# description.
PAGE_TOPICS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"透(?![气明])|透肉|透光"), ("厚度", "面料")),
    (re.compile(r"游泳|下水|泡水|淋雨|洗澡|潜水|防水"), ("防水",)),
    (re.compile(r"飞机|登机|托运|坐车|高铁"), ("登机",)),
    (re.compile(r"插座|插头|插脚|电源线|空开|\d+a(?![a-z])"), ("插座", "插脚")),
    (re.compile(r"分期|免息|白条|花呗"), ("分期",)),
)
PROMOTION = "优惠活动"  # the label of a fact found in the promotion
DESCRIPTION = "商品详情"  # the label of a fact found in the description
SHARED_RUN = 3  # a run of this many characters the question shares with a fact names it


def chart_measure(product: Product, question: str) -> ProductFact | None:
    """A garment measure of a size the question names (31腰围多少, L码衣长多长), from the
    product's size chart; None when it names no size with a measure the chart gives."""
    chart = product.size_chart
    if chart is None or chart.kind != "apparel":
        return None
    text = normalise(question)
    for row in chart.rows:
        size = normalise(str(row["size"]))
        if not re.search(rf"(?<![a-z0-9]){re.escape(size)}(?![a-z0-9])", text):
            continue
        for measure, value in (row.get("measurements") or {}).items():
            if measure in text:
                return ProductFact(product.name, f"{row['size']}码{measure}", f"{value}cm")
    return None


def _page_facts(product: Product) -> list[tuple[str, str]]:
    """The product's attributes, promotion parts and description sentences as labelled facts."""
    facts = [(name, str(value)) for name, value in _attributes(product).items()]
    facts += [(PROMOTION, p) for p in re.split(r"[；;]", product.promotion or "") if p.strip()]
    sentences = re.split(r"(?<=[。！!？?])", product.description or "")
    # a sentence without its full stop: the words put their own after it
    facts += [(DESCRIPTION, s.strip().rstrip("。")) for s in sentences if s.strip()]
    return facts


AFTER_SALES = "售后规则"  # the label of a fact found in the category's after-sales rule


# Kinds of goods a category's after-sales rule may name a sentence for (笔记本电脑激活Windows后…
# beside 显示器亮点、坏点…): a sentence naming only kinds the product is not is not its rule.
RULE_KINDS = ("笔记本电脑", "显示器", "智能手表", "手机", "耳机", "内衣", "袜子")


def _rule_facts(product: Product) -> list[tuple[str, str]]:
    """The sentences of the after-sales rule of the product's category that apply to it, as
    labelled facts."""
    note = product.category.note
    sentences = [s.strip() for s in re.split(r"[；;。]", note or "") if s.strip()]
    own = normalise(" ".join([product.name, *product.keywords]))
    return [(AFTER_SALES, s) for s in sentences if _rule_applies(s, own)]


def _rule_applies(sentence: str, own_names: str) -> bool:
    named = [kind for kind in RULE_KINDS if kind in sentence]
    return not named or any(kind in own_names for kind in named)


def _spec_word_facts(product: Product, text: str) -> list[tuple[str, str]]:
    """The facts answering the topics the question asks in shoppers' words (shop/spec_words.yaml:
    门槛 → 越障高度, 精装平装 → 装帧, 杂音 → 保修 and the after-sales rule on faults); none
    when it names one of the product's own attributes (扫地机噪音多大: its 噪音 answers)."""
    if any(normalise(name) in text for name in product.attributes):
        return []
    asked = [topic for topic in spec_topics() if topic.asked_in(text)]
    if not asked:
        return []
    sentences = [(f, normalise(f[1])) for f in [*_page_facts(product), *_rule_facts(product)]]
    facts: list[tuple[str, str]] = []
    for topic in asked:
        found = _stem_facts(product, topic.attributes)
        if not found and "保修" in topic.attributes and product.effective_warranty_months:
            found = (("保修", f"{product.effective_warranty_months}个月"),)
        said = [f for f, clean in sentences if any(word in clean for word in topic.page)]
        for fact in (*found, *said):
            if fact not in facts:
                facts.append(fact)
    return facts


def _stem_facts(product: Product, stems: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The attributes whose names hold the first of the stems that any name holds (快充功率
    before 功率)."""
    for stem in stems:
        if found := tuple((n, str(v)) for n, v in _attributes(product).items() if stem in n):
            return found
    return ()


STORAGE = "储存方法"  # the label of the product's storage, which the catalogue keeps apart


def _attributes(product: Product) -> dict[str, object]:
    """The product's attributes, with its storage (密封、避光…冷藏保存) as one of them."""
    found: dict[str, object] = dict(product.attributes)
    if product.storage:
        found[STORAGE] = product.storage
    return found


def _topic_facts(
    product: Product, pattern: re.Pattern[str], stems: tuple[str, ...], search: bool
) -> tuple[tuple[str, str], ...]:
    """The facts answering one topic: attributes named by the first stem that has any; for
    a page topic (`search`), when none of them says it in the topic's words (厚度: 薄款，含内衬
    for 透不透), also the first fact whose text does (…自带同色内衬不透肉)."""
    found = _stem_facts(product, stems)
    if not search or any(pattern.search(normalise(value)) for _, value in found):
        return found
    said = next(
        (f for f in _page_facts(product) if f not in found and pattern.search(normalise(f[1]))),
        None,
    )
    return (*found, said) if said else found


def _shared_run_fact(product: Product, text: str) -> tuple[str, str] | None:
    """The fact that shares a run of SHARED_RUN+ characters with the question (充电器要另外收钱
    不 → 快充功率: …包装内含45W充电器), not counting the words the product is named by (its
    keywords and brand, and the specs its title is told apart by: 32G of 小新Pro14 32G那款; a
    claim in its title, 防滑 of 防滑中筒棉靴, still counts)."""
    specs = [word for word in product.name.split() if re.search(r"\d", word)]
    name = " ".join(map(compact, [*product.keywords, product.brand or "", *specs]))
    runs = re.findall(r"[\u4e00-\u9fff a-z0-9]+", compact(text))
    best: tuple[int, tuple[str, str]] | None = None
    for label, value in _page_facts(product):
        clean = compact(value)
        for run in runs:
            for size in range(len(run), SHARED_RUN - 1, -1):
                if best and size <= best[0]:
                    break
                pieces = (run[i : i + size] for i in range(len(run) - size + 1))
                if any(p in clean and p not in name for p in pieces):
                    best = (size, (label, value))
                    break
    return best[1] if best else None


# What the page says the product spares the shopper (无需翻面, 免安装, 不用预热): a question about
# that chore (要不要翻面, 需要安装吗) is answered by the sentence that says so.
_SPARED = re.compile(r"(?:无需|无须|不需要|不用|免)([\u4e00-\u9fff]{2})")
NAME = "商品标题"  # the label of a claim found only in the product's own name


def _claim_fact(product: Product, text: str) -> tuple[str, str] | None:
    """The fact that says the product spares the chore the question asks about (要不要翻面 →
    描述: …上下双热源无需翻面), from its page first, then from its own name."""
    question = compact(text)
    sources = [*_page_facts(product), *((NAME, part) for part in product.name.split())]
    for label, value in sources:
        if any(chore in question for chore in _SPARED.findall(value)):
            return label, value
    claims = [m.group(1) for m in _CLAIM_ASKED.finditer(normalise(text))]
    for label, value in sources:  # 防滑吗 → 大底: TPR防滑橡胶; 是304的吗 → 304不锈钢
        if any(claim in compact(value) for claim in claims):
            return label, value
    return None


# A property asked whether the product has, in a word or two (防滑吗, 内胆是304的吗, 是纯棉的不).
_CLAIM_ASKED = re.compile(
    r"(?:是|有|带|能|会)?([\u4e00-\u9fff]{2,4}?|\d{3,4}|[a-z]{2,6})的?(?:吗|么|嘛|不|没)(?=$|\s|[,，。?？!！])"
)


# A size asked for by its label (有160码的吗, 有没有XXL的): whether the product comes in it.
_SIZE_ASKED = re.compile(
    rf"有(?:没有)?\s*(\d{{2,3}}(?:\.5)?|{SIZE_LABEL})\s*(?:码|号|cm)?(?:的)?(?:吗|么|嘛|不|没)"
)


# A colour asked for by name (有白绿色吗, 有没有卡其色的, 黑色的有吗).
_COLOR_ASKED = re.compile(
    r"有(?:没有)?\s*([\u4e00-\u9fff]{1,3}色)(?:的)?(?:吗|么|嘛|不|没)"
    r"|有没有\s*([\u4e00-\u9fff]{1,3}色)(?:的)?(?=$|\s|[,，。?？!！])"
    r"|([\u4e00-\u9fff]{1,3}色)(?:的)?有(?:吗|么|嘛|没有|不)"
)


# Words before 色 that name no colour (什么颜色, 这个颜色, 别的色, 几个色).
_NOT_A_COLOR = re.compile(
    r"颜|^(?:什么|啥|这|那|哪|别|其|几|多|各|同|一|换|配|纯)|^(?:深|浅|亮|暗|素|杂|撞|单)色$"
)


def _color_not_offered(colors: tuple[str, ...], asked: str) -> bool:
    """Whether no colour of the product is the one asked (白绿色 of 标准白 and 黑色; 白色 is
    标准白's)."""
    stem = asked.removesuffix("色")
    return not any(stem in c or c.removesuffix("色") in stem for c in colors)


def product_options(product: Product, question: str) -> ProductOptions | None:
    """The product's colours, sizes or specs when the question asks which there are, or when
    it asks for a size or a colour the product does not come in."""
    text = normalise(question)
    sizes = tuple(dict.fromkeys(v.size for v in product.variants if v.size))
    asked = _SIZE_ASKED.search(text)
    if asked and sizes and asked.group(1).upper() not in {s.upper() for s in sizes}:
        return ProductOptions(product.name, OptionKind.SIZE, sizes, asked.group(1).upper())
    colors = tuple(dict.fromkeys(v.color for v in product.variants if v.color))
    color = _COLOR_ASKED.search(text)
    named = color and next(group for group in color.groups() if group)
    if named and _NOT_A_COLOR.search(named):
        named = None  # 有没有什么颜色, 这个颜色有吗: the colours asked, or the one in focus
    if named and colors and _color_not_offered(colors, named):
        return ProductOptions(product.name, OptionKind.COLOR, colors, named)
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
    """What the catalogue says about `product` for this question (FactUnknown: nothing), or
    the other question it asks (AskedAbout: stock, size, price). A message of several
    questions the page answers only in part names the rest as `unlisted`."""
    answer = _answer(product, asked := _without_its_names(product, question))
    if isinstance(answer, FactUnknown) and _STILL_ASKS.search(asked):
        answer = _answer(product, asked := question)  # 是氮化镓的吗: a name is what is asked
    question = asked
    if not isinstance(answer, ProductFact | ProductFacts):
        return answer
    if isinstance(answer, ProductFacts):
        facts = answer.facts
    else:
        facts = ((answer.attribute, answer.value),)
    unlisted = tuple(
        clause
        for clause in _clauses(question)
        if _asks_on_its_own(clause)
        and not is_bare_mention(product, clause)
        and isinstance(_answer(product, clause), FactUnknown)
        and not _said_in(facts, clause)
    )
    if unlisted and isinstance(answer, ProductFact):  # 保修吗 开胶怎么办: 3个月, and the rest
        return dataclasses.replace(answer, unlisted=unlisted)
    if unlisted:
        return ProductFacts(product.name, facts, unlisted)
    if isinstance(answer, ProductFact) and (item := _included(answer.value, question)):
        return dataclasses.replace(answer, included=item)
    return answer


# Words that still ask something once the product's names are gone (是的吗, not 再问下).
_STILL_ASKS = re.compile(r"[吗么嘛呢？?]|什么|多少|几|是不是|有没有")


def _without_its_names(product: Product, question: str) -> str:
    """The question without the product's own names, longest first (漫步者降噪耳机 戴着不舒服能
    退吗: 降噪 in its name asks nothing of the noise cancelling); as it was when nothing else
    is left."""
    names = [*product.keywords, *product.brand.split()]
    rest = question
    for name in sorted((n for n in names if len(n) >= 2), key=len, reverse=True):
        rest = re.sub(re.escape(name), " ", rest, flags=re.IGNORECASE)
    return rest if rest.strip() else question


# What one instalment costs (12期免息 一个月多少): the price answer works it out.
INSTALMENT_AMOUNT = re.compile(
    r"(?:一|每)个?月(?:要|得|还|付)?(?:多少|几)|每期|一期(?:要|得)?多少|月供|分期.{0,6}多少"
)


def _answer(product: Product, question: str) -> ProductAnswer:
    if (against := power_against_limit(product, question)) is not None:
        return against  # 宿舍限800w 能用不: its power against that limit, not the wattage again
    if (measured := chart_measure(product, question)) is not None:
        return measured  # 31腰围多少: the size chart's row
    options = product_options(product, question)
    if options is not None:
        return options
    text = normalise(question)
    if INSTALMENT_AMOUNT.search(text):
        return AskedAbout(product.name, PresaleTopic.PRICE)
    facts: list[tuple[str, str]] = []
    topics = [(p, s, False) for p, s in TOPICS] + [(p, s, True) for p, s in PAGE_TOPICS]
    for pattern, stems, search in topics:
        if pattern.search(text):  # every topic the message asks (多少瓦 能带上飞机吗)
            found = _topic_facts(product, pattern, stems, search)
            facts += [f for f in found if f not in facts]
    facts += [f for f in _spec_word_facts(product, text) if f not in facts]
    if not facts:
        if (topic := asked_topic(product, question)) is not None:
            return AskedAbout(product.name, topic)
        answer = attribute_answer(product, question)
        if not isinstance(answer, FactUnknown):
            return answer
        shared = _shared_run_fact(product, question) or _claim_fact(product, question)
        if shared is None:
            return answer
        facts = [shared]
    if len(facts) == 1:
        return ProductFact(product.name, *facts[0])
    return ProductFacts(product.name, tuple(facts))


# The questions that the product's stock, a size or its price answer, not one of its facts.
SIZE_QUESTION = re.compile(
    r"穿(?:什么|啥|多大|几|哪个|哪)(?!颜色|色|风格|款)|(?:什么|啥|多大|哪个|几)(?:码|尺码|号码)(?!数)"
    r"|选(?:几|多大)|身高体重|多高多重|(?:要|该|能)?买(?:\d{2}|[a-z]{1,3})码?(?:吗|还是|合适)"
    r"|(?:买|选|拍|穿|要不要)(?:大|小)[一半]?(?:码|号)|\d{2}(?:码)?还是\d{2}|脚(?:有点|比较|偏|很|挺|稍微)?(?:宽|肥|胖|瘦|窄)|脚背(?:有点|比较|偏|很|挺)?高"
)
RELATIVE_SIZE = re.compile(r"(大|小)(?:([一两])个?(?:码|号)|一?点)")
STOCK_QUESTION = re.compile(
    r"有货|没货|现货|还有(?:吗|么|没)|有没有货|缺货|售罄|卖完|卖光|补货|到货|断码|库存"
    # 礼盒装那个什么时候有哈: when it can be had again
    r"|(?:什么|啥)时候(?:能|才|会)?有|几时(?:能|才)?有|哪天(?:能|才)?有"
    # the product page will not take the order: a sold-out variant (怎么拍不了)
    r"|(?:拍|买|下单|下不了单|加购)不(?:了|到|下)|拍不下来|下不了单|加不了购物车"
    # 猜猜我有多爱你有吗, 白色L有没有: the thing just named, asked whether it can be had (发票有吗,
    # 赠品有没有: another thing's question)
    r"|(?<![没还票券品动惠费险])有(?:吗|么|嘛|没有?)(?=$|[\s，,。!！?？~～])"
)
PRICE_QUESTION = re.compile(r"多少钱|价格|价钱|几块|多少块|优惠|便宜|折扣|打折|满减|划算|领券|券")
# A figure said back to check it (还是269吗, 是199块吗): a price when it has 块/元/¥ or is the
# product's own price (容量还是500吗 is its capacity).
FIGURE_SAID_BACK = re.compile(
    r"(?:还是|就是|是|也是)\s*(?P<yuan>[¥￥])?(?P<figure>\d+(?:\.\d+)?)\s*(?P<unit>块|元)?(?:钱)?"
    r"(?:吗|么|嘛|不|吧)"
)


def _price_said_back(product: Product, text: str) -> bool:
    """Whether the words say a price back to check it (那就银色 还是269吗)."""
    match = FIGURE_SAID_BACK.search(text)
    if match is None:
        return False
    if match["yuan"] or match["unit"]:
        return True
    prices = {product.price, product.original_price}
    return any(p is not None and float(p) == float(match["figure"]) for p in prices)


# What a message naming only a variant (那雾霾蓝XXL呢 给我爸买) may hold besides it.
_VARIANT_FILLER = re.compile(
    r"给[^\s，,。]{0,4}?(?:买|穿|用)|自己穿|送人|码|号|色|款|有吗|有没有|要|想|那么|那个|这个|那款|这款"
    r"|那|换成|换|如果是|要是|还有|的话|看看|问一下|问下|怎么样|呢|吗|嘛|的|亲|哈|啊|呀|哦"
    r"|[\s?？,，.。!！~～]"
)


def asked_topic(product: Product, question: str) -> PresaleTopic | None:
    """The topic a follow-up about `product` asks when none of its facts does: a size (穿什么码,
    脚有点宽), the stock of a variant (那黑色呢, 有大一码的吗, XL还有吗) or the price (买两件呢)."""
    text = normalise(question)
    if SIZE_QUESTION.search(text):
        return PresaleTopic.SIZE
    if STOCK_QUESTION.search(text) or RELATIVE_SIZE.search(text):
        return PresaleTopic.STOCK
    if PRICE_QUESTION.search(text) or (asked_quantity(text) and re.search("买|一起|要", text)):
        return PresaleTopic.PRICE
    if _price_said_back(product, text):
        return PresaleTopic.PRICE
    if names_only_a_variant(product, text):
        return PresaleTopic.STOCK
    if any(named_variant_terms(product, text)) and VARIANT_WANTED.search(text):
        return PresaleTopic.STOCK  # 有豆沙色吗, 键盘要粉的: whether that one can be had
    return None


# Words that ask for a variant named beside them (有N05吗, 要粉的, 拿儿童款): its stock answers.
VARIANT_WANTED = re.compile(r"有|要|拿|来一|买|想")


def names_only_a_variant(product: Product, text: str) -> bool:
    """Whether `text` names one of the product's colours or sizes and asks nothing else (那黑色呢,
    那雾霾蓝XXL呢 给我爸买, XL的呢): the last question again, about that variant."""
    color, size = named_variant_terms(product, text)
    if color is None and size is None:
        return False
    rest = compact(text)
    names = [compact(product.name), *map(compact, product.keywords)]
    for term in sorted({t for t in (color, size, *names) if t}, key=len, reverse=True):
        rest = rest.replace(compact(term), " ")
    if color:
        rest = rest.replace(compact(color.rstrip("色")), " ")
    return not any(run for run in _VARIANT_FILLER.split(rest) if run)


def relative_size(product: Product, text: str, base: str | None) -> str | None:
    """The size one (两: two) above or below `base` that the text asks for (大一码, 小一号, 大点
    的), in the order of the product's size chart, else of its variants; None if none is."""
    match = RELATIVE_SIZE.search(normalise(text))
    if match is None or base is None:
        return None
    if product.size_chart is not None:
        order = [str(row["size"]) for row in product.size_chart.rows]
    else:
        order = list(dict.fromkeys(v.size for v in product.variants if v.size))
    if base not in order:
        return None
    step = (2 if match.group(2) == "两" else 1) * (1 if match.group(1) == "大" else -1)
    index = order.index(base) + step
    return order[index] if 0 <= index < len(order) else None


_QUESTION_MARK = re.compile(
    r"吗|么|呢|[不没]$|多少|几|怎么|咋|什么|啥|能不能|是不是|会不会|可不可以|有没有|[?？]"
)


def _clauses(question: str) -> list[str]:
    """The message's parts, when it has several (加绒的厚不厚 冬天能单穿吗)."""
    parts = clause_parts(question)
    return parts if len(parts) > 1 else []


_GENERIC = re.compile(
    r"可不可以|可以|能不能|是不是|会不会|这个|那个|能|会|是|有|用|吗|么|呢|不|没|啊|呀|吧|的|了|它|这|那"
    # whether it holds up, and the thing itself (这鞋顶得住不 after 零下二十度: leans on that)
    r"|[顶扛撑抗]得?住|受得了|吃得消|够用|够|行|合适|适合|管用|好使|靠谱|鞋子?|衣服|东西|款|双|件"
    r"|[\s?？,，.。!！~～]"
)
OWN_QUESTION = 3  # a clause with this many characters of its own asks a question of its own


def _asks_on_its_own(clause: str) -> bool:
    """A question with words of its own (冬天能单穿吗), not one that leans on the one before it
    (我家插座是普通的 能用吗)."""
    text = normalise(clause)
    return bool(_QUESTION_MARK.search(text)) and len(_GENERIC.sub("", text)) >= OWN_QUESTION


def _said_in(facts: tuple[tuple[str, str], ...], clause: str) -> bool:
    """Whether the facts given for the message say what a clause of it asks in its own words
    (插座就普通的 3200w能用吗: …3200W档需使用16A专用插座): a run of OWN_QUESTION characters."""
    own = [run for run in _GENERIC.split(compact(clause)) if len(run) >= OWN_QUESTION]
    said = compact(" ".join(f"{name} {value}" for name, value in facts))
    return any(
        run[i : i + OWN_QUESTION] in said for run in own for i in range(len(run) - OWN_QUESTION + 1)
    )


# Whether the product comes with a thing or it costs extra (充电器要另外收钱不, 送不送手机壳).
COMES_WITH = re.compile(
    r"另外|额外|单独|另买|另收|收钱|要钱|加钱|附赠|赠|送|自带|带不带|带吗|配(?:的|不配|吗|了)|有没有配|包含|含"
)
_INCLUDED = re.compile(r"(?:包装内含|包装含|内含|标配|附赠|赠送|赠|自带)([^，,。；;（）()]+)")


def _included(value: str, question: str) -> str | None:
    """The thing the fact says comes with the product (包装内含45W充电器) when the question asks
    whether it does or costs extra and names it (充电器要另外收钱不): 45W充电器."""
    text = compact(question)
    if not COMES_WITH.search(text):
        return None
    for match in _INCLUDED.finditer(value):
        for item in re.split(r"[+＋、和及]", match.group(1)):
            clean = compact(item)
            if any(clean[i : i + 2] in text for i in range(len(clean) - 1)):
                return item.strip()
    return None


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
    if STOCK_QUESTION.search(normalise(text)):  # 那个蟒蛇书还有吗: its stock, asked
        return False
    return named and all(run in pieces for run in _MENTION_FILLER.split(rest) if run)


def facts_asked(product: Product, question: str) -> list[ProductFact | ProductFacts]:
    """The product's facts each part of the message asks (两个都买多少钱 有活动吗 保修多久: the
    保修), leaving out the parts asking its price (its promotion's words too), stock or a size
    and those the page does not answer."""
    answers = [_answer(product, clause) for clause in _clauses(question) or [question]]
    found: list[ProductFact | ProductFacts] = []
    for answer in answers:
        fact: ProductFact | ProductFacts | None = None
        if isinstance(answer, ProductFact) and answer.attribute != PROMOTION:
            fact = answer
        elif isinstance(answer, ProductFacts):
            kept = tuple(f for f in answer.facts if f[0] != PROMOTION)
            fact = dataclasses.replace(answer, facts=kept) if kept else None
        if fact is not None and fact not in found:
            found.append(fact)
    return found

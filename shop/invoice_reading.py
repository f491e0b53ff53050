"""What a shopper's words say about the invoice they want: a question about its status, a
request, or a change; the kind, the title, the tax number and the e-mail they name.

"发票开了没" → status; "帮我开公司抬头的发票 杭州悦达科技有限公司 税号 91330…" → a company
request with its title and tax number; "抬头开错了 帮我换开" → a change.
"""

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from core.text import normalise
from shop.models import InvoiceKind, InvoiceTitleType

MAX_TITLE_CHARS = 100
MIN_TITLE_CHARS = 4
MAX_EMAIL_CHARS = 100
TAX_NO_CHARS = 18  # 统一社会信用代码 (GB 32100-2015)
# The code's alphabet (no I, O, S, V, Z) and the weights of its check character.
CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


class InvoiceAsk(StrEnum):
    STATUS = "status"  # 开了没 / 开好了吗 / 没收到
    REQUEST = "request"  # 帮我开 / 补开 / 开专票
    CHANGE = "change"  # 换开 / 重开 / 抬头开错了 / 改成公司


# "能换吗" / "换个抬头" about an invoice is a change; 换货 and 退换 are the goods.
CHANGE_WORDS = re.compile(
    r"换开|重开|重新开|红冲|作废|(开|写|填)错|(改|换)成|改一下|修改|少了税号|(?<!退)换(?!货)"
    # 抬头还能改吗, 以后要是还要改 (never 不需要改, 别再改了, 抬头不要改)
    r"|(?<![不别没无])(?<!不用)(?<!不需)(?<!没必)(?<!不要)(?:还能|再|能|要)改"
)
REQUEST_WORDS = re.compile(
    r"补开|补一张|要(开|个|张)?发票|要开|开(一|个|张)|帮我开|给我开|开成|开到|申请|开专票|开普票|"
    r"^开|想开|需要(开|发票)|有限公司|税号"
)
# 申请 said of a request already made ("我们公司申请的那个专票", "之前申请过", "已经申请了"):
# the invoice on record is meant, not a new one asked for.
PAST_REQUEST = re.compile(
    r"(?:之前|以前|早就|已经|当时|下单时|下单的时候)申请|申请(?:的|过|了的)(?:那)?|申请了(?=.{0,8}(?:没|吗|么))"
)
# Asking how far the invoice on record has got (开了没, 啥时候能开出来, 开好没有, 收到没).
STATUS_WORDS = re.compile(
    r"开了(?:没|吗|么)|(?:开好|开出来|开出|好)了?(?:没|吗|么)|(?:什么|啥)时候(?:能|可以|才)?(?:开|好|出)|"
    r"(?:几天|多久)(?:能|才|可以)?(?:开|好|出)|(?:到|发|寄)了(?:没|吗|么)|进度"
)
SPECIAL_WORDS = re.compile(r"专票|专用发票|增值税专用|增票|抵扣")
NORMAL_WORDS = re.compile(r"普票|普通发票|普通的发票|电子普通|普通票")
_NOT_SPECIAL = re.compile(r"(?:不是|不要|不开|不用)(?:专票|专用发票|增值税专用|增票)")
COMPANY_WORDS = re.compile(r"公司|单位|企业|报销|税号|抬头.{0,2}(公司|单位)")
# "开成个人了" says what went wrong, "开成个人的" what is wanted.
PERSONAL_WORDS = re.compile(
    r"(开|改|换|写)成?个人(?!了)|个人(的|抬头|发票)(?!了)|私人"
    # 个人就行, 个人吧, 个人: the title chosen in a word
    r"|个人(就行|就好|就可以|即可|吧|呀|哈|好了|可以)|(?:^|\s)个人$"
)
EMAIL = re.compile(r"[a-z0-9._%+\-]+@[a-z0-9.\-]+\.[a-z]{2,}")
# A tax number as typed: a run of letters and digits, maybe in groups (9133 0106 MA2…).
ALNUM_RUN = re.compile(r"[0-9a-z]+(?:[\s\-][0-9a-z]+)*")
TAX_NO_LENGTHS = range(15, 21)  # what may be a tax number typed a few characters short or long
ORGANISATION = re.compile(
    r"[\u4e00-\u9fa5a-z0-9（）()·&]{2,90}"
    r"(?:股份有限公司|有限责任公司|有限公司|分公司|公司|集团|研究院|研究所|事务所|工作室|中心|"
    r"医院|学校|小学|中学|大学|学院|幼儿园|委员会|协会|基金会|合作社|商行|经营部|门市部|厂|局)",
    re.IGNORECASE,
)
# Words before a title: "抬头是…", "开成…", "公司名称：…".
TITLE_LEAD = re.compile(
    r"^.*?(?:抬头(?:是|写|为|开|改成|换成)?|名称(?:是|为)?|开成|开到|改成|换成|写成|开给|单位是|公司是)[:：\s]*"
)
# A request in front of the name: "帮我开…", "给我换成…"; a correction's "是…" (名字打错了 是…公司).
REQUEST_LEAD = re.compile(r"^(应该是|是|帮我|给我|麻烦|请|我要|要)?(开|开个|开张|改|换|写)?")
# How the invoice is sent: "电子的就行", "要纸质的" (every invoice here is electronic).
FORM_WORDS = re.compile(r"电子(的|版|发票|票)?|纸质|纸的")
# The end of a tax number corrected on its own: "税号…最后应该是3T2W", "后四位是3T2W".
TAX_NO_TAIL = re.compile(
    r"(?:最后|末尾|后面|后\s*[0-9一二三四五六七八]\s*位|尾数)[^0-9a-z]{0,6}?([0-9a-z]{2,8})(?![0-9a-z])"
)
# Words about the tax number's characters (少一位, 多了一位, 写错了一位, 位数不对): inside the
# invoice talk they are about the number, never a missing item.
TAX_NO_DIGITS = re.compile(
    r"(?:少|多|缺|差|漏)了?(?:一|两|二|三|1|2|3)?位|(?:写|打|输|填|抄|看|记)错了?(?:一|1)?位|位数|几位|多少位"
)
# A person's name as a personal invoice's title: after 抬头/名字 or a personal title word
# ("个人的 抬头张丽娟", "个人抬头 写王磊就行"), starting with a common surname.
PERSON_LEAD = re.compile(
    r"(?:抬头|名字|姓名)[:：\s]*(?:是|写|为|开|填|叫|改|换)?(?:成|的是)?[:：\s]*"
    r"|(?:个人|私人)(?:的|抬头)?(?:的)?[:：,，\s]+"
)
_HAN_RUN = re.compile(r"[\u4e00-\u9fa5]{2,8}")
_NAME_TAIL = re.compile(r"(?:就行|就好|就可以|即可|吧|的|哈|呀|啊|呢|谢谢|可以|行)+$")
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮"
    "柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古"
    "吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫"
    "寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐")
_NOT_A_NAME = re.compile(r"公司|单位|发票|抬头|个人|名字|开票|普票|专票|电子|纸质|税号|邮箱")
GENERIC_TITLES = re.compile(
    r"^(我们|我|本|贵|你们|咱们|我司|该|这个|那个|个人)?(公司|单位|企业)$|抬头|发票|帮我|给我"
    # words around a company named, not its name (还有我们公司, 我已经申请了公司, 这单要开公司)
    r"|我们|咱们|你们|申请|还有|^我(?:已经|的|是)|这单|那单|订单|要开|想开|开个|需要开|得开"
    # the one named before, not a name (还是原来的公司, 就用之前那个单位)
    r"|原来|原先|之前|以前|刚才|还是|不改"
    # whose company, not its name (那是我老公公司的: trial 24, T837)
    r"|^(?:那|这)是|老公|老婆|爱人|对象|男朋友|女朋友|朋友的|同事的|我爸|我妈|亲戚|别人|他们|她们"
)


@dataclass(frozen=True)
class InvoiceWish:
    """What the words ask about the invoice, and what they name (None where they do not)."""

    ask: InvoiceAsk
    kind: InvoiceKind | None = None
    title_type: InvoiceTitleType | None = None
    title: str | None = None
    tax_no: str | None = None
    email: str | None = None
    tax_no_invalid: bool = False  # a tax number was given but it is not a valid code
    tax_no_length: int | None = None  # how many characters the invalid one has (17: one short)
    person: str | None = None  # a person's name given as a personal title (张丽娟)


@dataclass(frozen=True)
class InvoiceDetailsBeforeOrder:
    """A company's title or tax number typed before any order is known (抬头：杭州青禾设计有限公司，
    税号9133…): the tax number checked, and where the details go (the checkout's invoice
    field, or the order once placed)."""

    title: str | None
    tax_no: str | None
    tax_no_invalid: bool = False
    tax_no_length: int | None = None


def details_before_order(text: str) -> InvoiceDetailsBeforeOrder | None:
    """The invoice details the words give (a company title, a tax number right or wrong);
    None when they give none."""
    wish = read_invoice_wish(text)
    if not (wish.title or wish.tax_no or wish.tax_no_invalid):
        return None
    return InvoiceDetailsBeforeOrder(
        wish.title, wish.tax_no, wish.tax_no_invalid, wish.tax_no_length
    )


def read_invoice_wish(text: str) -> InvoiceWish:
    """The shopper's invoice wish in their own words."""
    clean = normalise(text)
    if CHANGE_WORDS.search(clean):
        ask = InvoiceAsk.CHANGE
    elif REQUEST_WORDS.search(_request_words(clean)):
        ask = InvoiceAsk.REQUEST
    else:
        ask = InvoiceAsk.STATUS
    kind = InvoiceKind.SPECIAL if SPECIAL_WORDS.search(clean) else None
    title = find_title(text)
    tax_no, invalid_length = read_tax_no(clean)
    tax_no_invalid = invalid_length is not None
    person = None if title or tax_no or kind else person_named(text)
    if (PERSONAL_WORDS.search(clean) or person) and not (title or tax_no or kind):
        title_type: InvoiceTitleType | None = InvoiceTitleType.PERSONAL
    elif kind or title or tax_no or COMPANY_WORDS.search(clean) or ask == InvoiceAsk.CHANGE:
        title_type = InvoiceTitleType.COMPANY  # a title "written wrong" is a company's
    else:
        title_type = None
    found_email = email_in(clean)
    return InvoiceWish(
        ask,
        kind,
        title_type,
        title,
        tax_no,
        found_email,
        tax_no_invalid,
        tax_no_length=invalid_length,
        person=person,
    )


def email_in(text: str) -> str | None:
    """The email address the words give (one the invoice can be sent to), or None."""
    email = EMAIL.search(normalise(text))
    return email.group(0) if email and len(email.group(0)) <= MAX_EMAIL_CHARS else None


def _request_words(clean: str) -> str:
    """The words that may ask for an invoice: a request already made (申请的那个, 之前申请过)
    asked about with how far it has got (开了没, 啥时候能开出来) is the invoice on record, so
    its 申请 is left out; a title or a tax number given still asks for one."""
    if not STATUS_WORDS.search(clean) or find_title(clean) or tax_no_in(clean) != (None, False):
        return clean
    return PAST_REQUEST.sub(" ", clean)


def person_named(text: str) -> str | None:
    """A person's name the words give as the invoice's title ("个人的 抬头张丽娟" → 张丽娟), or
    None: a run of 2-4 Chinese characters after 抬头/名字 or a personal title word, beginning
    with a common surname, without the words around it (就行, 吧)."""
    printed = unicodedata.normalize("NFKC", text or "")
    for lead in PERSON_LEAD.finditer(printed):
        run = _HAN_RUN.match(printed, lead.end())
        if run is None:
            continue
        name = _NAME_TAIL.sub("", re.sub(r"^(?:写|是|为|叫|填)+", "", run.group(0)))
        surname = next((c for c in COMPOUND_SURNAMES if name.startswith(c)), name[:1])
        if (
            2 <= len(name) <= 4
            and len(name) > len(surname)
            and (surname in COMPOUND_SURNAMES or surname in SURNAMES)
            and not _NOT_A_NAME.search(name)
        ):
            return name
    return None


def kind_named(text: str) -> InvoiceKind | None:
    """The invoice kind the words settle on, if any: 普票也行 or 不是专票 is the normal one,
    whatever was asked about before."""
    clean = normalise(text)
    if NORMAL_WORDS.search(clean) or _NOT_SPECIAL.search(clean):
        return InvoiceKind.NORMAL
    return InvoiceKind.SPECIAL if SPECIAL_WORDS.search(clean) else None


def tax_no_in(text: str) -> tuple[str | None, bool]:
    """A valid tax number in the words, and whether an invalid one was given instead."""
    code, invalid_length = read_tax_no(text)
    return code, invalid_length is not None


def read_tax_no(text: str) -> tuple[str | None, int | None]:
    """A valid tax number in the words, else how many characters the invalid one given has
    (17: one short of the code's 18); (None, None) when the words give none. Numbers typed
    one after another (the tax number, then the order number) are never run together."""
    invalid_length = None
    for candidate in _tax_no_candidates(normalise(text)):
        if candidate.isdigit() and len(candidate) != TAX_NO_CHARS:
            continue  # an order number or a phone number, not a tax number
        if (code := check_tax_no(candidate)) is not None:
            return code, None
        if invalid_length is None:
            invalid_length = len(candidate)
    return None, invalid_length


def _tax_no_candidates(clean: str) -> Iterator[str]:
    """What may be a tax number in the (normalised) words: a whole number typed on its own,
    or short groups typed with spaces or dashes between them (9133 0106 MA2…) joined up."""
    for run in ALNUM_RUN.finditer(clean):
        group: list[str] = []
        for token in re.split(r"[\s\-]", run.group(0)):
            if len(token) < TAX_NO_LENGTHS.start:
                group.append(token)
                continue
            yield from _joined(group)
            group = []
            if len(token) in TAX_NO_LENGTHS:
                yield token
        yield from _joined(group)


def _joined(group: list[str]) -> Iterator[str]:
    joined = "".join(group)
    if len(joined) in TAX_NO_LENGTHS:
        yield joined


def check_tax_no(text: str) -> str | None:
    """The 18-character unified social credit code in `text` (upper case), or None when it is
    not one: wrong length, a letter the code never uses, or a wrong check character."""
    code = re.sub(r"[\s\-]", "", normalise(text)).upper()
    if len(code) != TAX_NO_CHARS or any(c not in CODE_ALPHABET for c in code):
        return None
    total = sum(CODE_ALPHABET.index(c) * w for c, w in zip(code, CODE_WEIGHTS, strict=False))
    return code if CODE_ALPHABET[(31 - total % 31) % 31] == code[-1] else None


def tax_no_check_character(first17: str) -> str:
    """The check character that completes a 17-character code (for demo data and tests)."""
    total = sum(CODE_ALPHABET.index(c) * w for c, w in zip(first17, CODE_WEIGHTS, strict=True))
    return CODE_ALPHABET[(31 - total % 31) % 31]


def find_title(text: str) -> str | None:
    """A company or organisation name in the words (…有限公司, …研究院, …学校), or None."""
    printed = unicodedata.normalize("NFKC", text or "")  # names keep their capitals
    for part in re.split(r"[\s,，;；。!！?？:：]+", printed):  # 子公司：成都云帆…有限公司
        match = ORGANISATION.search(part)
        if match is None:
            continue
        named = REQUEST_LEAD.sub("", TITLE_LEAD.sub("", part[: match.end()]))
        if (title := check_title(named)) is not None:
            return title
    return None


def check_title(text: str) -> str | None:
    """A usable company title (4-100 characters, not just "我们公司"), as it will be printed."""
    title = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).strip("：:，,。. ")
    title = title.replace("(", "（").replace(")", "）")
    if not MIN_TITLE_CHARS <= len(title) <= MAX_TITLE_CHARS or GENERIC_TITLES.search(title):
        return None
    if len(re.findall(r"[\u4e00-\u9fa5]", title)) < 2:  # a tax number, an order number, "ok"
        return None
    return title


def tax_no_tail(text: str) -> str | None:
    """The end of a tax number the words correct ("税号填错了一位 最后应该是3T2W" → "3T2W"),
    when they name no whole one (upper case)."""
    clean = normalise(text)
    if "税号" not in clean or tax_no_in(clean) != (None, False):
        return None
    match = TAX_NO_TAIL.search(clean)
    tail = match.group(1).upper() if match else None
    return tail if tail and all(c in CODE_ALPHABET for c in tail) else None


def talks_of_tax_no_digits(text: str) -> bool:
    """Whether the words are about the tax number's characters (少一位？, 多打了一位, 位数不对)."""
    return bool(TAX_NO_DIGITS.search(normalise(text)))


def only_agrees(text: str) -> bool:
    """Whether invoice words add nothing to an ordinary invoice said back for a yes (普票就行,
    还发原来的邮箱, 电子的就可以): no title, tax number, e-mail or personal title, and no kind
    but the ordinary one."""
    wish = read_invoice_wish(text)
    clean = normalise(text)
    changes = wish.title or wish.tax_no or wish.tax_no_invalid or wish.email or tax_no_tail(clean)
    if changes or PERSONAL_WORDS.search(clean):
        return False
    return kind_named(clean) in (None, InvoiceKind.NORMAL)


def gives_details(text: str) -> bool:
    """Whether the words give invoice details (a title, a tax number or its end, a personal
    title, the kind, how it is sent, an e-mail): a typed answer to an invoice question."""
    wish = read_invoice_wish(text)
    clean = normalise(text)
    return bool(
        wish.title
        or wish.tax_no
        or wish.tax_no_invalid
        or wish.email
        or PERSONAL_WORDS.search(clean)
        or kind_named(clean)
        or FORM_WORDS.search(clean)
        or tax_no_tail(clean)
        or talks_of_tax_no_digits(clean)
    )

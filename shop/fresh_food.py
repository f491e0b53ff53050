"""Fresh food that arrived bad, under the shop's fresh-food policy (shop/problem_policy.yaml).

Reported within the policy's hours of signing for it, with a photo, the shopper gets the bad
share refunded (by the share they say is bad, or the one a person sees on the photo) or the bad
pieces sent again; later than that a person decides. `fresh_claim_check` says what the claim
will be for the shopper's yes and changes nothing; `open_fresh_claim` records it.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from sqlalchemy.orm import Session

from core.events import EventName, record_event
from core.spoken import NUMBER_WORD, SaidNumber, said_number, written_numbers
from core.text import normalise
from shop.aftersales import RefundArrival, add_after_sale, delivered_at, refund_arrival
from shop.logistics import NotDeliveredYet
from shop.models import AfterSale, AfterSaleKind, AfterSaleStatus, Order
from shop.orders import LONG_NUMBER
from shop.problem_policy import FreshRemedy, ProblemPolicy, load_problem_policy
from shop.problems import is_fresh
from shop.regions import province

CENT = Decimal("0.01")

NUMBER = f"({NUMBER_WORD})"  # 12, 十二, 二十来, 五六
ROUGHLY = r"(?:大概|差不多|大约|约|将近|估计|能有|起码|至少)"
UNIT = r"(?:个|只|颗|枚|粒|串|根|盒|袋|斤|块)"
BAD = r"(?:坏|烂|霉|臭|不新鲜|变质|软|蔫|裂|破|压|碎|伤|不能吃|没法吃|扔)"
BAD_COUNT = (  # in this order: 一共12个烂了4个 is 4
    re.compile(BAD + r"[了的掉果]{0,2}有?" + ROUGHLY + "?" + NUMBER + UNIT),  # 烂了3个
    # 3个烂了, 三个是坏的, 一个磕破了
    re.compile(NUMBER + UNIT + r"?(?:都|全|也)?(?:是|已经)?(?:被)?(?:磕|碰|摔|挤|冻|发)?" + BAD),
)
# A count after a place (箱里有五六个烂的, 里面有3个坏的) with a bad word right after it is the bad
# pieces, never the total; one with a bad count after it is the total (一箱20个 烂了5个).
_NOT_BAD_AFTER = (
    r"(?:左右|上下)?(?![的都是已经被磕碰摔挤冻发]{0,4}"
    + BAD
    + r"(?![了的掉果]{0,2}有?"
    + ROUGHLY
    + "?"
    + NUMBER_WORD
    + UNIT
    + "))"
)
# How a total is led in: 一箱有, 总共是, 一箱也就 (二十来个), 总共才.
_TOTAL_IS = r"(?:也)?(?:就是|就|有|是|才)?"
TOTAL_COUNT = (  # 一箱大概二十来个, 总共差不多30个: an approximate total too
    re.compile(r"(?:一共|总共|共)" + _TOTAL_IS + ROUGHLY + "?有?" + NUMBER + UNIT),
    re.compile(
        r"(?:一箱|整箱|箱里|箱子里|里面)"
        + _TOTAL_IS
        + ROUGHLY
        + "?有?"
        + NUMBER
        + UNIT
        + _NOT_BAD_AFTER
    ),
    re.compile(NUMBER + UNIT + r"(?:里|里面|中|当中|中间)"),  # 12个里有4个烂的
    re.compile(ROUGHLY + "有?" + NUMBER + UNIT + _NOT_BAD_AFTER),  # 差不多30个 坏了5个
)
# A count added to those said before (还有一个压扁了, 另外2个裂了), not one replacing them.
ADDED = re.compile(r"(?:还有|另外|另有|又有|又|再加上|加上|外加)(?:发现|看到|找到|有)?$")
# Bad pieces said without a number (好几个烂的, 烂了一些): how many is not known.
VAGUE_BAD = re.compile(
    r"(?:好几|几|一些|好些|不少|好多|很多|许多)[个只颗]?(?:都|全|也)?(?:是|已经)?"
    + BAD
    + "|"
    + BAD
    + r"[了的掉]{0,2}(?:好几|几|一些|好些|不少|好多|很多|许多)"
)
SLASH = re.compile(r"(\d{1,3})/(\d{1,3})")
FRACTION = re.compile(r"([一二两三四五六七八九十\d])分之([一二三四五六七八九\d])")
PERCENT = re.compile(r"(?:百分之(\d{1,3}|[一二三四五六七八九十]{1,3})|(\d{1,3})(?:%|个点))")
TENTHS = re.compile(r"(?<![变换改])([一二两三四五六七八九\d])成")
ALL_BAD = re.compile(r"(?:全|都|全部|整箱|一箱|所有的?)(?:都)?(?:是|已经)?" + BAD)
# Asking for the whole box back, as a 7-day no-reason return (fresh food has none).
WHOLE_RETURN = re.compile(
    r"七天无理由|7天无理由|无理由|全部退|全退|整箱退|退整箱|都退了|全都退|不想要了"
)
PAYMENT_WORDS = (
    ("微信支付", re.compile(r"微信|vx|wx", re.IGNORECASE)),
    ("花呗", re.compile(r"花呗")),
    ("支付宝", re.compile(r"支付宝|zfb", re.IGNORECASE)),
    ("银行卡", re.compile(r"银行卡|信用卡|储蓄卡|网银|刷卡")),
)
RESEND_WORDS = re.compile(
    r"补发|重发|再发|补寄|重新发|再寄|补(一|个|些)|换(一|个)?箱|补给我|(要|来|拿|给我)(个|一个|箱|一箱)?新的"
)
REFUND_WORDS = re.compile(r"退款|退钱|退.{0,2}钱|赔钱|退一部分|按比例")


def chinese_number(text: str) -> int | None:
    """12, 十二, 两, 二十五, 二十来 (about 20) as a number; None when it is not one."""
    said = said_number(text)
    return said.value if said else None


@dataclass(frozen=True)
class BadShare:
    """How much of the fresh food the shopper says is bad: pieces (3 of 12), or a share
    (一半, 三分之一, 30%, 全烂了)."""

    bad: int | None = None
    total: int | None = None
    fraction: Fraction | None = None
    rough_total: bool = False  # the total said as about so many (二十来个, 差不多30个)

    @property
    def share(self) -> Fraction | None:
        if self.fraction is not None:
            return self.fraction
        if self.bad and self.total and self.bad <= self.total:
            return Fraction(self.bad, self.total)
        return None

    @property
    def percent(self) -> int | None:
        share = self.share
        return None if share is None else round(share * 100)


def _fraction(clean: str) -> Fraction | None:
    """A share said as one (一半, 三分之一, 30%, 两成), not as pieces."""
    if "一半" in clean:
        return Fraction(1, 2)
    if match := FRACTION.search(clean):
        whole, part = chinese_number(match[1]), chinese_number(match[2])
        if whole and part and part <= whole:
            return Fraction(part, whole)
    if match := PERCENT.search(clean):
        value = chinese_number(match[1] or match[2])
        if value and value <= 100:
            return Fraction(value, 100)
    if match := TENTHS.search(clean):
        value = chinese_number(match[1])
        if value and value <= 10:
            return Fraction(value, 10)
    return None


def _total(clean: str) -> SaidNumber | None:
    """The total the message says (一共12个, 一箱大概二十来个: about 20), else None."""
    for pattern in TOTAL_COUNT:
        if (match := pattern.search(clean)) and (said := said_number(match[1])) and said.value:
            after = clean[match.end() : match.end() + 2]
            rough = (
                said.approximate
                or bool(re.search(ROUGHLY + "|左右|上下", match[0]))
                or after in ("左右", "上下")
            )
            return SaidNumber(said.value, rough)
    return None


@dataclass(frozen=True)
class _BadCounts:
    """The bad pieces one message counts: `said` those it counts as they are, `added` those it
    adds to the ones said before (还有一个压扁了), `vague` when it says some without a number."""

    said: int
    added: int
    vague: bool


def _bad_pieces(clean: str) -> _BadCounts:
    """The bad pieces the message counts, each count added (俩烂心的 还有一个磕破了 is 3, 烂了4个
    还有1个压扁了 is 5); a total (一共18个) is no bad count."""
    taken = [m.span() for pattern in TOTAL_COUNT for m in pattern.finditer(clean)]
    said = added = 0
    for pattern in BAD_COUNT:
        for match in pattern.finditer(clean):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            if (value := chinese_number(match[1])) is not None and value:
                taken.append((start, end))
                if ADDED.search(clean[max(0, start - 6) : start]):
                    added += value
                else:
                    said += value
    return _BadCounts(said, added, bool(VAGUE_BAD.search(clean)))


def read_bad_share(messages: list[str]) -> BadShare:
    """What the shopper's messages (oldest first) say is bad; a later message corrects an
    earlier one (一共12个 … 坏了4个 → 4 of 12)."""
    found, unknown = BadShare(), False  # unknown: some were said bad without a number
    for message in messages:
        clean = written_numbers(normalise(message)).replace(" ", "")
        clean = LONG_NUMBER.sub("，", clean)  # 那单5704558530435205烂的: no count in it
        if match := SLASH.search(clean):
            bad, total = int(match[1]), int(match[2])
            if 0 < bad <= total:
                found, unknown = BadShare(bad, total), False
                continue
        if (fraction := _fraction(clean)) is not None:
            found, unknown = BadShare(fraction=fraction), False
            continue
        pieces, said_total = _bad_pieces(clean), _total(clean)
        count = found.bad
        if pieces.said:  # 坏了5个: the count now, with any said as more (还有一个)
            count, unknown = pieces.said + pieces.added, False
        elif pieces.vague:  # 好几个烂的 还有一个压扁了: how many is not known
            count, unknown = None, True
        elif pieces.added and not unknown:  # 还有一个压扁了: one more than before
            count = (count or 0) + pieces.added
        if pieces.said or pieces.added or pieces.vague or said_total:
            found = BadShare(
                count,
                said_total.value if said_total else found.total,
                rough_total=said_total.approximate if said_total else found.rough_total,
            )
        elif ALL_BAD.search(clean):
            found, unknown = BadShare(fraction=Fraction(1)), False
    return found


def said_payment(words: str) -> str | None:
    """The payment method the shopper says they paid with (我微信付的), as orders record it."""
    return next((method for method, pattern in PAYMENT_WORDS if pattern.search(words)), None)


# A remedy said with a no is not chosen (我不想换了 能直接退款吗: a refund, not an exchange;
# 不退不换 补偿点钱就行: neither), nor one said with its drawback (退钱吧 补发还得等好几天,
# 还是退钱吧 补发过来估计也这样).
NOT_CHOSEN = re.compile(
    r"(不想|不要|不用|别|不)(再)?(等)?(换货?|补发|补寄|重发|退款|退钱|退)了?"  # 不想等补发
    r"|(换货?|补发|补寄|重发|退款|退钱)(的话)?(过来|回来)?(还得等|还要等|得等好|要等好|又要等|太慢|太久"
    r"|好慢|好久|太麻烦|好麻烦|麻烦|来不及|等不起|等不了|(估计|可能|肯定|怕|多半)?也(一样|这样|是这样|差不多|没用|好不了))"
    # 补发就行 还是你们只能退钱: asked whether it is the only way, not chosen (那就只能补发了
    # settles on it)
    r"|(还是|难道|是不是)(你们|你)?只能(换货?|补发|补寄|重发|退款|退钱|退)"
    r"|只能(换货?|补发|补寄|重发|退款|退钱|退)(吗|么|嘛|呢|[?？])"
)


def without_refusals(text: str) -> str:
    """The words with every remedy said with a no taken out (退钱就行 不用补发: 退钱就行), for a
    reader that counts each remedy named."""
    return NOT_CHOSEN.sub("", normalise(text).replace(" ", ""))


def read_remedy(messages: list[str], policy: ProblemPolicy | None = None) -> FreshRemedy:
    """The remedy the shopper asked for last (补发, or 退款; not one said with a no), else the
    policy's first."""
    allowed = (policy or load_problem_policy()).fresh_food.remedies
    for message in reversed(messages):
        clean = without_refusals(message)
        resend = [m.end() for m in RESEND_WORDS.finditer(clean)]
        refund = [m.end() for m in REFUND_WORDS.finditer(clean)]
        if resend or refund:
            wished = (
                FreshRemedy.RESEND
                if max(resend, default=-1) > max(refund, default=-1)
                else FreshRemedy.PROPORTIONAL_REFUND
            )
            if wished in allowed:
                return wished
    return allowed[0]


@dataclass(frozen=True)
class FreshClaimToConfirm:
    """What the fresh-food claim will be, for the shopper's yes (nothing is recorded yet).

    `refund` is the proportional refund when the share is known; without it a person sets
    the share from the photo."""

    order_no: str
    product_names: tuple[str, ...]
    paid: Decimal  # what the fresh items cost
    report_by: datetime
    bad: BadShare
    percent: int | None
    remedy: FreshRemedy
    refund: Decimal | None
    refund_channel: str
    within_hours: int
    review_within_hours: int
    other_remedy: FreshRemedy | None  # the one the shopper may ask for instead
    whole_return_asked: bool = False  # 全部退 七天无理由: fresh food has no no-reason return
    said_channel: str | None = None  # the payment method the shopper named, not the record's
    again: bool = False  # said back before and still waiting: only what it will be, in short


@dataclass(frozen=True)
class FreshClaimOpened:
    order_no: str
    remedy: FreshRemedy
    bad: BadShare
    percent: int | None
    refund: Decimal | None
    refund_channel: str
    review_within_hours: int
    arrival: RefundArrival | None = None  # how soon a refund arrives once issued
    said_channel: str | None = None  # the payment method the shopper named, not the record's


@dataclass(frozen=True)
class FreshReportTooLate:
    """Reported after the policy's hours: a person decides."""

    order_no: str
    product_names: tuple[str, ...]
    delivered_at: datetime
    within_hours: int


@dataclass(frozen=True)
class FreshClaimPending:
    """A claim on this order is already waiting for a person."""

    order_no: str
    remedy: FreshRemedy
    review_within_hours: int


FreshClaimCheck = FreshClaimToConfirm | FreshReportTooLate | FreshClaimPending | NotDeliveredYet
CLAIM_KIND = {
    FreshRemedy.PROPORTIONAL_REFUND: AfterSaleKind.REFUND_ONLY,
    FreshRemedy.RESEND: AfterSaleKind.RESEND,
}


def _pending_claim(order: Order) -> AfterSale | None:
    kinds = set(CLAIM_KIND.values())
    return next(
        (a for a in order.after_sales if a.kind in kinds and a.status == AfterSaleStatus.REQUESTED),
        None,
    )


def fresh_claim_check(
    order: Order, now: datetime, messages: list[str], policy: ProblemPolicy | None = None
) -> FreshClaimCheck:
    """The claim the shopper's messages (oldest first) ask for on the order's fresh items,
    or why the bot cannot take it (not delivered, too late, one already waiting)."""
    policy = policy or load_problem_policy()
    rule = policy.fresh_food
    items = [i for i in order.items if is_fresh(i.variant.product, policy)] or order.items
    names = tuple(dict.fromkeys(i.variant.product.name for i in items))
    received = delivered_at(order)
    if received is None:
        return NotDeliveredYet(order.order_no)
    if (pending := _pending_claim(order)) is not None:
        remedy = next(r for r, kind in CLAIM_KIND.items() if kind == pending.kind)
        return FreshClaimPending(order.order_no, remedy, rule.review_within_hours)
    report_by = received + timedelta(hours=rule.report_within_hours)
    if now > report_by:
        return FreshReportTooLate(order.order_no, names, received, rule.report_within_hours)
    paid = sum((i.unit_price * i.quantity for i in items), Decimal("0"))
    bad = read_bad_share(messages)
    remedy = read_remedy(messages, policy)
    share = bad.share
    refund = None
    if share is not None and remedy == FreshRemedy.PROPORTIONAL_REFUND:
        exact = paid * share.numerator / share.denominator
        refund = exact.quantize(CENT, rounding=ROUND_HALF_UP)
    latest = normalise(messages[-1]).replace(" ", "") if messages else ""
    said = said_payment(" ".join(messages))
    return FreshClaimToConfirm(
        order.order_no,
        names,
        paid,
        report_by,
        bad,
        bad.percent,
        remedy,
        refund,
        order.payment_method,
        rule.report_within_hours,
        rule.review_within_hours,
        next((r for r in rule.remedies if r != remedy), None),
        bool(WHOLE_RETURN.search(latest)) and share != 1,
        said if said not in (None, order.payment_method) else None,
    )


def open_fresh_claim(
    session: Session,
    order: Order,
    now: datetime,
    messages: list[str],
    conversation_id: str | None = None,
    policy: ProblemPolicy | None = None,
) -> FreshClaimOpened | FreshClaimCheck:
    """Record the claim the shopper confirmed (checked again): an after-sale request a person
    reviews against the photo, then refunds or resends."""
    checked = fresh_claim_check(order, now, messages, policy)
    if not isinstance(checked, FreshClaimToConfirm):
        return checked
    share = checked.bad.share
    value = checked.refund
    if value is None and share is not None:  # what the resent pieces are worth
        value = (checked.paid * share.numerator / share.denominator).quantize(CENT)
    told = f"{checked.bad.bad or '?'}/{checked.bad.total or '?'}"
    if checked.percent is not None and checked.bad.fraction is not None:
        told = f"{checked.percent}%"
    words = " / ".join(m.strip() for m in messages if m.strip())
    claim = add_after_sale(
        session,
        order,
        CLAIM_KIND[checked.remedy],
        AfterSaleStatus.REQUESTED,
        f"生鲜坏果 {told}：{words}",
        value or Decimal("0"),  # 0: a person sets it from the photo
        now,
    )
    record_event(
        session,
        EventName.FRESH_CLAIM_OPENED,
        order.order_no,
        order_no=order.order_no,
        cause=checked.remedy,
        conversation_id=conversation_id,
        region=province(order.shipping_address),
        value=checked.refund,
        payload={
            "after_sale_id": claim.id,
            "bad": checked.bad.bad,
            "total": checked.bad.total,
            "percent": checked.percent,
            "set_by_person": share is None,
        },
        occurred_at=now,
    )
    return FreshClaimOpened(
        order.order_no,
        checked.remedy,
        checked.bad,
        checked.percent,
        checked.refund,
        checked.refund_channel,
        checked.review_within_hours,
        refund_arrival(order.payment_method),
        checked.said_channel,
    )

"""Questions a shopper asks about the problem being handled in their conversation.

Once a case is open, shoppers follow up in a few words: 照片怎么发给你, 三张够吗, 会不会是分开发的,
错的要我寄回去吗, 能不能先把对的发过来, 多久能给我换好, 真丢了怎么办 给补发吗, 能不能快点, and
close with a remark (下次给我挑好点的哈). `case_question` reads which question it is;
`ask_about_case` answers it from the case, the order's record and the shop's policy (remedies,
promised times) as a fact that `words` says. A chase is recorded on the case (`case.chased`); a
chase after the promised answer time says a person takes the case over.

A decision in plain words (能直接退款吗, 嗯 那就退款吧, 还是补发吧) switches the case's remedy
among those the policy offers: `remedy_choice` reads it, `remedy_switch` says it back with the
amount, and `choose_remedy` records it on the case on the shopper's yes. A problem said back or
claimed without a logistics case (bad fresh food, a quality return) gets the same photo answer
(`problem_photos`). Keeping the item for some money instead (补偿点钱就行, 退一半吧) is no remedy
the bot can settle: `compensation_asked` says back that a person sets the amount, and
`note_compensation` writes the wish on the case on the yes.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.clock import to_shop_time
from core.events import Event, EventName, record_event
from core.text import normalise
from shop.aftersales import MoneyBack, money_back
from shop.fresh_food import chinese_number, said_payment, without_refusals
from shop.logistics import AFTER_DELIVERY, DETAIL_LENGTH
from shop.models import CaseKind, CaseStatus, LogisticsCase, Order, OrderStatus, Remedy, Shipment
from shop.policy import LogisticsPolicy, load_policy
from shop.presale import named_variant_terms
from shop.problem_policy import load_problem_policy
from shop.regions import province


class CaseQuestion(StrEnum):
    PHOTO_UPLOAD = "photo_upload"  # 照片怎么发给你, 照片要拍哪些, 三张够吗
    SPLIT_SHIPMENT = "split_shipment"  # 会不会是分开发的
    SHIP_FIRST = "ship_first"  # 能不能先把对的发过来 错的我后面再寄
    RETURN_TRIP = "return_trip"  # 错的那个要我寄回去吗 运费谁出
    REMEDY = "remedy"  # 真丢了怎么办 给补发吗
    HURRY = "hurry"  # 能不能快点
    REFUND_TIME = "refund_time"  # 要是最后退钱 多久能到我卡上: the refund's way and time
    HOW_LONG = "how_long"  # 多久能给我换好, 补发多久能到, 审核要多久
    CLOSING = "closing"  # 下次给我挑好点的哈, 好 有消息马上告诉我, 明天还不动我再来找你
    WHO_SIGNED = "who_signed"  # 谁签的, 签收人是谁: the order's own record
    COUPON = "coupon"  # 那个券有期限没有, 券到啥时候, 券什么时候发: the case's coupon
    PROGRESS = "progress"  # 物流那边咋说, 查到了吗, 有消息了没: what has come of it so far
    WHY_APPROVAL = "why_approval"  # 为什么还要主管确认: the order's value over the threshold


COUNT = r"[\d一二两三四五六七八九十几]+"
# The first that matches wins: 照片什么时候发 is about photos, 丢了多久能补发 about the remedy.
QUESTION_PATTERNS = (
    (
        CaseQuestion.WHY_APPROVAL,
        r"(?:为什么|为啥|凭什么|干嘛)[^，,。联找]{0,4}主管[^，,。]{0,2}(?:确认|审核|批|同意)"
        r"|主管[^，,。]{0,4}(?:确认|审核|批)(?:什么|啥)",
    ),
    (CaseQuestion.WHO_SIGNED, r"谁(签|代签|代收|收的|拿的|拿走)|签收人|签收的?(人|是谁)|被谁"),
    (
        CaseQuestion.PROGRESS,
        r"(怎么|咋|如何)(说|讲|回|答复)|说(什么|啥)了?|回(复|话|音)了?(吗|没|么)|答复了?(吗|没|么)"
        r"|查到了?(吗|没|么|什么|啥)|查(得|的)(怎么样|咋样)|(怎么样|咋样)了|"
        r"有(消息|结果|进展|回音|动静|回复)了?(吗|没|么|不)",
    ),
    (
        CaseQuestion.PHOTO_UPLOAD,
        r"照片|相片|图片|拍照|拍[个张几]?图|截图|上传|发图|传图|图[已都]?经?[发传]|视频|凭证"
        rf"|{COUNT}张(照片|图)?(够|行|可以|就)|拍(哪|什么|啥)|拍了.{{0,12}}(够|行)|拍好了|拍完了"
        # 面单也要拍 箱子我扔了, 拍了 怎么发你: which photos, and where they go
        r"|面单|外箱|(?:箱子|盒子|包装)[^，,。]{0,4}(?:扔|丢|没了|不在)|(?:怎么|咋|往哪|发哪)发(?:给)?你",
    ),
    (
        CaseQuestion.SPLIT_SHIPMENT,
        r"分开(发|寄|送|打包)|分(批|两次|几次)|拆(单|开发|包)|分[两几2][个件]?(包裹|快递|箱)"
        r"|另[一外][个件]?(包裹|快递)|还有[一个]*(包裹|快递)|第二个?(包裹|快递)|单独(发|寄)",
    ),
    (CaseQuestion.SHIP_FIRST, r"先(把|给我|帮我)?[^，。,.]{0,6}(发|寄)(过来|给我|出来|来)?"),
    (
        CaseQuestion.RETURN_TRIP,
        r"运费|邮费|快递费|寄回|退回去|寄过去|寄给你们|要我(自己)?寄|上门来?(取|拿|收)|取件|要退回|用寄"
        r"|(来|过来)(拿|取|收)(走|回去)?(吗|不|么)|放哪|怎么处理(那|这)?个?(错|坏)"
        # 38那双我怎么处理: the one that came wrong or broken, what becomes of it
        r"|(?:那|这)(?:双|件|个|只|台|本|盒|箱|瓶)[^，,。]{0,4}(?:怎么处理|咋处理|怎么弄|咋办)"
        # 我自己找快递? 寄哪啊: who sends it back, and where (补发的寄哪: the new one's way)
        r"|自己(找|叫|约|下单|发)?个?快递|(?<!补发的)(?<!补发)(?<!新的)寄(到)?哪",
    ),
    (
        CaseQuestion.REFUND_TIME,
        r"(?:退钱|退款|钱)[^，,。]{0,8}(?:多久|几天|多长时间|什么时候|啥时候|到账|到卡|退到|退回)"
        r"|(?:多久|几天|什么时候|啥时候)[^，,。]{0,4}(?:退钱|退款|到账)"
        # 退银行卡多久, 退到支付宝要几天: where the money goes, and when
        r"|退(?:到|回)?(?:银行卡|卡里?|支付宝|微信|花呗|白条|原路)[^，,。]{0,6}"
        r"(?:多久|几天|多长时间|什么时候|啥时候|到账)"
        # 退款退哪 我用的花呗: where the money goes back (货退到哪, 退哪一件: not the money)
        r"|(?:钱|款)[^，,。]{0,2}退(?:到|回)?哪(?:里|儿)?(?![个件些一])",
    ),
    (
        CaseQuestion.REMEDY,
        r"丢|补发|重发|重新.{0,3}发|再.{0,2}发一|退款|退钱|赔|怎么办|怎么处理|怎么弄|管不管|负责",
    ),
    (
        CaseQuestion.HURRY,
        r"快点|快一点|快些|加急|催|尽快|急用|着急|急着|急死|急需|抓紧|赶紧|能不能快|等不及|等不了",
    ),
    (
        CaseQuestion.HOW_LONG,
        r"多久|(?<![前这那好])几天|多长时间|什么时候|啥时候|几号|几点|哪天|哪一天|要等|还得等|等到|换好|补好"
        r"|处理好|好了没"
        r"|结果|进度"
        # 今天能给我发吗, 明天能补发吗: the replacement's (今天能发吗 asks after the order's own)
        r"|(?:今天|明天|马上|现在)(?:就)?(?:能|可以)?(?:给我(?:发|寄)|补发|换)",
    ),
    (
        CaseQuestion.CLOSING,
        r"下次|以后(注意|给我)|挑好|有消息|有结果|通知我|告诉我一声|告诉我|等你(们)?消息|麻烦了|辛苦"
        r"|再来找你|再来问|明天再说"
        r"|就这样|那就这样|好的?吧$|^(好|行|嗯|ok|OK)[的吧啊哈]?$",
    ),
)
_PATTERNS = tuple((question, re.compile(pattern)) for question, pattern in QUESTION_PATTERNS)
# The coupon the case gives (那个券有期限没有, 券到啥时候能用): asked before anything else, since
# a coupon is also a word of buying.
COUPON_ASKED = re.compile(
    r"券.{0,6}(期限|有效|过期|多久|几天|到(啥|什么)时候|(什么|啥)时候|哪天|发了|到账|怎么用|咋用|能用|用不了"
    r"|不会用|门槛|是啥|是什么|都有|也有|有吗|有没有|都给|给吗)"
)
# Questions about buying, not about the case: 什么时候补货 is about stock.
NOT_ABOUT_THE_CASE = re.compile(r"补货|有货|到货通知|库存|现货|优惠|活动|降价|便宜|发票|价保")


# A return of the goods once they are in hand (收到以后再退, 七天无理由退, 到了不想要): asked while
# their parcel is still on its way, it is no question about the case.
RETURN_LATER = re.compile(
    r"(?:收到|到了|签收|拿到|到手)(?:以后|之后|后)?[^，,。]{0,8}退|无理由|不想要|退货|退回"
)


def returns_later(text: str) -> bool:
    """Whether the words speak of sending the goods back once they arrive (收到以后再退呢)."""
    return bool(RETURN_LATER.search(normalise(text)))


# The day the parcel arrives asked (哪天到, 什么时候能送到, 几号到).
ARRIVAL_ASKED = re.compile(
    r"(?:哪天|哪一天|什么时候|啥时候|几号|多久)(?:能|才|可以)?(?:到|送到|送来|收到)"
)
# 那补发吧 多久能到 asks when, not what: the remedy is only named. What if it is lost does not.
IF_LOST = re.compile(r"丢|找不到|怎么办|怎么处理|管不管|负责")
_HOW_LONG = dict(_PATTERNS)[CaseQuestion.HOW_LONG]


def case_question(text: str) -> CaseQuestion | None:
    """Which follow-up about an open case the message asks, if any."""
    clean = normalise(text)
    if COUPON_ASKED.search(clean):
        return CaseQuestion.COUPON
    if NOT_ABOUT_THE_CASE.search(clean):
        return None
    found = next((question for question, pattern in _PATTERNS if pattern.search(clean)), None)
    if found == CaseQuestion.REMEDY and _HOW_LONG.search(clean) and not IF_LOST.search(clean):
        return CaseQuestion.HOW_LONG
    return found


class PhotoAsk(StrEnum):
    """What the shopper asked about the photos."""

    WHERE = "where"  # 照片怎么发 / 照片发哪
    WHICH = "which"  # 照片要拍哪些
    ENOUGH = "enough"  # 三张够吗 / 要拍几张


WHICH_PHOTOS = re.compile(r"拍(哪|什么|啥)|哪些|哪几张|什么照片|啥照片|要拍")
HOW_MANY = re.compile(rf"几张|多少张|({COUNT})张|够(吗|不够|了吗|了没|么)|行(吗|不行)")


def photo_ask(text: str) -> tuple[PhotoAsk, int | None]:
    """What a photo question asks, and how many photos the shopper says they took (三张够吗: 3)."""
    clean = normalise(text).replace(" ", "")
    if match := HOW_MANY.search(clean):
        count = chinese_number(match[1]) if match[1] and match[1] != "几" else None
        return PhotoAsk.ENOUGH, count
    if WHICH_PHOTOS.search(clean):
        return PhotoAsk.WHICH, None
    return PhotoAsk.WHERE, None


class PhotoSubject(StrEnum):
    """What the photos must show, by the problem being handled."""

    DAMAGED = "damaged"  # the outer box, the waybill, the damage
    WRONG_ITEM = "wrong_item"  # the item received with its label, the box, the waybill
    MISSING_ITEM = "missing_item"  # everything received laid out, the box, the waybill
    FRESH = "fresh"  # the bad pieces laid out, the whole box, the waybill
    QUALITY = "quality"  # the defect close up, the whole item, its label
    NONE = "none"  # a late or lost parcel: the carrier's records decide


PHOTO_SUBJECT = {
    CaseKind.DAMAGED: PhotoSubject.DAMAGED,
    CaseKind.WRONG_ITEM: PhotoSubject.WRONG_ITEM,
    CaseKind.MISSING_ITEM: PhotoSubject.MISSING_ITEM,
    CaseKind.DELAYED: PhotoSubject.NONE,
    CaseKind.LOST: PhotoSubject.NONE,
}
PHOTOS_NEEDED = 3  # each subject's photos are three shots (words/storefront.yaml names them)


class CaseChoice(StrEnum):
    """What the shopper chooses among the remedies of their case, in plain words."""

    RESHIP = "reship"  # 补发 / 重新发一个 / 我想要个新的
    REFUND = "refund"  # 退款 / 退钱
    EXCHANGE = "exchange"  # 换货 / 换成对的
    COMPENSATION = "compensation"  # 补偿点钱就行 / 退一半吧: the item kept, some money back


# In each, the words of the choice; the last named wins, and on a tie the later entry here (退点钱
# is some money back, not the full refund).
CHOICE_WORDS = (
    (CaseChoice.REFUND, re.compile(r"退款|退钱|退.{0,2}钱|全额退|退了吧|退吧|钱退")),
    (
        CaseChoice.RESHIP,
        re.compile(
            r"补发|重发|补寄|重新发|再发一?个|发个新的|发一个新的|补一个"
            r"|(要|来|拿|给我)(个|一个|件|一件|台|一台)?新的"
        ),
    ),
    (
        CaseChoice.EXCHANGE,
        re.compile(
            r"换货|换一个|换个(新|对|正确)|换成(对|正确)|换吧|给我换|(要|想)换(?![成个一])"
            r"|换新(?!的?(地址|号码|手机|电话))"  # 直接换新吧
            # 换黑色L, 换39码: a colour or a size named (never 换手机号, 换个号码)
            r"|换(?:成|个)?(?:[^\s，,。]{0,3}色|[0-9a-z]{1,4}(?:码|号))(?!.{0,3}(?:吗|么|呢|有没有|还有))"
        ),
    ),
    (
        CaseChoice.COMPENSATION,
        re.compile(
            r"补偿|赔(点|些|一点|一些|偿)|补(点|些|一点|一些)钱|给(点|些|一点)钱|退(个)?(一半|半价)"
            r"|退(一部分|部分|点|些|一点)(钱|差价)?|部分退款"
        ),
    ),
)
# The choices each remedy of the policy leaves to the shopper.
CHOICES = {
    Remedy.RESHIP_OR_REFUND: frozenset({CaseChoice.RESHIP, CaseChoice.REFUND}),
    Remedy.EXCHANGE: frozenset({CaseChoice.EXCHANGE, CaseChoice.RESHIP}),
    Remedy.SEND_MISSING: frozenset({CaseChoice.RESHIP}),
}
CHOSEN_MARK = "［买家选择］"  # before the choice written on the case's detail, seen by agents


# Words that ask when or where rather than choose (多久能退钱, 钱退哪): a question, no choice.
ASKS_WHEN_OR_WHERE = re.compile(r"多久|几天|多长时间|什么时候|啥时候|到账|退(到|回)?哪|哪里|哪儿")


def stated_choice(text: str) -> CaseChoice | None:
    """The remedy the words choose, when they choose one rather than ask about it (多久能退钱
    asks; 能给我换个新的吗 chooses)."""
    if ASKS_WHEN_OR_WHERE.search(normalise(text)):
        return None
    return remedy_choice(text)


def asks_which_remedy(text: str) -> bool:
    """Whether the words ask which of two remedies (补寄还是退款, 重发还是退钱), not choose."""
    clean = without_refusals(text)
    named = {choice for choice, words in CHOICE_WORDS if words.search(clean)}
    return len(named) > 1 and "还是" in clean


# Where a message's clauses part (退钱还是重发啊 我要重发: the last clause decides).
_CLAUSE_BREAK = re.compile(r"[\s，,。.!！；;~～]+")
# A clause that asks whether (会补发吗, 能给我重发么): asked, nothing decided.
_ASKS_WHETHER = re.compile(r"吗|么|嘛|[?？]")
# A request pressed with a 嘛 (先给我补发一个嘛): asked for, not asked about (干嘛要退款, 是退款嘛)
_PRESSED = re.compile(r"(?:给我|帮我)[^，,。嘛]{0,8}嘛$")


def decided_choice(text: str) -> CaseChoice | None:
    """The remedy the words settle on, read from the last clause that names one, when that
    clause neither asks which (补发还是退款啊), whether (会给补发吗) nor when or where (多久能退
    钱): 退钱还是重发啊 我要重发 and 我说了要重发 就寄原来那个地址 settle on a reship."""
    clauses = [c for c in _CLAUSE_BREAK.split(normalise(text)) if remedy_choice(c) is not None]
    if not clauses:
        return None
    last = clauses[-1]
    asks_whether = _ASKS_WHETHER.search(last) and not _PRESSED.search(last)
    if asks_which_remedy(last) or asks_whether or ASKS_WHEN_OR_WHERE.search(last):
        return None
    return remedy_choice(last)


def remedy_choice(text: str) -> CaseChoice | None:
    """The remedy the shopper's words choose (the last one named, none said with a no)."""
    clean = without_refusals(text)
    named = [
        (m.end(), rank, choice)
        for rank, (choice, words) in enumerate(CHOICE_WORDS)
        for m in words.finditer(clean)
    ]
    return max(named)[2] if named else None


def open_case_in(
    session: Session, conversation_id: str, order_no: str | None = None
) -> LogisticsCase | None:
    """The latest case opened in this conversation that is still open (on this order, when
    one is given)."""
    query = select(LogisticsCase).where(
        LogisticsCase.conversation_id == conversation_id,
        LogisticsCase.status == CaseStatus.OPEN,
    )
    if order_no is not None:
        query = query.join(Order).where(Order.order_no == order_no)
    return session.scalars(query.order_by(LogisticsCase.opened_at.desc())).first()


@dataclass(frozen=True)
class OpenCase:
    """What the shopper was promised on the case: the remedies (those a supervisor confirms
    first apart), photos or not, and the time of the answer."""

    case_id: int
    order_no: str
    kind: CaseKind
    carrier: str | None
    promised: tuple[Remedy, ...]
    awaiting_approval: tuple[Remedy, ...]
    needs_photo: bool
    reply_by: datetime
    overdue: bool  # the answer time has passed


@dataclass(frozen=True)
class PhotoUpload:
    """Where the photos go (the chat takes no pictures, the order's after-sale page does),
    which three shots they are, whether the ones the shopper took are enough, or that none are
    needed; `case` is None for a problem without a logistics case (bad fresh food, a quality
    return), whose photos a person reviews within `review_within_hours`."""

    case: OpenCase | None
    order_no: str | None  # None: the order is not given yet
    subject: PhotoSubject
    asked: PhotoAsk = PhotoAsk.WHERE
    taken: int | None = None  # how many the shopper says they took
    needed: int = PHOTOS_NEEDED
    reply_by: datetime | None = None
    review_within_hours: int | None = None
    by_logistics: bool = False  # the logistics desk answers (a parcel's case), not after-sales

    @property
    def enough(self) -> bool | None:
        return None if self.taken is None else self.taken >= self.needed


@dataclass(frozen=True)
class CaseParcels:
    """Whether the order went out in more than one parcel (会不会是分开发的), from its shipments:
    the others, each with its carrier, waybill and whether it arrived."""

    case: OpenCase
    parcels: tuple[tuple[str, str, bool], ...]  # (carrier, tracking_no, delivered), all of them

    @property
    def split(self) -> bool:
        return len(self.parcels) > 1

    @property
    def all_arrived(self) -> bool:
        return all(delivered for _, _, delivered in self.parcels)


@dataclass(frozen=True)
class ReturnTrip:
    """Whether the item must go back, who pays, and whether the right one can leave first
    (能不能先把对的发过来), by the case's kind and the problem policy; `case` is None when the
    case is said back for a yes and not opened yet (错的那双要我寄回去吗, asked before the yes)."""

    kind: CaseKind
    case: OpenCase | None
    asked_ship_first: bool
    goes_back: bool  # the wrong item goes back (a damaged one: the specialist says)
    shop_pays: bool
    ship_first: bool  # the right item leaves before the wrong one is back
    send_back_within_days: int
    ships_within_hours: int


@dataclass(frozen=True)
class CaseClosing:
    """A closing remark inside a case (下次给我挑好点的哈): thanked, with what happens next."""

    case: OpenCase


@dataclass(frozen=True)
class RemedySwitchToConfirm:
    """The remedy the shopper chose instead, said back for a yes (nothing is recorded yet):
    the full refund and where it goes, or the reship and how soon it leaves."""

    case: OpenCase
    choice: CaseChoice
    money: MoneyBack  # a full refund: how much, where, how soon
    ships_within_hours: int
    said_channel: str | None = None  # the payment method the shopper named, when not the record's


@dataclass(frozen=True)
class ChoiceBeforeCase:
    """A remedy chosen (要补发 不要退钱) while a damaged item's case waits for its yes, said back
    with it: on the yes the case opens and the choice is written on it."""

    order_no: str
    kind: CaseKind
    choice: CaseChoice
    money: MoneyBack  # a full refund: how much, where, how soon
    ships_within_hours: int
    needs_approval: bool
    # another colour or size asked for the new one (能不能换成雾蓝色), beside the one ordered:
    # the resend is of the goods ordered; another is not promised here
    asked_instead: str | None = None
    ordered: str | None = None


@dataclass(frozen=True)
class RemedyNotOffered:
    """The shopper asked for a remedy the policy does not give for this case (a refund for a
    wrong item): what it gives, and a person for anything else. `case` is None while the case
    waits for the shopper's yes to what it gives."""

    kind: CaseKind
    choice: CaseChoice
    case: OpenCase | None


@dataclass(frozen=True)
class CompensationToConfirm:
    """The shopper keeps the item and asks for some money instead (补偿点钱就行, 不退不换 退一半
    吧). No policy sets that amount, so the bot does not: said back with what happens on the
    yes (a person sees the photos and says the amount in this chat); nothing is paid and the
    case's remedy is unchanged. `case` is None when no case is open (a problem described only)."""

    order_no: str
    case: OpenCase | None


@dataclass(frozen=True)
class CompensationPassedOn:
    """The shopper's yes: the wish is written on the case (if any) and a person takes over."""

    order_no: str
    case: OpenCase | None


@dataclass(frozen=True)
class RemedyChosen:
    """The shopper's choice, recorded on the case for the specialist who settles it."""

    case: OpenCase
    choice: CaseChoice
    money: MoneyBack  # a full refund: how much, where, how soon
    ships_within_hours: int


@dataclass(frozen=True)
class CaseTimeline:
    """When the shopper hears back, how soon a reship or exchange leaves once confirmed, and
    how long the order's own parcel took on the road (补发多久能到: about as long again)."""

    case: OpenCase
    ships_within_hours: int
    transit_days: int | None = None
    chosen: CaseChoice | None = None  # the remedy the shopper already chose: only it is said
    arrival_asked: bool = False  # 哪天到 of a late parcel: no day the carrier has not given

    @property
    def passed_to_agent(self) -> bool:  # the answer is late: a person takes the case over
        return self.case.overdue


@dataclass(frozen=True)
class CaseCoupon:
    """The coupon the case gives: how much, when it is sent and how long it can be used; None
    when the case gives none."""

    case: OpenCase
    coupon_yuan: int | None
    valid_days: int | None


@dataclass(frozen=True)
class CaseProgress:
    """What has come of the case so far (物流那边咋说): nothing yet while it is open, the
    parcel's latest scan for a parcel on its way (and whether it moved since the case opened),
    and when the answer comes."""

    case: OpenCase
    last_scan_at: datetime | None
    last_scan: str | None  # where and what, as the carrier wrote it
    moved_since_opened: bool

    @property
    def passed_to_agent(self) -> bool:  # the answer is late: a person takes the case over
        return self.case.overdue


@dataclass(frozen=True)
class CaseRefundTime:
    """Where the money goes and how soon, should the case end in a refund (the order's amount,
    back the way it was paid); `refund_offered`: the case's remedies include one."""

    case: OpenCase
    money: MoneyBack  # a full refund: how much, where, how soon
    refund_offered: bool


@dataclass(frozen=True)
class CaseRemedies:
    """What the shop does about the case, and what it does if the parcel turns out lost."""

    case: OpenCase
    if_lost: tuple[Remedy, ...]  # empty when the case is not about a parcel on its way
    if_lost_needs_approval: bool
    chosen: CaseChoice | None = None  # the remedy the shopper already chose: only it is said


@dataclass(frozen=True)
class CaseChased:
    """The shopper asked to hurry: recorded on the case; past the promised answer time a
    person takes it over (`passed_to_agent`)."""

    case: OpenCase
    passed_to_agent: bool


@dataclass(frozen=True)
class ParcelSigned:
    """Who signed for the order's parcel and when, from its shipment record (谁签的)."""

    case: OpenCase
    delivered_at: datetime | None
    signed_by: str | None


@dataclass(frozen=True)
class ApprovalExplained:
    """Why the case's remedy waits for a supervisor (为什么还要主管确认): the order is worth
    more than the policy's threshold; `supervisor` False when it does not wait for one."""

    amount: Decimal
    above_yuan: float
    supervisor: bool
    reply_within_hours: int


CaseAnswer = (
    ApprovalExplained
    | PhotoUpload
    | ParcelSigned
    | CaseParcels
    | ReturnTrip
    | CaseClosing
    | CaseTimeline
    | CaseProgress
    | CaseCoupon
    | CaseRemedies
    | CaseRefundTime
    | CaseChased
    | RemedySwitchToConfirm
    | RemedyNotOffered
    | CompensationToConfirm
)


def open_case_facts(
    case: LogisticsCase, now: datetime, policy: LogisticsPolicy | None = None
) -> OpenCase:
    policy = policy or load_policy()
    rule = policy.cases[case.kind]
    remedies = tuple(Remedy(r) for r in case.remedies)
    approval = policy.approval_for(list(remedies), float(case.order.total_amount))
    held = tuple(r for r in remedies if approval is not None and r in approval.remedies)
    return OpenCase(
        case_id=case.id,
        order_no=case.order.order_no,
        kind=case.kind,
        carrier=case.carrier,
        promised=tuple(r for r in remedies if r not in held),
        awaiting_approval=held,
        needs_photo=rule.needs_photo,
        reply_by=case.reply_by,
        overdue=now > case.reply_by,
    )


def case_progress(facts: OpenCase, case: LogisticsCase) -> CaseProgress:
    """The case's progress: the latest scan of a parcel on its way (none for a parcel signed
    for or a problem with the goods)."""
    shipment = case.order.latest_shipment
    if case.kind != CaseKind.DELAYED or shipment is None or not shipment.events:
        return CaseProgress(facts, None, None, False)
    last = shipment.events[-1]
    return CaseProgress(
        facts,
        last.occurred_at,
        f"{last.location} {last.description}",
        last.occurred_at > case.opened_at,
    )


def case_photos(facts: OpenCase, words: str = "") -> PhotoUpload:
    """Where the case's photos go and which they are (none for a late or lost parcel)."""
    asked, taken = photo_ask(words)
    subject = PHOTO_SUBJECT[facts.kind] if facts.needs_photo else PhotoSubject.NONE
    return PhotoUpload(facts, facts.order_no, subject, asked, taken, reply_by=facts.reply_by)


def problem_photos(order_no: str | None, subject: PhotoSubject, words: str = "") -> PhotoUpload:
    """Where the photos of a problem without a logistics case go (bad fresh food, a quality
    return, a case said back and not yet opened) and which they are."""
    asked, taken = photo_ask(words)
    return PhotoUpload(
        None,
        order_no,
        subject,
        asked,
        taken,
        review_within_hours=photo_review_hours(subject),
        by_logistics=_case_kind(subject) is not None,
    )


def _case_kind(subject: PhotoSubject) -> CaseKind | None:
    """The kind of parcel case whose photos these are (None: bad fresh food, a quality return)."""
    if subject == PhotoSubject.NONE:
        return None
    return next((kind for kind, shown in PHOTO_SUBJECT.items() if shown == subject), None)


def photo_review_hours(subject: PhotoSubject) -> int:
    """How soon the photos of a problem are answered, from the one rule that promised it: a
    parcel's case its logistics policy (the time its offer said), bad fresh food and a quality
    return the problem policy."""
    if (case_kind := _case_kind(subject)) is not None:
        return load_policy().cases[case_kind].reply_within_hours
    problems = load_problem_policy()
    if subject == PhotoSubject.QUALITY:
        return problems.quality.review_within_hours
    return problems.fresh_food.review_within_hours


def transit_days(order: Order) -> int | None:
    """How many days the order's delivered parcel took from shipping to signing (at least 1)."""
    shipment = order.latest_shipment
    if shipment is None or shipment.delivered_at is None:
        return None
    return max((shipment.delivered_at - shipment.shipped_at).days, 1)


def _parcels(order: Order) -> tuple[tuple[str, str, bool], ...]:
    shipments: list[Shipment] = sorted(order.shipments, key=lambda s: s.shipped_at)
    return tuple((s.carrier, s.tracking_no, s.delivered_at is not None) for s in shipments)


@dataclass(frozen=True)
class ReplyTimeBeforeCase:
    """When the shopper hears back on a case said back and not yet registered (主管什么时候回复,
    多久有结果): counted from its registration, with a supervisor's step on a costly order."""

    kind: CaseKind
    reply_within_hours: int
    supervisor: bool


def reply_time_before_case(kind: CaseKind, order: Order) -> ReplyTimeBeforeCase:
    """The reply time of a case of `kind` on `order`, said back and waiting for its yes."""
    rule = load_policy().cases[kind]
    return ReplyTimeBeforeCase(kind, rule.reply_within_hours, _supervisor_decides(kind, order))


def _supervisor_decides(kind: CaseKind, order: Order) -> bool:
    """Whether a case of `kind` on `order` waits for a supervisor's approval of its remedies."""
    policy = load_policy()
    remedies = list(policy.cases[kind].remedies)
    return policy.approval_for(remedies, float(order.total_amount)) is not None


@dataclass(frozen=True)
class RemedyBeforeCase:
    """What a case said back and not yet registered gives (有没有补偿, 真丢了怎么办): its
    remedies and coupon, as the policy has them for the kind; more is a person's to decide."""

    kind: CaseKind
    remedies: tuple[Remedy, ...]
    coupon_yuan: int | None
    supervisor: bool


def approval_explained(kind: CaseKind, order: Order) -> ApprovalExplained:
    """Why a case of `kind` on `order` waits for a supervisor's yes, or that it does not."""
    policy = load_policy()
    threshold = policy.approval.order_value_above_yuan if policy.approval else 0.0
    hours = policy.cases[kind].reply_within_hours
    return ApprovalExplained(order.total_amount, threshold, _supervisor_decides(kind, order), hours)


def remedy_before_case(kind: CaseKind, order: Order) -> RemedyBeforeCase:
    """The remedies of a case of `kind` on `order`, said back and waiting for its yes."""
    rule = load_policy().cases[kind]
    remedies = tuple(r for r in rule.remedies if r != Remedy.COUPON)
    coupon = rule.coupon_yuan if Remedy.COUPON in rule.remedies else None
    return RemedyBeforeCase(kind, remedies, coupon, _supervisor_decides(kind, order))


def return_trip(
    kind: CaseKind,
    policy: LogisticsPolicy | None = None,
    asked_first: bool = False,
    facts: OpenCase | None = None,
) -> ReturnTrip:
    """What happens to the item that came wrong or broken, for a case of `kind` (open, with its
    `facts`, or said back for a yes)."""
    policy = policy or load_policy()
    rule = load_problem_policy().exchange
    return ReturnTrip(
        kind,
        facts,
        asked_first,
        goes_back=kind == CaseKind.WRONG_ITEM,
        shop_pays=rule.shop_pays_return_shipping,
        ship_first=rule.correct_item_first,
        send_back_within_days=rule.send_back_within_days,
        ships_within_hours=policy.remedy_ships_within_hours,
    )


def remedy_switch(
    case: LogisticsCase,
    choice: CaseChoice,
    now: datetime,
    words: str = "",
    policy: LogisticsPolicy | None = None,
) -> RemedySwitchToConfirm | RemedyNotOffered | CompensationToConfirm | None:
    """The remedy the shopper chose, said back for a yes when the case's policy leaves the
    choice to them (补发 or 全额退款 for a damaged item); why not, when it does not give it;
    some money for keeping the item said back as a person's to settle; None when the choice is
    the case's only remedy (nothing to switch: 那补发吧 on a missing item)."""
    policy = policy or load_policy()
    facts = open_case_facts(case, now, policy)
    if facts.kind not in AFTER_DELIVERY or chosen_remedy(case) == choice:
        return None  # a parcel on its way or lost: the carrier's check comes first
    if choice == CaseChoice.COMPENSATION:
        return CompensationToConfirm(facts.order_no, facts)
    remedies = (*facts.promised, *facts.awaiting_approval)
    if choice == CaseChoice.EXCHANGE and Remedy.RESHIP_OR_REFUND in remedies:
        choice = CaseChoice.RESHIP  # 换一个 for a broken item is a new one sent
    offered: set[CaseChoice] = set().union(*(CHOICES.get(r, frozenset()) for r in remedies))
    if choice not in offered:
        return RemedyNotOffered(facts.kind, choice, facts) if offered else None
    if len(offered) == 1 or (choice != CaseChoice.REFUND and Remedy.EXCHANGE in remedies):
        return None  # the one thing the case does already
    order = case.order
    said = said_payment(words)
    return RemedySwitchToConfirm(
        facts,
        choice,
        money_back(order),
        policy.remedy_ships_within_hours,
        said if said is not None and said != order.payment_method else None,
    )


def choice_before_case(
    order: Order,
    kind: CaseKind,
    choice: CaseChoice,
    policy: LogisticsPolicy | None = None,
    words: str = "",
) -> ChoiceBeforeCase | RemedyNotOffered | None:
    """The remedy the shopper settles on for a case of `kind` on `order` that waits for the
    yes, when the policy leaves that choice to them (补发 or 全额退款 for a damaged item), with
    another colour or size asked for the new one in `words`; why not, when they ask a refund
    the policy does not give (不换了 直接退款 for a wrong item); None otherwise (the case's own
    remedy, said back already, stands)."""
    policy = policy or load_policy()
    remedies = policy.cases[kind].remedies
    if choice == CaseChoice.EXCHANGE and Remedy.RESHIP_OR_REFUND in remedies:
        choice = CaseChoice.RESHIP  # 换个新的 for a broken item is a new one sent
    offered: set[CaseChoice] = set().union(*(CHOICES.get(r, frozenset()) for r in remedies))
    if choice == CaseChoice.REFUND and offered and choice not in offered:
        return RemedyNotOffered(kind, choice, None)
    if len(offered) < 2 or choice not in offered:
        return None
    approval = policy.approval_for(list(remedies), float(order.total_amount))
    instead = _another_variant_asked(order, words) if choice == CaseChoice.RESHIP else None
    return ChoiceBeforeCase(
        order.order_no,
        kind,
        choice,
        money_back(order),
        policy.remedy_ships_within_hours,
        approval is not None,
        *(instead or (None, None)),
    )


def _another_variant_asked(order: Order, words: str) -> tuple[str, str] | None:
    """Another colour or size of an ordered item named in `words` (换成雾蓝色), and the one
    ordered; None when the words name none."""
    for item in order.items:
        ordered = item.variant
        color, size = named_variant_terms(ordered.product, words)
        if color and color != ordered.color:
            return color, ordered.color or ""
        if size and size not in (ordered.size, ordered.spec):
            return size, ordered.size or ordered.spec or ""
    return None


def choose_remedy(
    case: LogisticsCase,
    choice: CaseChoice,
    now: datetime,
    policy: LogisticsPolicy | None = None,
) -> RemedyChosen | RemedyNotOffered | None:
    """Record the remedy the shopper confirmed on the case (checked again): written on the
    case's detail, where the specialist who settles it reads it; the case stays the one open
    case of the order, no other after-sale is opened."""
    policy = policy or load_policy()
    checked = remedy_switch(case, choice, now, policy=policy)
    if not isinstance(checked, RemedySwitchToConfirm):
        return checked if isinstance(checked, RemedyNotOffered) else None
    choice = checked.choice  # 换新 for a broken item: the new one sent
    when = to_shop_time(now).strftime("%m-%d %H:%M")
    amount = f" ¥{checked.money.amount}" if choice == CaseChoice.REFUND else ""
    line = f"{CHOSEN_MARK}{CHOICE_LABELS[choice]}{amount}（{when}）"
    case.detail = "\n".join(filter(None, (case.detail, line)))[-DETAIL_LENGTH:]
    return RemedyChosen(
        checked.case,
        choice,
        checked.money,
        checked.ships_within_hours,
    )


@dataclass(frozen=True)
class ChoiceNotedIfLost:
    """A remedy chosen (我要重发) while the carrier checks a parcel shown signed but not
    received, or one stuck on its way: written on the case for the specialist, and said back
    with what happens: nothing is sent or refunded before the check finds the parcel lost (and,
    on a large order, a supervisor approves); a reship goes to the order's address."""

    case: OpenCase
    choice: CaseChoice  # RESHIP or REFUND
    receiver: str
    address: str
    refund_channel: str
    needs_approval: bool
    noted_before: bool  # the same choice was written on the case already


@dataclass(frozen=True)
class RefundOnItsWay:
    """A refund asked for now (不要券了 直接给我退款) while a late parcel is still on its way:
    nothing is written on the case or done; the ways out are said (refuse it at the door, or
    the carrier's check, a full refund if it is found lost) and a person offered."""

    case: OpenCase
    refund_channel: str


def parcel_on_its_way(case: LogisticsCase) -> bool:
    """Whether the case's parcel has left the warehouse (a late dispatch's has not)."""
    return case.order.status != OrderStatus.AWAITING_SHIPMENT


def refund_on_its_way(
    case: LogisticsCase, choice: CaseChoice, now: datetime, policy: LogisticsPolicy | None = None
) -> RefundOnItsWay | None:
    """The answer to a refund wished on a late parcel still moving; None for any other case or
    choice (a remedy for a parcel shown signed is written for when the check ends)."""
    if case.kind != CaseKind.DELAYED or choice != CaseChoice.REFUND or not parcel_on_its_way(case):
        return None  # not shipped yet (催发货): cancelling it is the refund
    return RefundOnItsWay(open_case_facts(case, now, policy), case.order.payment_method)


def note_choice_if_lost(
    case: LogisticsCase,
    choice: CaseChoice,
    now: datetime,
    policy: LogisticsPolicy | None = None,
) -> ChoiceNotedIfLost | None:
    """Write the remedy the shopper chose for a parcel still being checked (a late or lost
    case) on the case, for when the check ends; None for any other case or a remedy the lost
    parcel's policy does not give (some money for keeping it: there is nothing to keep)."""
    policy = policy or load_policy()
    if case.kind not in (CaseKind.DELAYED, CaseKind.LOST) or not parcel_on_its_way(case):
        return None
    if_lost = [r for r in policy.cases[CaseKind.LOST].remedies if r != Remedy.CARRIER_INVESTIGATION]
    choice = CaseChoice.RESHIP if choice == CaseChoice.EXCHANGE else choice  # 换个新的
    offered: set[CaseChoice] = set().union(*(CHOICES.get(r, frozenset()) for r in if_lost))
    if choice not in offered:
        return None
    noted_before = chosen_remedy(case) == choice
    if not noted_before:
        when = to_shop_time(now).strftime("%m-%d %H:%M")
        line = f"{CHOSEN_MARK}{CHOICE_LABELS[choice]}（丢件核实后；{when}）"
        case.detail = "\n".join(filter(None, (case.detail, line)))[-DETAIL_LENGTH:]
    order = case.order
    approval = policy.approval_for(list(if_lost), float(order.total_amount))
    return ChoiceNotedIfLost(
        open_case_facts(case, now, policy),
        choice,
        order.receiver_name,
        order.shipping_address,
        order.payment_method,
        approval is not None,
        noted_before,
    )


CHOICE_LABELS = {
    CaseChoice.RESHIP: "补发",
    CaseChoice.REFUND: "全额退款",
    CaseChoice.EXCHANGE: "换货",
    CaseChoice.COMPENSATION: "保留商品，要补偿（金额由售后定）",
}


def note_compensation(
    case: LogisticsCase | None, order_no: str, now: datetime
) -> CompensationPassedOn:
    """The shopper confirmed they keep the item for some money: written on the case's detail
    (when one is open), where the person who settles it reads it; the amount is theirs to set."""
    facts = None
    if case is not None:
        when = to_shop_time(now).strftime("%m-%d %H:%M")
        line = f"{CHOSEN_MARK}{CHOICE_LABELS[CaseChoice.COMPENSATION]}（{when}）"
        case.detail = "\n".join(filter(None, (case.detail, line)))[-DETAIL_LENGTH:]
        facts = open_case_facts(case, now)
    return CompensationPassedOn(order_no, facts)


@dataclass(frozen=True)
class SearchNoted:
    """Where the shopper looked for a parcel shown signed for but not received (驿站我去问了
    没有), written on its open case: the carrier's check covers it too."""

    case: OpenCase
    words: str


SEARCH_MARK = "［买家已找过］"  # before where the shopper looked, on the case's detail
SEARCH_WORDS_MAX = 60  # of the shopper's words kept on the case


def note_search(case: LogisticsCase, words: str, now: datetime) -> SearchNoted | None:
    """Write where the shopper looked on a lost parcel's open case; None for another kind."""
    if case.kind != CaseKind.LOST:
        return None
    said = " ".join(words.split())[:SEARCH_WORDS_MAX]
    when = to_shop_time(now).strftime("%m-%d %H:%M")
    line = f"{SEARCH_MARK}{said}（{when}）"
    case.detail = "\n".join(filter(None, (case.detail, line)))[-DETAIL_LENGTH:]
    return SearchNoted(open_case_facts(case, now), said)


def chosen_remedy(case: LogisticsCase) -> CaseChoice | None:
    """The remedy the shopper chose last on the case, if any."""
    lines = [line for line in (case.detail or "").split("\n") if line.startswith(CHOSEN_MARK)]
    if not lines:
        return None
    label = lines[-1][len(CHOSEN_MARK) :]
    return next((c for c, name in CHOICE_LABELS.items() if label.startswith(name)), None)


def ask_about_case(
    session: Session,
    case: LogisticsCase,
    question: CaseQuestion,
    now: datetime,
    policy: LogisticsPolicy | None = None,
    words: str = "",
) -> CaseAnswer:
    """The answer to `question` (asked in `words`) from the case and the policy; a chase is
    recorded."""
    policy = policy or load_policy()
    facts = open_case_facts(case, now, policy)
    if question == CaseQuestion.WHY_APPROVAL:  # 为什么还要主管确认, the case open: never a chase
        return approval_explained(case.kind, case.order)
    if question == CaseQuestion.PHOTO_UPLOAD:
        return case_photos(facts, words)
    if question == CaseQuestion.SPLIT_SHIPMENT:
        return CaseParcels(facts, _parcels(case.order))
    if question in (CaseQuestion.SHIP_FIRST, CaseQuestion.RETURN_TRIP):
        return return_trip(facts.kind, policy, question == CaseQuestion.SHIP_FIRST, facts)
    if question == CaseQuestion.CLOSING:
        return CaseClosing(facts)
    if question == CaseQuestion.WHO_SIGNED:
        shipment = case.order.latest_shipment
        if shipment is None or shipment.delivered_at is None:
            return ParcelSigned(facts, None, None)
        return ParcelSigned(facts, shipment.delivered_at, shipment.signed_by)
    if question == CaseQuestion.COUPON:
        rule = policy.cases[case.kind]
        given = Remedy.COUPON.value in case.remedies
        return CaseCoupon(
            facts, rule.coupon_yuan if given else None, rule.coupon_valid_days if given else None
        )
    if question == CaseQuestion.PROGRESS:
        return case_progress(facts, case)
    if question == CaseQuestion.HOW_LONG:
        return CaseTimeline(
            facts,
            policy.remedy_ships_within_hours,
            transit_days(case.order),
            chosen_remedy(case),
            arrival_asked=case.kind == CaseKind.DELAYED and bool(ARRIVAL_ASKED.search(words)),
        )
    if question == CaseQuestion.REFUND_TIME:
        order = case.order
        return CaseRefundTime(
            facts,
            money_back(order),
            Remedy.RESHIP_OR_REFUND in policy.cases[case.kind].remedies,
        )
    if question == CaseQuestion.REMEDY:
        in_transit = case.kind in (CaseKind.DELAYED, CaseKind.LOST) and parcel_on_its_way(case)
        lost_rule = policy.cases[CaseKind.LOST].remedies
        if_lost = tuple(r for r in lost_rule if r != Remedy.CARRIER_INVESTIGATION)
        approval = policy.approval_for(list(if_lost), float(case.order.total_amount))
        return CaseRemedies(
            facts, if_lost if in_transit else (), approval is not None, chosen_remedy(case)
        )
    record_event(
        session,
        EventName.CASE_CHASED,
        case.id,
        order_no=case.order.order_no,
        carrier=case.carrier,
        cause=case.kind,
        conversation_id=case.conversation_id,
        region=province(case.order.shipping_address),
        payload={"overdue": facts.overdue},
        occurred_at=now,
    )
    return CaseChased(facts, passed_to_agent=facts.overdue)


def chases(session: Session, case_ids: list[int]) -> dict[int, int]:
    """How many times the shopper asked to hurry each case (from its `case.chased` events)."""
    rows = session.execute(
        select(Event.subject_id, func.count(Event.id))
        .where(Event.name == EventName.CASE_CHASED, Event.subject_id.in_(map(str, case_ids)))
        .group_by(Event.subject_id)
    )
    return {int(subject): count for subject, count in rows}

"""What a good agent says back before asking for the order: the problem heard, the mood met.

"东西到了就是坏的！！！" deserves an apology before "please send the order number"; "快递4天没动了"
an apology for the wait; "给老人买的 急用" reassurance. `acknowledgement` reads the shopper's
message (the problem described, as `shop.problems` reads it; upset, urgent or worried words; the
review module's severity cues for a threat to complain or a safety problem) into a fact the
storefront words render before the question. A pure policy question ("生鲜能七天无理由吗",
"退货运费谁出") asks how things work, not about an order: `is_policy_question` tells it apart,
so the policy is answered without demanding an order number. Plain Python, no Rasa.
"""

import re
from dataclasses import dataclass
from enum import StrEnum

from conversations.reading import (
    asks_in_general,
    asks_shipping_ahead,
    has_in_hand,
    is_hypothetical,
)
from core.text import normalise
from reviews.lexicon import load_lexicon
from shop.modifications import asks_for_change
from shop.own_order import about_own_order, points_at_an_order, topic_named
from shop.problems import (
    ASKS_WHETHER_SHIPPED,
    DEFECT,
    ProblemKind,
    is_not_shipped,
    read_problem,
)


class Concern(StrEnum):
    """The problem the shopper's message describes, as the apology names it."""

    LATE = "late"  # 快递4天没动了, 说好前天到的
    NOT_SHIPPED = "not_shipped"  # 拍了好几天了怎么还不发货
    LOST = "lost"  # 显示签收了 我没收到
    DAMAGED = "damaged"  # 外箱压扁了, 水果坏了好多
    DEFECT = "defect"  # 用了两个月坏了, 充不进电了
    WRONG_ITEM = "wrong_item"
    MISSING_ITEM = "missing_item"
    PROBLEM = "problem"  # a problem with what arrived, not said which


CONCERN_OF_PROBLEM = {
    ProblemKind.LATE: Concern.LATE,
    ProblemKind.LOST: Concern.LOST,
    ProblemKind.TRANSPORT_DAMAGE: Concern.DAMAGED,
    ProblemKind.SPOILED_FRESH: Concern.DAMAGED,
    ProblemKind.QUALITY_DEFECT: Concern.DEFECT,
    ProblemKind.WRONG_ITEM: Concern.WRONG_ITEM,
    ProblemKind.MISSING_ITEM: Concern.MISSING_ITEM,
}
# What a report intent means when its words name no problem the reader knows.
CONCERN_OF_INTENT = {
    "report_delivery_delay": Concern.LATE,
    "report_damaged_item": Concern.DAMAGED,
    "report_lost_parcel": Concern.LOST,
    "report_wrong_or_missing_item": Concern.PROBLEM,
}
# "Not shipped yet, right?" before a change (T恤还没发吧 想换成白色L): a premise, no complaint.
PRESUMED_NOT_SHIPPED = re.compile(r"(?:还)?没(?:有)?(?:发|发货|寄|寄出|出库)吧")
# Money awaited (退货签收了 钱到现在还没到, 退款还没到账): a refund's progress, not a late parcel.
MONEY_AWAITED = re.compile(
    r"(?:钱|款|退款|退的钱)[^，,。!！?？]{0,8}(?:没到|没收到|没有收到|没退|还没|没见)"
)
# Time said to have passed (三天了, 这么久, 怎么还): the wait is the complaint.
WAITED = re.compile(r"天了|好久|这么久|多久了|怎么还|咋还|还不发|一直")
# A parcel the record or the courier says was delivered (显示签收了, 说放驿站了): the LOST apology
# says so; a parcel feared lost on the way is late.
SAID_DELIVERED = re.compile(
    r"签收|签了|送达|妥投|放(?:在|到)?(?:门口|驿站|快递柜|菜鸟|前台)|代收|显示(?:已)?(?:收|送)"
)
# Requests that say what the bot will do when no problem is described (我想把订单取消了).
NEUTRAL_REQUESTS = frozenset(
    {
        "track_order",
        "cancel_order",
        "request_return_exchange",
        "ask_refund_status",
        "request_repair",
        "modify_order",
    }
)

# Anger a review's severity cues miss: shouting, 垃圾, 搞什么, 凭什么.
UPSET = re.compile(
    r"[!！]{2,}|[?？]{3,}|垃圾|什么破|太差|差劲|气死|无语|离谱|搞什么|怎么回事|咋回事|肿么回事"
    r"|怎么搞的|坑人|骗人|骗子|什么服务|凭什么|过分|太坑"
)
# Time presses: 急用, 着急, 孩子周末过生日要用的, 出差要带的.
URGENT = re.compile(
    r"急|赶时间|等着用|马上要用|要用的|要带的|生日|送人|礼物|出差|过节|"
    r"(今天|明天|后天|周末|这周|下周|周[一二三四五六日天]|星期[一二三四五六日天])(之前|前)?(要|必须|得|就要)"
)
# Someone unsure of the steps: an elderly shopper, or one who says they cannot do it.
WORRIED = re.compile(
    r"老人|老年|年纪大|岁数大|爸妈|父母|我妈|我爸|奶奶|爷爷|外婆|外公|姥姥|姥爷|"
    r"不会弄|不会用|不会操作|不太会|不懂|看不懂|找不到"
)
# "订单号在哪里看", "单号怎么找", "去哪看订单号": where to find the order number.
WHERE_ORDER_NUMBER = re.compile(
    r"(订单号|订单编号|单号|订单号码)[^，,。.!！?？]{0,6}(在哪|哪里|哪儿|哪看|怎么(看|找|查|弄|复制)|去哪|咋(看|找)"
    r"|找不到|不知道|不会)"
    r"|(在哪|哪里|哪儿|怎么|咋|去哪)(看|找|查|复制)[^，,。.!！?？]{0,4}(订单号|订单编号|单号)"
    r"|(不知道|不晓得|不会看|找不到)[^，,。.!！?？]{0,4}(订单号|订单编号|单号)"
)


@dataclass(frozen=True)
class Acknowledgement:
    """How the shopper's message is met before the bot asks for anything."""

    concern: Concern | None = None
    request: str | None = None  # the intent, for a plain "好的，我马上帮您查" when no problem
    upset: bool = False
    urgent: bool = False
    worried: bool = False
    safety: bool = False  # a safety problem (漏电, 冒烟, 过敏) with what arrived

    @property
    def says_anything(self) -> bool:
        return bool(self.concern or self.upset or self.urgent or self.worried or self.request)


def read_concern(text: str, intent: str | None = None) -> Concern | None:
    """The problem the message describes, or the one its report intent means; None for a
    question about what would happen (那要是到时候还没到呢) or an invoice matter."""
    clean = normalise(text).replace(" ", "")
    if not clean or is_hypothetical(clean) or topic_named(clean) is not None:
        return None
    if MONEY_AWAITED.search(clean):
        return None  # 退货签收了 钱还没到: the refund's progress, no parcel late
    if PRESUMED_NOT_SHIPPED.search(clean) and not WAITED.search(clean):
        return None  # T恤还没发吧 想换成白色L: a premise of the change, no complaint
    if is_not_shipped(clean) and not ASKS_WHETHER_SHIPPED.search(clean):
        return Concern.NOT_SHIPPED  # said not shipped; 发没发货 asks (it may well have)
    kind = read_problem(clean).kind
    if kind == ProblemKind.LOST and not SAID_DELIVERED.search(clean):
        return Concern.LATE  # 物流一直不动 是不是寄丢了: feared lost on the way, not signed for
    if kind is not None:
        return CONCERN_OF_PROBLEM[kind]
    if intent == "request_repair" and DEFECT.search(clean):
        return Concern.DEFECT  # 充不进电了 还在保修期吗
    return CONCERN_OF_INTENT.get(intent or "")


def acknowledgement(text: str, intent: str | None = None) -> Acknowledgement:
    """How to meet the message: its problem, the shopper's mood (a threat to complain and a
    safety problem as the review module's severity cues read them), or the request itself."""
    clean = normalise(text)
    concern = read_concern(clean, intent)
    cues = load_lexicon().severity_cues(clean)
    physical = concern in (Concern.DAMAGED, Concern.DEFECT, Concern.PROBLEM)
    return Acknowledgement(
        concern=concern,
        request=intent if intent in NEUTRAL_REQUESTS else None,
        upset=bool(UPSET.search(clean) or "complaint_threat" in cues),
        urgent=bool(URGENT.search(clean)),
        worried=bool(WORRIED.search(clean)),
        safety=physical and "safety" in cues,
    )


def asks_where_order_number(text: str) -> bool:
    """Whether the shopper asks where to find the order number (订单号在哪里看啊 我不会弄)."""
    return bool(WHERE_ORDER_NUMBER.search(normalise(text).replace(" ", "")))


# --- policy questions -------------------------------------------------------------------------

# Order requests a shopper may put as a question about the policy (能七天无理由吗, 保修多久,
# 能不能发中通, 路上坏了咋整); tracking is always about the shopper's own parcel.
POLICY_INTENTS = frozenset(
    {
        "request_return_exchange",
        "request_repair",
        "cancel_order",
        "ask_refund_status",
        "modify_order",
        "report_delivery_delay",
        "report_damaged_item",
        "report_lost_parcel",
        "report_wrong_or_missing_item",
        "invoice",  # the FAQ's own-order topics: 下单就能开票吗, 买完降价退差价吗
        "price_protection",
        "track_order",  # only in general terms: 发啥快递, 下单后一般几天到
    }
)
# Requests a question word alone never makes general (到哪了呢 asks after the shopper's parcel).
GENERAL_TERMS_ONLY = frozenset({"track_order"})
QUESTION = re.compile(
    r"[?？]|吗|么|嘛|呢|[不没](?=$|[\s，,。.!！~～])|多久|多少|几天|几年|多长|怎么|咋|如何|哪些|能不能|能否|"
    r"可不可以|可以不|是否|行不行|谁出|谁付|谁承担|有没有|会不会|算不算|支持|"
    r"([\u4e00-\u9fff])[不没]\1"  # 要不要, 收不收, 包不包: asked A-not-A
)
# The policy's own terms asked outright (保修几年, 质保多久, 保修期多长, 保修要发票吗): the
# problem words beside them (坏了要自己送修吗, 坏了怎么维修) say which case the terms are for.
POLICY_TERMS = re.compile(
    r"(?:保修|质保|包修|保换)期?(?:是|有|一般)?(?:几年|多久|多长|多少(?:年|天|个月)|几个月|怎么算|"
    r"(?:要|需要)(?:发票|凭证|单据)|包括|包不包)"
)
# A clause that fears a problem rather than telling one (会不会冻坏, 路上会不会压坏, 怕到时候坏了).
_FEARED = re.compile(r"会不会|不?会(?=[^，,。.!！?？\s]{0,4}坏)|(?:就|我)?(?:怕|担心)")
# The shopper's own after-sales already under way (退货审核通过了 然后要干嘛): about their order.
UNDER_WAY = re.compile(
    r"审核|通过了|同意了|已经?申请|申请了|提交了|寄回(了|去了)|寄出(了|去了)|已寄|已经寄|退回去了|"
    r"已经退|单号|运单|\d{4}|"
    # 退货你们都签收了 钱呢, 仓库都签收我退的货了
    r"(?:你们|仓库|商家)(?:都|已经|早就)?(?:签收|收到)(?:[^，,。！!？?\s]{0,6}?了|好几天)"
)


_CLAUSE = re.compile(r"[^\s,，。.!！?？;；~～…]+")
# A clause put as a condition (要是买回来插上没反应, 买了以后用不了): supposed, not reported.
_SUPPOSED = re.compile(r"(?:要是|如果|万一|假如|假设|到时候|买(?:了|回来|回去|到))")


def reports_a_problem(text: str) -> bool:
    """Whether a clause says, not asks, that something went wrong ("都五天了还没到", "东西坏了"
    beside "一般怎么处理"): the shopper's own order, whatever general words the rest has.
    A question or a supposition (要是坏了怎么办, 买了用不了能退吗) reports nothing."""
    if is_hypothetical(text):
        return False
    return any(
        read_problem(part).kinds
        and not QUESTION.search(part)
        and not _SUPPOSED.match(part)
        and not _FEARED.search(part)  # 怕路上坏了
        for part in _CLAUSE.findall(text)
    )


def is_policy_question(text: str, intent: str | None) -> bool:
    """Whether an order request is really a question about how things work, the one gate every
    order request passes before an order is asked for: "生鲜能七天无理由吗", "退货运费谁出",
    "能不能发中通" (asked as a question, about no order of the shopper's: no 我这单, 我昨天买的,
    帮我, no number; no problem described, nothing under way), or one asked in general terms
    whatever it names ("买了用不了能退吗", "没发货直接取消的呢", "就问问 没具体单子", "要是坏了
    怎么办"). The FAQ, the catalogue answers it; the order number is offered, not demanded."""
    if intent not in POLICY_INTENTS:
        return False
    spaced = normalise(text)  # 基站要接水管不 我打算…: a question ends where a clause does
    clean = spaced.replace(" ", "")
    if asks_in_general(clean) and not points_at_an_order(clean):
        return not reports_a_problem(spaced)
    if intent in GENERAL_TERMS_ONLY:  # 寄到成都要几天, 今天下单什么时候发货: before buying
        return asks_shipping_ahead(clean) and not about_own_order(clean)
    if not QUESTION.search(spaced) or UNDER_WAY.search(clean):
        return False
    if intent == "modify_order":
        # 能不能改地址: a change asked politely, of the shopper's order; a message that asks for
        # no change (能帮我写张卡片不, 两件一起多少钱) is the shopper's only when it names the order
        if asks_for_change(clean) or points_at_an_order(clean):
            return False
    elif about_own_order(clean) or has_in_hand(clean):  # 口红我就试了一下 能退吗
        return False
    return not _problem_told(spaced)


def _problem_told(spaced: str) -> bool:
    """Whether the question tells of a problem (a clause with problem words) rather than asking
    about one: a clause that fears it (会不会冻坏, 怕坏了) tells nothing, and beside the
    policy's terms asked outright (保修几年 坏了要自己送修吗) neither does one asking what
    happens then."""
    clean = spaced.replace(" ", "")
    if not read_problem(clean).kinds and not DEFECT.search(clean):
        return False
    terms_asked = bool(POLICY_TERMS.search(clean))
    telling = [
        part for part in _CLAUSE.findall(spaced) if read_problem(part).kinds or DEFECT.search(part)
    ]
    return not telling or any(
        not _FEARED.search(part) and not (terms_asked and QUESTION.search(part)) for part in telling
    )


# --- facts the storefront words render (words/storefront.yaml ack_*) --------------------------


@dataclass(frozen=True)
class AckAskOrder:
    """The question for the order number (and the phone tail, in the same message), after the
    acknowledgement of what the shopper said (None when the bot has already answered this
    message); with the steps to find the number when that is what was asked."""

    ack: Acknowledgement | None = None
    tail_known: str | None = None  # the phone tail given before the number
    where: bool = False  # 订单号在哪里看: the steps first


@dataclass(frozen=True)
class AckPolicyAnswer:
    """A policy question put as an order request, answered from the FAQ; the order number is
    offered for the shopper's own order, not demanded."""

    answer: str
    request: str  # the intent the question was read as (its offer names it)

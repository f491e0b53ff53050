"""Chasing an order that has not shipped, or whose parcel stopped moving.

A shopper chasing a late order needs four things a good agent says plainly: what the order's
record shows (the promised date, how late it is, the last scan), that the shop is hurrying it
(the chase is registered as a late case: `shop.logistics.open_case`; on an order the warehouse
has not shipped, the case's carrier is the warehouse, `WAREHOUSE`), when the shop answers, and
honestly whether it can still leave today (the warehouse's cut-off in shop/logistics_policy.yaml,
the same rule the FAQ states). The follow-up job tells the shopper in the chat when a chased
order ships or a chased parcel moves (`shop.logistics.recheck_open_cases`).

Shoppers then follow up in a few words the NLU reads as many things: 今天能发吗, 你就说能不能发
(when it ships), 发了之后告诉我一声 (a notice), 那先别取消 我急着用 (keep the order, hurry it).
`read_chase_talk` reads which; `chase_answer` answers it from the order and its chase.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from core.clock import to_shop_time
from core.text import normalise
from shop.models import LogisticsCase, Order, OrderStatus
from shop.policy import LogisticsPolicy, load_policy

WAREHOUSE = "仓库"  # the carrier named on the late case of an order not yet shipped


@dataclass(frozen=True)
class Dispatch:
    """The warehouse's next dispatch an order not yet shipped can still make: today's, when
    there is time to pack it before the cut-off, else the next day's."""

    at: datetime  # the dispatch's cut-off
    today: bool


def next_dispatch(now: datetime, policy: LogisticsPolicy | None = None) -> Dispatch:
    rule = (policy or load_policy()).warehouse
    local = to_shop_time(now)
    cutoff = local.replace(hour=rule.ship_cutoff_hour, minute=0, second=0, microsecond=0)
    if local <= cutoff - timedelta(minutes=rule.pack_minutes):
        return Dispatch(cutoff, True)
    return Dispatch(cutoff + timedelta(days=1), False)


@dataclass(frozen=True)
class WarehouseChased:
    """An order not yet shipped, past its promised ship date, chased with the warehouse: what
    its record says, the dispatch it is pushed into, when the shop answers, and that the
    shopper is told in the chat once it ships. `again`: it was already being chased (this chase
    is recorded on the same case)."""

    case_id: int
    order_no: str
    product_names: tuple[str, ...]
    promised_ship_by: datetime
    days_late: int  # whole days past the promised ship date (0: hours)
    dispatch: Dispatch
    reply_by: datetime
    again: bool


def days_late(promised: datetime, now: datetime) -> int:
    """Whole calendar days (shop time) between the promised date and now."""
    return max((to_shop_time(now).date() - to_shop_time(promised).date()).days, 0)


# --- what shoppers say while chasing -------------------------------------------------------


class ChaseTalk(StrEnum):
    WHEN_SHIP = "when_ship"  # 今天能发吗, 你就说能不能发, 几点能发出去, 还要多久才发
    NOTIFY = "notify"  # 发了之后告诉我一声, 有消息通知我, 到了会通知我吧
    KEEP_ORDER = "keep_order"  # 那先别取消 我急着用, 先不取消 你们一定帮我催


_SHIP = r"(发货|发出|发走|寄出|出库|发)"
# The first that matches wins: 先别取消 今天能发吗 is about keeping the order (and hurrying it).
TALK_PATTERNS = (
    (
        ChaseTalk.KEEP_ORDER,
        r"(先|就|暂时|还是)?(别|不要|不用|不)(给我|帮我)?取消|取消(先|就)?(算了|不用了)|不取消了?",
    ),
    (
        ChaseTalk.NOTIFY,
        r"(告诉|通知|提醒|知会|说)(我|一声)|跟我说|给我(发)?(个)?(消息|信|通知)|"
        r"(发了|发货了?|到了|有消息|有动静|动了)(后|之后|以后)?.{0,4}(告诉|通知|说一声|提醒)",
    ),
    (
        ChaseTalk.WHEN_SHIP,
        rf"(今天|今儿|今日|马上|现在|明天)(能|可以|会|得|就)?.{{0,3}}{_SHIP}|"
        rf"能(不能|否)?{_SHIP}|{_SHIP}(得|的)?(了|出去|出来)(吗|么|不|没)|"
        rf"(几点|什么时候|啥时候|哪天|多久|几号)(才|能|可以|会)?{_SHIP}|{_SHIP}(不了|不出)",
    ),
)
_PATTERNS = tuple((talk, re.compile(pattern)) for talk, pattern in TALK_PATTERNS)
# Another need in the words, not a chase follow-up: 发票什么时候发, 赠品能发吗, 能发顺丰吗,
# 能发到新疆吗.
NOT_CHASING = re.compile(
    r"发票|专票|普票|价保|赠品|优惠券|补货|到货通知|地址|退款|退货|换货|"
    r"顺丰|韵达|中通|圆通|申通|ems|邮政|极兔|德邦|京东|哪(个|家)快递|什么快递|"
    r"发到|寄到|偏远|新疆|西藏|港澳|台湾|海外|国外"
)
_ORDER_CANCEL = re.compile(r"(帮我|给我|我要|要)取消|取消(订单|吧|掉)")


def read_chase_talk(text: str) -> ChaseTalk | None:
    """Which follow-up of a chase the message is, if any (a cancel asked for is none)."""
    clean = normalise(text or "").replace(" ", "")
    if not clean or NOT_CHASING.search(clean):
        return None
    talk = next((t for t, pattern in _PATTERNS if pattern.search(clean)), None)
    if talk == ChaseTalk.KEEP_ORDER and _ORDER_CANCEL.search(_KEEP.sub("", clean)):
        return None  # 不取消这个 帮我取消另一个: a cancel is asked for
    return talk


_KEEP = re.compile(TALK_PATTERNS[0][1])


# --- answering them from the order and its chase ---------------------------------------------


@dataclass(frozen=True)
class ChaseAnswer:
    """The answer to a chase follow-up, from the order's record and the chase open on it (if
    any): whether it has shipped and by which carrier, how late it is, the dispatch it can still
    make, and when the shop answers."""

    talk: ChaseTalk
    order_no: str
    shipped: bool
    carrier: str | None  # the parcel's, once shipped
    tracking_no: str | None
    promised_ship_by: datetime
    late_to_ship: bool
    days_late: int
    dispatch: Dispatch | None  # an order not yet shipped: the next dispatch it can make
    chase_reply_by: datetime | None  # a chase is open: the shop answers by then
    chase_overdue: bool = False


def chase_answer(
    order: Order,
    talk: ChaseTalk,
    case: LogisticsCase | None,
    now: datetime,
    policy: LogisticsPolicy | None = None,
) -> ChaseAnswer:
    shipment = order.latest_shipment
    shipped = shipment is not None and order.status != OrderStatus.AWAITING_SHIPMENT
    unshipped = order.status == OrderStatus.AWAITING_SHIPMENT
    late = unshipped and now > order.promised_ship_by
    return ChaseAnswer(
        talk=talk,
        order_no=order.order_no,
        shipped=shipped,
        carrier=shipment.carrier if shipment is not None and shipped else None,
        tracking_no=shipment.tracking_no if shipment is not None and shipped else None,
        promised_ship_by=order.promised_ship_by,
        late_to_ship=late,
        days_late=days_late(order.promised_ship_by, now) if late else 0,
        dispatch=next_dispatch(now, policy) if unshipped else None,
        chase_reply_by=case.reply_by if case is not None else None,
        chase_overdue=case is not None and now > case.reply_by,
    )


@dataclass(frozen=True)
class OrderKept:
    """先别取消 我急着用: the order stays, and is hurried (the chase's words follow)."""

    order_no: str


def on_its_way(order: Order) -> bool:
    """Paid and not yet received: waiting to ship, or shipped and not delivered."""
    if order.status == OrderStatus.AWAITING_SHIPMENT:
        return True
    shipment = order.latest_shipment
    return (
        order.status == OrderStatus.SHIPPED
        and shipment is not None
        and shipment.delivered_at is None
    )

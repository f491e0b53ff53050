"""The situations demo orders are in, each a timeline relative to the moment of seeding.

Every situation the bot must handle has one entry: the README's demo table is built from
`SITUATIONS`, and `shop.demo.seed` builds each order's dates, shipment and scans from it.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from shop.demo.timelines import Scan, delivery_scans, transit_scans
from shop.models import AfterSaleKind, AfterSaleStatus, OrderStatus

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


@dataclass
class AfterSalePlan:
    kind: AfterSaleKind
    status: AfterSaleStatus
    reason: str
    opened_ago: timedelta
    refunded_ago: timedelta | None = None


@dataclass
class Timeline:
    """What happened to one order, as offsets from now."""

    placed_ago: timedelta
    status: OrderStatus
    shipped_ago: timedelta | None = None
    delivered_ago: timedelta | None = None
    signer: str = "本人签收"
    # Scans after this age are withheld: the parcel went quiet (stalled) or is still moving.
    last_scan_ago: timedelta | None = None
    promised_delivery_in: timedelta | None = None
    after_sale: AfterSalePlan | None = None


@dataclass(frozen=True)
class Situation:
    key: str
    label: str  # Chinese, for the README's demo table
    build: Callable[[], Timeline]


def _shipped(
    shipped_days: float,
    delivered_days: float | None = None,
    **kwargs: object,
) -> Callable[[], Timeline]:
    def build() -> Timeline:
        return Timeline(
            placed_ago=timedelta(days=shipped_days) + 10 * HOUR,
            status=OrderStatus.DELIVERED if delivered_days is not None else OrderStatus.SHIPPED,
            shipped_ago=timedelta(days=shipped_days),
            delivered_ago=None if delivered_days is None else timedelta(days=delivered_days),
            **kwargs,  # type: ignore[arg-type]
        )

    return build


SITUATIONS: dict[str, Situation] = {
    s.key: s
    for s in [
        Situation(
            "awaiting_shipment",
            "已付款未发货（可改地址/规格、可取消）",
            lambda: Timeline(placed_ago=3 * HOUR, status=OrderStatus.AWAITING_SHIPMENT),
        ),
        Situation(
            "ship_overdue",
            "超过48小时仍未发货",
            lambda: Timeline(placed_ago=3 * DAY, status=OrderStatus.AWAITING_SHIPMENT),
        ),
        Situation(
            "in_transit",
            "运输中，按时",
            _shipped(1.2, last_scan_ago=4 * HOUR, promised_delivery_in=2 * DAY),
        ),
        Situation(
            "out_for_delivery",
            "派送中",
            _shipped(2.0, promised_delivery_in=10 * HOUR),
        ),
        Situation(
            "stalled",
            "物流停滞：4天没有新的扫描",
            _shipped(6.0, last_scan_ago=4 * DAY, promised_delivery_in=-2 * DAY),
        ),
        Situation(
            "late",
            "超过承诺送达日期仍在运输",
            _shipped(3.5, last_scan_ago=14 * HOUR, promised_delivery_in=-12 * HOUR),
        ),
        Situation(
            "delivered_not_received",
            "显示已签收（驿站/快递柜代收），买家说没收到",
            _shipped(3.0, delivered_days=1.0, signer="菜鸟驿站代收"),
        ),
        Situation(
            "damaged_on_arrival",
            "昨天签收，到货破损",
            _shipped(3.0, delivered_days=1.0),
        ),
        Situation(
            "wrong_item",
            "两天前签收，发错款/少发件",
            _shipped(4.0, delivered_days=2.0),
        ),
        Situation(
            "returnable",
            "签收3天，可七天无理由退换",
            _shipped(5.0, delivered_days=3.0),
        ),
        Situation(
            "not_returnable",
            "签收25天，已过七天无理由期限",
            _shipped(28.0, delivered_days=25.0),
        ),
        Situation(
            "fresh_delivered",
            "生鲜12小时前签收（不支持七天无理由；24小时内坏果按比例退款或补发）",
            _shipped(1.5, delivered_days=0.5),
        ),
        Situation(
            "return_awaiting",
            "退货申请已同意，等待买家寄回",
            _shipped(
                6.0,
                delivered_days=4.0,
                after_sale=AfterSalePlan(
                    AfterSaleKind.RETURN_REFUND,
                    AfterSaleStatus.AWAITING_RETURN,
                    "七天无理由退货",
                    opened_ago=1 * DAY,
                ),
            ),
        ),
        Situation(
            "refund_in_progress",
            "退货已收到，退款处理中",
            _shipped(
                9.0,
                delivered_days=7.0,
                after_sale=AfterSalePlan(
                    AfterSaleKind.RETURN_REFUND,
                    AfterSaleStatus.REFUNDING,
                    "尺码不合适",
                    opened_ago=5 * DAY,
                ),
            ),
        ),
        Situation(
            "refunded",
            "退款已完成（昨天原路退回）",
            _shipped(
                12.0,
                delivered_days=10.0,
                after_sale=AfterSalePlan(
                    AfterSaleKind.REFUND_ONLY,
                    AfterSaleStatus.REFUNDED,
                    "商品有瑕疵",
                    opened_ago=6 * DAY,
                    refunded_ago=1 * DAY,
                ),
            ),
        ),
        Situation(
            "cancelled",
            "已取消（已退款）",
            lambda: Timeline(placed_ago=2 * DAY, status=OrderStatus.CANCELLED),
        ),
        Situation(
            "in_warranty",
            "两个月前签收的电器/数码，在保修期内",
            _shipped(62.0, delivered_days=60.0),
        ),
        Situation(
            "out_of_warranty",
            "13个多月前签收，已过一年保修期",
            _shipped(402.0, delivered_days=400.0),
        ),
        # 价保: the price histories of the products ordered are in catalogue.yaml
        Situation(
            "price_dropped",
            "付款9天，之后降价了（可申请价保）",
            _shipped(9.0, delivered_days=7.0),
        ),
        Situation(
            "price_dropped_late",
            "付款39天，降价在30天价保期之后",
            _shipped(39.0, delivered_days=36.0),
        ),
        Situation(
            "flash_sale_now",
            "付款3天，现在是限时秒杀价（秒杀不参与价保）",
            _shipped(3.0, delivered_days=1.0),
        ),
        Situation(
            "coupon_only",
            "付款6天，只是现在领券更便宜（券后价不参与价保）",
            _shipped(6.0, delivered_days=4.0),
        ),
    ]
}


def scans_for(
    timeline: Timeline, carrier: str, city: str, district: str, now: datetime, rng: random.Random
) -> list[Scan]:
    """The carrier scans of a shipped order, as many as have happened by now."""
    assert timeline.shipped_ago is not None
    shipped_at = now - timeline.shipped_ago
    scans = transit_scans(carrier, city, district, shipped_at)
    if timeline.delivered_ago is not None:
        delivered_at = now - timeline.delivered_ago
        scans = [s for s in scans if s.occurred_at < delivered_at - 3 * HOUR]
        scans += delivery_scans(city, delivered_at - 2 * HOUR, delivered_at, timeline.signer, rng)
        return scans
    cutoff = now - (timeline.last_scan_ago or timedelta(0))
    moving = [s for s in scans if s.occurred_at <= cutoff]
    if timeline.last_scan_ago is None:  # out for delivery right now
        moving.append(delivery_scans(city, now - HOUR, None, "", rng)[0])
    return moving

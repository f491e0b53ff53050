"""Carrier timelines for demo orders: tracking numbers and scans that read like a real carrier's."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

TRACKING_PREFIX = {
    "顺丰": "SF",
    "中通": "78",
    "圆通": "YT",
    "韵达": "43",
    "京东物流": "JDV",
    "EMS": "98",
}
ORIGIN = "杭州"
COURIERS = ["王师傅", "李师傅", "张师傅", "刘师傅", "陈师傅", "赵师傅"]


@dataclass(frozen=True)
class Scan:
    occurred_at: datetime
    location: str
    description: str


def tracking_number(carrier: str, rng: random.Random) -> str:
    """A carrier-shaped tracking number, e.g. SF1234567890123."""
    prefix = TRACKING_PREFIX[carrier]
    return prefix + "".join(str(rng.randrange(10)) for _ in range(15 - len(prefix)))


def transit_scans(carrier: str, city: str, district: str, shipped_at: datetime) -> list[Scan]:
    """Every scan from pick-up to the delivery station, spaced like a 2-3 day domestic route."""
    hub = f"{city}转运中心"
    steps = [
        (timedelta(0), ORIGIN, f"{carrier}杭州萧山仓 已揽收"),
        (timedelta(hours=5), ORIGIN, "快件已到达 杭州转运中心"),
        (timedelta(hours=9), ORIGIN, f"快件已从 杭州转运中心 发出，下一站 {hub}"),
        (timedelta(hours=30), city, f"快件已到达 {hub}"),
        (timedelta(hours=34), city, f"快件已从 {hub} 发出，下一站 {district}营业部"),
        (timedelta(hours=40), city, f"快件已到达 {district}营业部"),
    ]
    return [Scan(shipped_at + offset, location, text) for offset, location, text in steps]


def delivery_scans(
    city: str, out_at: datetime, delivered_at: datetime | None, signer: str, rng: random.Random
) -> list[Scan]:
    """The out-for-delivery scan, and the signed-for scan when `delivered_at` is given."""
    courier = rng.choice(COURIERS)
    phone = f"1{rng.randrange(30, 90)}****{rng.randrange(1000, 10000)}"
    scans = [Scan(out_at, city, f"快递员 {courier}（电话 {phone}）正在为您派件")]
    if delivered_at is not None:
        scans.append(
            Scan(
                delivered_at, city, f"您的快件已签收，签收人：{signer}。感谢使用，期待再次为您服务"
            )
        )
    return scans

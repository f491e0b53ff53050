"""Where an order stands, and the same in plain Chinese for the shopper."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from core.clock import day_text, moment_text
from shop.aftersales import PENDING_RETURN
from shop.models import (
    AfterSale,
    AfterSaleStatus,
    Order,
    OrderStatus,
    Shipment,
    ShipmentStatus,
    TrackingEvent,
)
from shop.policy import load_policy

REPORTED_AFTER_SALE = {*PENDING_RETURN, AfterSaleStatus.REFUNDED}


@dataclass(frozen=True)
class OrderProgress:
    """The facts about an order that a shopper asks about."""

    order: Order
    shipment: Shipment | None
    latest_events: list[TrackingEvent]
    stalled: bool
    past_promised_date: bool
    after_sale: AfterSale | None

    @property
    def delayed(self) -> bool:
        return self.stalled or self.past_promised_date


def order_progress(order: Order, now: datetime, events_shown: int = 3) -> OrderProgress:
    """Summarise `order` as of `now`."""
    shipment = order.shipments[-1] if order.shipments else None
    in_transit = shipment is not None and shipment.status != ShipmentStatus.DELIVERED
    stall_after = timedelta(days=load_policy().stall_after_days)
    stalled = in_transit and now - shipment.last_scan_at >= stall_after
    past_promise = (
        in_transit and order.promised_delivery_by is not None and now > order.promised_delivery_by
    )
    after_sale = next(
        (a for a in reversed(order.after_sales) if a.status in REPORTED_AFTER_SALE), None
    )
    events = list(reversed(shipment.events[-events_shown:])) if shipment else []
    return OrderProgress(order, shipment, events, stalled, past_promise, after_sale)


def describe_progress(progress: OrderProgress, now: datetime) -> str:
    """A short, concrete status message in the voice of a shop agent."""
    order = progress.order
    items = "、".join(item.variant.product.name for item in order.items[:2])
    if len(order.items) > 2:
        items += f"等{len(order.items)}件商品"
    lines = [f"您的订单 {order.order_no}（{items}）"]

    if order.status == OrderStatus.CANCELLED:
        lines[0] += "已经取消了。"
    elif order.status == OrderStatus.AWAITING_SHIPMENT:
        if now > order.promised_ship_by:
            lines[0] += (
                f"原定 {day_text(order.promised_ship_by)} 前发出，到现在还没有发货，"
                "让您久等了，非常抱歉。"
            )
        else:
            lines[0] += f"已付款，正在仓库打包，最晚 {day_text(order.promised_ship_by)} 前发出。"
        lines.append("发货前如需修改地址、规格或取消订单，直接告诉我就可以。")
    else:
        shipment = progress.shipment
        assert shipment is not None
        if shipment.status == ShipmentStatus.DELIVERED and shipment.delivered_at:
            signer = f"（{shipment.signed_by}）" if shipment.signed_by else ""
            lines[0] += f"已于 {moment_text(shipment.delivered_at)} 签收{signer}。"
        else:
            out_for_delivery = shipment.status == ShipmentStatus.OUT_FOR_DELIVERY
            state = "正在派送中" if out_for_delivery else "正在运输中"
            lines[0] += f"{state}，{shipment.carrier}运单号 {shipment.tracking_no}，最新物流："
            for event in progress.latest_events:
                lines.append(
                    f"· {moment_text(event.occurred_at)} {event.location}：{event.description}"
                )
        if progress.stalled:
            days = (now - shipment.last_scan_at).days
            lines.append(f"物流已经 {days} 天没有更新了，让您久等了，非常抱歉。")
        elif progress.past_promised_date and order.promised_delivery_by:
            promised = day_text(order.promised_delivery_by)
            lines.append(f"已经超过承诺的 {promised} 送达时间，非常抱歉让您久等了。")
        elif shipment.status != ShipmentStatus.DELIVERED and order.promised_delivery_by:
            lines.append(f"预计 {day_text(order.promised_delivery_by)} 前送达。")

    if progress.after_sale is not None:
        lines.append(_after_sale_line(progress.after_sale))
    return "\n".join(lines)


_AFTER_SALE_TEXT = {
    AfterSaleStatus.REQUESTED: "售后申请已提交，客服会在 24 小时内审核",
    AfterSaleStatus.AWAITING_RETURN: "售后申请已同意，等待您寄回商品",
    AfterSaleStatus.RETURN_RECEIVED: "退回的商品仓库已收到，正在验货",
    AfterSaleStatus.REFUNDING: "退款正在处理中",
}


def _after_sale_line(after_sale: AfterSale) -> str:
    if after_sale.status == AfterSaleStatus.REFUNDED and after_sale.refunded_at:
        channel = f"原路退回{after_sale.refund_channel}" if after_sale.refund_channel else "退回"
        refunded = day_text(after_sale.refunded_at)
        return f"这个订单的退款 ¥{after_sale.amount} 已于 {refunded} {channel}。"
    text = _AFTER_SALE_TEXT[after_sale.status]
    return f"另外，这个订单的{text}，金额 ¥{after_sale.amount}。"

"""After-sales rules on a verified order: cancel, 7-day return, refund status, warranty."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from core.clock import day_text
from core.events import record_event
from shop.models import (
    AfterSale,
    AfterSaleKind,
    AfterSaleStatus,
    Order,
    OrderStatus,
)

DAYS_PER_MONTH = 30
PENDING_RETURN = (
    AfterSaleStatus.REQUESTED,
    AfterSaleStatus.AWAITING_RETURN,
    AfterSaleStatus.RETURN_RECEIVED,
    AfterSaleStatus.REFUNDING,
)


@dataclass(frozen=True)
class Verdict:
    """Whether the shop can do it, and the sentence that explains it to the shopper."""

    allowed: bool
    message: str


def delivered_at(order: Order) -> datetime | None:
    shipment = order.shipments[-1] if order.shipments else None
    return shipment.delivered_at if shipment else None


def cancel(session: Session, order: Order, now: datetime) -> Verdict:
    """Cancel an unshipped order and refund it in full; a shipped one cannot be cancelled."""
    if order.status == OrderStatus.CANCELLED:
        return Verdict(False, f"订单 {order.order_no} 已经是取消状态了，款项会原路退回。")
    if order.status != OrderStatus.AWAITING_SHIPMENT:
        return Verdict(
            False,
            f"订单 {order.order_no} 已经发货，没办法直接取消了。您可以在快递派送时拒收，"
            "或者签收后申请退货，我们收到退货后为您退款。",
        )
    order.status = OrderStatus.CANCELLED
    order.after_sales.append(
        AfterSale(
            kind=AfterSaleKind.REFUND_ONLY,
            status=AfterSaleStatus.REFUNDING,
            reason="买家取消订单（未发货）",
            amount=order.total_amount,
            refund_channel=order.payment_method,
            created_at=now,
            updated_at=now,
        )
    )
    session.flush()
    record_event(session, "order.cancelled", "order", order.order_no, {"by": "shopper"}, now)
    return Verdict(
        True,
        f"已为您取消订单 {order.order_no}，¥{order.total_amount} 会原路退回{order.payment_method}，"
        "一般1-3个工作日到账。",
    )


def return_window(order: Order, now: datetime) -> Verdict:
    """The 7-day no-reason rule, from the signed-for date and the category's own window."""
    received = delivered_at(order)
    if received is None:
        return Verdict(
            False, "这个订单还没有签收，签收之后才能申请退换货哦；还没发货的话可以直接取消。"
        )
    categories = {item.variant.product.category for item in order.items}
    shortest = min(categories, key=lambda c: c.return_days)
    if shortest.return_days == 0:
        note = f"（{shortest.note}）" if shortest.note else ""
        return Verdict(
            False,
            f"{shortest.name}类商品不支持七天无理由退货{note}。如果商品有质量问题，"
            "请拍照发给我们，我们按质量问题为您处理。",
        )
    deadline = received + timedelta(days=shortest.return_days)
    if now > deadline:
        return Verdict(
            False,
            f"这个订单 {day_text(received)} 签收，七天无理由退换的期限已经过了"
            f"（截至 {day_text(deadline)}）。如果是质量问题，仍然可以申请售后，我们帮您处理。",
        )
    days_left = max((deadline - now).days, 0)
    return Verdict(
        True,
        f"这个订单 {day_text(received)} 签收，还在七天无理由退换期内（截至 {day_text(deadline)}，"
        f"还剩{days_left}天）。商品不影响二次销售、吊牌包装齐全就可以退换。",
    )


def pending_return(order: Order) -> AfterSale | None:
    """The order's return request that is still being handled, if any."""
    return next(
        (
            a
            for a in order.after_sales
            if a.kind == AfterSaleKind.RETURN_REFUND and a.status in PENDING_RETURN
        ),
        None,
    )


def open_return(session: Session, order: Order, now: datetime, reason: str) -> AfterSale:
    """Record a return request (one open request per order)."""
    if (existing := pending_return(order)) is not None:
        return existing
    request = AfterSale(
        kind=AfterSaleKind.RETURN_REFUND,
        status=AfterSaleStatus.REQUESTED,
        reason=reason[:200],
        amount=order.total_amount,
        refund_channel=order.payment_method,
        created_at=now,
        updated_at=now,
    )
    order.after_sales.append(request)
    session.flush()
    record_event(
        session,
        "after_sale.opened",
        "order",
        order.order_no,
        {"kind": request.kind.value, "reason": request.reason},
        now,
    )
    return request


def refund_status(order: Order) -> str:
    """Where the shopper's money is, in one or two sentences."""
    refunds = [a for a in order.after_sales if a.kind != AfterSaleKind.REPAIR]
    if not refunds:
        return f"订单 {order.order_no} 目前没有退款申请。如果需要退款，告诉我原因，我帮您申请。"
    latest = refunds[-1]
    channel = latest.refund_channel or "原支付账户"
    if latest.status == AfterSaleStatus.REFUNDED and latest.refunded_at:
        return (
            f"订单 {order.order_no} 的退款 ¥{latest.amount} 已于 {day_text(latest.refunded_at)} "
            f"原路退回{channel}。支付宝/微信一般即时到账，银行卡1-3个工作日，请您留意查收。"
        )
    text = {
        AfterSaleStatus.REQUESTED: "退款申请已提交，客服会在24小时内审核。",
        AfterSaleStatus.AWAITING_RETURN: "退货申请已同意，请按售后地址寄回商品，"
        "仓库收到后1-2天内退款。",
        AfterSaleStatus.RETURN_RECEIVED: "退回的商品仓库已收到，正在验货，验货后马上退款。",
        AfterSaleStatus.REFUNDING: f"退款 ¥{latest.amount} 正在处理中，会原路退回{channel}，"
        "一般1-3个工作日到账。",
        AfterSaleStatus.REJECTED: "售后申请没有通过，具体原因我帮您转人工客服说明。",
        AfterSaleStatus.CLOSED: "售后申请已关闭，需要的话可以重新申请。",
    }[latest.status]
    return f"订单 {order.order_no} 的{text}"


def warranty(order: Order, now: datetime) -> Verdict:
    """Whether the order's product is still under warranty."""
    received = delivered_at(order)
    product = order.items[0].variant.product
    months = product.effective_warranty_months
    if received is None:
        return Verdict(False, "这个订单还没有签收，签收后如果使用中出现问题可以申请保修。")
    if months <= 0:
        return Verdict(
            False, f"「{product.name}」没有保修服务；如果是质量问题，我帮您转人工客服看看怎么处理。"
        )
    until = received + timedelta(days=DAYS_PER_MONTH * months)
    if now > until:
        return Verdict(
            False,
            f"「{product.name}」保修期{months}个月，到 {day_text(until)} 已经过保了。"
            "可以提供付费维修，我帮您转人工客服报价。",
        )
    return Verdict(
        True,
        f"「{product.name}」在保修期内（保修{months}个月，截至 {day_text(until)}），可以免费维修。",
    )

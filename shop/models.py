"""Tables of the shop: catalogue, customers, orders, shipments with tracking, and after-sales."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, Numeric, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.database import Base, UTCDateTime, enum_column

Money = Numeric(10, 2)


class OrderStatus(StrEnum):
    AWAITING_SHIPMENT = "awaiting_shipment"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class DeliveryPlace(StrEnum):
    """Where the shopper asked the parcel to be left instead of handed over at the door."""

    GATEHOUSE = "gatehouse"
    LOCKER = "locker"
    PICKUP_STATION = "pickup_station"


class ShipmentStatus(StrEnum):
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"


class AfterSaleKind(StrEnum):
    REFUND_ONLY = "refund_only"
    RETURN_REFUND = "return_refund"
    EXCHANGE = "exchange"
    REPAIR = "repair"
    RESEND = "resend"  # fresh food that arrived bad, sent again (shop.fresh_food)


class AfterSaleStatus(StrEnum):
    REQUESTED = "requested"
    AWAITING_RETURN = "awaiting_return"
    RETURN_RECEIVED = "return_received"
    REFUNDING = "refunding"
    REFUNDED = "refunded"
    REJECTED = "rejected"
    CLOSED = "closed"


class Category(Base):
    """A product category with its after-sales rules."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    # 7天无理由 window in days; 0 = not returnable without a reason.
    return_days: Mapped[int] = mapped_column(Integer)
    warranty_months: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str | None] = mapped_column(Text)

    products: Mapped[list["Product"]] = relationship(back_populates="category")


class SizeChart(Base):
    """A size chart; `rows` hold one dict per size (ranges and measurements)."""

    __tablename__ = "size_charts"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    rows: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


class Product(Base):
    """A listing in the catalogue; what is bought is one of its variants."""

    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    brand: Mapped[str] = mapped_column(String(64))
    price: Mapped[Decimal] = mapped_column(Money)
    original_price: Mapped[Decimal | None] = mapped_column(Money)
    promotion: Mapped[str | None] = mapped_column(Text)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(Text)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    warranty_months: Mapped[int | None] = mapped_column(Integer)
    shelf_life_days: Mapped[int | None] = mapped_column(Integer)
    storage: Mapped[str | None] = mapped_column(String(200))
    size_chart_id: Mapped[int | None] = mapped_column(ForeignKey("size_charts.id"))

    category: Mapped[Category] = relationship(back_populates="products")
    size_chart: Mapped[SizeChart | None] = relationship()
    variants: Mapped[list["Variant"]] = relationship(
        back_populates="product", order_by="Variant.id"
    )

    @property
    def effective_warranty_months(self) -> int:
        """The product's warranty, or its category's when the product sets none."""
        if self.warranty_months is not None:
            return self.warranty_months
        return self.category.warranty_months


class Variant(Base):
    """A purchasable SKU: one colour / size / spec of a product, with its stock."""

    __tablename__ = "variants"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    sku: Mapped[str] = mapped_column(String(40), unique=True)
    color: Mapped[str | None] = mapped_column(String(32))
    size: Mapped[str | None] = mapped_column(String(32))
    spec: Mapped[str | None] = mapped_column(String(64))
    stock: Mapped[int] = mapped_column(Integer, default=0)
    restock_date: Mapped[date | None] = mapped_column(Date)

    product: Mapped[Product] = relationship(back_populates="variants")

    @property
    def label(self) -> str:
        """The variant as a shopper reads it, e.g. `黑色 / M`."""
        return " / ".join(part for part in (self.color, self.size, self.spec) if part) or "默认款"


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str] = mapped_column(String(20), index=True)
    city: Mapped[str] = mapped_column(String(32))
    address: Mapped[str] = mapped_column(String(300))
    member_level: Mapped[str] = mapped_column(String(16))

    orders: Mapped[list["Order"]] = relationship(back_populates="customer")


class Order(Base):
    """An order as the shopper placed it; the receiver's phone verifies who asks about it."""

    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_no: Mapped[str] = mapped_column(String(24), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    status: Mapped[OrderStatus] = mapped_column(enum_column(OrderStatus))
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    promised_ship_by: Mapped[datetime] = mapped_column(UTCDateTime)
    promised_delivery_by: Mapped[datetime | None] = mapped_column(UTCDateTime)
    payment_method: Mapped[str] = mapped_column(String(32))
    receiver_name: Mapped[str] = mapped_column(String(64))
    receiver_phone: Mapped[str] = mapped_column(String(20))
    shipping_address: Mapped[str] = mapped_column(String(300))
    total_amount: Mapped[Decimal] = mapped_column(Money)
    shipping_fee: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    note: Mapped[str | None] = mapped_column(Text)
    # The shopper's delivery appointment (shop.modifications, DELIVERY_TIME): a local date, whole
    # local hours [from, until), a place; via_carrier: passed on as a request to the carrier.
    delivery_date: Mapped[date | None] = mapped_column(Date)
    delivery_from_hour: Mapped[int | None] = mapped_column(SmallInteger)
    delivery_until_hour: Mapped[int | None] = mapped_column(SmallInteger)
    delivery_place: Mapped[DeliveryPlace | None] = mapped_column(enum_column(DeliveryPlace, 16))
    delivery_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivery_via_carrier: Mapped[bool | None] = mapped_column(Boolean)

    customer: Mapped[Customer] = relationship(back_populates="orders")
    items: Mapped[list["OrderItem"]] = relationship(back_populates="order", order_by="OrderItem.id")
    shipments: Mapped[list["Shipment"]] = relationship(
        back_populates="order", order_by="Shipment.id"
    )
    after_sales: Mapped[list["AfterSale"]] = relationship(
        back_populates="order", order_by="AfterSale.id"
    )

    @property
    def phone_tail(self) -> str:
        return self.receiver_phone[-4:]

    @property
    def latest_shipment(self) -> "Shipment | None":
        """The parcel most recently handed to a carrier, if the order shipped."""
        return self.shipments[-1] if self.shipments else None


class OrderItem(Base):
    __tablename__ = "order_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variants.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Money)

    order: Mapped[Order] = relationship(back_populates="items")
    variant: Mapped[Variant] = relationship()


class Shipment(Base):
    """A parcel handed to a carrier, with its tracking timeline."""

    __tablename__ = "shipments"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    carrier: Mapped[str] = mapped_column(String(16))
    tracking_no: Mapped[str] = mapped_column(String(32), unique=True)
    status: Mapped[ShipmentStatus] = mapped_column(enum_column(ShipmentStatus))
    shipped_at: Mapped[datetime] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_by: Mapped[str | None] = mapped_column(String(64))

    order: Mapped[Order] = relationship(back_populates="shipments")
    events: Mapped[list["TrackingEvent"]] = relationship(
        back_populates="shipment", order_by="TrackingEvent.occurred_at"
    )

    @property
    def last_scan_at(self) -> datetime:
        return self.events[-1].occurred_at if self.events else self.shipped_at


class TrackingEvent(Base):
    """One carrier scan (揽收, 运输中, 派送中, 签收 ...)."""

    __tablename__ = "tracking_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id"), index=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    location: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(String(300))

    shipment: Mapped[Shipment] = relationship(back_populates="events")


class AfterSale(Base):
    """A refund, return, exchange or repair request on an order."""

    __tablename__ = "after_sales"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    kind: Mapped[AfterSaleKind] = mapped_column(enum_column(AfterSaleKind))
    status: Mapped[AfterSaleStatus] = mapped_column(enum_column(AfterSaleStatus))
    reason: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Money)
    refund_channel: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    refunded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    order: Mapped[Order] = relationship(back_populates="after_sales")


class CaseStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class CaseKind(StrEnum):
    """What went wrong with the parcel."""

    DELAYED = "delayed"  # late, or no carrier scan for the policy's stall threshold
    LOST = "lost"  # shows delivered, the shopper has not received it
    DAMAGED = "damaged"
    WRONG_ITEM = "wrong_item"
    MISSING_ITEM = "missing_item"


class Remedy(StrEnum):
    """What the shop commits to on a case (the policy decides which, per kind)."""

    URGE_CARRIER = "urge_carrier"
    COUPON = "coupon"
    CARRIER_INVESTIGATION = "carrier_investigation"
    RESHIP_OR_REFUND = "reship_or_refund"
    EXCHANGE = "exchange"
    SEND_MISSING = "send_missing"


class LogisticsCase(Base):
    """A parcel problem the shop is following up (late, lost, damaged, wrong or missing item)."""

    __tablename__ = "logistics_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    kind: Mapped[CaseKind] = mapped_column(enum_column(CaseKind, 16))
    status: Mapped[CaseStatus] = mapped_column(enum_column(CaseStatus, 16))
    carrier: Mapped[str | None] = mapped_column(String(16))
    tracking_no: Mapped[str | None] = mapped_column(String(32))
    conversation_id: Mapped[str | None] = mapped_column(String(64), index=True)
    detail: Mapped[str | None] = mapped_column(Text)
    remedies: Mapped[list[str]] = mapped_column(JSON, default=list)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reply_by: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_scan_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    overdue_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    order: Mapped[Order] = relationship()


class InvoiceKind(StrEnum):
    """Both are electronic (数电发票); a special one lets a company deduct its input VAT."""

    NORMAL = "normal"  # 电子普通发票
    SPECIAL = "special"  # 增值税专用发票


class InvoiceTitleType(StrEnum):
    PERSONAL = "personal"
    COMPANY = "company"


class InvoiceStatus(StrEnum):
    REQUESTED = "requested"  # waiting to be issued (after delivery, within the policy's days)
    ISSUED = "issued"
    VOIDED = "voided"  # replaced by a reissued one (红冲)


class Invoice(Base):
    """An invoice asked for on an order; a reissue voids the old row and adds a new one."""

    __tablename__ = "invoices"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    kind: Mapped[InvoiceKind] = mapped_column(enum_column(InvoiceKind, 16))
    title_type: Mapped[InvoiceTitleType] = mapped_column(enum_column(InvoiceTitleType, 16))
    title: Mapped[str] = mapped_column(String(100))
    tax_no: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(100))
    amount: Mapped[Decimal] = mapped_column(Money)
    status: Mapped[InvoiceStatus] = mapped_column(enum_column(InvoiceStatus, 16))
    invoice_no: Mapped[str | None] = mapped_column(String(32), unique=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    conversation_id: Mapped[str | None] = mapped_column(String(64))

    order: Mapped[Order] = relationship()


class PriceKind(StrEnum):
    """What kind of price a price change is: only a regular price counts for 价保."""

    REGULAR = "regular"
    FLASH_SALE = "flash_sale"  # 秒杀, for a few hours or days
    LIVE_STREAM = "live_stream"  # 直播间专享价
    COUPON = "coupon"  # 券后价: the listed price is unchanged, a coupon lowers what is paid


class PriceChange(Base):
    """A product's price from `effective_at` (until `ends_at` for a promotion)."""

    __tablename__ = "price_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    price: Mapped[Decimal] = mapped_column(Money)
    kind: Mapped[PriceKind] = mapped_column(enum_column(PriceKind, 16))
    label: Mapped[str | None] = mapped_column(String(64))  # e.g. 双12秒杀
    effective_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    product: Mapped[Product] = relationship()


class PriceClaimStatus(StrEnum):
    REFUNDING = "refunding"
    REFUNDED = "refunded"


class PriceProtectionClaim(Base):
    """A 价保 refund of one order item's price difference; at most one per item."""

    __tablename__ = "price_protection_claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    order_item_id: Mapped[int] = mapped_column(ForeignKey("order_items.id"), unique=True)
    quantity: Mapped[int] = mapped_column(Integer)
    paid_price: Mapped[Decimal] = mapped_column(Money)  # per item
    price_now: Mapped[Decimal] = mapped_column(Money)  # per item, when claimed
    amount: Mapped[Decimal] = mapped_column(Money)
    status: Mapped[PriceClaimStatus] = mapped_column(enum_column(PriceClaimStatus, 16))
    refund_channel: Mapped[str] = mapped_column(String(32))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    refund_by: Mapped[datetime] = mapped_column(UTCDateTime)
    conversation_id: Mapped[str | None] = mapped_column(String(64))

    order: Mapped[Order] = relationship()
    item: Mapped[OrderItem] = relationship()

"""What a parcel costs the shopper and when it would come: the logistics policy's shipping rule
applied to an amount of goods (the product in focus, or an amount the shopper names: 99块刚好包邮吧)
and a province the message names (寄新疆包邮吗); its warehouse and transit rules applied to a
purchase made now (今天下单什么时候发货, 寄到成都要几天)."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from core.clock import to_shop_time
from core.text import normalise
from shop.appointments import hour_said
from shop.models import Product
from shop.policy import LogisticsPolicy, ShippingRule, TransitRule, WarehouseRule, load_policy
from shop.presale import flash_sale
from shop.product_names import without_names
from shop.promotions import Quantity, asked_quantity, basket_total
from shop.regions import place_named, province_named

# The postage asked about (包邮吗, 运费多少, 邮费怎么算); a return's (退货运费谁出, 换货寄回的运费,
# 运费险) is another matter.
POSTAGE_ASKED = re.compile(r"包邮|运费|邮费|快递费")
_POSTAGE_OF_A_RETURN = re.compile(r"退|换|寄回|运费险|谁出|谁承担|谁付")


def unserved_named(text: str) -> bool:
    """Whether the words name a place the shop does not send to (寄到香港要几天, 国外能发吗)."""
    rule = load_policy().shipping
    return province_named(text) in rule.unserved_provinces or bool(_ABROAD.search(text))


_ABROAD = re.compile(r"国外|海外|境外|外国|日本|韩国|美国|新加坡|马来西亚|英国|加拿大|澳大利亚")


def asks_postage(text: str) -> bool:
    """Whether the words ask what sending goods costs (寄哈尔滨运费多少, 包邮不), not a return's."""
    clean = normalise(text)
    return bool(POSTAGE_ASKED.search(clean)) and not _POSTAGE_OF_A_RETURN.search(clean)


# An amount of money said in the message: 99块, 169元, ¥308, 一共 308.
_AMOUNT = re.compile(r"(?:¥|￥)\s*(\d{1,6}(?:\.\d{1,2})?)|(\d{1,6}(?:\.\d{1,2})?)\s*(?:块|元|rmb)")


@dataclass(frozen=True)
class ShippingFee:
    """The postage on `goods` yuan of goods under the shop's shipping `rule`: `product` names
    whose price it is (None: an amount the shopper said), `province` the province named (None:
    none)."""

    goods: Decimal
    product: str | None
    province: str | None
    rule: ShippingRule
    sf_asked: bool = False  # 发顺丰要加钱吗: the extra for SF Express said too
    quantity: Quantity | None = None  # how many of `product` (两件一共多少 包邮不), when asked

    @property
    def remote(self) -> bool:
        return self.rule.is_remote(self.province)

    @property
    def free_from(self) -> Decimal:
        return self.rule.free_from(self.province)

    @property
    def fee(self) -> Decimal:  # 0 when free
        return self.rule.fee(self.goods, self.province)

    @property
    def short_by(self) -> Decimal:  # what is missing to the free threshold (0 when free)
        return self.free_from - self.goods if self.fee else Decimal(0)


def amount_said(text: str) -> Decimal | None:
    """The money amount a message names (99块刚好包邮吧 → 99), None when it names none."""
    found = _AMOUNT.search(normalise(text))
    if found is None:
        return None
    try:
        return Decimal(found.group(1) or found.group(2))
    except InvalidOperation:
        return None


def shipping_fee(
    goods: Decimal,
    province: str | None = None,
    product: str | None = None,
    policy: LogisticsPolicy | None = None,
    sf_asked: bool = False,
    quantity: Quantity | None = None,
) -> ShippingFee:
    """The postage on `goods` yuan sent to `province` under the shop's shipping rule."""
    rule = (policy or load_policy()).shipping
    return ShippingFee(goods, product, province, rule, sf_asked, quantity)


def shipping_asked(
    text: str, product: Product | None, now: datetime, earlier: Sequence[str] = ()
) -> ShippingFee | None:
    """The postage a shipping question asks about: on an amount it names, else on the quantity
    it asks (one when none) of the product in focus at its price now, after its deals; None
    when it names neither. The province is the one it names, else the last one the shopper's
    `earlier` messages named (她在乌鲁木齐, then 买两袋呢: still to 新疆)."""
    province = _province(text, earlier)
    sf_asked = "顺丰" in text
    said = amount_said(text)
    if said is not None:
        return shipping_fee(said, province, sf_asked=sf_asked)
    if product is None:
        return None
    sale = flash_sale(product, now)
    quantity = asked_quantity(without_names(product, text))  # 三只松鼠 is no three of it
    unit_price = sale.price if sale else product.price
    basket = basket_total(unit_price, product.promotion, quantity or Quantity(1, "件"))
    return shipping_fee(basket.total, province, product.name, None, sf_asked, quantity)


def basket_shipping(goods: Decimal, text: str, earlier: Sequence[str] = ()) -> ShippingFee:
    """The postage on a basket worth `goods` after its deals (三体和活着 满减以后还包邮吗), to
    the province the words, or the shopper's `earlier` messages, name."""
    return shipping_fee(goods, _province(text, earlier), sf_asked="顺丰" in text)


def _province(text: str, earlier: Sequence[str]) -> str | None:
    """The province the words name, else the last one the earlier messages named."""
    return province_named(text) or next(
        (named for said in reversed(earlier) if (named := province_named(said))), None
    )


@dataclass(frozen=True)
class DeliveryEstimate:
    """When goods paid now (or at the hour the shopper says) would leave and come: that day,
    when it is before the warehouse's cut-off, else within the hours it ships in after it;
    then the days on the road to the `province` named (None: none named, every range said)."""

    today: bool
    paid_hour: int | None  # the hour the shopper said they would pay (晚上八点多下单), if any
    warehouse: WarehouseRule
    province: str | None
    place: str | None  # as the shopper named it (成都 in 四川)
    transit: TransitRule
    remote: bool

    @property
    def days(self) -> tuple[int, int]:
        """The days on the road to the province named."""
        if self.remote:
            return self.transit.remote_days
        if self.province in self.transit.near_provinces:
            return self.transit.near_days
        return self.transit.days


def delivery_estimate(
    text: str, now: datetime, earlier: Sequence[str] = (), policy: LogisticsPolicy | None = None
) -> DeliveryEstimate:
    """When goods paid `now` would leave and come, to the province the words (or the shopper's
    `earlier` messages) name."""
    rule = policy or load_policy()
    said = next((t for t in (text, *reversed(earlier)) if province_named(t)), None)
    province, place = province_named(said), place_named(said)
    paid_hour = hour_said(text)  # 我一般晚上八点多才有空下单: then, not now
    hour = to_shop_time(now).hour if paid_hour is None else paid_hour
    today = hour < rule.warehouse.ship_cutoff_hour
    remote = rule.shipping.is_remote(province)
    return DeliveryEstimate(today, paid_hour, rule.warehouse, province, place, rule.transit, remote)

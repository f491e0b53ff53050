"""Skin or lips that reacted to cosmetics the shopper used (涂完嘴巴有点痒 起皮了, 用了脸又红又肿):
no parcel problem and no no-reason return, but the shop's allergy rule (stop using, a hospital's
diagnosis, then a return the shop pays for), said with care and a person offered."""

import re
from dataclasses import dataclass

from core.text import normalise
from shop.models import Order

# The category whose goods go on the skin (the catalogue's code).
COSMETICS = "beauty"
# Words that tell the skin or lips reacted: 过敏, 痒, 红肿, 刺痛, 长痘, 起疹子, 脱皮 …
_REACTION = re.compile(
    r"过敏|发痒|痒|红肿|(?<!臃)肿|刺痛|灼热|烧得慌|长痘|爆痘|闷痘|起疹|疹子|红点|泛红|脱皮|起皮|烂脸|烂嘴|辣嘴"
)
# A reaction denied (不痒, 没过敏): none told.
_DENIED = re.compile(r"(?:不|没|没有|不会)(?:过敏|痒|红肿|刺痛|长痘|起皮|脱皮)")


@dataclass(frozen=True)
class ReactionAfterUse:
    """Cosmetics of the order that the shopper says their skin reacted to: stop using them,
    see a doctor if it is bad, and the shop's allergy rule (`policy`, as the knowledge base
    words it)."""

    order_no: str
    product_name: str
    policy: str


def tells_a_reaction(text: str) -> bool:
    """Whether the words tell the skin or lips reacted to something used on them."""
    clean = normalise(text).replace(" ", "")
    return bool(_REACTION.search(_DENIED.sub("", clean)))


def cosmetics_of(order: Order) -> str | None:
    """The name of the order's first cosmetics product, None when it holds none."""
    for item in order.items:
        product = item.variant.product
        if product.category.code == COSMETICS:
            return product.name
    return None

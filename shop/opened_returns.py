"""Goods unpacked but not used (盒子拆了 东西没用过, 拆封了还能退吗), or tried once
(拆开试涂过一次): the 7-day no-reason rule of the order's categories, read from the catalogue.

A shopper who says the box is open and the goods unused is asking whether that still allows a
no-reason return. In most categories it does, as long as the goods are intact and complete; a
category whose rule makes the whole category returnable only unopened (食品, 美妆, 图书: its
rule opens with 未拆封 / 塑封未拆) does not. A rule that names particular goods (内衣、袜子等贴身
衣物拆封后…, 耳机等入耳式产品拆封后…) is said as it is, beside the general answer.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from core.text import normalise
from shop.aftersales import ReturnWindow, return_window
from shop.models import Order

# The packaging opened: 拆了, 拆开, 拆封, 开封, 打开了, 开箱.
_OPENED = re.compile(
    r"拆(?:了|开|封|过|掉)|(?:开|启)封|(?:盒|箱|包装|袋)子?(?:也|都|已经)?(?:打开|开)了|开箱"
)
# The goods not used: 没用过, 没用, 未使用, 没穿, 没洗, 全新, 没动过, 没激活, 吊牌还在.
_UNUSED = re.compile(
    r"没(?:有)?(?:用|使用|穿|洗|动|碰|激活|试|戴|吃|开机|插电|拆吊牌)|未(?:使用|用|穿|激活)"
    r"|全新|吊牌(?:还在|都在|没拆)"
)
# The goods tried or used once opened: 试涂过一次, 试穿了, 用过, 戴了两天 (没用过 is unused).
_USED = re.compile(r"试(?:涂|用|穿|戴|吃|擦|抹|了|过)|(?:用|穿|涂|戴|洗|吃|擦|抹)(?:过|了)")
# Asking whether it can go back: 能退吗, 还能退不, 无理由.
_RETURN_ASKED = re.compile(r"(?:能|可以|还能|可不可以|能不能)退|退(?:吗|不|么)|无理由|影响退")
# A parcel opened by someone else, goods missing or broken: a problem, not this question.
_NOT_THIS = re.compile(r"被拆|少了|少发|缺|丢|破了|碎|坏|有问题|故障|不能用|用不了|瑕疵|漏")
# A category rule sentence that opens with the unopened condition covers the whole category.
_WHOLE_CATEGORY_UNOPENED = re.compile(r"^(?:未拆封|塑封未拆|已拆封|拆封后)")


@dataclass(frozen=True)
class OpenedCategoryRule:
    """One category of the order: its name, its after-sales rule as written, and whether the
    rule allows a no-reason return of its goods only unopened."""

    category: str
    note: str
    needs_unopened: bool


@dataclass(frozen=True)
class OpenedReturn:
    """Whether the order's goods, unpacked but unused, can still go back without a reason:
    the order's return window and each of its categories' rules."""

    order_no: str
    window: ReturnWindow
    rules: tuple[OpenedCategoryRule, ...]
    used: bool = False  # the shopper said the goods were tried or used (试涂过一次)

    @property
    def returnable(self) -> bool:
        strict = any(r.needs_unopened for r in self.rules)
        return self.window.allowed and not strict and not self.used


def asks_about_opened_goods(text: str) -> bool:
    """Whether the message says the packaging is open and asks (or implies, by saying the goods
    are unused) whether a no-reason return is still possible; a parcel tampered with or goods
    missing or broken is a problem, not this question."""
    clean = normalise(text)
    if not _OPENED.search(clean) or _NOT_THIS.search(clean):
        return False
    return bool(_UNUSED.search(clean) or _RETURN_ASKED.search(clean) or said_used(clean))


def said_used(text: str) -> bool:
    """Whether the message says the goods were tried or used (拆开试涂过一次), not unused."""
    clean = normalise(text)
    return bool(_USED.search(clean)) and not _UNUSED.search(clean)


def opened_return(order: Order, now: datetime, text: str = "") -> OpenedReturn:
    """The no-reason rule for the order's goods unpacked (and, as `text` says, used or not):
    the categories' rules the return window already read (a category with no rule written
    has nothing to say, and none while the window is closed)."""
    window = return_window(order, now)
    rules = tuple(
        OpenedCategoryRule(r.category, r.note.rstrip("。"), _needs_unopened(r.note))
        for r in window.rules
    )
    return OpenedReturn(order.order_no, window, rules, said_used(text))


def _needs_unopened(note: str) -> bool:
    """Whether a sentence of the category's rule makes its goods returnable only unopened."""
    sentences = (s.strip() for s in re.split(r"[；;。]", note))
    return any(_WHOLE_CATEGORY_UNOPENED.search(s) for s in sentences if s)

"""Is a return or refund request really a claim on a price drop (价保)?

"这个现在26 我32买的 退我6块" asks for the difference back, not for the goods to go back: the
words compare the price now with the price paid, or ask for an amount back because of the
price. Such a message is a 价保 claim whatever word for money back it uses (退, 补, 返), and
the 价保 rules answer it (a coupon price or a flash sale is not covered). The words are read
only; the order's own prices decide what is refunded.
"""

import re

from core.spoken import NUMBER_WORD, said_number
from core.text import normalise

_AMOUNT = r"(\d+(?:\.\d+)?)\s*(?:块|元|rmb)?"
# The price now: 现在26, 今天才26了, 这会儿卖26
_NOW = re.compile(
    rf"(?:现在|如今|今天|这会儿?|刚看|目前|活动价?|降到|降价到|降成|跌到|掉到)[^\d]{{0,5}}?{_AMOUNT}"
)
# The price paid: 我32买的, 买的时候32, 当时付了32, 我拍的时候是32
_PAID = re.compile(
    rf"(?:我|当时|之前|那会儿?|前几天|上周|昨天)?[^\d]{{0,3}}?{_AMOUNT}[^\d]{{0,2}}?(?:买|拍|付|下单)的?"
    rf"|(?:买|拍|付|下单)(?:的时候|那会儿?|时)?(?:是|花了|付了|要)?[^\d]{{0,2}}?{_AMOUNT}"
)
# An amount asked back: 退我6块, 补6元给我, 返我差的6块
_MONEY_BACK = re.compile(
    r"(?:退|补|返|还)(?:给)?我?(?:差的|那)?\s*\d+(?:\.\d+)?\s*(?:块|元|(?=$|\s|[，,。!！?？吧]))"
)
# The price named as the reason
_PRICE_WORDS = re.compile(r"现在|价|便宜|降|买贵|贵了|买的时候|活动|优惠|券")
# The goods going back: a return, whatever price is mentioned
_GOODS_BACK = re.compile(r"退货|退掉|退回|寄回|换货|不要了|退了吧|整单|全退|退款退货")


def claims_price_difference(text: str) -> bool:
    """Whether the message asks for a price difference back: the price now below the price
    paid (现在26 我32买的), or an amount back for the price (便宜了6块 退我6块), and no return
    of the goods asked for."""
    clean = normalise(text)
    if _GOODS_BACK.search(clean):
        return False
    now, paid = _NOW.search(clean), _PAID.search(clean)
    if now and paid and paid.start() != now.start():
        now_price = float(now.group(1))
        paid_price = float(next(g for g in paid.groups() if g is not None))
        if now_price < paid_price:
            return True
    return bool(_MONEY_BACK.search(clean) and _PRICE_WORDS.search(clean))


# How many pieces the shopper says they bought (我买的两瓶哦, 一共买了2件, 是两支): a count with
# a unit of goods, never of money or time (两块, 两天).
_PIECES = re.compile(
    rf"(?:(?:买|拍|下单|要|是|共|有|这)[了的]?|^)\s*({NUMBER_WORD})\s*"
    r"(?:瓶|件|个|支|盒|罐|袋|包|台|双|条|套|份|只|箱|桶|本|副)"
)


def pieces_said(text: str) -> int | None:
    """The number of pieces the words say were bought (我买的两瓶哦: 2), or None."""
    match = _PIECES.search(normalise(text))
    if match is None:
        return None
    said = said_number(match[1])
    return said.value if said else None

"""What a message that carries an order (its number, or an order card pasted from the shop)
asks for, read from the words beside the data.

"9414852538885393 这单四天没动了 尾号8854" is classified as data (`inform`): the digits outweigh
the few words that say what is wrong, and the bot would ask "请问您想咨询什么呢". A pasted order
card ("订单编号：… 商品：… 收货人：…") looks like a product question to the classifier. Here the
order data is set aside and the rest is read: a problem described (late, lost, damaged, wrong,
a fault), or a request (refund, return, change, cancel, tracking) is that need; a card with
nothing else is "this is my order" (its state is shown once verified); the data alone is data.

Plain Python 3.10 (only `re`), so the Rasa NLU process can use it (bot/nlu/order_messages.py).
"""

import re

from conversations.reading import is_conditional_request, is_negated_request

# An order number (12-19 digits, also read out in groups of digits) or a pasted order card.
_ORDER_NUMBER = re.compile(r"(?<!\d)\d{12,19}(?!\d)|(?<!\d)\d{3,6}(?:[ \-]\d{3,6}){2,4}(?!\d)")
_CARD_LABEL = re.compile(r"订单(?:编号|号码|号)\s*[:：]")
# The fields of an order card, with their values (up to the next field or line).
_FIELD = (
    r"(?:订单(?:编号|号码|号)|下单时间|创建时间|付款时间|成交时间|支付时间|发货时间|订单状态|"
    r"商品(?:名称)?|宝贝|规格|数量|实付(?:款|金额)?|(?:订单|商品)?金额|收货人|收件人|"
    r"(?:收货)?地址|联系电话|手机号?|店铺|物流公司|运单号|快递单号)"
)
_CARD_FIELD = re.compile(
    rf"{_FIELD}\s*[:：][^\n⏎/|\]】]*?(?=\s*{_FIELD}\s*[:：]|[\n⏎/|\]】]|$)"
)  # a field's value ends at the next field, a line, or the card's closing bracket
# The phone tail or a phone number given with the order.
_TAIL = re.compile(
    r"(?:手机)?(?:尾号|尾数|后四位|后4位|末四位|末4位)(?:是)?\s*\d{4}|"
    r"(?:手机号?|电话)(?:是)?\s*\d{11}|(?<!\d)1\d{10}(?!\d)|(?<!\d)\d{4}(?!\d)"
)
_NOT_WORDS = re.compile(r"[\d_]|[^\w]")  # digits, punctuation and spaces left by the data
# What says nothing beside the data: greetings, fillers, the order named again.
_FILLER = re.compile(
    r"(?:你好|您好|在吗|在不在|亲|订单号?|这单|这个单子?|单号|我的|[的了啊呀吧哈嗯])+"
)

# Cues, in the order they decide: a problem described first (a damaged item the shopper wants
# refunded is the damage), then a request. Each list reads the words with the data taken out.
_WRONG_OR_MISSING = re.compile(
    r"发错|寄错|错发|发成|给错|不是我(?:买|拍|要|订|选|下单)的|少发|漏发|少寄|漏寄|少了|缺了|"
    r"缺件|只(?:收到|到|来)了?(?:一|1|半)"
)
_USED = re.compile(
    r"用了|用过|用着|穿了|穿过|洗了|洗过|戴了|(?:第一|头一|一)次(?:用|穿|洗|戴|充)|才用|刚用|"
    r"没用(?:几|两)|(?:一|两|几)(?:次|天)就"
)
_FAULT = re.compile(
    r"开不了机|不开机|无法开机|开不开|充不(?:进|上)电?|不充电|黑屏|花屏|死机|没反应|不亮了?|"
    r"不响|没声音?|不制冷|不加热|不转|故障|毛病|失灵|用不了|不能用|掉色|褪色|起球|开胶|脱线|坏了|"
    # sound, screen and power faults (破音 有杂音, 屏幕闪, 连不上蓝牙), as shop.problems names them
    r"杂音|异响|破音|爆音|电流声|沙沙|滋滋|闪屏|频闪|漏电|发烫|自动关机|连不上|接触不良|"
    # a part come off (领子扣子掉了, 拉链坏了, 鞋跟断了)
    r"(?:扣子|纽扣|拉链|鞋跟|鞋底|带子|把手|提手|轮子)[^，,。]{0,3}(?:掉了|脱落|断了|坏了|松了)|开线|脱胶"
)
_REPAIR = re.compile(r"保修|维修|返修|修一下|修理|(?:怎么|能|去哪|哪里|要)修|修(?:吗|不|好)")
_DAMAGED_ON_ARRIVAL = re.compile(
    r"破损|碎了?|压(?:坏|扁|烂|塌|瘪)|摔(?:坏|烂|裂|碎)|磕(?:坏|破)|外包装|箱子[^，,。]{0,4}(?:破|烂|扁)|"
    r"(?:收到|到了?|到手|拆开)[^，,。]{0,4}(?:就|都)?(?:是)?(?:坏|破|烂|裂|漏)|"
    r"烂了|发霉|变质|不新鲜|有虫|漏了|洒了|"
    # dented or out of shape on arrival (杯身侧面凹进去一块, 盖子也盖不严); listed here, not read
    # with shop.problems, which Rasa's Python 3.10 (where this module runs) cannot import
    r"凹(?:进去|下去|了|陷)|瘪了|变形|裂(?:了|开|纹)|盖不严|合不上|关不上"
)
_REFUND = re.compile(
    r"(?:退款|退的钱|钱)[^，,。]{0,8}(?:没到|还没|没收到|没有收到|到账|进度|哪|什么时候|啥时候|多久|成功|好了)|"
    r"(?:没|没有)(?:收到|到)(?:钱|退款)|退款(?:呢|怎么)"
)
_LOST = re.compile(
    r"(?:没|没有)(?:收到|拿到)(?!钱|退款|发票|赠品)|收不到|显示(?:已经?|已)?签收|签收了?(?:但|可|却|我)|"
    r"丢了|丢件|弄丢|冒领|不是我签"
)
_LATE = re.compile(
    r"没动|不动|没(?:有)?更新|不更新|没动静|还没到|没到|还不到|怎么还没|还没送|没送到|好几天|几天了|超时|"
    r"太慢|好慢|催一?下|加急|卡(?:住|在)|(?<![先暂别])(?:没|没有|还不|未)发(?:货|出)?(?![票错成])|(?<![先暂别要])不发货"
)
_CHANGE = re.compile(
    r"拍(?:错|小|大|成)|改(?:一?下|个|成)?(?:收货)?(?:地址|电话|手机号?|颜色|尺码|规格)|"
    r"(?:地址|电话|手机号?)(?:写|填)错"
)
_RETURN = re.compile(
    r"退货|退换|换货|换(?:个|成)?(?:大|小)一?(?:号|码)|换(?:个|成)?(?:颜色|尺码|码)|换个新的|"
    r"(?:能|可以|想|要)退|退掉|还能退|七天无理由|(?:那|就|还是)退了?吧"
)
_NOT_A_CANCEL = re.compile(r"被取消|没取消|不取消|别取消|怎么取消了")
_CANCEL = re.compile(r"取消|不要了")
_TRACK = re.compile(
    r"到哪|在哪|什么时候(?:能)?(?:到|发|送)|啥时候(?:能)?(?:到|发|送)|几号(?:能)?到|几天(?:能)?到|"
    r"发货了(?:吗|没)|发了(?:吗|没)|物流|快递|派送|送到|能到|到了吗|状态|怎么样了|"
    # 空气炸锅今天送吗: when it comes
    r"(?:今天|明天|今晚|上午|下午|晚上|几点)(?:能|会)?(?:送|到)(?:吗|么|嘛|不|没)"
)
_SERVICE = re.compile(r"发票|开票|发漂|抬头|税号|专票|普票|价保|保价|差价")

# The intents each cue gives, as the taxonomy names them.
TRACK = "track_order"
INFORM = "inform"
FAQ = "faq"


def carries_order(text: str) -> bool:
    """Whether the message gives an order number, or is a pasted order card."""
    return bool(_ORDER_NUMBER.search(text or "") or _CARD_LABEL.search(text or ""))


def is_order_card(text: str) -> bool:
    """Whether the message is (or holds) an order card pasted from the shop: 订单编号：… with
    other fields."""
    return bool(_CARD_LABEL.search(text or "")) and len(_CARD_FIELD.findall(text or "")) >= 2


def words_beside_order(text: str) -> str:
    """The message without its order data: the card's fields, the order number, the phone
    tail or number, greetings and fillers."""
    rest = _CARD_FIELD.sub(" ", text or "")
    rest = _ORDER_NUMBER.sub(" ", rest)
    rest = _TAIL.sub(" ", rest)
    return _NOT_WORDS.sub("", rest)


def request_in_words(words: str) -> str | None:
    """The order request `words` (with no order data in them) describe or ask for, as the
    intent that serves it; None when they name none."""
    if not words:
        return None
    if is_conditional_request(words):
        return "complain"  # 再不发货我就取消了: a threat to answer, never a request to carry out
    if _WRONG_OR_MISSING.search(words):
        return "report_wrong_or_missing_item"
    if _DAMAGED_ON_ARRIVAL.search(words):
        return "report_damaged_item"
    if _REPAIR.search(words):
        return "request_repair"
    if _FAULT.search(words):
        # a fault soon after it arrived is a quality return; later, the warranty's repair; a
        # return asked beside it (耳机有杂音 想退货) is the return
        used_or_returned = _USED.search(words) or _RETURN.search(words)
        return "request_return_exchange" if used_or_returned else "request_repair"
    if _REFUND.search(words):
        return "ask_refund_status"
    if _LOST.search(words):
        return "report_lost_parcel"
    if _NOT_A_CANCEL.search(words):
        return TRACK  # 怎么(超时)被取消了: what happened to the order
    if _LATE.search(words):
        # 付款好几天了都不发 不要了: the order not wanted any more, a cancel (said back for a
        # yes), never a chase of it (赠品不要了 快点发: a part, the chase)
        return "cancel_order" if _ORDER_NOT_WANTED.search(words) else "report_delivery_delay"
    if _CHANGE.search(words):
        return "modify_order"
    if _cancelled(words):
        return "cancel_order"
    if _RETURN.search(words):
        return "request_return_exchange"
    if _SERVICE.search(words):
        return FAQ  # an invoice or 价保 matter is a policy question about the order (taxonomy)
    if _TRACK.search(words):
        return TRACK
    return None


# The whole order not wanted, beside its lateness (都不发 不要了, 一直不发 取消吧; never a part of
# it, 赠品不要了, 袜子我不要了).
_ORDER_NOT_WANTED = re.compile(
    r"取消(?!了吗)|(?<![品件个双套子])(?<![品件个双套子]我)不(?:想)?要了"
)


def _cancelled(words: str) -> bool:
    """Whether the words ask to cancel (取消, 不要了), not asking what happened to a cancel."""
    return bool(_CANCEL.search(words)) and not (
        _NOT_A_CANCEL.search(words) or is_negated_request(words)
    )


def order_message_intent(text: str) -> str | None:
    """What a message carrying an order asks for: the request its other words name; the data
    alone, a pasted card too, is `inform` (the taxonomy's data: the bot takes the order into
    focus and asks what it can do, as an agent does when a card is pasted first; measured on the
    real chats, reading a bare card as tracking cost 0.007 of intent accuracy). None when the
    message carries no order."""
    if not carries_order(text):
        return None
    words = words_beside_order(text)
    if (request := request_in_words(words)) is not None:
        return request
    return INFORM if not _FILLER.sub("", words) else None

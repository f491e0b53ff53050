"""What problem the shopper described about what they received, read from their words and the
order's items.

The NLU's intent says roughly what the message is about; the problem decides what is done:
rotten fruit is the fresh-food policy whatever report intent was picked, a sweater that faded
in the wash is a quality return and not transport damage, a box that arrived crushed is a
parcel case. `read_problem` returns every problem the words describe, the decisive ones (whose
rule holds whatever the intent) first.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from core.text import normalise
from shop.category_words import category_named
from shop.models import CaseKind, Order, Product
from shop.problem_policy import ProblemPolicy, load_problem_policy


class ProblemKind(StrEnum):
    """A problem with an order as the shopper describes it."""

    SPOILED_FRESH = "spoiled_fresh"  # fresh food arrived bad: the fresh-food policy
    QUALITY_DEFECT = "quality_defect"  # went wrong in use (washed, worn, used): a quality return
    WRONG_ITEM = "wrong_item"
    MISSING_ITEM = "missing_item"
    LOST = "lost"  # shows delivered, not received
    LATE = "late"
    TRANSPORT_DAMAGE = "transport_damage"  # arrived broken


# Problems whose rule holds whatever the NLU made of the message.
DECISIVE = (ProblemKind.SPOILED_FRESH, ProblemKind.QUALITY_DEFECT)

CASE_KIND = {
    ProblemKind.WRONG_ITEM: CaseKind.WRONG_ITEM,
    ProblemKind.MISSING_ITEM: CaseKind.MISSING_ITEM,
    ProblemKind.LOST: CaseKind.LOST,
    ProblemKind.LATE: CaseKind.DELAYED,
    ProblemKind.TRANSPORT_DAMAGE: CaseKind.DAMAGED,
}


def _cues(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(patterns))


# A bad piece or a fault the shopper denies (没有烂的, 一个都没坏, 也没发霉, 烂倒是没烂): dropped
# before any problem is looked for. Not a double negation (没有一个不烂的: all of them are).
DENIED = re.compile(
    r"(?:[烂坏]倒是|[烂坏]是)?(?:并|也|都|倒是)?(?:没有?|不是)(?:一个|一点)?(?:都|也)?"
    r"(?:烂|坏|腐|发?霉|变质|破|碎|裂|漏)(?:掉|了|的|过)?(?!.{0,1}不)"
)
# "还没穿就开胶了" is no use: a negated use is dropped before looking for one.
NOT_USED = _cues(r"(还)?(没|未|没有)(穿|用|洗|戴|使用|拆|开封)(过|呢)?", r"不用了|没用了")
USED = _cues(
    r"洗(了|过|完|后|好)",
    r"(水|机|手|干)洗",
    r"(穿|戴|用|使用)(了|过|着|后|中|上|久)",
    r"(穿|戴|用)(一|两|三|几|半)",
    r"(第一|头一|一)次(用|穿|洗|戴|充)",
    r"(才|刚|没)用",
    r"(一|两|三|几|半)(次|天|周|个?星期|个?礼拜|个?月)(就|后就|都不到)",
    r"没(几|两|多少)天",
    r"没多久",
)
# What goes wrong in use.
# Faults that show only in use (有杂音, 蓝牙老断开, 充电发烫): a quality defect whether or not the
# words say it was used, never damage on the way.
_IN_USE = (
    r"杂音|异响|破音|爆音|电流声|沙沙|滋滋|闪屏|频闪|自动关机|自己关机|断连|连不上|连接不上",
    r"(老|总|经常|动不动)(是|就)?断(?!货|码|供|更)|断开|接触不良|发烫|漏电",
)
FAULT_IN_USE = _cues(*_IN_USE)
DEFECT = _cues(
    r"掉色|褪色|串色|染色|起球|开胶|脱胶|开线|脱线|断线|跳线|破洞(?!牛仔|裤)|起皮|掉皮|脱皮|掉漆",
    r"缩水|变形|发黄|变色|生锈|锈了|脱落|松了|掉了|断了|裂了|开裂|破了|烂了",
    r"漏水|漏气|不亮|不响|没声|不转|不制冷|不加热",
    r"充不(进|上)|不充电|开不了机|不开机|无法开机|黑屏|花屏|死机|卡顿|失灵|没反应",
    r"不能用|用不了|坏|故障|毛病|有问题|质量",
    r"出(了)?(点|些)?(小)?(问题|状况)",  # 用了一周就出问题了
    r"不出(热|冷)?(风|水|声|气)",  # 吹风机不出热风了
    # an intermittent fault (充上电一会就断, 声音时有时没有)
    # (never 总是断货, 秒杀一会就没了: the stock)
    r"断断续续|时有时无|时有时没|时好时坏|一会儿?就(断(?!货)|停|关机|灭|没声|没电|没反应)",
    r"坏点|亮线",
    r"不灵(?!活)|连击|自动双击",  # 滚轮不灵了 左键还连击
    *_IN_USE,
)
# Words that put such a fault on something else than the goods (快递员电话连不上, 物流卡住).
NOT_THE_GOODS = _cues(r"物流|快递|包裹|电话|客服|页面|app|网页")
# A book's printing or binding fault (印反了, 缺页, 两页空白): made that way, a quality problem
# whenever it is found (the books' own rule), never transport damage.
PRINT_FAULT = _cues(
    r"印反|印倒|倒装|缺页|少页|掉页|错页|漏印|印错|印刷(错误|问题|不清|模糊)|重影|字迹模糊",
    r"(空白|白)页|页(全|都|竟然)?(是)?空白|装订(错|反|问题)",
    # 第209到224页没有 直接跳过去了: a run of pages missing
    r"[0-9]+页?(到|至|-|~)(第)?[0-9]+页(都|全)?(没有|没了|不见了)",
    # 中间少了十几页, 缺了两页, 从200直接跳到217: pages missing inside a book, not an item
    r"(少|缺|掉)了?(一|两|几|十几|好几|好多|很多|不少|一些|[0-9]+|[一二三四五六七八九十]+)?页(?!面)",
    r"[0-9]+页?(直接)?跳(到|了)+(第)?[0-9]+|页码[^，,。]{0,6}(不对|乱|跳|不连)",
)
# Food gone bad: fresh food under its own policy, packaged food a quality problem.
SPOILED = _cues(
    r"烂|腐|霉|长毛|不新鲜|变质|变味|发臭|臭|馊|发酸|蔫|发软|软了|化了|流水|出水",
    r"坏果|坏了|坏的|坏掉|黑心|有虫|生虫|冻伤|磕伤|压伤|碰伤|裂口|破皮|干瘪",
)
PACKAGED_SPOILED = _cues(r"霉|变质|变味|发臭|馊|胀袋|胀气|过期")
DAMAGED = _cues(
    # (碎花, 破洞裤: a print and a style, not damage)
    r"破损|破了|破掉|碎(?!花)|压(坏|扁|烂|塌|瘪|变形|碎)|摔(坏|烂|裂|碎)|磕(坏|破)|裂|凹|瘪",
    r"漏了|漏液|漏出|洒了|撒了|磕碰|划痕|划伤|变形|坏了|坏的|坏掉|破洞(?!牛仔|裤)|有洞|烂了",
    r"开胶|脱胶|开线",  # found on arrival (还没穿就开胶了): the item came that way
    r"开不了机|不能用|用不了|没反应|不亮|不响",
)
WRONG = _cues(
    r"发错|错发|寄错|发成|给错|拿错",
    r"不是我(买|要|拍|订|下单|选)的",
    r"(颜色|尺码|码数|码子|尺寸|型号|规格|款式|款|版本|口味|色号)(不对|错了|发错|不一样)",
    r"货不对板|(跟|和|与)(图片|描述|详情|下单的?|我买的)(不一样|不符|不同)",
    r"(来|到|收到|寄来|发来|送来)的(是别的|是另一|却是|成了)",  # 我买白绿39 来的是别的
    # 买的黑色毛衣 寄来的是燕麦色, 我买的39 寄来的是37 (not 收到的是坏的: a damage)
    r"(买|下单|拍|订)(的|了)[^，,。？?]{1,12}(寄来|发来|送来|收到|到手|来)的(是|却是)"
    r"(?![烂坏破碎瘪旧脏空湿裂])",
)
MISSING = _cues(
    # (not 多少个: a count asked or not known)
    r"少发|漏发|少寄|漏寄|(?<!多)少了|缺了|缺少|缺件|(?<!多)少一|少件|(?<!多)少个|不全|不够数|分量不足",
    r"只(收到|有|来了|到了)(一|1|半)",
    r"(赠品|配件|说明书|充电器|数据线)(没|呢|不见)",
    r"没(有)?(收到)?(赠品|配件)",
)
LOST = _cues(
    r"没(有)?(收到|拿到)(?!赠品|配件|发票|退款)",
    r"收不到",
    r"显示(已经?|已)?(在)?(驿站|快递柜|丰巢|菜鸟|代收点|门卫|前台)?(已经?|已)?签收",
    r"签收了?(但|可|却)",
    r"被(人)?(签收|拿走|冒领)|不是我签|冒领",
    r"丢了|丢件|弄丢|找不到(包裹|快递)",
)
# The pick-up of a return (没人上门取件, 快递员一直没来取): the return's, not a late parcel.
# Not the shopper collecting a parcel (去驿站取件, 取件码).
RETURN_PICKUP = _cues(
    r"上门取|(没人|没有人|没|不)(来|过来|上门)?取件|(来|过来)取(件|货|走)|取件(的)?(快递员|小哥|师傅|员)",
    r"预约(的|了)?取件|取件(预约|时间)|(没人|没有人)(来)?(收|拿)(件|货|退货)",
)
# The parcel is in hand, only not opened yet (一直没空拆, 还没打开, 原封没动): never a lost one.
UNOPENED = _cues(
    r"(没|没有|未|不)(空|时间|顾上|来得及)?(拆|打开|开箱|开封)",
    r"原封(不|没|未)动|放着没(动|拆|用)",
)
LATE = _cues(
    r"还没到|没到|还不到|怎么还没|还没送|没送(到|来)|(咋|怎么)还不来(?!回|处理|联系|人|取|上门)",
    # 不动 of the parcel, never of a part (弹盖按不动了, 拧不动)
    r"(没|不)(有)?更新|(?<![按拧推拉搬扭转摁压掰])不动|没动|没动静|停了|卡(住|在)|一直(停|待|躺)在",
    r"没(有)?(一点|一丁点|任何|啥|什么)动静|动静都没",
    r"太慢|好慢|真慢|慢死|延误|延迟|超时|迟迟|几天了|好几天",
    r"催|加急",
    # 说好昨天到 现在还在路上, 承诺的送达日期都过了: the day promised has passed
    r"(说好|承诺|本来|预计|应该)[^。]{0,12}还在(路上|途中|运输)",
    r"(说好|承诺|预计)的?[^，,。]{0,8}(日期|时间|时效|那天)?(都|已经|早就?)?过了",
)
# Not shipped yet, as a complaint (还不发, 没发货, 再不发货我就取消了) — not a hold asked for
# (先不发货, 暂时不发货), nor a condition asked about (没发货的话能取消吗, 没发货前能改地址吗).
_CONDITION = r"(?!的话|之前|以前|前|的?时候|可以|可不可以|能|可)"
NOT_SHIPPED = _cues(rf"(?<![先暂时要别])(不|没|没有|未)(发货|发出|发走|寄出){_CONDITION}")
# 到底发没发货 / 寄没寄出: late, but whether it has shipped is asked, not known.
ASKS_WHETHER_SHIPPED = _cues(r"发(不|没|没有)发|寄(不|没|没有)寄")
# Plain 还不发 is the order only when nothing else is said not sent (发票还没发, 照片还没发).
NOT_SENT = _cues(rf"(还|咋|怎么|一直|迟迟|都)(不|没|没有)发(?![票错成照图给货出走]){_CONDITION}")
OTHER_SENT = _cues(r"发票|照片|图|视频|链接|截图|优惠券|红包|验证码|消息")
# A hurry about the parcel (能不能快点, 快点发): not one about a refund, an exchange or a reply.
HURRY = _cues(r"快点|快一点|快些|快发|赶紧发|尽快发")
AFTER_SALE_SUBJECT = _cues(r"退|换|修|审核|处理|回复|答复|回我|发票|开票|客服|人工|赔")
# "不急 不用催": no hurry, no complaint — dropped before looking for lateness.
NO_HURRY = _cues(
    r"不(用|必|需|需要)(再)?(催|加急|着急|急)",
    r"别(催|急)|无需催|(不|没)(那么|很|太|是很)?着?急|不赶时间",
)


@dataclass(frozen=True)
class ProblemReading:
    """Every problem the words describe, the decisive ones first, then as listed in
    `ProblemKind`; empty when the words name none (我的东西有问题)."""

    kinds: tuple[ProblemKind, ...]

    @property
    def kind(self) -> ProblemKind | None:
        return self.kinds[0] if self.kinds else None

    @property
    def decisive(self) -> bool:
        return self.kind in DECISIVE


def is_fresh(product: Product, policy: ProblemPolicy | None = None) -> bool:
    """Whether the product is sold under the fresh-food policy."""
    policy = policy or load_problem_policy()
    return product.category.code in policy.fresh_food.categories


# A worry or a question about what may happen (会烂吗, 怕路上坏了, 万一坏了): nothing happened yet.
WORRIED = _cues(r"会不会|会[^，,。]{0,4}(吗|么|不)|怕|担心|万一|如果|要是|是不是")


def _names_fresh_goods(text: str, policy: ProblemPolicy | None) -> bool:
    """Whether the words name goods of a category sold under the fresh-food policy (橙子,
    水果), by the shoppers' words for categories."""
    policy = policy or load_problem_policy()
    return category_named(text) in policy.fresh_food.categories


def _named(text: str, products: list[Product]) -> bool:
    """Whether the words name one of the products (its name, or a keyword of two characters
    or more)."""
    for product in products:
        for word in (product.name, *product.keywords):
            clean = normalise(word).replace(" ", "")
            if len(clean) >= 2 and clean in text:
                return True
    return False


# The parcel turned up (找到了 放隔壁楼驿站了, 家里人拿了): unless it is still missing (没找到,
# 找到了吗).
PARCEL_FOUND = _cues(
    r"(?<![没不])(找到了|找着了|拿到了|取到了|到手了)",
    r"原来(在|是|被)|(家里人|家人|老婆|老公|邻居|室友|舍友|同事|同学|朋友|门卫|物业)"
    r"[^，,。]{0,4}(拿|收|取)(了|走了|回来)",  # 室友说帮我拿了
    r"在(他|她)(那|那儿|那里|手上)",  # 室友拿了 在他那
)
STILL_MISSING = _cues(r"没找到|找不到|没拿到|没收到|还没到|到了吗|找到了?吗|拿到了?吗|吗$|[?？]$")
# The case taken back in so many words (那个登记撤了吧, 刚才那个没收到的登记也撤了吧, 不用查了).
CASE_TAKEN_BACK = _cues(
    r"(撤|撤销|撤回|取消)(掉|了)?(那个|刚才的?|之前的?)?[^，,。]{0,6}(登记|跟进单?|核查|申请)",
    r"(登记|跟进单?|核查)[^，,。]{0,4}(撤了|撤销|撤回|不用了|取消)",
    r"不用(再)?(查|核查|跟进|找)了",
)


def says_parcel_found(text: str) -> bool:
    """Whether the words say the parcel reported turned up, or take the case back (找到了
    放隔壁楼驿站了, 刚才那个没收到的登记也撤了吧)."""
    clean = normalise(text).replace(" ", "")
    if CASE_TAKEN_BACK.search(clean):
        return True
    return bool(PARCEL_FOUND.search(clean)) and not STILL_MISSING.search(clean)


def in_hand_unopened(text: str) -> bool:
    """Whether the words say the parcel came and is only not opened yet (签收没几天 一直没空拆):
    received, so never a lost parcel."""
    return bool(UNOPENED.search(normalise(text).replace(" ", "")))


def waits_for_pickup(text: str) -> bool:
    """Whether the words are about a return's pick-up (等了好几天没人上门取件): the return's
    matter, never a late parcel."""
    return bool(RETURN_PICKUP.search(normalise(text).replace(" ", "")))


def declines_chase(text: str) -> bool:
    """Whether the shopper says there is no hurry (不急 不用催, 别催了): no chase without a yes."""
    return bool(NO_HURRY.search(normalise(text).replace(" ", "")))


def is_not_shipped(text: str) -> bool:
    """Whether the words complain the order has not shipped (还不发, 没发货, 再不发货我就取消了):
    not a hold asked for (先不发货), a condition asked about (没发货的话能取消吗), nor something
    else not sent (发票还没发)."""
    clean = NO_HURRY.sub("", normalise(text).replace(" ", ""))
    if NOT_SHIPPED.search(clean):
        return True
    return bool(NOT_SENT.search(clean)) and not OTHER_SENT.search(clean)


def is_late(text: str) -> bool:
    """Whether the words complain the order is late: not arrived or not moving (咋还没到,
    怎么还没动), not shipped (还不发, 没发货), or asked to hurry (催一下, 能不能快点); the words
    of no hurry (不急 不用催) are dropped first, and a hurry about a refund, an exchange or a reply
    (退款能不能快点) is not about the parcel."""
    clean = NO_HURRY.sub("", normalise(text).replace(" ", ""))
    if LATE.search(clean) or is_not_shipped(clean):
        return True
    return bool(HURRY.search(clean)) and not AFTER_SALE_SUBJECT.search(clean)


def in_use_since(order: Order | None, now: datetime | None, policy: ProblemPolicy) -> bool:
    """Whether the order was signed for so long ago (the policy's days) that a fault told now
    came in use, not in transport (a band bought two months ago that will not switch on)."""
    if order is None or now is None or order.latest_shipment is None:
        return False
    signed = order.latest_shipment.delivered_at
    in_use_after = timedelta(days=policy.quality.found_in_use_after_days)
    return signed is not None and now - signed > in_use_after


def names_a_fault(text: str) -> bool:
    """Whether the words name a fault with the item (有杂音, 开不了机, 出问题了), found in use
    or not."""
    return bool(DEFECT.search(normalise(text).replace(" ", "")))


def denies_a_problem(text: str) -> bool:
    """Whether the words deny a bad piece or a fault (没有烂的 就是口感一般般) and tell of none."""
    clean = normalise(text).replace(" ", "")
    return bool(DENIED.search(clean)) and not read_problem(text).kinds


def read_problem(
    text: str,
    order: Order | None = None,
    policy: ProblemPolicy | None = None,
    now: datetime | None = None,
) -> ProblemReading:
    """The problems the shopper's words describe, given the order's items: a fresh-food item
    gone bad (烂, 坏了, 发霉, 不新鲜, 变质 — or crushed) is spoiled fresh food whatever else the
    words say about the parcel, and a defect after use (洗了一次就掉色, 穿了两天开胶, 用了几天
    坏了) is a quality defect, never transport damage; so is a fault told long after the order
    was signed for (`now` given: the policy's days), unless the words say it was never opened
    or used."""
    clean = DENIED.sub("，", normalise(text).replace(" ", ""))
    found: list[ProblemKind] = []
    if WRONG.search(clean):
        found.append(ProblemKind.WRONG_ITEM)
    if MISSING.search(clean):
        found.append(ProblemKind.MISSING_ITEM)
    # 签收好几天了 一直没空拆, 等了好几天没人上门取件: neither lost nor late
    in_hand = bool(UNOPENED.search(clean) or RETURN_PICKUP.search(clean))
    if LOST.search(clean) and not in_hand:
        found.append(ProblemKind.LOST)
    if is_late(clean) and not in_hand:
        found.append(ProblemKind.LATE)
    products = [item.variant.product for item in order.items] if order is not None else []
    fresh = [p for p in products if is_fresh(p, policy)]
    others = [p for p in products if p not in fresh]
    about_fresh = bool(fresh) and (_named(clean, fresh) or not _named(clean, others))
    # no order yet: fresh food named by its kind (橙子有几个软了还长毛), as it is, never a
    # worry before buying (橙子寄过去会烂吗 怕路上坏了)
    told_so = not WORRIED.search(clean)
    about_fresh = about_fresh or (not products and told_so and _names_fresh_goods(clean, policy))
    if about_fresh and (SPOILED.search(clean) or DAMAGED.search(clean)):
        # bad pieces are the fresh-food policy; a wrong or missing item too is said first
        if set(found) & {ProblemKind.WRONG_ITEM, ProblemKind.MISSING_ITEM}:
            return ProblemReading((*found, ProblemKind.SPOILED_FRESH))
        return ProblemReading((ProblemKind.SPOILED_FRESH, *found))
    policy = policy or load_problem_policy()
    unused = NOT_USED.search(clean)
    used = bool(USED.search(NOT_USED.sub("", clean))) or (
        not unused and in_use_since(order, now, policy)
    )
    printed = PRINT_FAULT.search(clean)
    if printed and not MISSING.search(PRINT_FAULT.sub("", clean)):
        # 中间少了好多页: the pages are what is missing, not an item of the parcel
        found = [kind for kind in found if kind is not ProblemKind.MISSING_ITEM]
    # (箱子压坏了 有杂音: the damage on the way is what the shopper tells)
    in_use = used or bool(
        FAULT_IN_USE.search(clean) and not DAMAGED.search(clean) and not NOT_THE_GOODS.search(clean)
    )
    packaged_spoiled = bool(products and PACKAGED_SPOILED.search(clean))
    if printed or (in_use and DEFECT.search(clean)) or packaged_spoiled:
        return ProblemReading((ProblemKind.QUALITY_DEFECT, *found))
    if DAMAGED.search(clean):
        found.append(ProblemKind.TRANSPORT_DAMAGE)
    return ProblemReading(tuple(found))


@dataclass(frozen=True)
class WhichAction:
    """The shopper's words fit two different things to do: the bot asks which, with a button
    each, instead of guessing; `described` is the problem the words describe, if any."""

    order_no: str
    described: ProblemKind | None = None

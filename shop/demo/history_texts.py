"""The words of the generated history: review texts, chat lines, places and made-up customers.

Every text is assembled from templates written for the demo (never copied from real data). They
hold no personal data: no phone numbers, no names, no addresses.
"""

import random

# --- reviews ---------------------------------------------------------------------------------

# A noun for the goods, per category code, used in the templates as {thing}.
THING = {
    "apparel": ["衣服", "这件", "面料", "版型"],
    "shoes": ["鞋子", "这双鞋", "鞋底", "鞋面"],
    "electronics": ["东西", "耳机", "机器", "这个"],
    "computers": ["东西", "这个", "设备"],
    "appliances": ["机器", "这台", "锅"],
    "food": ["味道", "零食", "东西"],
    "fresh": ["果子", "水果", "橙子"],
    "books": ["书", "印刷", "纸张"],
    "beauty": ["质地", "这瓶", "味道"],
    "home": ["东西", "做工", "料子"],
}

GOOD_OPENING = [
    "收到了，{thing}很不错",
    "第二次买了，{thing}还是一样好",
    "{thing}和描述的一样",
    "挺满意的，{thing}做工精细",
    "性价比很高，{thing}超出预期",
    "帮家里人买的，都说{thing}好",
    "包装很用心，{thing}完好无损",
    "{thing}质量可以，对得起这个价",
]
GOOD_DETAIL = [
    "物流也快，隔天就到了",
    "客服回复很及时，耐心解答",
    "用了几天再来评价，没有问题",
    "发货速度快，包装严实",
    "",
    "",
    "颜色很正，和图片一致",
    "细节处理得很好",
]
GOOD_CLOSING = ["好评！", "推荐购买。", "会回购的。", "满意。", "", "五星好评。", "值得入手。"]
NEUTRAL = [
    "还行吧，{thing}一般般，凑合用",
    "中规中矩，没有惊喜",
    "{thing}还可以，就是等得有点久",
    "东西收到了，还没用，用了再追评",
]

# Negative texts per sub-cause (`cause.sub`), as a shopper writes them.
NEGATIVE = {
    "product.defect": [
        "用了两天就坏了，{thing}完全不能用",
        "收到就是坏的，开不了机",
        "左耳没有声音，右耳也时断时续",
        "充不进电，换了线也不行",
        "{thing}有瑕疵，开线了",
    ],
    "product.poor_quality": [
        "质量太差了，{thing}一洗就起球",
        "做工粗糙，线头很多",
        "{thing}很薄，感觉很廉价",
        "用了一周就掉色了",
    ],
    "product.not_as_described": [
        "和图片差别太大了，完全不是一个东西",
        "描述说是纯棉，摸起来明显是化纤",
        "实物颜色和详情页不一样",
    ],
    "product.size_fit": [
        "尺码偏小，按尺码表买的还是穿不上",
        "码数不准，大了一圈",
        "鞋子偏窄，穿着挤脚",
    ],
    "product.not_fresh": [
        "收到好几个都烂了，不新鲜",
        "果子有坏的，一股酒味",
        "水分很少，干巴巴的不新鲜",
    ],
    "product.smell": ["味道很大，放了好几天还有刺鼻的味", "一打开一股塑料味"],
    "product.packaging": ["包装很简陋，盒子都是旧的", "产品包装漏了，瓶口没封好"],
    "logistics.slow": [
        "物流太慢了，等了一个星期才到",
        "快递好几天不更新，催了好几次",
        "说好的三天到，结果八天才收到",
        "发货太慢，下单四天才发",
    ],
    "logistics.damaged_in_transit": [
        "快递压坏了，外包装破了一个大洞",
        "收到的时候盒子都压扁了，里面也磕坏了",
        "运输途中摔坏了，边角裂开",
    ],
    "logistics.lost": [
        "显示签收了但是我根本没收到",
        "快递丢了，到现在都没拿到",
    ],
    "logistics.wrong_or_missing_item": [
        "发错颜色了，我买的是黑色",
        "少发了一件，只收到一个",
        "说好的赠品没有收到",
    ],
    "logistics.courier": [
        "快递员态度很差，不送上门还不接电话",
        "放在驿站也不说一声，找了半天",
    ],
    "service.attitude": ["客服态度很差，问什么都敷衍", "卖家爱理不理的，体验很差"],
    "service.slow_reply": ["找客服半天不回，等了一个小时没人理", "咨询客服一直没人回复"],
    "service.after_sales": ["申请退货一直不处理，售后推来推去", "售后太慢了，一周了还没退款"],
    "price.overpriced": ["太贵了，同样的东西别家便宜很多"],
    "price.price_drop": ["刚买完就降价了，差了三十块", "买完第二天就便宜了，心塞"],
    "price.not_worth": ["不值这个价，性价比太低"],
}
NEGATIVE_TAIL = ["差评！", "很失望。", "不会再买了。", "", "希望商家重视。", "给个差评。", ""]
ANGRY_TAIL = ["再不处理我就投诉到12315。", "要求给个说法，不然找平台介入。"]


def good_review(rng: random.Random, category: str) -> str:
    thing = rng.choice(THING.get(category, ["东西"]))
    parts = [rng.choice(GOOD_OPENING), rng.choice(GOOD_DETAIL), rng.choice(GOOD_CLOSING)]
    return "，".join(p for p in parts if p).format(thing=thing).replace("，。", "。")


def neutral_review(rng: random.Random, category: str) -> str:
    return rng.choice(NEUTRAL).format(thing=rng.choice(THING.get(category, ["东西"])))


def negative_clause(rng: random.Random, sub_cause: str, category: str) -> str:
    thing = rng.choice(THING.get(category, ["东西"]))
    return rng.choice(NEGATIVE[sub_cause]).format(thing=thing)


def negative_review(clauses: list[str], angry: bool, rng: random.Random) -> str:
    tail = rng.choice(ANGRY_TAIL) if angry else rng.choice(NEGATIVE_TAIL)
    return "，".join(clauses) + "。" + tail


# --- chat --------------------------------------------------------------------------------------

# (shopper's line, bot's answer) by topic: the conversations the bot answers alone.
BOT_TOPICS = {
    "track_order": [
        ("我的快递到哪了", "亲，您的包裹正在运输中，预计明天送达，请留意查收哦。"),
        ("什么时候发货呀", "亲，下单后48小时内发货，发货后会第一时间通知您。"),
    ],
    "faq": [
        ("包邮吗", "亲，单笔订单满99元包邮，不满收取8元运费。"),
        ("怎么开发票", "亲，确认收货后可在订单详情申请电子发票，也可以告诉我抬头帮您申请。"),
        ("七天无理由怎么算", "亲，签收次日起7天内，商品不影响二次销售即可申请无理由退货。"),
        ("退款多久到账", "亲，退款原路返回，支付宝一般1-3个工作日到账。"),
    ],
    "ask_product_info": [
        ("这款是纯棉的吗", "亲，这款面料是100%棉，亲肤透气。"),
        ("支持快充吗", "亲，支持最高22.5W快充哦。"),
    ],
    "ask_size_advice": [
        ("身高170体重65穿什么码", "亲，建议您选L码，喜欢宽松可以选XL。"),
    ],
    "ask_stock": [("黑色M码还有吗", "亲，黑色M码目前有货，现在下单今天就能发出。")],
}
SHOPPER_THANKS = ["好的谢谢", "明白了", "好的", "谢谢亲"]
BOT_GOODBYE = "不客气，祝您购物愉快～"

# Why a shopper asks for a person, and what they say (by escalation reason).
HANDOFF_LINES = {
    "shopper_asked": ["转人工", "我要找人工客服", "有人吗，转人工"],
    "complaint": [
        "你们服务太差了，我要投诉",
        "东西有问题一直没人管，我要投诉",
        "太失望了，我要投诉",
    ],
    "bot_did_not_understand": ["你听不懂我说的话吗", "我不是问这个"],
    "needs_agent": ["能帮我合并两个订单一起发吗", "可以开个收据吗"],
    "remedy_approval": ["快递压坏了，能直接退款吗"],
    "case_overdue": ["说好今天回复我的，怎么还没消息"],
}
BOT_HANDOFF = "好的，正在为您转接人工客服，请稍候。"
AGENT_OPENING = ["您好，我是客服{agent}，请问有什么可以帮您？", "亲，久等了，我来帮您看一下。"]
AGENT_ANSWERS = [
    "已经帮您查到订单了，我这边马上跟进处理。",
    "非常抱歉给您添麻烦了，我已经登记，会尽快给您答复。",
    "已经帮您催促快递了，有新进展第一时间告诉您。",
    "我们给您补发一份，今天就能发出。",
]
SHOPPER_AFTER = ["好的，麻烦尽快", "行吧", "好的谢谢", "那我等消息"]
AGENT_CLOSING = "还有其他可以帮您的吗？祝您生活愉快。"

CASE_DETAIL = {
    "delayed": "物流好几天没有更新了",
    "lost": "显示已签收但没有收到",
    "damaged": "收到时外箱破损，商品有磕碰",
    "wrong_item": "收到的颜色和下单的不一样",
    "missing_item": "少发了一件",
}

# --- places and made-up customers ---------------------------------------------------------------

# (province, city, district, weight): where the orders go, weighted like online shopping is.
PLACES = [
    ("广东", "广州", "天河区", 9),
    ("广东", "深圳", "南山区", 8),
    ("浙江", "杭州", "西湖区", 7),
    ("浙江", "宁波", "鄞州区", 3),
    ("江苏", "南京", "鼓楼区", 5),
    ("江苏", "苏州", "工业园区", 4),
    ("上海", "上海", "浦东新区", 7),
    ("北京", "北京", "朝阳区", 6),
    ("山东", "济南", "历下区", 4),
    ("四川", "成都", "武侯区", 5),
    ("湖北", "武汉", "洪山区", 4),
    ("河南", "郑州", "金水区", 4),
    ("福建", "厦门", "思明区", 3),
    ("湖南", "长沙", "岳麓区", 3),
    ("陕西", "西安", "雁塔区", 3),
    ("重庆", "重庆", "渝北区", 3),
    ("安徽", "合肥", "蜀山区", 2),
    ("辽宁", "沈阳", "和平区", 2),
    ("天津", "天津", "南开区", 2),
    ("云南", "昆明", "五华区", 1),
    ("广西", "南宁", "青秀区", 1),
    ("黑龙江", "哈尔滨", "南岗区", 1),
    ("新疆", "乌鲁木齐", "天山区", 1),
]
STREETS = ["人民路", "建设路", "中山路", "解放路", "文化路", "和平路", "学府路", "滨江路"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂红玲华飞鹏宇浩然欣怡子涵梓轩思雨"
LEVELS = ["普通会员", "普通会员", "银卡会员", "金卡会员", "钻石会员"]


def customer_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def street_address(rng: random.Random, province: str, city: str, district: str) -> str:
    """A made-up address that starts with the province, as addresses do."""
    head = f"{city}市" if province == city else f"{province}省{city}市"
    if province in ("广西", "新疆"):
        head = f"{province}{city}市"
    street = f"{rng.choice(STREETS)}{rng.randrange(1, 400)}号"
    return f"{head}{district}{street}{rng.randrange(1, 30)}幢{rng.randrange(101, 2800)}室"

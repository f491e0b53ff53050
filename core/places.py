"""Chinese places shoppers name: the provinces (省级行政区, short names) and the big cities written
without their province. Plain data, importable by the Rasa components (Python 3.10, no pydantic)."""

# The 34 province-level divisions (省级行政区) by the short names addresses start with (浙江, not
# 浙江省); none is a prefix of another.
PROVINCES: tuple[str, ...] = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江",
    "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州",
    "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港",
    "澳门",
)  # fmt: skip

# The big cities shoppers write without their province (an address starts with one of these or
# with a province, PROVINCES).
CITY_PROVINCE = {
    city: province
    for province, cities in {
        "广东": "广州 深圳 东莞 佛山 珠海 惠州 中山 汕头 江门 湛江",
        "浙江": "杭州 宁波 温州 绍兴 嘉兴 金华 台州",
        "江苏": "南京 苏州 无锡 常州 徐州 南通 扬州",
        "湖北": "武汉 宜昌 襄阳",
        "四川": "成都 绵阳",
        "陕西": "西安",
        "河南": "郑州 洛阳",
        "湖南": "长沙 株洲",
        "辽宁": "沈阳 大连",
        "山东": "青岛 济南 烟台 潍坊",
        "福建": "厦门 福州 泉州",
        "安徽": "合肥 芜湖",
        "云南": "昆明 大理 丽江",
        "广西": "南宁 桂林 柳州",
        "江西": "南昌",
        "贵州": "贵阳 遵义",
        "山西": "太原",
        "河北": "石家庄 保定 唐山 廊坊",
        "黑龙江": "哈尔滨",
        "吉林": "长春",
        "甘肃": "兰州 天水 酒泉 嘉峪关 张掖 敦煌",
        "海南": "海口 三亚",
        "内蒙古": "呼和浩特 包头 鄂尔多斯 赤峰 呼伦贝尔 海拉尔",
        "新疆": "乌鲁木齐 喀什 伊犁 伊宁 克拉玛依 库尔勒 阿克苏 和田 石河子 哈密 吐鲁番",
        "西藏": "拉萨 日喀则 林芝 昌都",
        "宁夏": "银川 石嘴山 吴忠 固原",
        "青海": "西宁 格尔木 海东",
    }.items()
    for city in cities.split()
}

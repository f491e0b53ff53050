"""The region (province) of a shipping address, as reports group complaints by it."""

import re

from core.text import PROVINCES

REGION_LENGTH = 16  # the events' `region` column

# The big cities shoppers write without their province (an address starts with one of these or
# with a province, core.text.PROVINCES).
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
        "甘肃": "兰州",
        "海南": "海口 三亚",
        "内蒙古": "呼和浩特",
        "新疆": "乌鲁木齐",
        "西藏": "拉萨",
        "宁夏": "银川",
        "青海": "西宁",
    }.items()
    for city in cities.split()
}
_PLACE = re.compile("|".join(sorted([*PROVINCES, *CITY_PROVINCE], key=len, reverse=True)))


def province(address: str | None) -> str | None:
    """The province (省级行政区, short name: 浙江, 上海, 内蒙古) an address lies in, when it
    starts with one or with a big city; None when it cannot be told."""
    return _province_of(_PLACE.match(address.strip())) if address else None


def province_named(text: str | None) -> str | None:
    """The province a message names anywhere (寄新疆多少运费, 发乌鲁木齐包邮吗), short name; None
    when it names none."""
    return _province_of(_PLACE.search(text or ""))


def _province_of(found: re.Match[str] | None) -> str | None:
    """The province of a place found (a province, or a big city's), short name."""
    if found is None:
        return None
    place = found.group()
    return CITY_PROVINCE.get(place, place)[:REGION_LENGTH]

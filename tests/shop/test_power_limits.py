"""A power limit the shopper states (宿舍限800w, 插座10A) is compared with the product's power:
1800W is over an 800W limit and would likely trip it; the product's own wattage named in the
question is no limit."""

import pytest

from shop.power_limits import PowerAgainstLimit, PowerLimit, stated_limit
from shop.presale import ProductFact
from shop.product_questions import ProductFacts, product_answer
from tests.shop.conftest import catalogue_product
from words.render import say

KETTLE, AIR_FRYER, RICE_COOKER, HEATER, VACUUM, POWER_BANK = (
    "P5004",
    "P5002",
    "P5001",
    "P5005",
    "P5003",
    "P3003",
)


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        ("我们宿舍限800w 能用不 会不会跳闸", PowerLimit(800, "800W")),
        ("学校限电 最多800瓦", PowerLimit(800, "800W")),
        ("宿舍功率超过1千瓦就断电", PowerLimit(1000, "1kW")),
        ("出租屋的插座是10A的", PowerLimit(2200, "10A")),
        ("寝室限制 500 W 以内", PowerLimit(500, "500W")),
    ],
)
def test_a_limit_said_with_its_unit_is_read_in_watts(text, limit):
    assert stated_limit(text) == limit


@pytest.mark.parametrize(
    "text", ["这个水壶多少瓦", "会不会跳闸", "费电吗", "1800w的会不会很费电", "安装要钱吗"]
)
def test_a_question_that_states_no_limit_reads_none(text):
    assert stated_limit(text, own=(1800,)) is None


@pytest.mark.parametrize(
    "question",
    [
        "我们宿舍限800w 能用不 会不会跳闸",
        "宿舍限电800瓦 这个能用吗",
        "寝室最多带得动1000w 会跳闸吗",
        "学校规定不能超过500W 能插吗",
    ],
)
def test_a_kettle_over_the_limit_is_said_to_be_over_and_to_trip_it(db, question):
    kettle = catalogue_product(db, KETTLE)
    answer = product_answer(kettle, question)
    assert isinstance(answer, PowerAgainstLimit)
    assert answer.over == (("功率", 1800),)
    text = say(answer)
    assert "1800W" in text
    assert "超过了您说的" in text
    assert "跳闸" in text


def test_a_product_within_the_limit_is_said_to_be_within_it(db):
    fryer = catalogue_product(db, AIR_FRYER)
    text = say(product_answer(fryer, "我家那条线路限2000w 能用不"))
    assert "1500W" in text
    assert "以内" in text
    assert "超过" not in text


def test_a_current_limit_is_said_in_watts_beside_it(db):
    cooker = catalogue_product(db, RICE_COOKER)
    text = say(product_answer(cooker, "宿舍插座只有5A 能用吗"))
    assert "5A（约1100W）" in text
    assert "1200W" in text
    assert "超过了" in text


def test_a_product_with_two_powers_says_which_is_over(db):
    vacuum = catalogue_product(db, VACUUM)
    text = say(product_answer(vacuum, "我这边限1000瓦 基站能用吗"))
    assert "65W" in text
    assert "1400W" in text
    assert "其中1400W超过了您说的1000W" in text


def test_the_products_own_wattage_in_the_question_is_no_limit(db):
    kettle = catalogue_product(db, KETTLE)
    assert isinstance(product_answer(kettle, "1800w烧水快吗 费电吗"), ProductFact | ProductFacts)


def test_a_page_that_rates_its_socket_answers_a_current_itself(db):
    heater = catalogue_product(db, HEATER)
    assert not isinstance(product_answer(heater, "家里是10a的插座 能用吗"), PowerAgainstLimit)


def test_a_charger_output_is_no_mains_power_to_compare(db):
    bank = catalogue_product(db, POWER_BANK)
    assert not isinstance(product_answer(bank, "宿舍限800w 能用吗"), PowerAgainstLimit)

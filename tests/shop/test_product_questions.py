"""Follow-ups about the product in focus get the catalogue's answer or an honest "not listed"."""

import pytest

from shop.presale import FactUnknown, ProductFact
from shop.product_questions import (
    OptionKind,
    ProductFacts,
    ProductOptions,
    is_bare_mention,
    product_answer,
)
from tests.shop.conftest import catalogue_product
from words.render import say


@pytest.mark.parametrize(
    ("code", "question", "attribute"),
    [
        ("P1001", "透不透", "厚度"),  # 适中，浅色不透
        ("P1001", "白色的会不会透啊", "厚度"),
        ("P3003", "充电多少瓦", "快充功率"),
        ("P3001", "几w快充", "快充功率"),
        ("P5004", "烧水多少瓦", "功率"),  # a kettle has no fast charging: its power
        ("P5005", "要另外收钱不", "安装费用"),
        ("P5005", "上门装要钱不", "安装费用"),
        ("P9003", "能保温几个小时", "保温效果"),
    ],
)
def test_a_short_follow_up_gets_the_catalogues_own_fact(db, code, question, attribute):
    product = catalogue_product(db, code)
    answer = product_answer(product, question)
    assert answer == ProductFact(product.name, attribute, str(product.attributes[attribute]))


def test_whether_a_shirt_needs_ironing_is_its_care_label_and_finish(db):
    # trial 28, T972 t8: 衬衫要熨吗 got "商品详情里暂时没有写明" for a no-iron shirt
    answer = product_answer(catalogue_product(db, "P1003"), "衬衫要熨吗")
    assert not isinstance(answer, FactUnknown)
    assert "中温熨烫" in say(answer)


def test_a_question_answered_by_several_facts_gets_them_all(db):
    earbuds = catalogue_product(db, "P3002")
    answer = product_answer(earbuds, "能用多久")
    assert isinstance(answer, ProductFacts)
    assert [name for name, _ in answer.facts] == ["单次续航", "总续航"]


@pytest.mark.parametrize(
    ("code", "question"),
    [
        ("P1001", "要另外收钱不"),  # a T-shirt lists no fee
        ("P3003", "透不透"),
        ("P3003", "能用多久"),  # the power bank lists no running time
    ],
)
def test_what_the_catalogue_does_not_list_is_not_invented(db, code, question):
    product = catalogue_product(db, code)
    assert product_answer(product, question) == FactUnknown(product.name)


def test_which_colours_a_product_comes_in_is_read_from_its_variants(db):
    phone = catalogue_product(db, "P3001")
    assert product_answer(phone, "有几种颜色") == ProductOptions(
        phone.name, OptionKind.COLOR, ("子夜黑", "镜瓷白", "暮光紫")
    )
    tee = catalogue_product(db, "P1001")
    assert product_answer(tee, "都有啥颜色").options == ("黑色", "白色", "雾霾蓝")
    assert product_answer(tee, "有哪些尺码").options == ("S", "M", "L", "XL", "XXL")


def test_a_product_without_colours_says_the_versions_it_comes_in(db):
    nuts = catalogue_product(db, "P6001")
    answer = product_answer(nuts, "有几种颜色")
    assert answer.kind == OptionKind.SPEC
    assert answer.options == tuple(v.label for v in nuts.variants)


def test_size_advice_is_not_mistaken_for_a_list_of_sizes(db):
    tee = catalogue_product(db, "P1001")
    assert not isinstance(product_answer(tee, "我穿什么尺码"), ProductOptions)


@pytest.mark.parametrize(
    ("code", "text", "bare"),
    [
        ("P3003", "那充电宝呢", True),
        ("P3002", "耳机的呢", True),
        ("P3003", "安克的呢", True),
        ("P3005", "那个小米的手环呢", True),
        ("P3001", "换成红米呢？", True),
        ("P3003", "充电宝多重", False),
        ("P3002", "耳机贵吗", False),
        ("P3001", "红米防水吗", False),
        ("P3003", "那呢", False),  # names nothing
    ],
)
def test_a_bare_mention_only_names_the_product(db, code, text, bare):
    assert is_bare_mention(catalogue_product(db, code), text) is bare


@pytest.mark.parametrize(
    ("code", "question", "label", "says"),
    [
        ("P3002", "漫步者那个耳机能戴着游泳吗", "防水等级", "不可游泳佩戴"),
        ("P3005", "手环能戴着游泳吗", "防水等级", "可游泳佩戴"),
        ("P3003", "能带上飞机吗", "登机", "可随身携带登机"),
        ("P5005", "我家插座是普通的 能用吗", "电压", "16A专用插座"),
        ("P3001", "手机能分期吗", "优惠活动", "12期免息"),
        ("P3001", "充电器要另外收钱不", "快充功率", "包装内含45W充电器"),
    ],
)
def test_a_fact_written_inside_another_facts_text_is_found_on_the_page(
    db, code, question, label, says
):
    product = catalogue_product(db, code)
    answer = product_answer(product, question)
    assert isinstance(answer, ProductFact)
    assert (answer.attribute, says in answer.value) == (label, True)


def test_a_message_with_two_questions_gets_both_facts(db):
    bank = catalogue_product(db, "P3003")
    answer = product_answer(bank, "充电宝多少瓦的 能带上飞机吗")
    assert isinstance(answer, ProductFacts)
    assert [name for name, _ in answer.facts] == ["快充功率", "登机"]


def test_a_topic_the_page_does_not_cover_is_still_unknown(db):
    bank = catalogue_product(db, "P3003")
    assert product_answer(bank, "能不能游泳的时候用") == FactUnknown(bank.name)
    assert product_answer(bank, "能分期吗") == FactUnknown(bank.name)


def test_a_fact_not_in_the_topics_words_is_completed_by_the_sentence_that_says_it(db):
    dress = catalogue_product(db, "P1002")
    answer = product_answer(dress, "透不透")
    assert isinstance(answer, ProductFacts)
    assert answer.facts[0] == ("厚度", str(dress.attributes["厚度"]))
    assert "不透肉" in answer.facts[1][1]


@pytest.mark.parametrize("question", ["要不要翻面", "这个炸东西中途要不要翻面啊"])
def test_a_chore_the_page_says_the_product_spares_is_answered_by_that_sentence(db, question):
    air_fryer = catalogue_product(db, "P5002")  # 上下双热源无需翻面
    answer = product_answer(air_fryer, question)
    assert isinstance(answer, ProductFact)
    assert "无需翻面" in answer.value


def test_a_chore_only_the_products_name_spares_is_answered_from_the_name(db):
    air_fryer = catalogue_product(db, "P5002")
    air_fryer.description = "5.5L大容量，可视窗口。"
    answer = product_answer(air_fryer, "要不要翻面")
    assert answer == ProductFact(air_fryer.name, "商品标题", "无需翻面")
    db.rollback()


def test_a_chore_the_page_does_not_spare_stays_not_listed(db):
    air_fryer = catalogue_product(db, "P5002")
    assert isinstance(product_answer(air_fryer, "需要预热吗"), FactUnknown)


def test_the_weight_asked_in_a_shoppers_words_is_the_weight_attribute(db):
    shoes = catalogue_product(db, "P2001")  # 单只重量: 约220g（42码）
    answer = product_answer(shoes, "这鞋多重")
    assert isinstance(answer, ProductFact)
    assert answer.attribute == "单只重量"


@pytest.mark.parametrize(
    ("code", "question", "attribute"),
    [("P3005", "手环洗热水澡能戴吗", "防水等级"),  # T510: 5ATM, 不可用于…热水淋浴
     ("P3002", "耳机跑步出汗呢", "防水等级"),  # IP54 防汗
     ("P3004", "三个口全插呢", "快充功率"),  # T508: 45W+10W+10W
     ("P3003", "充电宝自己充满要多久 用啥头", "输入"),  # USB-C 5V⎓3A / 9V⎓2A
     ("P3005", "苹果手机能用吗", "兼容性")],  # iOS 12.0及以上
)  # fmt: skip
def test_a_follow_up_in_everyday_words_gets_the_fact_the_page_has(db, code, question, attribute):
    """Trial 16: each of these was said to be "not listed" though the page says it (T508, T510)."""
    answer = product_answer(catalogue_product(db, code), question)
    assert isinstance(answer, ProductFact)
    assert answer.attribute == attribute


def test_a_word_of_the_products_own_name_asks_nothing_of_that_property(db):
    # trial 28, T964 t3: 漫步者降噪耳机 买回来戴着不舒服能退吗 got the noise cancelling's depth
    answer = product_answer(catalogue_product(db, "P3002"), "漫步者降噪耳机 戴着不舒服能退吗")
    assert isinstance(answer, ProductFact)
    assert answer.attribute == "售后规则"
    named_only = product_answer(catalogue_product(db, "P3002"), "再问下漫步者降噪耳机")
    assert isinstance(named_only, FactUnknown)  # the product named, nothing asked of it yet


def test_a_property_asked_in_a_word_is_answered_by_the_fact_that_names_it(db):
    # 透气吗: the shoe's 功能 says 透气 (never the see-through topic of 透不透)
    shoes = product_answer(catalogue_product(db, "P2001"), "透气吗 跑步会不会闷")
    assert isinstance(shoes, ProductFact)
    assert shoes.attribute == "功能"
    assert shoes.unlisted == ("跑步会不会闷",)
    # 内胆是304的吗: the kettle's 内胆材质 is 304不锈钢, a claim its title makes too
    kettle = product_answer(catalogue_product(db, "P5004"), "内胆是304的吗")
    assert isinstance(kettle, ProductFact)
    assert kettle.attribute == "内胆材质"
    # 是氮化镓的吗: the charger's description says 氮化镓芯片 (no topic asks it)
    charger = product_answer(catalogue_product(db, "P3004"), "是氮化镓的吗")
    assert isinstance(charger, ProductFact)
    assert "氮化镓" in charger.value


@pytest.mark.parametrize(
    ("code", "question", "attribute"),
    [
        ("P4005", "1T实际能用多少", "容量"),  # trial 18 T588: 约931GB is on the page
        ("P9001", "水星这个冬被1米8的床能用吗", "规格"),  # trial 18 T599: 适用1.5m/1.8m床
        ("P5004", "烧开要多久", "商品详情"),  # trial 17 T559: 约5分钟烧开一壶水
    ],
)
def test_everyday_words_for_a_fact_on_the_page_find_it(db, code, question, attribute):
    answer = product_answer(catalogue_product(db, code), question)
    assert isinstance(answer, ProductFact)
    assert answer.attribute == attribute


def test_whether_it_holds_up_leans_on_the_condition_said_beside_it(db):
    # trial 18 T586: "东北零下二十来度 这鞋顶得住不" got the temperature, then "没有写明"
    answer = product_answer(catalogue_product(db, "P2003"), "东北零下二十来度 这鞋顶得住不")
    assert isinstance(answer, ProductFacts)
    assert answer.unlisted == ()
    assert "适用温度" in [name for name, _ in answer.facts]


def test_a_size_the_product_does_not_come_in_is_said_with_the_sizes_it_has(db):
    # trial 18 T600: "有160码的吗" of a kids' coat in 110-150 got "没有写明"
    answer = product_answer(catalogue_product(db, "P1009"), "这款儿童羽绒服有160码的吗")
    assert isinstance(answer, ProductOptions)
    assert answer.not_offered == "160"
    assert answer.options[-1] == "150"
    assert not isinstance(
        product_answer(catalogue_product(db, "P1009"), "有150的吗"), ProductOptions
    )


@pytest.mark.parametrize("question", ["李宁跑鞋有白绿色吗", "有没有红色的", "浅蓝色的有吗"])
def test_a_colour_the_product_does_not_come_in_is_said_with_the_colours_it_has(db, question):
    # trial 21, T702: "有白绿色吗" of a running shoe in 标准白 and 黑色 got "没有写明"
    answer = product_answer(catalogue_product(db, "P2001"), question)
    assert isinstance(answer, ProductOptions)
    assert answer.not_offered is not None
    assert answer.not_offered.endswith("色")
    assert answer.options == ("标准白", "黑色")


@pytest.mark.parametrize("question", ["有白色的吗", "黑色的有吗", "有没有什么颜色", "有深色的吗"])
def test_a_colour_it_has_or_a_question_about_its_colours_is_no_colour_missing(db, question):
    answer = product_answer(catalogue_product(db, "P2001"), question)
    assert not (isinstance(answer, ProductOptions) and answer.not_offered)


def test_whether_the_sole_grips_on_snow_is_its_sole(db):
    # trial 18 T586: "下雪天滑不滑" of snow boots got "我不太确定您的意思"
    answer = product_answer(catalogue_product(db, "P2003"), "下雪天滑不滑")
    assert "大底" in [name for name, _ in answer.facts]


@pytest.mark.parametrize(
    ("code", "question", "says"),
    [
        ("P3001", "送的那个膜和壳是一起寄来吗", "赠钢化膜"),  # trial 20, T643: the gift
        ("P4001", "那开机到底算不算激活", "激活Windows系统"),  # T646: the category's own rule
        ("P6004", "是今年的新米吗", "2025年"),  # T648: the production date, as the page has it
        # trial 25, T874: the tea's picking time and its storage were said to be unlisted
        ("P6005", "龙井礼盒是今年的明前吗 送长辈的", "2025年清明前"),
        ("P6005", "收到怎么保存 放冰箱吗", "0-5℃冷藏保存"),
    ],
)
def test_facts_the_page_states_in_other_words_are_found_not_called_unlisted(
    db, code, question, says
):
    answer = product_answer(catalogue_product(db, code), question)
    assert not isinstance(answer, FactUnknown)
    assert says in say(answer)


def test_a_warranty_in_months_beside_a_question_the_page_leaves_keeps_its_unit(db):
    # trial 21: "保修吗 开胶怎么办" of the 回力 shoes got "保修：3。"
    answer = product_answer(catalogue_product(db, "P2002"), "回力小白鞋保修吗 开胶怎么办")
    assert say(answer).startswith("这款「回力")
    assert "保修：3个月；" in say(answer)
    # 开胶 is the shoes' after-sales rule (trial 25, T856: once said to be not on the page)
    assert "3个月内出现开胶、断底等质量问题可免费维修或换新" in say(answer)
    assert "「开胶怎么办」" not in say(answer)


def test_a_monitors_pixels_get_its_own_promise_never_the_laptops_rule(db):
    # trial 26, T914: 坏点 got "您想了解哪方面", then the laptop's Windows-activation rule
    monitor = catalogue_product(db, "P4002")
    facts = product_answer(monitor, "收到要是有坏点或者亮点 能换吗")
    said = say(facts)
    assert "无亮点" in said
    assert "Windows" not in said


def test_a_wall_asked_in_other_words_gets_the_mount(db):
    fact = product_answer(catalogue_product(db, "P4002"), "显示器能挂墙吗")
    assert isinstance(fact, ProductFact)
    assert fact.attribute == "壁挂"

"""Reading a follow-up about the product in focus (trial T37-T40): what it asks when no fact
does, a variant named alone, a size up or down, a question the page leaves open, a thing that
comes in the box, a foot shape and a size asked about for shoes."""

import pytest

from shop.presale import FootShape, ProductFact, ShoeSizeAdvice, advise_size
from shop.product_questions import (
    AskedAbout,
    PresaleTopic,
    ProductFacts,
    asked_topic,
    names_only_a_variant,
    product_answer,
    relative_size,
)
from tests.shop.conftest import catalogue_product


@pytest.mark.parametrize(
    ("code", "question", "topic"),
    [
        ("P1001", "那黑色呢", PresaleTopic.STOCK),
        ("P1001", "那雾霾蓝XXL呢 给我爸买", PresaleTopic.STOCK),
        ("P1001", "XL的呢", PresaleTopic.STOCK),
        ("P1001", "有大一码的吗", PresaleTopic.STOCK),
        ("P1008", "小一号的还有没", PresaleTopic.STOCK),
        ("P1008", "我这个身高体重穿啥", PresaleTopic.SIZE),
        ("P2002", "她脚有点宽", PresaleTopic.SIZE),
        ("P2003", "要买38吗", PresaleTopic.SIZE),
        ("P2003", "这个要不要买大一码", PresaleTopic.SIZE),
        ("P1001", "那买三件呢", PresaleTopic.PRICE),
        ("P1001", "有优惠吗", PresaleTopic.PRICE),
        ("P1001", "黑色的好看吗", None),  # a colour with a question no answer has
        ("P1001", "好的", None),
    ],
)
def test_a_follow_up_is_read_as_the_question_it_asks(db, code, question, topic):
    assert asked_topic(catalogue_product(db, code), question) == topic


def test_a_follow_up_the_facts_do_not_answer_is_asked_about_its_topic(db):
    tee = catalogue_product(db, "P1001")
    assert product_answer(tee, "那黑色呢") == AskedAbout(tee.name, PresaleTopic.STOCK)
    # a fact the page has still wins over the colour it names
    assert isinstance(product_answer(tee, "白色透不透"), ProductFact)


@pytest.mark.parametrize(
    ("text", "only"),
    [
        ("那黑色呢", True),
        ("那雾霾蓝XXL呢 给我爸买", True),
        ("T恤白色的呢", True),
        ("黑色的好看吗", False),
        ("那红色呢", False),  # not one of its colours
        ("白色透不透", False),
    ],
)
def test_a_message_naming_only_a_variant_is_told_apart(db, text, only):
    assert names_only_a_variant(catalogue_product(db, "P1001"), text) is only


@pytest.mark.parametrize(
    ("code", "text", "base", "size"),
    [
        ("P1001", "有大一码的吗", "L", "XL"),
        ("P1001", "小一号的呢", "L", "M"),
        ("P1001", "大两码的有吗", "M", "XL"),
        ("P1001", "有大一码的吗", "XXL", None),  # none bigger
        ("P2002", "大一码的有吗", "37", "38"),
        ("P1001", "有大一码的吗", None, None),  # no size in focus
        ("P1001", "有货吗", "L", None),
    ],
)
def test_a_size_up_or_down_follows_the_size_chart(db, code, text, base, size):
    assert relative_size(catalogue_product(db, code), text, base) == size


def test_a_second_question_the_page_does_not_answer_is_named_beside_the_answered_one(db):
    hoodie = catalogue_product(db, "P1008")
    answer = product_answer(hoodie, "加绒的厚不厚 冬天能单穿吗")
    assert isinstance(answer, ProductFact)
    assert (answer.attribute, answer.value) == ("厚度", "加绒加厚")
    assert answer.unlisted == ("冬天能单穿吗",)


@pytest.mark.parametrize(
    ("code", "question"),
    [
        ("P5005", "我家插座是普通的 能用吗"),  # the second part leans on the first
        ("P3003", "充电宝多少瓦的 能带上飞机吗"),  # both answered
        ("P1008", "那个李宁卫衣呢 加绒的厚不厚"),  # a bare mention asks nothing
    ],
)
def test_a_message_whose_parts_are_all_answered_names_nothing_as_unlisted(db, code, question):
    answer = product_answer(catalogue_product(db, code), question)
    assert not isinstance(answer, ProductFacts | ProductFact) or answer.unlisted == ()


def test_a_thing_the_page_says_is_in_the_box_is_said_to_cost_nothing_extra(db):
    phone = catalogue_product(db, "P3001")
    answer = product_answer(phone, "充电器要另外收钱不")
    assert isinstance(answer, ProductFact)
    assert answer.included == "45W充电器"
    plain = product_answer(phone, "充电多少瓦")  # not asked whether it comes with it
    assert isinstance(plain, ProductFact)
    assert plain.included is None


def test_a_description_sentence_is_quoted_without_a_second_full_stop(db):
    from words.render import say

    text = say(product_answer(catalogue_product(db, "P1002"), "透不透"))
    assert "不透肉。" in text
    assert "。。" not in text


def test_a_wide_foot_gets_the_size_its_note_gives(db):
    sneakers, derby = catalogue_product(db, "P2002"), catalogue_product(db, "P2004")
    advice = advise_size(sneakers, None, None, 233, "她脚有点宽")
    assert isinstance(advice, ShoeSizeAdvice)
    assert (advice.foot_shape, advice.shape_note, advice.advised) == (
        FootShape.WIDE,
        "脚宽脚背高按正常码",
        "37",
    )
    advice = advise_size(derby, None, None, 252, "我脚偏宽")  # 脚宽建议选大一码
    assert isinstance(advice, ShoeSizeAdvice)
    assert (advice.size, advice.advised) == ("41", "42")


def test_a_foot_shape_the_note_does_not_cover_is_said_so(db):
    boots = catalogue_product(db, "P2003")
    advice = advise_size(boots, None, None, 233, "脚有点宽")
    assert isinstance(advice, ShoeSizeAdvice)
    assert advice.foot_shape == FootShape.WIDE
    assert advice.shape_note is None
    from words.render import say

    assert "没有写脚偏宽怎么选码" in say(advice)


@pytest.mark.parametrize(
    ("question", "asked", "step", "allows"),
    [
        ("她平时穿37 雪地靴要买38吗", "38", 1, True),  # 建议按平时尺码或选大一码
        ("要不要买大一码", "38", 1, True),
        ("拍39可以吗", "39", 2, False),
        ("买36吗", "36", -1, False),
        ("买37吗", None, 0, False),  # the size advised
    ],
)
def test_a_shoe_size_asked_about_is_compared_with_the_advice(db, question, asked, step, allows):
    advice = advise_size(catalogue_product(db, "P2003"), None, None, 233, question)
    assert isinstance(advice, ShoeSizeAdvice)
    assert (advice.asked_size, advice.asked_step, advice.note_allows) == (asked, step, allows)


def test_a_note_for_another_foot_shape_does_not_allow_a_size_up(db):
    derby = catalogue_product(db, "P2004")  # 标准码，脚宽建议选大一码
    advice = advise_size(derby, None, None, 242, "脚瘦 要买大一码吗")
    assert isinstance(advice, ShoeSizeAdvice)
    assert (advice.asked_size, advice.note_allows) == ("40", False)


@pytest.mark.parametrize(
    ("code", "text", "color"),
    [
        ("P3001", "白色还有吗", "镜瓷白"),
        ("P3001", "那黑色呢", "子夜黑"),
        ("P3003", "蓝的有货吗", "冰川蓝"),
        ("P3001", "红色呢", None),  # no red shade
        ("P1001", "白色L呢", "白色"),  # its own colour first
    ],
)
def test_a_plain_colour_names_the_one_shade_of_it_the_product_has(db, code, text, color):
    from shop.presale import named_variant_terms

    assert named_variant_terms(catalogue_product(db, code), text)[0] == color

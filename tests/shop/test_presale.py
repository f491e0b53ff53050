"""Pre-sale answers come from the catalogue and never invent a fact."""

import pytest
from sqlalchemy import select

from shop.models import Product
from shop.presale import (
    advise_size,
    attribute_answer,
    find_product,
    matching_variants,
    named_variant_terms,
    parse_height_cm,
    parse_weight_kg,
)


def _product(db, code: str) -> Product:
    return db.scalars(select(Product).where(Product.code == code)).one()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("这款红米note14pro支持快充吗", "P3001"),
        ("纯棉T恤会缩水吗", "P1001"),
        ("空气炸锅多大容量", "P5002"),
        ("你们的羽绒服", "羽绒服"),
    ],
)
def test_the_product_is_found_by_what_shoppers_call_it(db, text, code):
    found = find_product(db, text)
    assert found is not None
    assert code in (found.code, *found.keywords)


def test_a_catalogue_fact_is_answered_and_a_missing_one_is_not_invented(db):
    phone = _product(db, "P3001")
    attribute, value = attribute_answer(phone, "支持多少w快充")
    assert attribute == "快充功率"
    assert value == str(phone.attributes["快充功率"])
    assert attribute_answer(phone, "能不能打电话给外星人") is None


def test_warranty_comes_from_the_product_or_its_category(db):
    attribute, value = attribute_answer(_product(db, "P5001"), "电饭煲保修多久")
    assert attribute == "保修"
    assert value


@pytest.mark.parametrize(
    ("text", "height", "weight"),
    [
        ("身高170体重65", 170, 65),
        ("175 140斤", 175, 70),
        ("1米7 120斤", 170, 60),
        ("一米六五 50公斤", 165, 50),
        ("1.8m 75kg", 180, 75),
        ("170", 170, None),
        ("120斤穿多大", None, 60),
    ],
)
def test_height_and_weight_are_read_as_shoppers_write_them(text, height, weight):
    assert parse_height_cm(text) == height
    assert parse_weight_kg(text) == weight


def test_size_advice_follows_the_products_chart_and_picks_the_larger_between_two(db):
    product = next(
        p for p in db.scalars(select(Product)) if p.size_chart and p.size_chart.kind == "apparel"
    )
    rows = product.size_chart.rows
    low, high = rows[0], rows[1]
    inside = advise_size(product, sum(low["height_cm"]) / 2, sum(low["weight_kg"]) / 2)
    assert inside.size == low["size"]
    mixed = advise_size(product, sum(low["height_cm"]) / 2, sum(high["weight_kg"]) / 2)
    assert mixed.size == high["size"]
    assert "建议选大的一码" in mixed.reason
    assert advise_size(product, None, None) is None


def test_stock_variants_match_colour_and_size(db):
    tee = _product(db, "P1001")
    black_m = matching_variants(tee, "黑色", "M")
    assert [v.sku for v in black_m] == ["P1001-BK-M"]
    assert matching_variants(tee, "荧光绿", None) == []


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("这个T恤白的XL还有吗", ("白色", "XL")),
        ("雾霾蓝有货没", ("雾霾蓝", None)),
        ("l码有吗", (None, "L")),
        ("有没有大一点的", (None, None)),
        ("我不太明白 换成L码吧", (None, "L")),  # 白 inside 明白 is not the colour
        ("换成白", ("白色", None)),
    ],
)
def test_the_colour_and_size_named_in_a_message_are_the_products_own(db, text, terms):
    assert named_variant_terms(_product(db, "P1001"), text) == terms

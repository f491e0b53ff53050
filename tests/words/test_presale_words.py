"""What the shopper reads for each pre-sale fact (words/storefront.yaml)."""

from datetime import date
from decimal import Decimal

import pytest

from core.clock import to_shop_time, utcnow
from shop.presale import (
    FactUnknown,
    FootLengthNeeded,
    FootOutsideChart,
    NoSizeChart,
    NoSuchVariant,
    PriceQuote,
    ProductFact,
    ProductNotFound,
    ShoeSizeAdvice,
    SizeAdvice,
    StockReport,
    StockState,
    VariantStock,
)
from words.render import say

TEE = "纯棉T恤"
RUNNERS = "李宁跑鞋"
THIS_YEAR = to_shop_time(utcnow()).year


def _advice(**changes: object) -> SizeAdvice:
    fields: dict = {
        "size": "L",
        "height_cm": 172,
        "weight_kg": 66.5,
        "chart_name": "男装上衣尺码表",
        "size_height_cm": (170, 175),
        "size_weight_kg": (65, 72),
        "between_sizes": False,
    }
    return SizeAdvice(**{**fields, **changes})


def test_a_product_the_shop_does_not_sell_is_said_so():
    text = say(ProductNotFound())
    assert "没有找到" in text
    assert "转人工客服" in text


def test_a_catalogue_fact_names_the_product_the_attribute_and_its_value():
    assert (
        say(ProductFact(TEE, "材质", "100%新疆长绒棉")) == "这款「纯棉T恤」的材质：100%新疆长绒棉。"
    )


def test_an_unknown_fact_is_not_guessed_and_a_human_is_offered():
    text = say(FactUnknown(TEE))
    assert "「纯棉T恤」" in text
    assert "没有写明" in text
    assert "转人工客服" in text


@pytest.mark.parametrize(
    ("variant", "line"),
    [
        (VariantStock("黑色 / M", 30, None, StockState.IN_STOCK), "· 黑色 / M：有货"),
        (VariantStock("黑色 / L", 3, None, StockState.LOW), "· 黑色 / L：仅剩3件"),
        (
            VariantStock("白色 / L", 0, date(THIS_YEAR, 12, 5), StockState.SOLD_OUT_RESTOCK_KNOWN),
            "· 白色 / L：暂时售罄，预计12月5日补货",
        ),
        (
            VariantStock(
                "白色 / M", 0, date(THIS_YEAR + 1, 1, 5), StockState.SOLD_OUT_RESTOCK_KNOWN
            ),
            f"· 白色 / M：暂时售罄，预计{THIS_YEAR + 1}年1月5日补货",
        ),
        (
            VariantStock("白色 / XL", 0, None, StockState.SOLD_OUT),
            "· 白色 / XL：暂时售罄，补货时间还没确定",
        ),
    ],
)
def test_each_variant_gets_one_line_saying_its_state(variant, line):
    lines = say(StockReport(TEE, (variant,))).split("\n")
    assert lines[0] == "「纯棉T恤」"
    assert len(lines) == (3 if variant.state == StockState.SOLD_OUT else 2)  # + the notice
    assert lines[1].startswith(line)


def test_a_sold_out_variant_without_a_date_points_to_the_restock_notice_and_a_human():
    variants = (
        VariantStock("黑色 / M", 30, None, StockState.IN_STOCK),
        VariantStock("白色 / XL", 0, None, StockState.SOLD_OUT),
    )
    text = say(StockReport(TEE, variants))
    assert "· 白色 / XL：暂时售罄，补货时间还没确定" in text
    assert "到货通知" in text
    assert "转人工客服" in text
    assert "预计" not in text


def test_a_stock_report_lists_every_variant_on_its_own_line():
    variants = (
        VariantStock("黑色 / M", 30, None, StockState.IN_STOCK),
        VariantStock("黑色 / L", 2, None, StockState.LOW),
    )
    assert say(StockReport(TEE, variants)) == (
        "「纯棉T恤」\n· 黑色 / M：有货\n· 黑色 / L：仅剩2件，喜欢的话尽快下单哦"
    )


def test_a_missing_variant_lists_the_ones_there_are():
    text = say(NoSuchVariant(TEE, ("黑色 / M", "白色 / L")))
    assert "没有这个规格" in text
    assert "目前有：黑色 / M、白色 / L。" in text


def test_a_price_quote_shows_the_original_price_and_the_promotion():
    text = say(PriceQuote(TEE, Decimal("79.00"), Decimal("129.00"), "满199减30"))
    assert text == "「纯棉T恤」现在的价格是 ¥79.00（原价 ¥129.00）。当前活动：满199减30。"


def test_a_price_quote_without_discount_or_promotion_says_the_price_is_already_fair():
    text = say(PriceQuote(TEE, Decimal("79.00"), None, None))
    assert "¥79.00。" in text
    assert "原价" not in text
    assert "没有额外的优惠活动" in text


def test_no_size_chart_points_to_the_details_page():
    text = say(NoSizeChart("红米手机"))
    assert "「红米手机」没有身高体重对照的尺码表" in text
    assert "转人工客服" in text


def test_size_advice_shows_the_measures_the_chart_and_the_size():
    assert say(_advice()) == (
        "按身高172cm、体重66.5kg，对照男装上衣尺码表，L码适合身高170-175cm、体重65-72kg，"
        "建议您选 L 码。"
    )


def test_size_advice_from_one_measure_names_only_that_one():
    assert say(_advice(weight_kg=None)).startswith("按身高172cm，对照")
    assert say(_advice(height_cm=None)).startswith("按体重66.5kg，对照")


def test_shoe_advice_names_the_foot_length_the_chart_and_the_size():
    advice = ShoeSizeAdvice(RUNNERS, "41", 252, "男鞋尺码表", (250, 255), None, None)
    assert say(advice) == ("脚长252mm，对照男鞋尺码表，41码适合脚长250-255mm，建议您选 41 码。")


def test_shoe_advice_on_the_border_of_two_sizes_names_both_and_the_products_note():
    advice = ShoeSizeAdvice(RUNNERS, "40", 245, "男鞋尺码表", (245, 250), ("39", "40"), "标准码")
    text = say(advice)
    assert "脚长245mm正好在39码和40码之间" in text
    assert "建议选 40 码" in text
    assert "也可以选 39 码" in text
    assert "尺码说明：标准码。" in text


def test_on_the_border_a_shoe_that_runs_large_says_why_the_smaller_size():
    note = "鞋码偏大，建议选小半码"
    advice = ShoeSizeAdvice(RUNNERS, "39", 245, "女鞋尺码表", (240, 245), ("39", "40"), note)
    assert say(advice) == (
        "脚长245mm正好在39码和40码之间，对照女鞋尺码表，建议选 39 码，"
        "因为这款商品详情写着：鞋码偏大，建议选小半码。"
    )


def test_shoes_ask_for_the_foot_length_and_say_why_height_and_weight_do_not_do():
    asked = say(FootLengthNeeded(RUNNERS, "男鞋尺码表", body_measures_given=False))
    assert "鞋子按脚长选码" in asked
    assert "脚长24.5厘米" in asked
    assert "身高体重" not in asked
    told = say(FootLengthNeeded(RUNNERS, "男鞋尺码表", body_measures_given=True))
    assert told.startswith("身高体重换算不出鞋码，")


def test_a_foot_outside_the_chart_is_told_and_a_human_offered():
    text = say(FootOutsideChart(RUNNERS, 280, "男鞋尺码表", "38", "44", (235, 270)))
    assert "38码到44码" in text
    assert "235-270mm" in text
    assert "280mm不在这个范围里" in text
    assert "转人工客服" in text


def test_size_advice_between_two_sizes_explains_the_larger_one():
    assert "身高和体重对应的尺码不同，建议选大的一码" in say(_advice(between_sizes=True))


def test_a_price_quote_leads_with_a_running_flash_sale():
    from datetime import UTC, datetime

    from shop.presale import FlashSale

    ends = datetime(THIS_YEAR, 12, 6, 16, 0, tzinfo=UTC)
    sale = FlashSale(Decimal("999.00"), "限时秒杀", ends)
    text = say(PriceQuote("热水器", Decimal("1099.00"), Decimal("1599.00"), "基础安装", sale))
    assert text.startswith(
        "「热水器」正在限时秒杀，现在下单是 ¥999.00（日常价 ¥1099.00，原价 ¥1599.00）"
    )
    assert "秒杀到12月7日 00:00结束。当前活动：基础安装。" in text


def test_a_price_quote_works_out_the_total_of_the_quantity_asked():
    from shop.promotions import Quantity, basket_total

    basket = basket_total(Decimal("79.00"), "满199减30，任选2件再享95折", Quantity(2, "件"))
    quote = PriceQuote(TEE, Decimal("79.00"), None, "满199减30，任选2件再享95折", None, basket)
    assert say(quote).endswith(
        "买2件：¥79.00×2=¥158.00，用上「任选2件再享95折」后合计 ¥150.10，比单买省 ¥7.90；"
        "「满199减30」还差 ¥48.90才能用。实际金额以结算页为准。"
    )


def test_a_sold_out_variant_is_shown_with_the_in_stock_ones_like_it():
    sold_out = VariantStock("白色 / L", 0, None, StockState.SOLD_OUT)
    others = (
        VariantStock("黑色 / L", 30, None, StockState.IN_STOCK),
        VariantStock("雾霾蓝 / L", 2, None, StockState.LOW),
    )
    text = say(StockReport(TEE, (sold_out,), others))
    assert "现在有货的相近款：黑色 / L、雾霾蓝 / L（仅剩2件），着急要的话可以先拍有货的～" in text


def test_products_bought_together_show_each_price_and_the_shared_deal():
    from shop.promotions import products_total

    promotion = "图书满100减50（部分教材除外）"
    quote = products_total(
        [("三体", Decimal("93.00"), promotion), ("活着", Decimal("22.80"), promotion)]
    )
    text = say(quote)
    assert text.startswith("一起买的话：「三体」¥93.00，「活着」¥22.80，共 ¥115.80。")
    assert "后合计 ¥65.80，省 ¥50.00。" in text

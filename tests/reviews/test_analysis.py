"""The analysis flags complaints (whatever the stars), names their causes and ranks severity."""

import pytest

from reviews.analysis import ReviewText, get_analyser


def analyse(text: str, rating: int | None = None, **kw):
    return get_analyser().analyse([ReviewText(text, rating, **kw)])[0]


def test_a_five_star_review_that_complains_is_negative():
    found = analyse("五星好评，但是快递太慢了，等了一个星期才到", rating=5)
    assert found.negative
    assert found.causes == ["logistics"]
    assert "logistics.slow" in found.sub_causes


def test_a_one_star_rating_alone_does_not_make_praise_negative():
    assert not analyse("非常好，质量很棒，下次还来买", rating=1).negative


def test_plain_praise_is_not_negative_and_has_no_causes():
    found = analyse("东西很好，物流很快，客服态度也好")
    assert not found.negative
    assert found.causes == []
    assert found.severity.level == "none"


@pytest.mark.parametrize("text", ["", "   ", "👍👍", "😊"])
def test_empty_and_happy_emoji_only_reviews_are_not_negative(text):
    found = analyse(text)
    assert not found.negative
    assert 0 <= found.negative_score < 0.5


def test_an_angry_emoji_only_review_is_negative():
    assert analyse("😡😡😡").negative


def test_the_rating_shifts_the_score_of_the_same_text():
    assert analyse("还行", rating=3).negative_score > analyse("还行", rating=5).negative_score


@pytest.mark.parametrize(
    ("text", "cause", "sub_cause"),
    [
        ("手机用了三天就死机", "product", "product.defect"),
        ("裤子偏小，穿不上", "product", "product.size_fit"),
        ("衣服洗一次就掉色", "product", "product.poor_quality"),
        ("苹果烂了好几个，不新鲜", "product", "product.not_fresh"),
        ("有股刺鼻的味道", "product", "product.smell"),
        ("感觉是假货", "product", "product.fake"),
        ("瓶盖松了，洗发水漏了一半", "product", "product.packaging"),
        ("和图片差太多了", "product", "product.not_as_described"),
        ("快递太慢了", "logistics", "logistics.slow"),
        ("箱子压扁了，杯子碎了", "logistics", "logistics.damaged_in_transit"),
        ("显示签收了但是我没收到", "logistics", "logistics.lost"),
        ("少发了一件", "logistics", "logistics.wrong_or_missing_item"),
        ("赠品没有收到", "logistics", "logistics.wrong_or_missing_item"),
        ("发错颜色了", "logistics", "logistics.wrong_or_missing_item"),
        ("快递员态度很差，还不送上门", "logistics", "logistics.courier"),
        ("客服态度太差了", "service", "service.attitude"),
        ("问客服半天不回", "service", "service.slow_reply"),
        ("申请退货被拒绝了", "service", "service.after_sales"),
        ("太贵了", "price", "price.overpriced"),
        ("刚买就降价了", "price", "price.price_drop"),
        ("一点都不值这个价", "price", "price.not_worth"),
        ("物流太慢了", "logistics", "logistics.slow"),  # any goods
        ("外卖等了两个小时才送到", "logistics", "logistics.slow"),  # food
        ("送来的时候都凉了", "logistics", "logistics.slow"),
        ("客服爱答不理", "service", "service.attitude"),  # clothes shop
        ("买贵了降价了", "price", "price.price_drop"),
        ("这手机有点小贵", "price", "price.overpriced"),  # phone
        ("包装破了漏了一地", "product", "product.packaging"),
        ("一杯送来都漏了", "logistics", "logistics.damaged_in_transit"),
        ("发错货了", "logistics", "logistics.wrong_or_missing_item"),
        ("点的排骨饭结果送的是鸡肉饭", "logistics", "logistics.wrong_or_missing_item"),
        ("买了两件只收到一件", "logistics", "logistics.wrong_or_missing_item"),
        ("书是盗版的", "product", "product.fake"),  # books
        ("缺页", "product", "product.defect"),
        ("收到的时候外包装破损", "logistics", "logistics.damaged_in_transit"),
        ("退款一直不到账", "service", "service.after_sales"),
        ("安装师傅不来", "service", "service.after_sales"),  # appliances
        ("刚买完就打折", "price", "price.price_drop"),
        ("冰箱不制冷", "product", "product.defect"),  # appliances
        ("联系客服没有人理会", "service", "service.slow_reply"),
        ("商家也不解决", "service", "service.after_sales"),
        ("一流产品，三流快递", "logistics", "logistics.courier"),
        ("我要投诉快递员，服务态度不好", "logistics", "logistics.courier"),
        ("我要投诉快递师傅，服务态度不好", "logistics", "logistics.courier"),
        ("配送人员服务态度不好", "logistics", "logistics.courier"),
    ],
)
def test_short_colloquial_reviews_of_any_product_get_their_cause(text, cause, sub_cause):
    found = get_analyser().causes_of([text])[0]
    assert cause in found.causes
    assert sub_cause in found.sub_causes
    assert found.evidence[cause]


def test_praise_in_a_mixed_review_is_not_a_cause():
    found = analyse("物流很快，包装也很好，但是质量太差了")
    assert found.causes == ["product"]
    assert "质量太差" in found.evidence["product"]


@pytest.mark.parametrize("text", ["差评", "不好用", "垃圾"])
def test_a_vague_complaint_alone_is_product(text):
    found = analyse(text)
    assert found.negative
    assert found.causes == ["product"]


def test_other_is_never_given_with_another_cause():
    for found in get_analyser().causes_of(["快递慢，质量差，客服不理人，还贵", "差评", "唉"]):
        assert "other" not in found.causes or found.causes == ["other"]


def test_safety_and_a_complaint_threat_make_a_review_critical():
    found = analyse("宝宝用了过敏起疹子，我要投诉到12315", rating=1)
    assert found.severity.level == "critical"
    assert any(r.startswith("safety") for r in found.severity.reasons)
    assert any(r.startswith("complaint_threat") for r in found.severity.reasons)


def test_a_repeat_buyer_and_a_high_order_value_raise_severity():
    low = analyse("这次质量不太好")
    high = analyse("这次质量不太好", repeat_buyer=True, order_value=2999)
    assert low.severity.level == "low"
    assert high.severity.level == "critical"


def test_the_follow_up_text_is_analysed_too():
    found = analyse("挺好的", rating=5, follow_up="用了一周就坏了，开不了机")
    assert found.negative
    assert "product.defect" in found.sub_causes


@pytest.mark.parametrize(
    ("text", "not_a_cause"),
    [
        ("手机反应很慢", "logistics"),
        ("运行速度慢", "logistics"),
        ("退款一直不到账", "logistics"),
        ("收到的时候外包装破损", "product"),
        ("东西不错就是有点贵", "product"),
    ],
)
def test_cues_that_look_alike_do_not_give_the_wrong_cause(text, not_a_cause):
    assert not_a_cause not in analyse(text).causes

"""The analysis runs as a spaCy pipeline whose Docs carry the analysis."""

import pytest
from spacy.language import Language

from reviews.analysis import ReviewText, analysis_of, get_analyser
from reviews.clauses import emphasise_contrast
from reviews.pipeline import PIPELINE


def docs(*reviews: ReviewText):
    return list(get_analyser().docs(reviews))


def test_the_analyser_is_a_chinese_spacy_pipeline_of_the_review_components():
    nlp = get_analyser().nlp
    assert isinstance(nlp, Language)
    assert nlp.lang == "zh"
    assert tuple(nlp.pipe_names) == PIPELINE
    assert nlp.config["nlp"]["tokenizer"]["@tokenizers"] == "reviews.char_tokenizer.v1"


def test_the_doc_carries_score_causes_evidence_and_severity():
    (doc,) = docs(ReviewText("东西不错，但是快递太慢了，我要投诉", rating=2))
    assert doc.cats["NEGATIVE"] > 0.5
    assert [s.text for s in doc.sents] == ["东西不错,", "但是快递太慢了,", "我要投诉"]  # NFKC
    assert [s.text for s in doc.spans["clauses"]] == ["东西不错", "但是快递太慢了", "我要投诉"]
    (cause,) = doc.spans["causes"]
    assert (cause.label_, cause.text) == ("logistics.slow", "但是快递太慢了")
    assert [s.text for s in doc.spans["cues"]] == ["快递太慢"]
    assert doc._.severity.level == "high"  # complaint threat 2 + 2 stars 0
    found = analysis_of(doc)
    assert found.evidence == {"logistics": "但是快递太慢了"}


def test_evidence_clauses_are_segmented_into_jieba_words_and_tokens_stay_characters():
    (doc,) = docs(ReviewText("包装很好，可是手机屏幕碎了", rating=2))
    (cause,) = doc.spans["causes"]
    assert (cause.text, cause.label_) == ("可是手机屏幕碎了", "product.defect")
    assert [w.text for w in doc.spans["evidence_words"]] == ["可是", "手机", "屏幕", "碎", "了"]
    assert len(doc) == len("包装很好,可是手机屏幕碎了")
    assert [s.text for s in doc.spans["clauses"]] == ["包装很好", "可是手机屏幕碎了"]


def test_a_review_that_is_not_negative_gets_no_causes_and_severity_none():
    (doc,) = docs(ReviewText("很好，很喜欢，物流也快", rating=5))
    assert doc.cats["NEGATIVE"] < 0.5
    assert len(doc.spans.get("causes", [])) == 0
    assert doc._.severity is None
    assert analysis_of(doc).severity.level == "none"


def test_spaces_are_kept_in_the_doc_text():
    (doc,) = docs(ReviewText(" 快递  太慢 了 "))
    assert doc.text == "快递 太慢 了"  # normalised: trimmed, runs of spaces collapsed
    assert doc[1].whitespace_ == " "


@pytest.mark.parametrize("text", ["?? !!", "。。。", "😡 😡"])
def test_a_one_star_review_without_words_gets_a_cause_and_keeps_its_text(text):
    (doc,) = docs(ReviewText(text, rating=1))
    assert doc.cats["NEGATIVE"] > 0.5
    assert analysis_of(doc).causes == ["product"]
    assert doc.text == text


def test_the_verdict_after_a_contrast_word_is_counted_twice():
    assert emphasise_contrast("好看，就是质量太差") == "好看，就是质量太差|就是质量太差"
    assert emphasise_contrast("好看") == "好看"


@pytest.mark.parametrize(
    ("text", "sub_cause"),
    [
        ("物流太慢了", "logistics.slow"),  # any goods
        ("外卖等了两个小时才送到", "logistics.slow"),  # food
        ("送来的时候都凉了", "logistics.slow"),
        ("客服爱答不理", "service.attitude"),  # clothes shop
        ("买贵了降价了", "price.price_drop"),
        ("这手机有点小贵", "price.overpriced"),  # phone
        ("包装破了漏了一地", "product.packaging"),
        ("一杯送来都漏了", "logistics.damaged_in_transit"),
        ("发错货了", "logistics.wrong_or_missing_item"),
        ("点的排骨饭结果送的是鸡肉饭", "logistics.wrong_or_missing_item"),
        ("买了两件只收到一件", "logistics.wrong_or_missing_item"),
        ("书是盗版的", "product.fake"),  # books
        ("缺页", "product.defect"),
        ("收到的时候外包装破损", "logistics.damaged_in_transit"),
        ("退款一直不到账", "service.after_sales"),
        ("安装师傅不来", "service.after_sales"),  # appliances
        ("刚买完就打折", "price.price_drop"),
        ("冰箱不制冷", "product.defect"),  # appliances
        ("联系客服没有人理会", "service.slow_reply"),
        ("商家也不解决", "service.after_sales"),
        ("一流产品，三流快递", "logistics.courier"),
        ("我要投诉快递员，服务态度不好", "logistics.courier"),
    ],
)
def test_short_colloquial_reviews_across_categories_get_their_sub_cause(text, sub_cause):
    found = get_analyser().causes_of([text])[0]
    assert sub_cause in found.sub_causes
    assert sub_cause.split(".")[0] in found.causes


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
    assert not_a_cause not in get_analyser().causes_of([text])[0].causes

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
    cause = doc.spans["causes"][0]  # the cue's first; the praise is never evidence
    assert (cause.text, cause.label_) == ("可是手机屏幕碎了", "product.defect")
    assert {span.text for span in doc.spans["causes"]} == {"可是手机屏幕碎了"}
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

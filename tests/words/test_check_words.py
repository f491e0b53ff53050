"""How the reply checker's violations are explained to agents (words/checks.yaml)."""

import pytest

from reviews.reply_check import PersonalDataType, Violation, ViolationKind, check_reply
from words.checks import CHECKS_FILE, violation_text
from words.render import words_file

SAMPLES = {
    ViolationKind.ABSOLUTE_CLAIM: Violation(ViolationKind.ABSOLUTE_CLAIM, 3, 5, "最好"),
    ViolationKind.INDUCEMENT: Violation(ViolationKind.INDUCEMENT, 0, 4, "好评返现"),
    ViolationKind.BLAME: Violation(ViolationKind.BLAME, 0, 3, "您自己"),
    ViolationKind.PERSONAL_DATA: Violation(ViolationKind.PERSONAL_DATA, 2, 13, "138****5678"),
    ViolationKind.TOO_LONG: Violation(ViolationKind.TOO_LONG, 0, 0, "抱" * 112, limit=500),
    ViolationKind.EMPTY: Violation(ViolationKind.EMPTY, 0, 0, ""),
}


def test_every_violation_kind_has_an_explanation() -> None:
    assert set(words_file(CHECKS_FILE)["templates"]) == {k.value for k in ViolationKind}
    assert set(SAMPLES) == set(ViolationKind)
    for kind, sample in SAMPLES.items():
        text = violation_text(sample)
        assert text.strip(), kind
        assert "{" not in text, kind
        if sample.start != sample.end:  # it names the offending text
            assert f"“{sample.found}”" in text, kind


def test_every_kind_of_personal_data_has_a_name() -> None:
    assert set(words_file(CHECKS_FILE)["personal_data"]) == {t.value for t in PersonalDataType}


def test_an_absolute_claim_is_explained_with_the_law_and_the_fix() -> None:
    assert (
        violation_text(SAMPLES[ViolationKind.ABSOLUTE_CLAIM])
        == "“最好”属于广告法禁止的绝对化用语，请改为具体、可证实的说法。"
    )


def test_an_inducement_is_explained_as_tying_the_review_to_compensation() -> None:
    text = violation_text(SAMPLES[ViolationKind.INDUCEMENT])
    assert text.startswith("“好评返现”是以评价为条件的利益诱导")
    assert "反不正当竞争法" in text
    assert "补偿不能与评价挂钩" in text


def test_a_too_long_reply_says_its_length_and_the_limit() -> None:
    assert (
        violation_text(SAMPLES[ViolationKind.TOO_LONG])
        == "回评共 612 字，超过平台上限 500 字，请删减 112 字。"
    )


@pytest.mark.parametrize(
    ("reply", "says"),
    [
        ("已联系您138****5678的手机", "“138****5678”是顾客的手机号或电话"),
        ("王女士您好", "“王女士”是个人姓名"),
        ("快递员张伟会联系您", "“快递员张伟”是个人姓名"),  # not the customer's: still private
        ("订单号：2345678901234567", "“订单号：2345678901234567”是顾客的订单号或单号"),
        ("寄到文三路478号", "“文三路478号”是顾客的地址"),
        ("寄到杭州市西湖区文三路", "“杭州市西湖区文三路”是顾客的地址"),
        ("电话一三八一二三四五六七八", "“一三八一二三四五六七八”是顾客的手机号或电话"),
        ("加ＱＱ：１２３４５６７８", "“ＱＱ：１２３４５６７８”是顾客的微信号或QQ号"),
    ],
)
def test_personal_data_is_explained_by_what_it_is(reply: str, says: str) -> None:
    (v,) = check_reply(reply)
    text = violation_text(v)
    assert text.startswith(says)
    assert "公开" in text


def test_a_word_found_spaced_out_is_quoted_as_written() -> None:
    (v,) = check_reply("好 评 返 现")
    assert violation_text(v).startswith("“好 评 返 现”是以评价为条件的利益诱导")


def test_each_violation_of_a_reply_is_explained_in_its_own_words() -> None:
    reply = "您自己看，好评返现，最好的"
    texts = [violation_text(v) for v in check_reply(reply)]
    assert [t[: t.index("”") + 1] for t in texts] == ["“您自己”", "“好评返现”", "“最好”"]
    assert len(set(texts)) == 3

"""Text folded the one way every reader of the shopper's words folds it."""

from core.text import normalise


def test_text_is_folded_to_half_width_lower_case_with_its_spaces_collapsed():
    assert normalise("  Ｋ380ｓ键盘\u3000同购　立减50元 ") == "k380s键盘 同购 立减50元"


def test_a_name_or_a_promotion_keeps_its_capitals_when_folded():
    assert normalise("  收货人：Ａnna　Lee ", keep_case=True) == "收货人:Anna Lee"

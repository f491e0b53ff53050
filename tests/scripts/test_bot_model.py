"""The model's fingerprint follows the review corpus its word vectors are trained on."""

import pytest

from core.settings import get_settings
from scripts import bot_model


@pytest.fixture
def reviews_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("REVIEWS_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_without_the_corpus_the_vectors_have_nothing_to_add(reviews_dir):
    assert bot_model.word_vector_corpus() == []


def test_a_corpus_that_appears_makes_a_new_model(reviews_dir):
    without = bot_model.fingerprint()
    (reviews_dir / "waimai_10k.csv").write_text("label,review\n1,很好吃\n", encoding="utf-8")
    assert [p.name for p in bot_model.word_vector_corpus()] == ["waimai_10k.csv"]
    assert bot_model.fingerprint() != without

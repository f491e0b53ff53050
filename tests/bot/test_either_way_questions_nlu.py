"""In the NLU pipeline, an A-not-A question the classifier read as a no or a goodbye (周末算不算)
is read with the conversation (nlu_fallback), never taken as a no; a no stays a no."""

import pytest

from tests.bot.test_conditional_requests import classified

ASKED = ["周末算不算", "节假日算不算啊", "那周六周日算不算", "运费包不包", "包邮不", "有货没"]
DECLINED = ["不要不要", "算了 要不要都行", "不用了", "暂时没有", "目前没"]


@pytest.fixture(scope="module")
def results() -> list[dict]:
    return classified([(text, "deny") for text in [*ASKED, *DECLINED]])


@pytest.mark.parametrize("index", range(len(ASKED)))
def test_an_either_way_question_read_as_a_no_is_read_with_the_conversation(results, index):
    assert results[index]["intent"]["name"] == "nlu_fallback"


@pytest.mark.parametrize("index", range(len(ASKED), len(ASKED) + len(DECLINED)))
def test_a_no_stays_a_no(results, index):
    assert results[index]["intent"]["name"] == "deny"

"""In the NLU pipeline, a change, cancel or return said NOT to be wanted becomes a no."""

import pytest

from tests.bot.test_conditional_requests import classified


@pytest.fixture(scope="module")
def results() -> list[dict]:
    return classified(
        [
            ("收货人和手机都不用改", "modify_order"),
            ("那就先不取消了", "cancel_order"),
            ("电话写错了 帮我改一下", "modify_order"),
            ("这个不用改", "track_order"),
            ("算了不用了 我让邻居帮我收吧 谢谢", "cancel_order"),
            ("算了 还是取消吧", "cancel_order"),
        ]
    )


def test_a_change_not_wanted_becomes_a_no_with_the_changes_confidence(results):
    assert results[0]["intent"] == {"name": "deny", "confidence": 0.6}
    assert results[0]["ranking"] == ["deny", "faq"]


def test_a_cancel_put_off_becomes_a_no(results):
    assert results[1]["intent"]["name"] == "deny"


def test_a_plain_change_request_stays_a_change(results):
    assert results[2]["intent"]["name"] == "modify_order"


def test_only_change_cancel_and_return_requests_are_relabelled(results):
    assert results[3]["intent"]["name"] == "track_order"


def test_a_closing_taken_for_a_cancel_becomes_a_goodbye(results):
    assert results[4]["intent"]["name"] == "goodbye"


def test_a_cancel_said_after_giving_up_stays_a_cancel(results):
    assert results[5]["intent"]["name"] == "cancel_order"

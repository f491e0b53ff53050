"""A question put in a sentence of its own beside the tracking is offered once the tracking is
answered, in the shopper's words, never dropped (blind trial 10, T275.5)."""

import pytest

from tests.bot.conftest import SilentAnswer


async def test_a_question_of_its_own_the_faq_is_sure_of_is_answered_as_its_entry(
    dispatcher, tracker_with
):
    message = "那大概哪天能送到啊。送到的时候快递员会不会先打个电话。"
    tracker = tracker_with(text=message, intent="track_order")
    await SilentAnswer().run(dispatcher, tracker, {})
    answer = dispatcher.messages[-1]
    assert answer["text"].startswith("另外您问的「")
    assert "快递会放驿站吗" in answer["text"]  # the delivery and signing entry
    assert not answer["buttons"]


@pytest.mark.parametrize(
    ("message", "second"),
    [
        ("还要几天才到。派送的时候能送上楼吗？", "派送的时候能送上楼吗?"),
        ("几号能到呀。我那天要出差 包裹能在驿站放几天？", "包裹能在驿站放几天?"),
    ],
)
async def test_a_question_of_its_own_beside_the_tracking_is_offered(
    dispatcher, tracker_with, message, second
):
    tracker = tracker_with(text=message, intent="track_order")
    await SilentAnswer().run(dispatcher, tracker, {})
    offer = dispatcher.messages[-1]
    assert f"「{second}」" in offer["text"]
    assert offer["buttons"] == [{"title": second, "payload": second}]


@pytest.mark.parametrize(
    "message", ["快递到哪了。大概几号能到？", "帮我查下快递。好吗？", "到哪了 有没有人管啊"]
)
async def test_a_question_the_tracking_answers_or_a_tag_is_not_offered(
    dispatcher, tracker_with, message
):
    tracker = tracker_with(text=message, intent="track_order")
    await SilentAnswer().run(dispatcher, tracker, {})
    assert dispatcher.messages == []

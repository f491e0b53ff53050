"""The FAQ action answers from the knowledge base, asks back when unsure, never guesses."""

from bot.actions.faq import ActionAnswerFaq
from tests.bot.conftest import responses


async def test_a_clear_policy_question_gets_the_knowledge_base_answer(db, dispatcher, tracker_with):
    tracker = tracker_with(text="亲 满多少包邮呀", intent="faq")
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert "99" in dispatcher.messages[0]["text"]


async def test_an_unclear_question_offers_the_likeliest_entries_as_buttons(
    db, dispatcher, tracker_with
):
    tracker = tracker_with(text="那个东西怎么弄", intent="faq")
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert responses(dispatcher) in (["utter_faq_clarify"], ["utter_pass_to_agent"])
    if responses(dispatcher) == ["utter_faq_clarify"]:
        assert 1 <= len(dispatcher.messages[0]["buttons"]) <= 2


async def test_an_unknown_message_that_is_not_a_policy_question_asks_to_rephrase(
    db, dispatcher, tracker_with
):
    tracker = tracker_with(text="asdfgh", intent="nlu_fallback")
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_default"]

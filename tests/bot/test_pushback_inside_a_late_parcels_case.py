"""Pushback inside a late parcel's case gets the case's facts, never another apology or a
guess (trial 19, T602: 别给我道歉 就告诉我哪天到 got "具体是哪里让您不满意", 我问的是哪天到
and 5块钱券？打发要饭的呢 got FAQ buttons)."""

import pytest

from bot.actions.complaints import ActionAnswerComplaint
from bot.actions.fallback import ActionClarify
from bot.actions.faq import ActionAnswerFaq
from shop.case_questions import CaseQuestion, case_question
from tests.bot.conftest import DOMAIN, responses
from tests.bot.test_case_coupon_and_progress import CLARIFYING, _in_late_parcel_case, _text

NO_DAY_GIVEN = "还没有给出时间"


@pytest.mark.parametrize(
    "text", ["别给我道歉 道歉我听够了 就告诉我哪天到", "我问的是哪天到 你回答问题"]
)
def test_the_day_it_arrives_asked_angrily_is_a_question_about_the_case(text):
    assert case_question(text) == CaseQuestion.HOW_LONG


async def test_a_complaint_asking_which_day_says_no_day_is_known_and_when_he_hears_back(
    db, dispatcher
):
    tracker, _ = _in_late_parcel_case(db, "别给我道歉 道歉我听够了 就告诉我哪天到", "complain")
    await ActionAnswerComplaint().run(dispatcher, tracker, DOMAIN)
    said = _text(dispatcher)
    assert NO_DAY_GIVEN in said
    assert "前给您答复" in said
    assert "不满意" not in said


async def test_the_day_asked_again_in_words_not_understood_gets_the_same_facts(db, dispatcher):
    tracker, _ = _in_late_parcel_case(db, "我问的是哪天到 你回答问题")
    await ActionClarify().run(dispatcher, tracker, DOMAIN)
    assert NO_DAY_GIVEN in _text(dispatcher)
    assert not CLARIFYING.intersection(responses(dispatcher))


async def test_scorn_for_the_coupon_read_as_a_question_is_heard_inside_the_case(db, dispatcher):
    tracker, _ = _in_late_parcel_case(db, "5块钱券？打发要饭的呢", "faq")
    await ActionAnswerFaq().run(dispatcher, tracker, DOMAIN)
    said = _text(dispatcher)
    assert "券" in said
    assert "utter_faq_clarify" not in responses(dispatcher)

"""A remedy the shopper chooses in plain words is read as they meant it (trial 4): a new one
wanted (我想要个新的), a remedy refused in the same breath (退钱就行 不用补发), and keeping the
item for some money (不退不换 补偿点钱就行), which no policy settles and a person does."""

from datetime import timedelta

import pytest

from core.clock import utcnow
from shop import case_questions
from shop.case_questions import (
    CaseChoice,
    CompensationToConfirm,
    chosen_remedy,
    decided_choice,
    note_compensation,
    remedy_choice,
    remedy_switch,
    stated_choice,
)
from shop.logistics import CaseOpened, open_case
from shop.models import CaseKind
from tests.bot.conftest import order_in


@pytest.mark.parametrize(
    ("words", "choice"),
    [
        ("我想要个新的 不想退款", CaseChoice.RESHIP),
        ("给我来个新的吧", CaseChoice.RESHIP),
        ("退钱就行 不用补发", CaseChoice.REFUND),
        ("给我补发两个吧 不要退钱", CaseChoice.RESHIP),
        ("我要换 不退", CaseChoice.EXCHANGE),
    ],
)
def test_a_remedy_wanted_is_chosen_and_one_refused_in_the_same_breath_is_not(words, choice):
    assert remedy_choice(words) == choice


@pytest.mark.parametrize(
    "words",
    [
        "我不想退也不想换 来回折腾 你们补偿点钱就行",
        "那就退一半吧",
        "退点钱吧 东西我留着",
        "赔点钱得了",
    ],
)
def test_keeping_the_item_for_some_money_is_compensation_not_a_full_refund(words):
    assert remedy_choice(words) == CaseChoice.COMPENSATION


@pytest.mark.parametrize("words", ["对 换黑色L", "换39码", "直接换新吧 没必要走流程吧"])
def test_an_exchange_named_by_its_colour_size_or_as_new_is_the_exchange(words):
    # trial 23: 对 换黑色L (T771), 直接换新吧 (T790)
    assert remedy_choice(words) == CaseChoice.EXCHANGE


@pytest.mark.parametrize(
    "words", ["我换手机号了 打这个", "换个号码联系我", "能换黑色吗", "换新的地址"]
)
def test_a_phone_or_an_address_changed_or_a_question_is_no_exchange_chosen(words):
    assert decided_choice(words) is None


@pytest.mark.parametrize("words", ["多久能退钱", "钱退回哪 微信还是银行卡", "退一个吗", "退不退"])
def test_a_question_about_when_or_where_the_money_goes_chooses_nothing(words):
    assert stated_choice(words) is None


def test_compensation_on_a_damage_case_is_said_back_as_a_persons_to_settle_and_noted_on_the_yes(db):
    order = order_in(db, "damaged_on_arrival")
    now = utcnow()
    opened = open_case(db, order, CaseKind.DAMAGED, now, conversation_id="compensation-test")
    assert isinstance(opened, CaseOpened)
    case = case_questions.open_case_in(db, "compensation-test")
    assert case is not None
    said = remedy_switch(case, CaseChoice.COMPENSATION, now, "补偿点钱就行")
    assert isinstance(said, CompensationToConfirm)
    assert said.order_no == order.order_no
    assert case_questions.choose_remedy(case, CaseChoice.COMPENSATION, now) is None  # no remedy
    assert chosen_remedy(case) is None  # nothing written before the yes
    passed = note_compensation(case, order.order_no, now + timedelta(minutes=1))
    assert passed.case is not None
    assert chosen_remedy(case) == CaseChoice.COMPENSATION
    assert "保留商品，要补偿" in (case.detail or "")


@pytest.mark.parametrize(
    ("words", "choice"),
    [
        ("你们先给我补发一个嘛 我等着用", CaseChoice.RESHIP),  # trial 27, T945 t4: unheard
        ("能补发嘛", None),
        ("干嘛要退款 我就要原来那个", None),  # the review of session 28: never a refund noted
        ("是退款嘛", None),
    ],
)
def test_a_request_pressed_with_a_ma_settles_on_it_a_question_with_one_does_not(words, choice):
    assert decided_choice(words) == choice

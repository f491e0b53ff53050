"""Everything said about typed words at a confirmation (two buttons when they could be either)
and at the value step of a spec change (the choices, a value with a condition), for the words
tests."""

from collections.abc import Callable

from shop import spec_choices, typed_answers
from shop.models import Order
from words.render import phrase

# Facts said in these flows' words, for SPOKEN_FACTS.
SPOKEN = (typed_answers.YesOrNoToChoose, spec_choices.SpecChoices, spec_choices.ConditionalChoice)
# Lines said from no fact of their own.
PHRASES = {"yes_or_no_yes", "yes_or_no_no", "value_question_again", "agreed_while_waiting"}
PENDING = ("cancel_order", "request_return_exchange", "quality_return", "fresh_claim")
CHOICE_QUESTIONS = ("有啥颜色", "那黑色呢", "白色还有吗", "有没有L码")
CONDITIONAL_VALUES = (
    ("没有的话白色吧", ["那黑色呢"]),
    ("白色没货就换蓝色", []),
    ("要L码 没有的话M码也行", []),
)


def speak_typed_answers(
    order: Order, speak: Callable[..., None], spoken: dict[str, list[str]]
) -> None:
    """The two-way question for every request that may wait; the choices and the conditional
    values at a spec change's value step, on every order."""
    for pending in PENDING:
        asked = typed_answers.yes_or_no(order.order_no, pending)
        speak(asked)
        for key in ("yes_or_no_yes", "yes_or_no_no"):
            spoken.setdefault(key, []).append(phrase(key, kind=asked.kind))
    spoken.setdefault("value_question_again", []).append(phrase("value_question_again"))
    spoken.setdefault("agreed_while_waiting", []).append(phrase("agreed_while_waiting"))
    for text in CHOICE_QUESTIONS:
        if (choices := spec_choices.choices_answer(order, text)) is not None:
            speak(choices)
    for text, earlier in CONDITIONAL_VALUES:
        if (choice := spec_choices.conditional_choice(order, text, earlier)) is not None:
            speak(choice)

"""A yes with nothing waiting for it (确认换, 确认, or the 确认 button of an offer that has
lapsed): a confirmation is said to have nothing to confirm, so the shopper never thinks a change
was made; a plain 好的 asks what else is needed. A goodbye is said back. Either, when its words
ask who to turn to (那我问谁去), is answered with the agents and their hours."""

import re

from rasa_sdk.events import EventType

from bot.actions.common import Turn, TurnAction
from bot.actions.handoff import answer_who_to_turn_to

# Words that confirm something (the 确认 button sends /affirm): with nothing waiting, nothing done.
CONFIRMING = re.compile(r"确认|确定|/affirm|提交")


def say_nothing_waits(turn: Turn) -> None:
    """What a yes with nothing waiting for it gets."""
    confirming = CONFIRMING.search(turn.text or "") is not None
    turn.utter("utter_nothing_to_confirm" if confirming else "utter_anything_else")


class ActionAnswerBareYes(TurnAction):
    """A yes outside any question (rules.yml)."""

    def name(self) -> str:
        return "action_answer_bare_yes"

    def act(self, turn: Turn) -> list[EventType]:
        if not answer_who_to_turn_to(turn):  # 那我问谁去 read as a yes: who, not "what else"
            say_nothing_waits(turn)
        return []


class ActionSayGoodbye(TurnAction):
    """A goodbye (rules.yml), unless the words ask who to turn to (那就没办法了吗 我找谁)."""

    answers_shopper = False  # leaving: nothing else offered

    def name(self) -> str:
        return "action_say_goodbye"

    def act(self, turn: Turn) -> list[EventType]:
        if not answer_who_to_turn_to(turn):
            turn.utter("utter_goodbye")
        return []

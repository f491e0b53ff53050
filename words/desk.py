"""The agent desk's words (words/desk.yaml): why a step was refused, what a mood reading shows."""

from functools import cache
from pathlib import Path

from jinja2 import Template

from conversations.desk import DeskRefusal, DeskRefusedError, MoodReading
from words.checks import violation_text
from words.render import environment, words_file

DESK_FILE = Path(__file__).with_name("desk.yaml")


@cache
def _template(key: str, *path: str) -> Template:
    entry = words_file(DESK_FILE)[key]
    for part in path:
        entry = entry[part]
    return environment().from_string(str(entry))


def refusal(error: DeskRefusedError) -> str | list[str]:
    """Why the desk refused a step, Chinese then English; an inducing saved reply lists what
    the checker found, each as the review module words it."""
    if error.refusal is DeskRefusal.INDUCEMENT and isinstance(error.detail, list):
        head = _template("refusals", error.refusal.value).render()
        return [head, *(violation_text(v) for v in error.detail)]
    return _template("refusals", error.refusal.value).render(detail=error.detail)


def mood_cue(reading: MoodReading) -> str | None:
    """The shopper's words that show the mood, quoted; None when nothing shows it."""
    return _template("mood_cue").render(cue=reading.cue) if reading.cue else None

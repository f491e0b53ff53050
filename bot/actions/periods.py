"""A question about the period the bot just stated (从哪天算, 周末算不算, 有期限吗), answered
from that period, whatever the NLU or the FAQ reads in the bare words."""

from bot.actions.common import RefusalHeld, Turn, period_in_focus
from conversations.needs import Need, needs_in
from conversations.reading import pushes_back
from shop.periods import PeriodExplained, PeriodKind, asks_about_a_period
from words.render import Button

# The needs that name a period's own subject (最晚哪天到账 of a refund's days): still a question
# about that period, not another need.
OWN_NEEDS = {
    PeriodKind.REFUND_ARRIVAL: {Need.REFUND},
    PeriodKind.PRICE_PROTECTION: {Need.PRICE_PROTECTION},
    PeriodKind.INVOICE_ISSUE: {Need.INVOICE},
}


def period_explained(turn: Turn) -> PeriodExplained | None:
    """The period in focus explained for the question the message asks about it; None when it
    asks none, names a need of its own (退货从哪天算 我要退), or no period is in focus."""
    if not asks_about_a_period(turn.text):
        return None
    period = period_in_focus(turn.tracker)
    if period is None or set(needs_in(turn.text)) - OWN_NEEDS.get(period.kind, set()):
        return None
    return PeriodExplained(period, turn.now)


def answer_period_asked(turn: Turn) -> bool:
    """Say the period in focus explained; False, nothing said, when the message asks nothing
    about it."""
    explained = period_explained(turn)
    if explained is None:
        return False
    turn.say(explained)
    return True


def answer_pushback_on_a_period(turn: Turn) -> bool:
    """凭什么不行, 才过了几天 通融下 after a period the bot said is over (the 价保 window, the
    no-reason return's days): the feeling met, the period said again with its dates, a person
    offered. False, nothing said, otherwise."""
    period = period_in_focus(turn.tracker) if pushes_back(turn.text) else None
    if period is None:
        return False
    explained = PeriodExplained(period, turn.now)
    if explained.days_left is None or explained.days_left >= 0:
        return False
    turn.say(RefusalHeld(turn.words(explained)), buttons=[Button.HUMAN])
    return True

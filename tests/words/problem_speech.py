"""Everything the problem flows say about a demo order (bad fresh food, a quality problem, a
case said back, two ways to help), for the words tests."""

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from shop import aftersales, fresh_food, logistics, problems
from shop.models import AfterSaleStatus, CaseKind, Order

# Facts said in the flows' words, for SPOKEN_FACTS.
SPOKEN = (
    logistics.CaseToConfirm,
    problems.WhichAction,
    fresh_food.FreshClaimToConfirm,
    fresh_food.FreshClaimOpened,
    fresh_food.FreshReportTooLate,
    fresh_food.FreshClaimPending,
)
# What shoppers say about bad fresh food: pieces, a share, nothing countable, a resend.
FRESH_MESSAGES = (
    ["橙子烂了好几个"],
    ["橙子烂了", "一共16个 坏了4个"],
    ["全烂了"],
    ["烂了一半", "给我补发吧"],
    ["坏了3个 补发"],
    ["有几个坏的", "坏了两个"],
)


def speak_problems(
    db: Session, order: Order, now: datetime, speak: Callable[[object], None]
) -> None:
    """Say back every case, a quality return now and too late, every fresh-food claim (then
    record one, twice), and the two-button question (it writes)."""
    for kind in CaseKind:
        speak(logistics.case_check(db, order, kind, now))
    speak(aftersales.return_check(order, now, quality=True))
    speak(aftersales.return_window(order, now + timedelta(days=60), quality=True))
    speak(problems.WhichAction(order.order_no))
    for described in problems.ProblemKind:
        speak(problems.WhichAction(order.order_no, described))
    if not any(problems.is_fresh(item.variant.product) for item in order.items):
        return
    for messages in FRESH_MESSAGES:
        speak(fresh_food.fresh_claim_check(order, now, messages))
    speak(fresh_food.fresh_claim_check(order, now + timedelta(days=2), ["烂了"]))
    speak(fresh_food.open_fresh_claim(db, order, now, ["坏了3个 补发"]))
    speak(fresh_food.open_fresh_claim(db, order, now, ["再补一次"]))  # already waiting
    order.after_sales[-1].status = AfterSaleStatus.CLOSED
    speak(fresh_food.open_fresh_claim(db, order, now, ["一共16个 坏了4个"]))
    order.after_sales[-1].status = AfterSaleStatus.CLOSED
    speak(fresh_food.open_fresh_claim(db, order, now, ["橙子烂了好几个"]))

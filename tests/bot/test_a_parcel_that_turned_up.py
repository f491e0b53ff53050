"""A late or lost parcel that turned up (找到了 放隔壁楼驿站了), or the case taken back (那个登记
撤了吧), closes the case open here, whatever the NLU read: no carrier check, reship or refund
goes on (trial 20, T658: the shopper took it back twice and the case stayed open, harmful)."""

import pytest
from sqlalchemy import select

from bot.actions.bare_yes import ActionSayGoodbye
from bot.actions.fallback import ActionClarify
from bot.actions.order_lookup import ActionHandleOrderRequest
from core.events import Event, EventName
from shop.models import CaseKind, CaseStatus, LogisticsCase
from shop.problems import says_parcel_found
from tests.bot.conftest import DOMAIN, bot_said, in_open_case


@pytest.mark.parametrize(
    "text",
    [
        "找到了 放隔壁楼驿站了 不好意思哈",
        "原来我老公拿了",
        "刚才那个没收到的登记也撤了吧",
        "不用查了 拿到了",
    ],
)
def test_words_saying_the_parcel_turned_up_are_read_so(text):
    assert says_parcel_found(text)


@pytest.mark.parametrize("text", ["还没找到", "找到了吗", "快递柜我翻了 没有", "没收到啊"])
def test_words_saying_it_is_still_missing_are_not(text):
    assert not says_parcel_found(text)


def _in_lost_case(db, text: str, intent: str):
    return in_open_case(db, "delivered_not_received", CaseKind.LOST, text, intent)


async def _lost_case_after(db, dispatcher, text: str, intent: str, action):
    """The lost parcel's case after `action` answered `text` read as `intent`, and what it said."""
    tracker, order = _in_lost_case(db, text, intent)
    await action().run(dispatcher, tracker, DOMAIN)
    db.expire_all()
    [case] = db.scalars(select(LogisticsCase).where(LogisticsCase.order_id == order.id)).all()
    return case, bot_said(dispatcher)


@pytest.mark.parametrize(
    ("text", "intent", "action"),
    [
        ("找到了 放隔壁楼驿站了 不好意思哈", "report_lost_parcel", ActionHandleOrderRequest),
        ("原来我老公拿了 不好意思", "nlu_fallback", ActionClarify),
        # trial 23, T783: both got a menu, and the goodbye to the second left the case open
        ("啊等下 室友说帮我拿了 在他那 不好意思hhh", "nlu_fallback", ActionClarify),
        ("那不用查了吧", "deny", ActionSayGoodbye),
    ],
)
async def test_the_parcel_turned_up_takes_the_lost_case_back_and_says_so(
    db, dispatcher, text, intent, action
):
    case, said = await _lost_case_after(db, dispatcher, text, intent, action)
    assert case.status == CaseStatus.RESOLVED
    assert "撤销" in said
    assert "为了不给您办错" not in said  # no two buttons asking which problem it is
    resolved = db.scalars(select(Event).where(Event.name == EventName.CASE_RESOLVED)).all()
    assert [e.actor for e in resolved if e.subject_id == str(case.id)] == ["shopper"]


@pytest.mark.parametrize(
    ("text", "intent", "action"),
    [
        # trial 27, T945 t6: the case was withdrawn, harmful
        ("要是后面原来那个又找到了呢", "nlu_fallback", ActionClarify),
        ("万一以后找到了怎么办", "report_lost_parcel", ActionHandleOrderRequest),
    ],
)
async def test_what_would_happen_if_it_turned_up_leaves_the_case_open(
    db, dispatcher, text, intent, action
):
    case, said = await _lost_case_after(db, dispatcher, text, intent, action)
    assert case.status != CaseStatus.RESOLVED
    assert "撤销" not in said


async def test_where_the_shopper_looked_for_a_parcel_signed_for_is_noted_on_its_case(
    db, dispatcher
):
    """Trial 28, T976 t3: 驿站我去问了 没有 (read as nothing) while the carrier checked a parcel
    signed for but not received got "which do you mean" with two buttons."""
    tracker, order = in_open_case(
        db, "delivered_not_received", CaseKind.LOST, "驿站我去问了 没有", "nlu_fallback"
    )
    await ActionClarify().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "记在跟进单上" in said
    assert not any(m.get("buttons") for m in dispatcher.messages)
    db.expire_all()
    case = db.scalars(select(LogisticsCase).where(LogisticsCase.order_id == order.id)).one()
    assert "［买家已找过］驿站我去问了 没有" in (case.detail or "")

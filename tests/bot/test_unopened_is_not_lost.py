"""A parcel signed for and not opened yet (一直没空拆) is in hand, not lost: in a talk about
sending it back, the return's window is said from the signed date; otherwise where the order
is. Never a signed-but-not-received case with a reship or a full refund (shop/problems.py
`in_hand_unopened`, bot/actions/order_requests.py `_in_hand`)."""

import pytest

from bot.actions.order_lookup import ActionHandleOrderRequest
from shop.problems import ProblemKind, in_hand_unopened, read_problem
from tests.bot.conftest import next_message, verified_after
from tests.bot.test_problem_cases import _cases, _slot

UNOPENED = [
    ("签收没几天啊 我一直没空拆", "report_lost_parcel"),
    ("我还没拆开呢 才签收", "report_lost_parcel"),
    ("到了以后一直放着没动 没来得及打开", "report_delivery_delay"),
    ("显示签收了 但我一直没时间拆", "report_lost_parcel"),
]


@pytest.mark.parametrize(("text", "intent"), UNOPENED)
async def test_not_opened_yet_after_asking_to_return_says_the_window_from_the_signed_date(
    db, dispatcher, text, intent
):
    tracker, order_no = verified_after(
        "not_returnable", "request_return_exchange", "这个我要退 颜色跟图片差太多了"
    )
    next_message(tracker, text, intent, None, dispatcher=dispatcher)
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    said = " ".join(m.get("text") or "" for m in dispatcher.messages)
    assert "签收" in said
    assert "期限已经过了" in said or "已经过了" in said
    assert "没有收到" not in said
    assert "补发" not in said
    assert _slot(events, "pending_request") is None
    assert _cases(db, order_no)[0] == []


async def test_not_opened_yet_with_no_return_talk_says_where_the_order_is(db, dispatcher):
    tracker, order_no = verified_after("returnable", "track_order", "我的快递")
    next_message(tracker, "签收好几天了 一直没空拆", "report_lost_parcel", None)
    dispatcher.messages.clear()
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    said = " ".join(m.get("text") or "" for m in dispatcher.messages)
    assert "签收" in said
    assert "没有收到" not in said
    assert _cases(db, order_no)[0] == []


@pytest.mark.parametrize(
    "text", ["显示签收了但我没收到", "快递柜里没有 没收到", "签收了可是找不到包裹"]
)
def test_not_received_is_still_a_lost_parcel(text):
    assert not in_hand_unopened(text)
    assert ProblemKind.LOST in read_problem(text).kinds


def test_not_opened_words_are_read_as_in_hand():
    for text, _ in UNOPENED:
        assert in_hand_unopened(text), text
        assert ProblemKind.LOST not in read_problem(text).kinds

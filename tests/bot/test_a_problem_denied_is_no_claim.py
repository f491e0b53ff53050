"""A problem the shopper denies (没有烂的, 一个都没坏) is no claim: fruit that only tastes bland
is no bad fruit (trial 11: T300 "没有烂的 就是口感一般般" got the bad-fruit refund said back for a
yes)."""

import pytest

from bot.actions.order_lookup import ActionHandleOrderRequest
from shop.problems import DENIED, ProblemKind, read_problem
from tests.bot.conftest import DOMAIN, after_an_order_request

CLAIM_WORDS = ("有坏的，给您添麻烦", "确认提交")


@pytest.mark.parametrize(
    "text",
    ["没有烂的 就是口感一般般", "一个都没坏 就是不甜", "没坏的 就是不够脆", "也没有发霉 就是没味道",
     "烂倒是没烂 就是太酸了"],
)  # fmt: skip
def test_a_denied_bad_piece_is_read_as_no_problem(text):
    assert ProblemKind.SPOILED_FRESH not in read_problem(text).kinds
    assert read_problem(text).kinds == ()


@pytest.mark.parametrize(
    "text",
    ["烂了两个", "有三个坏的", "没几天就烂了", "没有一个不烂的", "坏了没人管吗 烂了一半"],
)  # fmt: skip
def test_a_bad_piece_told_is_never_taken_for_a_denied_one(text):
    assert DENIED.sub("", text) == text


@pytest.mark.parametrize("text", ["没有一个不烂的 全烂了", "有两个坏的 其他没坏"])
async def test_bad_fruit_told_beside_a_negation_still_gets_the_claim(db, dispatcher, text):
    tracker, _ = after_an_order_request(
        "fresh_delivered", "苹果到了", "inform", text, now_intent="report_damaged_item"
    )
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    assert "确认提交" in "\n".join(m.get("text") or "" for m in dispatcher.messages)


@pytest.mark.parametrize("intent", ["report_damaged_item", "request_return_exchange", "inform"])
@pytest.mark.parametrize("text", ["没有烂的 就是口感一般般", "一个都没坏 就是不甜"])
async def test_bland_fruit_with_nothing_bad_gets_no_bad_fruit_claim(db, dispatcher, text, intent):
    tracker, _ = after_an_order_request(
        "fresh_delivered",
        "苹果到了 吃了两个不怎么脆 能退吗",
        "request_return_exchange",
        text,
        now_intent=intent,
    )
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    said = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert not any(word in said for word in CLAIM_WORDS), said
    assert not any(e.get("name") == "pending_request" and e.get("value") for e in events)

"""While a damage case said back waits for its yes, a reply to it is read as one whatever the
NLU made of it: photos said sent are heard (never a 价保 answer), a remedy chosen is said back
with it, and the case is never dropped (trial 20, T659 and T660: 照片发了 [照片] got the 价保
answer, 我要退款 不想等补发 the cancel rules, 请帮我登记 要退款 an anti-fraud warning)."""

import pytest

from bot.actions import problem_cases
from bot.actions.case_questions import ActionAnswerOutOfScope
from bot.actions.complaints import ActionAnswerComplaint
from bot.actions.faq import ActionAnswerFaq
from bot.actions.order_lookup import ActionHandleOrderRequest
from shop.models import CaseKind
from tests.bot.conftest import DOMAIN, bot_said, next_message, slots_set, verified_after
from tests.bot.test_replies_to_a_waiting_request import _cases

WAITING = problem_cases.CASE_PENDING[CaseKind.DAMAGED]


async def _damage_said_back(dispatcher):
    tracker, order_no = verified_after(
        "damaged_on_arrival", "report_damaged_item", "搞什么 水壶到了就是瘪的 底座还裂了"
    )
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    assert slots_set(events)["pending_request"] == WAITING
    return tracker, order_no


@pytest.mark.parametrize("text", ["照片发了 [照片]", "行吧 拍了 发你了 [照片]"])
async def test_photos_said_sent_are_heard_and_the_case_still_waits(db, dispatcher, text):
    tracker, order_no = await _damage_said_back(dispatcher)
    next_message(tracker, text, "faq", WAITING, dispatcher=dispatcher)
    events = await ActionAnswerFaq().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "价保" not in said
    assert "确认" in said  # the case offered again with its yes
    assert slots_set(events).get("pending_request", WAITING) == WAITING
    assert _cases(db, order_no) == []  # nothing opened before the yes


@pytest.mark.parametrize(
    ("text", "intent", "action"),
    [
        ("我要退款 不想等补发", "complain", ActionAnswerComplaint),
        ("硬盘外壳裂了 照片我发了 请帮我登记 要退款", "out_of_scope", ActionAnswerOutOfScope),
    ],
)
async def test_a_remedy_chosen_whatever_the_nlu_read_is_said_back_with_it(
    db, dispatcher, text, intent, action
):
    tracker, order_no = await _damage_said_back(dispatcher)
    next_message(tracker, text, intent, WAITING, dispatcher=dispatcher)
    await action().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "退款" in said
    assert "诈骗" not in said
    assert "不满意" not in said
    assert _cases(db, order_no) == []  # said back for its yes, not opened


async def test_when_he_hears_back_asked_before_the_case_is_registered_is_answered_and_it_waits(
    db, dispatcher
):
    # trial 20, T660: 那你们主管什么时候回复 got the complaint boilerplate
    tracker, order_no = await _damage_said_back(dispatcher)
    next_message(tracker, "那你们主管什么时候回复", "complain", WAITING, dispatcher=dispatcher)
    events = await ActionAnswerComplaint().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "小时内给您答复" in said
    assert "不满意" not in said
    assert slots_set(events).get("pending_request") == WAITING
    assert _cases(db, order_no) == []


@pytest.mark.parametrize(
    ("text", "said_part"),
    [("有没有补偿", "除此之外的补偿"),  # what the case gives, and that more is a person's
     ("面单也要拍？箱子我扔楼下了", "快递面单"),  # the photos it needs
     ("行吧 拍了 怎么发你", "申请售后")],  # where they go
)  # fmt: skip
async def test_a_question_about_the_case_said_back_is_answered_from_it_and_it_waits(
    db, dispatcher, text, said_part
):
    # trial 21, T697/T699: 有没有补偿 got "白色：有货", 面单也要拍 a menu, 怎么发你 the privacy FAQ
    from bot.actions.fallback import ActionClarify

    tracker, order_no = await _damage_said_back(dispatcher)
    next_message(tracker, text, "nlu_fallback", WAITING, dispatcher=dispatcher)
    events = await ActionClarify().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert said_part in said
    assert "隐私" not in said
    assert "不太确定" not in said
    assert slots_set(events).get("pending_request", WAITING) == WAITING
    assert _cases(db, order_no) == []
    for message in dispatcher.messages:  # a button named in the words is one shown with them
        shown = [b["title"] for b in message.get("buttons") or []]
        assert "点「转人工客服」" not in (message.get("text") or "") or "转人工客服" in shown


async def test_the_yes_typed_before_the_remedy_opens_the_case_said_back(db, dispatcher):
    # trial 22, T743: "确认 换黑色L" to a wrong-item case, read as a return, got the 7-day
    # no-reason return said back instead
    tracker, order_no = await _damage_said_back(dispatcher)
    next_message(
        tracker, "确认 给我换个新的", "request_return_exchange", WAITING, dispatcher=dispatcher
    )
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "七天无理由" not in said
    assert len(_cases(db, order_no)) == 1
    assert slots_set(events).get("pending_request") is None

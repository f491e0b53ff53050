"""A follow-up on one part of a policy answer just given gets that part, not the whole answer
again ("和刚才说的一样", cut off with "…"); one the answer does not cover is told so, with a
person offered."""

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from bot.actions.common import Turn
from bot.actions.faq import ActionAnswerFaq
from conversations.queue import StillWaiting
from core.clock import utcnow
from core.database import unit_of_work
from tests.bot.conftest import make_tracker, user_event
from words.render import Button, button, say

HUMAN = button(Button.HUMAN)


async def _answers(first: str, follow_up: str) -> tuple[str, list[dict[str, Any]]]:
    """The FAQ answer to `first`, then the bot's messages answering `follow_up` after it."""
    opening = CollectingDispatcher()
    await ActionAnswerFaq().run(opening, make_tracker({}, first, "faq"), {})
    said = opening.messages[0]["text"]
    earlier = [user_event(first, "faq"), {"event": "bot", "text": said}]
    dispatcher = CollectingDispatcher()
    await ActionAnswerFaq().run(dispatcher, make_tracker({}, follow_up, "faq", earlier=earlier), {})
    return said, dispatcher.messages


async def test_a_follow_up_on_live_stream_prices_gets_the_sentence_that_names_them(db):
    said, messages = await _answers("降价了怎么补差价", "在直播里抢的那个价格也给补吗")
    text = messages[0]["text"]
    assert "直播间专享价" in text
    assert text != said
    assert "和刚才说的一样" not in text
    assert "申请方式" not in text  # the rest of the entry is not said again


async def test_a_follow_up_on_the_special_invoice_gets_what_to_provide_for_it(db):
    said, messages = await _answers("能开发票吗", "那增值税专票呢 需要给你们哪些资料")
    text = messages[0]["text"]
    assert "开户行及账号" in text
    assert "和刚才说的一样" not in text
    assert "…" not in text
    assert len(text) < len(said) / 2


async def test_a_follow_up_the_answer_does_not_cover_is_told_so_with_a_person_offered(db):
    said, messages = await _answers("降价了怎么补差价", "那要是我已经点了确认收货呢")
    assert messages[0]["text"] != said
    assert "没有写到" in messages[0]["text"]
    assert HUMAN in messages[0]["buttons"]


LONG_ANSWER = (
    "本店的旧机回收只收同品牌的大家电（冰箱、洗衣机、空调和电视），回收价按机器的新旧程度和能不能正常开机来定，"
    "师傅上门看过之后当场报价，您觉得合适再收。"
    "回收款在师傅拉走机器后的3个工作日内打到您下单用的支付账户。"
    "旧机回收要在新机签收后的15天内预约，过了时间就不能再约了。"
    "预约时请在订单详情里选好上门的日期和时间段，师傅出发前会先打电话跟您确认，"
    "如果临时有事，可以提前一天改约。"
)


def test_a_long_answer_said_again_is_its_first_sentence_whole_never_cut_with_dots():
    earlier = [user_event("旧机回收怎么弄", "faq"), {"event": "bot", "text": LONG_ANSWER}]
    tracker = make_tracker({}, "好吧", "faq", earlier=earlier)
    with unit_of_work() as session:
        turn = Turn(session, tracker, CollectingDispatcher(), utcnow())
        turn.out.utter_message(text=LONG_ANSWER)
        text = turn.out.messages[0]["text"]
    assert "…" not in text
    assert "您觉得合适再收。" in text  # the first sentence, whole
    assert "3个工作日" not in text


def test_a_question_while_waiting_is_answered_before_the_short_notice():
    text = say(StillWaiting(0, False, "请拍三张照片：外箱、快递面单和坏掉的地方。"))
    assert text.startswith("请拍三张照片")
    assert "一并转给人工客服了" in text

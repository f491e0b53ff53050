"""A message the NLU took for a policy question whose last clause asks the stock of the product
in focus (哦 券后的不算啊。。那我再买一本 现在有货吗) gets the stock; the policy's answer only when
the rest asks something too, never for a remark."""

from rasa_sdk.executor import CollectingDispatcher

from bot.actions.faq import ActionAnswerFaq
from tests.bot.conftest import make_tracker

PICTURE_BOOK = "P7004"  # 猜猜我有多爱你: the hardcover sold out, a restock date


async def _said(text: str) -> str:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker({"current_product": PICTURE_BOOK}, text, "faq")
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    return "\n".join(m["text"] or "" for m in dispatcher.messages)


async def test_a_remark_then_a_stock_question_gets_the_stock_alone(db):
    said = await _said("哦 券后的不算啊。。那我再买一本给我侄女 现在有货吗")
    assert "补货" in said or "有货" in said
    assert "领券" not in said


async def test_a_policy_question_then_a_stock_question_gets_both(db):
    said = await _said("优惠券怎么领？ 现在有货吗")
    assert "领券" in said
    assert "补货" in said or "有货" in said

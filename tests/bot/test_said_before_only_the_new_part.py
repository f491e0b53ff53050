"""What the bot said a moment ago is not said again: the second time a flow says only what is
new, and a choice offered again answers the question asked on it, not the whole block."""

from rasa_sdk.executor import CollectingDispatcher

from bot.actions.common import Turn
from core.clock import utcnow
from core.database import unit_of_work
from tests.bot.conftest import make_tracker, user_event
from words.render import Button, button

STATUS = (
    "您的订单原定 12月5日 前发出，已经晚了 1 天，到现在还没有发货，非常抱歉让您久等了。"
    "仓库每天 16:00 截单出库，现在还赶得上今天这一批，能不能排上以仓库出库为准。"
)
BLOCK = (
    "这个订单 12月3日 签收，您说的情况属于质量问题，签收后15天内退货退款或者换货都可以，"
    "来回运费都由我们承担。需要拍几张照片，在订单详情里申请售后时上传。"
    "确认为订单 7492083124023448 申请质量问题退换货吗？"
)
CHOICE = [button(Button.CONFIRM_REQUEST), button(Button.KEEP_REQUEST)]


def _said(earlier_text: str, message: str, text: str, buttons=None) -> list[dict]:
    earlier = [user_event("最开始的问题", "chase_order"), {"event": "bot", "text": earlier_text}]
    tracker = make_tracker({}, message, "chase_order", earlier=earlier)
    with unit_of_work() as session:
        turn = Turn(session, tracker, CollectingDispatcher(), utcnow())
        turn.out.utter_message(text=text, buttons=buttons or [])
        return turn.out.messages


def test_a_status_said_again_beside_a_new_line_says_only_the_new_line():
    new_line = "发货前如需修改地址或取消订单，直接告诉我就可以。"
    messages = _said(STATUS, "再不发我就不要了", STATUS + "\n" + new_line)
    assert messages[0]["text"] == new_line


def test_a_message_with_nothing_said_before_goes_out_whole():
    text = "好的，已经为您取消订单，¥758.90 会原路退回花呗。一般1-3个工作日到账。"
    assert _said(STATUS, "取消吧", text)[0]["text"] == text


def test_a_choice_offered_again_answers_the_question_asked_on_it_and_keeps_its_buttons():
    messages = _said(BLOCK, "已经用过一回了 还可以换货吗", BLOCK, CHOICE)
    text = messages[0]["text"]
    assert "换货都可以" in text
    assert "申请质量问题退换货吗？" in text
    assert "需要拍几张照片" not in text  # the rest of the block is not said again
    assert messages[0]["buttons"] == CHOICE


def test_a_choice_offered_again_without_a_question_goes_out_as_it_is():
    messages = _said(BLOCK, "嗯", BLOCK, CHOICE)
    assert messages[0]["text"] == BLOCK

"""A shopper waiting for a person is told the wait, and every message they send is acknowledged."""

import uuid
from datetime import datetime

from connectors.rasa_client import BotReply
from connectors.storefront_chat import ChatGateway
from conversations.models import EscalationReason, Handler, Sender
from conversations.queue import agent_wait, load_agent_hours
from conversations.service import agent_reply, hand_over, messages_after
from core.clock import SHOP_TZ
from core.database import unit_of_work
from words.render import say


class HandingOverBot:
    """Hands over on 转人工 (as action_hand_over does), otherwise echoes."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    async def send(
        self, sender_id: str, text: str, metadata: dict[str, str] | None = None
    ) -> list[BotReply]:
        self.seen.append(text)
        if text == "转人工":
            with unit_of_work() as session:
                hand_over(session, sender_id, EscalationReason.SHOPPER_ASKED, detail=text)
            return [BotReply("好的，这就为您转人工客服。")]
        return [BotReply(f"echo {text}")]


async def test_the_handoff_turn_tells_the_wait_and_later_messages_are_acknowledged(db):
    bot, conversation = HandingOverBot(), uuid.uuid4().hex
    gateway = ChatGateway(bot)
    handed = await gateway.shopper_message(conversation, "转人工")
    assert handed.handled_by == Handler.HUMAN
    assert handed.replies[0].text == "好的，这就为您转人工客服。"
    wait = handed.replies[-1].text
    assert "人工客服" in wait
    held = await gateway.shopper_message(conversation, "订单号6559797114710497")
    again = await gateway.shopper_message(conversation, "在吗")
    assert bot.seen == ["转人工"]  # the bot never answers while a person is due
    assert held.handled_by == again.handled_by == Handler.HUMAN
    assert held.replies[0].text.startswith("收到")  # soon after the wait was said: short
    assert again.replies[0].text.startswith("这条也记下了")  # never the same line twice
    transcript = [(m.sender, m.text) for m in messages_after(db, conversation)]
    assert transcript == [
        (Sender.SHOPPER, "转人工"),
        (Sender.BOT, "好的，这就为您转人工客服。"),
        (Sender.SYSTEM, wait),
        (Sender.SHOPPER, "订单号6559797114710497"),
        (Sender.SYSTEM, held.replies[0].text),
        (Sender.SHOPPER, "在吗"),
        (Sender.SYSTEM, again.replies[0].text),
    ]


async def test_once_an_agent_answers_the_shoppers_messages_are_theirs_alone(db):
    gateway, conversation = ChatGateway(HandingOverBot()), uuid.uuid4().hex
    await gateway.shopper_message(conversation, "转人工")
    with unit_of_work() as session:
        agent_reply(session, conversation, "客服小美", "您好，我是客服小美")
    answer = await gateway.shopper_message(conversation, "我的快递三天没动了")
    assert (answer.replies, answer.handled_by) == ([], Handler.HUMAN)


def _at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, 3, hour, minute, tzinfo=SHOP_TZ)


def test_the_wait_is_said_from_the_queue_fact():
    text = say(agent_wait(2, _at(14), load_agent_hours()))
    assert "前面还有 2 位" in text
    assert "预计 9 分钟左右" in text
    night = say(agent_wait(0, _at(23, 30), load_agent_hours()))
    assert "非人工服务时间" in night
    assert "明天 09:00" in night

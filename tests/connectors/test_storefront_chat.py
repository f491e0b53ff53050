"""The gateway's stream delivers every message after a given id, waking at once for new ones."""

import asyncio
import uuid

from connectors.rasa_client import BotReply
from connectors.storefront_chat import ChatGateway
from conversations.models import Sender
from conversations.service import post
from core.database import unit_of_work


class EchoBot:
    async def send(
        self, sender_id: str, text: str, metadata: dict[str, str] | None = None
    ) -> list[BotReply]:
        return [BotReply(f"echo {text}")]


async def _take(stream, n: int) -> list:
    taken = []
    async for message in stream:
        taken.append(message)
        if len(taken) == n:
            return taken
    return taken


async def test_a_stream_resumes_after_the_last_seen_message_and_gets_pushes(db):
    gateway = ChatGateway(EchoBot())
    conversation = uuid.uuid4().hex
    await gateway.shopper_message(conversation, "第一条")
    first_two = await _take(gateway.stream(conversation, 0), 2)
    assert [m.text for m in first_two] == ["第一条", "echo 第一条"]

    resumed = asyncio.create_task(_take(gateway.stream(conversation, first_two[-1].id), 1))
    await asyncio.sleep(0.05)
    with unit_of_work() as session:  # stored elsewhere (a follow-up), then the streams woken
        post(session, conversation, Sender.BOT, "您的包裹已经开始派送啦")
    gateway.signal.notify(conversation)
    pushed = await asyncio.wait_for(resumed, timeout=1.0)
    assert [m.text for m in pushed] == ["您的包裹已经开始派送啦"]

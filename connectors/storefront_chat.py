"""The chat gateway: the one way in and out of every shopper conversation.

It stores each message (the transcript agents and reports read), forwards the shopper's
messages to the bot while the bot has the conversation, holds them for the agent desk once a
human has it, and pushes agent replies and proactive follow-ups to the shopper's open stream.
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, NamedTuple

from connectors.push import open_push
from connectors.rasa_client import BotReply, BotUnavailableError, RasaRestClient
from conversations import service
from conversations.models import Handler, Message, Sender
from conversations.queue import asks_yes_no, waiting_notice
from core.clock import utcnow
from core.database import unit_of_work
from core.settings import get_settings
from words.render import Button, button, phrase, say


@dataclass(frozen=True)
class GatewayAnswer:
    replies: list[BotReply]
    handled_by: Handler


# A stream reads the database this often even unwoken: what a lost push (Redis away) missed
# reaches the shopper by then.
SAFETY_POLL_S = 5.0


class Stored(NamedTuple):
    handled_by: Handler  # who has the conversation now
    notices: list[BotReply]  # where a waiting shopper stands
    offered: set[str]  # before a shopper's message: the payloads the bot's answer offered


def as_words(text: str) -> str:
    """Text Rasa reads as words: a leading "/" would make it an intent with entities (Rasa's
    payload syntax), so it becomes the full-width "／"."""
    stripped = text.lstrip()
    return "／" + stripped[1:] if stripped.startswith("/") else text


class ChatGateway:
    def __init__(self, bot: RasaRestClient) -> None:
        self.bot = bot
        # wakes the streams of every API worker (PUSH_URL); the app's lifespan starts it
        self.signal = open_push(get_settings().push_url)

    async def shopper_message(
        self,
        conversation_id: str,
        text: str,
        payload: str | None = None,
        client: str | None = None,
    ) -> GatewayAnswer:
        """Store the shopper's message; answer it with the bot unless a human has it.

        `payload` is what a clicked button sends to the bot (e.g. `/request_human`) while the
        transcript keeps the button's title as `text`. Only a payload of a button the bot has
        just offered in this conversation is sent as one (sent as `payload`, or typed as the
        text by a client without buttons); anything else a shopper sends, typed `/restart` or
        `/inform{"verified_order_no": …}` included, reaches the bot as words.
        `client` names the shopper's device (a digest, never the address itself) to the
        actions, which count wrong phone tails per client across conversations.
        """
        stored = await asyncio.to_thread(
            self._store, conversation_id, Sender.SHOPPER, [(text, [])], client
        )
        if stored.handled_by == Handler.HUMAN:  # held for the agent desk, and the shopper told so
            return GatewayAnswer(stored.notices, Handler.HUMAN)
        tapped = payload if payload is not None else text.strip()
        to_bot = tapped if tapped in stored.offered else as_words(text)

        try:
            metadata = {"client": client} if client else None
            replies, sender = await self.bot.send(conversation_id, to_bot, metadata), Sender.BOT
        except BotUnavailableError:
            unavailable = BotReply(phrase("bot_unavailable"), [button(Button.HUMAN)])
            replies, sender = [unavailable], Sender.SYSTEM
        # the bot may just have handed over: report who has the conversation now, and the wait
        answered = await asyncio.to_thread(
            self._store, conversation_id, sender, [(r.text, r.buttons) for r in replies]
        )
        return GatewayAnswer(replies + answered.notices, answered.handled_by)

    def _store(
        self,
        conversation_id: str,
        sender: Sender,
        messages: list[tuple[str, list[dict[str, Any]]]],
        client: str | None = None,
    ) -> "Stored":
        """Store one turn's messages, as (text, buttons), in one unit of work (in a worker
        thread: the event loop never waits on disk). While the conversation waits for a
        person, the shopper is told where they stand (stored, and returned as replies). Before
        a shopper's message, the payloads the bot's last answer offered are read."""
        notices: list[BotReply] = []
        offered: set[str] = set()
        with unit_of_work() as session:
            conversation = service.get_or_start(session, conversation_id)
            if sender == Sender.SHOPPER:
                offered = service.offered_payloads(session, conversation_id)
            for text, buttons in messages:
                service.add_message(session, conversation, sender, text, buttons)
            handled_by = conversation.handled_by
            if handled_by == Handler.HUMAN:
                asked = messages[0][0] if sender == Sender.SHOPPER else None
                notice = waiting_notice(
                    session, conversation_id, utcnow(), question=asked, client=client
                )
                if notice is not None:
                    yes_no = [Button.CONFIRM_REQUEST, Button.KEEP_REQUEST]
                    asked_for = [button(b) for b in yes_no] if asks_yes_no(notice) else []
                    notices.append(BotReply(say(notice), asked_for))
                    service.add_message(
                        session, conversation, Sender.SYSTEM, notices[0].text, asked_for
                    )
        self.signal.notify(conversation_id)
        return Stored(handled_by, notices, offered)

    def agent_reply(self, conversation_id: str, agent: str, text: str) -> Message:
        """An agent's answer, stored and pushed; raises NotWithAgentError if the bot has it."""
        with unit_of_work() as session:
            message = service.agent_reply(session, conversation_id, agent, text)
        self.signal.notify(conversation_id)
        return message

    def hand_back(self, conversation_id: str, agent: str) -> None:
        """The agent is done: the bot answers again, and the shopper is told so."""
        with unit_of_work() as session:  # handed back and told so, together
            service.hand_back(session, conversation_id, agent)
            service.post(session, conversation_id, Sender.SYSTEM, phrase("handed_back"))
        self.signal.notify(conversation_id)

    async def stream(
        self, conversation_id: str, after_id: int, poll_s: float = SAFETY_POLL_S
    ) -> AsyncIterator[Message]:
        """Messages of the conversation after `after_id`, as they are stored, forever.

        Wakes at once when any API worker stores a message in the conversation (the push,
        connectors/push.py) and reads the database then; polls it every `poll_s` for what no
        push announced (one lost while Redis was away). A
        reconnecting client that passes its last message id misses nothing.
        """
        last = after_id
        while True:
            with self.signal.listening(conversation_id) as woken:  # before reading: no gap
                with unit_of_work() as session:
                    fresh = service.messages_after(session, conversation_id, last)
                    session.expunge_all()
                for message in fresh:
                    last = message.id
                    yield message
                with suppress(TimeoutError):
                    await asyncio.wait_for(woken.wait(), poll_s)

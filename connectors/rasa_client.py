"""Talking to the Rasa servers over their REST channel (aiohttp: a fifth of httpx's CPU a call)."""

import itertools
from dataclasses import dataclass, field
from typing import Any

import aiohttp


class BotUnavailableError(RuntimeError):
    """Rasa (or the action server behind it) did not answer in time or answered with an error."""


@dataclass(frozen=True)
class BotReply:
    text: str
    buttons: list[dict[str, Any]] = field(default_factory=list)


class RasaRestClient:
    """Sends one shopper message to a Rasa server and returns the bot's replies.

    With several servers (sharing a tracker store and a lock store, so any of them can take
    any conversation's next message) each message goes to the one with the fewest messages in
    flight; a server that refuses the connection is skipped for the next one.
    """

    def __init__(self, base_urls: list[str], timeout_s: float = 4.0) -> None:
        if not base_urls:
            raise ValueError("at least one Rasa server URL is needed")
        self._urls = [f"{url.rstrip('/')}/webhooks/rest/webhook" for url in base_urls]
        self._in_flight = [0] * len(self._urls)
        self._turn = itertools.count()
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._session: aiohttp.ClientSession | None = None

    def _http(self) -> aiohttp.ClientSession:
        """The connection pool, opened on first use inside the serving event loop."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        return self._session

    def _order(self) -> list[int]:
        """Server indexes, least busy first; ties rotate so idle servers share the load."""
        start = next(self._turn)
        count = len(self._urls)
        rotated = [(start + i) % count for i in range(count)]
        return sorted(rotated, key=lambda i: self._in_flight[i])

    async def send(self, sender_id: str, text: str) -> list[BotReply]:
        message = {"sender": sender_id, "message": text}
        for index in self._order():
            self._in_flight[index] += 1
            try:
                async with self._http().post(self._urls[index], json=message) as response:
                    response.raise_for_status()
                    payload = await response.json(content_type=None)
            except aiohttp.ClientConnectorError:
                continue  # this server is down: the next one can take the message
            except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
                raise BotUnavailableError(f"Rasa did not answer: {exc!r}") from exc
            finally:
                self._in_flight[index] -= 1
            return _replies(payload)
        raise BotUnavailableError("no Rasa server accepted the connection")

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()


def _replies(payload: Any) -> list[BotReply]:
    if not isinstance(payload, list):
        raise BotUnavailableError(f"Rasa answered with something other than a list: {payload!r}")
    replies = [
        BotReply(item.get("text") or "", item.get("buttons") or [])
        for item in payload
        if isinstance(item, dict) and (item.get("text") or item.get("buttons"))
    ]
    if not replies:  # Rasa answers [] when an action failed (e.g. action server down)
        raise BotUnavailableError("Rasa answered with no message")
    return replies

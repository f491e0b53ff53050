"""Talking to the Rasa servers over their REST channel (aiohttp: a fifth of httpx's CPU a call)."""

import itertools
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp

# The shopper's wait for the bot, all servers tried included: past it they get the apology and
# the button for a human (connectors/storefront_chat.py), well within the widget's patience.
TIME_LIMIT_S = 4.0
# Opening a connection to a live server on the local network takes a millisecond; one that does
# not open within this is a host that is down or unreachable, and the message goes elsewhere.
CONNECT_TIMEOUT_S = 1.0
# A server that failed is tried only after the others for a while; its next answer ends that.
# One that refused the connection (down, or restarting: Rasa loads its model for 20-40 s) for a
# few seconds: finding out again costs a millisecond, and once it is back it should take its
# share at once. One that timed out, dropped the connection or answered with an error cost a
# shopper an apology: for longer, doubled with each such failure in a row up to the maximum
# (a hung server would otherwise cost an apology every few messages).
REFUSED_PAUSE_S = 5.0
PAUSE_AFTER_FAILURE_S = 10.0
MAX_PAUSE_S = 120.0


class BotUnavailableError(RuntimeError):
    """Rasa (or the action server behind it) did not answer in time or answered with an error."""


@dataclass(frozen=True)
class BotReply:
    text: str
    buttons: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Server:
    url: str
    in_flight: int = 0
    failures: int = 0  # in a row
    paused_until: float = 0.0  # time.monotonic()

    def refused(self, pause_s: float) -> None:
        self.failures = 0
        self.paused_until = time.monotonic() + pause_s

    def failed(self, pause_s: float, max_pause_s: float) -> None:
        self.failures += 1
        pause = min(pause_s * 2 ** (self.failures - 1), max_pause_s)
        self.paused_until = time.monotonic() + pause

    def answered(self) -> None:
        self.failures = 0
        self.paused_until = 0.0


class RasaRestClient:
    """Sends one shopper message to a Rasa server and returns the bot's replies.

    With several servers (sharing a tracker store and a lock store, so any of them can take
    any conversation's next message) each message goes to the one with the fewest messages in
    flight, servers that failed lately last.

    A message goes to a second server only when the connection to the first was never made
    (refused, or not opened within CONNECT_TIMEOUT_S): once it may have reached a server, that
    server may have run its actions (an order cancelled, a case opened), so a connection
    dropped mid-request, a timeout or an error answer is the apology, never a second try. The
    whole send takes at most `timeout_s`, however many servers it tries.
    """

    def __init__(
        self,
        base_urls: list[str],
        timeout_s: float = TIME_LIMIT_S,
        connect_timeout_s: float = CONNECT_TIMEOUT_S,
        refused_pause_s: float = REFUSED_PAUSE_S,
        pause_s: float = PAUSE_AFTER_FAILURE_S,
        max_pause_s: float = MAX_PAUSE_S,
    ) -> None:
        if not base_urls:
            raise ValueError("at least one Rasa server URL is needed")
        self._servers = [_Server(f"{url.rstrip('/')}/webhooks/rest/webhook") for url in base_urls]
        self._turn = itertools.count()
        self._time_limit_s = timeout_s
        self._connect_timeout_s = connect_timeout_s
        self._refused_pause_s = refused_pause_s
        self._pause_s = pause_s
        self._max_pause_s = max_pause_s
        self._session: aiohttp.ClientSession | None = None

    def _http(self) -> aiohttp.ClientSession:
        """The connection pool, opened on first use inside the serving event loop."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession()
        return self._session

    def _order(self) -> list[_Server]:
        """Servers that have not failed lately first, least busy first; ties rotate so idle
        servers share the load."""
        start = next(self._turn)
        count = len(self._servers)
        rotated = [self._servers[(start + i) % count] for i in range(count)]
        now = time.monotonic()
        return sorted(rotated, key=lambda s: (s.paused_until > now, s.in_flight))

    async def send(
        self, sender_id: str, text: str, metadata: dict[str, str] | None = None
    ) -> list[BotReply]:
        """The bot's replies to one message; `metadata` reaches the actions with it (Rasa's
        REST channel: `tracker.latest_message["metadata"]`)."""
        message: dict[str, object] = {"sender": sender_id, "message": text}
        if metadata:
            message["metadata"] = metadata
        deadline = time.monotonic() + self._time_limit_s
        for server in self._order():
            left = deadline - time.monotonic()
            if left <= 0:
                break
            timeout = aiohttp.ClientTimeout(
                total=left, sock_connect=min(self._connect_timeout_s, left)
            )
            server.in_flight += 1
            try:
                async with self._http().post(server.url, json=message, timeout=timeout) as response:
                    response.raise_for_status()
                    payload = await response.json(content_type=None)
                replies = _replies(payload)
            except aiohttp.ClientConnectorError:
                server.refused(self._refused_pause_s)
                continue  # the message never reached this server: the next one can take it
            except aiohttp.ConnectionTimeoutError:
                server.failed(self._pause_s, self._max_pause_s)  # it cost a second
                continue  # never connected either
            except BotUnavailableError:
                server.failed(self._pause_s, self._max_pause_s)
                raise
            except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
                server.failed(self._pause_s, self._max_pause_s)
                raise BotUnavailableError(f"Rasa did not answer: {exc!r}") from exc
            finally:
                server.in_flight -= 1
            server.answered()
            return replies
        raise BotUnavailableError("no Rasa server accepted the connection in time")

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

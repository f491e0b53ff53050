"""Pushes: "a message was stored in conversation X", told to every API worker's open streams.

The database stays the source of truth. A push only wakes a shopper's stream early; the stream
then reads what is new from the database, and a slower safety poll
(`connectors.storefront_chat.SAFETY_POLL_S`) reads anything a lost push missed. So a push may
be lost (Redis away, a publish that failed) and the shopper gets the message a little later,
never twice and never not at all.

`PUSH_URL` chooses the kind (`open_push`):

- `memory://` (the default, embedded): one API process; `notify` wakes this process's streams.
- `redis://HOST:PORT/DB`: Redis pub/sub on one channel. `notify` wakes this process's streams at
  once and hands the publish to the event loop (a single publisher task, so a request thread
  never waits on Redis, and an unreachable Redis only logs). Each process holds ONE subscriber
  connection, whatever the number of streams; it reconnects with back-off by itself, and on
  every (re)subscription wakes all its streams to read what was stored while it was away.

Redis pub/sub rather than PostgreSQL LISTEN/NOTIFY: the scale-out layout already runs Redis
(Rasa's lock store, Huey, the rate limits), and pub/sub works whatever the database is (SQLite
has no LISTEN) without holding a connection outside the SQLAlchemy pool in every worker.
"""

import asyncio
import logging
import random
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

from redis import Redis as SyncRedis
from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

CHANNEL = "kefu:chat:stored"  # data: "<origin> <conversation id>"
CONNECT_TIMEOUT_S = 1.0  # a Redis that does not answer by then is down for this attempt
RECONNECT_MIN_S = 0.2  # the subscriber's back-off after losing Redis: doubled each time...
RECONNECT_MAX_S = 5.0  # ...up to this
PING_AFTER_S = 5.0  # an idle subscriber pings Redis; no answer within 3× this: reconnect


class Push:
    """The open streams of this process, by conversation; subclasses tell other processes.

    `notify` is safe from any thread (sync routes run in worker threads) and never raises;
    `listening` is called inside the event loop; `start` and `stop` from the app's lifespan.
    """

    def __init__(self) -> None:
        self._listeners: dict[str, set[asyncio.Event]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()

    async def stop(self) -> None:
        return None

    def notify(self, conversation_id: str) -> None:
        """A message was stored in the conversation: wake its streams (in every process)."""
        raise NotImplementedError

    @contextmanager
    def listening(self, conversation_id: str) -> Iterator[asyncio.Event]:
        """An event set by the next `notify` for the conversation (call inside the loop)."""
        self._loop = asyncio.get_running_loop()
        event = asyncio.Event()
        self._listeners.setdefault(conversation_id, set()).add(event)
        try:
            yield event
        finally:
            listeners = self._listeners[conversation_id]
            listeners.discard(event)
            if not listeners:
                del self._listeners[conversation_id]

    def _call_in_loop(self, callback: Callable[[str], None], conversation_id: str) -> None:
        loop = self._loop
        if loop is None:
            return
        with suppress(RuntimeError):  # the loop is closed: the process is stopping
            loop.call_soon_threadsafe(callback, conversation_id)

    def _wake(self, conversation_id: str) -> None:
        for event in self._listeners.get(conversation_id, ()):
            event.set()

    def _wake_all(self) -> None:
        for events in self._listeners.values():
            for event in events:
                event.set()


class MemoryPush(Push):
    """One process: wakes only its own streams (what the embedded layout needs)."""

    def notify(self, conversation_id: str) -> None:
        if conversation_id in self._listeners:
            self._call_in_loop(self._wake, conversation_id)


class RedisPush(Push):
    """Every API worker: Redis pub/sub, one subscriber connection per process."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self._origin = uuid.uuid4().hex  # its own publishes come back: this process skips them
        self._pending: set[str] = set()  # conversations to publish (a burst: once each)
        self._has_pending: asyncio.Event | None = None  # the loop's own, made by `start`
        self._subscribed = False
        self._tasks: list[asyncio.Task[None]] = []
        # no connection yet, but a malformed URL stops the start here; one retry: after a
        # Redis restart the pooled connection is dead and a new one works
        self._publisher = self._client(retries=1)

    @property
    def subscribed(self) -> bool:
        """Whether the subscriber listens now (False while Redis is away)."""
        return self._subscribed

    async def start(self) -> None:
        await super().start()
        self._has_pending = asyncio.Event()
        self._tasks = [
            asyncio.create_task(
                self._publish_forever(self._publisher, self._has_pending), name="push-publisher"
            ),
            asyncio.create_task(self._subscribe_forever(), name="push-subscriber"),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        await self._publisher.aclose()

    def notify(self, conversation_id: str) -> None:
        if conversation_id in self._listeners:
            self._call_in_loop(self._wake, conversation_id)  # this process's streams: at once
        if self._tasks:
            self._call_in_loop(self._queue, conversation_id)

    def _client(self, retries: int) -> Redis:
        return Redis.from_url(
            self.url,
            decode_responses=True,
            socket_connect_timeout=CONNECT_TIMEOUT_S,
            socket_timeout=CONNECT_TIMEOUT_S,
            retry=Retry(NoBackoff(), retries),
        )

    def _queue(self, conversation_id: str) -> None:
        if self._has_pending is not None:
            self._pending.add(conversation_id)
            self._has_pending.set()

    async def _publish_forever(self, client: Redis, has_pending: asyncio.Event) -> None:
        failing = False
        while True:
            await has_pending.wait()
            has_pending.clear()
            batch, self._pending = self._pending, set()
            try:
                async with client.pipeline(transaction=False) as pipe:
                    for conversation_id in batch:
                        pipe.publish(CHANNEL, f"{self._origin} {conversation_id}")
                    await pipe.execute()
            except (RedisError, OSError) as exc:  # the safety poll delivers these
                if not failing:
                    log.warning("push: cannot publish to Redis (%s); streams poll meanwhile", exc)
                failing = True
                continue
            if failing:
                log.info("push: publishing to Redis again")
            failing = False

    async def _subscribe_forever(self) -> None:
        delay, away = RECONNECT_MIN_S, False
        while True:
            client = self._client(retries=0)  # errors reach this loop: it reconnects itself
            pubsub = client.pubsub()
            try:
                await pubsub.subscribe(CHANNEL)
                await self._listen(pubsub)
            except Exception as exc:  # Redis lost (or anything else): the streams poll meanwhile
                if self._subscribed:
                    delay, away = RECONNECT_MIN_S, False
                if not away:
                    log.warning("push: no Redis subscription (%s); reconnecting with back-off", exc)
                away = True
            finally:
                self._subscribed = False
                with suppress(Exception):
                    await pubsub.aclose()
                with suppress(Exception):
                    await client.aclose()
            await asyncio.sleep(delay * random.uniform(0.8, 1.2))  # jitter: workers spread out
            delay = min(delay * 2, RECONNECT_MAX_S)

    async def _listen(self, pubsub: PubSub) -> None:
        """Wake the streams each message names; return never, raise when Redis is lost."""
        loop = asyncio.get_running_loop()
        heard = loop.time()
        while True:
            message = await pubsub.get_message(timeout=PING_AFTER_S)
            now = loop.time()
            if message is None:
                if now - heard > 3 * PING_AFTER_S:
                    raise ConnectionError("Redis did not answer the subscriber's PING")
                if now - heard >= PING_AFTER_S:
                    await pubsub.ping()
                continue
            heard = now
            if message["type"] == "subscribe":
                self._subscribed = True
                log.info("push: subscribed to %s", CHANNEL)
                self._wake_all()  # read whatever was stored while nobody listened
            elif message["type"] == "message":
                origin, _, conversation_id = str(message["data"]).partition(" ")
                if origin != self._origin:
                    self._wake(conversation_id)


def announce(url: str, conversation_ids: list[str]) -> None:
    """From a process without streams (a job worker): tell the API workers that messages were
    stored in these conversations. Never raises; with memory:// there is no one to tell (the
    API process's streams read them at their safety poll)."""
    if not conversation_ids or not url.startswith(("redis://", "rediss://")):
        return
    try:
        with (
            SyncRedis.from_url(
                url, socket_connect_timeout=CONNECT_TIMEOUT_S, socket_timeout=CONNECT_TIMEOUT_S
            ) as client,
            client.pipeline(transaction=False) as pipe,
        ):
            for conversation_id in conversation_ids:
                pipe.publish(CHANNEL, f"job-{uuid.uuid4().hex[:8]} {conversation_id}")
            pipe.execute()
    except (RedisError, OSError) as exc:  # the safety poll delivers these
        log.warning("push: cannot publish to Redis (%s); streams poll meanwhile", exc)


def open_push(url: str) -> Push:
    """The push `PUSH_URL` names: memory:// or redis://HOST:PORT/DB (rediss:// too)."""
    if url == "memory://":
        return MemoryPush()
    if url.startswith(("redis://", "rediss://")):
        return RedisPush(url)
    raise ValueError(f"PUSH_URL must be memory:// or redis://HOST:PORT/DB, not {url!r}")

"""Pushes reach the shopper's stream whichever API worker holds it (connectors/push.py).

Two gateways in this process, each with its own push, stand for two API workers sharing one
database and one Redis; the last test runs two real uvicorn workers. A stream here polls the
database rarely (`NEVER`), so only a push can deliver within the issue's bound of a second.
"""

import asyncio
import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from redis import Redis
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from accounts.models import Role
from connectors.push import CHANNEL, MemoryPush, RedisPush, announce
from connectors.rasa_client import BotReply
from connectors.storefront_chat import ChatGateway
from conversations.models import EscalationReason, Message, Sender
from conversations.service import get_or_start, hand_over, post
from core.database import unit_of_work
from core.migrations import upgrade
from core.settings import get_settings
from tests import local_servers
from tests.local_servers import free_port
from tests.staff import add_user_with_token

ROOT = Path(__file__).resolve().parents[2]
NEVER = 60.0  # a stream's safety poll that never comes round during a test
AGENT = "客服小美"

needs_redis = pytest.mark.skipif(
    shutil.which("redis-server") is None, reason="redis-server is not installed"
)


class EchoBot:
    async def send(
        self, sender_id: str, text: str, metadata: dict[str, str] | None = None
    ) -> list[BotReply]:
        return [BotReply(f"echo {text}")]


def _wait_until(condition, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        time.sleep(0.05)


class RedisServer(local_servers.RedisServer):
    """The test's own Redis, which also says how many subscribe to the pushes."""

    def subscribers(self) -> int:
        with Redis(port=self.port) as client:
            return int(dict(client.pubsub_numsub(CHANNEL))[CHANNEL.encode()])


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


async def _until(condition, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        await asyncio.sleep(0.02)


@asynccontextmanager
async def _two_workers(monkeypatch, push_url: str) -> AsyncIterator[tuple[ChatGateway, ...]]:
    """Two gateways, as two API workers' lifespans make them, sharing the test's database."""
    monkeypatch.setattr(get_settings(), "push_url", push_url)
    workers = (ChatGateway(EchoBot()), ChatGateway(EchoBot()))  # type: ignore[arg-type]
    for worker in workers:
        await worker.signal.start()
    try:
        yield workers
    finally:
        for worker in workers:
            await worker.signal.stop()


def _with_agent() -> str:
    """A new conversation a person has (an agent may reply to it)."""
    conversation = uuid.uuid4().hex
    with unit_of_work() as session:
        get_or_start(session, conversation)
        hand_over(session, conversation, EscalationReason.SHOPPER_ASKED)
    return conversation


def _subscribed(worker: ChatGateway) -> bool:
    """Whether the worker's push listens to Redis now."""
    assert isinstance(worker.signal, RedisPush)
    return worker.signal.subscribed


async def _next(stream: AsyncIterator[Message]) -> Message:
    return await anext(stream)


async def _stream_task(gateway: ChatGateway, conversation: str) -> "asyncio.Task[Message]":
    """The next message of the conversation's stream on `gateway`, as a task named after the
    conversation; returns once the stream has read what there is (nothing) and waits."""
    stream = gateway.stream(conversation, 0, poll_s=NEVER)
    task = asyncio.create_task(_next(stream), name=conversation)
    await asyncio.sleep(0.05)
    assert not task.done()
    return task


async def _reply_arrives(sender: ChatGateway, task: "asyncio.Task[Message]", text: str) -> float:
    """An agent replies through `sender`: how long the stream took to deliver the reply, from
    before it was stored (fails after a second)."""
    began = time.monotonic()
    sender.agent_reply(task.get_name(), AGENT, text)  # stored and committed, then pushed
    message = await asyncio.wait_for(task, timeout=1.0)
    assert message.text == text
    return time.monotonic() - began


async def test_embedded_memory_push_wakes_a_stream_at_once_as_before(db, monkeypatch):
    monkeypatch.setattr(get_settings(), "push_url", "memory://")
    gateway = ChatGateway(EchoBot())  # type: ignore[arg-type]
    assert isinstance(gateway.signal, MemoryPush)
    await gateway.signal.start()
    task = await _stream_task(gateway, _with_agent())

    assert await _reply_arrives(gateway, task, "您好，我是客服小美") < 1.0
    await gateway.signal.stop()


@needs_redis
async def test_a_message_stored_by_one_worker_wakes_a_stream_held_by_another_within_a_second(
    db, monkeypatch, redis_server
):
    async with _two_workers(monkeypatch, redis_server.url()) as (one, other):
        await _until(lambda: _subscribed(one) and _subscribed(other), 5, "subscribed")
        assert redis_server.subscribers() == 2  # one connection per process, not per stream
        tasks = [await _stream_task(other, _with_agent()) for _ in range(3)]
        assert redis_server.subscribers() == 2

        for n, task in enumerate(tasks):
            assert await _reply_arrives(one, task, f"第{n}条回复") < 1.0


@needs_redis
async def test_a_stream_still_gets_messages_while_redis_is_down(db, monkeypatch, redis_server):
    async with _two_workers(monkeypatch, redis_server.url()) as (one, other):
        await _until(lambda: _subscribed(other), 5, "subscribed")
        redis_server.stop()
        await _until(lambda: not _subscribed(other), 5, "the subscriber sees Redis gone")
        conversation = _with_agent()
        stream = other.stream(conversation, 0, poll_s=0.5)  # the safety poll, made short
        task = asyncio.create_task(_next(stream))
        await asyncio.sleep(0.05)

        one.agent_reply(conversation, AGENT, "系统繁忙时也能收到")  # publishing does not raise
        message = await asyncio.wait_for(task, timeout=3.0)
        assert message.text == "系统繁忙时也能收到"
        with pytest.raises(TimeoutError):  # delivered once: the next poll finds nothing new
            await asyncio.wait_for(anext(stream), timeout=1.2)


@needs_redis
async def test_the_subscriber_comes_back_after_redis_restarts(db, monkeypatch, redis_server):
    async with _two_workers(monkeypatch, redis_server.url()) as (one, other):
        await _until(lambda: _subscribed(other), 5, "subscribed")
        stored_meanwhile = await _stream_task(other, _with_agent())
        redis_server.stop()
        await _until(lambda: not _subscribed(other), 5, "the subscriber sees Redis gone")
        one.agent_reply(stored_meanwhile.get_name(), AGENT, "Redis 不在时发的")  # push lost
        await asyncio.sleep(0.3)
        assert not stored_meanwhile.done()

        redis_server.start()
        await _until(lambda: _subscribed(other), 10, "the subscriber comes back")
        # subscribed again, the worker's streams read what was stored while it was away
        caught_up = await asyncio.wait_for(stored_meanwhile, timeout=1.0)
        assert caught_up.text == "Redis 不在时发的"
        task = await _stream_task(other, _with_agent())
        assert await _reply_arrives(one, task, "Redis 回来了") < 1.0


def test_publishing_to_an_unreachable_redis_never_raises_and_never_blocks():
    push = RedisPush(f"redis://127.0.0.1:{free_port()}/0")  # nobody listens there

    async def main() -> float:
        await push.start()
        began = time.monotonic()
        await asyncio.to_thread(push.notify, "c1")  # from a worker thread, like a sync route
        push.notify("c2")  # from the loop itself
        took = time.monotonic() - began
        await asyncio.sleep(0.3)  # the publisher tried, failed and logged
        await push.stop()
        return took

    assert asyncio.run(main()) < 1.0


# --- two real API workers


class ApiWorkers:
    """Two uvicorn processes of the app on free ports, sharing one database (a SQLite file, or
    a scratch schema of TEST_DATABASE_URL's PostgreSQL) and one Redis."""

    def __init__(self, folder: Path, redis_url: str) -> None:
        self.folder = folder
        self.schema: str | None = None
        self.database = self._database()
        upgrade(self.database, quiet=True)
        self.engine = create_engine(self.database)
        with Session(self.engine) as session, session.begin():
            add_user_with_token(session, Role.AGENT, AGENT, "agent-token")
        self.env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": self.database,
            "PUSH_URL": redis_url,
            "JOBS_URL": "memory://",
            "RATE_LIMIT_URL": "memory://",
            "RASA_PORT": str(free_port()),  # no Rasa: agents answer here
        }
        self.ports = [free_port(), free_port()]
        self.processes = [self._start(port, n) for n, port in enumerate(self.ports)]

    def _database(self) -> str:
        postgres = os.environ.get("TEST_DATABASE_URL", "")
        if not postgres.startswith("postgresql"):
            return f"sqlite:///{self.folder / 'shop.db'}"
        self.schema = f"push_{uuid.uuid4().hex[:12]}"
        with create_engine(postgres).begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{self.schema}"'))
        return f"{postgres}?options=-csearch_path%3D{self.schema}"

    def _start(self, port: int, n: int) -> subprocess.Popen[bytes]:
        log = (self.folder / f"api{n}.log").open("wb")
        uvicorn = [sys.executable, "-m", "uvicorn", "api.main:app", "--host", "127.0.0.1"]
        # an open SSE stream never ends by itself: stop waiting for it after a second
        options = [
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--timeout-graceful-shutdown",
            "1",
        ]
        return subprocess.Popen(
            [*uvicorn, *options],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=log,
        )

    def url(self, n: int) -> str:
        return f"http://127.0.0.1:{self.ports[n]}"

    def wait_until_serving(self) -> None:
        for n in range(2):
            # An API worker imports the whole app (5-6 s on a busy 2-core machine, more with
            # other tests' servers starting beside it): what is timed is the push, not the start.
            _wait_until(lambda n=n: self._answers(n), 90, f"API worker {n}")

    def _answers(self, n: int) -> bool:
        assert self.processes[n].poll() is None, (self.folder / f"api{n}.log").read_text()
        with suppress(httpx.TransportError):
            return httpx.get(self.url(n) + "/docs", timeout=1).status_code == 200
        return False

    def with_agent(self) -> tuple[str, dict[str, str]]:
        """A new conversation a person has, and the headers its shopper's requests carry."""
        started = httpx.post(self.url(0) + "/api/chat")  # issued with a secret, where it is
        conversation, headers = uuid.uuid4().hex, {}
        if started.status_code == 201:  # else conversations are not issued: the widget picks
            conversation = started.json()["id"]
            headers = {"X-Chat-Secret": started.json()["secret"]}
        with Session(self.engine) as session, session.begin():
            get_or_start(session, conversation)
            hand_over(session, conversation, EscalationReason.SHOPPER_ASKED)
        return conversation, headers

    def close(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        self.engine.dispose()
        if self.schema is not None:
            with create_engine(os.environ["TEST_DATABASE_URL"]).begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{self.schema}" CASCADE'))


class SseReader(threading.Thread):
    """Reads a conversation's /events stream; every message as (moment received, message)."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        super().__init__(daemon=True)
        self.url, self.received = url, queue.Queue[tuple[float, dict]]()
        self.status: int | None = None
        self.open = threading.Event()
        self.client = httpx.Client(headers=headers, timeout=httpx.Timeout(5, read=None))

    def run(self) -> None:
        with suppress(httpx.HTTPError), self.client.stream("GET", self.url) as response:
            self.status = response.status_code
            self.open.set()
            for line in response.iter_lines():
                if line.startswith("data:"):
                    self.received.put((time.time(), json.loads(line.removeprefix("data:"))))

    def close(self) -> None:
        self.client.close()


def _stored_at(message: dict) -> float:
    moment = datetime.fromisoformat(message["created_at"])
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


@needs_redis
@pytest.mark.database  # its workers read TEST_DATABASE_URL
def test_an_agent_reply_through_one_uvicorn_worker_reaches_the_stream_on_the_other_within_a_second(
    tmp_path, redis_server
):
    workers = ApiWorkers(tmp_path, redis_server.url())
    reader: SseReader | None = None
    try:
        workers.wait_until_serving()
        _wait_until(lambda: redis_server.subscribers() == 2, 10, "both workers subscribed")
        conversation, headers = workers.with_agent()
        reader = SseReader(f"{workers.url(1)}/api/chat/{conversation}/events", headers)
        reader.start()
        assert reader.open.wait(5)
        assert reader.status == 200
        time.sleep(0.2)  # the stream read the (empty) transcript and waits

        latencies = []
        for n in range(3):
            answer = httpx.post(
                f"{workers.url(0)}/api/agent/conversations/{conversation}/messages",
                json={"text": f"第{n}条人工回复"},
                headers={"Authorization": "Bearer agent-token"},
            )
            assert answer.status_code == 200, answer.text
            received_at, message = reader.received.get(timeout=6)
            assert (message["id"], message["text"]) == (answer.json()["id"], f"第{n}条人工回复")
            latencies.append(received_at - _stored_at(message))  # from storing to the shopper
            time.sleep(0.3)
        assert max(latencies) < 1.0, latencies
        assert reader.received.empty()  # each once
    finally:
        if reader is not None:
            reader.close()
        workers.close()


@needs_redis
async def test_a_message_a_job_worker_stores_wakes_the_api_workers_stream(
    db, monkeypatch, redis_server
):
    async with _two_workers(monkeypatch, redis_server.url()) as (_, api_worker):
        await _until(lambda: _subscribed(api_worker), 5, "subscribed")
        task = await _stream_task(api_worker, _with_agent())
        began = time.monotonic()
        with unit_of_work() as session:  # as the follow-up job stores, in its own process
            post(session, task.get_name(), Sender.BOT, "您的包裹已恢复派送")
        announce(redis_server.url(), [task.get_name()])

        message = await asyncio.wait_for(task, timeout=1.0)
        assert message.text == "您的包裹已恢复派送"
        assert time.monotonic() - began < 1.0


def test_announcing_without_redis_never_raises():
    announce("redis://127.0.0.1:1/0", ["somebody"])
    announce("memory://", ["somebody"])

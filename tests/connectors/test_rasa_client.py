"""The gateway's client spreads messages over the Rasa servers and survives one being down,
hung or unreachable, without ever sending a message twice."""

import asyncio
import socket
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from connectors.rasa_client import BotUnavailableError, RasaRestClient

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Serve = Callable[..., Awaitable[str]]


@pytest.fixture
async def serve() -> AsyncIterator[Serve]:
    """Starts a stand-in Rasa REST endpoint on a local port (a free one unless `port` is given)
    and returns its base URL."""
    servers: list[TestServer] = []

    async def start(handler: Handler, port: int | None = None) -> str:
        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", handler)
        server = TestServer(app, host="127.0.0.1", port=port)
        await server.start_server()
        servers.append(server)
        return str(server.make_url("")).rstrip("/")

    yield start
    for server in servers:
        await server.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port  # nothing listens there once the socket is closed


def _closed_port_url() -> str:
    return f"http://127.0.0.1:{_free_port()}"


@pytest.fixture
def unreachable() -> Iterator[str]:
    """The URL of a server whose connections never open: its accept queue is full, so the
    kernel drops every new SYN (as for a host that is down or cut off)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    filler = socket.create_connection(("127.0.0.1", port))  # the one queued connection
    yield f"http://127.0.0.1:{port}"
    filler.close()
    listener.close()


def answering(hits: Counter[str], name: str, delay_s: float = 0.0) -> Handler:
    async def handler(request: web.Request) -> web.Response:
        hits[name] += 1
        await asyncio.sleep(delay_s)
        return web.json_response([{"text": f"{name}: 亲，在的"}])

    return handler


async def test_concurrent_messages_are_spread_over_the_servers(serve):
    hits: Counter[str] = Counter()

    def answering(name: str) -> Handler:
        async def handler(request: web.Request) -> web.Response:
            hits[name] += 1
            await asyncio.sleep(0.01)  # both servers are busy at once
            return web.json_response([{"text": "亲，在的"}])

        return handler

    client = RasaRestClient([await serve(answering("a")), await serve(answering("b"))])
    await asyncio.gather(*(client.send(f"c{i}", "在吗") for i in range(8)))
    await client.aclose()
    assert hits == {"a": 4, "b": 4}


async def test_a_server_that_refuses_the_connection_is_skipped(serve):
    async def handler(request: web.Request) -> web.Response:
        body = await request.json()
        assert body == {"sender": "c1", "message": "在吗"}
        return web.json_response([{"text": "亲，在的", "buttons": [{"title": "是"}]}])

    client = RasaRestClient([_closed_port_url(), await serve(handler)])
    for _ in range(3):
        replies = await client.send("c1", "在吗")
        assert replies[0].text == "亲，在的"
        assert replies[0].buttons == [{"title": "是"}]
    await client.aclose()


async def test_metadata_reaches_rasa_with_the_message(serve):
    received = []

    async def handler(request: web.Request) -> web.Response:
        received.append(await request.json())
        return web.json_response([{"text": "亲，在的"}])

    client = RasaRestClient([await serve(handler)])
    await client.send("c1", "尾号1234", {"client": "d1"})
    await client.aclose()
    assert received == [{"sender": "c1", "message": "尾号1234", "metadata": {"client": "d1"}}]


async def test_all_servers_down_is_reported_as_unavailable():
    client = RasaRestClient([_closed_port_url(), _closed_port_url()])
    with pytest.raises(BotUnavailableError, match="no Rasa server"):
        await client.send("c1", "在吗")
    await client.aclose()


async def test_a_slow_server_is_not_retried_elsewhere(serve):
    calls: list[str] = []

    def slow(name: str) -> Handler:
        async def handler(request: web.Request) -> web.Response:
            calls.append(name)
            await asyncio.sleep(1)
            return web.json_response([{"text": "太晚了"}])

        return handler

    client = RasaRestClient([await serve(slow("a")), await serve(slow("b"))], timeout_s=0.2)
    with pytest.raises(BotUnavailableError):
        await client.send("c1", "在吗")
    await client.aclose()
    assert len(calls) == 1  # the shopper must hear back within the gateway's time limit


@pytest.mark.parametrize(
    "answer",
    [
        web.json_response([]),  # Rasa's answer when an action failed
        web.json_response({"error": "x"}),
        web.Response(text="<html>502</html>", content_type="text/html"),
        web.Response(status=500, text="boom"),
    ],
    ids=["empty", "not-a-list", "not-json", "server-error"],
)
async def test_an_answer_without_messages_means_the_bot_is_unavailable(serve, answer):
    async def handler(request: web.Request) -> web.Response:
        return answer

    client = RasaRestClient([await serve(handler)])
    with pytest.raises(BotUnavailableError):
        await client.send("c1", "在吗")
    await client.aclose()


async def test_a_server_that_refused_the_connection_is_tried_last_until_its_pause_is_over(serve):
    hits: Counter[str] = Counter()
    port = _free_port()
    client = RasaRestClient(
        [f"http://127.0.0.1:{port}", await serve(answering(hits, "b"))], refused_pause_s=0.5
    )
    assert (await client.send("c1", "在吗"))[0].text == "b: 亲，在的"  # a refused: b took it
    await serve(answering(hits, "a"), port=port)  # a is back, but paused
    for i in range(4):
        await client.send(f"c{i}", "在吗")
    assert hits == {"b": 5}

    await asyncio.sleep(0.6)  # the pause is over: a takes its share again
    for i in range(4):
        await client.send(f"c{i}", "在吗")
    await client.aclose()
    assert hits == {"a": 2, "b": 7}


async def test_a_hung_server_costs_one_apology_then_the_others_take_the_messages(serve):
    hits: Counter[str] = Counter()
    hung = await serve(answering(hits, "hung", delay_s=10))
    client = RasaRestClient([hung, await serve(answering(hits, "b"))], timeout_s=0.3)
    with pytest.raises(BotUnavailableError):  # the first message went to the hung server
        await client.send("c1", "在吗")
    for i in range(5):
        assert (await client.send(f"c{i}", "在吗"))[0].text == "b: 亲，在的"
    await client.aclose()
    assert hits == {"hung": 1, "b": 5}


async def test_a_server_that_keeps_timing_out_is_passed_over_longer_each_time(serve):
    hits: Counter[str] = Counter()
    hung = await serve(answering(hits, "hung", delay_s=10))
    client = RasaRestClient([hung, await serve(answering(hits, "b"))], timeout_s=0.1, pause_s=0.3)
    with pytest.raises(BotUnavailableError):
        await client.send("c1", "在吗")  # the hung server's first turn: paused for 0.3 s
    await asyncio.sleep(0.35)
    await client.send("c2", "在吗")  # b's turn
    with pytest.raises(BotUnavailableError):
        await client.send("c3", "在吗")  # the pause is over: hung again, now paused 0.6 s
    await asyncio.sleep(0.35)
    for i in range(2):
        await client.send(f"c{i}", "在吗")  # both to b
    await client.aclose()
    assert hits == {"hung": 2, "b": 3}


async def test_a_server_whose_connection_never_opens_is_passed_over_for_the_next(
    serve, unreachable
):
    hits: Counter[str] = Counter()
    client = RasaRestClient(
        [unreachable, await serve(answering(hits, "b"))], timeout_s=2, connect_timeout_s=0.2
    )
    started = time.monotonic()
    replies = await client.send("c1", "在吗")
    elapsed = time.monotonic() - started
    assert replies[0].text == "b: 亲，在的"
    assert 0.2 <= elapsed < 0.5  # one connect timeout, then b
    started = time.monotonic()
    await client.send("c2", "在吗")  # the unreachable server is paused: b at once
    assert time.monotonic() - started < 0.1
    await client.aclose()


async def test_a_connection_dropped_mid_request_is_never_resent_to_another_server(serve):
    hits: Counter[str] = Counter()

    async def dying(request: web.Request) -> web.Response:
        hits["dying"] += 1
        await request.read()  # the message arrived: its actions may have run
        assert request.transport is not None
        request.transport.abort()  # the server dies before answering
        await asyncio.sleep(1)
        return web.json_response([{"text": "never sent"}])

    client = RasaRestClient([await serve(dying), await serve(answering(hits, "b"))])
    with pytest.raises(BotUnavailableError):
        await client.send("c1", "我要取消订单")
    assert hits == {"dying": 1}  # the apology, not a second cancellation elsewhere
    await client.send("c2", "在吗")  # the dropping server is paused
    await client.aclose()
    assert hits == {"dying": 1, "b": 1}


async def test_the_whole_send_takes_at_most_the_time_limit_however_many_servers_fail(
    serve, unreachable
):
    hits: Counter[str] = Counter()
    slow = await serve(answering(hits, "slow", delay_s=10))
    client = RasaRestClient([unreachable, slow], timeout_s=0.6, connect_timeout_s=0.3)
    started = time.monotonic()
    with pytest.raises(BotUnavailableError):
        await client.send("c1", "在吗")
    elapsed = time.monotonic() - started
    await client.aclose()
    assert hits == {"slow": 1}  # the unreachable one timed out connecting, the slow one read
    assert 0.6 <= elapsed < 0.8


async def test_an_error_answer_pauses_the_server_so_a_healthy_one_answers_next(serve):
    hits: Counter[str] = Counter()

    async def no_actions(request: web.Request) -> web.Response:
        hits["no_actions"] += 1
        return web.json_response([])  # its action server is down

    client = RasaRestClient([await serve(no_actions), await serve(answering(hits, "b"))])
    with pytest.raises(BotUnavailableError):
        await client.send("c1", "在吗")
    for i in range(3):
        await client.send(f"c{i}", "在吗")
    await client.aclose()
    assert hits == {"no_actions": 1, "b": 3}


def test_at_least_one_server_is_needed():
    with pytest.raises(ValueError, match="at least one"):
        RasaRestClient([])

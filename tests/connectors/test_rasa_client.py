"""The gateway's client spreads messages over the Rasa servers and survives one being down."""

import asyncio
import socket
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from connectors.rasa_client import BotUnavailableError, RasaRestClient

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@pytest.fixture
async def serve() -> AsyncIterator[Callable[[Handler], Awaitable[str]]]:
    """Starts a stand-in Rasa REST endpoint on a free local port and returns its base URL."""
    servers: list[TestServer] = []

    async def start(handler: Handler) -> str:
        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", handler)
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        servers.append(server)
        return str(server.make_url("")).rstrip("/")

    yield start
    for server in servers:
        await server.close()


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"  # nothing listens there once the socket is closed


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


def test_at_least_one_server_is_needed():
    with pytest.raises(ValueError, match="at least one"):
        RasaRestClient([])

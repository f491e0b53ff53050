"""The gateway's client spreads messages over the Rasa servers and survives one being down."""

import asyncio
from collections import Counter

import httpx
import pytest

from connectors.rasa_client import BotUnavailableError, RasaRestClient

URLS = ["http://rasa-a:5005", "http://rasa-b:5006"]


def _client(handler, urls=URLS) -> RasaRestClient:
    return RasaRestClient(urls, transport=httpx.MockTransport(handler))


async def test_concurrent_messages_are_spread_over_the_servers():
    hits: Counter[str] = Counter()

    async def handler(request: httpx.Request) -> httpx.Response:
        hits[request.url.host] += 1
        await asyncio.sleep(0.01)  # both servers are busy at once
        return httpx.Response(200, json=[{"text": "亲，在的"}])

    client = _client(handler)
    await asyncio.gather(*(client.send(f"c{i}", "在吗") for i in range(8)))
    assert hits == {"rasa-a": 4, "rasa-b": 4}


async def test_a_server_that_refuses_the_connection_is_skipped():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "rasa-a":
            raise httpx.ConnectError("connection refused", request=request)
        return httpx.Response(200, json=[{"text": "亲，在的", "buttons": [{"title": "是"}]}])

    client = _client(handler)
    for _ in range(3):
        replies = await client.send("c1", "在吗")
        assert replies[0].text == "亲，在的"
        assert replies[0].buttons == [{"title": "是"}]


async def test_all_servers_down_is_reported_as_unavailable():
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(BotUnavailableError):
        await _client(handler).send("c1", "在吗")


async def test_a_slow_server_is_not_retried_elsewhere():
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.host)
        raise httpx.ReadTimeout("too slow", request=request)

    with pytest.raises(BotUnavailableError):
        await _client(handler).send("c1", "在吗")
    assert len(calls) == 1  # the shopper must hear back within the gateway's time limit


async def test_an_empty_answer_means_an_action_failed():
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=[])

    with pytest.raises(BotUnavailableError):
        await _client(handler).send("c1", "在吗")


def test_at_least_one_server_is_needed():
    with pytest.raises(ValueError, match="at least one"):
        RasaRestClient([])

"""Chat latency through the running system's chat endpoint (gateway → Rasa → action server).

    make run            # in another terminal
    .venv/bin/python bench/chat_latency.py [--messages 500] [--concurrency 8] [--url http://127.0.0.1:8000]

Replays multi-turn shopper conversations built from the demo shop (greeting, order lookup with
verification, tracking, returns, FAQ, product, stock and size questions, a handoff), first one
message at a time, then with N conversations at once, and prints p50/p95/p99 latency and
messages per second for each. Each conversation is issued by the server (`POST /api/chat`, not
timed) and its messages carry the secret in the `X-Chat-Secret` header.

It writes into the running shop as shoppers would: its return conversations confirm, so every
demo order ends with a return request. `make demo-reset` afterwards, before anyone tries the
demo shop (a blind trial once met those requests).
"""

import argparse
import asyncio
import platform
import statistics
import sys
import time
import urllib.request

import aiohttp
from shoppers import addresses, demo_orders, percentile, shopper_session


def scripts() -> list[list[str]]:
    """Conversations a shopper could really have with the demo shop."""
    talks = []
    for order_no, tail in demo_orders():
        talks.append(["你好 在吗", "我的快递到哪了", order_no, f"尾号{tail}", "谢谢"])
        talks.append([f"订单{order_no}能退货吗", tail, "满多少包邮", "好的"])
    talks += [
        ["红米note14pro支持快充吗", "有什么优惠吗", "黑色的有货吗"],
        ["T恤身高175体重140斤穿什么码", "运费险怎么赔", "再见"],
        ["发票怎么开", "花呗能分期吗", "客服几点下班"],
    ]
    return talks


async def run(url: str, total: int, concurrency: int) -> tuple[list[float], float]:
    talks = scripts()
    queue: asyncio.Queue[list[str]] = asyncio.Queue()
    for n in range(10_000):
        queue.put_nowait(talks[n % len(talks)])
    latencies: list[float] = []

    async def converse(client: aiohttp.ClientSession) -> None:
        async with client.post(f"{url}/api/chat") as created:
            created.raise_for_status()
            conversation = await created.json()
        owner = {"X-Chat-Secret": conversation["secret"]}
        for text in await queue.get():
            if len(latencies) >= total:
                return
            start = time.perf_counter()
            async with client.post(
                f"{url}/api/chat/{conversation['id']}/messages", json={"text": text}, headers=owner
            ) as response:
                await response.read()
            latencies.append((time.perf_counter() - start) * 1000)
            response.raise_for_status()

    async def shopper_after_shopper() -> None:
        # aiohttp, like the gateway: the client shares the 2 cores with the system it measures
        while len(latencies) < total:
            async with shopper_session(next(sources)) as client:
                await converse(client)

    sources = addresses()
    start = time.perf_counter()
    await asyncio.gather(*(shopper_after_shopper() for _ in range(concurrency)))
    elapsed = time.perf_counter() - start
    return latencies[:total], elapsed


def report(label: str, latencies: list[float], elapsed: float) -> None:
    print(
        f"{label}: {len(latencies)} messages, p50 {percentile(latencies, 0.5):.0f} ms, "
        f"p95 {percentile(latencies, 0.95):.0f} ms, p99 {percentile(latencies, 0.99):.0f} ms, "
        f"mean {statistics.mean(latencies):.0f} ms, {len(latencies) / elapsed:.1f} msg/s"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    try:
        urllib.request.urlopen(f"{args.url}/healthz", timeout=5).close()
    except OSError as exc:
        print(
            f"the system is not running at {args.url} (start it with `make run`): {exc}",
            file=sys.stderr,
        )
        return 2
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, {args.url}")
    report("sequential", *asyncio.run(run(args.url, args.messages, 1)))
    report(
        f"{args.concurrency} concurrent conversations",
        *asyncio.run(run(args.url, args.messages, args.concurrency)),
    )
    print(
        "note: the conversations confirmed return requests on the demo orders; run "
        "`make demo-reset` before anyone else uses the demo shop",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

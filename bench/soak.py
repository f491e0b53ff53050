"""Soak: many realistic shopper conversations at once, for minutes, through the running system.

    python -m scripts.run --scaled      # in another terminal (docs/deployment.md), or `make run`
    .venv/bin/python bench/soak.py --concurrency 32 --minutes 5 --agent-token TOKEN

Each virtual shopper starts a conversation (POST /api/chat), keeps its stream (SSE) open, and
plays one of five scripts: order tracking with the phone tail, FAQ questions, a logistics
problem report, pre-sale questions, or a handoff in which this script, as the agent, answers
through the desk and times how long the reply takes to reach the shopper's stream. Then it
starts the next conversation. Every conversation comes from its own loopback address
(bench/shoppers.py), as real shoppers come from their own, so the per-client limits apply as
they would.

An error is any answer other than 2xx, a timeout, a dropped stream, or the gateway's apology
(the bot unreachable). Printed: turns, errors, p50/p95/p99 latency, throughput, the agent
replies' push delay, and the resident memory of every server process at the start and the end.
"""

import argparse
import asyncio
import itertools
import json
import platform
import random
import statistics
import sys
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from shoppers import addresses, demo_orders, percentile, shopper_session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from words.render import phrase  # noqa: E402

APOLOGY = phrase("bot_unavailable")  # what the gateway says when no bot answers
SERVER_PROCESSES = {  # a part of the command line -> the name reported
    "uvicorn": "api",
    "rasa_cli run": "rasa",
    "rasa_sdk": "actions",
    "-m jobs": "jobs",
    "redis-server": "redis",
    "nginx": "nginx",
}


def scripts() -> dict[str, list[list[str]]]:
    """The conversations, by kind, built from the demo shop's orders and customers."""
    orders = demo_orders()
    tracking = [["你好", "我的快递到哪了", no, f"尾号{tail}", "谢谢"] for no, tail in orders]
    return {
        "tracking": tracking,
        "faq": [
            ["满多少包邮", "运费险怎么赔", "发票怎么开"],
            ["花呗能分期吗", "客服几点下班", "好的谢谢"],
            ["退货地址是哪里", "七天无理由怎么算", "知道了"],
        ],
        "logistics": [["我的快递好几天没动了", no, tail, "好的"] for no, tail in orders[:6]],
        "presale": [
            ["红米note14pro支持快充吗", "有什么优惠吗", "黑色的有货吗"],
            ["T恤身高175体重140斤穿什么码", "会缩水吗", "好的"],
        ],
        "handoff": [["转人工"], ["我要找人工客服"]],
    }


@dataclass
class Figures:
    latencies: list[float] = field(default_factory=list)  # ms per shopper turn
    slowest: list[tuple[float, str]] = field(default_factory=list)  # (ms, the turn's words)
    pushes: list[float] = field(default_factory=list)  # ms from agent reply to the stream
    errors: Counter[str] = field(default_factory=Counter)
    conversations: Counter[str] = field(default_factory=Counter)


class Shopper:
    """One virtual shopper's conversation: its id, secret and open stream."""

    def __init__(self, url: str, client: aiohttp.ClientSession) -> None:
        self.url, self.client = url, client
        self.id = ""
        self.headers: dict[str, str] = {}
        self.seen: asyncio.Queue[dict] = asyncio.Queue()
        self._stream: asyncio.Task[None] | None = None

    async def start(self) -> None:
        async with self.client.post(f"{self.url}/api/chat") as response:
            response.raise_for_status()
            created = await response.json()
        self.id, self.headers = created["id"], {"X-Chat-Secret": created["secret"]}
        self._stream = asyncio.create_task(self._listen())

    async def _listen(self) -> None:
        timeout = aiohttp.ClientTimeout(total=None, sock_read=None)
        async with self.client.get(
            f"{self.url}/api/chat/{self.id}/events", headers=self.headers, timeout=timeout
        ) as response:
            response.raise_for_status()
            async for line in response.content:
                if line.startswith(b"data:"):
                    self.seen.put_nowait(json.loads(line[5:]))

    async def say(self, text: str) -> dict:
        async with self.client.post(
            f"{self.url}/api/chat/{self.id}/messages", json={"text": text}, headers=self.headers
        ) as response:
            response.raise_for_status()
            return await response.json()

    async def wait_for(self, sender: str, text: str, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while True:
            message = await asyncio.wait_for(self.seen.get(), deadline - time.monotonic())
            if message["sender"] == sender and message["text"] == text:
                return

    async def close(self) -> None:
        if self._stream is not None:
            self._stream.cancel()
            await asyncio.gather(self._stream, return_exceptions=True)


async def play(
    url: str, kind: str, turns: list[str], address: str, args: argparse.Namespace, out: Figures
) -> None:
    async with shopper_session(address) as client:
        shopper = Shopper(url, client)
        try:
            await shopper.start()
            for text in turns:
                start = time.perf_counter()
                answer = await shopper.say(text)
                took = (time.perf_counter() - start) * 1000
                out.latencies.append(took)
                out.slowest = sorted([*out.slowest, (took, f"{kind}: {text}")], reverse=True)[:5]
                if any(r["text"] == APOLOGY for r in answer["replies"]):
                    out.errors["apology"] += 1  # the gateway answered: the bot was unreachable
                await asyncio.sleep(args.think_s * random.uniform(0.5, 1.5))
            if kind == "handoff":
                await agent_answers(shopper, client, args, out)
            out.conversations[kind] += 1
        except aiohttp.ClientResponseError as exc:
            out.errors[f"HTTP {exc.status} {exc.request_info.method} {_route(exc)}"] += 1
        except (aiohttp.ClientError, TimeoutError) as exc:
            out.errors[type(exc).__name__] += 1
        finally:
            await shopper.close()


def _route(exc: aiohttp.ClientResponseError) -> str:
    """The route a refused request went to, without the conversation's id."""
    parts = exc.request_info.url.path.split("/")
    return "/".join("{id}" if len(part) > 20 else part for part in parts)


async def agent_answers(
    shopper: Shopper, client: aiohttp.ClientSession, args: argparse.Namespace, out: Figures
) -> None:
    """As the agent: answer the handed-over shopper through the desk, time the push, hand back."""
    desk = {"Authorization": f"Bearer {args.agent_token}"}
    text = f"您好，我是人工客服，马上为您处理（{shopper.id[:6]}）"
    url = f"{shopper.url}/api/agent/conversations/{shopper.id}"
    sent = time.perf_counter()
    async with client.post(f"{url}/messages", json={"text": text}, headers=desk) as response:
        if response.status == 409:  # outside agent hours the bot keeps the conversation
            out.errors["not_handed_over"] += 1
            return
        response.raise_for_status()
    await shopper.wait_for("agent", text, timeout_s=5)
    out.pushes.append((time.perf_counter() - sent) * 1000)
    async with client.post(f"{url}/hand-back", headers=desk) as response:
        response.raise_for_status()


async def soak(args: argparse.Namespace) -> tuple[Figures, float]:
    talks = scripts()
    kinds = [k for k in talks if k != "handoff" or args.agent_token]
    out = Figures()
    sources = addresses()
    stop_at = time.monotonic() + args.minutes * 60

    async def shopper_loop(number: int) -> None:
        for round_ in itertools.count():
            if time.monotonic() >= stop_at:
                return
            kind = kinds[(number + round_) % len(kinds)]
            turns = talks[kind][round_ % len(talks[kind])]
            await play(args.url, kind, turns, next(sources), args, out)

    start = time.perf_counter()
    await asyncio.gather(*(shopper_loop(n) for n in range(args.concurrency)))
    return out, time.perf_counter() - start


def _processes() -> dict[int, tuple[int, str, int]]:
    """pid -> (parent pid, command line, resident MiB) of every process."""
    found = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            status = dict(line.split(":", 1) for line in (proc / "status").read_text().splitlines())
        except (OSError, ValueError):
            continue
        rss_kib = int(status.get("VmRSS", "0 kB").split()[0])
        found[int(proc.name)] = (int(status["PPid"]), command, rss_kib // 1024)
    return found


def server_memory(supervisor_conf: str) -> dict[str, list[int]]:
    """Resident memory (MiB) of each server the supervisord of `supervisor_conf` runs, by
    kind (the database server is shared: it is not counted)."""
    processes = _processes()
    roots = {
        pid for pid, (_, command, _) in processes.items() if f"-c {supervisor_conf}" in command
    }
    children: dict[int, list[int]] = {}
    for pid, (parent, _, _) in processes.items():
        children.setdefault(parent, []).append(pid)
    found: dict[str, list[int]] = {}
    pending = [child for root in roots for child in children.get(root, [])]
    while pending:
        pid = pending.pop()
        pending.extend(children.get(pid, []))
        _, command, rss = processes[pid]
        kind = next((n for part, n in SERVER_PROCESSES.items() if part in command), None)
        if kind:
            found.setdefault(kind, []).append(rss)
    return {kind: sorted(sizes) for kind, sizes in sorted(found.items())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--think-s", type=float, default=0.5, help="mean pause between turns")
    parser.add_argument("--agent-token", default="", help="an admin token: plays the handoffs")
    parser.add_argument(
        "--supervisor-conf",
        default=str(ROOT / "var" / "supervisord.conf"),
        help="the running layout's supervisord config: whose processes' memory is reported",
    )
    args = parser.parse_args()
    try:
        urllib.request.urlopen(f"{args.url}/healthz", timeout=5).close()
    except OSError as exc:
        print(f"the system is not running at {args.url}: {exc}", file=sys.stderr)
        return 2
    before = server_memory(args.supervisor_conf)
    out, elapsed = asyncio.run(soak(args))
    after = server_memory(args.supervisor_conf)
    turns = len(out.latencies)
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, {args.url}")
    print(
        f"{args.concurrency} concurrent conversations for {elapsed / 60:.1f} min: "
        f"{sum(out.conversations.values())} conversations {dict(out.conversations)}, "
        f"{turns} turns, {sum(out.errors.values())} errors {dict(out.errors)}"
    )
    print(
        f"latency p50 {percentile(out.latencies, 0.5):.0f} ms, "
        f"p95 {percentile(out.latencies, 0.95):.0f} ms, "
        f"p99 {percentile(out.latencies, 0.99):.0f} ms, "
        f"mean {statistics.mean(out.latencies) if turns else float('nan'):.0f} ms; "
        f"{turns / elapsed:.1f} turns/s"
    )
    if out.pushes:
        print(
            f"agent reply reached the shopper's stream: p50 {percentile(out.pushes, 0.5):.0f} ms, "
            f"max {max(out.pushes):.0f} ms over {len(out.pushes)} handoffs"
        )
    print("slowest turns: " + "; ".join(f"{ms:.0f} ms {words}" for ms, words in out.slowest))
    print("memory (MiB, each process) at start -> end:")
    for kind in sorted(set(before) | set(after)):
        print(f"  {kind:8} {before.get(kind, [])} -> {after.get(kind, [])}")
    return 1 if out.errors else 0


if __name__ == "__main__":
    sys.exit(main())

"""Replays the shopper's lines of blind-trial transcripts and counts how the bot takes up a
second question.

    make demo-reset && make run     # in another terminal (reset with make run stopped)
    .venv/bin/python bench/trial_replay.py [--trials 16-23] [--out FILE.json] [--url URL]

Each chat of `docs/trial/retrial<N>-*.md` (`## T…` headings) is played again in a new
conversation: its shopper lines (`› …`) in order, as typed, whatever the bot answers now. The
replies are sorted by how a question beside the main one is taken up: answered in the same turn
from the knowledge base (`answered_beside`), heard (`pushback_heard`), or pushed to a button
that names a need (`need_offered`) or repeats the shopper's own words or an FAQ question
(`words_offered`: the testers' "echo button"). A replayed chat drifts where the bot now answers
differently, so read the replies (`--out` keeps them all).
"""

import argparse
import asyncio
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from shoppers import addresses, shopper_session
from trial_openings import set_range

ROOT = Path(__file__).resolve().parent.parent
TRIALS = ROOT / "docs" / "trial"
WORDS = ROOT / "words" / "storefront.yaml"
OFFERED = "您刚才还提到了"
# The words that open each way of taking a question beside the main one up (words/storefront.yaml).
TAKEN_UP = {"answered_beside": "另外您问的「", "pushback_heard": "您的心情我理解，给您添麻烦了"}
CHAT = re.compile(r"^## (T\d+)[^\n]*\n(.*?)(?=^## T\d|\Z)", re.S | re.M)
# `› text`, after a step number (**1.**, t1, or a tester's mark: (If) …, (answer) …, (extra)),
# a `››` (sent at once) before or after it, a tester's note or a button tapped
SHOPPER_LINE = re.compile(
    r"^(?:\*\*\d+\.\*\* |t\d+ |\((?:If|answer|extra)\)[^›\n]*?)?(?:›› |(?:››\s*)?› (?:›› )?)"
    r"(?:\*\([^)]*\)\* )?(?:\[tap\] )?(.+?)\s*(?:\*\([^)]*\)\*)?\s*$",
    re.M,
)
CONCURRENT = 6


def chats(trials: list[int]) -> list[tuple[str, list[str]]]:
    """(chat id with its tester's letters, the shopper's lines) of every replayed chat."""
    found = []
    for number in trials:
        for path in sorted(TRIALS.glob(f"retrial{number}-*.md")):
            tester = path.stem.rpartition("-")[2]
            for chat in CHAT.finditer(path.read_text(encoding="utf-8")):
                lines = [line for line in SHOPPER_LINE.findall(chat.group(2)) if line]
                if lines:
                    found.append((f"{chat.group(1)}{tester}", lines))
    return found


def kinds_of(reply: str) -> list[str]:
    """How this reply takes up a question beside the main one (none: an empty list)."""
    kinds = [kind for kind, words in TAKEN_UP.items() if words in reply]
    if OFFERED in reply:
        offer = reply.split(OFFERED, 1)[1].split("，点下面", 1)[0]
        kinds.append("words_offered" if "「" in offer else "need_offered")
    return kinds


async def replay(url: str, address: str, lines: list[str]) -> list[dict[str, Any]]:
    turns = []
    async with shopper_session(address, timeout_s=60) as http:
        async with http.post(f"{url}/api/chat") as response:
            chat = await response.json()
        headers = {"X-Chat-Secret": chat["secret"]}
        path = f"{url}/api/chat/{chat['id']}/messages"
        for text in lines:
            async with http.post(path, json={"text": text[:500]}, headers=headers) as response:
                answer = await response.json()
            replies = [reply.get("text") or "" for reply in answer.get("replies", [])]
            turns.append({"says": text, "replies": replies})
    return turns


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", default="16-23", help="trial numbers, e.g. 16-23")
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, help="write every line and reply as JSON")
    args = parser.parse_args()
    words = WORDS.read_text(encoding="utf-8")
    if OFFERED not in words:
        sys.exit(f"words/storefront.yaml no longer says {OFFERED}")
    if unsaid := [kind for kind, said in TAKEN_UP.items() if said not in words]:
        print(f"words/storefront.yaml says none of these, counted as 0: {unsaid}")
    found = chats(set_range(args.trials))
    if not found:
        sys.exit("no transcript with shopper lines for those trials")
    limit = asyncio.Semaphore(CONCURRENT)

    async def played(address: str, lines: list[str]) -> list[dict[str, Any]]:
        async with limit:
            return await replay(args.url, address, lines)

    played_chats = await asyncio.gather(
        *(played(address, lines) for (_, lines), address in zip(found, addresses(), strict=False))
    )
    results = {chat_id: turns for (chat_id, _), turns in zip(found, played_chats, strict=True)}
    kinds = Counter(
        kind
        for turns in results.values()
        for turn in turns
        for reply in turn["replies"]
        for kind in kinds_of(reply)
    )
    lines = sum(len(turns) for turns in results.values())
    print(f"chats: {len(results)} (trials {args.trials}), shopper lines: {lines}")
    for kind in ("answered_beside", "pushback_heard", "need_offered", "words_offered"):
        print(f"  {kind:<16} {kinds[kind]:>4}")
    if args.out:
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    asyncio.run(main())

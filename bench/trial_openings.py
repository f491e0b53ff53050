"""How the bot answers the first message of every blind-trial scenario.

    make demo-reset && make run     # in another terminal (reset with make run stopped)
    .venv/bin/python bench/trial_openings.py [--sets 9-20] [--out FILE.json] [--url URL]

Sends step 1 of each scenario in `docs/trial/scenarios-N.md` as the first message of a new
conversation and sorts the bot's first answer: `specific` (it took the message up), or one of
the answers that take nothing up: a menu of FAQ questions or of actions, a bare apology, "out
of scope", "this product is not sold here", "which aspect of the product". The trials' commonest
class of wrong first turns is an opening complaint answered that way. A `specific` answer may
still be wrong: read them (`--out` keeps every message and answer).
"""

import argparse
import asyncio
import json
import re
import sys
from collections import Counter
from pathlib import Path

from shoppers import addresses, shopper_session

ROOT = Path(__file__).resolve().parent.parent
TRIALS = ROOT / "docs" / "trial"
WORDS = ROOT / "words" / "storefront.yaml"
# The words of each answer that takes nothing up (words/storefront.yaml).
TAKES_NOTHING_UP = {
    "faq_menu": "您是想问下面哪个问题",
    "action_menu": "您是想办理下面哪一项",
    "bare_apology": "具体是哪里让您不满意",
    "out_of_scope": "这个问题我帮不上忙",
    "product_not_found": "暂时没有找到",
    "not_understood": "没太理解",
    "which_aspect": "的哪方面呢",
}
SCENARIO = re.compile(r"^#{2,4} \**(T\d+)[^\n]*\n(.*?)(?=^#{2,4} \**T\d|\Z)", re.S | re.M)
FIRST_STEP = re.compile(r"^\s*(?:[-*] )?1\. (.+)$", re.M)


def openings(sets: list[int]) -> list[tuple[str, str]]:
    """(scenario id, its first message) for every scenario of the sets that lists steps."""
    found = []
    for number in sets:
        path = TRIALS / f"scenarios-{number}.md"
        for scenario in SCENARIO.finditer(path.read_text(encoding="utf-8")):
            if step := FIRST_STEP.search(scenario.group(2)):
                found.append((scenario.group(1), step.group(1).strip()))
    return found


def kind_of(answer: str) -> str:
    return next((k for k, words in TAKES_NOTHING_UP.items() if words in answer), "specific")


async def first_answer(url: str, address: str, text: str) -> str:
    async with shopper_session(address) as http:
        async with http.post(f"{url}/api/chat") as response:
            chat = await response.json()
        headers = {"X-Chat-Secret": chat["secret"]}
        path = f"{url}/api/chat/{chat['id']}/messages"
        async with http.post(path, json={"text": text}, headers=headers) as response:
            answer = await response.json()
    return "\n".join(reply["text"] for reply in answer["replies"])


def set_range(spec: str) -> list[int]:
    first, _, last = spec.partition("-")
    return list(range(int(first), int(last or first) + 1))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="9-20", help="scenario sets, e.g. 9-20")
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, help="write every opening and answer as JSON")
    args = parser.parse_args()
    words = WORDS.read_text(encoding="utf-8")
    if stale := [kind for kind, said in TAKES_NOTHING_UP.items() if said not in words]:
        sys.exit(f"words/storefront.yaml no longer says what these answers say: {stale}")
    found = openings(set_range(args.sets))
    if not found:
        sys.exit("no scenario with numbered steps in those sets")
    results = {}
    for (scenario, text), address in zip(found, addresses(), strict=False):
        answer = await first_answer(args.url, address, text)
        results[scenario] = {"first": text, "kind": kind_of(answer), "answer": answer}
    kinds = Counter(result["kind"] for result in results.values())
    print(f"openings: {len(results)} (sets {args.sets})")
    for kind, count in kinds.most_common():
        print(f"  {kind:<18} {count:>4}  {count / len(results):.1%}")
    taking_nothing_up = sorted(k for k, r in results.items() if r["kind"] != "specific")
    print("took nothing up:", " ".join(taking_nothing_up) or "none")
    if args.out:
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    asyncio.run(main())

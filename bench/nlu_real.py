"""Measure the bot on real shopper messages: intent accuracy and macro-F1, FAQ top-1 and top-3.

    .venv/bin/python bench/nlu_real.py [--labels bench/nlu/jd_dev_labels.jsonl] [--out FILE]

Reads the real JD chats (`REAL_CHATS_FILE`, by default ../shared/data/chats/; never copied into
the repository) and the labels kept in the repository by `session:line`. The source masked
what shoppers typed (`[订单x]`, `[数字x]`, …): a plausible value is put back before the
message is parsed, since the bot sees real values. Intents come from a Rasa server with its
HTTP API on (`/model/parse`: `scripts.rasa_cli run --enable-api`, as docs/nlu.md shows; `make
run` keeps that API off), FAQ answers from the FAQ search on the configured database.
Prints the tables; `--out` writes the per-intent report as JSON.
"""

import argparse
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.request import Request, urlopen

from sklearn.metrics import classification_report

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.database import unit_of_work  # noqa: E402
from core.settings import get_settings  # noqa: E402
from faq.retrieval import MEMORY_INTENTS  # noqa: E402
from faq.service import faq_search  # noqa: E402

LABELS = ROOT / "bench" / "nlu" / "jd_dev_labels.jsonl"
MASK = re.compile(r"\[([^\[\]]{1,6})x\]")
# What a shopper really typed where the source masked it.
SAMPLES: dict[str, list[str]] = {
    "订单": ["813402957711", "260118159083", "4412873390265", "735520918834"],
    "金额": ["129", "299.00", "59.9", "1599"],
    "日期": ["11月20日", "2026-11-18", "12月1号", "昨天"],
    "时间": ["14:30", "晚上8点", "上午10点"],
    "姓名": ["张伟", "李娜", "王芳"],
    "地址": ["北京市朝阳区建国路88号", "上海市浦东新区张江路88号3栋601", "杭州市西湖区文三路100号"],
    "链接": ["https://item.jd.com/100012345678.html"],
    "站点": ["北京朝阳建国路营业部", "杭州滨江营业部"],
    "组织机构": ["杭州悦购科技有限公司", "北京星辰贸易有限公司"],
    "电话": ["13812345678", "15967142203"],
    "身份证号": ["110101199003071234"],
    "邮箱": ["zhangwei@163.com"],
}


def unmask(text: str, key: str) -> str:
    """The message with a plausible value in place of each masked one (the same every run)."""
    rng = random.Random(key)

    def value(match: re.Match[str]) -> str:
        kind = match.group(1)
        if kind == "数字":  # a phone tail, an id after a colon or 号, else a small number
            before = text[max(0, match.start() - 3) : match.start()]
            if before.endswith(("尾号", "后四位", "后4位")):
                return f"{rng.randrange(10**4):04d}"
            if before.endswith((":", "：", "号")):
                return str(rng.randrange(10**9, 10**10))
            return str(rng.randrange(1, 30))
        return rng.choice(SAMPLES.get(kind, ["123"]))

    return MASK.sub(value, text)


def load(labels_path: Path) -> list[dict[str, Any]]:
    chats = get_settings().real_chats_file
    if not chats.exists():
        sys.exit(f"the real chats are not on this machine ({chats}); set REAL_CHATS_FILE")
    texts = {}
    with chats.open(encoding="utf-8") as lines:
        for line in lines:
            turn = json.loads(line)
            texts[f"{turn['session']}:{turn['line']}"] = turn["text"]
    rows = []
    with labels_path.open(encoding="utf-8") as lines:
        for line in lines:
            label = json.loads(line)
            label["text"] = unmask(texts[label["key"]], label["key"])
            rows.append(label)
    return rows


def parse(rasa_url: str, text: str) -> str:
    request = Request(
        f"{rasa_url}/model/parse",
        data=json.dumps({"text": text}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urlopen(request, timeout=10) as response:
        name: str = json.load(response)["intent"]["name"]
    return name


def intent_scores(rows: list[dict[str, Any]], rasa_url: str) -> dict[str, Any]:
    gold = [r["intent"] for r in rows]
    predicted = [parse(rasa_url, r["text"]) for r in rows]
    for row, guess in zip(rows, predicted, strict=True):
        row["predicted"] = guess
    intents = sorted(set(gold))
    report: dict[str, Any] = classification_report(
        gold, predicted, labels=intents, output_dict=True, zero_division=0
    )
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(rows)
    confusions = Counter((g, p) for g, p in zip(gold, predicted, strict=True) if g != p)
    return {
        "n": len(rows),
        "accuracy": accuracy,
        "macro_f1": report["macro avg"]["f1-score"],
        "per_intent": {i: report[i] for i in intents},
        "top_confusions": confusions.most_common(20),
    }


def faq_scores(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """FAQ top-1 and top-3 on the turns labelled with a topic, each message alone and in its
    conversation: there the search also reads the shopper's earlier messages of the session
    that the NLU took for possible policy questions, as the bot does (their texts and predicted
    intents, never their labels). Also how often an answer given in the conversation is the
    right one, and how often a question no topic covers is declined."""
    in_order = sorted(rows, key=lambda r: (r["key"].split(":")[0], int(r["key"].split(":")[1])))
    counts = {"alone": [0, 0], "in_conversation": [0, 0], "answers": [0, 0], "no_topic": [0, 0]}
    earlier: dict[str, list[str]] = {}
    asked = 0
    with unit_of_work() as session:
        for row in in_order:
            before = earlier.setdefault(row["key"].split(":")[0], [])
            alone = faq_search.search(session, row["text"], k=3)
            within = faq_search.search(session, row["text"], k=3, earlier=before)
            if row["predicted"] in MEMORY_INTENTS:  # as the bot: what the NLU made of it
                before.append(row["text"])
            if row["intent"] == "faq" and not row.get("faq_topic"):
                counts["no_topic"][0] += not within.answered  # declined, as it should be
                counts["no_topic"][1] += 1
            if row["intent"] != "faq" or not row.get("faq_topic"):
                continue
            asked += 1
            top = [h.entry.id for h in within.hits[:1]]
            counts["answers"][0] += within.answered and top == [row["faq_topic"]]
            counts["answers"][1] += within.answered
            for mode, result in (("alone", alone), ("in_conversation", within)):
                ids = [h.entry.id for h in result.hits]
                counts[mode][0] += ids[:1] == [row["faq_topic"]]
                counts[mode][1] += row["faq_topic"] in ids
    n = max(asked, 1)
    scores: dict[str, Any] = {"n": asked}
    for mode in ("alone", "in_conversation"):
        top1, top3 = counts[mode]
        scores[mode] = {"top1": top1 / n, "top3": top3 / n}
    (right, answered), (declined, no_topic) = counts["answers"], counts["no_topic"]
    scores["answered"] = {"n": answered, "right": right / max(answered, 1)}
    scores["no_topic"] = {"n": no_topic, "declined": declined / max(no_topic, 1)}
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--rasa", default=get_settings().rasa_urls[0])
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--sessions",
        choices=["all", "read", "held"],
        default="all",
        help="read: the half whose errors may be read (sessions whose id starts with 0-7); "
        "held: the other half, measured only, never read",
    )
    parser.add_argument(
        "--errors", type=Path, help="write each wrong turn (text included) here, outside the repo"
    )
    args = parser.parse_args()
    rows = [r for r in load(args.labels) if not r.get("not_shopper")]
    if args.sessions != "all":
        read = args.sessions == "read"
        rows = [r for r in rows if (r["key"][0] in "01234567") == read]
    intents = intent_scores(rows, args.rasa)
    faq = faq_scores(rows)
    print(f"real shopper turns: {intents['n']} (labels {args.labels.name})")
    print(f"intent accuracy {intents['accuracy']:.3f}, macro-F1 {intents['macro_f1']:.3f}")
    for mode in ("alone", "in_conversation"):
        print(
            f"FAQ on {faq['n']} real questions with a topic ({mode.replace('_', ' ')}): "
            f"top-1 {faq[mode]['top1']:.3f}, top-3 {faq[mode]['top3']:.3f}"
        )
    print(
        f"FAQ answers in the conversation: {faq['answered']['n']} of {faq['n']} questions with a"
        f" topic answered, {faq['answered']['right']:.3f} of them right; questions with no topic"
        f" declined {faq['no_topic']['declined']:.3f} of {faq['no_topic']['n']}"
    )
    print("\n| intent | support | precision | recall | F1 |\n|---|---|---|---|---|")
    for name, score in intents["per_intent"].items():
        print(
            f"| {name} | {score['support']:.0f} | {score['precision']:.2f} | "
            f"{score['recall']:.2f} | {score['f1-score']:.2f} |"
        )
    print("\ncommonest confusions (gold → predicted):")
    for (gold, predicted), count in intents["top_confusions"]:
        print(f"  {gold} → {predicted}: {count}")
    if args.errors:
        wrong = [r for r in rows if r["predicted"] != r["intent"]]
        args.errors.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in wrong), "utf-8"
        )
    if args.out:
        args.out.write_text(json.dumps({"intents": intents, "faq": faq}, indent=1), "utf-8")


if __name__ == "__main__":
    main()

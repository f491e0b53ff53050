"""Refit the score calibration (faq/calibration.json) from data the project holds.

Positives: every entry variant, held out of the index by 5-fold cross-validation, is a question
with a known answer; it counts as answered correctly when its own entry ranks first. Negatives:
shopper messages no FAQ entry answers (bot/data/nlu.yml: chit-chat, product questions, bare
data). Messages about the shopper's own order are left out: they share a policy question's
words, and telling them apart is the NLU's job, not retrieval's.
"""

import random
import re
from pathlib import Path

import yaml

from core.settings import PROJECT_ROOT
from faq.calibration import Calibration, fit
from faq.retrieval import FaqIndex
from faq.schema import FaqEntryData

NLU_FILE = PROJECT_ROOT / "bot" / "data" / "nlu.yml"
FOLDS = 5
_ANNOTATION = re.compile(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\{[^}]*\}")


UNANSWERABLE_INTENTS = {
    "out_of_scope", "greet", "goodbye", "thank", "affirm", "deny", "inform",
    "ask_product_info", "ask_stock", "ask_size_advice",
}  # fmt: skip


def non_faq_messages(path: Path = NLU_FILE) -> list[str]:
    """Training examples of intents no FAQ entry answers, with entity annotations removed."""
    if not path.exists():
        return []
    messages = []
    for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
        if block.get("intent") not in UNANSWERABLE_INTENTS:
            continue
        for line in block.get("examples", "").splitlines():
            text = line.strip().removeprefix("- ").strip()
            if text:
                messages.append(_ANNOTATION.sub(lambda m: m.group(1) or m.group(2), text))
    return messages


def _best(index: FaqIndex, query: str) -> tuple[list[float], str] | None:
    """Calibration features of the best hit and its entry id; None when nothing matches."""
    ranked = index.ranked(query, 1)
    if not ranked:
        return None
    position, x = ranked[0]
    return x, index.entries[position].id


def examples(
    entries: list[FaqEntryData], negatives: list[str], seed: int = 7
) -> tuple[list[list[float]], list[int]]:
    rng = random.Random(seed)
    held_out = [(e.id, v) for e in entries for v in e.variants]
    rng.shuffle(held_out)
    x, y = [], []
    for fold in range(FOLDS):
        test = held_out[fold::FOLDS]
        removed = {(i, v) for i, v in test}
        kept = [
            e.model_copy(update={"variants": [v for v in e.variants if (e.id, v) not in removed]})
            for e in entries
        ]
        index = FaqIndex(kept)
        for entry_id, question in test:
            best = _best(index, question)
            if best is not None:
                x.append(best[0])
                y.append(int(best[1] == entry_id))
    index = FaqIndex(entries)
    for message in negatives:
        best = _best(index, message)
        if best is not None:
            x.append(best[0])
            y.append(0)
    return x, y


def refit(entries: list[FaqEntryData]) -> tuple[Calibration, dict[str, int]]:
    negatives = non_faq_messages()
    x, y = examples(entries, negatives)
    calibration = fit(x, y)
    report = {
        "entries": len(entries),
        "examples": len(x),
        "variants_ranked_first": sum(y),
        "non_faq_messages": len(negatives),
    }
    return calibration, report

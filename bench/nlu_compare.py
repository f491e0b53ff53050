"""Compare NLU pipelines: k-fold cross-validation on the training data and the held-out set.

    .venv/bin/python bench/nlu_compare.py [--folds 3] [CONFIG ...]

Defaults to the shipped `config.yml` and the candidates in `bench/nlu/`. For each pipeline it
runs `rasa test nlu --cross-validation` on `bot/data`, trains an NLU model on all of it, tests
that model on `tests/nlu/heldout.yml` (messages written apart from the training data), and
prints intent accuracy, macro F1 and entity F1 with the training and parse times. Reports
land in `var/nlu-compare/<config name>/`; the per-intent table is `intent_report.json` there.
"""

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.bot_model import RASA, rasa_env  # noqa: E402

OUT = ROOT / "var" / "nlu-compare"


def _rasa(*args: str) -> float:
    started = time.perf_counter()
    subprocess.run([*RASA, *args], cwd=ROOT, env=rasa_env(), check=True, capture_output=True)
    return time.perf_counter() - started


def _scores(folder: Path) -> dict[str, float]:
    intents = json.loads((folder / "intent_report.json").read_text("utf-8"))
    scores = {
        "accuracy": intents["accuracy"],
        "macro_f1": intents["macro avg"]["f1-score"],
        "weighted_f1": intents["weighted avg"]["f1-score"],
    }
    entity_reports = list(folder.glob("*Extractor_report.json")) + list(
        folder.glob("DIETClassifier_report.json")
    )
    if entity_reports:
        entities = json.loads(entity_reports[0].read_text("utf-8"))
        scores["entity_f1"] = entities["micro avg"]["f1-score"]
    return scores


def _name(config: Path) -> str:
    """The reports' folder and summary name: `shipped` for config.yml, else the file's stem."""
    return config.stem if config.name != "config.yml" else "shipped"


def compare(config: Path, folds: int) -> dict[str, object]:
    out = OUT / _name(config)
    cv_seconds = _rasa(
        "test", "nlu", "--nlu", "bot/data", "--config", str(config),
        "--cross-validation", "--folds", str(folds), "--out", str(out / "cv"),
    )  # fmt: skip
    train_seconds = _rasa(
        "train", "nlu", "--nlu", "bot/data", "--config", str(config),
        "--out", str(out), "--fixed-model-name", "nlu",
    )  # fmt: skip
    heldout_seconds = _rasa(
        "test", "nlu", "--nlu", "tests/nlu/heldout.yml",
        "--model", str(out / "nlu.tar.gz"), "--out", str(out / "heldout"),
    )  # fmt: skip
    return {
        "config": str(config.relative_to(ROOT)),
        "cv": _scores(out / "cv"),
        "heldout": _scores(out / "heldout"),
        "train_s": round(train_seconds),
        "cv_s": round(cv_seconds),
        "heldout_test_s": round(heldout_seconds),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("configs", nargs="*", type=Path)
    parser.add_argument("--folds", type=int, default=3)
    args = parser.parse_args()
    configs = args.configs or [ROOT / "config.yml", *sorted((ROOT / "bench" / "nlu").glob("*.yml"))]
    print(f"machine: {platform.machine()}, {platform.python_version()}, folds: {args.folds}")
    print("| config | CV accuracy | CV macro F1 | CV entity F1 | held-out accuracy |"
          " held-out macro F1 | train s |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for config in configs:
        result = compare(config.resolve(), args.folds)
        cv, held = result["cv"], result["heldout"]
        print(
            f"| {result['config']} | {cv['accuracy']:.3f} | {cv['macro_f1']:.3f} | "
            f"{cv.get('entity_f1', float('nan')):.3f} | {held['accuracy']:.3f} | "
            f"{held['macro_f1']:.3f} | {result['train_s']} |",
            flush=True,
        )
        (OUT / f"{_name(config)}.json").write_text(json.dumps(result, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Turning retrieval evidence into a probability that the best entry answers the question.

Features are independent of the knowledge base's size, so one fitted calibration holds while
admins add and edit entries: how much of the question the entry covers, how far the entry is
ahead of the next one, and how long the question is. `python -m faq calibrate` refits it from
the entries' own variants (each left out of the index in turn: a paraphrase with a known
answer) and from shopper messages that are not FAQ questions (the bot's other intents).
"""

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

CALIBRATION_FILE = Path(__file__).with_name("calibration.json")


def features(raw: float, best_other: float, coverage: float, n_terms: int) -> list[float]:
    """[coverage, lead over the best other entry (-1..1), log question length]."""
    lead = (raw - best_other) / raw if raw > 0 else -1.0
    return [coverage, max(lead, -1.0), math.log1p(n_terms)]


@dataclass(frozen=True)
class Calibration:
    weights: tuple[float, ...]
    bias: float
    threshold: float  # answer without asking back at or above this probability

    def probability(self, x: list[float]) -> float:
        z = self.bias + sum(w * v for w, v in zip(self.weights, x, strict=True))
        return round(1.0 / (1.0 + math.exp(-z)), 4)


# Used only until `python -m faq calibrate` has written faq/calibration.json.
UNCALIBRATED = Calibration(weights=(6.0, 3.0, 0.0), bias=-4.5, threshold=0.5)


def load_calibration(path: Path = CALIBRATION_FILE) -> Calibration:
    if not path.exists():
        return UNCALIBRATED
    data = json.loads(path.read_text(encoding="utf-8"))
    return Calibration(tuple(data["weights"]), data["bias"], data["threshold"])


def save_calibration(
    calibration: Calibration, report: dict[str, int], path: Path = CALIBRATION_FILE
) -> None:
    payload = {**asdict(calibration), "fitted_on": report}
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def fit(x: list[list[float]], y: list[int], threshold: float = 0.5) -> Calibration:
    """Logistic regression on the examples. The default threshold answers when the entry is
    more likely right than wrong; below it the bot asks back instead of guessing."""
    from sklearn.linear_model import LogisticRegression  # only needed when refitting

    model = LogisticRegression(C=1.0).fit(np.array(x), np.array(y))
    return Calibration(
        tuple(float(w) for w in model.coef_[0]), float(model.intercept_[0]), threshold
    )

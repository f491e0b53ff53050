"""Train the Rasa model only when its inputs changed.

The model file is named after a fingerprint of everything training reads (pipeline config,
the joined domain, training data, jieba dictionary), so an unchanged bot is never trained
twice and every caller (run, tests, CI) finds the same file.
"""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# `rasa` as every caller runs it: the Rasa environment's Python with scripts/rasa_cli.py
RASA = [str(ROOT / ".venv-rasa" / "bin" / "python"), "-m", "scripts.rasa_cli"]
MODEL_DIR = ROOT / "models"
TRAINING_INPUTS = [  # and the joined domain (bot/domain.yml + the responses in words/)
    ROOT / "config.yml",
    ROOT / "bot" / "data",
    ROOT / "lexicon",
]


def rasa_env(**extra: str) -> dict[str, str]:
    """Environment for Rasa commands: quiet TensorFlow, no telemetry."""
    return {
        **os.environ,
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "RASA_TELEMETRY_ENABLED": "false",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "PYTHONWARNINGS": "ignore",
        # One OpenMP thread per Rasa process: each server is single-threaded and several run
        # side by side; the sentence encoder's default (a spinning thread per core in every
        # process) made 8 concurrent conversations time out (docs/benchmarks.md).
        "OMP_NUM_THREADS": "1",
        "OMP_WAIT_POLICY": "PASSIVE",
        **extra,
    }


def word_vector_corpus() -> list[Path]:
    """The review files the pipeline's word vectors are trained on (config.yml), those that are
    on this machine: a model trained without them must not be reused once they are there."""
    import yaml

    from core.settings import get_settings

    pipeline = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    names = [
        name
        for component in pipeline
        if component["name"].endswith("ReviewWordVectorsFeaturizer")
        for name in component.get("corpus", [])
    ]
    paths = [get_settings().reviews_data_dir / name for name in names]
    return [p for p in paths if p.is_file()]


def _data_files(folder: Path) -> list[Path]:
    """What Rasa reads in a folder: not the Python beside it (`python -m bot.data`)."""
    return [
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix != ".py" and "__pycache__" not in p.parts
    ]


def fingerprint() -> str:
    """A short hash of the content of every training input."""
    from bot.domain_file import domain_text  # the app's environment only (rasa_stores too)

    digest = hashlib.sha256(domain_text().encode())
    for base in TRAINING_INPUTS:
        files = sorted(_data_files(base)) if base.is_dir() else [base]
        for path in files:
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    for path in word_vector_corpus():
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def model_path() -> Path:
    return MODEL_DIR / f"bot-{fingerprint()}.tar.gz"


def train_if_needed() -> Path:
    """The current model, trained first if the inputs changed since the last training."""
    target = model_path()
    if target.exists():
        print(f"==> Rasa model is up to date: {target.relative_to(ROOT)}", flush=True)
        return target
    from bot.domain_file import write_domain

    print("==> Training the Rasa model (a few minutes on 2 cores)", flush=True)
    subprocess.run(
        [
            *RASA,
            "train",
            "--config",
            "config.yml",
            "--domain",
            str(write_domain()),
            "--data",
            "bot/data",
            "--out",
            str(MODEL_DIR),
            "--fixed-model-name",
            target.name.removesuffix(".tar.gz"),
        ],
        cwd=ROOT,
        env=rasa_env(),
        check=True,
    )
    for old in MODEL_DIR.glob("bot-*.tar.gz"):
        if old != target:
            old.unlink()
    return target


if __name__ == "__main__":
    try:
        print(train_if_needed())
    except subprocess.CalledProcessError as exc:
        sys.exit(exc.returncode)

"""Run a short scenario inside the Rasa environment (`.venv-rasa`) and read back its JSON.

For code that only Rasa's own process runs (the launcher, the tracker store): the scenario
prints one JSON object as its last line, and the test asserts on it.
"""

import json
import subprocess
from typing import Any

import pytest

from core.settings import PROJECT_ROOT
from scripts.bot_model import rasa_env

RASA_PYTHON = PROJECT_ROOT / ".venv-rasa" / "bin" / "python"


def run_in_rasa_env(scenario: str, *args: str) -> dict[str, Any]:
    if not RASA_PYTHON.exists():
        pytest.skip("the Rasa environment (.venv-rasa) is not installed")
    done = subprocess.run(
        [str(RASA_PYTHON), "-c", scenario, *args],
        cwd=PROJECT_ROOT,
        env=rasa_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])

#!/usr/bin/env bash
# Everything `make test` checks; fails on the first failing step.
#   1. ruff (lint and format)   2. mypy (configured in pyproject.toml)
#   3. pytest, browser tests included (against TEST_DATABASE_URL if set, else a temporary SQLite)
#   4. rasa data validate       5. rasa test on the conversation tests, against a seeded demo shop
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
export TF_CPP_MIN_LOG_LEVEL=2 RASA_TELEMETRY_ENABLED=false SQLALCHEMY_SILENCE_UBER_WARNING=1

say "ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

say "mypy"
.venv/bin/mypy

# The browser tests' Chromium, and a Chinese font so their screenshots show the text.
if ! command -v chromium >/dev/null 2>&1 || ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  if [ "$(id -u)" = 0 ]; then
    say "Installing Debian's chromium and fonts-noto-cjk for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  else
    say "chromium or a Chinese font is missing and this is not root: the browser tests may be skipped"
  fi
fi

say "pytest"
# on every core (pytest-xdist), each worker with a database of its own (tests/conftest.py)
.venv/bin/pytest -n auto --maxprocesses 4 "$@"

say "rasa data validate"
.venv-rasa/bin/python -m scripts.rasa_cli data validate --fail-on-warnings \
  --config config.yml --domain "$(.venv/bin/python -m bot.domain_file)" --data bot/data

say "rasa test (conversation tests)"
scripts/conversation_tests.sh
say "all checks passed"

#!/usr/bin/env bash
# Rasa conversation tests against a freshly seeded demo shop and a local action server.
#   scripts/conversation_tests.sh [STORY_FILE_OR_DIR ...]   (default: bot/tests)
# TEST_ACTION_PORT (default 5056) and TEST_BOT_DB (default var/bot-test.db) let several runs
# share one machine.
set -euo pipefail
cd "$(dirname "$0")/.."
export TF_CPP_MIN_LOG_LEVEL=2 RASA_TELEMETRY_ENABLED=false SQLALCHEMY_SILENCE_UBER_WARNING=1

stories=("$@")
[ ${#stories[@]} -eq 0 ] && stories=(bot/tests)
mkdir -p var
model=$(flock var/train.lock .venv/bin/python -m scripts.bot_model | tail -n 1)  # one training at a time
action_port=${TEST_ACTION_PORT:-5056}
bot_db="${TEST_BOT_DB:-$PWD/var/bot-test.db}"
out="results/conversations-$action_port"
rm -f "$bot_db"*
export DATABASE_URL="sqlite:///$bot_db"
.venv/bin/python -m shop.demo reset --yes >/dev/null
.venv/bin/python -m faq import >/dev/null
SANIC_HOST=127.0.0.1 .venv/bin/python -m rasa_sdk --actions bot.actions --port "$action_port" \
  > "var/bot-test-actions-$action_port.log" 2>&1 &
actions_pid=$!
trap 'kill $actions_pid 2>/dev/null || true' EXIT
for _ in $(seq 60); do
  curl -fs "http://127.0.0.1:$action_port/health" >/dev/null && break
  sleep 0.5
done
rm -rf "$out"
staged=$(mktemp -d)
trap 'kill $actions_pid 2>/dev/null || true; rm -rf "$staged"' EXIT
for s in "${stories[@]}"; do cp -r "$s" "$staged/"; done
ACTION_ENDPOINT_URL="http://127.0.0.1:$action_port/webhook" .venv-rasa/bin/python -m scripts.rasa_cli test core \
  --model "$model" --stories "$staged" --endpoints bot/endpoints.yml \
  --fail-on-prediction-errors --out "$out"

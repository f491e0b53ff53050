"""The assistant's programs as supervisord runs them (scripts/supervise.py), for `make run`'s
layout (scripts/run.py) and `--scaled` (scripts/scaled.py)."""

import os
from pathlib import Path

from sqlalchemy.engine import make_url

from core.settings import Settings
from scripts.bot_model import RASA, ROOT, rasa_env
from scripts.rasa_stores import redis_command
from scripts.supervise import Program

VENV = ROOT / ".venv" / "bin"
# supervisord's priorities: lower starts first and stops last
STORES, BOT, WORKERS, FRONT = 10, 100, 200, 300
# How long a Rasa server's hold on a conversation (its ticket in the Redis lock store) lasts:
# Rasa's default is 60 s, so a server killed mid-message left that shopper's next messages
# waiting on the other server for a minute (each an apology after the gateway's 4 s). 10 s is
# well above a message's normal turn (under a second; the gateway gives up after 4 s).
RASA_LOCK_LIFETIME_S = 10


def shown(url: str) -> str:
    """A database URL without its password."""
    return make_url(url).render_as_string(hide_password=True)


def rasa_extras() -> dict[str, str]:
    """What the Rasa servers' environment adds to this one (scripts.bot_model.rasa_env)."""
    return {k: v for k, v in rasa_env().items() if os.environ.get(k) != v}


def rasa_program(name: str, settings: Settings, port: int, model: Path, endpoints: Path) -> Program:
    # No --enable-api: the gateway needs only the REST channel, and Rasa's HTTP API would
    # let anyone who reaches the port read and set any conversation's slots (phone tail,
    # verified order). The port stays on the local address, behind the gateway.
    return Program(
        name,
        f"{' '.join(RASA)} run -i {settings.host} -p {port} --model {model}"
        f" --endpoints {endpoints} --credentials bot/credentials.yml",
        env={**rasa_extras(), "TICKET_LOCK_LIFETIME": str(RASA_LOCK_LIFETIME_S)},
        priority=BOT,
        start_s=10,
    )


def actions_program(name: str, settings: Settings, port: int) -> Program:
    return Program(
        name,
        f"{VENV}/python -m rasa_sdk --actions bot.actions --port {port}",
        env={"SANIC_HOST": settings.host},
        priority=BOT,
    )


def worker_program(name: str) -> Program:
    # alerts, deliveries and the periodic jobs (jobs.tasks); SIGINT: after the running jobs
    return Program(name, f"{VENV}/python -m jobs", priority=WORKERS, stop_signal="INT")


def api_program(name: str, settings: Settings, port: int) -> Program:
    return Program(
        name, f"{VENV}/uvicorn api.main:app --host {settings.host} --port {port}", priority=FRONT
    )


def redis_program(settings: Settings) -> Program:
    return Program("redis", redis_command(settings), priority=STORES, start_s=2)

"""Rasa's shared stores for running several Rasa servers: SQL tracker store, Redis lock store.

`make run` writes `var/endpoints.yml` from the settings, creates the tracker store's table once
(so servers starting together do not race to create it) and starts a Redis server for the lock
store unless one already answers on the port.
"""

import json
import shutil
import socket
import subprocess
from pathlib import Path

import yaml
from sqlalchemy.engine import make_url

from core.settings import Settings
from scripts.bot_model import ROOT, rasa_env

ENDPOINTS = ROOT / "var" / "endpoints.yml"
# Rasa's SQL tracker store, tuned for several servers sharing it (bot/tracker_store.py)
TRACKER_STORE = "bot.tracker_store.SharedSQLTrackerStore"

# Also proves the class imports: Rasa would otherwise fall back to a per-server memory store.
_CREATE_TRACKER_TABLE = """
import json, sys
from bot.tracker_store import SharedSQLTrackerStore
from rasa.shared.core.domain import Domain
SharedSQLTrackerStore(Domain.empty(), **json.loads(sys.argv[1]))
"""


def tracker_store_config(url: str) -> dict[str, object]:
    """Rasa's SQL tracker store settings for a SQLAlchemy URL (SQLite or PostgreSQL)."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return {"type": TRACKER_STORE, "dialect": "sqlite", "db": parsed.database}
    if backend != "postgresql":
        raise ValueError(f"Rasa's tracker store supports SQLite or PostgreSQL here, not {backend}")
    config: dict[str, object] = {
        "type": TRACKER_STORE,
        "dialect": "postgresql",
        "url": parsed.host or "localhost",
        "port": parsed.port or 5432,
        "db": parsed.database,
        "username": parsed.username,
        "password": parsed.password,
    }
    return {key: value for key, value in config.items() if value is not None}


def redis_available() -> bool:
    """Whether a Redis server can be started here (Debian package redis-server)."""
    return shutil.which("redis-server") is not None


def port_answers(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def redis_command(settings: Settings) -> str:
    """A Redis server for the lock store only: nothing is written to disk."""
    return (
        f"redis-server --bind {settings.host} --port {settings.redis_port}"
        " --save '' --appendonly no"
    )


def write_endpoints(
    settings: Settings,
    shared_stores: bool,
    action_url: str | None = None,
    path: Path = ENDPOINTS,
) -> Path:
    """The endpoints file the Rasa servers start with (`--scaled`: one per server, each with
    its own action server at `action_url`)."""
    endpoints: dict[str, object] = {
        "action_endpoint": {"url": action_url or settings.action_endpoint_url}
    }
    if shared_stores:
        endpoints["tracker_store"] = tracker_store_config(settings.rasa_tracker_db_url)
        endpoints["lock_store"] = {
            "type": "redis",
            "url": settings.host,
            "port": settings.redis_port,
            "db": 1,
            "key_prefix": "kefu",
        }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(endpoints, allow_unicode=True), encoding="utf-8")
    path.chmod(0o600)  # the tracker store's password, with PostgreSQL
    return path


def create_tracker_table(settings: Settings) -> None:
    """Create Rasa's tracker table (and PostgreSQL database) before the servers start."""
    config = tracker_store_config(settings.rasa_tracker_db_url)
    del config["type"]
    if "url" in config:
        config["host"] = config.pop("url")  # the store's own name for what endpoints call url
    if config["dialect"] == "sqlite":
        Path(str(config["db"])).parent.mkdir(parents=True, exist_ok=True)
    python = ROOT / ".venv-rasa" / "bin" / "python"
    done = subprocess.run(
        [str(python), "-c", _CREATE_TRACKER_TABLE, json.dumps(config)],
        cwd=ROOT,
        env=rasa_env(),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(
            f"Rasa's tracker store could not be set up at {settings.rasa_tracker_db_url}:\n"
            f"{done.stderr.strip()[-2000:]}"
        )

"""Run the whole assistant: migrate, seed the demo shop, train if needed, start the three servers.

One Ctrl-C stops them all (honcho supervises the processes; if one dies, all stop).
"""

import json
import os
import secrets
import sys
import threading
import time
import urllib.request

from honcho.manager import Manager

from core.database import unit_of_work
from core.migrations import upgrade
from core.settings import Settings, get_settings
from faq.knowledge_base import import_if_empty as import_faq_if_empty
from reviews.alert_channels import channels
from scripts.bot_model import RASA, ROOT, rasa_env, train_if_needed
from scripts.rasa_stores import (
    create_tracker_table,
    port_answers,
    redis_available,
    redis_command,
    write_endpoints,
)
from shop.demo.seed import seed_if_empty

READY_TIMEOUT_S = 300


def _is_up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status < 500
    except OSError:
        return False


def _announce_when_ready(services: dict[str, str], settings: Settings) -> None:
    """Print one line per service as it answers, then a summary of what runs where."""
    pending = dict(services)
    deadline = time.monotonic() + READY_TIMEOUT_S
    while pending and time.monotonic() < deadline:
        for name, url in list(pending.items()):
            if _is_up(url):
                print(f"==> {name} is ready: {url}", flush=True)
                del pending[name]
        time.sleep(1)
    if pending:
        print(f"==> still not answering after {READY_TIMEOUT_S}s: {', '.join(pending)}", flush=True)
        return
    print(
        "\n==> 客服助手 is running (Ctrl-C stops everything)\n"
        f"    Storefront     http://{settings.host}:{settings.api_port}/  (chat widget; /help)\n"
        f"    API            http://{settings.host}:{settings.api_port}  (docs: /docs)\n"
        f"    Rasa servers   {', '.join(settings.rasa_urls)}  (POST /webhooks/rest/webhook)\n"
        f"    Action server  http://{settings.host}:{settings.action_port}/webhook\n"
        f"    Database       {settings.database_url}\n",
        flush=True,
    )


def main() -> int:
    settings = get_settings()
    print(f"==> Applying database migrations ({settings.database_url})", flush=True)
    upgrade()
    seeded = seed_if_empty()
    print("==> Seeded the demo shop" if seeded else "==> Demo shop already present", flush=True)
    with unit_of_work() as session:
        if import_faq_if_empty(session):
            print("==> Loaded the FAQ knowledge base from faq/entries.yaml", flush=True)
    model = train_if_needed()

    if settings.rasa_instances > 1 and not redis_available():
        print(
            "==> redis-server is missing (Debian package redis-server; `make setup` installs it"
            " as root): starting one Rasa server instead of several",
            flush=True,
        )
        settings = settings.model_copy(update={"rasa_instances": 1})
    shared_stores = settings.rasa_instances > 1

    api_env = {**os.environ, "RASA_INSTANCES": str(settings.rasa_instances)}
    if not settings.admin_tokens:
        tokens = {
            "demo-admin": secrets.token_urlsafe(16),
            "demo-supervisor": secrets.token_urlsafe(16),
        }
        api_env["ADMIN_TOKENS"] = json.dumps(tokens)
        api_env["SUPERVISORS"] = json.dumps(["demo-supervisor"])
        print(
            f"==> No ADMIN_TOKENS set: admin token for this run {tokens['demo-admin']}, supervisor"
            f" (approves offers above the threshold) {tokens['demo-supervisor']}",
            flush=True,
        )

    venv = ROOT / ".venv" / "bin"
    manager = Manager()
    manager.add_process(
        "api",
        f"{venv}/uvicorn api.main:app --host {settings.host} --port {settings.api_port}",
        cwd=str(ROOT),
        env=api_env,
    )
    manager.add_process(
        "actions",
        f"{venv}/python -m rasa_sdk --actions bot.actions --port {settings.action_port}",
        cwd=str(ROOT),
        env={**os.environ, "SANIC_HOST": settings.host, "PYTHONUNBUFFERED": "1"},
    )
    manager.add_process(  # alerts, deliveries and the periodic jobs (jobs.tasks)
        "worker",
        f"{venv}/python -m jobs",
        cwd=str(ROOT),
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    on = ", ".join(channels()) or "none: set their ALERT_* variables (reviews/alert_channels.yaml)"
    print(f"==> 中差评 alert channels on: {on}", flush=True)
    if shared_stores:
        create_tracker_table(settings)
        if not port_answers(settings.host, settings.redis_port):
            manager.add_process("redis", redis_command(settings), cwd=str(ROOT))
    endpoints = write_endpoints(settings, shared_stores)
    for index in range(settings.rasa_instances):
        # No --enable-api: the gateway needs only the REST channel, and Rasa's HTTP API would
        # let anyone who reaches the port read and set any conversation's slots (phone tail,
        # verified order). The port stays on the local address, behind the gateway.
        manager.add_process(
            f"rasa{index + 1}",
            f"{' '.join(RASA)} run -i {settings.host} -p {settings.rasa_port + index}"
            f" --model {model} --endpoints {endpoints} --credentials bot/credentials.yml",
            cwd=str(ROOT),
            env=rasa_env(),
        )
    print("==> Starting servers (the Rasa model takes about a minute to load)", flush=True)
    services = {
        "api": f"http://{settings.host}:{settings.api_port}/healthz",
        "actions": f"http://{settings.host}:{settings.action_port}/health",
        **{f"rasa{i + 1}": f"{url}/" for i, url in enumerate(settings.rasa_urls)},
    }
    threading.Thread(target=_announce_when_ready, args=(services, settings), daemon=True).start()
    manager.loop()
    return manager.returncode or 0


if __name__ == "__main__":
    sys.exit(main())

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

from core.database import session_scope
from core.migrations import upgrade
from core.settings import get_settings
from faq.knowledge_base import import_if_empty as import_faq_if_empty
from scripts.bot_model import ROOT, rasa_env, train_if_needed
from shop.demo.seed import seed_if_empty

READY_TIMEOUT_S = 300


def _is_up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status < 500
    except OSError:
        return False


def _announce_when_ready(services: dict[str, str]) -> None:
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
    settings = get_settings()
    print(
        "\n==> 客服助手 is running (Ctrl-C stops everything)\n"
        f"    Storefront     http://{settings.host}:{settings.api_port}/  (chat widget; /help)\n"
        f"    API            http://{settings.host}:{settings.api_port}  (docs: /docs)\n"
        f"    Rasa server    {settings.rasa_url}  (POST /model/parse, /webhooks/rest/webhook)\n"
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
    with session_scope() as session:
        if import_faq_if_empty(session):
            print("==> Loaded the FAQ knowledge base from faq/entries.yaml", flush=True)
    model = train_if_needed()

    api_env = {**os.environ}
    if not settings.admin_tokens:
        token = secrets.token_urlsafe(16)
        api_env["ADMIN_TOKENS"] = json.dumps({"demo-admin": token})
        print(f"==> No ADMIN_TOKENS set: FAQ admin token for this run is {token}", flush=True)

    venv, venv_rasa = ROOT / ".venv" / "bin", ROOT / ".venv-rasa" / "bin"
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
    manager.add_process(
        "rasa",
        f"{venv_rasa}/rasa run --enable-api -i {settings.host} -p {settings.rasa_port}"
        f" --model {model} --endpoints bot/endpoints.yml --credentials bot/credentials.yml",
        cwd=str(ROOT),
        env=rasa_env(ACTION_ENDPOINT_URL=settings.action_endpoint_url),
    )
    print("==> Starting servers (the Rasa model takes about a minute to load)", flush=True)
    services = {
        "api": f"http://{settings.host}:{settings.api_port}/healthz",
        "actions": f"http://{settings.host}:{settings.action_port}/health",
        "rasa": f"{settings.rasa_url}/",
    }
    threading.Thread(target=_announce_when_ready, args=(services,), daemon=True).start()
    manager.loop()
    return manager.returncode or 0


if __name__ == "__main__":
    sys.exit(main())

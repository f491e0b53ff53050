"""Run the whole assistant: migrate, seed the demo shop, train if needed, start the servers.

`make run` (`python -m scripts.run`): the API, RASA_INSTANCES Rasa servers (and Redis for their
lock store), the action server and the job worker. `python -m scripts.run --scaled`: the
multi-worker layout of one machine (scripts/scaled.py, docs/deployment.md).

supervisord runs them (scripts/supervise.py): a server that dies is restarted, one that keeps
dying is stopped and reported, and one Ctrl-C stops them all.
"""

import argparse
import os
import sys
import threading
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path

from accounts.demo import ensure_demo_staff
from core.database import unit_of_work
from core.migrations import upgrade
from core.settings import Settings, get_settings
from faq.knowledge_base import import_if_empty as import_faq_if_empty
from reviews.alert_channels import channels
from scripts import scaled
from scripts.bot_model import train_if_needed
from scripts.programs import (
    actions_program,
    api_program,
    rasa_program,
    redis_program,
    shown,
    worker_program,
)
from scripts.rasa_stores import (
    create_tracker_table,
    port_answers,
    redis_available,
    write_endpoints,
)
from scripts.supervise import RUN_DIR, Layout, ctl_command, run
from shop.demo.history import seed_history
from shop.demo.seed import seed_if_empty
from words.render import label

READY_TIMEOUT_S = 300


def _is_up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status < 500
    except OSError:
        return False


def _announce_when_ready(services: Mapping[str, str], summary: str) -> None:
    """Print one line per service as it answers, in their order (the load balancer, after
    what it balances), then a summary of what runs where."""
    pending = dict(services)
    deadline = time.monotonic() + READY_TIMEOUT_S
    while pending and time.monotonic() < deadline:
        for name, url in list(pending.items()):
            if not _is_up(url):
                break
            print(f"==> {name} is ready: {url}", flush=True)
            del pending[name]
        time.sleep(1)
    if pending:
        print(f"==> still not answering after {READY_TIMEOUT_S}s: {', '.join(pending)}", flush=True)
        return
    print(summary, flush=True)


def one_machine(settings: Settings, model: Path) -> Layout:
    """`make run`: one API server, RASA_INSTANCES Rasa servers, one action server, one worker."""
    if settings.rasa_instances > 1 and not redis_available():
        print(
            "==> redis-server is missing (Debian package redis-server; `make setup` installs it"
            " as root): starting one Rasa server instead of several",
            flush=True,
        )
        settings = settings.model_copy(update={"rasa_instances": 1})
    shared_stores = settings.rasa_instances > 1
    programs = [
        api_program("api", settings, settings.api_port),
        actions_program("actions", settings, settings.action_port),
        worker_program("worker"),
    ]
    if shared_stores:
        create_tracker_table(settings)
        if not port_answers(settings.host, settings.redis_port):
            programs.append(redis_program(settings))
    endpoints = write_endpoints(settings, shared_stores, path=RUN_DIR / "endpoints.yml")
    programs += [
        rasa_program(f"rasa{i + 1}", settings, settings.rasa_port + i, model, endpoints)
        for i in range(settings.rasa_instances)
    ]
    ready = {
        "api": f"http://{settings.host}:{settings.api_port}/healthz",
        "actions": f"http://{settings.host}:{settings.action_port}/health",
        **{f"rasa{i + 1}": f"{url}/" for i, url in enumerate(settings.rasa_urls)},
    }
    summary = (
        "\n==> 客服助手 is running (Ctrl-C stops everything)\n"
        f"    Storefront     http://{settings.host}:{settings.api_port}/  (chat widget; /help)\n"
        f"    API            http://{settings.host}:{settings.api_port}  (docs: /docs)\n"
        f"    Rasa servers   {', '.join(settings.rasa_urls)}  (POST /webhooks/rest/webhook)\n"
        f"    Action server  http://{settings.host}:{settings.action_port}/webhook\n"
        f"    Database       {shown(settings.database_url)}\n"
        f"    Processes      {ctl_command()} status\n"
    )
    return Layout(programs, {"RASA_INSTANCES": str(settings.rasa_instances)}, ready, summary)


def demo_staff_logins() -> str:
    """One demo user per role (created once, random passwords kept in var/demo-logins.json),
    as the lines printed when the servers are up."""
    with unit_of_work() as session:
        logins = ensure_demo_staff(session)
    url = f"http://{get_settings().host}:{get_settings().api_port}/login"
    lines = [f"    Staff sign-in  {url}  (one demo user per role; var/demo-logins.json)"]
    lines += [
        f"      {label(d.role):<4} {d.login:<11} password {d.password}   ({d.name})" for d in logins
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.run", description=__doc__)
    parser.add_argument(
        "--scaled",
        action="store_true",
        help="the multi-worker layout: nginx, 2 API workers, 2 Rasa servers with their own"
        " action servers, 2 job workers, PostgreSQL and Redis (docs/deployment.md)",
    )
    args = parser.parse_args(argv)
    settings = get_settings()
    if args.scaled:
        scaled.check(settings)  # before anything is written: PostgreSQL, Redis, nginx
    print(f"==> Applying database migrations ({shown(settings.database_url)})", flush=True)
    upgrade()
    seeded = seed_if_empty()
    print("==> Seeded the demo shop" if seeded else "==> Demo shop already present", flush=True)
    with unit_of_work() as session:
        if seed_history(session).events:
            print("==> Seeded 12 weeks of the demo shop's history (for the reports)", flush=True)
    with unit_of_work() as session:
        if import_faq_if_empty(session):
            print("==> Loaded the FAQ knowledge base from faq/entries.yaml", flush=True)
    model = train_if_needed()
    on = ", ".join(channels()) or "none: set their ALERT_* variables (reviews/alert_channels.yaml)"
    print(f"==> 中差评 alert channels on: {on}", flush=True)

    logins = demo_staff_logins()
    layout = scaled.layout(settings, model) if args.scaled else one_machine(settings, model)
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **layout.env}
    print("==> Starting servers (the Rasa model takes about a minute to load)", flush=True)
    threading.Thread(
        target=_announce_when_ready, args=(layout.ready, layout.summary + logins), daemon=True
    ).start()
    return run(layout.programs, env)


if __name__ == "__main__":
    sys.exit(main())

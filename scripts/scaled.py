"""`python -m scripts.run --scaled`: the multi-worker layout on one machine.

The layout of docs/deployment.md with every process on this machine, COPIES of each:

- nginx on API_PORT, in front of the API workers on API_PORT+1, API_PORT+2 (uvicorn);
- Rasa servers on RASA_PORT, RASA_PORT+1 sharing the PostgreSQL tracker store and the Redis
  lock store, rasaN with its own action server on ACTION_PORT+N-1 (var/endpoints-rasaN.yml);
- job workers on a Redis queue;
- PostgreSQL for the shop (DATABASE_URL, not started here) and Redis on REDIS_PORT (started
  unless one answers there): the job queue (db 0), Rasa's lock store (1), the alert channels'
  rate limits (2) and the pushes between API workers (3).
"""

import os
import shutil
import subprocess
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from core.settings import Settings
from scripts.programs import (
    FRONT,
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
from scripts.supervise import RUN_DIR, Layout, Program, ctl_command

COPIES = 2  # of the API workers, the Rasa servers with their action servers, the job workers
NGINX_DIR = RUN_DIR / "nginx"
# the SSE route (api/routes/chat.py): unbuffered, open as long as the shopper's page
SSE_ROUTE = r"^/api/chat/[^/]+/events$"


def _postgresql(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def nginx_binary() -> str | None:
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


def check(settings: Settings) -> None:
    """Stop with what to do unless PostgreSQL, redis-server and nginx are there (nginx is
    installed from Debian when this runs as root)."""
    if not _postgresql(settings.database_url):
        raise SystemExit(
            "--scaled needs PostgreSQL: API workers, action servers and job workers write at"
            " once, and SQLite takes one writer at a time. Set DATABASE_URL, e.g.\n"
            "  DATABASE_URL=postgresql+psycopg://kefu:PASSWORD@127.0.0.1:5432/kefu\n"
            f"(now {shown(settings.database_url)}; docs/deployment.md)"
        )
    if not redis_available():
        raise SystemExit(
            "--scaled needs redis-server (Debian package redis-server): the job queue, Rasa's"
            " lock store, the rate limits and the pushes between API workers live there"
        )
    if nginx_binary() is None:
        if os.getuid() != 0 or shutil.which("apt-get") is None:
            raise SystemExit("--scaled needs nginx (Debian package nginx): the load balancer")
        print("==> Installing Debian's nginx (the load balancer of --scaled)", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "nginx"],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )


def tracker_db_url(settings: Settings) -> str:
    """Rasa's tracker store: RASA_TRACKER_DB_URL if it is PostgreSQL, else a database of its
    own beside the shop's (`<name>_rasa`: Rasa names a table `events` too)."""
    if _postgresql(settings.rasa_tracker_db_url):
        return settings.rasa_tracker_db_url
    shop = make_url(settings.database_url)
    return shop.set(database=f"{shop.database}_rasa").render_as_string(hide_password=False)


def ensure_database(url: str, via: str) -> None:
    """Create the PostgreSQL database `url` names unless it exists, connected with `via`."""
    target = make_url(url)
    try:
        create_engine(url).connect().close()
        return
    except OperationalError as exc:
        if "does not exist" not in str(exc):
            raise SystemExit(f"cannot reach {shown(url)}: {exc.orig}") from exc
    engine = create_engine(via, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            owner = target.username or make_url(via).username
            connection.execute(text(f'CREATE DATABASE "{target.database}" OWNER "{owner}"'))
    except Exception as exc:
        raise SystemExit(
            f"Rasa's tracker database {target.database} does not exist and could not be"
            f" created ({exc}): create it, or set RASA_TRACKER_DB_URL to one that exists"
        ) from exc
    finally:
        engine.dispose()
    print(f"==> Created Rasa's tracker database {target.database}", flush=True)


def nginx_config(settings: Settings, api_ports: list[int], folder: str) -> str:
    """nginx in front of the API workers, in the foreground, its files under `folder`."""
    servers = "\n".join(
        f"        server {settings.host}:{port} max_fails=1 fail_timeout=5s;" for port in api_ports
    )
    user = "user root;\n" if os.getuid() == 0 else ""
    return f"""# written by scripts/run.py --scaled at each start (docs/deployment.md)
{user}worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log stderr warn;
events {{
    worker_connections 4096;
}}
http {{
    access_log off;
    client_body_temp_path {folder}/tmp/body;
    proxy_temp_path {folder}/tmp/proxy;
    fastcgi_temp_path {folder}/tmp/fastcgi;
    uwsgi_temp_path {folder}/tmp/uwsgi;
    scgi_temp_path {folder}/tmp/scgi;
    client_max_body_size 1m;  # the API's own limit (api/routing.py)

    upstream kefu_api {{
        least_conn;  # open SSE streams count: each worker gets as many
{servers}
        keepalive 32;
    }}
    server {{
        listen {settings.host}:{settings.api_port};
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $remote_addr;  # the client, for the rate limits
        proxy_set_header X-Forwarded-Proto $scheme;
        # A worker that refuses or does not accept within 2 s is skipped for 5 s and the
        # request goes to the next one; a POST already sent is never sent again (nginx's
        # default for non-idempotent requests): a message the API took is not doubled. So a
        # POST written to a kept-alive connection of a worker killed a moment before is answered
        # 502; the widget keeps the text for the shopper to send again.
        proxy_connect_timeout 2s;
        proxy_next_upstream error timeout;

        location / {{
            proxy_pass http://kefu_api;
            proxy_read_timeout 60s;
        }}
        location ~ {SSE_ROUTE} {{
            proxy_pass http://kefu_api;
            proxy_buffering off;  # each event at once
            proxy_cache off;
            proxy_read_timeout 1h;  # a stream is quiet between messages
            proxy_send_timeout 1h;
        }}
    }}
}}
"""


def layout(settings: Settings, model: Path) -> Layout:
    """Everything of the layout, its stores prepared and its configuration files written."""
    tracker = tracker_db_url(settings)
    ensure_database(tracker, via=settings.database_url)
    settings = settings.model_copy(
        update={"rasa_instances": COPIES, "rasa_tracker_db_url": tracker}
    )
    create_tracker_table(settings)

    host = settings.host
    redis = f"redis://{host}:{settings.redis_port}"
    api_ports = [settings.api_port + 1 + i for i in range(COPIES)]
    action_ports = [settings.action_port + i for i in range(COPIES)]

    programs: list[Program] = []
    if not port_answers(host, settings.redis_port):
        programs.append(redis_program(settings))
    for i in range(COPIES):
        name = f"rasa{i + 1}"
        endpoints = write_endpoints(
            settings,
            shared_stores=True,
            action_url=f"http://{host}:{action_ports[i]}/webhook",
            path=RUN_DIR / f"endpoints-{name}.yml",
        )
        programs.append(rasa_program(name, settings, settings.rasa_port + i, model, endpoints))
        programs.append(actions_program(f"actions{i + 1}", settings, action_ports[i]))
    programs += [worker_program(f"worker{i + 1}") for i in range(COPIES)]
    programs += [api_program(f"api{i + 1}", settings, port) for i, port in enumerate(api_ports)]

    nginx_conf = NGINX_DIR / "nginx.conf"
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (NGINX_DIR / "tmp" / sub).mkdir(parents=True, exist_ok=True)
    nginx_conf.write_text(nginx_config(settings, api_ports, str(NGINX_DIR)), encoding="utf-8")
    programs.append(
        Program(
            "nginx",
            f"{nginx_binary()} -p {NGINX_DIR} -c {nginx_conf} -e stderr",
            priority=FRONT + 10,
            start_s=2,
        )
    )

    env = {
        "RASA_INSTANCES": str(COPIES),  # every API worker talks to every Rasa server
        "JOBS_URL": f"{redis}/0",
        "RATE_LIMIT_URL": f"{redis}/2",
        "PUSH_URL": f"{redis}/3",
        # one key for every API worker, so a client's wrong phone tails count together
        "CLIENT_DIGEST_KEY": settings.client_digest_key,
    }
    ready = {  # in this order (scripts/run.py): nginx once the API workers answer
        **{f"api{i + 1}": f"http://{host}:{port}/healthz" for i, port in enumerate(api_ports)},
        "nginx": f"http://{host}:{settings.api_port}/healthz",
        **{f"actions{i + 1}": f"http://{host}:{p}/health" for i, p in enumerate(action_ports)},
        **{f"rasa{i + 1}": f"{url}/" for i, url in enumerate(settings.rasa_urls)},
    }
    pairs = zip(settings.rasa_urls, action_ports, strict=True)
    rasa = ", ".join(f"{url} → actions :{port}" for url, port in pairs)
    summary = (
        "\n==> 客服助手 is running, scaled (Ctrl-C stops everything)\n"
        f"    Storefront     http://{host}:{settings.api_port}/  (nginx in front of the API"
        f" workers)\n"
        f"    API workers    {', '.join(f'http://{host}:{p}' for p in api_ports)}\n"
        f"    Rasa servers   {rasa}\n"
        f"    Job workers    {COPIES}, queue {redis}/0\n"
        f"    Database       {shown(settings.database_url)}\n"
        f"    Rasa trackers  {shown(tracker)}\n"
        f"    Processes      {ctl_command()} status\n"
    )
    return Layout(programs, env, ready, summary)

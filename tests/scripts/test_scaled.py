"""`python -m scripts.run --scaled`: what it refuses, and the layout it writes."""

import subprocess
from pathlib import Path

import pytest
import yaml

from core.settings import Settings
from scripts import scaled

POSTGRES = "postgresql+psycopg://kefu:pw@db.internal:5432/kefu"


def test_the_scaled_layout_refuses_sqlite_and_says_what_to_set():
    with pytest.raises(SystemExit, match="--scaled needs PostgreSQL") as refused:
        scaled.check(Settings(database_url="sqlite:///var/kefu.db"))
    assert "DATABASE_URL=postgresql+psycopg://" in str(refused.value)


def test_rasa_trackers_get_a_database_of_their_own_beside_the_shop():
    derived = scaled.tracker_db_url(Settings(database_url=POSTGRES))
    assert derived == "postgresql+psycopg://kefu:pw@db.internal:5432/kefu_rasa"
    own = "postgresql+psycopg://rasa:pw@other:5432/trackers"
    assert scaled.tracker_db_url(Settings(database_url=POSTGRES, rasa_tracker_db_url=own)) == own


@pytest.fixture
def layout(tmp_path, monkeypatch) -> scaled.Layout:
    """The layout for a shop on POSTGRES, written under tmp_path (no database reached)."""
    monkeypatch.setattr(scaled, "RUN_DIR", tmp_path)
    monkeypatch.setattr(scaled, "NGINX_DIR", tmp_path / "nginx")
    monkeypatch.setattr(scaled, "ensure_database", lambda *_args, **_kwargs: None)
    monkeypatch.setattr(scaled, "create_tracker_table", lambda *_args: None)
    monkeypatch.setattr(scaled, "port_answers", lambda *_args: False)  # no Redis running yet
    monkeypatch.setattr(scaled, "nginx_binary", lambda: "/usr/sbin/nginx")
    return scaled.layout(Settings(database_url=POSTGRES), Path("models/bot-x.tar.gz"))


def test_each_rasa_server_has_its_own_action_server_and_shares_the_stores(layout, tmp_path):
    endpoints = [yaml.safe_load((tmp_path / f"endpoints-rasa{n}.yml").read_text()) for n in (1, 2)]
    assert [e["action_endpoint"]["url"] for e in endpoints] == [
        "http://127.0.0.1:5055/webhook",
        "http://127.0.0.1:5056/webhook",
    ]
    assert endpoints[0]["tracker_store"] == endpoints[1]["tracker_store"]
    assert endpoints[0]["tracker_store"]["db"] == "kefu_rasa"
    assert endpoints[0]["lock_store"]["type"] == "redis"
    commands = {p.name: p.command for p in layout.programs}
    for n, rasa_port, action_port in [(1, 5005, 5055), (2, 5006, 5056)]:
        assert f"-p {rasa_port} " in commands[f"rasa{n}"]
        assert f"endpoints-rasa{n}.yml" in commands[f"rasa{n}"]
        assert commands[f"actions{n}"].endswith(f"--port {action_port}")


def test_api_and_job_workers_share_postgresql_and_redis_behind_nginx(layout):
    names = [p.name for p in layout.programs]
    bots = ["rasa1", "rasa2", "actions1", "actions2"]
    assert sorted(names) == sorted(["redis", *bots, "worker1", "worker2", "api1", "api2", "nginx"])
    commands = {p.name: p.command for p in layout.programs}
    assert commands["api1"].endswith("--port 8001")
    assert commands["api2"].endswith("--port 8002")
    key = layout.env.pop("CLIENT_DIGEST_KEY")  # one for every API worker
    assert len(key) >= 16
    assert layout.env == {
        "RASA_INSTANCES": "2",
        "JOBS_URL": "redis://127.0.0.1:6379/0",
        "RATE_LIMIT_URL": "redis://127.0.0.1:6379/2",
        "PUSH_URL": "redis://127.0.0.1:6379/3",
    }
    assert list(layout.ready)[:3] == ["api1", "api2", "nginx"]  # nginx once its workers answer


def test_nginx_streams_events_unbuffered_and_passes_a_refused_request_on(layout, tmp_path):
    config = (tmp_path / "nginx" / "nginx.conf").read_text()
    assert "server 127.0.0.1:8001 max_fails=1 fail_timeout=5s;" in config
    assert "server 127.0.0.1:8002 max_fails=1 fail_timeout=5s;" in config
    assert "listen 127.0.0.1:8000;" in config
    events = config.split(f"location ~ {scaled.SSE_ROUTE}")[1]
    assert "proxy_buffering off;" in events
    assert "proxy_read_timeout 1h;" in events
    # a request is passed to the next worker only when it was never sent (POST: not doubled)
    assert "proxy_next_upstream error timeout;" in config
    assert "non_idempotent" not in config


@pytest.mark.skipif(scaled.nginx_binary() is None, reason="nginx is not installed")
def test_nginx_accepts_the_configuration(layout, tmp_path):
    nginx = scaled.nginx_binary()
    assert nginx is not None
    folder = tmp_path / "nginx"
    checked = subprocess.run(
        [nginx, "-t", "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", "stderr"],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr


def test_api_workers_on_several_hosts_take_the_rasa_servers_from_rasa_server_urls(monkeypatch):
    monkeypatch.setenv("RASA_SERVER_URLS", '["http://10.0.1.11:5005/", "http://10.0.1.12:5005"]')
    assert Settings().rasa_urls == ["http://10.0.1.11:5005", "http://10.0.1.12:5005"]
    monkeypatch.delenv("RASA_SERVER_URLS")
    assert Settings(rasa_instances=2).rasa_urls == [
        "http://127.0.0.1:5005",
        "http://127.0.0.1:5006",
    ]

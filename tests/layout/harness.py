"""The multi-worker layout (`python -m scripts.run --scaled`) on ports and files of its own, for
the fault tests (test_faults.py): shoppers talking to it through nginx, each from a loopback
address of its own as real shoppers (bench/shoppers.py), the agent desk, supervisorctl, and a
local webhook receiving the 中差评 alerts its job workers send.

Its ports (API_PORT 18000 with the API workers on 18001-18002, RASA_PORT 15005-15006,
ACTION_PORT 15055-15056, REDIS_PORT 16379) and its files (KEFU_RUN_DIR: supervisord's
configuration, socket and logs, nginx's, the endpoints files) stay clear of a `make run` or a
`--scaled` run on the default ones. The database is LAYOUT_DATABASE_URL's, emptied at each
start; the Rasa servers keep their trackers in `<database>_rasa` beside it.
"""

import itertools
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from accounts.models import Role
from core.settings import Settings
from tests.connectors.alerts.receivers import WEBHOOK, RobotReceiver
from tests.staff import add_user_with_token
from words.render import Button, button, phrase

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
PORTS = {"API_PORT": 18000, "RASA_PORT": 15005, "ACTION_PORT": 15055, "REDIS_PORT": 16379}
READY_TIMEOUT_S = 300  # both Rasa servers load their model at once on 2 cores: 1-2 minutes
STOP_TIMEOUT_S = 60  # supervisord's stop: 15 s per program at most (scripts/supervise.py)
ADMIN = "故障演练"
AGENT = "值班客服"
# where this machine keeps models and data: passed on to the layout as they are
MACHINE_SETTINGS = {
    "REVIEWS_MODEL_DIR",
    "REVIEWS_DATA_DIR",
    "REAL_CHATS_FILE",
    "REVIEWS_GOODS_CAUSES",
}
WEBHOOK_SECRET = "layout-webhook-secret"
# What a Rasa server is asked to prove it answers: an FAQ question, which its action server
# answers (a greeting would be answered without the action server).
NEEDS_ACTIONS = "发票怎么开"
APOLOGY = phrase("bot_unavailable")
HUMAN_BUTTON = button(Button.HUMAN)


def addresses() -> Iterator[str]:
    """127.1.0.2, 127.1.0.3, …: a loopback address of its own for each shopper (Linux answers
    the whole 127.0.0.0/8), so the per-client limits count each as the shopper it plays."""
    for n in itertools.count():
        yield f"127.1.{n // 250 % 250}.{n % 250 + 2}"


_ADDRESSES = addresses()


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


@dataclass
class Answer:
    """What one shopper message got back through nginx."""

    text: str
    status: int | None  # None: no HTTP answer at all (a connection error)
    seconds: float
    replies: list[dict[str, Any]] = field(default_factory=list)
    handled_by: str | None = None
    error: str | None = None  # the body of a non-2xx answer, or the connection error

    @property
    def apology(self) -> bool:
        """The gateway's apology with the button for a human (the bot did not answer)."""
        return any(
            reply.get("text") == APOLOGY and HUMAN_BUTTON in reply.get("buttons", [])
            for reply in self.replies
        )

    @property
    def from_bot(self) -> bool:
        """A 200 with the bot's own replies (not the apology)."""
        return self.status == 200 and bool(self.replies) and not self.apology


class Shopper:
    """One conversation, started through nginx from an address of its own."""

    def __init__(self, base_url: str) -> None:
        self.address = next(_ADDRESSES)
        self.client = httpx.Client(
            base_url=base_url,
            transport=httpx.HTTPTransport(local_address=self.address),
            timeout=30,
        )
        started = self.client.post("/api/chat")
        started.raise_for_status()
        issued = started.json()
        self.id: str = issued["id"]
        self.headers = {"X-Chat-Secret": issued["secret"]}
        self.sent: list[str] = []  # every message it sent, answered or not

    def say(self, message: str) -> Answer:
        self.sent.append(message)
        start = time.monotonic()
        try:
            response = self.client.post(
                f"/api/chat/{self.id}/messages", json={"text": message}, headers=self.headers
            )
        except httpx.HTTPError as exc:
            return Answer(message, None, time.monotonic() - start, error=repr(exc))
        seconds = time.monotonic() - start
        if not response.is_success:
            return Answer(message, response.status_code, seconds, error=response.text[:300])
        body = response.json()
        return Answer(message, 200, seconds, body["replies"], body["handled_by"])

    def stream(self, api_url: str) -> "EventStream":
        """The shopper's SSE stream, held by the API worker at `api_url`."""
        return EventStream(f"{api_url}/api/chat/{self.id}/events", self.address, self.headers)

    def close(self) -> None:
        self.client.close()


class EventStream:
    """A shopper's open SSE stream, read in a thread: when each message arrived."""

    def __init__(self, url: str, address: str, headers: dict[str, str]) -> None:
        self.arrived: dict[str, float] = {}  # message text -> time.monotonic() of its event
        self.status: int | None = None
        self._opened = threading.Event()
        self._client = httpx.Client(
            transport=httpx.HTTPTransport(local_address=address),
            timeout=httpx.Timeout(10, read=None),
        )
        self._thread = threading.Thread(target=self._read, args=(url, headers), daemon=True)
        self._thread.start()
        if not self._opened.wait(10) or self.status != 200:
            raise AssertionError(f"the event stream {url} did not open: {self.status}")

    def _read(self, url: str, headers: dict[str, str]) -> None:
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                self.status = response.status_code
                self._opened.set()
                for line in response.iter_lines():
                    if line.startswith("data:"):
                        self.arrived[json.loads(line[5:])["text"]] = time.monotonic()
        except (httpx.HTTPError, RuntimeError, ValueError):
            pass  # closed by `close`, or by the worker
        finally:
            self._opened.set()

    def wait_for(self, message: str, timeout_s: float) -> float | None:
        """When `message` arrived (time.monotonic()), waiting up to `timeout_s`; None if not."""
        deadline = time.monotonic() + timeout_s
        while message not in self.arrived and time.monotonic() < deadline:
            time.sleep(0.005)
        return self.arrived.get(message)

    def close(self) -> None:
        self._client.close()


class HeldWebhook(RobotReceiver):
    """The generic signed webhook (reviews/alert_channels.yaml), which can hold the next request
    it gets until told to answer: the job sending it is then caught mid-send."""

    def __init__(self) -> None:
        super().__init__(WEBHOOK, WEBHOOK_SECRET)
        self._server.handle_error = self._quiet  # type: ignore[method-assign]
        self._to_hold = 0
        self.holding = threading.Event()
        self._release = threading.Event()

    def hold_next(self) -> None:
        with self._changed:
            self._to_hold = 1
            self.holding.clear()
            self._release.clear()

    def release(self) -> None:
        self._release.set()

    def _receive(self, at: float, path: str, headers: dict[str, str], raw: bytes) -> Any:
        with self._changed:
            hold = self._to_hold > 0
            self._to_hold -= int(hold)
        if hold:
            self.holding.set()
            self._release.wait(30)
        return super()._receive(at, path, headers, raw)

    def close(self) -> None:
        self.release()
        super().close()

    def _quiet(self, request: object, address: object) -> None:
        """The answer to a held request whose sender was killed meanwhile finds its
        connection closed: expected here, not worth a traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            ThreadingHTTPServer.handle_error(self._server, request, address)  # type: ignore[arg-type]


class Layout:
    """`python -m scripts.run --scaled` as a child process in a session of its own."""

    def __init__(self, folder: Path, database_url: str, webhook: HeldWebhook) -> None:
        self.folder = folder
        self.database_url = database_url
        self.webhook = webhook
        self.admin_token = secrets.token_urlsafe(16)  # imports reviews
        self.agent_token = secrets.token_urlsafe(16)  # reads and answers conversations
        self.config = folder / "supervisord.conf"
        self.log = folder / "run.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.engine: Engine = create_engine(database_url, pool_pre_ping=True)
        api, rasa, action = PORTS["API_PORT"], PORTS["RASA_PORT"], PORTS["ACTION_PORT"]
        self.url = f"http://{HOST}:{api}"  # nginx
        self.api_urls = [f"http://{HOST}:{api + n}" for n in (1, 2)]
        self.rasa_urls = [f"http://{HOST}:{rasa + n}" for n in (0, 1)]
        self.action_urls = [f"http://{HOST}:{action + n}" for n in (0, 1)]
        self.ports = [api, api + 1, api + 2, rasa, rasa + 1, action, action + 1]
        self.ports.append(PORTS["REDIS_PORT"])

    # --- starting and stopping

    def environment(self) -> dict[str, str]:
        """This process's environment without the app's settings that wire a layout (a
        developer's DATABASE_URL, ports, ALERT_* channels, the suite's TEST_DATABASE_URL …),
        then the layout's. Where this machine keeps its data passes (the Rasa model's name
        depends on the review corpus it finds, scripts/bot_model.py)."""
        settings = {name.upper() for name in Settings.model_fields} - MACHINE_SETTINGS
        env = {
            key: value
            for key, value in os.environ.items()
            if key.upper() not in settings
            and not key.startswith(("ALERT_", "QUEUE_SINK_", "KEFU_", "TEST_DATABASE"))
        }
        tracker = make_url(self.database_url)
        tracker = tracker.set(database=f"{tracker.database}_rasa")
        return {
            **env,
            **{name: str(port) for name, port in PORTS.items()},
            "HOST": HOST,
            "KEFU_RUN_DIR": str(self.folder),
            "DATABASE_URL": self.database_url,
            "RASA_TRACKER_DB_URL": tracker.render_as_string(hide_password=False),
            "ALERT_WEBHOOK_URL": self.webhook.url,
            "ALERT_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "OUTBOX_SWEEP_S": "1",  # a dead worker's rows are given back within a second
            # the shoppers here write faster than a person (30 a minute per conversation)
            "CHAT_MESSAGE_RATE_LIMIT": "300/minute",
            "PYTHONUNBUFFERED": "1",
        }

    def start(self) -> None:
        busy = [port for port in self.ports if listening(port)]
        if busy:
            raise RuntimeError(
                f"ports {busy} are taken: another layout test runs, or something else listens"
                " there (tests/layout/harness.py PORTS)"
            )
        self._empty_database()
        log = self.log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "scripts.run", "--scaled"],
            cwd=ROOT,
            env=self.environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own session: what is left of it is found by its id
        )
        log.close()
        self.wait_until_ready(READY_TIMEOUT_S)
        with Session(self.engine) as session, session.begin():  # migrated by scripts.run
            add_user_with_token(session, Role.ADMIN, ADMIN, self.admin_token)
            add_user_with_token(session, Role.AGENT, AGENT, self.agent_token)

    def _empty_database(self) -> None:
        """A fresh shop each run (scripts.run migrates and seeds it): no order locked by an
        earlier run's wrong phone tails."""
        with self.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        self.engine.dispose()

    def stop(self) -> int | None:
        """Ctrl-C (SIGINT) to `scripts.run`, as in a terminal; its exit status (None if it did
        not stop in time, and then everything of it is killed)."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            for pid in self.left_running():
                _kill(pid)
            self.process.wait(10)
            return None
        finally:
            self.engine.dispose()

    def left_running(self) -> list[int]:
        """The processes of the layout's session still alive (the run, supervisord, every
        program and whatever they started)."""
        if self.process is None:
            return []
        return [pid for pid in _pids() if _session(pid) == self.process.pid]

    # --- supervisord

    def ctl(self, *args: str) -> str:
        done = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "supervisorctl"), "-c", str(self.config), *args],
            capture_output=True,
            text=True,
            timeout=60,
        )
        return done.stdout.strip()

    def pid(self, program: str) -> int:
        """The program's pid now (0 while it is not running)."""
        out = self.ctl("pid", program)
        return int(out) if out.isdigit() else 0

    def states(self) -> dict[str, str]:
        lines = self.ctl("status").splitlines()
        return {line.split()[0]: line.split()[1] for line in lines if len(line.split()) > 1}

    # --- readiness

    def problems(self) -> list[str]:
        """What does not answer as it should (empty: everything is up)."""
        if self.process is not None and self.process.poll() is not None:
            raise RuntimeError(f"scripts.run exited ({self.process.returncode}):\n{self.tail()}")
        found = [f"{name} {state}" for name, state in self.states().items() if state != "RUNNING"]
        if not self.states():
            found.append("supervisord does not answer yet")
        for url in [self.url, *self.api_urls]:
            if not _ok(f"{url}/healthz"):
                found.append(f"{url}/healthz")
        for url in self.action_urls:
            if not _ok(f"{url}/health"):
                found.append(f"{url}/health")
        for url in self.rasa_urls:
            if not self.rasa_answers(url):
                found.append(f"{url} (Rasa)")
        return found

    def wait_until_ready(self, timeout_s: float = 120) -> None:
        deadline = time.monotonic() + timeout_s
        while found := self.problems():
            if time.monotonic() > deadline:
                raise AssertionError(f"not ready after {timeout_s:.0f} s: {found}\n{self.tail()}")
            time.sleep(1)

    def rasa_answers(self, rasa_url: str) -> bool:
        """Whether that Rasa server, with its action server, answers a message by itself."""
        try:
            response = httpx.post(
                f"{rasa_url}/webhooks/rest/webhook",
                json={"sender": unique("probe-"), "message": NEEDS_ACTIONS},
                timeout=10,
            )
            return response.status_code == 200 and bool(response.json())
        except (httpx.HTTPError, ValueError):
            return False

    def tail(self, lines: int = 60) -> str:
        if not self.log.exists():
            return ""
        text_lines = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        return "\n".join(text_lines[-lines:])

    # --- shoppers and agents

    def shopper(self) -> Shopper:
        return Shopper(self.url)

    def _admin(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.admin_token}"}

    def _agent(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.agent_token}"}

    def transcript(self, conversation_id: str) -> list[dict[str, Any]]:
        """The conversation as the agent desk shows it."""
        response = httpx.get(
            f"{self.url}/api/agent/conversations/{conversation_id}",
            headers=self._agent(),
            timeout=30,
        )
        response.raise_for_status()
        messages: list[dict[str, Any]] = response.json()["messages"]
        return messages

    def shopper_lines(self, conversation_id: str) -> list[str]:
        return [m["text"] for m in self.transcript(conversation_id) if m["sender"] == "shopper"]

    def agent_reply(self, api_url: str, conversation_id: str, reply: str) -> int:
        response = httpx.post(
            f"{api_url}/api/agent/conversations/{conversation_id}/messages",
            json={"text": reply},
            headers=self._agent(),
            timeout=30,
        )
        return response.status_code

    def post_review(self, review_id: str, review: str) -> dict[str, Any]:
        response = httpx.post(
            f"{self.url}/api/reviews",
            json={"review_id": review_id, "platform": "taobao", "text": review, "rating": 1},
            headers=self._admin(),
            timeout=30,
        )
        response.raise_for_status()
        analysis: dict[str, Any] = response.json()[0]
        return analysis

    def query(self, sql: str, **params: Any) -> list[Any]:
        with self.engine.connect() as connection:
            return list(connection.execute(text(sql), params).all())


def wait_until(check: Callable[[], Any], timeout_s: float, what: str) -> float:
    """Seconds until `check()` is truthy, polled every 0.2 s; AssertionError after timeout_s."""
    start = time.monotonic()
    while not check():
        if time.monotonic() - start > timeout_s:
            raise AssertionError(f"{what}: not within {timeout_s:.0f} s")
        time.sleep(0.2)
    return time.monotonic() - start


def _ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


def listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, port)) == 0


def _pids() -> list[int]:
    return [int(entry.name) for entry in Path("/proc").iterdir() if entry.name.isdigit()]


def _session(pid: int) -> int | None:
    """The session id of a process (field 6 of /proc/PID/stat), None once it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
    return int(fields[3]) if fields[0] != "Z" else None  # a zombie has stopped already


def gone(pid: int) -> bool:
    """Whether the process has ended (a zombie not yet reaped has)."""
    return _session(pid) is None


def _kill(pid: int) -> None:
    with suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)

"""A live API server and a stand-in Rasa server on free local ports, and a headless Chromium.

The browser is Debian's chromium (no browser download); the tests skip with a clear message
where it is missing (`make test` installs it when run as root).
"""

import shutil
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from accounts.models import Role
from conversations.models import EscalationReason
from conversations.service import hand_over
from core.database import unit_of_work
from core.settings import get_settings
from tests.staff import PASSWORD, STAFF

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _fake_rasa_webhook(request: Request) -> JSONResponse:
    """Answers like Rasa's REST channel: hands over on 转人工, otherwise echoes with a button."""
    body = await request.json()
    sender, text = body["sender"], body["message"]
    if text in ("转人工", "/request_human"):
        with unit_of_work() as session:
            hand_over(session, sender, reason=EscalationReason.SHOPPER_ASKED, detail=text)
        return JSONResponse([{"recipient_id": sender, "text": "好的，马上为您转接人工客服。"}])
    button = {"title": "转人工客服", "payload": "/request_human"}
    return JSONResponse([{"recipient_id": sender, "text": f"收到：{text}", "buttons": [button]}])


class _Server(uvicorn.Server):
    def install_signal_handlers(self) -> None:  # run in a thread
        pass


def _serve(app, port: int) -> _Server:
    server = _Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    return server


@pytest.fixture(scope="session")
def live_server(seeded_at) -> Iterator[str]:
    from api.main import app

    rasa_port, api_port = _free_port(), _free_port()
    fake_rasa = Starlette(
        routes=[Route("/webhooks/rest/webhook", _fake_rasa_webhook, methods=["POST"])]
    )
    settings = get_settings()
    original = settings.rasa_port
    settings.rasa_port = rasa_port
    servers = [_serve(fake_rasa, rasa_port), _serve(app, api_port)]
    yield f"http://127.0.0.1:{api_port}"
    for server in servers:
        server.should_exit = True
    settings.rasa_port = original


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not shutil.which(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def login(page, live_server: str, role: Role, next_path: str = "") -> None:
    """Sign `page` in through the login form as the test user with `role`; waits until the
    role's first page (or `next_path`) has loaded."""
    login_name = STAFF[role][0]
    page.goto(f"{live_server}/login" + (f"?next={next_path}" if next_path else ""))
    page.fill("#login", login_name)
    page.fill("#password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("header.topbar .who")


@pytest.fixture
def staff_context(browser):
    """Opens browser contexts (desktop-sized, zh-CN); closes them after the test."""
    contexts = []

    def open_context(**options):
        context = browser.new_context(
            viewport={"width": 1280, "height": 800}, locale="zh-CN", **options
        )
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()

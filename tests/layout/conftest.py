"""One multi-worker layout for the whole fault module, started once and stopped at its end.

Skipped, with the reason, unless LAYOUT_DATABASE_URL names a PostgreSQL database the tests may
empty, migrate and seed (its `<database>_rasa` beside it: created by the layout when the role
may, else in advance as .ci/run does), and nginx, redis-server, the Rasa environment and the
current Rasa model are on this machine (docs/deployment.md, "The fault tests").
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from scripts.bot_model import model_path
from scripts.scaled import nginx_binary
from tests.layout.harness import ROOT, HeldWebhook, Layout


def skip_reason() -> str | None:
    url = os.environ.get("LAYOUT_DATABASE_URL", "")
    if not url:
        return (
            "LAYOUT_DATABASE_URL is not set: the fault tests start the whole multi-worker layout"
            " on a PostgreSQL database of their own (docs/deployment.md)"
        )
    if make_url(url).get_backend_name() != "postgresql":
        return "LAYOUT_DATABASE_URL must name a PostgreSQL database (--scaled needs one)"
    if nginx_binary() is None:
        return "nginx is not installed (Debian package nginx): the layout's load balancer"
    if shutil.which("redis-server") is None:
        return "redis-server is not installed (Debian package redis-server)"
    if not (ROOT / ".venv-rasa" / "bin" / "python").exists():
        return "the Rasa environment .venv-rasa is missing (make setup)"
    model = model_path()
    if not model.exists():
        return f"no Rasa model {model.relative_to(ROOT)} for this checkout: make train"
    return None


@pytest.fixture(scope="module")
def webhook() -> Iterator[HeldWebhook]:
    with HeldWebhook() as receiver:
        yield receiver


@pytest.fixture(scope="module")
def layout(tmp_path_factory: pytest.TempPathFactory, webhook: HeldWebhook) -> Iterator[Layout]:
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    folder: Path = tmp_path_factory.mktemp("layout")
    started = Layout(folder, os.environ["LAYOUT_DATABASE_URL"], webhook)
    try:
        started.start()
        yield started
    finally:
        if started.process is not None:  # (the last test stops it already)
            status = started.stop()
            left = started.left_running()
            assert status is not None, f"the layout did not stop within a minute:\n{started.tail()}"
            assert not left, f"still running after the layout stopped: {left}"

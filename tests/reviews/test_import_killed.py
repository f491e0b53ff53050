"""A review import killed with SIGKILL halfway: a re-run completes it, nothing lost or doubled.

Runs `python -m reviews import` as the shop would, on a database of its own (a scratch schema
on PostgreSQL when TEST_DATABASE_URL names one), through tests/jobs/harness.py's stack.
"""

import csv
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import text

from tests.jobs.harness import ROOT, AlertStack

pytestmark = pytest.mark.database  # the stack reads TEST_DATABASE_URL

ROWS = 6000
PRODUCTS = ["保温杯", "蓝牙耳机", "羽绒服", "大米", "猫粮", "台灯"]
COMPLAINTS = ["用了两天就坏了", "快递太慢", "客服不理人", "比别家贵", "颜色和图片不一样", "挺好的"]


def write_export(path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["review_id", "text", "rating", "product_id"])
        for n in range(ROWS):
            product, complaint = PRODUCTS[n % 6], COMPLAINTS[(n // 6) % 6]
            rating = 5 if complaint == "挺好的" else 1 + n % 3
            writer.writerow([f"K{n}", f"买的{product}{complaint}，第{n}单", rating, f"P{n % 6}"])


def stored(stack: AlertStack) -> tuple[int, int]:
    """(reviews stored, reviews stored with their analysis)."""
    with stack.engine.connect() as db:
        reviews = db.execute(text("select count(*) from reviews")).scalar_one()
        analysed = db.execute(
            text("select count(distinct review_id) from review_analyses")
        ).scalar_one()
    return reviews, analysed


def test_an_import_killed_halfway_completes_on_a_re_run_without_loss_or_duplicates(tmp_path):
    export = tmp_path / "export.csv"
    write_export(export)
    command = [sys.executable, "-m", "reviews", "import", str(export), "--platform", "taobao"]
    with AlertStack(tmp_path) as stack:
        first = subprocess.Popen(
            command, cwd=ROOT, env=stack.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 120
        while stored(stack)[0] < ROWS // 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        first.send_signal(signal.SIGKILL)
        first.wait()
        halfway = stored(stack)[0]
        assert 0 < halfway < ROWS, "the kill must land mid-import"

        subprocess.run(command, cwd=ROOT, env=stack.env, check=True, capture_output=True)
        assert stored(stack) == (ROWS, ROWS)

        subprocess.run(command, cwd=ROOT, env=stack.env, check=True, capture_output=True)
        assert stored(stack) == (ROWS, ROWS)  # importing the same export again adds nothing

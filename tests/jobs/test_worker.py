"""The real worker (`python -m jobs`): reviews imported by the CLI reach all five channels,
each in exactly one message, through a worker killed mid-run and a channel that fails for a
while. (A message the killed worker was sending at that instant may arrive again, the same
message: no system can know whether the receiver took it. docs/jobs.md.)"""

import random
import shutil
import time

import pytest

from tests.connectors.alerts.receivers import Failure
from tests.jobs.harness import AlertStack

pytestmark = pytest.mark.database  # the stack reads TEST_DATABASE_URL

COMPLAINTS = [
    "手机用了{}天就黑屏了，客服也不理人",
    "快递{}天才到，箱子都压扁了",
    "买完第{}天就降价了，也不给价保",
    "假货，用了{}次就过敏了，我要投诉到12315",
    "衣服洗了{}次就掉色，质量太差",
]


def _complaints(n: int, offset: int = 0) -> list[str]:
    return [COMPLAINTS[i % len(COMPLAINTS)].format(i + offset + 2) for i in range(n)]


def test_every_alert_arrives_exactly_once_through_a_killed_worker_and_a_failing_channel(
    tmp_path,
):
    with AlertStack(tmp_path) as stack:  # a killed worker: known dead, no lease to wait out
        stack.robots["feishu"].fail(Failure.http(503), times=3)  # down for a while
        stack.start_worker()
        stack.import_reviews(_complaints(40))
        time.sleep(random.uniform(0.3, 1.5))
        stack.kill_worker()  # whatever it held, it acknowledged nothing
        stack.import_reviews(_complaints(40, offset=40), first_id=41)
        stack.start_worker()

        assert stack.wait_until_delivered(timeout_s=90)
        time.sleep(2)  # anything sent twice would have arrived by now
        expected, distinct = stack.expected(), stack.distinct_coverage()
        for channel, wanted in expected.items():
            assert set(distinct[channel]) == set(wanted), channel
            assert set(distinct[channel].values()) == {1}, f"{channel}: a review in two messages"
        assert len(expected["webhook"]) >= 60  # the complaints are negative
        assert expected["email"]  # 1 star: medium, which email asks for
        for robot in ("wecom", "dingtalk"):  # 20 a minute, never exceeded: bursts are digests
            assert all(r.accepted for r in stack.robots[robot].requests)
        assert [r.status for r in stack.robots["feishu"].requests[:3]] == [503, 503, 503]


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")
def test_two_workers_share_a_redis_queue_and_the_robots_limits(tmp_path):
    with AlertStack(tmp_path, redis=True) as stack:
        stack.start_worker()
        stack.start_worker()
        stack.import_reviews(_complaints(30))
        stack.import_reviews(_complaints(30, offset=30), first_id=31)
        time.sleep(random.uniform(0.2, 1.0))
        stack.kill_worker(0)
        stack.import_reviews(_complaints(30, offset=60), first_id=61)

        assert stack.wait_until_delivered(timeout_s=90)
        time.sleep(2)
        expected, distinct = stack.expected(), stack.distinct_coverage()
        for channel, wanted in expected.items():
            assert set(distinct[channel]) == set(wanted), channel
            assert set(distinct[channel].values()) == {1}, f"{channel}: a review in two messages"
        for robot in ("wecom", "dingtalk", "feishu"):  # one window for both workers: no refusal
            assert all(r.accepted for r in stack.robots[robot].requests), robot


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")
def test_two_workers_on_one_redis_queue_run_each_periodic_job_once_a_minute(tmp_path):
    """Both workers' schedulers look at the minute they start in (Huey's first look is at
    once); one of them queues the pass (jobs.periodic)."""
    while time.time() % 60 > 40:  # both first looks must fall in one minute
        time.sleep(1)
    with AlertStack(tmp_path, redis=True) as stack:
        stack.start_worker()
        stack.start_worker()
        logs = [tmp_path / "worker0.log", tmp_path / "worker1.log"]
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not all(
            "consumer started" in log.read_text() for log in logs
        ):
            time.sleep(0.2)
        time.sleep(3)  # the first look and the passes it queued are done
        text = "".join(log.read_text() for log in logs)
    assert all("consumer started" in log.read_text() for log in logs)
    assert text.count("Executing jobs.tasks.read_complaints_every_minute") == 1

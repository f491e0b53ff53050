"""`make run`'s supervisor: a dead program is restarted, one that keeps dying is stopped and
reported, every line reaches the terminal with its program's name, one Ctrl-C stops all."""

import io
import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
import xmlrpc.client
from pathlib import Path

import pytest

from scripts.supervise import Program, supervisor_config
from scripts.supervisor_events import Console, Deaths, listen

ROOT = Path(__file__).resolve().parents[2]


class Output:
    """The lines a process prints, collected as they come."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        assert process.stdout is not None
        self._reader = threading.Thread(target=self._read, args=(process.stdout,), daemon=True)
        self._reader.start()

    def _read(self, stream: io.TextIOBase) -> None:
        for line in stream:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout_s: float = 20, after: int = 0) -> re.Match[str]:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for line in self.lines[after:]:
                if found := re.search(pattern, line):
                    return found
            time.sleep(0.05)
        raise AssertionError(f"no line matching {pattern!r} in:\n" + "\n".join(self.lines))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_killed_program_is_restarted_and_one_ctrl_c_stops_everything(tmp_path):
    layout = tmp_path / "layout.py"
    layout.write_text(
        textwrap.dedent(f"""
            import os, sys
            from pathlib import Path
            from scripts.supervise import Program, run

            sleeper = "import os, time; print('你好', os.getpid(), flush=True); time.sleep(60)"
            sys.exit(run(
                [Program("sleeper", f'{{sys.executable}} -c "{{sleeper}}"', start_s=1)],
                os.environ,
                Path({str(tmp_path / "var" / "supervisord.conf")!r}),
            ))
        """),
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [sys.executable, str(layout)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = Output(process)
    try:
        first = int(output.wait_for(r"^\d\d:\d\d:\d\d sleeper \| 你好 (\d+)$")[1])
        os.kill(first, signal.SIGKILL)
        output.wait_for(rf"^==> sleeper \(pid {first}\) died: restarting it$")
        second = int(output.wait_for(rf"sleeper \| 你好 (?!{first}$)(\d+)$")[1])
        output.wait_for(rf"^==> sleeper is running again \(pid {second}\)$")

        process.send_signal(signal.SIGINT)  # what `pkill -INT -f scripts.run` sends
        assert process.wait(20) == 0
    finally:
        if process.poll() is None:
            process.kill()
    assert not _alive(second)


class FakeSupervisor:
    def __init__(self, refuse: int = 0) -> None:
        self.stopped: list[str] = []
        self.refuse = refuse  # how many stops to refuse (the program between two states)

    def stopProcess(self, name: str, wait: bool) -> bool:  # noqa: N802 (supervisord's name)
        if self.refuse:
            self.refuse -= 1
            raise xmlrpc.client.Fault(70, "NOT_RUNNING")
        self.stopped.append(name)
        return True


def _exited(deaths: Deaths, name: str, pid: int) -> None:
    deaths.state("PROCESS_STATE_EXITED", {"processname": name, "expected": "0", "pid": str(pid)})


def test_a_program_that_keeps_dying_is_stopped_and_reported():
    out = io.StringIO()
    supervisor = FakeSupervisor(refuse=1)
    deaths = Deaths(Console(["rasa1"], out, colour=False), supervisor, limit=3, window_s=60)
    for pid in (1, 2):
        _exited(deaths, "rasa1", pid)
    assert supervisor.stopped == []
    _exited(deaths, "rasa1", 3)  # the third death within the window: stop it
    assert "rasa1 died 3 times within 60 s: stopped, not restarted again" in out.getvalue()
    assert supervisor.stopped == []  # it was between two states: stopped when it starts again
    deaths.state("PROCESS_STATE_STARTING", {"processname": "rasa1"})
    assert supervisor.stopped == ["rasa1"]


def test_a_program_of_a_group_is_stopped_by_its_group_and_name():
    supervisor = FakeSupervisor()
    deaths = Deaths(Console([], io.StringIO(), colour=False), supervisor, limit=1, window_s=60)
    deaths.state(
        "PROCESS_STATE_EXITED",
        {"processname": "kefu-api-1", "groupname": "kefu", "expected": "0", "pid": "7"},
    )
    assert supervisor.stopped == ["kefu:kefu-api-1"]


def test_deaths_further_apart_than_the_window_are_restarted_every_time():
    supervisor = FakeSupervisor()
    deaths = Deaths(Console(["api"], io.StringIO(), colour=False), supervisor, 2, window_s=0.05)
    for pid in range(4):
        _exited(deaths, "api", pid)
        time.sleep(0.06)
    assert supervisor.stopped == []


def test_output_is_printed_line_by_line_with_the_program_name():
    out = io.StringIO()
    console = Console(["api", "rasa1"], out, colour=False)
    payloads = [
        ("api", "INFO: 启动\nhalf a "),
        ("rasa1", "加载模型\r\n"),
        ("api", "line\n"),
    ]
    stdin = "".join(
        f"ver:3.0 server:supervisor serial:{n} pool:console poolserial:{n} "
        f"eventname:PROCESS_LOG_STDOUT len:{len(payload)}\n{payload}"
        for n, payload in enumerate(
            f"processname:{name} groupname:{name} pid:1 channel:stdout\n{data}"
            for name, data in payloads
        )
    )  # supervisord counts a payload's length in characters
    replies = io.StringIO()
    listen(io.StringIO(stdin, newline=""), replies, console, Deaths(console, FakeSupervisor()))
    lines = [line.split(" ", 1)[1] for line in out.getvalue().splitlines()]
    assert lines == ["api   | INFO: 启动", "rasa1 | 加载模型", "api   | half a line"]
    assert replies.getvalue() == "READY\nRESULT 2\nOK" * 3 + "READY\n"


def test_the_configuration_restarts_every_program_and_escapes_what_supervisord_expands():
    config = supervisor_config(
        [Program("api", "uvicorn --log-config 100%.yaml", env={"A": "x%y"}, stop_signal="INT")],
        Path("/srv/kefu/var"),
        password="secret",
    )
    section = config.split("[program:api]")[1]
    assert "command=uvicorn --log-config 100%%.yaml" in section
    assert 'environment=A="x%%y"' in section
    for line in ("autorestart=true", "startretries=3", "stopsignal=INT", "stopasgroup=true"):
        assert line in section
    assert "stdout_logfile=/srv/kefu/var/log/api.log" in section
    assert "scripts.supervisor_events api" in config
    with pytest.raises(ValueError, match="quotes or commas"):
        supervisor_config([Program("api", "x", env={"J": '{"a": 1}'})])


def test_kefu_run_dir_moves_every_file_of_a_run_out_of_var(tmp_path):
    """A second run beside a developer's (the layout's fault tests, on other ports) shares no
    configuration, socket, log, nginx or endpoints file with it."""
    show = (
        "from scripts import scaled, supervise; "
        "print(supervise.CONFIG, scaled.NGINX_DIR, supervise.ctl_command(), sep='\\n')"
    )
    env = {k: v for k, v in os.environ.items() if k != "KEFU_RUN_DIR"}

    def shown(**extra: str) -> list[str]:
        return subprocess.run(
            [sys.executable, "-c", show],
            cwd=ROOT,
            env={**env, **extra},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()

    folder = tmp_path.resolve()
    assert shown(KEFU_RUN_DIR=str(folder)) == [
        str(folder / "supervisord.conf"),
        str(folder / "nginx"),
        f".venv/bin/supervisorctl -c {folder / 'supervisord.conf'}",
    ]
    assert shown() == [
        str(ROOT / "var" / "supervisord.conf"),
        str(ROOT / "var" / "nginx"),
        ".venv/bin/supervisorctl -c var/supervisord.conf",
    ]

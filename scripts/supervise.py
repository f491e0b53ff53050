"""Run a set of programs under supervisord: a dead one is restarted, one Ctrl-C stops them all.

`supervisor_config` writes the configuration (what `make run` and `--scaled` start, and what
docs/deployment.md shows for a server of one's own); `run` starts supervisord in the
foreground. Each program's output reaches the terminal prefixed with its name (the event
listener scripts/supervisor_events.py, which also stops a program that keeps dying) and is
kept in var/log/NAME.log. While it runs, `supervisorctl -c var/supervisord.conf status` shows
every program's state, pid and uptime, and `… restart NAME` restarts one.

A run's files (this configuration with its socket, pid file and logs; `--scaled`'s nginx and
endpoints files) go to var/, or to KEFU_RUN_DIR: a second run on other ports (the layout's
fault tests, tests/layout/) then shares none of them with the first.
"""

import os
import secrets
import signal
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from scripts.bot_model import ROOT

VAR = ROOT / "var"
RUN_DIR = Path(os.environ.get("KEFU_RUN_DIR") or VAR).resolve()
CONFIG = RUN_DIR / "supervisord.conf"
# A program that dies within its `start_s` has failed to start: supervisord waits 1 s, 2 s, 3 s
# before the next tries and gives up (FATAL) after this many in a row.
START_RETRIES = 3
STOP_WAIT_S = 15  # after the stop signal, SIGKILL


@dataclass(frozen=True)
class Program:
    name: str
    command: str
    # added to the environment supervisord passes on (short plain values: URLs with
    # passwords and JSON go through supervisord's own environment, see `run`)
    env: Mapping[str, str] = field(default_factory=dict)
    priority: int = 500  # lower starts first and stops last
    start_s: int = 5  # up this long: started (before: a failed start, retried with back-off)
    stop_signal: str = "TERM"


@dataclass(frozen=True)
class Layout:
    """What one `make run` starts: the programs, the environment they all get (on top of this
    process's), the addresses that answer once each is ready, and what to print then."""

    programs: list[Program]
    env: Mapping[str, str]
    ready: Mapping[str, str]  # name -> URL that answers once it is up
    summary: str


def _escaped(value: str) -> str:
    return value.replace("%", "%%")  # supervisord expands %(name)s in these values


def _environment(env: Mapping[str, str]) -> str:
    for key, value in env.items():
        if any(c in value for c in "\"',\n"):
            raise ValueError(f"{key}: pass values with quotes or commas in the environment")
    return ",".join(f'{key}="{_escaped(value)}"' for key, value in env.items())


def ctl_command(config: Path = CONFIG) -> str:
    """The supervisorctl command line for this run's programs (as the summaries print it)."""
    shown = config.relative_to(ROOT) if config.is_relative_to(ROOT) else config
    return f".venv/bin/supervisorctl -c {shown}"


def supervisor_config(programs: list[Program], folder: Path = RUN_DIR, password: str = "") -> str:
    """supervisord's configuration for these programs, its socket and logs in `folder`."""
    logs = folder / "log"
    names = " ".join(p.name for p in programs)
    password = password or secrets.token_hex(16)  # the socket is the user's alone anyway
    login = ["username=kefu", f"password={password}"]
    lines = [
        "; written by scripts/supervise.py at each start: edits are lost",
        "[supervisord]",
        "nodaemon=true",
        "loglevel=warn",  # deaths, stops and errors; starts and restarts: the listener says
        f"logfile={logs / 'supervisord.log'}",
        "logfile_maxbytes=5MB",
        "logfile_backups=2",
        f"pidfile={folder / 'supervisord.pid'}",
        f"childlogdir={logs}",
        f"directory={ROOT}",
        *(["user=root"] if os.getuid() == 0 else []),  # says so, rather than warn about it
        "",
        "[unix_http_server]",
        f"file={folder / 'supervisor.sock'}",
        "chmod=0700",
        *login,
        "",
        "[rpcinterface:supervisor]",
        "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface",
        "",
        "[supervisorctl]",
        f"serverurl=unix://{folder / 'supervisor.sock'}",
        *login,
        "",
        "[eventlistener:console]",
        f"command={sys.executable} -m scripts.supervisor_events {names}",
        f"directory={ROOT}",
        f'environment=SUPERVISOR_USERNAME="kefu",SUPERVISOR_PASSWORD="{password}"',
        "events=PROCESS_LOG,PROCESS_STATE",
        "buffer_size=10000",
        "priority=1",
        "autorestart=true",
        "stdout_logfile=NONE",
        "stderr_logfile=/dev/stdout",  # what it prints: supervisord's output, see `run`
        "stderr_logfile_maxbytes=0",
        "",
    ]
    for program in programs:
        lines += [
            f"[program:{program.name}]",
            f"command={_escaped(program.command)}",
            f"directory={ROOT}",
            *([f"environment={_environment(program.env)}"] if program.env else []),
            f"priority={program.priority}",
            "autostart=true",
            "autorestart=true",
            f"startsecs={program.start_s}",
            f"startretries={START_RETRIES}",
            f"stopsignal={program.stop_signal}",
            f"stopwaitsecs={STOP_WAIT_S}",
            "stopasgroup=true",
            "killasgroup=true",
            "redirect_stderr=true",
            f"stdout_logfile={logs / program.name}.log",
            "stdout_logfile_maxbytes=10MB",
            "stdout_logfile_backups=1",
            "stdout_events_enabled=true",  # to the listener: the terminal
            "",
        ]
    return "\n".join(lines)


def run(programs: list[Program], env: Mapping[str, str], config: Path = CONFIG) -> int:
    """Run the programs until Ctrl-C (or SIGTERM); supervisord's exit status.

    supervisord's output (its own log and, through the listener, the programs') comes through
    a pipe and is copied to this process's stdout: supervisord opening /dev/stdout itself
    would, on a file, write over this process's lines (two offsets into one file)."""
    (config.parent / "log").mkdir(parents=True, exist_ok=True)
    config.write_text(supervisor_config(programs, config.parent), encoding="utf-8")
    config.chmod(0o600)  # it holds the socket's password
    supervisord = subprocess.Popen(
        [str(Path(sys.executable).parent / "supervisord"), "-c", str(config)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={
            **env,
            "KEFU_SUPERVISOR_CONF": str(config),
            "KEFU_COLOUR": "1" if sys.stdout.isatty() else "0",
        },
    )

    def stop(_signum: int, _frame: FrameType | None) -> None:
        # Ctrl-C reaches supervisord too (the terminal signals the foreground group); a signal
        # sent to this process alone (`pkill -INT -f scripts.run`) is passed on.
        if supervisord.poll() is None:
            supervisord.send_signal(signal.SIGTERM)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    assert supervisord.stdout is not None
    try:
        for line in supervisord.stdout:
            sys.stdout.buffer.write(line)
            sys.stdout.buffer.flush()
        return supervisord.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

"""supervisord's event listener for `make run`: every program's output with its name, and a
program that keeps dying stopped and reported instead of restarted forever.

supervisord restarts a program that dies (autorestart) and gives up on one that fails to start
`startretries` times in a row, waiting 1 s, 2 s, 3 s … in between (its FATAL state); but a
program that starts, runs a while and dies again is restarted as often as it dies. This
listener stops one that died RESTART_LIMIT times within RESTART_WINDOW_S and says so.

supervisord runs it as `python -m scripts.supervisor_events NAME…` (scripts/supervise.py) with
PROCESS_LOG and PROCESS_STATE events. Its stdout is the event protocol (READY, then one RESULT
per event); what it prints goes to stderr, which supervisord writes to the terminal.
"""

import io
import os
import sys
import time
import xmlrpc.client
from collections import defaultdict, deque
from typing import TextIO

from supervisor import childutils

RESTART_LIMIT = 5
RESTART_WINDOW_S = 300.0
COLOURS = ["36", "33", "32", "35", "34", "31", "96", "93", "92", "95"]  # as honcho had them
LONGEST_PARTIAL_LINE = 8192  # output without a newline is printed once this long


class Console:
    """Prints each program's output line by line as `12:00:01 rasa1   | …`."""

    def __init__(self, names: list[str], out: TextIO, colour: bool) -> None:
        self.width = max((len(n) for n in names), default=6)
        self.colours = {name: COLOURS[i % len(COLOURS)] for i, name in enumerate(names)}
        self.out = out
        self.colour = colour
        self.partial: dict[str, str] = {}

    def prefix(self, name: str) -> str:
        label = f"{time.strftime('%H:%M:%S')} {name:<{self.width}} |"
        if self.colour:
            label = f"\033[{self.colours.get(name, '0')}m{label}\033[0m"
        return label + " "

    def output(self, name: str, data: str) -> None:
        text = self.partial.pop(name, "") + data
        *lines, rest = text.split("\n")
        if len(rest) > LONGEST_PARTIAL_LINE:
            lines, rest = [*lines, rest], ""
        if rest:
            self.partial[name] = rest
        self.out.write("".join(f"{self.prefix(name)}{line.rstrip(chr(13))}\n" for line in lines))
        self.out.flush()

    def flush(self, name: str) -> None:
        rest = self.partial.pop(name, "")
        if rest:
            self.output(name, rest + "\n")

    def say(self, message: str) -> None:
        self.out.write(f"==> {message}\n")
        self.out.flush()


class Deaths:
    """Stops a program that died RESTART_LIMIT times within RESTART_WINDOW_S."""

    def __init__(
        self,
        console: Console,
        supervisor: object,
        limit: int = RESTART_LIMIT,
        window_s: float = RESTART_WINDOW_S,
    ) -> None:
        self.console = console
        self.supervisor = supervisor
        self.limit = limit
        self.window_s = window_s
        self.times: dict[str, deque[float]] = defaultdict(deque)
        self.to_stop: set[str] = set()  # over the limit, stopped when supervisord lets us

    def state(self, event: str, headers: dict[str, str]) -> None:
        name = _spec(headers.get("groupname", ""), headers.get("processname", ""))
        if event == "PROCESS_STATE_EXITED":  # a server that exits, whatever its status, died
            self.console.flush(name)
            self._died(name, headers.get("pid", "?"))
        elif event == "PROCESS_STATE_RUNNING" and self.times.get(name):
            self.console.say(f"{name} is running again (pid {headers.get('pid', '?')})")
        elif event == "PROCESS_STATE_FATAL":
            self.console.say(
                f"{name} failed to start several times in a row: supervisord gave up on it. "
                f"Its output is above; once fixed: {_ctl()} start {name}"
            )
        if name in self.to_stop and event in {"PROCESS_STATE_STARTING", "PROCESS_STATE_BACKOFF"}:
            self._stop(name)

    def _died(self, name: str, pid: str) -> None:
        now = time.monotonic()
        times = self.times[name]
        times.append(now)
        while times and times[0] < now - self.window_s:
            times.popleft()
        if len(times) < self.limit:
            self.console.say(f"{name} (pid {pid}) died: restarting it")
            return
        self.console.say(
            f"{name} died {len(times)} times within {self.window_s:.0f} s: stopped, not restarted"
            f" again. Its output is above; once fixed: {_ctl()} start {name}"
        )
        self.to_stop.add(name)
        self._stop(name)

    def _stop(self, name: str) -> None:
        try:
            self.supervisor.stopProcess(name, False)  # type: ignore[attr-defined]
        except xmlrpc.client.Fault:  # between two states (exited, not yet starting): next one
            return
        self.to_stop.discard(name)
        self.times.pop(name, None)


def _spec(group: str, process: str) -> str:
    """What supervisorctl calls a process: its name, or group:name in a group of several."""
    return process if group in ("", process) else f"{group}:{process}"


def _ctl() -> str:
    return f"supervisorctl -c {os.environ.get('KEFU_SUPERVISOR_CONF', 'var/supervisord.conf')}"


def _headers(line: str) -> dict[str, str]:
    return dict(token.split(":", 1) for token in line.split())


def listen(stdin: TextIO, stdout: TextIO, console: Console, deaths: Deaths) -> None:
    """supervisord's event listener protocol. A payload's length counts characters (UTF-8,
    as supervisord decodes the output), so `stdin` must not translate line endings."""
    while True:
        stdout.write("READY\n")
        stdout.flush()
        line = stdin.readline()
        if not line:
            return  # supervisord is gone
        headers = _headers(line)
        payload = stdin.read(int(headers["len"]))
        event = headers["eventname"]
        if event.startswith("PROCESS_LOG"):
            about, _, data = payload.partition("\n")
            console.output(_headers(about).get("processname", "?"), data)
        elif event.startswith("PROCESS_STATE"):
            deaths.state(event, _headers(payload.partition("\n")[0]))
        stdout.write("RESULT 2\nOK")
        stdout.flush()


def main() -> None:
    names = sys.argv[1:]
    stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace", newline="")
    stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
    err = io.TextIOWrapper(sys.stderr.buffer, encoding="utf-8", errors="replace")
    console = Console(names, err, colour=os.environ.get("KEFU_COLOUR") == "1")
    deaths = Deaths(console, childutils.getRPCInterface(os.environ).supervisor)
    listen(stdin, stdout, console, deaths)


if __name__ == "__main__":
    main()

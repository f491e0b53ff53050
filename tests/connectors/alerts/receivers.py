"""Local stand-ins for the platforms the 中差评 alerts go to, for the connectors' tests, the
benchmark and end-to-end tests of the job worker.

`RobotReceiver` is an HTTP server on a free local port that plays one platform: the WeCom group
robot, the DingTalk custom robot (加签), the Feishu custom robot (签名校验) or the generic signed
webhook. It records every request, checks the address and the signature as the platform does
and answers in the platform's words (the robots: HTTP 200 with the error code in the body). It
fails on purpose when told to (a queue of scripted failures) and can enforce a rate limit.
`SmtpReceiver` is an SMTP server (aiosmtpd) that records each message and can refuse the next
ones. `covered_review_ids` tells which reviews a recorded request or mail covers.
"""

import asyncio
import base64
import hashlib
import hmac
import json
import re
import threading
import time
from collections import deque
from dataclasses import dataclass
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal, Self, cast
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from reviews.alert_channels import ChannelKind

TOKEN = "test"  # the robots' key / access token in their addresses

WECOM, DINGTALK, FEISHU, WEBHOOK = (
    ChannelKind.WECOM,
    ChannelKind.DINGTALK,
    ChannelKind.FEISHU,
    ChannelKind.WEBHOOK,
)
PATHS = {
    WECOM: "/cgi-bin/webhook/send",
    DINGTALK: "/robot/send",
    FEISHU: f"/open-apis/bot/v2/hook/{TOKEN}",
    WEBHOOK: "/hooks/kefu",
}
QUERIES = {WECOM: f"?key={TOKEN}", DINGTALK: f"?access_token={TOKEN}"}
CODE_FIELD = {WECOM: "errcode", DINGTALK: "errcode", FEISHU: "code"}
MESSAGE_FIELD = {WECOM: "errmsg", DINGTALK: "errmsg", FEISHU: "msg"}
OK_MESSAGE = {WECOM: "ok", DINGTALK: "ok", FEISHU: "success"}

# The platforms' own codes.
RATE_LIMIT_CODE = {WECOM: 45009, DINGTALK: 130101, FEISHU: 9499}  # webhook: HTTP 429
BAD_SIGNATURE_CODE = {DINGTALK: 310000, FEISHU: 19021}  # webhook: HTTP 401
BAD_TOKEN_CODE = {WECOM: 93000, DINGTALK: 300001, FEISHU: 19001}
WECOM_TOO_LONG_CODE = 40058
CODE_MESSAGES = {
    -1: "system busy",
    9499: "too many request",
    19001: "param invalid: incoming webhook access token invalid",
    19021: "sign match fail or timestamp is not within one hour from current time",
    40058: "markdown.content exceed max length 4096",
    45009: "api freq out of limit",
    93000: "invalid webhook url",
    130101: "send too fast, exceed 20 times per minute",
    300001: "token is not exist",
    310000: "sign not match",
}
PLATFORM_PER_MINUTE = {WECOM: 20, DINGTALK: 20, FEISHU: 100}  # the documented limits
WECOM_MAX_BYTES = 4096
SIGNATURE_MAX_AGE_S = {DINGTALK: 3600, FEISHU: 3600, WEBHOOK: 300}


@dataclass(frozen=True)
class Failure:
    """One scripted failure: an HTTP status, a platform code (with HTTP 200, as the robots
    answer), or a connection dropped without an answer."""

    status: int = 200
    code: int | None = None
    disconnect: bool = False

    @classmethod
    def http(cls, status: int) -> "Failure":
        return cls(status=status)

    @classmethod
    def platform_code(cls, code: int) -> "Failure":
        return cls(code=code)

    @classmethod
    def rate_limited(cls, kind: ChannelKind) -> "Failure":
        """The platform's "too many messages" answer."""
        return cls(status=429) if kind == WEBHOOK else cls(code=RATE_LIMIT_CODE[kind])

    @classmethod
    def dropped(cls) -> "Failure":
        return cls(disconnect=True)


@dataclass(frozen=True)
class RecordedRequest:
    """One request a RobotReceiver got, and what it answered."""

    kind: ChannelKind
    at: float  # time.time() on arrival
    path: str  # path and query, as sent
    headers: dict[str, str]  # names lower-cased
    raw: bytes
    body: Any  # the parsed JSON (None when it is not JSON)
    status: int  # the HTTP status answered (0: the connection was dropped)
    code: int | None  # the platform code answered in the body (None for the webhook)

    @property
    def query(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query).items()}

    @property
    def accepted(self) -> bool:
        """Whether the platform took the message."""
        return 200 <= self.status < 300 and self.code in (None, 0)

    @property
    def text(self) -> str:
        return message_text(self)


@dataclass(frozen=True)
class RecordedMail:
    """One message an SmtpReceiver took."""

    at: float  # time.time() when its DATA arrived
    mail_from: str
    recipients: tuple[str, ...]  # the envelope's
    raw: bytes
    message: EmailMessage

    @property
    def text(self) -> str:
        return message_text(self)


def message_text(recorded: RecordedRequest | RecordedMail) -> str:
    """The alert text a request or mail carries, in whatever wrapping its platform uses."""
    if isinstance(recorded, RecordedMail):
        part = recorded.message.get_body(preferencelist=("plain",))
        if part is None:
            raise ValueError("the mail has no text/plain part")
        return cast(str, cast(EmailMessage, part).get_content())
    body = recorded.body
    if recorded.kind == WECOM:
        return cast(str, body["markdown"]["content"])
    if recorded.kind == DINGTALK:
        return cast(str, body["markdown"]["text"])
    if recorded.kind == FEISHU:
        return "\n".join(
            element["text"]["content"]
            for element in body["card"]["elements"]
            if element.get("tag") == "div" and element.get("text", {}).get("tag") == "lark_md"
        )
    return cast(str, body["text"])


COVERS_ONE = re.compile(r"^\**评价\**\s*#(\d+)", re.MULTILINE)  # words/alerts.yaml: alert
COVERS_MANY = re.compile(r"^本条汇总包含评价 (.+)$", re.MULTILINE)  # digest


def covered_ids(text: str) -> set[int]:
    """The review ids a rendered message says it covers (its "评价 #12" line, or a digest's
    "本条汇总包含评价 #12–#40、#45" line, as words/alerts.yaml writes them; never ids inside a
    review's own words): how the tests and the benchmark check that every review is in exactly
    one message."""
    ids: set[int] = set()
    for line in COVERS_MANY.findall(text):
        for first, last in re.findall(r"#(\d+)(?:–#(\d+))?", line):
            ids.update(range(int(first), int(last or first) + 1))
    ids.update(int(n) for n in COVERS_ONE.findall(text))
    return ids


def covered_review_ids(recorded: RecordedRequest | RecordedMail) -> set[int]:
    """The review ids the message says it covers (covered_ids of its text)."""
    return covered_ids(message_text(recorded))


def dingtalk_sign(secret: str, timestamp_ms: str) -> str:
    """DingTalk's 加签 (before URL-encoding): Base64 HMAC-SHA256 of "timestamp\\nsecret"."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256)
    return base64.b64encode(digest.digest()).decode()


def feishu_sign(secret: str, timestamp_s: str) -> str:
    """Feishu's 签名校验: Base64 HMAC-SHA256 keyed by "timestamp\\nsecret" over nothing."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256)
    return base64.b64encode(digest.digest()).decode()


def webhook_signature(secret: str, timestamp_s: str, raw: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp_s.encode() + b"." + raw, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


@dataclass(frozen=True)
class _Answer:
    status: int
    payload: Any = None  # answered as JSON; None: no body
    code: int | None = None
    disconnect: bool = False


class ClosedOnExit:
    """`with X(...) as x:` closes x at the end (what every stand-in here needs)."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class RobotReceiver(ClosedOnExit):
    """The platform of one channel kind on a free local port (see the module's docstring).

    `secret` is the signing secret the platform knows (DingTalk, Feishu, webhook; None: the
    robot has no signature check). `per_minute` enforces a rate limit over `window_s` seconds,
    counting the messages taken (e.g. PLATFORM_PER_MINUTE[kind]); beyond it the platform's
    rate-limit code is answered. Scripted failures (`fail`) come first, in order, one a request.
    """

    def __init__(
        self,
        kind: ChannelKind,
        secret: str | None = None,
        *,
        per_minute: int | None = None,
        window_s: float = 60.0,
        host: str = "127.0.0.1",
    ) -> None:
        if kind not in PATHS:
            raise ValueError(f"no HTTP platform for {kind} (email: SmtpReceiver)")
        self.kind = kind
        self.secret = secret
        self.per_minute = per_minute
        self.window_s = window_s
        self.failures: deque[Failure] = deque()
        self._requests: list[RecordedRequest] = []
        self._taken_at: deque[float] = deque()
        self._changed = threading.Condition()
        self._server = _HttpServer((host, 0), self)
        self.url = f"http://{host}:{self._server.server_port}{PATHS[kind]}{QUERIES.get(kind, '')}"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.01},
            name=f"{kind}-receiver",
            daemon=True,
        )
        self._thread.start()

    # --- what the tests read and set

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request so far, in order of arrival."""
        with self._changed:
            return list(self._requests)

    @property
    def accepted(self) -> list[RecordedRequest]:
        """The requests whose message the platform took."""
        return [r for r in self.requests if r.accepted]

    def fail(self, failure: Failure, times: int = 1) -> None:
        """Answer the next `times` requests with `failure`, after those already scripted."""
        if failure.code is not None and self.kind == WEBHOOK:
            raise ValueError("the webhook has no platform codes: use Failure.http")
        with self._changed:
            self.failures.extend([failure] * times)

    def fail_rate_limited(self, times: int = 1) -> None:
        self.fail(Failure.rate_limited(self.kind), times)

    def wait_for(self, count: int, timeout_s: float = 10.0) -> list[RecordedRequest]:
        """The accepted requests once there are at least `count` (a sender in another thread)."""
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while len(taken := [r for r in self._requests if r.accepted]) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{len(taken)} of {count} messages arrived")
                self._changed.wait(left)
            return taken

    def clear(self) -> None:
        """Forget the requests, scripted failures and rate-limit window so far."""
        with self._changed:
            self._requests.clear()
            self.failures.clear()
            self._taken_at.clear()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    # --- playing the platform

    def _receive(self, at: float, path: str, headers: dict[str, str], raw: bytes) -> _Answer:
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        with self._changed:
            failure = self.failures.popleft() if self.failures else None
        if failure is not None:
            answer = self._scripted(failure)
        else:
            answer = self._check(at, path, headers, raw, body)
        with self._changed:
            self._requests.append(
                RecordedRequest(self.kind, at, path, headers, raw, body, answer.status, answer.code)
            )
            self._changed.notify_all()
        return answer

    def _scripted(self, failure: Failure) -> _Answer:
        if failure.disconnect:
            return _Answer(0, disconnect=True)
        if failure.code is not None:
            return self._code(failure.code)
        return _Answer(failure.status, {"error": "scripted failure"})

    def _code(self, code: int) -> _Answer:
        message = OK_MESSAGE[self.kind] if code == 0 else CODE_MESSAGES.get(code, "error")
        payload = {CODE_FIELD[self.kind]: code, MESSAGE_FIELD[self.kind]: message}
        return _Answer(200, payload, code)

    def _check(
        self, at: float, path: str, headers: dict[str, str], raw: bytes, body: Any
    ) -> _Answer:
        address = urlsplit(path)
        query = {k: v[-1] for k, v in parse_qs(address.query).items()}
        if self.kind == FEISHU and address.path.startswith("/open-apis/bot/v2/hook/"):
            if address.path != PATHS[FEISHU]:
                return self._code(BAD_TOKEN_CODE[FEISHU])
        elif address.path != PATHS[self.kind]:
            return _Answer(404, {"error": "not found"})
        token_param = {WECOM: "key", DINGTALK: "access_token"}.get(self.kind)
        if token_param is not None and query.get(token_param) != TOKEN:
            return self._code(BAD_TOKEN_CODE[self.kind])
        if not isinstance(body, dict):
            return _Answer(400, {"error": "the body is not a JSON object"})
        if not self._signed(at, query, headers, raw, body):
            if self.kind == WEBHOOK:
                return _Answer(401, {"error": "bad signature"})
            return self._code(BAD_SIGNATURE_CODE[self.kind])
        if self.kind == WECOM:
            content = body.get("markdown", {}).get("content", "")
            if len(content.encode("utf-8")) > WECOM_MAX_BYTES:
                return self._code(WECOM_TOO_LONG_CODE)
        with self._changed:
            while self._taken_at and self._taken_at[0] <= at - self.window_s:
                self._taken_at.popleft()
            if self.per_minute is not None and len(self._taken_at) >= self.per_minute:
                failure = Failure.rate_limited(self.kind)
                return self._scripted(failure)
            self._taken_at.append(at)
        return _Answer(204) if self.kind == WEBHOOK else self._code(0)

    def _signed(
        self, at: float, query: dict[str, str], headers: dict[str, str], raw: bytes, body: Any
    ) -> bool:
        if self.secret is None or self.kind == WECOM:
            return True
        if self.kind == DINGTALK:
            timestamp, sign = query.get("timestamp", ""), query.get("sign", "")
            expected = dingtalk_sign(self.secret, timestamp)
            age_s = (at * 1000 - int(timestamp)) / 1000 if timestamp.isdigit() else None
        elif self.kind == FEISHU:
            timestamp, sign = str(body.get("timestamp", "")), str(body.get("sign", ""))
            expected = feishu_sign(self.secret, timestamp)
            age_s = at - int(timestamp) if timestamp.isdigit() else None
        else:
            timestamp = headers.get("x-kefu-timestamp", "")
            sign = headers.get("x-kefu-signature", "")
            expected = webhook_signature(self.secret, timestamp, raw)
            age_s = at - int(timestamp) if timestamp.isdigit() else None
        fresh = age_s is not None and abs(age_s) <= SIGNATURE_MAX_AGE_S[self.kind]
        return fresh and hmac.compare_digest(sign.encode(), expected.encode())


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], receiver: RobotReceiver) -> None:
        self.receiver = receiver
        super().__init__(address, _RobotHandler)


class _RobotHandler(BaseHTTPRequestHandler):
    server: _HttpServer

    def do_POST(self) -> None:
        at = time.time()
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {name.lower(): value for name, value in self.headers.items()}
        answer = self.server.receiver._receive(at, self.path, headers, raw)
        if answer.disconnect:
            self.close_connection = True
            return
        data = b"" if answer.payload is None else json.dumps(answer.payload).encode()
        self.send_response(answer.status)
        if data:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the tests read `requests`, not a log


SMTP_REPLIES = {
    451: "451 4.3.0 Temporary failure, please try again later",
    550: "550 5.7.1 Message refused",
}


class SmtpReceiver(ClosedOnExit):
    """An SMTP server on a free local port that records each message it takes.

    `reject(code, times)` refuses the next messages with that reply (451: try again later,
    550: refused); at the "rcpt" stage each refusal is one recipient's RCPT TO."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.rejections: deque[tuple[Literal["rcpt", "data"], str]] = deque()
        self._messages: list[RecordedMail] = []
        self._changed = threading.Condition()
        self._controller = _FreePortController(
            _SmtpHandler(self), hostname=host, port=0, server_hostname="localhost"
        )
        self._controller.start()
        self.host, self.port = host, self._controller.port
        self.url = f"smtp://{host}:{self.port}"

    @property
    def messages(self) -> list[RecordedMail]:
        with self._changed:
            return list(self._messages)

    def reject(
        self, code: int = 451, times: int = 1, stage: Literal["rcpt", "data"] = "data"
    ) -> None:
        reply = SMTP_REPLIES.get(code, f"{code} Scripted failure")
        with self._changed:
            self.rejections.extend([(stage, reply)] * times)

    def wait_for(self, count: int, timeout_s: float = 10.0) -> list[RecordedMail]:
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while len(self._messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{len(self._messages)} of {count} mails arrived")
                self._changed.wait(left)
            return list(self._messages)

    def close(self) -> None:
        self._controller.stop()

    def _refusal(self, stage: Literal["rcpt", "data"]) -> str | None:
        with self._changed:
            if self.rejections and self.rejections[0][0] == stage:
                return self.rejections.popleft()[1]
        return None

    def _record(self, at: float, envelope: Envelope) -> None:
        content = envelope.original_content or envelope.content or b""
        raw = content if isinstance(content, bytes) else content.encode("utf-8")
        message = BytesParser(policy=default_policy).parsebytes(raw)
        mail = RecordedMail(at, envelope.mail_from or "", tuple(envelope.rcpt_tos), raw, message)
        with self._changed:
            self._messages.append(mail)
            self._changed.notify_all()


class _SmtpHandler:
    def __init__(self, receiver: SmtpReceiver) -> None:
        self.receiver = receiver

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's name)
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        refusal = self.receiver._refusal("rcpt")
        if refusal is not None:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 (aiosmtpd's name)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        at = time.time()
        refusal = self.receiver._refusal("data")
        if refusal is not None:
            return refusal
        self.receiver._record(at, envelope)
        return "250 Message accepted for delivery"


class _FreePortController(Controller):
    """aiosmtpd's Controller listening on port 0: the port the system chose is read back
    before the controller's first connection to its own server."""

    def _trigger_server(self) -> None:
        server = cast(asyncio.Server, self.server)
        self.port = server.sockets[0].getsockname()[1]
        super()._trigger_server()

"""中差评 alerts reach each channel in its platform's own format, signed as the platform checks,
and every failure is sorted into "try again" or "give up" (against local stand-ins of the
platforms: tests/connectors/alerts/receivers.py)."""

import re
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote_plus

import httpx
import pytest
from pydantic import ValidationError

from connectors.alerts import MAX_BYTES, Message, SendError, compose, send
from core.settings import get_settings
from reviews.alert_channels import (
    AlertPolicyError,
    Channel,
    ChannelKind,
    ChannelSpec,
    alert_policy,
    channels,
)
from reviews.alerts import AlertBatch, ReviewAlert

from .receivers import (
    PLATFORM_PER_MINUTE,
    Failure,
    RecordedMail,
    RecordedRequest,
    RobotReceiver,
    SmtpReceiver,
    covered_ids,
    covered_review_ids,
    dingtalk_sign,
    feishu_sign,
    webhook_signature,
)

WECOM, DINGTALK, FEISHU, WEBHOOK, EMAIL = (
    ChannelKind.WECOM,
    ChannelKind.DINGTALK,
    ChannelKind.FEISHU,
    ChannelKind.WEBHOOK,
    ChannelKind.EMAIL,
)
ROBOTS = [WECOM, DINGTALK, FEISHU, WEBHOOK]
SECRET = "SEC0123456789abcdef"
RECIPIENTS = ("dianzhang@example.com", "kefu@example.com")


def review_alert(review_id: int = 7, **facts: Any) -> ReviewAlert:
    """A 1-star review of a sweater that pilled after one wash, high severity."""
    defaults: dict[str, Any] = {
        "platform": "taobao",
        "platform_review_id": f"TB{review_id}",
        "product_id": "P-1001",
        "sku": "P-1001-L",
        "order_id": f"2024110{review_id}",
        "rating": 1,
        "severity": "high",
        "severity_reasons": ("rating: 1 star",),
        "causes": ("product", "logistics"),
        "sub_causes": ("product.poor_quality",),
        "evidence": (("product.poor_quality", "洗一次就起球"), ("logistics", "等了一个星期")),
        "text": "毛衣洗一次就起球，等了一个星期才到，非常失望",
        "received_at": "2024-11-21T06:20:00+00:00",
    }
    return ReviewAlert(review_id=review_id, **(defaults | facts))


def alert_message(*alerts: ReviewAlert, message_id: str = "msg-1") -> Message:
    return compose(AlertBatch(alerts or (review_alert(),)), message_id)


def channel(
    kind: ChannelKind, url: str, secret: str | None = SECRET, min_severity: str = "low"
) -> Channel:
    spec = ChannelSpec(
        name=kind.value,
        kind=kind,
        url_env=f"ALERT_{kind.value.upper()}_URL",
        to_env="ALERT_EMAIL_TO" if kind == EMAIL else None,
        min_severity=min_severity,
    )
    return Channel(spec, url, secret, RECIPIENTS if kind == EMAIL else ())


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


@pytest.fixture
def robot() -> Iterator[Callable[..., RobotReceiver]]:
    """Starts the platform of a kind (with SECRET as its signing secret unless told)."""
    started: list[RobotReceiver] = []

    def start(kind: ChannelKind, secret: str | None = SECRET, **options: Any) -> RobotReceiver:
        started.append(RobotReceiver(kind, secret, **options))
        return started[-1]

    yield start
    for receiver in started:
        receiver.close()


@pytest.fixture
def smtp() -> Iterator[SmtpReceiver]:
    with SmtpReceiver() as receiver:
        yield receiver


def deliver(
    kind: ChannelKind,
    message: Message,
    robot: Callable[..., RobotReceiver],
    smtp: SmtpReceiver,
) -> RecordedRequest | RecordedMail:
    """Sends `message` to a fresh receiver of `kind` and returns what it recorded."""
    if kind == EMAIL:
        send(channel(EMAIL, smtp.url, secret=None), message)
        [mail] = smtp.messages
        return mail
    receiver = robot(kind)
    send(channel(kind, receiver.url), message)
    [request] = receiver.requests
    assert request.accepted, request
    return request


# --- the message


def test_an_alert_names_the_causes_in_chinese_the_severity_and_the_evidence():
    message = alert_message(review_alert(7))

    assert message.title == "中差评提醒｜严重｜商品问题（质量差）、物流问题"
    lines = message.markdown.split("\n")
    assert lines[0] == "### 中差评提醒｜严重"
    assert "**评价** #7（taobao TB7）★☆☆☆☆" in lines
    assert "**商品** P-1001 / P-1001-L　**订单** 20241107" in lines
    assert "**原因** 商品问题（质量差）、物流问题" in lines
    assert "> 毛衣洗一次就起球，等了一个星期才到，非常失望" in lines
    assert "- 商品问题（质量差）：「洗一次就起球」" in lines
    assert "- 物流问题：「等了一个星期」" in lines
    assert "**判定依据** 一星评价" in lines
    assert lines[-1].endswith(f"({get_settings().base_url}/api/reviews/7)")
    assert covered_ids(message.markdown) == {7}


def test_a_review_without_a_known_cause_is_a_product_problem_and_without_rating_has_no_stars():
    alert = review_alert(
        8, rating=None, causes=(), sub_causes=(), evidence=(), severity="low", severity_reasons=()
    )

    message = alert_message(alert)

    assert message.title == "中差评提醒｜一般｜商品问题"
    assert "**评价** #8（taobao TB8）" in message.markdown.split("\n")
    assert "★" not in message.markdown
    assert "判定依据" not in message.markdown  # no reasons, no line


def scattered_alerts() -> list[ReviewAlert]:
    """30 alerts: reviews #101–#120 in a row, then every other one from #205 to #223."""
    ids = [*range(101, 121), *range(205, 224, 2)]
    severities = ["critical", "critical", "high", "medium", "low"]
    return [
        review_alert(review_id, severity=severities[i % 5], text="质量很差，" * 20)
        for i, review_id in enumerate(ids)
    ]


def test_a_digest_of_30_alerts_lists_every_review_once_and_fits_in_a_wecom_message(robot):
    alerts = scattered_alerts()
    receiver = robot(WECOM)
    message = alert_message(*reversed(alerts))

    send(channel(WECOM, receiver.url, secret=None), message)

    [request] = receiver.requests
    assert request.accepted
    content = request.body["markdown"]["content"]
    assert content == message.markdown  # whole, not cut
    assert len(content.encode("utf-8")) <= 4096
    assert message.title == "中差评汇总｜30 条新中差评"
    assert covered_review_ids(request) == {a.review_id for a in alerts}
    [listing] = [line for line in content.split("\n") if line.startswith("本条汇总包含评价")]
    every_other = "、".join(f"#{i}" for i in range(205, 224, 2))
    assert listing == f"本条汇总包含评价 #101–#120、{every_other}"
    listed = Counter(
        review_id
        for first, last in re.findall(r"#(\d+)(?:–#(\d+))?", listing)
        for review_id in range(int(first), int(last or first) + 1)
    )
    assert sorted(listed) == sorted(a.review_id for a in alerts)
    assert set(listed.values()) == {1}
    shown = re.findall(r"^\d\. \[(\S+)\] 评价(\d+) ", content, flags=re.MULTILINE)
    assert shown == [  # the worst five, oldest first among equals
        ("紧急", "101"),
        ("紧急", "102"),
        ("紧急", "106"),
        ("紧急", "107"),
        ("紧急", "111"),
    ]
    assert "**严重程度** 紧急 12 · 严重 6 · 较重 6 · 一般 6" in content


@pytest.mark.parametrize("kind", [*ROBOTS, EMAIL])
def test_every_channel_carries_a_digest_that_covers_every_review(kind, robot, smtp):
    alerts = scattered_alerts()

    recorded = deliver(kind, alert_message(*alerts), robot, smtp)

    assert covered_review_ids(recorded) == {a.review_id for a in alerts}
    assert "中差评汇总｜30 条新中差评" in recorded.text


# --- each channel's native format, signed as its platform checks


def test_wecom_gets_the_alert_as_a_markdown_message(robot):
    receiver = robot(WECOM, secret=None)
    message = alert_message()

    send(channel(WECOM, receiver.url, secret=None), message)

    [request] = receiver.requests
    assert (request.status, request.code) == (200, 0)
    assert request.query == {"key": "test"}
    assert request.body == {"msgtype": "markdown", "markdown": {"content": message.markdown}}
    assert request.headers["content-type"] == "application/json; charset=utf-8"


def test_dingtalk_gets_markdown_with_blank_lines_signed_in_the_address(robot):
    receiver = robot(DINGTALK)
    message = alert_message()

    send(channel(DINGTALK, receiver.url), message)

    [request] = receiver.requests
    assert (request.status, request.code) == (200, 0)  # the signature was checked
    assert request.query["access_token"] == "test"
    assert abs(int(request.query["timestamp"]) - request.at * 1000) < 5000  # milliseconds
    assert request.path.endswith("%3D")  # the Base64 sign is URL-encoded
    assert request.body["msgtype"] == "markdown"
    assert request.body["markdown"]["title"] == message.title
    text = request.body["markdown"]["text"]
    lines = [line for line in message.markdown.split("\n") if line.strip()]
    assert text == "\n\n".join(lines)  # DingTalk breaks a line only at a blank one
    assert covered_review_ids(request) == {7}


def test_feishu_gets_a_red_card_signed_in_the_body_with_headings_as_bold_lines(robot):
    receiver = robot(FEISHU)
    message = alert_message()

    send(channel(FEISHU, receiver.url), message)

    [request] = receiver.requests
    assert (request.status, request.code) == (200, 0)  # the signature was checked
    body = request.body
    assert body["msg_type"] == "interactive"
    assert abs(int(body["timestamp"]) - request.at) < 5  # seconds
    assert body["card"]["header"] == {
        "title": {"tag": "plain_text", "content": message.title},
        "template": "red",
    }
    content = request.text
    assert content.split("\n")[0] == "**中差评提醒｜严重**"
    assert not re.search(r"(?m)^#", content)  # lark_md has no headings
    assert "- 商品问题（质量差）：「洗一次就起球」" in content


def test_feishu_without_a_secret_sends_an_unsigned_card(robot):
    receiver = robot(FEISHU, secret=None)

    send(channel(FEISHU, receiver.url, secret=None), alert_message())

    [request] = receiver.requests
    assert request.accepted
    assert "sign" not in request.body
    assert "timestamp" not in request.body


def test_the_webhook_gets_every_reviews_facts_signed_with_hmac_sha256(robot):
    receiver = robot(WEBHOOK)
    alert = review_alert(7)
    message = alert_message(alert, message_id="webhook-42")

    send(channel(WEBHOOK, receiver.url), message)

    [request] = receiver.requests
    assert request.status == 204  # the signature was checked
    assert request.headers["x-kefu-delivery"] == "webhook-42"
    timestamp = request.headers["x-kefu-timestamp"]
    assert abs(int(timestamp) - request.at) < 5
    assert request.headers["x-kefu-signature"] == webhook_signature(SECRET, timestamp, request.raw)
    assert request.body["id"] == "webhook-42"
    assert request.body["type"] == "review_alert"
    assert request.body["title"] == message.title
    assert request.body["text"] == message.markdown
    assert [ReviewAlert.from_payload(p) for p in request.body["alerts"]] == [alert]
    assert "洗一次就起球" in request.raw.decode("utf-8")  # Chinese as UTF-8, not \\u escapes


def test_the_webhook_marks_a_digest_as_such(robot):
    receiver = robot(WEBHOOK)

    send(channel(WEBHOOK, receiver.url), alert_message(review_alert(1), review_alert(2)))

    [request] = receiver.requests
    assert request.body["type"] == "review_alert_digest"
    assert [a["review_id"] for a in request.body["alerts"]] == [1, 2]


def test_the_email_has_a_message_id_from_the_delivery_id_and_a_utf8_chinese_subject(smtp):
    message = alert_message(message_id="email-0f3a")

    send(channel(EMAIL, smtp.url, secret=None), message)

    [mail] = smtp.messages
    assert mail.recipients == RECIPIENTS
    assert mail.mail_from == "kefu-alerts@localhost"
    assert mail.message["Message-ID"] == "<email-0f3a@kefu-alerts>"
    assert mail.message["Subject"] == "中差评提醒｜严重｜商品问题（质量差）、物流问题"
    assert re.search(rb"^Subject: =\?utf-8\?", mail.raw, flags=re.MULTILINE | re.IGNORECASE)
    assert mail.message["From"].addresses[0].display_name == "客服助手"
    assert mail.message["To"] == ", ".join(RECIPIENTS)
    assert mail.message.get_content_charset() == "utf-8"
    assert mail.text.rstrip("\n") == message.markdown
    assert covered_review_ids(mail) == {7}


def post_signed(receiver: RobotReceiver, timestamp: str) -> RecordedRequest:
    """Posts a message signed as the platform says, with `timestamp` as given."""
    if receiver.kind == DINGTALK:
        sign = quote_plus(dingtalk_sign(SECRET, timestamp))
        body: dict[str, Any] = {"msgtype": "markdown", "markdown": {"title": "t", "text": "#1"}}
        httpx.post(f"{receiver.url}&timestamp={timestamp}&sign={sign}", json=body)
    elif receiver.kind == FEISHU:
        body = {"msg_type": "text", "content": {"text": "#1"}, "timestamp": timestamp}
        httpx.post(receiver.url, json=body | {"sign": feishu_sign(SECRET, timestamp)})
    else:
        raw = b'{"text":"#1"}'
        signature = webhook_signature(SECRET, timestamp, raw)
        headers = {"X-Kefu-Timestamp": timestamp, "X-Kefu-Signature": signature}
        httpx.post(receiver.url, content=raw, headers=headers)
    return receiver.requests[-1]


@pytest.mark.parametrize(
    ("kind", "unit_s", "refused"),
    [(DINGTALK, 0.001, (200, 310000)), (FEISHU, 1, (200, 19021)), (WEBHOOK, 1, (401, None))],
)
def test_the_stand_ins_refuse_a_signature_whose_timestamp_is_in_the_wrong_unit(
    kind, unit_s, refused, robot
):
    """As the platforms do (DingTalk milliseconds, Feishu and the webhook seconds), so a
    connector that sent the wrong unit would fail the tests above."""
    receiver = robot(kind)
    now = time.time()
    wrong_unit_s = 1 if unit_s == 0.001 else 0.001

    right = post_signed(receiver, str(int(now / unit_s)))
    wrong = post_signed(receiver, str(int(now / wrong_unit_s)))

    assert right.accepted
    assert (wrong.status, wrong.code) == refused


def test_the_stand_ins_wait_for_messages_sent_from_another_thread(robot, smtp):
    """As an end-to-end test waits for the job worker."""
    receiver = robot(WECOM)

    def send_all() -> None:
        for review_id in (1, 2):
            send(channel(WECOM, receiver.url), alert_message(review_alert(review_id)))
            send(channel(EMAIL, smtp.url), alert_message(review_alert(review_id)))

    sender = threading.Thread(target=send_all)
    sender.start()
    requests, mails = receiver.wait_for(2, timeout_s=10), smtp.wait_for(2, timeout_s=10)
    sender.join()

    assert [covered_review_ids(r) for r in [*requests, *mails]] == [{1}, {2}, {1}, {2}]
    assert requests[0].at <= requests[1].at
    with pytest.raises(TimeoutError, match="2 of 3 messages arrived"):
        receiver.wait_for(3, timeout_s=0.05)


# --- failures: try again, or give up


@pytest.mark.parametrize(
    ("kind", "code"), [(DINGTALK, "310000"), (FEISHU, "19021"), (WEBHOOK, "401")]
)
def test_a_wrong_secret_is_refused_for_good(kind, code, robot):
    receiver = robot(kind)

    with pytest.raises(SendError) as refused:
        send(channel(kind, receiver.url, secret="SECwrong"), alert_message())

    assert (refused.value.code, refused.value.permanent) == (code, True)
    [request] = receiver.requests
    assert not request.accepted


@pytest.mark.parametrize("kind", [DINGTALK, WEBHOOK])
def test_a_channel_that_must_sign_but_has_no_secret_sends_nothing(kind, robot):
    receiver = robot(kind)

    with pytest.raises(SendError, match="secret_env unset") as refused:
        send(channel(kind, receiver.url, secret=None), alert_message())

    assert refused.value.permanent
    assert receiver.requests == []


@pytest.mark.parametrize(
    ("kind", "failure", "code"),
    [
        (WECOM, Failure.rate_limited(WECOM), "45009"),
        (DINGTALK, Failure.rate_limited(DINGTALK), "130101"),
        (FEISHU, Failure.rate_limited(FEISHU), "9499"),
        (FEISHU, Failure.platform_code(11232), "11232"),
        (WEBHOOK, Failure.rate_limited(WEBHOOK), "429"),
        (WECOM, Failure.platform_code(-1), "-1"),
        (DINGTALK, Failure.platform_code(-1), "-1"),
        *[(kind, Failure.http(500), "500") for kind in ROBOTS],
        (WECOM, Failure.http(502), "502"),
    ],
)
def test_too_many_messages_a_busy_robot_and_a_server_error_can_be_tried_again(
    kind, failure, code, robot
):
    receiver = robot(kind)
    receiver.fail(failure)
    target = channel(kind, receiver.url)

    with pytest.raises(SendError) as failed:
        send(target, alert_message())
    assert (failed.value.code, failed.value.permanent) == (code, False)

    send(target, alert_message())  # the next try goes through
    assert [r.accepted for r in receiver.requests] == [False, True]


@pytest.mark.parametrize(("kind", "code"), [(WECOM, "45009"), (DINGTALK, "130101")])
def test_the_21st_message_in_a_minute_is_refused_as_too_fast_and_can_be_tried_again(
    kind, code, robot
):
    receiver = robot(kind, per_minute=PLATFORM_PER_MINUTE[kind])
    target = channel(kind, receiver.url)
    for n in range(20):
        send(target, alert_message(message_id=f"msg-{n}"))

    with pytest.raises(SendError) as refused:
        send(target, alert_message(message_id="msg-20"))

    assert (refused.value.code, refused.value.permanent) == (code, False)
    assert len(receiver.accepted) == 20


@pytest.mark.parametrize(
    ("kind", "wrong", "code"),
    [
        (WECOM, ("key=test", "key=nope"), "93000"),
        (DINGTALK, ("access_token=test", "access_token=nope"), "300001"),
        (FEISHU, ("/hook/test", "/hook/nope"), "19001"),
        (WEBHOOK, ("/hooks/kefu", "/hooks/nope"), "404"),
    ],
)
def test_a_wrong_address_is_refused_for_good(kind, wrong, code, robot):
    receiver = robot(kind)

    with pytest.raises(SendError) as refused:
        send(channel(kind, receiver.url.replace(*wrong)), alert_message())

    assert (refused.value.code, refused.value.permanent) == (code, True)


def test_an_answer_that_is_not_the_robots_is_a_failure_to_try_again(robot):
    receiver = robot(WECOM)
    receiver.fail(Failure.http(200))  # {"error": ...}: no errcode

    with pytest.raises(SendError, match="unexpected answer") as failed:
        send(channel(WECOM, receiver.url, secret=None), alert_message())

    assert (failed.value.code, failed.value.permanent) == (None, False)


@pytest.mark.parametrize("kind", [WECOM, WEBHOOK, EMAIL])
def test_an_unreachable_address_can_be_tried_again(kind):
    scheme = "smtp" if kind == EMAIL else "http"
    url = f"{scheme}://127.0.0.1:{closed_port()}/hook?key=test"

    with pytest.raises(SendError) as failed:
        send(channel(kind, url), alert_message())

    assert (failed.value.code, failed.value.permanent) == (None, False)


def test_a_connection_dropped_without_an_answer_can_be_tried_again(robot):
    receiver = robot(DINGTALK)
    receiver.fail(Failure.dropped())

    with pytest.raises(SendError, match="RemoteProtocolError") as failed:
        send(channel(DINGTALK, receiver.url), alert_message())

    assert failed.value.permanent is False
    assert receiver.requests[0].status == 0


@pytest.mark.parametrize(("reply", "permanent"), [(451, False), (550, True)])
def test_an_smtp_server_saying_try_later_or_no_is_sorted_by_its_reply_code(reply, permanent, smtp):
    smtp.reject(reply)
    target = channel(EMAIL, smtp.url, secret=None)

    with pytest.raises(SendError) as refused:
        send(target, alert_message())

    assert (refused.value.code, refused.value.permanent) == (str(reply), permanent)
    assert smtp.messages == []
    send(target, alert_message())
    assert len(smtp.messages) == 1


def test_an_email_channel_whose_address_is_not_smtp_is_refused_for_good():
    with pytest.raises(SendError, match="not an smtp") as refused:
        send(channel(EMAIL, "https://mail.example.com", secret=None), alert_message())

    assert refused.value.permanent


def test_recipients_refused_for_good_are_a_permanent_failure(smtp):
    smtp.reject(550, times=len(RECIPIENTS), stage="rcpt")

    with pytest.raises(SendError) as refused:
        send(channel(EMAIL, smtp.url, secret=None), alert_message())

    assert (refused.value.code, refused.value.permanent) == ("550", True)


def test_a_digest_as_large_as_a_channel_allows_still_names_every_review_on_wecom(robot):
    receiver = robot(WECOM)
    target = channel(WECOM, receiver.url, secret=None)
    scattered = [review_alert(1_000_000 + 2 * n, text="质量很差，" * 20) for n in range(250)]
    alerts = scattered[: target.max_reviews]

    send(target, compose(AlertBatch(tuple(alerts)), "msg-big", MAX_BYTES[WECOM]))

    [request] = receiver.requests
    assert covered_review_ids(request) == {a.review_id for a in alerts}


def test_a_review_quoting_an_order_number_with_a_hash_covers_only_itself():
    message = alert_message(review_alert(7, text="订单#20241107 一直没发货"))

    assert covered_ids(message.markdown) == {7}


# --- the channels that are on


def test_a_channel_whose_address_variable_is_unset_or_blank_is_off():
    on = channels(
        {
            "ALERT_WECOM_URL": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
            "ALERT_DINGTALK_URL": "   ",
            "ALERT_DINGTALK_SECRET": "SEC1",
            "ALERT_FEISHU_SECRET": "s",
            "ALERT_SMTP_URL": "smtp://mail.example.com:587",
            "ALERT_EMAIL_TO": " dianzhang@example.com, kefu@example.com,",
        }
    )

    assert set(on) == {"wecom", "email"}
    assert on["wecom"].secret is None
    assert on["wecom"].min_interval_s == 3.0  # 20 a minute
    assert on["email"].recipients == RECIPIENTS
    assert channels({}) == {}


def test_a_secret_is_read_from_its_variable_and_a_blank_one_is_none():
    on = channels(
        {
            "ALERT_WEBHOOK_URL": "https://hooks.example.com/kefu",
            "ALERT_WEBHOOK_SECRET": " s3cret ",
            "ALERT_FEISHU_URL": "https://open.feishu.cn/open-apis/bot/v2/hook/x",
            "ALERT_FEISHU_SECRET": "  ",
        }
    )

    assert (on["webhook"].secret, on["feishu"].secret) == ("s3cret", None)


def test_an_email_channel_without_recipients_is_refused_with_a_clear_error(tmp_path):
    with pytest.raises(ValidationError, match="channel mail: an email channel needs to_env"):
        ChannelSpec(name="mail", kind=EMAIL, url_env="ALERT_SMTP_URL")

    policy = tmp_path / "alert_channels.yaml"
    policy.write_text(
        "channels:\n  - {name: mail, kind: email, url_env: ALERT_SMTP_URL}\n", encoding="utf-8"
    )
    with pytest.raises(AlertPolicyError, match="an email channel needs to_env") as refused:
        alert_policy(policy)
    assert str(policy) in str(refused.value)


@pytest.mark.parametrize(
    ("min_severity", "wanted"),
    [
        ("low", ["low", "medium", "high", "critical"]),
        ("medium", ["medium", "high", "critical"]),
        ("high", ["high", "critical"]),
        ("critical", ["critical"]),
    ],
)
def test_a_channel_wants_reviews_from_its_lowest_severity_up(min_severity, wanted):
    target = channel(WECOM, "http://127.0.0.1/hook?key=k", min_severity=min_severity)

    levels = ["none", "low", "medium", "high", "critical", "unknown"]
    assert [level for level in levels if target.wants(level)] == wanted

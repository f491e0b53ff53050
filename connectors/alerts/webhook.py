"""The generic webhook: JSON with every review's facts, signed with HMAC-SHA256.

Headers: `X-Kefu-Delivery` (the message id: the same message retried keeps it, so a receiver
can drop a repeat), `X-Kefu-Timestamp` (Unix seconds) and `X-Kefu-Signature:
sha256=<hex HMAC-SHA256 of "timestamp.body" with the channel's secret>`. A receiver should
refuse timestamps more than five minutes off. Any 2xx answer is success.
"""

import hashlib
import hmac
import time

from connectors.alerts import Message, SendError
from connectors.alerts.http import dumps, post_json
from reviews.alert_channels import Channel


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def send(channel: Channel, message: Message) -> None:
    if channel.secret is None:
        raise SendError("the webhook channel has no secret (secret_env unset)", permanent=True)
    body = dumps(
        {
            "id": message.id,
            "type": "review_alert_digest" if message.batch.is_digest else "review_alert",
            "title": message.title,
            "text": message.markdown,
            "alerts": [alert.as_payload() for alert in message.batch.alerts],
        }
    )
    post_signed(channel.url, channel.secret, message.id, body)


def post_signed(url: str, secret: str, message_id: str, body: bytes) -> None:
    """POST `body` with the delivery id, the timestamp and their HMAC signature (the headers
    above); the queue sink signs the same way."""
    timestamp = str(int(time.time()))
    post_json(
        url,
        body,
        {
            "X-Kefu-Delivery": message_id,
            "X-Kefu-Timestamp": timestamp,
            "X-Kefu-Signature": signature(secret, timestamp, body),
        },
    )

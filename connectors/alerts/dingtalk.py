"""The DingTalk (钉钉) custom robot with 加签: a markdown message, signed in the address.

Signature: `timestamp` in milliseconds and `sign` = URL-encoded Base64 of HMAC-SHA256 over
"timestamp\\nsecret" keyed by the secret, appended to the webhook address. The robot answers
HTTP 200 with `{"errcode": 0}`; 130101 (too fast: 20 a minute) and -1 (busy) are tried again,
310000 (bad signature, keyword or IP) is permanent. Markdown needs a blank line to break one.
"""

import base64
import hashlib
import hmac
import time
from urllib.parse import quote_plus

from connectors.alerts import Message, SendError
from connectors.alerts.http import cut, dumps, post_json, robot_answer
from reviews.alert_channels import Channel

MAX_BYTES = 18000
RETRY_CODES = {-1, 130101}


def sign(secret: str, timestamp_ms: str) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256)
    return quote_plus(base64.b64encode(digest.digest()).decode())


def send(channel: Channel, message: Message) -> None:
    if channel.secret is None:
        raise SendError(
            "the DingTalk channel has no 加签 secret (secret_env unset)", permanent=True
        )
    timestamp = str(int(time.time() * 1000))
    joiner = "&" if "?" in channel.url else "?"
    url = f"{channel.url}{joiner}timestamp={timestamp}&sign={sign(channel.secret, timestamp)}"
    text = "\n\n".join(line for line in message.markdown.split("\n") if line.strip())
    body = {
        "msgtype": "markdown",
        "markdown": {"title": message.title, "text": cut(text, MAX_BYTES)},
    }
    robot_answer(post_json(url, dumps(body)), "errcode", RETRY_CODES)

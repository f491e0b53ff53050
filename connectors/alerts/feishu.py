"""The Feishu (飞书) custom robot with 签名校验: an interactive card, signed in the body.

Signature: `timestamp` in seconds and `sign` = Base64 of HMAC-SHA256 keyed by
"timestamp\\nsecret" over an empty message. The robot answers HTTP 200 with `{"code": 0}`;
9499 and 11232 (too frequent: 100 a minute, 5 a second) are tried again, 19021 (bad signature
or stale timestamp) is permanent. lark_md has no headings, so they become bold lines.
"""

import base64
import hashlib
import hmac
import re
import time

from connectors.alerts import Message
from connectors.alerts.http import cut, dumps, post_json, robot_answer
from reviews.alert_channels import Channel

MAX_BYTES = 20000
RETRY_CODES = {9499, 11232}


def sign(secret: str, timestamp: str) -> str:
    digest = hmac.new(f"{timestamp}\n{secret}".encode(), b"", hashlib.sha256)
    return base64.b64encode(digest.digest()).decode()


def send(channel: Channel, message: Message) -> None:
    text = re.sub(r"(?m)^#+\s*(.+)$", r"**\1**", message.markdown)
    card = {
        "header": {
            "title": {"tag": "plain_text", "content": message.title},
            "template": "red",
        },
        "elements": [{"tag": "div", "text": {"tag": "lark_md", "content": cut(text, MAX_BYTES)}}],
    }
    body: dict[str, object] = {"msg_type": "interactive", "card": card}
    if channel.secret is not None:
        timestamp = str(int(time.time()))
        body |= {"timestamp": timestamp, "sign": sign(channel.secret, timestamp)}
    robot_answer(post_json(channel.url, dumps(body)), "code", RETRY_CODES)

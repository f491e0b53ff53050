"""The WeCom (企业微信) group robot: a markdown message to the robot's webhook address.

The robot answers HTTP 200 with `{"errcode": 0, "errmsg": "ok"}`; errcode 45009 means too many
messages (20 a minute), -1 busy: both are tried again. Content is at most 4,096 bytes.
"""

from connectors.alerts import Message
from connectors.alerts.http import cut, dumps, post_json, robot_answer
from reviews.alert_channels import Channel

MAX_BYTES = 4096
RETRY_CODES = {-1, 45009}


def send(channel: Channel, message: Message) -> None:
    body = {"msgtype": "markdown", "markdown": {"content": cut(message.markdown, MAX_BYTES)}}
    robot_answer(post_json(channel.url, dumps(body)), "errcode", RETRY_CODES)

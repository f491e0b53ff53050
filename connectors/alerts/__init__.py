"""Notification connectors for 中差评 alerts: one module per channel kind, one `send` each.

A message is composed once (`compose`, words from words/alerts.yaml) and each connector wraps it
in its platform's native format, signs it, posts it and reads the platform's own error code
from the body (the robots answer HTTP 200 on errors). Failures raise `SendError`, marked
permanent when trying again cannot help (a bad key, a refused signature).
"""

from collections.abc import Callable
from dataclasses import dataclass
from time import perf_counter

from core.outbox import Delivery
from core.settings import get_settings
from reviews.alert_channels import Channel, ChannelKind
from reviews.alerts import AlertBatch
from words.render import alert_text

WORST_SHOWN = 5  # reviews a digest shows in full; the rest are counted and listed by id
# What one message may hold, in UTF-8 bytes (the platforms' limits, with room for the wrapping).
MAX_BYTES = {
    ChannelKind.WEBHOOK: 200_000,
    ChannelKind.WECOM: 4096,
    ChannelKind.DINGTALK: 18_000,
    ChannelKind.FEISHU: 20_000,
    ChannelKind.EMAIL: 200_000,
}


@dataclass(frozen=True)
class Message:
    """One message to one channel: its delivery id (receivers may dedupe on it), a title and
    markdown text, and the reviews it covers."""

    id: str
    title: str
    markdown: str
    batch: AlertBatch


class SendError(Exception):
    """The channel did not take the message."""

    def __init__(self, detail: str, code: str | None = None, permanent: bool = False) -> None:
        super().__init__(detail)
        self.code = code
        self.permanent = permanent


def compose(
    batch: AlertBatch,
    message_id: str,
    max_bytes: int = MAX_BYTES[ChannelKind.WECOM],
    sent_before: bool = False,
) -> Message:
    """The alert (one review) or the digest (a burst) as staff read it, within `max_bytes`: a
    digest shows fewer of its worst reviews in full until it fits (its list of the reviews it
    covers comes first, and is never cut).

    `sent_before`: the message may already have reached the receiver (its worker died before
    hearing back), so it says so at the top, for the people of a robot group, who have no
    delivery id to tell a repeat by."""
    base_url = get_settings().base_url
    notice = alert_text("sent_before_notice") + "\n\n" if sent_before else ""
    if batch.is_digest:
        title = alert_text("digest_title", batch=batch)
        for shown in range(WORST_SHOWN, -1, -1):
            worst = batch.worst(shown)
            text = notice + alert_text("digest", batch=batch, worst=worst, base_url=base_url)
            if len(text.encode()) <= max_bytes:
                break
    else:
        alert = batch.alerts[0]
        title = alert_text("alert_title", a=alert)
        text = notice + alert_text("alert", a=alert, base_url=base_url)
    if sent_before:
        title = alert_text("sent_before_title", title=title)
    return Message(message_id, title, text, batch)


def send(channel: Channel, message: Message) -> None:
    """Deliver the message in the channel's native format (raises SendError)."""
    from connectors.alerts import dingtalk, email, feishu, webhook, wecom

    senders = {
        ChannelKind.WEBHOOK: webhook.send,
        ChannelKind.WECOM: wecom.send,
        ChannelKind.DINGTALK: dingtalk.send,
        ChannelKind.FEISHU: feishu.send,
        ChannelKind.EMAIL: email.send,
    }
    senders[channel.spec.kind](channel, message)


def attempt(message_id: str, deliver: Callable[[], None]) -> Delivery:
    """One delivery attempt, timed: what the outbox records of it."""
    started = perf_counter()
    try:
        deliver()
    except SendError as exc:
        return Delivery(message_id, perf_counter() - started, str(exc), exc.code, exc.permanent)
    return Delivery(message_id, perf_counter() - started)

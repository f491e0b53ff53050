"""Talking to the Rasa server over its REST channel."""

from dataclasses import dataclass, field
from typing import Any

import httpx


class BotUnavailableError(RuntimeError):
    """Rasa (or the action server behind it) did not answer in time or answered with an error."""


@dataclass(frozen=True)
class BotReply:
    text: str
    buttons: list[dict[str, Any]] = field(default_factory=list)


class RasaRestClient:
    """Sends one shopper message to Rasa and returns the bot's replies."""

    def __init__(self, base_url: str, timeout_s: float = 4.0) -> None:
        self._url = f"{base_url.rstrip('/')}/webhooks/rest/webhook"
        self._client = httpx.AsyncClient(timeout=httpx.Timeout(timeout_s))

    async def send(self, sender_id: str, text: str) -> list[BotReply]:
        try:
            response = await self._client.post(
                self._url, json={"sender": sender_id, "message": text}
            )
            response.raise_for_status()
            payload = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise BotUnavailableError(f"Rasa did not answer: {exc!r}") from exc
        replies = [
            BotReply(item.get("text") or "", item.get("buttons") or [])
            for item in payload
            if item.get("text") or item.get("buttons")
        ]
        if not replies:  # Rasa answers [] when an action failed (e.g. action server down)
            raise BotUnavailableError("Rasa answered with no message")
        return replies

    async def aclose(self) -> None:
        await self._client.aclose()

"""A stand-in for Rasa in the API tests: one reply with a button, whatever the shopper said."""

from connectors.rasa_client import BotReply


class EchoBot:
    async def send(
        self, sender_id: str, text: str, metadata: dict[str, str] | None = None
    ) -> list[BotReply]:
        return [BotReply(f"收到：{text[:20]}", [{"title": "查物流", "payload": "查物流"}])]

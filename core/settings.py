"""All run-time settings in one place; environment variables override the defaults."""

import secrets
from functools import lru_cache
from pathlib import Path

from limits import parse_many
from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Settings read from the environment (and an optional `.env` file)."""

    model_config = SettingsConfigDict(env_file=PROJECT_ROOT / ".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'var' / 'kefu.db'}",
        description="SQLAlchemy URL; PostgreSQL e.g. postgresql+psycopg://user:pw@host/db",
    )
    shop_name: str = "悦购优选官方旗舰店"
    host: str = "127.0.0.1"
    api_port: int = 8000
    rasa_port: int = 5005
    # Rasa servers behind the chat gateway (ports rasa_port, rasa_port+1, ...). One process is
    # single-threaded; several share one SQL tracker store and a Redis lock store (Rasa's own
    # scale-out), so any of them can take any conversation's next message.
    rasa_instances: int = Field(default=2, ge=1, le=8)
    rasa_server_urls: list[str] = Field(
        default_factory=list,
        description="the Rasa servers' base URLs when they are not all on HOST (several hosts), "
        "a JSON list of http://ADDRESS:PORT; empty: RASA_INSTANCES servers on HOST from RASA_PORT",
    )
    rasa_tracker_db_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'var' / 'rasa-trackers.db'}",
        description="Rasa's tracker store (its own database: Rasa also names a table `events`)",
    )
    redis_port: int = 6379
    action_port: int = 5055
    reviews_model_dir: Path = Field(
        default=PROJECT_ROOT / "reviews" / "model",
        description="the review models the analysis loads (`python -m reviews train` writes one)",
    )
    reviews_data_dir: Path = Field(
        default=PROJECT_ROOT.parent / "shared" / "data" / "reviews",
        description="the shared real review data (never copied into the repository) that "
        "`python -m reviews evaluate` and `train` read",
    )
    real_chats_file: Path = Field(
        default=PROJECT_ROOT.parent / "shared" / "data" / "chats" / "jd_sessions_dev.jsonl",
        description="real shopper chats (never copied into the repository) that "
        "`bench/nlu_real.py` measures the bot on, with the labels in bench/nlu/",
    )
    reviews_goods_causes: Path = Field(
        default=PROJECT_ROOT / "reviews" / "eval" / "goods_causes.jsonl",
        description="the hand-labelled causes of negative goods reviews that the evaluation reads",
    )

    alert_channels_file: Path = Field(
        default=PROJECT_ROOT / "reviews" / "alert_channels.yaml",
        description="the shop's 中差评 alert channels (addresses and secrets from the environment)",
    )
    jobs_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'var' / 'jobs.db'}",
        description="the job runner's queue (Huey): sqlite:///FILE embedded, redis://HOST:PORT/DB "
        "or postgresql://… when a shop runs several workers; memory:// runs jobs in-process "
        "(tests)",
    )
    rate_limit_url: str = Field(
        default="memory://",
        description="storage of the alert channels' rate limits (the `limits` library): "
        "memory:// for one worker process, redis://HOST:PORT when several share the channels",
    )
    push_url: str = Field(
        default="memory://",
        description="how a message stored through one API worker wakes the shopper's stream held "
        "by another (connectors/push.py, docs/push.md): memory:// for one API process, "
        "redis://HOST:PORT/DB (pub/sub) when several serve the chat",
    )
    # --- abuse limits on the public routes (api/limits.py), in `limits` notation ---
    client_rate_limit: str = Field(
        default="600/minute",
        description="requests one client (IP address) may make to the chat and other public "
        "routes; generous, since shoppers behind one carrier NAT share an address",
    )
    chat_start_rate_limit: str = Field(
        default="20/minute;300/day", description="conversations one client may start"
    )
    chat_message_rate_limit: str = Field(
        default="30/minute;600/hour",
        description="messages into one conversation (a person types far fewer; a script more)",
    )

    sign_in_rate_limit: str = Field(
        default="20/15 minutes", description="staff sign-in attempts one client may make"
    )
    sign_in_failure_limit: str = Field(
        default="10/hour",
        description="wrong passwords for one login, from anywhere, before it is refused a while",
    )

    @field_validator(
        "client_rate_limit",
        "chat_start_rate_limit",
        "chat_message_rate_limit",
        "sign_in_rate_limit",
        "sign_in_failure_limit",
    )
    @classmethod
    def _rate_limit_notation(cls, value: str) -> str:
        try:
            parse_many(value)
        except ValueError as exc:
            raise ValueError(f"not a rate limit like '30/minute;600/hour': {value!r}") from exc
        return value

    client_digest_key: str = Field(
        default_factory=lambda: secrets.token_hex(16),
        min_length=16,
        max_length=200,
        description="the HMAC key of the digest that names a shopper's device to the bot (for "
        "the per-client phone-tail lock) instead of its address; every API worker needs the "
        "same one (default: random per process, which splits the count per worker)",
    )
    # --- end of the abuse limits ---
    job_workers: int = Field(default=4, ge=1, le=32)
    outbox_lease_s: float = Field(
        default=120.0,
        gt=0,
        description="a row claimed longer ago than this, and not finished, was left by a dead"
        " worker: the sweep offers it again (longer than any delivery can take)",
    )
    outbox_sweep_s: float = Field(default=60.0, gt=0, description="how often workers sweep")
    public_url: str = Field(
        default="",
        description="the address staff open links in alerts with (default http://HOST:API_PORT)",
    )
    # --- the queue sink (recurring/): queue items forwarded to a team's own tracker ---
    queue_sink_url: str = Field(
        default="",
        max_length=500,
        description="where every change of a recurring-issue queue item is POSTed as signed "
        "JSON (docs/queues.md); empty: no sink",
    )
    queue_sink_secret: str = Field(
        default="",
        max_length=200,
        description="the HMAC-SHA256 secret that signs the queue sink's requests (required "
        "with QUEUE_SINK_URL)",
    )

    @model_validator(mode="after")
    def _queue_sink_is_signed(self) -> "Settings":
        if self.queue_sink_url and not self.queue_sink_secret:
            raise ValueError("QUEUE_SINK_URL is set without QUEUE_SINK_SECRET")
        if self.queue_sink_url and not self.queue_sink_url.startswith(("https://", "http://")):
            raise ValueError("QUEUE_SINK_URL must be an http(s):// address")
        return self

    # --- end of the queue sink ---

    @property
    def base_url(self) -> str:
        return self.public_url.rstrip("/") or f"http://{self.host}:{self.api_port}"

    @property
    def rasa_urls(self) -> list[str]:
        if self.rasa_server_urls:
            return [url.rstrip("/") for url in self.rasa_server_urls]
        return [f"http://{self.host}:{self.rasa_port + i}" for i in range(self.rasa_instances)]

    @property
    def action_endpoint_url(self) -> str:
        return f"http://{self.host}:{self.action_port}/webhook"


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()

"""Abuse limits on the public routes: per client (its IP address) and per conversation.

The windows are the shared limiter's (core.rate_limits): in Redis when several API workers run,
so a client is counted once however the load balancer spreads its requests. Behind a proxy the
client's address is the one uvicorn takes from X-Forwarded-For (only from the addresses in
FORWARDED_ALLOW_IPS, 127.0.0.1 by default). When the limiter's storage cannot be reached the
request goes through: the limits protect the shop, an outage of Redis must not close it.
"""

import hashlib
import hmac
import math
from collections.abc import Callable
from enum import StrEnum
from functools import cache

from fastapi import Depends, HTTPException, Request, status
from fastapi.dependencies.models import Dependant
from limits import RateLimitItem, parse_many

from core.rate_limits import hit, seconds_to_wait
from core.settings import get_settings

TOO_MANY = "操作太频繁了，请稍等片刻再试 / too many requests, please wait a moment"


class Scope(StrEnum):
    """What a limit counts, keyed by the client's address or the conversation."""

    CLIENT = "client"  # every request of one client to the public routes
    CHAT_START = "chat_start"  # conversations one client starts
    CHAT_MESSAGE = "chat_message"  # messages into one conversation
    SIGN_IN = "sign_in"  # staff sign-in attempts from one client


@cache
def limit_items(notation: str) -> list[RateLimitItem]:
    """The limits a notation names (parsed once)."""
    return parse_many(notation)


def _notation(scope: Scope) -> str:
    settings = get_settings()
    return {
        Scope.CLIENT: settings.client_rate_limit,
        Scope.CHAT_START: settings.chat_start_rate_limit,
        Scope.CHAT_MESSAGE: settings.chat_message_rate_limit,
        Scope.SIGN_IN: settings.sign_in_rate_limit,
    }[scope]


def wait_needed(scope: Scope, key: str) -> float:
    """Count one request against the scope's limits: 0.0 when it may go, else the seconds
    until it may."""
    for item in limit_items(_notation(scope)):
        if not hit(item, scope.value, key):
            return max(seconds_to_wait(item, scope.value, key), 1.0)
    return 0.0


def client_address(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


def client_digest(request: Request) -> str:
    """The client as other services may see it: a keyed digest of its address (personal data
    stays here; without the key the address cannot be found by trying them all), the same in
    every API worker that shares CLIENT_DIGEST_KEY."""
    key = get_settings().client_digest_key.encode()
    return hmac.new(key, client_address(request).encode(), hashlib.sha256).hexdigest()[:24]


def _refuse_if_over(scope: Scope, key: str) -> None:
    wait = wait_needed(scope, key)
    if wait:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            TOO_MANY,
            headers={"Retry-After": str(math.ceil(wait))},
        )


def _per_client(request: Request) -> None:
    _refuse_if_over(Scope.CLIENT, client_address(request))


def _chat_starts(request: Request) -> None:
    _refuse_if_over(Scope.CHAT_START, client_address(request))


def _chat_messages(request: Request) -> None:
    _refuse_if_over(Scope.CHAT_MESSAGE, str(request.path_params.get("conversation_id", "")))


def _sign_ins(request: Request) -> None:
    _refuse_if_over(Scope.SIGN_IN, client_address(request))


_CHECKS: tuple[Callable[[Request], None], ...] = (
    _per_client,
    _chat_starts,
    _chat_messages,
    _sign_ins,
)

per_client = Depends(_per_client)
"""A router's or route's dependency: the client's requests to the public routes."""
chat_starts = Depends(_chat_starts)
"""A route's dependency: the conversations a client starts."""
chat_messages = Depends(_chat_messages)
"""A route's dependency: the messages into the conversation its path names."""
sign_ins = Depends(_sign_ins)
"""A route's dependency: the staff sign-in attempts of a client."""


def is_limited(dependant: Dependant) -> bool:
    """Whether a route (its dependency tree) counts against a limit (it may answer 429)."""
    return dependant.call in _CHECKS or any(is_limited(d) for d in dependant.dependencies)

"""What every route shares: strict JSON bodies, a request-size limit, and the error answers it
may give written into the OpenAPI schema (so clients and the fuzzer know them)."""

import json
import math
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from fastapi import HTTPException, Request, Response
from fastapi.dependencies.utils import get_flat_params
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.deps import required_area
from api.limits import is_limited

MAX_BODY_BYTES = 1024 * 1024
"""A request body's limit: a batch of 1,000 reviews of a typical length (a few hundred bytes each)
fits, and a body that could only be an attack or a mistake stops before anyone parses it."""

LONE_SURROGATE = (
    "不能包含控制字符（孤立代理项）/ must not contain control characters (a lone surrogate)"
)
TOO_LARGE = "请求体过大（上限 1 MiB）/ request body too large (at most 1 MiB)"
DATABASE_UNAVAILABLE = (
    "服务暂时不可用（数据库连接中断），请稍后重试 / "
    "the service is unavailable for a moment (the database cannot be reached), please retry"
)
DATABASE_RETRY_AFTER_S = 5  # a PostgreSQL restart or failover takes a few seconds


class FieldError(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class Problem(BaseModel):
    """An error: a short message (Chinese / English), or the messages of each finding."""

    detail: str | list[str]


class Unprocessable(BaseModel):
    """A request refused as it stands: where and what (never the input echoed back)."""

    detail: list[FieldError] | list[str] | str


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route that answers these errors (401, 413 and 422 are added for every
    route that can give them)."""
    descriptions = {404: "not found", 409: "conflicts with the current state"}
    return {code: {"model": Problem, "description": descriptions.get(code, "")} for code in codes}


class _StrictJsonRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = strict_json(await self.body())
        return self._json


def strict_json(body: bytes) -> Any:
    """The body as JSON, refusing (JSONDecodeError: a 422) what no JSON encoder writes and no
    column stores: NaN and Infinity, numbers that overflow a float, lone surrogates, invalid
    UTF-8."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise json.JSONDecodeError("不是 UTF-8 / not UTF-8", "", exc.start) from None
    try:
        value = json.loads(text, parse_constant=_no_constant, parse_float=_finite_float)
    except json.JSONDecodeError:
        raise
    except (ValueError, RecursionError) as exc:  # raised by the hooks, the int digit limit, …
        raise json.JSONDecodeError(str(exc) or "invalid JSON", "", 0) from None
    if _holds_lone_surrogate(value):
        raise json.JSONDecodeError(LONE_SURROGATE, "", 0)
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"JSON 不允许 {name} / {name} is not JSON")


def _finite_float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise ValueError("数值超出范围 / number out of range")
    return value


def _holds_lone_surrogate(value: Any) -> bool:
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if not item.isascii():
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


class ApiRoute(APIRoute):
    """A route whose JSON body is parsed strictly (`strict_json`) and whose schema documents the
    errors every route of its kind may answer."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        responses = dict(self.responses)
        area = required_area(self.dependant)
        if area is not None:
            responses.setdefault(401, {"model": Problem, "description": "not signed in"})
            responses.setdefault(403, {"model": Problem, "description": f"role without {area}"})
        if self.body_field is not None:
            responses.setdefault(413, {"model": Problem, "description": "request body too large"})
        if is_limited(self.dependant):
            responses.setdefault(429, {"model": Problem, "description": "too many requests"})
        if get_flat_params(self.dependant) or self.body_field is not None:
            responses.setdefault(422, {"model": Unprocessable, "description": "invalid request"})
        self.responses = responses

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict(request: Request) -> Response:
            return await handler(_StrictJsonRequest(request.scope, request.receive))

        return strict


class BodySizeLimit:
    """Refuses (413) a request body over `max_bytes`: at once when Content-Length says so, and
    while it streams in when it has none (chunked) or lies."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await _too_large(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # an HTTPException: FastAPI passes it on from its body reading, and the
                    # app's handler answers it in JSON like every other error
                    raise HTTPException(413, TOO_LARGE)
            return message

        await self.app(scope, counted, send)


async def _too_large(scope: Scope, receive: Receive, send: Send) -> None:
    response = JSONResponse({"detail": TOO_LARGE}, status_code=413, headers={"Connection": "close"})
    await response(scope, receive, send)


def api_routes(routes: Sequence[BaseRoute]) -> list[APIRoute]:
    """Every API route among `routes` (an app's), also inside the routers it included (FastAPI
    keeps those in the router; our routers carry their prefix themselves)."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        included = getattr(route, "original_router", None)
        if included is not None:
            found += api_routes(included.routes)
    return found

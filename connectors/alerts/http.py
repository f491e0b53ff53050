"""Posting JSON to a channel and reading its answer, with the failures sorted."""

import json
from typing import Any

import httpx

from connectors.alerts import SendError

TIMEOUT = httpx.Timeout(10.0, connect=5.0)


def post_json(url: str, body: bytes, headers: dict[str, str] | None = None) -> Any:
    """POST `body` (JSON) and return the parsed answer (None when it is not JSON).

    Network errors, 5xx and 429 can pass: SendError to try again. Other 4xx answers are
    permanent: the address or the request is wrong.
    """
    try:
        response = httpx.post(
            url,
            content=body,
            headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
            timeout=TIMEOUT,
        )
    except httpx.HTTPError as exc:
        raise SendError(f"{type(exc).__name__}: {exc}") from exc
    if response.status_code >= 400:
        permanent = response.status_code < 500 and response.status_code != 429
        raise SendError(
            f"HTTP {response.status_code}: {response.text[:200]}",
            str(response.status_code),
            permanent,
        )
    try:
        return response.json()
    except ValueError:
        return None


def robot_answer(answer: Any, code_field: str, retry_codes: set[int]) -> None:
    """Check a robot's `{code_field: 0, ...}` answer; a code in `retry_codes` (busy, too
    fast) can pass, any other non-zero code is permanent."""
    if not isinstance(answer, dict) or code_field not in answer:
        raise SendError(f"unexpected answer: {json.dumps(answer, ensure_ascii=False)[:200]}")
    code = answer[code_field]
    if code != 0:
        detail = answer.get("errmsg") or answer.get("msg") or ""
        raise SendError(f"{code_field} {code}: {detail}", str(code), code not in retry_codes)


def dumps(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def cut(text: str, max_bytes: int) -> str:
    """`text` cut to at most `max_bytes` of UTF-8, on a character boundary, marked with …."""
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return text
    return data[: max_bytes - 3].decode("utf-8", errors="ignore") + "…"

"""Field types shared by the routes' request bodies."""

import re
from typing import Annotated

from pydantic import AfterValidator

# C0 controls but tab and newlines, DEL, and lone surrogates: no database stores them as text
# (PostgreSQL refuses NUL) and no person typed them.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _printable(text: str) -> str:
    if _UNPRINTABLE.search(text):
        raise ValueError("不能包含控制字符 / must not contain control characters")
    return text


PlainText = Annotated[str, AfterValidator(_printable)]
"""Text a person wrote: refused (422) when it holds control characters."""

"""The one Huey instance, on the queue storage JOBS_URL names.

- `sqlite:///FILE` (default): embedded, one machine, no server to run;
- `redis://HOST:PORT/DB`: several workers on several machines;
- `postgresql://…`: several workers, when the shop would rather not run Redis;
- `memory://`: jobs run at once, in the calling process (tests).
"""

from pathlib import Path

from huey import Huey, MemoryHuey, PostgresHuey, RedisHuey, SqliteHuey

from core.settings import get_settings

NAME = "kefu"


def make_huey(url: str) -> Huey:
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(NAME, filename=str(path))
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(NAME, url=url)
    if url.startswith(("postgresql://", "postgresql+psycopg://", "postgres://")):
        return PostgresHuey(NAME, dsn=url.replace("postgresql+psycopg://", "postgresql://"))
    if url == "memory://":
        return MemoryHuey(NAME, immediate=True)
    raise ValueError(f"JOBS_URL: unsupported queue storage {url!r}")


huey = make_huey(get_settings().jobs_url)

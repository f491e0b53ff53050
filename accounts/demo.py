"""The demo shop's staff: one user per role, created on the first `make run` with a random
password each, which is kept in var/demo-logins.json (readable by its owner only) and printed at
every start, so whoever runs the demo can sign in as each role."""

import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from accounts.models import Role, User
from accounts.service import create_user, set_password
from core.settings import PROJECT_ROOT

LOGINS_FILE = PROJECT_ROOT / "var" / "demo-logins.json"
DEMO_STAFF: dict[Role, tuple[str, str]] = {  # role: login, name
    Role.AGENT: ("agent", "客服小美"),
    Role.SUPERVISOR: ("supervisor", "店长老陈"),
    Role.MANAGER: ("manager", "经理老周"),
    Role.ADMIN: ("admin", "运营小王"),
}


@dataclass(frozen=True)
class DemoLogin:
    role: Role
    login: str
    name: str
    password: str


def _read(path: Path) -> dict[str, DemoLogin]:
    if not path.exists():
        return {}
    rows = json.loads(path.read_text(encoding="utf-8"))
    return {
        row["login"]: DemoLogin(Role(row["role"]), row["login"], row["name"], row["password"])
        for row in rows
    }


def _write(path: Path, logins: list[DemoLogin]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [asdict(login) for login in logins]
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump(rows, file, ensure_ascii=False, indent=1)


def ensure_demo_staff(session: Session, path: Path = LOGINS_FILE) -> list[DemoLogin]:
    """The demo users' logins; a missing user is created, and one whose password the file no
    longer knows (a new database, a deleted file) gets a new random one."""
    known = _read(path)
    logins: list[DemoLogin] = []
    for role, (login, name) in DEMO_STAFF.items():
        user = session.scalar(select(User).where(User.login == login))
        remembered = known.get(login)
        if user is not None and remembered is not None:
            logins.append(remembered)
            continue
        password = secrets.token_urlsafe(9)  # 12 characters
        if user is None:
            create_user(session, login, name, role, password)
        else:
            set_password(session, user, password)
        logins.append(DemoLogin(role, login, name, password))
    _write(path, logins)
    return logins

"""One staff user per role in the test database, each with a known API token."""

from sqlalchemy.orm import Session

from accounts.models import ApiToken, Role
from accounts.service import create_user, token_hash

PASSWORD = "test-password-2026"
STAFF: dict[Role, tuple[str, str, str]] = {  # role: login, name, API token
    Role.AGENT: ("xiaomei", "客服小美", "test-agent-token"),
    Role.SUPERVISOR: ("laochen", "店长老陈", "test-supervisor-token"),
    Role.MANAGER: ("laozhou", "经理老周", "test-manager-token"),
    Role.ADMIN: ("xiaowang", "运营小王", "test-admin-token"),
}


def add_test_staff(session: Session) -> None:
    for role, (login, name, token) in STAFF.items():
        user = create_user(session, login, name, role, PASSWORD)
        session.add(ApiToken(user_id=user.id, token_hash=token_hash(token), label="tests"))
    session.flush()


def bearer(role: Role) -> dict[str, str]:
    """The Authorization header of the test user with this role."""
    return {"Authorization": f"Bearer {STAFF[role][2]}"}


def name_of(role: Role) -> str:
    return STAFF[role][1]


def add_user_with_token(session: Session, role: Role, name: str, token: str) -> None:
    """A user of `role` named `name` whose API token is `token` (for servers the tests start
    on a database of their own)."""
    login = "user" + token_hash(token)[:8]
    user = create_user(session, login, name, role, PASSWORD)
    session.add(ApiToken(user_id=user.id, token_hash=token_hash(token), label="tests"))
    session.flush()

"""Staff users, the role each has and what a role may do, and the credentials they sign in with.

Shoppers have no account: a conversation is theirs through its secret (conversations.service).
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.clock import utcnow
from core.database import Base, UTCDateTime, enum_column

LOGIN_MAX = 40
NAME_MAX = 20  # the name shoppers see beside an agent's reply
LABEL_MAX = 80


class Role(StrEnum):
    AGENT = "agent"  # answers shoppers, works the review worklist and the queues
    SUPERVISOR = "supervisor"  # an agent who also approves offers above the threshold
    MANAGER = "manager"  # reads the reports
    ADMIN = "admin"  # the FAQ, policies, alert channels, users; the bot's corrections


class Area(StrEnum):
    """What a route belongs to; a role may work in some areas (ROLE_AREAS)."""

    DESK = "desk"  # conversations, the review worklist, the queues, teaching the bot
    SUPERVISE = "supervise"  # approving offers above the compensation policy's threshold
    REPORTS = "reports"
    RECORDS = "records"  # reading one review or conversation: what a report's number drills to
    ADMIN = "admin"


ROLE_AREAS: dict[Role, frozenset[Area]] = {
    Role.AGENT: frozenset({Area.DESK, Area.RECORDS}),
    Role.SUPERVISOR: frozenset({Area.DESK, Area.SUPERVISE, Area.REPORTS, Area.RECORDS}),
    Role.MANAGER: frozenset({Area.REPORTS, Area.RECORDS}),
    Role.ADMIN: frozenset({Area.ADMIN}),
}


@dataclass(frozen=True)
class Staff:
    """The signed-in user a request acts as (detached from any database session)."""

    id: int
    login: str
    name: str
    role: Role

    def can(self, area: Area) -> bool:
        return area in ROLE_AREAS[self.role]


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(LOGIN_MAX), unique=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX), unique=True)  # agents have distinct 花名
    role: Mapped[Role] = mapped_column(enum_column(Role))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def staff(self) -> Staff:
        return Staff(id=self.id, login=self.login, name=self.name, role=self.role)


class ApiToken(Base):
    """A bearer token for the API, bound to a user; only its sha256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(LABEL_MAX))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class StaffSession(Base):
    """A browser session after a password login: the cookie's sha256 and the session's CSRF
    token, which the pages send back in a header with every change."""

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    user: Mapped[User] = relationship()

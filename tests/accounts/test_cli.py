"""The accounts command line: adding a user, a token, and deactivating (never the last admin)."""

import io

import pytest

from accounts.__main__ import main
from accounts.models import Role
from accounts.service import create_user, find_user, token_staff


@pytest.fixture
def no_migration(monkeypatch):
    monkeypatch.setattr("accounts.__main__.upgrade", lambda **_: None)  # the tests' is migrated


def test_a_user_added_from_the_command_line_signs_in_with_a_token_it_prints(
    db, capsys, monkeypatch, no_migration
):
    monkeypatch.setattr("sys.stdin", io.StringIO("a long password 1\n"))
    argv = ["create-user", "xiaozhao", "--name", "客服小赵", "--role", "agent", "--password-stdin"]
    assert main(argv) == 0
    assert main(["issue-token", "xiaozhao", "--label", "erp"]) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    who = token_staff(db, token)
    assert who is not None
    assert who.staff.name == "客服小赵"


def test_the_command_line_never_deactivates_the_last_active_admin(db, capsys, no_migration):
    assert main(["deactivate", "xiaowang"]) == 2  # the test database's only admin
    assert "admin" in capsys.readouterr().err
    assert find_user(db, "xiaowang").active
    create_user(db, "second", "运营小李", Role.ADMIN, "a long password 2")
    assert main(["deactivate", "xiaowang"]) == 0
    assert not find_user(db, "xiaowang").active

"""Staff accounts from the command line.

    python -m accounts create-user LOGIN --name 花名 --role agent   # asks for the password
    python -m accounts issue-token LOGIN [--label 用途]             # prints a new API token
    python -m accounts set-password LOGIN
    python -m accounts deactivate LOGIN                              # and revokes its tokens
    python -m accounts list

`--password-stdin` reads the password from standard input (scripts); without it the password is
asked for twice without echo.
"""

import argparse
import getpass
import sys

from sqlalchemy import select

from accounts.models import Role, Staff, User
from accounts.service import (
    AccountError,
    create_user,
    deactivate,
    find_user,
    issue_api_token,
    set_password,
)
from core.database import unit_of_work
from core.migrations import upgrade
from words.render import label

# Who acts from the command line: no signed-in user, so never "one's own account".
COMMAND_LINE = Staff(id=0, login="command-line", name="命令行", role=Role.ADMIN)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("密码 / password: ")
    if getpass.getpass("再输入一次 / again: ") != first:
        raise SystemExit("两次输入的密码不一致 / the passwords differ")
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m accounts", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-user", help="add a staff user")
    create.add_argument("login")
    create.add_argument("--name", required=True, help="the unique name shoppers see (花名)")
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument("--password-stdin", action="store_true")
    token = commands.add_parser("issue-token", help="a new API bearer token for a user")
    token.add_argument("login")
    token.add_argument("--label", default="api", help="what the token is for")
    password = commands.add_parser("set-password", help="a new password (ends its sessions)")
    password.add_argument("login")
    password.add_argument("--password-stdin", action="store_true")
    off = commands.add_parser("deactivate", help="no more sign-ins or tokens")
    off.add_argument("login")
    commands.add_parser("list", help="the users and their roles")
    args = parser.parse_args(argv)

    upgrade(quiet=True)
    try:
        with unit_of_work() as session:
            if args.command == "create-user":
                secret = _password(args.password_stdin)
                user = create_user(session, args.login, args.name, Role(args.role), secret)
                print(f"created {user.login} ({user.name}, {label(user.role)})")
            elif args.command == "issue-token":
                print(issue_api_token(session, find_user(session, args.login), args.label))
            elif args.command == "set-password":
                set_password(
                    session, find_user(session, args.login), _password(args.password_stdin)
                )
                print("password changed; the user's browser sessions ended")
            elif args.command == "deactivate":
                user = find_user(session, args.login)
                revoked = deactivate(session, user, COMMAND_LINE)  # never the last admin
                print(f"deactivated {user.login}; {revoked} tokens revoked")
            else:
                for user in session.scalars(select(User).order_by(User.id)):
                    state = "" if user.active else "  (deactivated)"
                    print(f"{user.login:<20} {user.name:<12} {label(user.role)}{state}")
    except AccountError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

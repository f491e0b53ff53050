"""The words of staff accounts (words/accounts.yaml): why a change to a user was refused."""

from functools import cache
from pathlib import Path

from jinja2 import Template

from accounts.models import LOGIN_MAX, NAME_MAX
from accounts.service import PASSWORD_MAX, PASSWORD_MIN, AccountRefusal
from words.render import environment, words_file

ACCOUNTS_FILE = Path(__file__).with_name("accounts.yaml")
LIMITS = {
    "login_max": LOGIN_MAX,
    "name_max": NAME_MAX,
    "password_min": PASSWORD_MIN,
    "password_max": PASSWORD_MAX,
}


@cache
def _template(refusal: AccountRefusal) -> Template:
    return environment().from_string(str(words_file(ACCOUNTS_FILE)["refusals"][refusal.value]))


def account_refusal(refusal: AccountRefusal) -> str:
    """Why a change to a user was refused, Chinese then English."""
    return _template(refusal).render(**LIMITS)

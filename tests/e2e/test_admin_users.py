"""The admins' staff-user page in headless Chromium against the live server: an admin adds an
agent, sees the one-time password, the agent signs in with it in another browser and lands on
the desk; deactivated, the agent is signed out. The live server commits: logins are unique."""

import re
import uuid
from pathlib import Path

from accounts.models import Role
from tests.e2e.conftest import login

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _watch(page) -> list[str]:
    """Script errors and console errors (a CSP violation among them) the page runs into."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    return problems


def test_an_admin_adds_an_agent_who_signs_in_with_the_one_time_password(live_server, staff_context):
    suffix = uuid.uuid4().hex[:8]
    agent_login, agent_name = f"e2e.agent.{suffix}", f"新客服{suffix}"
    admin = staff_context().new_page()
    problems = _watch(admin)
    admin.on("dialog", lambda dialog: dialog.accept())
    login(admin, live_server, Role.ADMIN)
    admin.goto(f"{live_server}/admin/users")
    admin.wait_for_selector("#rows tr[data-login]")
    assert admin.locator("#new-role option").count() == len(Role)

    admin.fill("#new-login", agent_login)
    admin.fill("#new-name", agent_name)
    admin.select_option("#new-role", "agent")
    admin.click("#new-user button[type=submit]")
    admin.wait_for_selector("#secret:not([hidden])")
    password = admin.input_value("#secret-value")
    assert len(password) >= 16
    assert "只显示这一次" in admin.inner_text("#secret")
    assert agent_name in admin.inner_text("#secret-title")
    row = admin.locator(f'#rows tr[data-login="{agent_login}"]')
    row.wait_for()
    assert "在用" in row.inner_text()
    admin.mouse.move(0, 0)
    admin.locator(".toast").wait_for(state="detached")
    SHOTS.mkdir(parents=True, exist_ok=True)
    admin.screenshot(path=str(SHOTS / "admin-users.png"))

    agent = staff_context().new_page()
    agent.goto(f"{live_server}/login")
    agent.fill("#login", agent_login)
    agent.fill("#password", password)
    agent.click("#login-form button[type=submit]")
    agent.wait_for_url(re.compile(r"/desk$"))
    assert agent.inner_text("header.topbar .who") == agent_name

    admin.click("#secret-close")
    assert admin.locator("#secret").is_hidden()
    row.locator("button.deactivate").click()
    admin.wait_for_selector(f'#rows tr.inactive[data-login="{agent_login}"]')
    agent.reload()
    agent.wait_for_url(re.compile(r"/login\?next="))
    assert problems == []


def test_an_admins_own_row_cannot_be_deactivated_or_given_another_role(live_server, staff_context):
    page = staff_context().new_page()
    login(page, live_server, Role.ADMIN, next_path="/admin/users")
    own = page.locator("#rows tr", has=page.locator("span.badge", has_text="本人"))
    own.wait_for()
    assert own.locator("button.deactivate").is_disabled()
    assert own.locator("select.role-select").is_disabled()

"""The staff pages' plumbing: who is signed in (the session cookie), which role a page needs,
the navigation a role sees, and rendering a page with what every staff template expects."""

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from accounts.models import Area, Staff
from accounts.service import session_staff
from api.deps import STAFF_COOKIE, DbSession
from api.templating import templates
from core.settings import get_settings


@dataclass(frozen=True)
class NavItem:
    path: str
    label: str
    area: Area


NAV = (
    NavItem("/desk", "会话", Area.DESK),
    NavItem("/desk/reviews", "中差评", Area.DESK),
    NavItem("/desk/queues", "问题队列", Area.DESK),
    NavItem("/reports", "报表", Area.REPORTS),
    NavItem("/admin/users", "员工账号", Area.ADMIN),
    NavItem("/admin/faq", "FAQ 知识库", Area.ADMIN),
    NavItem("/admin/alerts", "提醒渠道", Area.ADMIN),
    NavItem("/admin/corrections", "机器人纠正", Area.ADMIN),
    NavItem("/docs", "API 文档", Area.ADMIN),
)


def home_path(staff: Staff) -> str:
    """Where a role lands after signing in: its first page."""
    return next(item.path for item in NAV if staff.can(item.area))


@dataclass(frozen=True)
class PageContext:
    staff: Staff
    csrf_token: str


class SignInRequiredError(Exception):
    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


class WrongRoleError(Exception):
    def __init__(self, ctx: "PageContext", area: Area) -> None:
        self.ctx = ctx
        self.area = area


def _page(area: Area | None) -> Any:
    def signed_in_page(request: Request, session: DbSession) -> PageContext:
        cookie = request.cookies.get(STAFF_COOKIE)
        who = session_staff(session, cookie) if cookie else None
        if who is None or who.csrf_token is None:
            path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise SignInRequiredError(path)
        ctx = PageContext(who.staff, who.csrf_token)
        if area is not None and not who.staff.can(area):
            raise WrongRoleError(ctx, area)
        return ctx

    signed_in_page.area = area  # type: ignore[attr-defined]
    return signed_in_page


DeskPage = Annotated[PageContext, Depends(_page(Area.DESK))]
ReportsPage = Annotated[PageContext, Depends(_page(Area.REPORTS))]
RecordsPage = Annotated[PageContext, Depends(_page(Area.RECORDS))]
"""A review's or conversation's page: read-only for a role outside the desk (`record`)."""
AdminPage = Annotated[PageContext, Depends(_page(Area.ADMIN))]
StaffPage = Annotated[PageContext, Depends(_page(None))]
"""Any signed-in staff member."""


def render(
    request: Request,
    template: str,
    ctx: PageContext,
    status_code: int = 200,
    record: bool = False,
    **values: Any,
) -> HTMLResponse:
    """A staff page: the template with the signed-in user, their navigation and CSRF token. A
    `record` (one review's or conversation's page) is read-only for a role outside the desk:
    shown, nothing to change."""
    nav = [item for item in NAV if ctx.staff.can(item.area)]
    path = request.url.path
    under = [i.path for i in nav if path == i.path or path.startswith(i.path.rstrip("/") + "/")]
    context = {
        "staff": ctx.staff,
        "csrf_token": ctx.csrf_token,
        "shop_name": get_settings().shop_name,
        "nav": nav,
        "read_only": record and not ctx.staff.can(Area.DESK),
        "current": max(under, key=len, default=None),  # the nav item the page is under
        **values,
    }
    return templates.TemplateResponse(request, template, context, status_code=status_code)


async def _to_sign_in(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInRequiredError)
    return RedirectResponse(f"/login?next={quote(exc.next_path, safe='')}", status_code=303)


async def _forbidden(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, WrongRoleError)
    return render(request, "staff/forbidden.html", exc.ctx, status_code=403, area=exc.area)


def install_page_handlers(app: FastAPI) -> None:
    app.add_exception_handler(SignInRequiredError, _to_sign_in)
    app.add_exception_handler(WrongRoleError, _forbidden)

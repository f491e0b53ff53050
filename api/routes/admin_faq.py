"""The FAQ knowledge base, for admins: the page over the FAQ API (`/api/faq`), where entries are
searched, tried as a shopper would ask, edited, added and deleted, each change kept with who
made it (the API's revisions)."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.pages import AdminPage, render
from faq.schema import ANSWER_MAX, QUESTION_MAX, VARIANTS_MAX

router = APIRouter()


@router.get("/admin/faq", include_in_schema=False, response_class=HTMLResponse)
def faq_page(request: Request, ctx: AdminPage) -> HTMLResponse:
    return render(
        request,
        "staff/admin/faq.html",
        ctx,
        question_max=QUESTION_MAX,
        answer_max=ANSWER_MAX,
        variants_max=VARIANTS_MAX,
    )

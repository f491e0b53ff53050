"""The FAQ knowledge base, for admins: the page over the FAQ API (`/api/faq`), where entries are
searched, tried as a shopper would ask, edited, added and deleted, each change kept with who
made it (the API's revisions). The shop's product categories come with the page: an entry may be
about some goods only (its scope) and have an answer per category."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from api.deps import DbSession
from api.pages import AdminPage, render
from faq.schema import ANSWER_MAX, QUESTION_MAX, VARIANTS_MAX
from shop.models import Category

router = APIRouter()


@router.get("/admin/faq", include_in_schema=False, response_class=HTMLResponse)
def faq_page(request: Request, ctx: AdminPage, session: DbSession) -> HTMLResponse:
    categories = session.execute(select(Category.code, Category.name).order_by(Category.id)).all()
    return render(
        request,
        "staff/admin/faq.html",
        ctx,
        question_max=QUESTION_MAX,
        answer_max=ANSWER_MAX,
        variants_max=VARIANTS_MAX,
        categories=categories,
    )

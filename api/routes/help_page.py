"""The storefront's help page, rendered from the same knowledge base the bot answers from."""

from itertools import groupby
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api.deps import DbSession, SettingsDep
from api.limits import per_client
from api.routing import ApiRoute
from api.templating import templates
from faq import knowledge_base as kb
from faq.service import faq_search, result_json

router = APIRouter(tags=["help"], route_class=ApiRoute, dependencies=[per_client])


@router.get("/help", response_class=HTMLResponse)
def help_page(
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    q: Annotated[str, Query(description="a question; past 500 characters it is cut")] = "",
) -> HTMLResponse:
    q = q[:500]  # a page for people: a long paste is searched cut, not answered in JSON
    entries = sorted(kb.all_entries(session), key=lambda e: e.category)
    categories = [(name, list(group)) for name, group in groupby(entries, key=lambda e: e.category)]
    result = result_json(faq_search.search(session, q, k=3)) if q.strip() else None
    return templates.TemplateResponse(
        request,
        "help.html",
        {"shop_name": settings.shop_name, "query": q, "result": result, "categories": categories},
    )

"""The API's reference page (/docs): Swagger UI from the app's own files, no CDN and no inline
script (FastAPI's built-in page loads both from a CDN and starts with an inline script, which
the Content-Security-Policy refuses; the app is created with docs_url=None and redoc_url=None)."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.routing import ApiRoute
from api.templating import templates

router = APIRouter(tags=["docs"], route_class=ApiRoute, include_in_schema=False)


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """Swagger UI over the app's OpenAPI schema."""
    return templates.TemplateResponse(
        request,
        "api_docs.html",
        {"title": request.app.title, "openapi_url": request.app.openapi_url or "/openapi.json"},
    )

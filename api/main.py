"""The FastAPI application."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from api import vendor
from api.pages import install_page_handlers
from api.routes import (
    admin_alerts,
    admin_faq,
    admin_users,
    agent_desk,
    api_docs,
    bot_corrections,
    chat,
    desk_pages,
    faq,
    health,
    help_page,
    negative_reviews,
    outbox,
    report_pages,
    reports,
    review_pages,
    reviews,
    staff_login,
    storefront,
)
from api.routes import recurring as recurring_routes  # recurring issues: the queues
from api.routing import (
    DATABASE_RETRY_AFTER_S,
    DATABASE_UNAVAILABLE,
    MAX_BODY_BYTES,
    BodySizeLimit,
)
from api.security_headers import SecurityHeaders
from api.templating import STATIC_DIR
from connectors.rasa_client import RasaRestClient
from connectors.storefront_chat import ChatGateway
from conversations.queue import load_agent_hours
from core.settings import get_settings
from jobs.tasks import enqueue_on_commit
from recurring.policy import load_recurring_policy  # recurring issues
from reviews.alert_channels import alert_policy
from shop.invoices import load_invoice_policy
from shop.policy import load_policy
from shop.price_protection import load_price_policy
from shop.problem_policy import load_problem_policy
from shop.refund_policy import load_refund_policy


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    load_policy()  # an invalid policy file stops the start with a clear error
    load_refund_policy()
    load_invoice_policy()
    load_price_policy()
    load_problem_policy()
    load_agent_hours()
    alert_policy()
    load_recurring_policy()  # recurring issues: the queues' thresholds
    enqueue_on_commit()  # reviews stored here wake the worker's alert deliveries
    bot = RasaRestClient(get_settings().rasa_urls)
    app.state.gateway = gateway = ChatGateway(bot)
    await gateway.signal.start()  # pushes to and from the other API workers (PUSH_URL)
    yield
    await gateway.signal.stop()
    await bot.aclose()


async def _invalid_request(_request: Request, exc: Exception) -> JSONResponse:
    """A 422 that says where and what, without echoing the input back (it may be megabytes,
    or hold a lone surrogate that no JSON encoder writes)."""
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"loc": list(e.get("loc", ())), "msg": _message(e), "type": e.get("type")}
        for e in exc.errors()
    ]
    return JSONResponse(status_code=422, content={"detail": errors})


async def _database_unavailable(_request: Request, exc: Exception) -> JSONResponse:
    """A 503 with Retry-After, never a 500, while the database cannot be reached (restarting,
    failing over, the network): the request may simply be sent again. The pool's pre-ping
    replaces the dead connections once it is back. Any other database error stays a 500."""
    assert isinstance(exc, DBAPIError)
    if not (isinstance(exc, OperationalError | InterfaceError) or exc.connection_invalidated):
        raise exc
    return JSONResponse(
        status_code=503,
        content={"detail": DATABASE_UNAVAILABLE},
        headers={"Retry-After": str(DATABASE_RETRY_AFTER_S)},
    )


def _message(error: dict[str, Any]) -> str:
    """The error's message; for a body that is not JSON, what is wrong with it (the parser's
    words or api.routing.strict_json's: NaN, a lone surrogate, …), never the input."""
    message = str(error.get("msg", ""))
    reason = (error.get("ctx") or {}).get("error")
    if error.get("type") == "json_invalid" and isinstance(reason, str):
        message = f"{message}: {reason[:200]}"
    return message


def create_app() -> FastAPI:
    app = FastAPI(
        title="客服助手 API",
        summary="Customer-service chatbot and review assistant for Chinese e-commerce shops.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # /docs is api_docs: Swagger UI from node_modules, no CDN
        redoc_url=None,
    )
    for module in (
        health,
        faq,
        help_page,
        chat,
        agent_desk,
        reviews,
        negative_reviews,
        outbox,
        storefront,
        staff_login,
        desk_pages,
        review_pages,
        report_pages,  # before reports: /api/reports/filters is not a report's name
        reports,
        bot_corrections,
        vendor,
        api_docs,
        admin_users,
        admin_alerts,
        admin_faq,
    ):
        app.include_router(module.router)
    app.include_router(recurring_routes.router)  # recurring issues: the queues
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(DBAPIError, _database_unavailable)
    app.add_middleware(BodySizeLimit, max_bytes=MAX_BODY_BYTES)
    app.add_middleware(SecurityHeaders)
    install_page_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


app = create_app()

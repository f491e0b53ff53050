"""The FastAPI application."""

from fastapi import FastAPI

from api.routes import faq, health, help_page


def create_app() -> FastAPI:
    app = FastAPI(
        title="客服助手 API",
        summary="Customer-service chatbot and review assistant for Chinese e-commerce shops.",
        version="0.1.0",
    )
    app.include_router(health.router)
    app.include_router(faq.router)
    app.include_router(help_page.router)
    return app


app = create_app()

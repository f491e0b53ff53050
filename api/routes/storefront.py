"""The demo storefront page with the chat widget."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from api.deps import DbSession, SettingsDep
from api.limits import per_client
from api.routing import ApiRoute
from api.templating import templates
from shop.models import Product

router = APIRouter(tags=["storefront"], route_class=ApiRoute, dependencies=[per_client])


@router.get("/", response_class=HTMLResponse)
def storefront(request: Request, session: DbSession, settings: SettingsDep) -> HTMLResponse:
    products = session.scalars(select(Product).order_by(Product.code)).all()
    return templates.TemplateResponse(
        request, "storefront.html", {"shop_name": settings.shop_name, "products": products}
    )

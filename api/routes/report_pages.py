"""The managers' report page (/reports) and the choices of its filters (categories, products).

The page itself is a shell: the reports, their charts and tables come from the reports API
(`api/routes/reports.py`), fetched by `/static/staff/reports.js`. Register this router BEFORE
that one, so `/api/reports/filters` is not taken for a report named "filters".
"""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.deps import DbSession, ReportsStaff
from api.pages import ReportsPage, render
from api.routing import ApiRoute
from shop.models import Category, Product

router = APIRouter(tags=["reports"], route_class=ApiRoute)


class CategoryChoice(BaseModel):
    value: str = Field(description="the `category` filter's value: the category's id")
    label: str
    code: str


class ProductChoice(BaseModel):
    value: str = Field(description="the `product_id` filter's value: the product's code")
    label: str
    category: str = Field(description="its category's `value`")


class FilterChoices(BaseModel):
    categories: list[CategoryChoice]
    products: list[ProductChoice]


def filter_choices(session: Session) -> FilterChoices:
    """The catalogue's categories and products, as the reports' filters name them."""
    categories = session.scalars(select(Category).order_by(Category.id)).all()
    products = session.execute(
        select(Product.code, Product.name, Product.category_id).order_by(Product.code)
    ).all()
    return FilterChoices(
        categories=[CategoryChoice(value=str(c.id), label=c.name, code=c.code) for c in categories],
        products=[
            ProductChoice(value=code, label=name, category=str(category_id))
            for code, name, category_id in products
        ],
    )


@router.get("/api/reports/filters", response_model=FilterChoices)
def report_filters(session: DbSession, _staff: ReportsStaff) -> FilterChoices:
    """The categories and products the reports can be filtered by (read-only catalogue data)."""
    return filter_choices(session)


@router.get("/reports", response_class=HTMLResponse, include_in_schema=False)
def reports_page(request: Request, ctx: ReportsPage) -> HTMLResponse:
    """The managers' reports: a chart and a table per report, filters, drill-down, CSV export."""
    return render(request, "staff/reports/index.html", ctx)

"""The report page's shell and the choices of its filters."""

from sqlalchemy import func, select

from accounts.models import Role
from shop.models import Category, Product
from tests.staff import PASSWORD, STAFF, bearer


def _sign_in(api_client, role: Role) -> None:
    response = api_client.post("/api/session", json={"login": STAFF[role][0], "password": PASSWORD})
    assert response.status_code == 200


def test_a_manager_gets_the_catalogue_s_categories_and_products_as_filter_choices(api_client, db):
    response = api_client.get("/api/reports/filters", headers=bearer(Role.MANAGER))
    assert response.status_code == 200
    choices = response.json()
    categories = {c["value"]: c for c in choices["categories"]}
    assert len(categories) == db.scalar(select(func.count()).select_from(Category))
    apparel = db.scalar(select(Category).where(Category.code == "apparel"))
    assert categories[str(apparel.id)]["label"] == apparel.name
    products = {p["value"]: p for p in choices["products"]}
    assert len(products) == db.scalar(select(func.count()).select_from(Product))
    tee = db.scalar(select(Product).where(Product.code == "P1001"))
    assert products["P1001"] == {"value": "P1001", "label": tee.name, "category": str(apparel.id)}
    assert {p["category"] for p in choices["products"]} <= set(categories)


def test_a_supervisor_may_read_the_filter_choices_and_an_agent_or_a_stranger_may_not(api_client):
    url = "/api/reports/filters"
    assert api_client.get(url, headers=bearer(Role.SUPERVISOR)).status_code == 200
    assert api_client.get(url, headers=bearer(Role.AGENT)).status_code == 403
    assert api_client.get(url, headers=bearer(Role.ADMIN)).status_code == 403
    assert api_client.get(url).status_code == 401


def test_the_report_page_sends_a_visitor_who_is_not_signed_in_to_the_login_page(api_client):
    response = api_client.get("/reports?report=causes", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Freports%3Freport%3Dcauses"


def test_an_agent_opening_the_report_page_gets_the_forbidden_page(api_client):
    _sign_in(api_client, Role.AGENT)
    response = api_client.get("/reports")
    assert response.status_code == 403
    assert "report-tabs" not in response.text


def test_a_manager_gets_the_report_page_with_the_chart_library_loaded_before_its_module(
    api_client,
):
    _sign_in(api_client, Role.MANAGER)
    response = api_client.get("/reports")
    assert response.status_code == 200
    html = response.text
    echarts = html.index('<script src="/static/vendor/echarts.min.js"></script>')
    module = html.index('<script type="module" src="/static/staff/reports.js"></script>')
    assert echarts < module
    assert '<link rel="stylesheet" href="/static/staff/reports.css">' in html
    for element in ("report-tabs", "report-filters", "report-chart", "report-table", "drill-panel"):
        assert f'id="{element}"' in html
    assert "style=" not in html

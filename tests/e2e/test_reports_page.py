"""The managers' report page in headless Chromium against the live server: the trend report, a
product filter, the reviews behind a number, CSV export; a wrong role refused; and the API docs
page, whose Swagger UI comes from the app's own files (no request leaves 127.0.0.1)."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy import delete, select

from accounts.models import Role
from core.clock import utcnow
from core.database import unit_of_work
from core.events import Event, EventName, record_event
from core.settings import PROJECT_ROOT
from reviews.causes import ReviewCause
from reviews.models import Review
from shop.models import CaseKind, Product
from tests.e2e.conftest import login
from tests.staff import bearer

SCREENSHOTS = PROJECT_ROOT / "docs" / "screenshots"
PRODUCT = "P2003"  # 骆驼 女士加绒雪地靴: the product the manager filters on
OTHER = "P1001"
PHONE = "13812345678"
PAYLOAD = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'
NEWEST_TEXT = f"雪地靴穿了两天就开胶了，打了{PHONE}也没人回。{PAYLOAD}"


NEGATIVES_BY_WEEK = (2, 1, 3, 2, 4, 2, 3, 5, 3, 2, 4, 1)  # of PRODUCT, this week first


@dataclass(frozen=True)
class History:
    newest_review_id: int
    negatives: int  # of PRODUCT, over the weeks inserted
    category_id: int


def _review(session, events: list[Event], n: int, product: str, negative: bool, text: str, at):
    review = Review(
        platform="e2e-reports",
        platform_review_id=f"e2e-reports-{n}",
        product_id=product,
        rating=1 if negative else 5,
        text=text,
        created_at=at,
        imported_at=at,
    )
    session.add(review)
    session.flush()
    events.append(
        record_event(
            session, EventName.REVIEW_RECEIVED, review.id, occurred_at=at, product_id=product
        )
    )
    if negative:
        events.append(
            record_event(
                session,
                EventName.REVIEW_FLAGGED_NEGATIVE,
                review.id,
                occurred_at=at,
                product_id=product,
                cause=ReviewCause.PRODUCT,
                sub_cause="product.poor_quality",
            )
        )
    return review


@pytest.fixture(scope="module")
def history(live_server) -> Iterator[History]:
    """Twelve weeks of reviews of two products and a few parcel cases (committed, as the live
    server reads them); the newest, a negative review of PRODUCT, holds a phone number and
    script and image markup. All removed afterwards."""
    now = utcnow()
    events: list[Event] = []
    with unit_of_work() as session:
        n = 0
        for week, negatives in enumerate(NEGATIVES_BY_WEEK):
            monday_ago = 7 * week + 1
            for i in range(6 + week % 4):
                negative = i < negatives
                text = "鞋子有点掉色，不太满意" if negative else "很保暖，尺码标准"
                at = now - timedelta(days=monday_ago + i * 0.2)
                _review(session, events, n, PRODUCT, negative, text, at)
                n += 1
            for i in range(4):
                at = now - timedelta(days=monday_ago + 0.5 + i * 0.3)
                _review(session, events, n, OTHER, i == week % 2, "T恤不错", at)
                n += 1
            for i in range(1 + week % 3):
                case = record_event(
                    session,
                    EventName.CASE_OPENED,
                    f"e2e-reports-{week}-{i}",
                    occurred_at=now - timedelta(days=monday_ago + 0.7 + i * 0.4),
                    order_no=f"E2E{week:02d}{i}",
                    carrier="中通",
                    cause=CaseKind.DELAYED,
                )
                events.append(case)
        newest = _review(session, events, n, PRODUCT, True, NEWEST_TEXT, now - timedelta(minutes=1))
        session.flush()
        event_ids = [e.id for e in events]
        category_id = session.scalar(select(Product.category_id).where(Product.code == PRODUCT))
        assert category_id is not None
        found = History(newest.id, sum(NEGATIVES_BY_WEEK) + 1, category_id)
    yield found
    with unit_of_work() as session:  # events are append-only for the app, not for a test
        session.execute(delete(Event).where(Event.id.in_(event_ids)))
        session.execute(delete(Review).where(Review.platform == "e2e-reports"))


@pytest.fixture
def page(staff_context):
    page = staff_context().new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("dialog", lambda dialog: problems.append(f"dialog: {dialog.message}"))
    page.on("console", lambda message: _console(problems, message))
    page.on("response", lambda response: _refused(problems, response))
    page.problems = problems
    return page


def _console(problems: list[str], message) -> None:
    """Errors in the console (a script or style the Content-Security-Policy refused, …); a
    failed request is reported by _refused with its URL."""
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        problems.append(message.text)


def _refused(problems: list[str], response) -> None:
    if response.status >= 400 and not response.url.endswith("/favicon.ico"):
        problems.append(f"{response.status} {response.url}")


def _table(page) -> tuple[list[str], list[list[str]]]:
    header = page.locator("#report-table thead th").all_inner_texts()
    rows = [
        row.locator("td").all_inner_texts() for row in page.locator("#report-table tbody tr").all()
    ]
    return header, rows


def _api(live_server: str, path: str, **params: str) -> Any:
    response = httpx.get(f"{live_server}{path}", params=params, headers=bearer(Role.MANAGER))
    response.raise_for_status()
    return response.json()


def test_a_manager_filters_the_trend_report_drills_down_to_a_review_and_exports_csv(
    page, live_server, history, tmp_path
):
    login(page, live_server, Role.MANAGER, next_path="/reports?report=complaints")
    page.wait_for_selector("#report-table tbody tr")
    assert page.locator(".report-tab[aria-current=page]").get_attribute("data-report") == (
        "complaints"
    )
    page.wait_for_selector("#report-chart canvas")  # the chart library, served by the app

    # filter: the product's category narrows the product list, then the product
    page.select_option("#filter-category", str(history.category_id))
    products = page.locator("#filter-product option").evaluate_all("os => os.map(o => o.value)")
    assert PRODUCT in products
    assert OTHER not in products  # another category
    page.select_option("#filter-product", PRODUCT)
    page.click("#report-filters button[type=submit]")
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("product_id") == [PRODUCT])
    page.wait_for_selector("#report[aria-busy=false]")

    query = parse_qs(urlsplit(page.url).query)
    assert query["report"] == ["complaints"]
    assert query["category"] == [str(history.category_id)]
    expected = _api(live_server, "/api/reports/complaints", product_id=PRODUCT)
    assert expected["totals"]["negatives"] >= history.negatives
    total_cell = page.locator("#report-table tfoot td[data-key=negatives]")
    assert total_cell.inner_text() == f"{expected['totals']['negatives']:,}"
    header, rows = _table(page)
    assert header == [c["label"] for c in expected["columns"]]
    assert len(rows) == len(expected["rows"])

    # the view is in the URL: opened again, it shows the same filtered table
    page.goto(page.url)
    page.wait_for_selector("#report[aria-busy=false]")
    assert page.input_value("#filter-product") == PRODUCT
    assert page.locator("#report-table tfoot td[data-key=negatives]").inner_text() == (
        total_cell.inner_text()
    )

    # drill down: this week's negative reviews, the newest first
    this_week = page.locator("#report-table tbody tr").last
    this_week.locator("td[data-key=negatives] .drill-link").click()
    page.wait_for_selector("#drill-panel .drill-item")
    review = page.locator(f'a[href="/desk/reviews/{history.newest_review_id}"]')
    item = page.locator("#drill-panel .drill-item").filter(has=review)
    assert item.count() == 1
    excerpt = item.locator(".drill-excerpt").inner_text()
    assert "开胶" in excerpt
    assert PHONE not in excerpt  # masked by the API
    assert "<script>" in excerpt  # shown as text, never run or parsed
    assert page.locator("#drill-panel img, #drill-panel script").count() == 0
    assert page.evaluate("window.__xss") is None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "reports-drill-down.png"))
    page.keyboard.press("Escape")
    assert page.locator("#drill-panel").is_hidden()

    # CSV export with the same filters
    href = page.get_attribute("#report-csv", "href")
    assert parse_qs(urlsplit(href).query)["product_id"] == [PRODUCT]
    with page.expect_download() as download_info:
        page.click("#report-csv")
    download = download_info.value
    assert download.suggested_filename.startswith("complaints-")
    assert download.suggested_filename.endswith(".csv")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    raw = saved.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the Chinese right
    lines = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"))))
    assert lines[0] == header
    assert len(lines) - 1 >= len(rows)  # the rows (and a totals line, if the CSV has one)
    assert page.problems == []


def test_the_report_page_screenshot_shows_the_trend_over_twelve_weeks(page, live_server, history):
    login(page, live_server, Role.MANAGER, next_path="/reports?report=complaints")
    page.wait_for_selector("#report[aria-busy=false] #report-table tbody tr")
    page.wait_for_selector("#report-chart canvas")
    page.wait_for_timeout(600)  # the chart's entry animation
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "reports.png"))
    assert page.problems == []


def test_every_report_renders_its_table_without_errors(page, live_server, history):
    login(page, live_server, Role.MANAGER, next_path="/reports")
    page.wait_for_selector("#report[aria-busy=false]")
    names = page.locator(".report-tab").evaluate_all("tabs => tabs.map(t => t.dataset.report)")
    assert names == [r["name"] for r in _api(live_server, "/api/reports")]
    for name in names:
        page.click(f".report-tab[data-report={name}]")
        page.wait_for_url(lambda url, name=name: f"report={name}" in url)
        page.wait_for_selector("#report[aria-busy=false]")
        assert page.locator("#report-error").is_hidden(), name
        expected = _api(live_server, f"/api/reports/{name}")
        assert page.inner_text("#report-title") == expected["title"]
        assert page.locator("#report-table thead th").count() == len(expected["columns"])
    page.go_back()  # the back button returns to the previous report
    page.wait_for_url(lambda url: f"report={names[-2]}" in url)
    page.wait_for_selector("#report[aria-busy=false]")
    assert (
        page.locator(".report-tab[aria-current=page]").get_attribute("data-report") == (names[-2])
    )
    assert page.problems == []


def test_an_agent_opening_the_reports_gets_the_forbidden_page(page, live_server):
    login(page, live_server, Role.AGENT, next_path="/reports")
    response = page.goto(f"{live_server}/reports")
    assert response is not None
    assert response.status == 403
    assert page.locator("h1").inner_text() == "无权访问"
    assert page.locator("#report-tabs").count() == 0
    assert page.locator("header.topbar nav a[href='/reports']").count() == 0


def test_the_api_docs_load_swagger_ui_from_the_app_alone(page, live_server):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server}/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "客服助手 API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector(".opblock-tag-section")
    assert page.locator(".opblock").count() > 20  # the operations, from /openapi.json
    assert f"{live_server}/openapi.json" in requested
    assert f"{live_server}/static/vendor/swagger-ui-bundle.js" in requested
    outside = [url for url in requested if not url.startswith(("http://127.0.0.1:", "data:"))]
    assert outside == []
    assert page.problems == []  # no script or style refused by the Content-Security-Policy
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "api-docs.png"))

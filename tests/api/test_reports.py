"""The reports' routes: for managers and supervisors only, JSON with labels and drill keys, CSV
for Excel, the items behind a number, and a clear 422 for a filter that cannot be used."""

from datetime import datetime

import pytest

from accounts.models import Role
from core.events import EventName, record_event
from reviews.causes import ReviewCause
from reviews.models import Review
from tests.staff import bearer

RANGE = {"from": "2024-03-04", "to": "2024-03-17"}
MANAGER = bearer(Role.MANAGER)


def _negative_review(db, text: str, product: str = "P-A", sub_cause: str | None = None) -> int:
    review = Review(platform="taobao", platform_review_id=f"api-{text[:8]}", text=text, rating=1)
    db.add(review)
    db.flush()
    when = datetime.fromisoformat("2024-03-12T10:00:00+08:00")
    for name in (EventName.REVIEW_RECEIVED, EventName.REVIEW_FLAGGED_NEGATIVE):
        record_event(
            db,
            name,
            review.id,
            occurred_at=when,
            product_id=product,
            cause=ReviewCause.PRODUCT if name == EventName.REVIEW_FLAGGED_NEGATIVE else None,
            sub_cause=sub_cause if name == EventName.REVIEW_FLAGGED_NEGATIVE else None,
        )
    db.flush()
    return review.id


@pytest.mark.parametrize("role", [Role.MANAGER, Role.SUPERVISOR])
def test_managers_and_supervisors_get_the_list_of_reports_in_display_order(api_client, role):
    answer = api_client.get("/api/reports", headers=bearer(role))

    assert answer.status_code == 200
    names = [r["name"] for r in answer.json()]
    assert names[:2] == ["complaints", "causes"]
    assert len(names) == 9
    assert answer.json()[0]["title"] == "投诉趋势（按周）"


@pytest.mark.parametrize(
    "path",
    ["/api/reports", "/api/reports/complaints", "/api/reports/complaints.csv",
     "/api/reports/complaints/items"],
)  # fmt: skip
def test_agents_and_admins_are_refused_and_strangers_asked_to_sign_in(api_client, path):
    assert api_client.get(path).status_code == 401
    assert api_client.get(path, headers=bearer(Role.AGENT)).status_code == 403
    assert api_client.get(path, headers=bearer(Role.ADMIN)).status_code == 403


def test_a_report_gives_labelled_columns_rows_with_drill_keys_chart_and_totals(db, api_client):
    _negative_review(db, "质量太差了", sub_cause="product.defect")

    answer = api_client.get("/api/reports/causes", params=RANGE, headers=MANAGER)

    assert answer.status_code == 200
    table = answer.json()
    assert table["filters"] == {
        "from": "2024-03-04", "to": "2024-03-17", "category": None, "product_id": None
    }  # fmt: skip
    assert table["columns"][0] == {"key": "cause", "label": "原因", "kind": "text"}
    assert table["rows"] == [
        {
            "cause": "商品问题",
            "sub_cause": "损坏/故障",
            "negatives": 1,
            "share": 1.0,
            "drill": {"cause": "product", "sub_cause": "product.defect"},
        }
    ]
    assert table["chart"] == {"type": "bar", "x": "sub_cause", "series": ["negatives"]}
    assert table["totals"]["negatives"] == 1
    assert isinstance(table["generated_in_ms"], int)


def test_the_weekly_report_names_each_week_by_its_monday(api_client):
    table = api_client.get("/api/reports/complaints", params=RANGE, headers=MANAGER).json()

    assert [r["week"] for r in table["rows"]] == ["2024-03-04", "2024-03-11"]
    assert table["rows"][0]["negative_rate"] is None  # no reviews that week


def test_the_csv_has_a_bom_the_labels_as_header_and_no_formula_cells(db, api_client):
    _negative_review(db, "坏了", product='=HYPERLINK("http://evil")')

    answer = api_client.get("/api/reports/products.csv", params=RANGE, headers=MANAGER)

    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"] == (
        'attachment; filename="products-2024-03-04-2024-03-17.csv"'
    )
    assert answer.content.startswith("\ufeff".encode())
    lines = answer.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "商品,商品编码,SKU,评价数,差评数,差评率,商品问题差评"
    assert lines[1].startswith('"\'=HYPERLINK(""http://evil"")","\'=HYPERLINK(')
    assert lines[1].endswith(",1,1,100.0%,1")


def test_the_items_behind_a_number_come_with_masked_excerpts_and_desk_links(db, api_client):
    review_id = _negative_review(
        db, "客服让我打13912345678，质量太差了", sub_cause="product.defect"
    )
    params = {**RANGE, "cause": "product", "sub_cause": "product.defect"}

    answer = api_client.get("/api/reports/causes/items", params=params, headers=MANAGER)

    assert answer.status_code == 200
    found = answer.json()
    assert found["total"] == 1
    (item,) = found["items"]
    assert item["kind"] == "review"
    assert item["link"] == f"/desk/reviews/{review_id}"
    assert "13912345678" not in item["excerpt"]
    assert item["title"].startswith("差评 · P-A · 商品问题（损坏/故障） · 1星")


@pytest.mark.parametrize(
    ("path", "params", "says"),
    [
        ("/api/reports/complaints", {"from": "2024-03-10", "to": "2024-03-01"}, "不能早于"),
        ("/api/reports/complaints", {"from": "2020-01-01", "to": "2024-03-01"}, "两年"),
        ("/api/reports/complaints", {"from": "0001-01-01", "to": "0001-01-02"}, "YYYY-MM-DD"),
        ("/api/reports/complaints/items", {**RANGE, "week": "2024-03-05"}, "周一"),
        ("/api/reports/recurring/items", {**RANGE, "queue_item": "abc"}, "取值无效"),
    ],
)
def test_a_filter_that_cannot_be_used_is_a_422_in_chinese_and_english(
    api_client, path, params, says
):
    answer = api_client.get(path, params=params, headers=MANAGER)

    assert answer.status_code == 422
    assert says in answer.json()["detail"]


@pytest.mark.parametrize(
    "params",
    [{"from": "yesterday"}, {"to": "2024-02-30"}, {"category": "0"}, {"product_id": "x" * 65},
     {"limit": "0"}, {"sku": "x" * 65}],
)  # fmt: skip
def test_malformed_query_parameters_are_a_422(api_client, params):
    answer = api_client.get("/api/reports/causes/items", params=params, headers=MANAGER)

    assert answer.status_code == 422


def test_an_unknown_report_is_a_404(api_client):
    for path in ("/api/reports/nope", "/api/reports/nope.csv", "/api/reports/nope/items"):
        answer = api_client.get(path, headers=MANAGER)
        assert answer.status_code == 404
        assert answer.json()["detail"] == "没有这个报表 / no such report"


def test_every_report_answers_with_the_default_range(api_client):
    for report in api_client.get("/api/reports", headers=MANAGER).json():
        answer = api_client.get(f"/api/reports/{report['name']}", headers=MANAGER)
        assert answer.status_code == 200, report["name"]
        csv = api_client.get(f"/api/reports/{report['name']}.csv", headers=MANAGER)
        assert csv.status_code == 200, report["name"]

"""The review worklist, queue and corrections pages: each needs its role, loads its own script
and stylesheet, and hands the script the labels it shows (never the data itself)."""

import pytest

from accounts.models import Role
from tests.staff import PASSWORD, STAFF


def sign_in(client, role: Role) -> None:
    response = client.post("/api/session", json={"login": STAFF[role][0], "password": PASSWORD})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("path", "script"),
    [
        ("/desk/reviews", "reviews.js"),
        ("/desk/reviews/12", "reviews.js"),
        ("/desk/queues", "queues.js"),
    ],
)
def test_an_agent_gets_the_desk_pages_with_their_script(api_client, path, script):
    sign_in(api_client, Role.AGENT)
    response = api_client.get(path)
    assert response.status_code == 200
    assert f'<script type="module" src="/static/staff/{script}"></script>' in response.text
    assert "<style" not in response.text
    assert "onclick=" not in response.text


def test_the_review_page_tells_the_script_whether_the_reader_is_a_supervisor(api_client):
    sign_in(api_client, Role.AGENT)
    assert 'data-supervisor="no"' in api_client.get("/desk/reviews/3").text
    sign_in(api_client, Role.SUPERVISOR)
    assert 'data-supervisor="yes"' in api_client.get("/desk/reviews/3").text


def test_the_worklist_filters_by_severity_as_agents_name_it(api_client):
    sign_in(api_client, Role.AGENT)
    page = api_client.get("/desk/reviews").text
    assert '<option value="critical">紧急</option>' in page  # words/agent.yaml
    assert 'value="none"' not in page


@pytest.mark.parametrize(
    ("role", "path"),
    [
        (Role.MANAGER, "/desk/reviews"),
        (Role.ADMIN, "/desk/queues"),
        (Role.AGENT, "/admin/corrections"),
        (Role.SUPERVISOR, "/admin/corrections"),
    ],
)
def test_a_wrong_role_gets_the_forbidden_page(api_client, role, path):
    sign_in(api_client, role)
    response = api_client.get(path)
    assert response.status_code == 403
    assert "无权访问" in response.text


def test_a_visitor_who_is_not_signed_in_is_sent_to_the_login_page(api_client):
    response = api_client.get("/desk/reviews?severity=high", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fdesk%2Freviews%3Fseverity%3Dhigh"


def test_an_admin_gets_the_corrections_page_with_the_export_link(api_client):
    sign_in(api_client, Role.ADMIN)
    response = api_client.get("/admin/corrections")
    assert response.status_code == 200
    assert 'href="/api/bot-corrections/export"' in response.text
    assert "/static/staff/corrections.js" in response.text


def test_a_review_number_that_is_not_a_number_is_a_422_not_a_500(api_client):
    sign_in(api_client, Role.AGENT)
    assert api_client.get("/desk/reviews/abc").status_code == 422


def test_the_review_detail_gives_the_severity_reasons_as_agents_read_them(api_client, db):
    from reviews.importer import ReviewRow
    from reviews.service import store_reviews
    from tests.staff import bearer

    text = "用了以后过敏了，脸上起红疹，我要投诉到12315"
    row = ReviewRow(line=1, platform="jd", review_id="pages-1", text=text, rating=1)
    (stored,) = store_reviews(db, [row])
    db.flush()
    body = api_client.get(
        f"/api/negative-reviews/{stored.review.id}", headers=bearer(Role.AGENT)
    ).json()
    assert len(body["severity_reasons_text"]) == len(body["severity_reasons"]) > 0
    assert body["severity_reasons_text"] != body["severity_reasons"]  # words, not codes

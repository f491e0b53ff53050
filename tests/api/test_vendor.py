"""The browser libraries from npm, served by the app itself, and the API docs built on them."""

import re

import pytest

from api import vendor
from core.settings import PROJECT_ROOT

NEEDS_NPM = pytest.mark.skipif(
    not (PROJECT_ROOT / "node_modules" / "echarts").is_dir(),
    reason="the npm packages are not installed (npm ci)",
)


@NEEDS_NPM
@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("echarts.min.js", "javascript"),
        ("swagger-ui-bundle.js", "javascript"),
        ("swagger-ui.css", "text/css"),
        ("favicon-32x32.png", "image/png"),
    ],
)
def test_each_allowed_library_file_is_served_from_node_modules_with_long_cache_headers(
    api_client, name, media_type
):
    response = api_client.get(f"/static/vendor/{name}")
    assert response.status_code == 200
    assert media_type in response.headers["content-type"]
    max_age = re.search(r"max-age=(\d+)", response.headers["cache-control"])
    assert max_age
    assert int(max_age.group(1)) >= 7 * 24 * 3600
    assert response.headers.get("etag")  # a later check costs a 304, not the megabytes again
    assert response.content == (vendor.NODE_MODULES / vendor.VENDOR_FILES[name]).read_bytes()


@NEEDS_NPM
def test_a_cached_library_file_is_answered_not_modified(api_client):
    first = api_client.get("/static/vendor/echarts.min.js")
    again = api_client.get(
        "/static/vendor/echarts.min.js", headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.parametrize("name", ["package.json", "echarts.js", "swagger-initializer.js", "%2E%2E"])
def test_a_file_outside_the_allow_list_is_a_clear_404(api_client, name):
    response = api_client.get(f"/static/vendor/{name}")
    assert response.status_code == 404
    assert "echarts.min.js" in response.json()["detail"]  # says what is served


@pytest.mark.parametrize(
    "path", ["..%2F..%2Fpackage.json", "..%2F..%2Fnode_modules%2Fecharts%2Fpackage.json"]
)
def test_a_path_out_of_the_vendor_folder_reaches_no_file(api_client, path):
    response = api_client.get(f"/static/vendor/{path}")
    assert response.status_code == 404
    assert "dependencies" not in response.text


def test_libraries_not_installed_are_a_404_that_says_to_run_npm_ci(
    api_client, monkeypatch, tmp_path
):
    monkeypatch.setattr(vendor, "NODE_MODULES", tmp_path)
    response = api_client.get("/static/vendor/echarts.min.js")
    assert response.status_code == 404
    assert "npm ci" in response.json()["detail"]


def test_the_app_s_own_static_files_are_still_served_beside_the_vendor_route(api_client):
    response = api_client.get("/static/api_docs.js")
    assert response.status_code == 200
    assert "SwaggerUIBundle(" in response.text
    assert 'dom_id: "#swagger-ui"' in response.text
    assert "validatorUrl: null" in response.text  # never sends the schema to validator.swagger.io


def test_the_api_docs_page_loads_swagger_ui_from_the_app_and_runs_no_inline_script(api_client):
    response = api_client.get("/docs")
    assert response.status_code == 200
    html = response.text
    sources = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
    assert [attrs for attrs, body in sources if body.strip() or "src=" not in attrs] == []
    assert re.findall(r'src="([^"]+)"', html) == [
        "/static/vendor/swagger-ui-bundle.js",
        "/static/api_docs.js",
    ]
    assert '<link rel="stylesheet" href="/static/vendor/swagger-ui.css">' in html
    assert 'data-openapi-url="/openapi.json"' in html
    assert "http://" not in html  # no CDN, nothing off the host
    assert "https://" not in html
    assert "style=" not in html


def test_the_api_docs_schema_stays_and_redoc_is_gone(api_client):
    assert api_client.get("/openapi.json").status_code == 200
    assert api_client.get("/redoc").status_code == 404
    paths = api_client.get("/openapi.json").json()["paths"]
    assert "/docs" not in paths
    assert not any(p.startswith("/static/vendor") for p in paths)

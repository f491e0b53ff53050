from fastapi.testclient import TestClient

from api.main import app


def test_healthz_reports_the_database_it_reached(seeded_at):
    response = TestClient(app).get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] in {"sqlite", "postgresql"}

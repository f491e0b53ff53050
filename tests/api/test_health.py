from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from api.routing import DATABASE_UNAVAILABLE
from core.database import sessions_bound_to


def test_healthz_reports_the_database_it_reached(api_client):
    response = api_client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] in {"sqlite", "postgresql"}


def test_healthz_is_503_when_the_database_does_not_answer(api_client, tmp_path):
    unreachable = create_engine(f"sqlite:///{tmp_path}/no-such-folder/kefu.db")
    try:
        with sessions_bound_to(sessionmaker(bind=unreachable)):
            response = api_client.get("/healthz")
    finally:
        unreachable.dispose()
    assert response.status_code == 503
    assert response.json() == {"detail": DATABASE_UNAVAILABLE}  # not the driver's words
    assert response.headers["Retry-After"].isdigit()
    assert "no-such-folder" not in response.text

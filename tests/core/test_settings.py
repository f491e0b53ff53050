from core.settings import Settings


def test_ports_and_database_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("API_PORT", "9100")
    monkeypatch.setenv("RASA_PORT", "9105")
    monkeypatch.setenv("ACTION_PORT", "9155")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://kefu@localhost/kefu")
    settings = Settings()
    assert (settings.api_port, settings.rasa_port, settings.action_port) == (9100, 9105, 9155)
    assert settings.database_url.startswith("postgresql+psycopg://")
    assert settings.action_endpoint_url == "http://127.0.0.1:9155/webhook"


def test_default_database_is_a_sqlite_file_under_var(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = Settings(_env_file=None)
    assert settings.database_url.startswith("sqlite:///")
    assert settings.database_url.endswith("/var/kefu.db")

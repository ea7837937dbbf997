"""The launcher's defaults: the API never runs open, servers bind to loopback."""

import stat

import pytest

from clinic_assistant import launcher as serve


def test_api_always_runs_behind_the_token_on_loopback(tmp_path, monkeypatch):
    monkeypatch.delenv("RASA_AUTH_TOKEN", raising=False)
    monkeypatch.delenv("RASA_CORS_ORIGINS", raising=False)
    monkeypatch.delenv("WIDGET_PORT", raising=False)
    env = serve.environment(tmp_path)
    command = serve.rasa_server_command(env, "secret", shell=False, debug=False)
    assert "--auth-token=secret" in command
    assert command[command.index("--interface") + 1] == "127.0.0.1"
    # Browsers may call it only from the chat widget's own demo page, never from anywhere ("*").
    assert command[command.index("--cors") + 1 :] == [
        "http://127.0.0.1:8080",
        "http://localhost:8080",
    ]
    shell = serve.rasa_server_command(env, "secret", shell=True, debug=False)
    assert shell[shell.index("--interface") + 1] == "127.0.0.1"
    assert env["SANIC_HOST"] == "127.0.0.1" and env["RASA_TELEMETRY_ENABLED"] == "false"


def test_a_generated_token_is_kept_private_and_reused(tmp_path):
    token = serve.auth_token({}, tmp_path)
    assert len(token) >= 32
    assert stat.S_IMODE((tmp_path / "auth_token").stat().st_mode) == 0o600
    assert serve.auth_token({}, tmp_path) == token
    assert serve.auth_token({"RASA_AUTH_TOKEN": "from-env"}, tmp_path) == "from-env"


def test_cors_origins_come_from_configuration(tmp_path, monkeypatch):
    monkeypatch.setenv("RASA_CORS_ORIGINS", "https://clinic.example https://www.clinic.example")
    command = serve.rasa_server_command(serve.environment(tmp_path), "t", shell=False, debug=False)
    assert command[command.index("--cors") + 1 : command.index("--cors") + 3] == [
        "https://clinic.example",
        "https://www.clinic.example",
    ]


def test_jwt_is_accepted_when_a_secret_is_configured_and_the_token_stays(tmp_path, monkeypatch):
    monkeypatch.setenv("RASA_JWT_SECRET", "jwt-secret")
    command = serve.rasa_server_command(serve.environment(tmp_path), "t", shell=False, debug=False)
    assert "--jwt-secret=jwt-secret" in command
    assert command[command.index("--jwt-method") + 1] == "HS256"
    assert "--auth-token=t" in command


def test_cors_for_every_origin_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("RASA_CORS_ORIGINS", "https://clinic.example *")
    with pytest.raises(serve.UnsafeConfiguration, match="not '\\*'"):
        serve.rasa_server_command(serve.environment(tmp_path), "t", shell=False, debug=False)


@pytest.mark.parametrize("origin", ["https://*.clinic.example", "https://clinic.example*", "*.x"])
def test_an_origin_with_a_star_anywhere_is_refused(tmp_path, monkeypatch, origin):
    # Sanic-CORS would read it as a regular expression: "https://*.x.org" matches far more.
    monkeypatch.setenv("RASA_CORS_ORIGINS", f"https://clinic.example {origin}")
    with pytest.raises(serve.UnsafeConfiguration, match="not '\\*'"):
        serve.rasa_server_command(serve.environment(tmp_path), "t", shell=False, debug=False)


def test_a_token_that_begins_with_a_dash_is_not_read_as_an_option(tmp_path):
    command = serve.rasa_server_command(
        serve.environment(tmp_path), "-starts-with-a-dash", shell=False, debug=False
    )
    assert "--auth-token=-starts-with-a-dash" in command

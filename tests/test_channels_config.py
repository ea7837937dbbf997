"""Which messaging platforms start, from the environment (clinic_assistant/channels/config.py)."""

import stat

import pytest
import yaml

from clinic_assistant.channels.config import (
    ChannelConfigError,
    platform_credentials,
    write_credentials,
)
from tests.conftest import ROOT

TWILIO = {
    "TWILIO_ACCOUNT_SID": "AC1",
    "TWILIO_AUTH_TOKEN": "secret",
    "TWILIO_NUMBER": "+15550100100",
    "TWILIO_WEBHOOK_URL": "https://clinic.example/webhooks/twilio/webhook",
}


def test_no_platform_variables_means_no_platforms_so_an_offline_start_works():
    assert platform_credentials({"PATH": "/usr/bin"}) == {}


def test_a_fully_configured_platform_is_enabled_with_its_credentials():
    enabled = platform_credentials(TWILIO)
    assert enabled == {
        "clinic_assistant.channels.platforms.TwilioInput": {
            "account_sid": "AC1",
            "auth_token": "secret",
            "twilio_number": "+15550100100",
            "webhook_url": "https://clinic.example/webhooks/twilio/webhook",
        }
    }


def test_optional_api_url_is_passed_only_when_set():
    assert (
        platform_credentials({**TWILIO, "TWILIO_API_URL": "http://127.0.0.1:9"})[
            "clinic_assistant.channels.platforms.TwilioInput"
        ]["api_url"]
        == "http://127.0.0.1:9"
    )


@pytest.mark.parametrize("missing", ["SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN"])
def test_half_a_configuration_is_an_error_naming_what_is_missing(missing):
    env = {"SLACK_BOT_TOKEN": "xoxb", "SLACK_SIGNING_SECRET": "s"}
    del env[missing]
    with pytest.raises(ChannelConfigError, match=missing):
        platform_credentials(env)


def test_written_credentials_keep_the_base_channels_and_are_private(tmp_path):
    out = tmp_path / "credentials.yml"
    names = write_credentials(ROOT / "credentials.yml", TWILIO, out)
    written = yaml.safe_load(out.read_text())
    assert names == ["Twilio"]
    assert written["clinic_assistant.channels.webchat.SocketIOInput"]["session_persistence"] is True
    assert "clinic_assistant.channels.rest.RestInput" in written
    assert written["clinic_assistant.channels.platforms.TwilioInput"]["auth_token"] == "secret"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_sms_refuses_to_start_without_a_stable_key_for_its_conversation_ids(monkeypatch):
    from clinic_assistant.channels.platforms import TwilioInput

    credentials = platform_credentials(TWILIO)["clinic_assistant.channels.platforms.TwilioInput"]
    monkeypatch.delenv("ALERT_HASH_KEY", raising=False)
    with pytest.raises(ValueError, match="ALERT_HASH_KEY"):
        TwilioInput.from_credentials(credentials)
    monkeypatch.setenv("ALERT_HASH_KEY", "k")
    assert TwilioInput.from_credentials(credentials).webhook_url == TWILIO["TWILIO_WEBHOOK_URL"]

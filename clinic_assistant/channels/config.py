"""Which messaging platforms run, from environment variables (README "Messaging platforms").

A platform is enabled only when all of its required variables are set, so a start
with none of them set (offline, on a laptop) always works. A platform with only
some of them set is an error: half a configuration usually means a missing secret,
and a platform must never run unverified.
"""

from pathlib import Path
from typing import Dict, List, Mapping

import yaml

# channel class -> {credential key: (environment variable, required)}
PLATFORMS: Dict[str, Dict[str, tuple]] = {
    "clinic_assistant.channels.platforms.TelegramInput": {
        "access_token": ("TELEGRAM_ACCESS_TOKEN", True),
        "verify": ("TELEGRAM_BOT_NAME", True),
        "webhook_url": ("TELEGRAM_WEBHOOK_URL", True),
        "secret_token": ("TELEGRAM_SECRET_TOKEN", True),
        "api_url": ("TELEGRAM_API_URL", False),
    },
    "clinic_assistant.channels.platforms.SlackInput": {
        "slack_token": ("SLACK_BOT_TOKEN", True),
        "slack_signing_secret": ("SLACK_SIGNING_SECRET", True),
        "slack_channel": ("SLACK_CHANNEL", False),
        "api_url": ("SLACK_API_URL", False),
    },
    "clinic_assistant.channels.platforms.FacebookInput": {
        "verify": ("FACEBOOK_VERIFY_TOKEN", True),
        "secret": ("FACEBOOK_APP_SECRET", True),
        "page-access-token": ("FACEBOOK_PAGE_ACCESS_TOKEN", True),
        "api_url": ("FACEBOOK_API_URL", False),
    },
    "clinic_assistant.channels.platforms.TwilioInput": {
        "account_sid": ("TWILIO_ACCOUNT_SID", True),
        "auth_token": ("TWILIO_AUTH_TOKEN", True),
        "twilio_number": ("TWILIO_NUMBER", True),
        "webhook_url": ("TWILIO_WEBHOOK_URL", True),
        "api_url": ("TWILIO_API_URL", False),
    },
}


class ChannelConfigError(ValueError):
    pass


def platform_credentials(env: Mapping[str, str]) -> Dict[str, dict]:
    """The credentials of every platform whose required variables are all set."""
    enabled = {}
    for channel, keys in PLATFORMS.items():
        required = [variable for variable, needed in keys.values() if needed]
        missing = [variable for variable in required if not env.get(variable)]
        if len(missing) == len(required):
            continue
        if missing:
            raise ChannelConfigError(
                f"{channel.rsplit('.', 1)[1]} is half configured: set {', '.join(missing)}"
            )
        enabled[channel] = {
            key: env[variable] for key, (variable, _) in keys.items() if env.get(variable)
        }
    return enabled


def write_credentials(base: Path, env: Mapping[str, str], out: Path) -> List[str]:
    """credentials.yml plus the enabled platforms, written to `out`; returns their names."""
    credentials = yaml.safe_load(base.read_text()) or {}
    platforms = platform_credentials(env)
    credentials.update(platforms)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(yaml.safe_dump(credentials, sort_keys=False))
    out.chmod(0o600)  # it holds the platforms' secrets
    return [channel.rsplit(".", 1)[1].replace("Input", "") for channel in platforms]

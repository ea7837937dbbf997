"""Every setting of the assistant, read in one place.

- The clinic's values (clinic.yml, or the file CLINIC_CONFIG names): name, phone, crisis lines
  by locale, webhook. Responses use them as slots (clinic_assistant.build renders them into
  the domain); the action server and the channels read them here.
- Every environment variable's default (README "Configuration"). The launcher starts both
  servers with `environment()`, so they see the same values as the code that reads a single
  setting with `get()`. Each database URL and default is written here once.

The package is installed in editable mode from the project (`make`), so the project's files
(clinic.yml, content/, credentials.yml, models/, .run/) are found beside it.
"""

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Mapping, Optional
from urllib.parse import quote

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CLINIC_CONFIG = PROJECT_ROOT / "clinic.yml"
# Runtime state (conversations, generated token and credentials): git-ignored.
RUN_DIR = PROJECT_ROOT / ".run"
# Staff shells use their own database and never notify the clinic (README "Talk to the assistant").
STAFF_SCRATCH = RUN_DIR / "staff-shell"
MODEL = PROJECT_ROOT / "models" / "clinic.tar.gz"
# The lock store for several Rasa processes sharing conversations (README "Scaling out").
SHARED_LOCK_STORE = "clinic_assistant.lock_store.AtomicRedisLockStore"


# ---------------------------------------------------------------- environment


def sqlite_url(run_dir: Path) -> str:
    """The SQLite database of a run directory: conversations and tickets together."""
    return f"sqlite:///{run_dir / 'rasa.db'}"


DEFAULT_DB_URL = sqlite_url(RUN_DIR)


def widget_origins(port: str) -> str:
    """The chat widget demo page's origins: by default the only ones allowed to call Rasa
    from a browser."""
    return f"http://127.0.0.1:{port} http://localhost:{port}"


def defaults(run_dir: Path = RUN_DIR, env: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    """Each setting's default. Some follow other settings (the action server's URL follows
    ACTION_PORT, the allowed origins WIDGET_PORT, the ticket database TRACKER_DB_URL): they
    are derived from `env` (the process environment unless given)."""
    env = os.environ if env is None else env
    action_port = env.get("ACTION_PORT") or "5055"
    widget_port = env.get("WIDGET_PORT") or "8080"
    tracker_db_url = env.get("TRACKER_DB_URL") or sqlite_url(run_dir)
    return {
        "RASA_TELEMETRY_ENABLED": "false",
        "RASA_PORT": "5005",
        "RASA_INTERFACE": "127.0.0.1",
        # The action server binds to loopback unless told otherwise.
        "SANIC_HOST": "127.0.0.1",
        "ACTION_PORT": action_port,
        "ACTION_SERVER_URL": f"http://127.0.0.1:{action_port}/webhook",
        # How long Rasa waits for a custom action before the kind reply (channels.safety_net).
        "ACTION_TIMEOUT_SECONDS": "10",
        "TRACKER_DB_URL": tracker_db_url,
        "HANDOFF_DB_URL": tracker_db_url,
        # How long the launcher retries an unreachable database before it stops.
        "DB_CONNECT_SECONDS": "30",
        # One urgent ticket per conversation in this many minutes; later crisis turns update it.
        "URGENT_TICKET_WINDOW_MINUTES": "60",
        # Messages per conversation, and per client address (REST), in a sliding minute; more
        # get a kind reply with the crisis lines and are not processed. 0 switches a limit off.
        "RATE_LIMIT_PER_CONVERSATION": "20",
        "RATE_LIMIT_PER_ADDRESS": "120",
        # The REST webhook is for staff and the clinic's own systems: it needs the HTTP API
        # token (README "Security"). Patients write through the widget or a messaging platform.
        "REST_REQUIRES_TOKEN": "true",
        "LOCK_STORE_TYPE": "in_memory",
        # How long a message waits for its conversation's previous turn (Redis lock store).
        "LOCK_WAIT_SECONDS": "30",
        "REDIS_HOST": "localhost",
        "REDIS_PORT": "6379",
        "REDIS_PASSWORD": "",
        "REDIS_LOCK_DB": "1",
        # "redis" when several Rasa instances serve the widget: socket.io's emits then go through
        # the lock store's Redis (python-socketio's AsyncRedisManager), so a clinician's reply
        # posted to one instance reaches a person connected to another. "local": one instance.
        "SOCKETIO_MANAGER": "local",
        "WIDGET_PORT": widget_port,
        "RASA_CORS_ORIGINS": widget_origins(widget_port),
        # The staff console (README "For clinic staff"): loopback unless told otherwise.
        "CONSOLE_PORT": "8081",
        "CONSOLE_INTERFACE": "127.0.0.1",
        # Rasa's HTTP API as the console reaches it (http://host:port). Empty: this machine's
        # Rasa, at RASA_INTERFACE and RASA_PORT.
        "CONSOLE_RASA_URL": "",
        # The console's address in staff's browsers (https://... behind the TLS proxy); every
        # POST's Origin must be it. Empty: the address the console is called by (loopback).
        "CONSOLE_ORIGIN": "",
        # "true" behind the TLS proxy: the session cookie is then sent over HTTPS only.
        "CONSOLE_SECURE_COOKIE": "false",
        "CONSOLE_SESSION_MINUTES": "60",
        "CONSOLE_MAX_FAILED_LOGINS": "5",
        "CONSOLE_LOCKOUT_MINUTES": "15",
        "RASA_JWT_METHOD": "HS256",
        "RASA_MODEL": str(MODEL),
        # Written at each start: credentials.yml plus the messaging platforms that are configured.
        "RASA_CREDENTIALS": str(run_dir / "credentials.yml"),
    }


def environment(run_dir: Path = RUN_DIR) -> Dict[str, str]:
    """The process environment with every unset setting given its default."""
    env = dict(os.environ)
    for key, value in defaults(run_dir, env).items():
        env.setdefault(key, value)
    return env


def get(name: str, env: Optional[Mapping[str, str]] = None) -> str:
    """One setting: its value in `env` (the process environment unless given), or its default."""
    env = os.environ if env is None else env
    return env.get(name) or defaults(env=env)[name]


def socketio_redis_url(env: Optional[Mapping[str, str]] = None) -> Optional[str]:
    """The Redis that socket.io shares its emits through (the lock store's: REDIS_HOST,
    REDIS_PORT, REDIS_PASSWORD), or None when SOCKETIO_MANAGER is "local". Pub/sub ignores the
    database number, so none is given."""
    manager = get("SOCKETIO_MANAGER", env)
    if manager not in ("local", "redis"):
        raise ValueError(f'SOCKETIO_MANAGER is "local" or "redis", not {manager!r}')
    if manager == "local":
        return None
    password = quote(get("REDIS_PASSWORD", env), safe="")
    return f"redis://:{password}@{get('REDIS_HOST', env)}:{get('REDIS_PORT', env)}"


# ---------------------------------------------------------------- the clinic (clinic.yml)


@lru_cache(maxsize=None)
def load_clinic(path: str = "") -> Dict[str, Any]:
    """Reads the clinic configuration; CLINIC_CONFIG may point at another file."""
    chosen = Path(path or os.environ.get("CLINIC_CONFIG", "") or DEFAULT_CLINIC_CONFIG)
    with chosen.open(encoding="utf-8") as handle:
        config = yaml.safe_load(handle)
    crisis = config["crisis_resources"][config["locale"]]
    for required in ("emergency", "lifeline"):
        if not crisis.get(required):
            raise ValueError(f"{chosen}: crisis_resources.{config['locale']}.{required} is empty")
    return config


def crisis_resources(config: Dict[str, Any]) -> Dict[str, str]:
    return config["crisis_resources"][config["locale"]]


def slot_values(config: Dict[str, Any]) -> Dict[str, str]:
    """Values that responses interpolate as {clinic_*} and {crisis_*} slots."""
    values = {f"clinic_{key}": str(value) for key, value in config["clinic"].items()}
    values.update({f"crisis_{key}": str(value) for key, value in crisis_resources(config).items()})
    return values


def phone_region(config: Dict[str, Any]) -> str:
    """The region phone numbers without a country code are read in (clinic.country)."""
    return str(config["clinic"].get("country") or "US").upper()


def serve_only_signed(config: Dict[str, Any]) -> bool:
    """Whether only clinician-signed answers are served (clinic_assistant.signed_answers)."""
    return bool((config.get("review") or {}).get("serve_only_signed", False))


def webhook_url(config: Dict[str, Any]) -> str:
    """Where new tickets are POSTed: CLINIC_WEBHOOK_URL, else clinic.yml's handoff.webhook_url."""
    return (
        os.environ.get("CLINIC_WEBHOOK_URL") or config.get("handoff", {}).get("webhook_url") or ""
    )

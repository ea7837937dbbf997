"""Starts one Rasa instance in a container (deploy/docker-compose.yml, deploy/k8s/).

The command line is clinic_assistant.launcher's, the one `make run` and `make scale-test` use, but
nothing falls back to a default here: the API token, the CORS origins, the databases and
the lock store must all be given, and unsafe values are refused before Rasa starts.
"""

import os
import sys
from pathlib import Path
from typing import List, Mapping

from clinic_assistant.settings import PROJECT_ROOT, SHARED_LOCK_STORE

REQUIRED = (
    "RASA_AUTH_TOKEN",
    "RASA_CORS_ORIGINS",
    "TRACKER_DB_URL",
    "ACTION_SERVER_URL",
    "LOCK_STORE_TYPE",
    "REDIS_HOST",
    "REDIS_PASSWORD",
    # One key for every instance: socket.io session ids are signed with it, SMS conversation
    # ids and ALERT tags are hashed with it (README "Security").
    "ALERT_HASH_KEY",
)
MIN_TOKEN_CHARS = 32
# Several instances share conversations: the lock store must be shared, and atomic
# (clinic_assistant/lock_store.py).
SHARED_LOCK_STORES = (SHARED_LOCK_STORE,)


def problems(env: Mapping[str, str]) -> List[str]:
    """What is missing or unsafe in `env`; empty when Rasa may start."""
    found = [f"{name} is not set" for name in REQUIRED if not env.get(name, "").strip()]
    token = env.get("RASA_AUTH_TOKEN", "")
    if token and len(token) < MIN_TOKEN_CHARS:
        found.append(
            f"RASA_AUTH_TOKEN is shorter than {MIN_TOKEN_CHARS} characters (e.g. `openssl rand "
            "-hex 32`)"
        )
    if token.startswith("-"):
        found.append(
            "RASA_AUTH_TOKEN must not start with '-' (rasa run would read it as an option)"
        )
    origins = env.get("RASA_CORS_ORIGINS", "").split()
    if "*" in origins:
        found.append("RASA_CORS_ORIGINS must list the clinic's website origins, not '*'")
    if any(
        not origin.startswith(("https://", "http://localhost", "http://127.0.0.1"))
        for origin in origins
        if origin != "*"
    ):
        found.append("RASA_CORS_ORIGINS: use https:// origins (plain http only for localhost)")
    if env.get("TRACKER_DB_URL", "").startswith("sqlite"):
        found.append("TRACKER_DB_URL: instances cannot share SQLite; use postgresql://")
    if env.get("LOCK_STORE_TYPE") and env["LOCK_STORE_TYPE"] not in SHARED_LOCK_STORES:
        found.append(f'LOCK_STORE_TYPE must be {SHARED_LOCK_STORES[0]} (README "Scaling out")')
    if env.get("SOCKETIO_MANAGER") != "redis":
        # Otherwise a clinician's reply through one instance never reaches a widget on another.
        found.append('SOCKETIO_MANAGER must be redis (README "Scaling out")')
    return found


def main() -> int:
    found = problems(os.environ)
    if found:
        print("Not starting Rasa:\n  " + "\n  ".join(found), file=sys.stderr)
        return 2
    from clinic_assistant import launcher
    from clinic_assistant.channels.config import write_credentials
    from clinic_assistant.settings import environment

    env = environment()
    # The image's files are read-only to the service user: credentials go to a scratch dir.
    env["RASA_CREDENTIALS"] = os.environ.get("RASA_CREDENTIALS", "/tmp/rasa/credentials.yml")
    try:
        platforms = write_credentials(
            PROJECT_ROOT / "credentials.yml", env, Path(env["RASA_CREDENTIALS"])
        )
        command = launcher.rasa_server_command(
            env, env["RASA_AUTH_TOKEN"], shell=False, debug=False
        )
    except ValueError as error:  # a half-configured messaging platform, an unsafe setting
        print(f"Not starting Rasa: {error}", file=sys.stderr)
        return 2
    print(f"Messaging platforms: {', '.join(platforms) or 'none configured'}", flush=True)
    os.chdir(PROJECT_ROOT)
    os.execve(command[0], command, env)


if __name__ == "__main__":
    sys.exit(main())

"""Starts the action server and the Rasa server together; Ctrl-C stops both.

    python -m clinic_assistant.launcher [--shell] [--debug]

Used by `make run`, `make shell`, the end-to-end tests, the harness and the container entry
point (deploy/start_rasa.py), so all of them run the assistant the same way. Every setting
comes from an environment variable with its default from `settings.defaults()` (README
"Configuration").
"""

import argparse
import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Tuple

from clinic_assistant import signoff
from clinic_assistant.channels.config import ChannelConfigError, write_credentials
from clinic_assistant.settings import (
    PROJECT_ROOT,
    RUN_DIR,
    STAFF_SCRATCH,
    environment,
    load_clinic,
    serve_only_signed,
    sqlite_url,
    widget_origins,
)
from clinic_assistant.widget_server import start_widget_server

VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def isolated_environment(run_dir: Path, token: str) -> Dict[str, str]:
    """Free loopback ports and a throw-away database: for tests and benchmarks."""
    env = environment(run_dir)
    env.update(
        RASA_PORT=str(free_port()),
        ACTION_PORT=str(free_port()),
        RASA_AUTH_TOKEN=token,
        TRACKER_DB_URL=sqlite_url(run_dir),
        HANDOFF_DB_URL=sqlite_url(run_dir),
        CLINIC_WEBHOOK_URL="",  # never notify a real clinic
        ALERT_HASH_KEY=ISOLATED_ALERT_HASH_KEY,
        # Tests, evaluations and benchmarks send hundreds of messages from one address, some
        # to one conversation: no rate limits unless a test sets them (tests/e2e/test_security).
        RATE_LIMIT_PER_CONVERSATION="0",
        RATE_LIMIT_PER_ADDRESS="0",
        # They talk REST without the token on loopback, unless a test sets it (test_security).
        REST_REQUIRES_TOKEN="false",
    )
    env["ACTION_SERVER_URL"] = f"http://127.0.0.1:{env['ACTION_PORT']}/webhook"
    env["WIDGET_PORT"] = str(free_port())
    env["CONSOLE_PORT"] = str(free_port())
    env["RASA_CORS_ORIGINS"] = widget_origins(env["WIDGET_PORT"])
    return env


# One key per process for isolated servers, so a test can compute the tags in their ALERT lines.
ISOLATED_ALERT_HASH_KEY = secrets.token_hex(16)


def alert_hash_key(env: Dict[str, str], run_dir: Path = RUN_DIR) -> str:
    """ALERT_HASH_KEY, or a key generated once into a git-ignored file: ALERT lines name a
    conversation by an HMAC of its id with this key (channels.safety_net.conversation_tag)."""
    return env.get("ALERT_HASH_KEY") or _kept_secret(
        run_dir / "alert_hash_key", lambda: secrets.token_hex(16)
    )


def auth_token(env: Dict[str, str], run_dir: Path = RUN_DIR) -> str:
    """RASA_AUTH_TOKEN, or a token generated once into a git-ignored file."""
    return env.get("RASA_AUTH_TOKEN") or _kept_secret(
        run_dir / "auth_token", lambda: secrets.token_urlsafe(32), "an API auth token"
    )


def _kept_secret(path: Path, make: Callable[[], str], announce: Optional[str] = None) -> str:
    """The secret kept in `path` (owner-only), made on first use."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(make())
        path.chmod(0o600)
        if announce:
            print(f"Generated {announce} in {path}", flush=True)
    return path.read_text().strip()


class DatabaseUnavailable(RuntimeError):
    pass


class UnsafeConfiguration(ValueError):
    pass


def check_databases(env: Dict[str, str]) -> None:
    """Both servers need their database; Rasa alone would retry silently for ever
    (or, later, fall back to memory), so say clearly which one is unreachable."""
    import sqlalchemy

    deadline = time.monotonic() + float(env["DB_CONNECT_SECONDS"])
    databases = (("conversation", env["TRACKER_DB_URL"]), ("handoff ticket", env["HANDOFF_DB_URL"]))
    for name, url in databases:
        engine = sqlalchemy.create_engine(url)
        while True:
            try:
                with engine.connect():
                    break
            except sqlalchemy.exc.SQLAlchemyError as error:
                if time.monotonic() > deadline:
                    raise DatabaseUnavailable(
                        f"the {name} database at {engine.url!r} is unreachable: "
                        f"{error.orig or error}"
                    ) from error
                time.sleep(2)
            finally:
                engine.dispose()


def action_server_command(env: Dict[str, str]) -> List[str]:
    return [
        str(VENV_BIN / "rasa"),
        "run",
        "actions",
        "--actions",
        "actions",
        "--port",
        env["ACTION_PORT"],
    ]


def rasa_server_command(env: Dict[str, str], token: str, shell: bool, debug: bool) -> List[str]:
    common = [
        "--model",
        env["RASA_MODEL"],
        "--endpoints",
        str(PROJECT_ROOT / "endpoints.yml"),
        "--port",
        env["RASA_PORT"],
        "--interface",
        env["RASA_INTERFACE"],
    ]
    if shell:
        return [str(VENV_BIN / "rasa"), "shell", *common] + (["--debug"] if debug else [])
    command = [
        str(VENV_BIN / "rasa"),
        "run",
        *common,
        "--credentials",
        env["RASA_CREDENTIALS"],
        # "--option=value": a secret may begin with "-" (token_urlsafe does, 1 time in 64).
        "--enable-api",
        f"--auth-token={token}",
    ]
    if env.get("RASA_JWT_SECRET"):
        # Also accept JWTs (README "Access control"); the token stays for staff tools.
        command += [
            f"--jwt-secret={env['RASA_JWT_SECRET']}",
            "--jwt-method",
            env["RASA_JWT_METHOD"],
        ]
    origins = env["RASA_CORS_ORIGINS"].split()
    # Anywhere in an origin: Sanic-CORS reads "https://*.x.org" as a regular expression.
    if any("*" in origin for origin in origins):
        raise UnsafeConfiguration(
            "RASA_CORS_ORIGINS must list the sites allowed to call the assistant, not '*'"
        )
    if origins:
        command += ["--cors", *origins]
    return command + (["--debug"] if debug else [])


def wait_until_up(url: str, timeout: float, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"process exited with code {process.returncode} before {url} answered"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def stop(processes: List[subprocess.Popen]) -> None:
    # SIGTERM, not SIGINT: a process started in the background ignores SIGINT.
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def spawn(command: List[str], env: Dict[str, str], log: Optional[Path]) -> subprocess.Popen:
    out = log.open("ab") if log else None
    process = subprocess.Popen(
        command, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT if out else None
    )
    if out:
        out.close()  # the server has its own copy of the file descriptor
    return process


# A server to start: its command, the URL that answers 200 once it is up, and how long to wait.
Server = Tuple[List[str], str, float]


def action_server(env: Dict[str, str]) -> Server:
    return action_server_command(env), f"http://127.0.0.1:{env['ACTION_PORT']}/health", 60


def rasa_server(env: Dict[str, str], token: str, debug: bool = False) -> Server:
    platforms = write_credentials(
        PROJECT_ROOT / "credentials.yml", env, Path(env["RASA_CREDENTIALS"])
    )
    print(f"Messaging platforms: {', '.join(platforms) or 'none configured'}", flush=True)
    print(
        signoff.start_report(serve_only_signed(load_clinic(env.get("CLINIC_CONFIG", "")))),
        flush=True,
    )
    return (
        rasa_server_command(env, token, shell=False, debug=debug),
        f"http://127.0.0.1:{env['RASA_PORT']}/status?token={token}",
        180,
    )


def console_server(env: Dict[str, str]) -> Server:
    """The staff console (clinic_assistant.console); it needs Rasa's API token in the env."""
    return (
        [str(VENV_BIN / "python"), "-m", "clinic_assistant.console", "serve"],
        f"http://127.0.0.1:{env['CONSOLE_PORT']}/health",
        60,
    )


def launch(
    servers: List[Server], env: Dict[str, str], log: Optional[Path]
) -> List[subprocess.Popen]:
    """Starts the servers side by side and waits until each answers; on any failure
    all of them are stopped, none leaked."""
    processes: List[subprocess.Popen] = []
    try:
        for command, _, _ in servers:
            processes.append(spawn(command, env, log))
        for process, (_, health_url, timeout) in zip(processes, servers):
            wait_until_up(health_url, timeout, process)
    except BaseException:
        stop(processes)
        raise
    return processes


def start_action_server(env: Dict[str, str], log: Optional[Path] = None) -> subprocess.Popen:
    return launch([action_server(env)], env, log)[0]


def start_rasa_server(
    env: Dict[str, str], token: str, log: Optional[Path] = None, debug: bool = False
) -> subprocess.Popen:
    return launch([rasa_server(env, token, debug)], env, log)[0]


def start_console(env: Dict[str, str], log: Optional[Path] = None) -> subprocess.Popen:
    return launch([console_server(env)], env, log)[0]


def start_both(
    env: Dict[str, str], token: str, log: Optional[Path] = None, debug: bool = False
) -> List[subprocess.Popen]:
    """Together: Rasa's ~20 s model load needs nothing from the action server."""
    return launch([action_server(env), rasa_server(env, token, debug)], env, log)


@contextlib.contextmanager
def throwaway_servers(**settings: str) -> Iterator[Tuple[Dict[str, str], str, Path]]:
    """Both servers on free loopback ports with a fresh database in a temporary folder, stopped
    on exit: for evaluations and benchmarks. `settings` go on top of the isolated environment.
    Yields the environment, the API token, the folder."""
    token = secrets.token_hex(16)
    with tempfile.TemporaryDirectory() as folder:
        run_dir = Path(folder)
        env = {**isolated_environment(run_dir, token), **settings}
        servers = start_both(env, token, run_dir / "servers.log")
        try:
            yield env, token, run_dir
        finally:
            stop(servers)


def wait_while_running(processes: List[subprocess.Popen], parent: int) -> None:
    """Returns when a server exits, or when whoever started us is gone: a closed
    terminal kills `make` but may leave `rasa shell` waiting on a dead terminal."""
    while all(process.poll() is None for process in processes) and os.getppid() == parent:
        time.sleep(1)


def interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main() -> int:
    # Ctrl-C, SIGTERM from a service manager and a closed terminal stop both servers.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, interrupt)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--shell", action="store_true", help="chat in the terminal instead of serving HTTP"
    )
    parser.add_argument(
        "--debug", action="store_true", help="Rasa debug logging (shows user text: staff use only)"
    )
    args = parser.parse_args()

    parent = os.getppid()
    STAFF_SCRATCH.mkdir(parents=True, exist_ok=True)
    env = (
        isolated_environment(STAFF_SCRATCH, secrets.token_urlsafe(32))
        if args.shell
        else environment()
    )
    token = auth_token(env)
    # Rasa gets the token on its command line; the channels' constant-time check reads it here.
    env["RASA_AUTH_TOKEN"] = token
    env["ALERT_HASH_KEY"] = alert_hash_key(env)
    processes: List[subprocess.Popen] = []
    try:
        check_databases(env)
        if args.shell:
            processes.append(start_action_server(env))
            processes.append(
                subprocess.Popen(
                    rasa_server_command(env, token, shell=True, debug=args.debug),
                    cwd=PROJECT_ROOT,
                    env=env,
                )
            )
            wait_while_running(processes, parent)
            return processes[-1].returncode or 0
        started = time.monotonic()
        processes += start_both(env, token, debug=args.debug)
        base = f"http://{env['RASA_INTERFACE']}:{env['RASA_PORT']}"
        widget = start_widget_server(env)
        processes.append(start_console(env))
        print(
            f"\nThe assistant is up ({time.monotonic() - started:.0f} s to load the model).\n"
            f"  Action server: http://127.0.0.1:{env['ACTION_PORT']} (loopback only)\n"
            f"  REST:      POST {base}/webhooks/rest/webhook?token=...  "
            '{"sender": "me", "message": "hi"}  (staff)\n'
            f"  socket.io: {base}/socket.io\n"
            + (
                f"  Widget:    http://127.0.0.1:{env['WIDGET_PORT']}/  (website chat demo page)\n"
                if widget
                else ""
            )
            + f"  Console:   http://{env['CONSOLE_INTERFACE']}:{env['CONSOLE_PORT']}/  (staff; "
            'accounts: make staff ARGS="add NAME --name Dana")\n'
            + f"  HTTP API:  {base}/status?token=...  (token in RASA_AUTH_TOKEN or "
            f"{RUN_DIR / 'auth_token'})\n"
            "Press Ctrl-C to stop the servers.",
            flush=True,
        )
        wait_while_running(processes, parent)
        return 1
    except KeyboardInterrupt:
        return 0
    except (ChannelConfigError, UnsafeConfiguration) as error:
        print(f'Cannot start: {error} (README "Configuration").', file=sys.stderr)
        return 2
    except DatabaseUnavailable as error:
        print(
            f"Cannot start: {error}. Check TRACKER_DB_URL / HANDOFF_DB_URL (README "
            '"Configuration").',
            file=sys.stderr,
        )
        return 2
    finally:
        stop(processes)


if __name__ == "__main__":
    sys.exit(main())

"""Starts the action server and the Rasa server together; Ctrl-C stops both.

Used by `make run`, `make shell` and the end-to-end tests, so all three run the
assistant the same way. Every setting comes from an environment variable with a
default from `defaults()` (documented in the README).
"""
import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Dict, List, Optional, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from channels.config import ChannelConfigError, write_credentials  # noqa: E402
from widget_server import start_widget_server, widget_origins  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RUN_DIR = ROOT / ".run"
# Staff shells use their own database and never notify the clinic (README "Talk to the assistant").
STAFF_SCRATCH = RUN_DIR / "staff-shell"
VENV_BIN = Path(sys.executable).parent


def defaults(run_dir: Path = RUN_DIR) -> Dict[str, str]:
    action_port = os.environ.get("ACTION_PORT", "5055")
    widget_port = os.environ.get("WIDGET_PORT", "8080")
    return {
        "RASA_TELEMETRY_ENABLED": "false",
        "RASA_PORT": "5005",
        "RASA_INTERFACE": "127.0.0.1",
        "ACTION_PORT": action_port,
        "ACTION_SERVER_URL": f"http://127.0.0.1:{action_port}/webhook",
        "TRACKER_DB_URL": f"sqlite:///{run_dir / 'rasa.db'}",
        "LOCK_STORE_TYPE": "in_memory",
        "REDIS_HOST": "localhost",
        "REDIS_PORT": "6379",
        "REDIS_PASSWORD": "",
        "REDIS_LOCK_DB": "1",
        "WIDGET_PORT": widget_port,
        "RASA_CORS_ORIGINS": widget_origins(widget_port),
        "RASA_MODEL": str(ROOT / "models" / "clinic.tar.gz"),
        # Written at each start: credentials.yml plus the messaging platforms that are configured.
        "RASA_CREDENTIALS": str(run_dir / "credentials.yml"),
    }


def environment(run_dir: Path = RUN_DIR) -> Dict[str, str]:
    """The process environment with every unset setting given its default."""
    env = dict(os.environ)
    for key, value in defaults(run_dir).items():
        env.setdefault(key, value)
    # The action server binds to loopback unless told otherwise.
    env.setdefault("SANIC_HOST", "127.0.0.1")
    return env


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
        TRACKER_DB_URL=f"sqlite:///{run_dir / 'rasa.db'}",
        HANDOFF_DB_URL=f"sqlite:///{run_dir / 'rasa.db'}",
        CLINIC_WEBHOOK_URL="",  # never notify a real clinic
    )
    env["ACTION_SERVER_URL"] = f"http://127.0.0.1:{env['ACTION_PORT']}/webhook"
    env["WIDGET_PORT"] = str(free_port())
    env["RASA_CORS_ORIGINS"] = widget_origins(env["WIDGET_PORT"])
    return env


def auth_token(env: Dict[str, str], run_dir: Path = RUN_DIR) -> str:
    """RASA_AUTH_TOKEN, or a token generated once into a git-ignored file."""
    if env.get("RASA_AUTH_TOKEN"):
        return env["RASA_AUTH_TOKEN"]
    token_file = run_dir / "auth_token"
    if not token_file.exists():
        run_dir.mkdir(parents=True, exist_ok=True)
        token_file.write_text(secrets.token_urlsafe(32))
        token_file.chmod(0o600)
        print(f"Generated an API auth token in {token_file}", flush=True)
    return token_file.read_text().strip()


class DatabaseUnavailable(RuntimeError):
    pass


class UnsafeConfiguration(ValueError):
    pass


def check_databases(env: Dict[str, str]) -> None:
    """Both servers need their database; Rasa alone would retry silently for ever
    (or, later, fall back to memory), so say clearly which one is unreachable."""
    import sqlalchemy

    deadline = time.monotonic() + float(env.get("DB_CONNECT_SECONDS", "30"))
    for name, url in (("conversation", env["TRACKER_DB_URL"]), ("handoff ticket", env.get("HANDOFF_DB_URL") or env["TRACKER_DB_URL"])):
        engine = sqlalchemy.create_engine(url)
        while True:
            try:
                with engine.connect():
                    break
            except sqlalchemy.exc.SQLAlchemyError as error:
                if time.monotonic() > deadline:
                    raise DatabaseUnavailable(
                        f"the {name} database at {engine.url!r} is unreachable: {error.orig or error}") from error
                time.sleep(2)
            finally:
                engine.dispose()


def action_server_command(env: Dict[str, str]) -> List[str]:
    return [str(VENV_BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", env["ACTION_PORT"]]


def rasa_server_command(env: Dict[str, str], token: str, shell: bool, debug: bool) -> List[str]:
    common = [
        "--model", env["RASA_MODEL"],
        "--endpoints", str(ROOT / "endpoints.yml"),
        "--port", env["RASA_PORT"],
        "--interface", env["RASA_INTERFACE"],
    ]
    if shell:
        return [str(VENV_BIN / "rasa"), "shell", *common] + (["--debug"] if debug else [])
    command = [
        str(VENV_BIN / "rasa"), "run", *common,
        "--credentials", env["RASA_CREDENTIALS"],
        # "--option=value": a secret may begin with "-" (token_urlsafe does, 1 time in 64).
        "--enable-api", f"--auth-token={token}",
    ]
    if env.get("RASA_JWT_SECRET"):
        # Also accept JWTs (README "Access control"); the token stays for staff tools.
        command += [f"--jwt-secret={env['RASA_JWT_SECRET']}", "--jwt-method", env.get("RASA_JWT_METHOD", "HS256")]
    origins = env["RASA_CORS_ORIGINS"].split()
    if "*" in origins:
        raise UnsafeConfiguration("RASA_CORS_ORIGINS must list the sites allowed to call the assistant, not '*'")
    if origins:
        command += ["--cors", *origins]
    return command + (["--debug"] if debug else [])


def wait_until_up(url: str, timeout: float, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process exited with code {process.returncode} before {url} answered")
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
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT if out else None)
    if out:
        out.close()  # the server has its own copy of the file descriptor
    return process


# A server to start: its command, the URL that answers 200 once it is up, and how long to wait.
Server = Tuple[List[str], str, float]


def action_server(env: Dict[str, str]) -> Server:
    return action_server_command(env), f"http://127.0.0.1:{env['ACTION_PORT']}/health", 60


def rasa_server(env: Dict[str, str], token: str, debug: bool = False) -> Server:
    platforms = write_credentials(ROOT / "credentials.yml", env, Path(env["RASA_CREDENTIALS"]))
    print(f"Messaging platforms: {', '.join(platforms) or 'none configured'}", flush=True)
    return (rasa_server_command(env, token, shell=False, debug=debug),
            f"http://127.0.0.1:{env['RASA_PORT']}/status?token={token}", 180)


def launch(servers: List[Server], env: Dict[str, str], log: Optional[Path]) -> List[subprocess.Popen]:
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


def start_rasa_server(env: Dict[str, str], token: str, log: Optional[Path] = None, debug: bool = False) -> subprocess.Popen:
    return launch([rasa_server(env, token, debug)], env, log)[0]


def start_both(env: Dict[str, str], token: str, log: Optional[Path] = None, debug: bool = False) -> List[subprocess.Popen]:
    """Together: Rasa's ~20 s model load needs nothing from the action server."""
    return launch([action_server(env), rasa_server(env, token, debug)], env, log)


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
    parser.add_argument("--shell", action="store_true", help="chat in the terminal instead of serving HTTP")
    parser.add_argument("--debug", action="store_true", help="Rasa debug logging (shows user text: staff use only)")
    args = parser.parse_args()

    parent = os.getppid()
    STAFF_SCRATCH.mkdir(parents=True, exist_ok=True)
    env = isolated_environment(STAFF_SCRATCH, secrets.token_urlsafe(32)) if args.shell else environment()
    token = auth_token(env)
    processes: List[subprocess.Popen] = []
    try:
        check_databases(env)
        if args.shell:
            processes.append(start_action_server(env))
            processes.append(subprocess.Popen(rasa_server_command(env, token, shell=True, debug=args.debug), cwd=ROOT, env=env))
            wait_while_running(processes, parent)
            return processes[-1].returncode or 0
        started = time.monotonic()
        processes += start_both(env, token, debug=args.debug)
        base = f"http://{env['RASA_INTERFACE']}:{env['RASA_PORT']}"
        widget = start_widget_server(env)
        print(
            f"\nThe assistant is up ({time.monotonic() - started:.0f} s to load the model).\n"
            f"  Action server: http://127.0.0.1:{env['ACTION_PORT']} (loopback only)\n"
            f"  REST:      POST {base}/webhooks/rest/webhook  {{\"sender\": \"me\", \"message\": \"hi\"}}\n"
            f"  socket.io: {base}/socket.io\n"
            + (f"  Widget:    http://127.0.0.1:{env['WIDGET_PORT']}/  (website chat demo page)\n" if widget else "") +
            f"  HTTP API:  {base}/status?token=...  (token in RASA_AUTH_TOKEN or {RUN_DIR / 'auth_token'})\n"
            "Press Ctrl-C to stop both servers.",
            flush=True,
        )
        wait_while_running(processes, parent)
        return 1
    except KeyboardInterrupt:
        return 0
    except (ChannelConfigError, UnsafeConfiguration) as error:
        print(f"Cannot start: {error} (README \"Configuration\").", file=sys.stderr)
        return 2
    except DatabaseUnavailable as error:
        print(f"Cannot start: {error}. Check TRACKER_DB_URL / HANDOFF_DB_URL (README \"Configuration\").",
              file=sys.stderr)
        return 2
    finally:
        stop(processes)


if __name__ == "__main__":
    sys.exit(main())

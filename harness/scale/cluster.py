"""A throw-away scale-out cluster on loopback: PostgreSQL, Redis, one action server,
two Rasa instances and nginx in front of them (issue 8, `make scale-test`).

    .venv/bin/python -m harness.scale.cluster          # start it, print the URLs, Ctrl-C stops it

Configs and logs live in .build/scale/; PostgreSQL's data and nginx's temporary files in a
scratch directory under /tmp (the `postgres` and `nobody` users may not be able to enter
the clone). Everything listens on free 127.0.0.1 ports only, with fresh random passwords
and token for each start:
  - PostgreSQL: a new cluster made by initdb (as the `postgres` user when run as root),
    password (scram-sha-256) auth, a `rasa` role owning a `rasa` database;
  - Redis: --requirepass, no persistence (`--save ''`, no AOF): it holds locks and relays
    socket.io's emits between the instances;
  - Rasa instances started by clinic_assistant.launcher exactly as `make run` starts one, with
    TRACKER_DB_URL/HANDOFF_DB_URL pointing at PostgreSQL, the shared lock store and
    SOCKETIO_MANAGER=redis;
  - nginx: deploy/nginx/rasa.conf.template and console.conf.template (the files
    deploy/docker-compose.yml uses) rendered for these ports, checked with `nginx -t`, then
    started in the foreground.
"""

import concurrent.futures
import hashlib
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Dict, List, Optional

import sqlalchemy as sa

from clinic_assistant import launcher as serve
from clinic_assistant.settings import PROJECT_ROOT as ROOT
from clinic_assistant.settings import SHARED_LOCK_STORE

BUILD = ROOT / ".build" / "scale"
# Which processes and scratch directory the last run left: a killed run is cleaned up by the next.
STATE = ROOT / ".build" / "scale-state.json"
NGINX_TEMPLATE = ROOT / "deploy" / "nginx" / "rasa.conf.template"
# The staff console's server in nginx (docker-compose renders it beside NGINX_TEMPLATE): rendered
# and checked here too; no console runs in this cluster, so it would answer 502.
CONSOLE_TEMPLATE = ROOT / "deploy" / "nginx" / "console.conf.template"
STARTUP_TIMEOUT_S = 60


def find_program(name: str) -> str:
    """A program on PATH, or PostgreSQL's versioned bin directory (Debian keeps initdb there)."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if not found:
        candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
        found = str(candidates[0]) if candidates else None
    if not found:
        raise FileNotFoundError(
            f"{name} not found: run `make scale-test`, which installs postgresql, redis-server and "
            "nginx"
        )
    return found


def render_template(text: str, values: Dict[str, str]) -> str:
    """envsubst as the nginx image runs it: only the named ${VARIABLES} are replaced,
    so nginx's own $variables stay as they are."""
    rendered = re.sub(
        r"\$\{([A-Z0-9_]+)\}",
        lambda m: values[m.group(1)] if m.group(1) in values else m.group(0),
        text,
    )
    left = re.findall(r"\$\{[A-Z0-9_]+\}", rendered)
    if left:
        raise KeyError(f"template variables without a value: {sorted(set(left))}")
    return rendered


def command_digest(pid: int) -> str:
    """Identifies a process by its command line (hashed: Rasa's holds the API token)."""
    return hashlib.sha256(Path(f"/proc/{pid}/cmdline").read_bytes()).hexdigest()


def wait_for_port(port: int, timeout: float, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"{what} exited with code {process.returncode} (log in {BUILD / 'logs'})"
            )
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{what} did not listen on port {port} within {timeout:.0f} s")


class Cluster:
    """Start with start(), stop with stop(); every process it started is stopped, even on
    failure."""

    def __init__(
        self, build_dir: Path = BUILD, instances: int = 2, lock_store_type: str = SHARED_LOCK_STORE
    ) -> None:
        self.dir = build_dir
        self.logs = build_dir / "logs"
        self.instances = instances
        self.lock_store_type = lock_store_type
        self.token = secrets.token_hex(24)
        self.pg_password = secrets.token_hex(24)
        self.pg_admin_password = secrets.token_hex(24)
        self.scratch: Optional[Path] = None
        self.redis_password = secrets.token_hex(24)
        self.pg_port = serve.free_port()
        self.redis_port = serve.free_port()
        self.nginx_port = serve.free_port()
        self.console_nginx_port = serve.free_port()
        self.console_port = serve.free_port()  # nothing listens there
        self.processes: Dict[str, subprocess.Popen] = {}
        self.envs: Dict[str, Dict[str, str]] = {}
        self._engine: Optional[sa.engine.Engine] = None
        self._stopping = False
        self._state_lock = threading.Lock()

    # ------------------------------------------------------------ addresses
    @property
    def database_url(self) -> str:
        return f"postgresql://rasa:{self.pg_password}@127.0.0.1:{self.pg_port}/rasa"

    @property
    def nginx_url(self) -> str:
        return f"http://127.0.0.1:{self.nginx_port}"

    def rasa_names(self) -> List[str]:
        return [f"rasa-{i}" for i in range(1, self.instances + 1)]

    def rasa_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.envs[name]['RASA_PORT']}"

    # ------------------------------------------------------------ start / stop
    def start(self) -> "Cluster":
        try:
            self._prepare_dirs()
            for step in (
                self.start_postgres,
                self.start_redis,
                self.start_action_server,
                self.start_rasa_instances,
                self.start_nginx,
            ):
                try:
                    step()
                finally:
                    self._save_state()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """nginx first, then the Rasa instances, the action server, Redis, PostgreSQL."""
        self._stopping = True  # a Rasa instance still being launched stops itself
        if self._engine is not None:
            self._engine.dispose()
        order = ["nginx", *reversed(self.rasa_names()), "actions", "redis"]
        serve.stop([self.processes[name] for name in order if name in self.processes])
        if "postgres" in self.processes:
            self._stop_postgres()
        if self.scratch is not None:
            pg_log = self.logs / "postgres.log"
            if pg_log.is_symlink():  # keep the log, not a link into the scratch directory
                text = pg_log.read_bytes() if pg_log.exists() else b""
                pg_log.unlink()
                pg_log.write_bytes(text)
            shutil.rmtree(self.scratch, ignore_errors=True)
            STATE.unlink(missing_ok=True)  # written only once this run has its scratch directory

    def _save_state(self) -> None:
        with self._state_lock:
            pids = {}
            for name, process in list(self.processes.items()):
                try:
                    if process is not None and process.poll() is None:
                        pids[name] = [process.pid, command_digest(process.pid)]
                except OSError:  # exited meanwhile
                    pass
            owner = [os.getpid(), command_digest(os.getpid())]
            STATE.write_text(
                json.dumps({"owner": owner, "scratch": str(self.scratch), "pids": pids})
            )

    def _clean_up_a_killed_run(self) -> None:
        """Stops what a run killed before its clean-up (a timeout, a closed terminal) left running:
        only processes whose pid still runs the very command that run started."""
        if not STATE.exists():
            return
        state = json.loads(STATE.read_text())

        def same_process(pid: int, digest: str) -> bool:
            try:
                return command_digest(pid) == digest
            except OSError:
                return False

        owner = state.get("owner")
        if owner and same_process(*owner):
            raise RuntimeError(
                f"another scale cluster is running (pid {owner[0]}, {BUILD}): "
                "one at a time, they share .build/scale"
            )
        left = {
            pid: cmdline
            for pid, cmdline in state.get("pids", {}).values()
            if same_process(pid, cmdline)
        }
        for pid in left:
            print(f"stopping pid {pid}, left running by an earlier run", file=sys.stderr)
            os.kill(pid, signal.SIGTERM)  # nginx's master stops its workers on SIGTERM
        deadline = time.monotonic() + 15
        while (
            any(same_process(pid, cmdline) for pid, cmdline in left.items())
            and time.monotonic() < deadline
        ):
            time.sleep(0.5)
        for pid, cmdline in left.items():
            if same_process(pid, cmdline):
                os.kill(pid, signal.SIGKILL)
        scratch = Path(state.get("scratch") or "/nonexistent")
        if (scratch / "pg" / "postmaster.pid").exists():
            subprocess.run(
                [find_program("pg_ctl"), "-D", str(scratch / "pg"), "stop", "-m", "immediate"],
                **self._as_postgres(),
                capture_output=True,
                timeout=60,
            )
        if scratch.name.startswith("clinic-scale-"):
            shutil.rmtree(scratch, ignore_errors=True)
        STATE.unlink()

    def _prepare_dirs(self) -> None:
        self._clean_up_a_killed_run()
        shutil.rmtree(self.dir, ignore_errors=True)
        self.logs.mkdir(parents=True)
        self.scratch = Path(tempfile.mkdtemp(prefix="clinic-scale-"))
        self.scratch.chmod(0o755)
        self._save_state()

    # ------------------------------------------------------------ PostgreSQL
    def _as_postgres(self) -> dict:
        """initdb refuses to run as root: run PostgreSQL as the `postgres` user then."""
        if os.geteuid() != 0:
            return {}
        user = pwd.getpwnam("postgres")
        return {"user": user.pw_uid, "group": user.pw_gid}

    def _pg_ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [find_program("pg_ctl"), "-D", str(self.scratch / "pg"), *args],
            **self._as_postgres(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=90,
            check=check,
        )

    def start_postgres(self) -> None:
        owner = self._as_postgres()
        pg_dir = self.scratch / "pg"
        password_file = self.scratch / "pg-superuser-password"
        password_file.touch(mode=0o600)
        password_file.write_text(self.pg_admin_password + "\n")
        log = self.scratch / "postgres.log"
        log.touch()
        (self.logs / "postgres.log").symlink_to(log)
        pg_dir.mkdir(mode=0o700)
        if owner:
            for path in (pg_dir, password_file, log):
                os.chown(path, owner["user"], owner["group"])
        subprocess.run(
            [
                find_program("initdb"),
                "-D",
                str(pg_dir),
                "-U",
                "postgres",
                f"--pwfile={password_file}",
                "--auth-host=scram-sha-256",
                "--auth-local=scram-sha-256",
                "--encoding=UTF8",
                "--no-instructions",
            ],
            **owner,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=120,
            check=True,
        )
        password_file.unlink()
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.pg_port} "
            "-c unix_socket_directories='' -c max_connections=200"
        )
        self.processes["postgres"] = None  # marks it for stop() even if start fails half way
        self._pg_ctl("start", "-w", "-t", "60", "-l", str(log), "-o", options)
        admin = sa.create_engine(
            f"postgresql://postgres:{self.pg_admin_password}@127.0.0.1:{self.pg_port}/postgres",
            isolation_level="AUTOCOMMIT",
        )
        try:
            with admin.connect() as connection:
                # Rasa and the action server use this role, not the superuser.
                connection.execute(sa.text(f"CREATE ROLE rasa LOGIN PASSWORD '{self.pg_password}'"))
                connection.execute(sa.text("CREATE DATABASE rasa OWNER rasa"))
        finally:
            admin.dispose()

    def _stop_postgres(self) -> None:
        try:
            self._pg_ctl("stop", "-m", "fast", "-w", "-t", "60")
        except (subprocess.SubprocessError, OSError) as error:
            print(f"could not stop PostgreSQL cleanly: {error}", file=sys.stderr)
            self._pg_ctl("stop", "-m", "immediate", check=False)
        self.processes.pop("postgres", None)

    @property
    def engine(self) -> sa.engine.Engine:
        if self._engine is None:
            self._engine = sa.create_engine(self.database_url, pool_pre_ping=True)
        return self._engine

    def sql(self, query: str, **params) -> list:
        with self.engine.connect() as connection:
            return [tuple(row) for row in connection.execute(sa.text(query), params)]

    # ------------------------------------------------------------ Redis
    def start_redis(self) -> None:
        (self.dir / "redis").mkdir()
        log = (self.logs / "redis.log").open("ab")
        self.processes["redis"] = subprocess.Popen(
            [
                find_program("redis-server"),
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--requirepass",
                self.redis_password,
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir / "redis"),
                "--daemonize",
                "no",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        wait_for_port(self.redis_port, STARTUP_TIMEOUT_S, self.processes["redis"], "redis-server")

    def redis(self):
        import redis

        return redis.Redis(
            host="127.0.0.1", port=self.redis_port, password=self.redis_password, db=1
        )

    # ------------------------------------------------------------ action server, Rasa
    def _environment(self, run_dir: Path) -> Dict[str, str]:
        env = serve.isolated_environment(run_dir, self.token)
        env.update(
            TRACKER_DB_URL=self.database_url,
            HANDOFF_DB_URL=self.database_url,
            LOCK_STORE_TYPE=self.lock_store_type,
            REDIS_HOST="127.0.0.1",
            REDIS_PORT=str(self.redis_port),
            REDIS_PASSWORD=self.redis_password,
            REDIS_LOCK_DB="1",
            SOCKETIO_MANAGER="redis",
            RASA_CORS_ORIGINS=self.nginx_url,
            RASA_CREDENTIALS=str(run_dir / "credentials.yml"),
        )
        return env

    def start_action_server(self) -> None:
        run_dir = self.dir / "actions"
        run_dir.mkdir()
        env = self._environment(run_dir)
        self.envs["actions"] = env
        self.processes["actions"] = serve.start_action_server(env, self.logs / "actions.log")

    def start_rasa_instances(self) -> None:
        for name in self.rasa_names():
            run_dir = self.dir / name
            run_dir.mkdir()
            env = self._environment(run_dir)
            env["ACTION_PORT"] = self.envs["actions"]["ACTION_PORT"]
            env["ACTION_SERVER_URL"] = self.envs["actions"]["ACTION_SERVER_URL"]
            self.envs[name] = env
        # Both load the model at the same time: about as long as one on two cores.
        pool = concurrent.futures.ThreadPoolExecutor(self.instances)
        futures = {name: pool.submit(self._launch_rasa, name) for name in self.rasa_names()}
        pool.shutdown(
            wait=False
        )  # an interrupt must not wait for the model loads; stop() ends them
        errors = []
        for name, future in futures.items():
            try:
                future.result()
            except Exception as error:  # stop() stops the ones that did start
                errors.append(f"{name}: {error}")
        if errors:
            raise RuntimeError("; ".join(errors))

    def _launch_rasa(self, name: str) -> subprocess.Popen:
        """serve.launch's steps for one Rasa server (same credentials, command and health check),
        with the process recorded before the wait: an interrupted start still stops it."""
        env = self.envs[name]
        command, health_url, timeout = serve.rasa_server(env, self.token)
        process = serve.spawn(command, env, self.logs / f"{name}.log")
        self.processes[name] = process
        self._save_state()
        if self._stopping:
            serve.stop([process])
            raise RuntimeError("the cluster is stopping")
        serve.wait_until_up(health_url, timeout, process)
        return process

    def start_instance(self, name: str) -> None:
        self._launch_rasa(name)

    def stop_instance(self, name: str, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        """Stops one Rasa instance with `sig` and returns its exit code."""
        process = self.processes[name]
        process.send_signal(sig)
        try:
            return process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            return process.wait(timeout=timeout)

    # ------------------------------------------------------------ nginx
    def nginx_values(self, upstreams: Optional[List[str]] = None) -> Dict[str, str]:
        """Template values; `upstreams` (instance names) defaults to all instances. With one
        name, both upstream lines point at that instance (nginx accepts a repeated server)."""
        names = upstreams or self.rasa_names()
        addresses = [f"127.0.0.1:{self.envs[name]['RASA_PORT']}" for name in names]
        return {
            "RASA_1": addresses[0],
            "RASA_2": addresses[1 % len(addresses)],
            "NGINX_LISTEN": f"127.0.0.1:{self.nginx_port}",
            "NGINX_ACCESS_LOG": str(self.logs / "nginx-access.log"),
            "CONSOLE": f"127.0.0.1:{self.console_port}",
            "CONSOLE_LISTEN": f"127.0.0.1:{self.console_nginx_port}",
        }

    def write_nginx_config(self, upstreams: Optional[List[str]] = None) -> Path:
        nginx_dir = self.dir / "nginx"
        (nginx_dir / "conf.d").mkdir(parents=True, exist_ok=True)
        temp_dir = self.scratch / "nginx-tmp"
        temp_dir.mkdir(exist_ok=True)
        values = self.nginx_values(upstreams)
        for name, template in (("rasa.conf", NGINX_TEMPLATE), ("console.conf", CONSOLE_TEMPLATE)):
            (nginx_dir / "conf.d" / name).write_text(render_template(template.read_text(), values))
        # The main file stands in for the nginx image's /etc/nginx/nginx.conf (test only).
        worker_user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""
        temp = "\n".join(
            f"    {kind}_temp_path {temp_dir / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        main = nginx_dir / "nginx.conf"
        main.write_text(
            f"{worker_user}worker_processes 1;\ndaemon off;\npid {nginx_dir / 'nginx.pid'};\n"
            f"error_log {self.logs / 'nginx-error.log'} warn;\nevents {{ worker_connections 1024; "
            "}\n"
            f"http {{\n{temp}\n    include {nginx_dir / 'conf.d' / '*.conf'};\n}}\n"
        )
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            for path in [temp_dir, *temp_dir.iterdir()]:
                os.chown(path, nobody.pw_uid, nobody.pw_gid)
        return main

    def nginx_command(self, main: Path, *args: str) -> List[str]:
        return [find_program("nginx"), "-p", str(self.dir / "nginx"), "-c", str(main), *args]

    def check_nginx_config(self, main: Path) -> str:
        result = subprocess.run(
            self.nginx_command(main, "-t"),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=30,
        )
        if result.returncode != 0:
            raise RuntimeError(f"nginx -t failed:\n{result.stdout}")
        return result.stdout

    def start_nginx(self) -> None:
        main = self.write_nginx_config()
        self.check_nginx_config(main)
        log = (self.logs / "nginx.log").open("ab")
        self.processes["nginx"] = subprocess.Popen(
            self.nginx_command(main), stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        wait_for_port(self.nginx_port, STARTUP_TIMEOUT_S, self.processes["nginx"], "nginx")

    def route_to(self, upstreams: Optional[List[str]] = None) -> None:
        """Re-renders nginx's upstreams and reloads it gracefully (SIGHUP)."""
        main = self.write_nginx_config(upstreams)
        self.check_nginx_config(main)
        self.processes["nginx"].send_signal(signal.SIGHUP)
        time.sleep(2)  # new workers start, old ones finish their requests

    # ------------------------------------------------------------ diagnostics
    def log_tail(self, name: str, lines: int = 40) -> str:
        path = self.logs / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def main() -> int:
    cluster = Cluster()
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        cluster.start()
        print(f"nginx:      {cluster.nginx_url}  (REST: POST /webhooks/rest/webhook)")
        for name in cluster.rasa_names():
            print(f"{name}:     {cluster.rasa_url(name)}")
        print(
            f"PostgreSQL: 127.0.0.1:{cluster.pg_port} (database rasa)\nRedis:      "
            f"127.0.0.1:{cluster.redis_port}\n"
            f"Logs:       {cluster.logs}\nThe token and passwords are random for this run. Ctrl-C "
            "stops everything.",
            flush=True,
        )
        while all(p is None or p.poll() is None for p in cluster.processes.values()):
            time.sleep(1)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())

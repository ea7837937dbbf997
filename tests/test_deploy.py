"""Static checks of the deployment files (deploy/): they parse, every secret comes from the
environment or a Kubernetes Secret with no default, CORS is never "*", and Rasa refuses to
start in a container without them. No server and no Docker engine needed; `make scale-test`
runs the nginx template and the lock store for real."""

import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
SECRET_NAMES = ("RASA_AUTH_TOKEN", "POSTGRES_PASSWORD", "REDIS_PASSWORD", "ALERT_HASH_KEY")
ATOMIC_LOCK_STORE = "clinic_assistant.lock_store.AtomicRedisLockStore"


def start_rasa():
    spec = importlib.util.spec_from_file_location("deploy_start_rasa", DEPLOY / "start_rasa.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def good_env() -> dict:
    return {
        "RASA_AUTH_TOKEN": "0123456789abcdef" * 4,
        "RASA_CORS_ORIGINS": "https://www.example-clinic.org",
        "TRACKER_DB_URL": "postgresql://rasa:pw@postgres:5432/rasa",
        "ACTION_SERVER_URL": "http://actions:5055/webhook",
        "LOCK_STORE_TYPE": ATOMIC_LOCK_STORE,
        "REDIS_HOST": "redis",
        "REDIS_PASSWORD": "secret",
        "SOCKETIO_MANAGER": "redis",
        "ALERT_HASH_KEY": "0123456789abcdef" * 2,
    }


# ---------------------------------------------------------------- docker compose


def compose_text() -> str:
    return (DEPLOY / "docker-compose.yml").read_text()


def template_variables(*names: str) -> set:
    return {
        variable
        for name in names
        for variable in re.findall(r"\$\{([A-Z0-9_]+)\}", (DEPLOY / "nginx" / name).read_text())
    }


def test_compose_file_parses_and_has_every_piece():
    compose = yaml.safe_load(compose_text())
    assert set(compose["services"]) == {
        "postgres",
        "redis",
        "actions",
        "rasa-1",
        "rasa-2",
        "console",
        "nginx",
    }
    for name in ("rasa-1", "rasa-2"):
        env = compose["services"][name]["environment"]
        assert env["LOCK_STORE_TYPE"] == ATOMIC_LOCK_STORE
        assert env["TRACKER_DB_URL"].startswith("postgresql://")
        assert env["SOCKETIO_MANAGER"] == "redis", "replies cross instances through Redis"
    nginx = compose["services"]["nginx"]
    assert set(nginx["environment"]) == template_variables(
        "rasa.conf.template", "console.conf.template"
    )
    assert nginx["ports"] == [
        "${NGINX_PUBLISH:-127.0.0.1:8080}:8080",
        "${CONSOLE_PUBLISH:-127.0.0.1:8081}:8081",
    ], "published on loopback unless told otherwise"
    assert not any(
        "ports" in service for name, service in compose["services"].items() if name != "nginx"
    )


def test_compose_runs_the_console_behind_nginx_reaching_rasa_and_the_database_only():
    compose = yaml.safe_load(compose_text())
    services, networks = compose["services"], compose["networks"]
    console = services["console"]
    assert console["command"] == ["python", "-m", "clinic_assistant.console", "serve"]
    env = console["environment"]
    assert env["CONSOLE_SECURE_COOKIE"] == "true" and env["CONSOLE_INTERFACE"] == "0.0.0.0"
    assert env["HANDOFF_DB_URL"] == services["rasa-1"]["environment"]["HANDOFF_DB_URL"]
    assert env["RASA_AUTH_TOKEN"] == services["rasa-1"]["environment"]["RASA_AUTH_TOKEN"]
    assert env["CONSOLE_RASA_URL"] == "http://nginx:8080"
    console_nginx = (DEPLOY / "nginx" / "console.conf.template").read_text()
    assert "proxy_pass http://${CONSOLE};" in console_nginx
    assert services["nginx"]["environment"]["CONSOLE"] == f"console:{env['CONSOLE_PORT']}"
    # Its networks: nginx (staff in, Rasa's API out) and PostgreSQL; never Redis, no way out.
    assert set(console["networks"]) == {"staff", "staff-data"}
    assert all(networks[name].get("internal") for name in console["networks"])
    members = {
        network: {name for name, service in services.items() if network in service["networks"]}
        for network in console["networks"]
    }
    assert members == {"staff": {"console", "nginx"}, "staff-data": {"console", "postgres"}}


def test_compose_secrets_and_cors_have_no_default():
    text = compose_text()
    for name in (*SECRET_NAMES, "RASA_CORS_ORIGINS", "CONSOLE_ORIGIN"):
        uses = re.findall(r"\$\{" + name + r"([^}]*)\}", text)
        assert uses, f"{name} is not taken from the environment"
        assert all(use.startswith(":?") for use in uses), (
            f"{name} must be ${{{name}:?...}} (no default): {uses}"
        )
    # Any other substitution with a default must not carry a secret or open CORS.
    for name, default in re.findall(r"\$\{([A-Z0-9_]+):-([^}]*)\}", text):
        assert not re.search("TOKEN|PASSWORD|SECRET|KEY|CORS", name), name
    assert "*" not in yaml.safe_load(text)["x-rasa"]["environment"]["RASA_CORS_ORIGINS"]


def test_env_example_holds_no_secret_value():
    for line in (DEPLOY / "env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            assert value == "", f"{name} has a value in env.example"


# ---------------------------------------------------------------- Kubernetes


def k8s_documents() -> list:
    docs = []
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        docs += [(path.name, doc) for doc in yaml.safe_load_all(path.read_text()) if doc]
    return docs


def test_k8s_manifests_parse_and_reference_secrets_without_holding_them():
    docs = k8s_documents()
    kinds = {doc["kind"] for _, doc in docs}
    assert {
        "Deployment",
        "StatefulSet",
        "Service",
        "Ingress",
        "ConfigMap",
        "Kustomization",
    } <= kinds
    assert "Secret" not in kinds, "secrets are created by the clinic, never committed"
    text = "\n".join((DEPLOY / "k8s" / name).read_text() for name in {name for name, _ in docs})
    referenced = set(
        re.findall(r"secretKeyRef: \{name: clinic-assistant-secrets, key: ([A-Z_]+)\}", text)
    )
    assert referenced == set(SECRET_NAMES)
    settings = next(doc for _, doc in docs if doc["kind"] == "ConfigMap")["data"]
    assert not [key for key in settings if re.search("TOKEN|PASSWORD|SECRET", key)]
    assert "*" not in settings["RASA_CORS_ORIGINS"] and settings["RASA_CORS_ORIGINS"].startswith(
        "https://"
    )
    assert settings["LOCK_STORE_TYPE"] == ATOMIC_LOCK_STORE
    assert settings["SOCKETIO_MANAGER"] == "redis"
    assert settings["CONSOLE_ORIGIN"].startswith("https://")
    rasa = next(
        doc for _, doc in docs if doc["kind"] == "Deployment" and doc["metadata"]["name"] == "rasa"
    )
    assert rasa["spec"]["template"]["spec"]["containers"][0]["command"] == [
        "python",
        "deploy/start_rasa.py",
    ]


def test_k8s_ingress_matches_the_nginx_template():
    template = (DEPLOY / "nginx" / "rasa.conf.template").read_text()
    ingress = next(
        doc
        for _, doc in k8s_documents()
        if doc["kind"] == "Ingress" and doc["metadata"]["name"] == "rasa"
    )
    annotations = ingress["metadata"]["annotations"]
    assert (
        f"proxy_read_timeout {annotations['nginx.ingress.kubernetes.io/proxy-read-timeout']}s;"
        in template
    )
    assert (
        f"proxy_next_upstream {annotations['nginx.ingress.kubernetes.io/proxy-next-upstream']};"
        in template
    )
    directives = [
        line.strip()
        for line in template.splitlines()
        if line.strip().startswith("proxy_next_upstream ")
    ]
    assert directives and not any(
        "non_idempotent" in d for d in directives + list(annotations.values())
    ), "a POST once sent is never resent by nginx"


def k8s_named(kind: str, name: str) -> dict:
    return next(
        doc for _, doc in k8s_documents() if doc["kind"] == kind and doc["metadata"]["name"] == name
    )


def test_k8s_console_behind_tls_reaching_rasa_and_the_database_only():
    console = k8s_named("Deployment", "console")["spec"]["template"]["spec"]["containers"][0]
    assert console["command"] == ["python", "-m", "clinic_assistant.console", "serve"]
    env = {item["name"]: item for item in console["env"]}
    assert env["CONSOLE_SECURE_COOKIE"]["value"] == "true"
    for secret in ("RASA_AUTH_TOKEN", "POSTGRES_PASSWORD"):
        assert env[secret]["valueFrom"]["secretKeyRef"]["key"] == secret
    ingress = k8s_named("Ingress", "console")["spec"]
    [host] = ingress["tls"][0]["hosts"]
    assert [rule["host"] for rule in ingress["rules"]] == [host]
    assert ingress["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"] == "console"
    settings = k8s_named("ConfigMap", "clinic-assistant-settings")["data"]
    assert settings["CONSOLE_ORIGIN"] == f"https://{host}"

    policy = k8s_named("NetworkPolicy", "console")["spec"]
    assert set(policy["policyTypes"]) == {"Ingress", "Egress"}
    reached = [
        peer["podSelector"]["matchLabels"]
        for rule in policy["egress"]
        for peer in rule["to"]
        if "namespaceSelector" not in peer  # the cluster's DNS
    ]
    assert reached == [{"app.kubernetes.io/name": "rasa"}, {"app.kubernetes.io/name": "postgres"}]

    def allowed_into(name: str) -> set:
        rule = k8s_named("NetworkPolicy", name)["spec"]["ingress"][0]["from"][0]["podSelector"]
        return set(rule["matchExpressions"][0]["values"])

    assert "console" in allowed_into("postgres") and "console" not in allowed_into("redis")


@pytest.mark.skipif(not shutil.which("kubectl"), reason="kubectl is not installed")
def test_k8s_kustomization_renders():
    rendered = subprocess.run(
        ["kubectl", "kustomize", str(DEPLOY / "k8s")], capture_output=True, text=True, timeout=60
    )
    assert rendered.returncode == 0, rendered.stderr
    docs = [doc for doc in yaml.safe_load_all(rendered.stdout) if doc]
    assert all(
        doc["metadata"].get("namespace") == "clinic-assistant"
        for doc in docs
        if doc["kind"] != "Namespace"
    )
    rasa = next(
        doc for doc in docs if doc["kind"] == "Deployment" and doc["metadata"]["name"] == "rasa"
    )
    assert rasa["spec"]["replicas"] == 2


# ---------------------------------------------------------------- the container entry point


def test_rasa_container_starts_only_with_every_secret_and_safe_values():
    problems = start_rasa().problems
    assert problems(good_env()) == []
    assert any(
        "RASA_AUTH_TOKEN is not set" in p for p in problems({**good_env(), "RASA_AUTH_TOKEN": ""})
    )
    assert any("shorter" in p for p in problems({**good_env(), "RASA_AUTH_TOKEN": "rasaToken"}))
    assert any("'-'" in p for p in problems({**good_env(), "RASA_AUTH_TOKEN": "-" + "x" * 40}))
    assert any("not '*'" in p for p in problems({**good_env(), "RASA_CORS_ORIGINS": "*"}))
    assert any(
        "https" in p
        for p in problems({**good_env(), "RASA_CORS_ORIGINS": "http://www.example-clinic.org"})
    )
    assert any(
        "SQLite" in p for p in problems({**good_env(), "TRACKER_DB_URL": "sqlite:///rasa.db"})
    )
    assert any(
        "LOCK_STORE_TYPE" in p for p in problems({**good_env(), "LOCK_STORE_TYPE": "in_memory"})
    )
    assert any(
        "SOCKETIO_MANAGER" in p for p in problems({**good_env(), "SOCKETIO_MANAGER": "local"})
    )
    for shared in ("REDIS_PASSWORD", "ALERT_HASH_KEY"):
        assert any(
            shared in p for p in problems({k: v for k, v in good_env().items() if k != shared})
        )


def test_the_atomic_lock_store_is_loadable_as_rasa_loads_custom_lock_stores():
    from rasa.shared.utils.common import class_from_module_path

    assert class_from_module_path(ATOMIC_LOCK_STORE).__name__ == "AtomicRedisLockStore"

"""The website chat widget's files (web/) and demo page, served on loopback by `make run`."""

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, Optional

from clinic_assistant import dialable
from clinic_assistant.settings import PROJECT_ROOT, crisis_resources, load_clinic


def start_widget_server(env: Dict[str, str]) -> Optional[ThreadingHTTPServer]:
    """Serves the website chat widget (web/) and its demo page on loopback, from a background
    thread.

    /widget-config.js is generated: the Rasa socket URL, and the clinic's name, phone and
    crisis lines from clinic.yml, and the numbers in them to make tappable, so no clinic value is
    typed into the widget's files."""
    config = load_clinic(env.get("CLINIC_CONFIG", ""))
    rasa_host = "127.0.0.1" if env["RASA_INTERFACE"] in ("0.0.0.0", "::") else env["RASA_INTERFACE"]
    settings = {
        "socketUrl": f"http://{rasa_host}:{env['RASA_PORT']}",
        "clinicName": config["clinic"]["name"],
        "clinicPhone": config["clinic"]["phone"],
        "crisis": crisis_resources(config),
        "numbers": dialable.numbers(config),
    }
    generated = f"window.ClinicChatConfig = {json.dumps(settings, indent=2)};\n".encode()
    web = PROJECT_ROOT / "web"
    files = {
        "/": web / "index.html",
        "/index.html": web / "index.html",
        "/widget.js": web / "widget.js",
        "/widget.css": web / "widget.css",
        "/socket.io.min.js": web
        / "node_modules"
        / "socket.io-client"
        / "dist"
        / "socket.io.min.js",
    }
    if not files["/socket.io.min.js"].is_file():
        print(
            "Website chat widget: web/node_modules is missing; run `make setup` (npm ci in web/).",
            file=sys.stderr,
        )
    types = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}

    class WidgetFiles(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            if path == "/widget-config.js":
                body, kind = generated, "text/javascript"
            elif path in files and files[path].is_file():
                body, kind = files[path].read_bytes(), types[files[path].suffix]
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-cache")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:  # quiet: the terminal is for the assistant's own logs
            pass

    try:
        server = ThreadingHTTPServer(("127.0.0.1", int(env["WIDGET_PORT"])), WidgetFiles)
    except OSError as error:
        print(
            f"Website chat widget not started: port {env['WIDGET_PORT']}: {error} (set "
            "WIDGET_PORT).",
            file=sys.stderr,
        )
        return None
    threading.Thread(target=server.serve_forever, name="widget-server", daemon=True).start()
    return server

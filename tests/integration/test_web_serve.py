"""``liaison node serve`` with ``[web]``: the console comes up over TLS beside the node."""

from __future__ import annotations

import json
import signal
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from liaison.web.security import CONTENT_SECURITY_POLICY
from tests.integration.harness import start_federation


def test_node_serve_starts_the_console_over_tls_and_stops_it(tmp_path: Path) -> None:
    running = start_federation(
        tmp_path, {a: f"sqlite:///{tmp_path / a}.db" for a in ("FR", "NL")},
        agencies=("FR", "NL"), down=("FR",),
    )  # fmt: skip
    try:
        config = running.node_configs["FR"].path
        files = running.pki.nodes["FR"]
        config.write_text(
            config.read_text()
            + f'\n[web]\nlisten = "127.0.0.1:0"\ncert = "{files.certificate}"\n'
            + f'key = "{files.private_key}"\n'
        )
        ready = tmp_path / "fr.ready.json"
        log = tmp_path / "fr.log"
        with log.open("wb") as handle:
            process = subprocess.Popen(
                [sys.executable, "-m", "liaison", "node", "serve", "--config", str(config),
                 "--ready-file", str(ready)],
                stdout=handle, stderr=subprocess.STDOUT,
            )  # fmt: skip
        try:
            deadline = time.monotonic() + 30
            while not ready.exists():
                assert process.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "the node did not come up"
                time.sleep(0.02)
            address = json.loads(ready.read_text())["web"]
            context = ssl.create_default_context(cafile=str(running.pki.ca_certificate))
            context.check_hostname = False  # the test certificate names the agency, not the host
            with urllib.request.urlopen(f"https://{address}/login", context=context) as reply:
                assert reply.status == 200
                assert reply.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
                assert b"Log in" in reply.read()
            # Plain HTTP is not served.
            try:
                urllib.request.urlopen(f"http://{address}/login", timeout=5)
                raise AssertionError("the console answered plain HTTP")
            except (urllib.error.URLError, ConnectionError, OSError) as refused:
                assert not isinstance(refused, urllib.error.HTTPError)
        finally:
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=30) == 0, log.read_text()
    finally:
        running.stop()

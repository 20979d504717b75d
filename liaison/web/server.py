"""Serving the console: uvicorn over TLS in a thread beside the node's gRPC servers."""

from __future__ import annotations

import asyncio
import socket
import threading
from typing import Final

import uvicorn

from liaison.core.config_file import split_address
from liaison.core.errors import ConfigError
from liaison.node.server import LocalServices, NodeServers
from liaison.web.app import build_app

#: Seconds the console waits to come up before it gives up.
START_TIMEOUT_S: Final = 10.0


class WebConsole:
    """The console of one node: start it once the node serves, close it before the node."""

    def __init__(self, services: LocalServices) -> None:
        """Serve ``services`` on their config's ``[web] listen`` address.

        Raises:
            ConfigError: the node has no ``[web]`` section.
        """
        web = services.config.web
        if web is None:
            raise ConfigError(f"{services.config.path}: no [web] section")
        host, port = split_address(web.listen)
        self._socket = _bind(host, port)
        self.port: int = self._socket.getsockname()[1]
        self.host = host
        config = uvicorn.Config(
            build_app(services),
            ssl_certfile=str(web.cert),
            ssl_keyfile=str(web.key),
            log_level="warning",
            access_log=False,
            server_header=False,
            proxy_headers=False,
            lifespan="off",
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, name="web-console", daemon=True)

    def _run(self) -> None:
        asyncio.run(self._server.serve(sockets=[self._socket]))

    def start(self) -> str:
        """Start serving; return ``host:port``.

        Raises:
            ConfigError: it did not come up (a bad certificate or key, say).
        """
        self._thread.start()
        for _ in range(int(START_TIMEOUT_S / 0.05)):
            if self._server.started or not self._thread.is_alive():
                break
            threading.Event().wait(0.05)
        if not self._server.started:
            raise ConfigError("the web console did not start (check [web] cert and key)")
        return f"{self.host}:{self.port}" if ":" not in self.host else f"[{self.host}]:{self.port}"

    def close(self) -> None:
        """Stop serving and wait for the server's thread."""
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout=10)
        self._socket.close()


def attach_console(servers: NodeServers) -> WebConsole:
    """The console of a built node (for :func:`liaison.node.server.serve`).

    Raises:
        ConfigError: the node has no services or no ``[web]`` section.
    """
    if servers.services is None:
        raise ConfigError("the node was built without its local services")
    return WebConsole(servers.services)


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as error:
        sock.close()
        raise ConfigError(f"cannot listen on {host}:{port}: {error.strerror}") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock

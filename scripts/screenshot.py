"""Drive headless Chromium over the DevTools protocol: ask the chat page a question, screenshot it.

Why not Selenium or Playwright: both need a driver or browser download matched to a version; the
Debian ``chromium`` package plus the ``websockets`` package (already installed with Gradio) is all
this needs. Used by the browser test and to refresh the README screenshot:

    hoidap serve &                                   # wait for "chat page http://..."
    python scripts/screenshot.py --url http://127.0.0.1:7860/ --out docs/img/chat.png
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import itertools
import json
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from websockets.sync.client import connect

DEFAULT_QUESTION = "Mục tiêu thu hút FDI năm 2023 của Bắc Ninh là bao nhiêu?"
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-extensions",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--hide-scrollbars",
    "--remote-debugging-port=0",
]


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Chromium:
    """One headless browser with one page, driven by DevTools protocol commands."""

    def __init__(
        self, binary: str | None = None, width: int = 1440, height: int = 1000, timeout: float = 60, mobile: bool = False
    ) -> None:
        binary = binary or find_chromium()
        if not binary:
            raise RuntimeError("chromium is not installed (apt-get install chromium)")
        self.profile = tempfile.mkdtemp(prefix="hoidap-chromium-")
        self.process = subprocess.Popen(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}", f"--window-size={width},{height}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._ids = itertools.count(1)
        self._stack = contextlib.ExitStack()
        self.ws = None
        try:
            port = self._devtools_port(timeout)
            self.ws = self._stack.enter_context(connect(self._page_socket(port, timeout), max_size=None, open_timeout=timeout))
            self.send("Page.enable")
            self.send("Runtime.enable")
            # mobile=True: a phone's viewport (meta viewport honoured, overlay scrollbars), as on a handset.
            self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=mobile)
        except BaseException:
            self.close()
            raise

    def _devtools_port(self, timeout: float) -> int:
        marker = Path(self.profile, "DevToolsActivePort")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"chromium exited with code {self.process.returncode}")
            if marker.exists():
                first = marker.read_text().splitlines()[:1]
                if first and first[0].isdigit():
                    return int(first[0])
            time.sleep(0.1)
        raise TimeoutError("chromium did not open its DevTools port")

    @staticmethod
    def _page_socket(port: int, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as response:
                pages = [t for t in json.load(response) if t.get("type") == "page"]
            if pages:
                return pages[0]["webSocketDebuggerUrl"]
            time.sleep(0.1)
        raise TimeoutError("chromium opened no page")

    def send(self, method: str, **params) -> dict:
        """Send one command and return its result (events arriving meanwhile are dropped)."""
        command_id = next(self._ids)
        self.ws.send(json.dumps({"id": command_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv(timeout=120))
            if message.get("id") == command_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def eval(self, expression: str):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"javascript error: {result['exceptionDetails'].get('text')} in {expression[:80]}")
        return result.get("result", {}).get("value")

    def wait_for(self, expression: str, timeout: float = 60, what: str = "") -> object:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.eval(expression)
            if value:
                return value
            time.sleep(0.25)
        raise TimeoutError(f"timed out waiting for {what or expression}")

    def open(self, url: str, ready: str = "document.readyState === 'complete'", timeout: float = 60) -> None:
        self.send("Page.navigate", url=url)
        self.wait_for(ready, timeout, f"{url} to load")

    def type_into(self, selector: str, text: str) -> None:
        """Focus an input and type, as a user would (the page sees real input events)."""
        self.eval(f"document.querySelector({json.dumps(selector)}).focus()")
        self.send("Input.insertText", text=text)

    def press(self, key: str = "Enter") -> None:
        """A key press on the focused element (Enter picks a typed value in a dropdown)."""
        codes = {"Enter": 13, "Escape": 27, "Tab": 9}
        for kind in ("keyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", type=kind, key=key, code=key, windowsVirtualKeyCode=codes.get(key, 0))

    def click(self, selector: str) -> None:
        self.eval(f"document.querySelector({json.dumps(selector)}).click()")

    def html(self, selector: str = "body") -> str:
        return self.eval(f"(document.querySelector({json.dumps(selector)}) || {{}}).innerHTML || ''") or ""

    def text(self, selector: str = "body") -> str:
        return self.eval(f"(document.querySelector({json.dumps(selector)}) || {{}}).innerText || ''") or ""

    def screenshot(self, path: Path) -> Path:
        data = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=False)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        try:
            self._stack.close()
        finally:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(10)
            shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# Selectors on the chat page (elem_id values set in app/web/page.py).
QUESTION_BOX = "#hd-question textarea"
SEND_BUTTON = "#hd-send"
CHAT = "#hd-chat"
SOURCES = "#hd-sources"


def ask_on_page(browser: Chromium, url: str, question: str, expect: str, timeout: float = 180) -> None:
    """Load the page, ask ``question`` and wait until the answer containing ``expect`` and its sources show."""
    browser.open(url)
    browser.wait_for(f"!!document.querySelector({json.dumps(QUESTION_BOX)})", 60, "the chat page")
    browser.type_into(QUESTION_BOX, question)
    browser.click(SEND_BUTTON)
    browser.wait_for(
        f"(document.querySelector({json.dumps(CHAT)}) || {{}}).innerText?.includes({json.dumps(expect)})"
        f" && !!document.querySelector({json.dumps(SOURCES + ' mark')})",
        timeout,
        f"the answer {expect!r} and its highlighted source",
    )
    time.sleep(1.0)  # let the last streamed frame and the layout settle before a screenshot


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:7860/")
    parser.add_argument("--question", default=DEFAULT_QUESTION)
    parser.add_argument("--expect", default="1.200 triệu USD", help="text the answer must contain")
    parser.add_argument("--out", default="docs/img/chat.png")
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=1000)
    parser.add_argument("--mobile", action="store_true", help="emulate a phone (use with --width 390 --height 844)")
    args = parser.parse_args()
    with Chromium(width=args.width, height=args.height, mobile=args.mobile) as browser:
        ask_on_page(browser, args.url, args.question, args.expect)
        print(browser.screenshot(Path(args.out)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

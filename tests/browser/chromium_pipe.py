"""A small Chrome DevTools Protocol client over ``--remote-debugging-pipe``: no port, no extra package.

Chromium reads NUL-terminated JSON commands on its fd 3 and writes replies
and events on its fd 4. One page target is attached in flat mode and every
command goes to it; events are kept in ``events`` for the test to inspect.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import time
import typing as t
from pathlib import Path

# The flags this machine needs (see the environment notes): no sandbox as root, no GPU,
# and nothing that phones home, which the closed network would refuse.
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--no-default-browser-check", "--hide-scrollbars", "--mute-audio",
    "--force-device-scale-factor=1", "--remote-debugging-pipe",
)


class CdpError(RuntimeError):
    pass


class Chromium:
    """One headless Chromium with one page; use as a context manager."""

    def __init__(self, executable: str, profile: Path, log: Path, timeout: float = 20.0) -> None:
        self.timeout = timeout
        self.events: list[dict[str, t.Any]] = []
        self._next_id = 0
        self._buffer = b""
        to_child, self._write_fd = os.pipe()
        self._read_fd, from_child = os.pipe()
        self._log = log.open("wb")
        # bash (dash takes only one-digit fds) puts the pipe ends on the fds 3 and 4 Chromium
        # expects, then becomes Chromium.
        wire = 'exec "$0" "$@" 3<&"$DUET_CDP_IN" 4>&"$DUET_CDP_OUT"'
        self.process = subprocess.Popen(
            ["bash", "-c", wire, executable, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT, pass_fds=(to_child, from_child),
            env={**os.environ, "DUET_CDP_IN": str(to_child), "DUET_CDP_OUT": str(from_child)},
        )
        os.close(to_child)
        os.close(from_child)
        self.session: str | None = None

    def __enter__(self) -> t.Self:
        try:
            self._attach()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _attach(self) -> None:
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)["sessionId"]

    def __exit__(self, *exc: object) -> None:
        try:
            self.send("Browser.close", session=False)
        except (CdpError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._read_fd)
        os.close(self._write_fd)
        self._log.close()

    def send(self, method: str, params: dict[str, t.Any] | None = None, *, session: bool = True) -> dict[str, t.Any]:
        """Send a command and return its result; events read meanwhile go to ``events``."""
        self._next_id += 1
        message: dict[str, t.Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        data = json.dumps(message).encode() + b"\0"
        while data:
            data = data[os.write(self._write_fd, data):]
        reply = self._read_until(lambda m: m.get("id") == self._next_id, method)
        if "error" in reply:
            raise CdpError(f"{method}: {reply['error']}")
        return t.cast("dict[str, t.Any]", reply.get("result", {}))

    def wait_event(self, method: str, after: int = 0) -> dict[str, t.Any]:
        """Params of the first event ``method`` at or after index ``after`` of ``events``, waiting for it."""
        for event in self.events[after:]:
            if event["method"] == method:
                return t.cast("dict[str, t.Any]", event.get("params", {}))
        return t.cast("dict[str, t.Any]", self._read_until(lambda m: m.get("method") == method, method).get("params", {}))

    def evaluate(self, expression: str) -> t.Any:
        """The value of a JavaScript expression in the page (promises awaited)."""
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise CdpError(f"evaluate: {result['exceptionDetails']}")
        return result["result"].get("value")

    def _read_until(self, wanted: t.Callable[[dict[str, t.Any]], bool], what: str) -> dict[str, t.Any]:
        deadline = time.monotonic() + self.timeout
        while True:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "method" in message:
                    self.events.append(message)
                if wanted(message):
                    return t.cast("dict[str, t.Any]", message)
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._read_fd], [], [], left)[0]:
                raise CdpError(f"no answer to {what} within {self.timeout:g} s")
            chunk = os.read(self._read_fd, 1 << 20)
            if not chunk:
                raise CdpError(f"Chromium closed the pipe while waiting for {what} (exit {self.process.poll()})")
            self._buffer += chunk

"""A real HTTP server on loopback whose replies are scripted per path.

For tests of the network edges (``formats/web.py`` now, the MT backends later):
requests go through real sockets, so timeouts, framing and redirects behave as
they do against a press office, without leaving the machine.
"""

from __future__ import annotations

import collections.abc as cabc
import threading
import typing as t
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit



@dataclass(frozen=True)
class Request:
    """What the server received; ``headers`` look up names case-insensitively."""

    method: str
    path: str  # with the query string
    headers: Message
    body: bytes


@dataclass(frozen=True)
class Reply:
    """One scripted response.

    ``framing`` ends the body by Content-Length, by closing the connection, or by
    chunked encoding; a Content-Length in ``headers`` is sent as given (it may lie).
    ``delay`` stalls before the status line (read timeouts); ``trickle`` pauses
    between body bytes (overall deadlines).
    """

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    framing: t.Literal["length", "close", "chunked"] = "length"
    delay: float = 0.0
    trickle: float = 0.0


Responder = cabc.Callable[[Request], Reply]


class LoopbackServer:
    """``ThreadingHTTPServer`` on 127.0.0.1, port chosen by the OS.

    ``script(path, *replies)`` serves the replies in turn, repeating the last;
    ``route(path, fn)`` answers with ``fn(request)``; other paths get 404.
    Every request is recorded, in arrival order, in ``requests``. ``Reply`` is
    reachable as ``server.Reply`` so test modules need not import this conftest.
    """

    Reply = Reply

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self._routes: dict[str, Responder] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), _make_handler(self))
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def script(self, path: str, *replies: Reply) -> None:
        queue = list(replies)

        def next_reply(_request: Request) -> Reply:
            return queue.pop(0) if len(queue) > 1 else queue[0]

        self.route(path, next_reply)

    def route(self, path: str, responder: Responder) -> None:
        with self._lock:
            self._routes[path] = responder

    def hits(self, path: str) -> list[Request]:
        """Requests received for ``path`` (query string ignored)."""
        with self._lock:
            return [r for r in self.requests if urlsplit(r.path).path == path]

    def _answer(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            responder = self._routes.get(urlsplit(request.path).path)
            return responder(request) if responder else Reply(404, b"not scripted\n")

    def pause(self, seconds: float) -> bool:
        """Sleep, but wake at once when the server stops; True if it is stopping."""
        return self._stopping.wait(seconds) if seconds > 0 else self._stopping.is_set()

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that timed out and hung up is what half the tests are about; stay quiet."""
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def _make_handler(server: LoopbackServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = 10  # a client that keeps a connection open must not pin a thread forever

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = Request(self.command, self.path, self.headers, self.rfile.read(length))
            reply = server._answer(request)
            if server.pause(reply.delay):
                return
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.framing == "chunked":
                self.send_header("Transfer-Encoding", "chunked")
            elif reply.framing == "close":
                self.send_header("Connection", "close")
                self.close_connection = True
            elif "content-length" not in {n.lower() for n in reply.headers}:
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if reply.status != 304 and self.command != "HEAD":
                self._write_body(reply)

        def _write_body(self, reply: Reply) -> None:
            step = 1 if reply.trickle else 16 * 1024
            for start in range(0, len(reply.body), step):
                piece = reply.body[start : start + step]
                if reply.framing == "chunked":
                    piece = b"%x\r\n%s\r\n" % (len(piece), piece)
                self.wfile.write(piece)
                self.wfile.flush()
                if server.pause(reply.trickle):
                    return
            if reply.framing == "chunked":
                self.wfile.write(b"0\r\n\r\n")

        do_GET = do_POST = do_HEAD = _serve

        def log_message(self, format: str, *args: t.Any) -> None:  # noqa: A002 - stdlib signature
            pass

    return Handler

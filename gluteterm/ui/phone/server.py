"""The phone page's web server: one page, its script and style, and a WebSocket,
all behind a secret in the address; it runs inside the app's asyncio loop.

Who may connect: the first part of every path is a random secret (192 bits,
new each time the server starts), compared in constant time; anything else
gets 403 and an empty body, more slowly after repeated failures from one
address. The Host header must name the address the request came in on (no
DNS rebinding), and the WebSocket's Origin must be this server. Requests,
headers and messages are size-bounded; at most `MAX_CLIENTS` pages are
connected at once. The server reads only the files shipped with the package
and writes none.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import secrets
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from gluteterm.core.display import SessionView
from gluteterm.ui.phone.address import url_host
from gluteterm.ui.phone.wire import apply_command, card_message, figure_message, view_message

if TYPE_CHECKING:
    from gluteterm.ui.session import LiveSession, Severity

#: Pages connected at once; one more is refused (503).
MAX_CLIENTS = 4
#: Requests being answered at once (the connected pages count too).
MAX_REQUESTS = 12
#: A message from the page: a command is some 40 bytes.
MAX_MESSAGE = 512
#: A request line or header, and a request body (the page sends none).
MAX_LINE = 2048
MAX_BODY = 1024
#: Failures from one address before each further one is answered more slowly.
FREE_FAILURES = 3
MAX_DELAY = 4.0
#: Addresses whose failures are remembered (the oldest is forgotten first).
MAX_REMEMBERED = 256
#: A page with nothing new is sent the view again this often, so it knows it is connected.
KEEPALIVE = 4.0
SECRET_BYTES = 24
#: How the server listens: no access log, short request lines and headers.
RUNNER_OPTIONS: dict[str, Any] = {
    "access_log": None,
    "max_line_size": MAX_LINE,
    "max_field_size": MAX_LINE,
    "keepalive_timeout": 30,
    "handle_signals": False,
}

#: The shipped files: path under the secret -> (file, content type).
FILES = {
    "": ("page.html", "text/html; charset=utf-8"),
    "page.js": ("page.js", "text/javascript; charset=utf-8"),
    "page.css": ("page.css", "text/css; charset=utf-8"),
}
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "media-src 'self' blob: mediastream:; connect-src 'self' {ws}; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",  # the secret is in the address
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def failure_delay(failures: int) -> float:
    """Seconds to wait before answering the `failures`-th failure from one address."""
    if failures <= FREE_FAILURES:
        return 0.0
    return float(min(MAX_DELAY, 0.25 * 2 ** (failures - FREE_FAILURES - 1)))


def _shipped(name: str) -> bytes:
    return resources.files("gluteterm.ui.phone").joinpath(name).read_bytes()


@dataclass(eq=False)
class Client:
    """One connected page: the latest state is sent to it by its own task."""

    ws: web.WebSocketResponse
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    notices: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=4))
    figure_step: int | None = None
    card_step: int | None = None
    session_id: int = 0


class PhoneServer:
    """Serves the page and keeps every connected page in step with the session."""

    def __init__(self, now: Callable[[], float], secret: str | None = None) -> None:
        self.now = now
        self.secret = secret or secrets.token_urlsafe(SECRET_BYTES)
        self.session: LiveSession | None = None
        self.url = ""
        self.clients: set[Client] = set()
        self._latest: SessionView | None = None
        self._session_id = 0
        self._failures: dict[str, int] = {}
        self._busy = 0
        self._files = {path: _shipped(name) for path, (name, _) in FILES.items()}
        self._runner: web.AppRunner | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        #: Called after each command from a page (for the benchmarks' timings).
        self.on_command: Callable[[str], None] | None = None

    # -- the session's side -----------------------------------------------------

    def follow(self, session: LiveSession | None) -> None:
        """Show and steer `session` from now on (None: no session under way)."""
        if session is self.session:
            return
        if self.session is not None:
            self.session.unsubscribe(self)
        self.session = session
        self._latest = None
        self._session_id += 1
        if session is not None:
            session.subscribe(self, first=True)
            if session.live:
                self._latest = session.view()
        self._wake_all()

    def session_changed(self, view: SessionView) -> None:
        """Send every page the new view now, before the terminal redraws."""
        self._latest = view
        for client in list(self.clients):
            self._flush(client)

    def session_notice(self, text: str, severity: Severity, timeout: float) -> None:
        for client in self.clients:
            client.notices.append(
                {"type": "notice", "text": text, "severity": severity, "timeout": timeout}
            )
        self._wake_all()

    def _wake_all(self) -> None:
        for client in self.clients:
            client.wake.set()

    # -- serving ------------------------------------------------------------------

    def app(self) -> web.Application:
        """The web application (the tests serve it with aiohttp's test server)."""
        app = web.Application(client_max_size=MAX_BODY, middlewares=[self._guard])
        app.router.add_route("*", "/{path:.*}", self._serve)
        return app

    async def start(self, host: str, port: int = 0) -> str:
        """Listen on `host` (port 0: any free one); the page's address with its secret."""
        for name in ("aiohttp", "aiohttp.access", "aiohttp.server", "aiohttp.web"):
            quiet = logging.getLogger(name)  # never write on the terminal's screen
            quiet.addHandler(logging.NullHandler())
            quiet.propagate = False
        runner = web.AppRunner(self.app(), **RUNNER_OPTIONS)
        await runner.setup()
        site = web.TCPSite(runner, host, port, reuse_address=True, backlog=16)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        bound = runner.addresses[0]
        self.url = f"http://{url_host(host)}:{bound[1]}/{self.secret}/"
        return self.url

    async def stop(self) -> None:
        """Close every page's connection and stop listening."""
        self.follow(None)
        for client in list(self.clients):
            with contextlib.suppress(Exception):
                await client.ws.close(code=1001, message=b"gluteterm closed")
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
        for task in list(self._tasks):
            task.cancel()

    @web.middleware
    async def _guard(
        self,
        request: web.Request,
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
    ) -> web.StreamResponse:
        """The secret, the Host, and the number of requests, before anything else."""
        peer = request.remote or "?"
        head, _, _rest = request.path.partition("/")[2].partition("/")
        good = hmac.compare_digest(head.encode(), self.secret.encode())
        if not good or not self._host_ok(request):
            failures = self._failures.pop(peer, 0) + 1
            self._failures[peer] = failures  # the newest last: forgotten last
            while len(self._failures) > MAX_REMEMBERED:
                del self._failures[next(iter(self._failures))]
            await asyncio.sleep(failure_delay(failures))
            return web.Response(status=403, headers=HEADERS)
        if self._busy >= MAX_REQUESTS:
            return web.Response(status=503, headers=HEADERS)
        self._busy += 1
        try:
            return await handler(request)
        finally:
            self._busy -= 1

    def _host_ok(self, request: web.Request) -> bool:
        """The Host header names the address and port the request came in on."""
        own = self._own_origin(request)
        return own is not None and request.headers.get("Host", "") == own[len("http://") :]

    @staticmethod
    def _own_origin(request: web.Request) -> str | None:
        transport = request.transport
        sock = transport.get_extra_info("sockname") if transport is not None else None
        if not sock:
            return None
        return f"http://{url_host(str(sock[0]))}:{sock[1]}"

    async def _serve(self, request: web.Request) -> web.StreamResponse:
        if request.method != "GET":
            return web.Response(status=405, headers=HEADERS)
        head, slash, rest = request.path.partition("/")[2].partition("/")
        if not slash:  # the address typed without its last slash
            raise web.HTTPPermanentRedirect(f"/{head}/", headers=HEADERS)
        if request.query_string or (request.content_length or 0) > 0:
            return web.Response(status=400, headers=HEADERS)
        if rest == "ws":
            return await self._socket(request)
        if rest not in FILES:
            return web.Response(status=404, headers=HEADERS)
        own = self._own_origin(request) or ""
        ws = "ws://" + own[len("http://") :]
        return web.Response(
            body=self._files[rest],
            headers={
                **HEADERS,
                "Content-Type": FILES[rest][1],
                "Content-Security-Policy": CSP.format(ws=ws),
            },
        )

    async def _socket(self, request: web.Request) -> web.StreamResponse:
        if request.headers.get("Origin") != self._own_origin(request):
            return web.Response(status=403, headers=HEADERS)
        if len(self.clients) >= MAX_CLIENTS:
            return web.Response(status=503, headers=HEADERS)
        ws = web.WebSocketResponse(
            max_msg_size=MAX_MESSAGE, compress=False, heartbeat=20.0, receive_timeout=None
        )
        await ws.prepare(request)
        client = Client(ws)
        client.wake.set()  # everything, at once
        self.clients.add(client)
        sender = asyncio.create_task(self._send_loop(client))
        self._tasks.add(sender)
        sender.add_done_callback(self._tasks.discard)
        try:
            async for message in ws:
                if message.type is not WSMsgType.TEXT:
                    continue
                try:
                    command = json.loads(message.data)
                except ValueError:
                    continue
                self._command(client, command)
        finally:
            self.clients.discard(client)
            sender.cancel()
        return ws

    def _command(self, client: Client, command: Any) -> None:
        session = self.session
        if isinstance(command, dict) and command.get("do") == "hello":
            client.figure_step = client.card_step = None  # send everything again
            client.wake.set()
            return
        if session is None or not session.live:
            return
        if apply_command(session, command) and self.on_command is not None:
            self.on_command(str(command.get("do")))

    async def _send_loop(self, client: Client) -> None:
        """Send `client` what is new when woken (a notice, a new session, its hello), and
        the view again every `KEEPALIVE` seconds so it knows it is connected."""
        ws = client.ws
        loop = asyncio.get_running_loop()
        keepalive = loop.call_later(KEEPALIVE, client.wake.set)
        try:
            while not ws.closed:
                await client.wake.wait()
                client.wake.clear()
                keepalive.cancel()
                keepalive = loop.call_later(KEEPALIVE, client.wake.set)
                self._flush(client)
        finally:
            keepalive.cancel()

    def _flush(self, client: Client) -> None:
        """Write what `client` is to be sent now, at once (see `_send_now`)."""
        for message in self._messages(client):
            if not self._send_now(client, json.dumps(message, separators=(",", ":"))):
                return

    def _send_now(self, client: Client, text: str) -> bool:
        """Write `text` to the page now, not one turn of the loop later (after the
        terminal's redraw). aiohttp writes an uncompressed frame to the transport in
        `send_str`'s first step, and awaits only if the page reads too slowly to take
        it: such a page is dropped (it reconnects and is sent everything again)."""
        ws = client.ws
        if ws.closed:
            return False
        sending = ws.send_str(text)
        try:
            sending.send(None)
        except StopIteration:
            return True
        except Exception:  # the connection is gone: its reader ends it
            return False
        sending.close()
        self._drop(client)
        return False

    def _drop(self, client: Client) -> None:
        self.clients.discard(client)
        task = asyncio.get_running_loop().create_task(client.ws.close(code=1013))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _messages(self, client: Client) -> list[dict[str, Any]]:
        """What `client` is sent now: what changed for it, then the view."""
        out: list[dict[str, Any]] = []
        while client.notices:
            out.append(client.notices.popleft())
        session, view = self.session, self._latest
        if client.session_id != self._session_id:
            client.session_id = self._session_id
            client.figure_step = client.card_step = None
        if session is None or view is None:
            out.append({"type": "idle"})
            return out
        if client.card_step != view.card_step:
            client.card_step = view.card_step
            out.append(card_message(session, view.card_step))
        if client.figure_step != view.card_step:
            client.figure_step = view.card_step
            out.append(figure_message(session, view.card_step))
        step = session.plan.steps[view.step_index]
        tested = step.until_enter and view.state in ("work", "paused")
        out.append(view_message(view, self.now(), session_kind=session.KIND, tested=tested))
        return out

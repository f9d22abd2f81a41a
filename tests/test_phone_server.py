"""The phone page's server, in process: the secret, the bounds, and each command."""

from __future__ import annotations

import asyncio
import json
import textwrap
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest

pytest.importorskip("aiohttp", reason="the phone page needs aiohttp (pip install -e .)")

import itertools

from aiohttp import WSMsgType, WSServerHandshakeError, web
from aiohttp.test_utils import TestClient, TestServer

from gluteterm.core.loader import parse_plan
from gluteterm.store.drills import default_library
from gluteterm.ui.phone import server as phone_server
from gluteterm.ui.phone.server import MAX_CLIENTS, RUNNER_OPTIONS, PhoneServer, failure_delay
from gluteterm.ui.session import LiveSession, start_session
from tests.support import FakeClock, RecordingPlayer, make_store

PLAN = """
title = "Phone"
prepare = 5
[[step]]
drill = "clamshell"
reps = 10
tempo = 2
per_side = false
[[step]]
name = "Hold"
kind = "stability"
hold = 30
"""


class LimitedTestServer(TestServer):
    """aiohttp's test server with the limits the real one listens with."""

    async def _make_runner(self, **kwargs: Any) -> web.AppRunner:
        return web.AppRunner(self.app, **{**kwargs, **RUNNER_OPTIONS})


def LimitedServer(server: PhoneServer) -> TestClient[Any, Any]:
    return TestClient(LimitedTestServer(server.app(), host="127.0.0.1"))


def session_for(clock: FakeClock, toml: str = PLAN) -> LiveSession:
    loaded = parse_plan(textwrap.dedent(toml), "phone.toml", "phone", drills=default_library())
    session = start_session(
        loaded, make_store(), RecordingPlayer(), now=clock,
        wall=lambda: datetime(2026, 12, 6, 20, 0, tzinfo=UTC),
    )  # fmt: skip
    session.start()
    return session


@pytest.fixture
async def served(clock: FakeClock) -> AsyncIterator[tuple[TestClient[Any, Any], PhoneServer]]:
    server = PhoneServer(clock)
    server.follow(session_for(clock))
    async with LimitedServer(server) as client:
        yield client, server
    await server.stop()


def origin(client: TestClient[Any, Any]) -> str:
    return f"http://127.0.0.1:{client.port}"


async def open_socket(client: TestClient[Any, Any], server: PhoneServer) -> Any:
    return await client.ws_connect(f"/{server.secret}/ws", headers={"Origin": origin(client)})


async def next_view(ws: Any, timeout: float = 2.0) -> dict[str, Any]:
    """The next view message (cards, figures and notices are passed over)."""
    while True:
        message = await ws.receive(timeout=timeout)
        assert message.type is WSMsgType.TEXT, message
        data = json.loads(message.data)
        if data["type"] == "view":
            return data  # type: ignore[no-any-return]


async def view_where(ws: Any, test: Any, timeout: float = 2.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        view = await next_view(ws, max(0.05, deadline - time.monotonic()))
        if test(view):
            return view


def test_the_secret_is_new_and_long_each_time(clock: FakeClock) -> None:
    first, second = PhoneServer(clock).secret, PhoneServer(clock).secret
    assert first != second
    assert len(first) >= 22  # at least 128 bits in URL-safe base64


async def test_the_page_its_script_and_style_are_served_under_the_secret(served: Any) -> None:
    client, server = served
    page = await client.get(f"/{server.secret}/")
    assert page.status == 200
    html = await page.text()
    assert '<script src="page.js"' in html and "<script>" not in html
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert page.headers["Referrer-Policy"] == "no-referrer"
    for name, kind in (("page.js", "javascript"), ("page.css", "css")):
        response = await client.get(f"/{server.secret}/{name}")
        assert response.status == 200 and kind in response.headers["Content-Type"]


@pytest.mark.parametrize(
    "path",
    ["/", "/page.js", "/ws", "/WRONG/", "/{bad}/", "/{secret}x/", "/{short}/",
     "/favicon.ico", "/static/", "/{secret}"],
)  # fmt: skip
async def test_a_wrong_or_missing_secret_gets_403_and_nothing_else(served: Any, path: str) -> None:
    client, server = served
    secret = server.secret
    wrong = ("A" if secret[0] != "A" else "B") + secret[1:]
    url = path.format(secret=secret, bad=wrong, short=secret[:-1])
    response = await client.get(url)
    if path == "/{secret}":  # the page's own address typed without its last slash
        assert response.status == 200 and str(response.url).endswith(f"/{secret}/")
        return
    assert response.status == 403
    assert await response.read() == b""


async def test_only_the_shipped_files_are_served(served: Any) -> None:
    client, server = served
    for rest in ("..%2fserver.py", "server.py", "qr.py", "page.html", "ws/x", "page.js/"):
        response = await client.get(f"/{server.secret}/{rest}")
        assert response.status in (403, 404), rest
        assert await response.read() == b""
    assert (await client.post(f"/{server.secret}/", data=b"x")).status == 405


async def test_a_host_that_is_not_this_server_is_refused(served: Any) -> None:
    """DNS rebinding: a page elsewhere that resolves its name to this address."""
    client, server = served
    response = await client.get(f"/{server.secret}/", headers={"Host": "evil.example:80"})
    assert response.status == 403


def test_failures_are_slowed_down_more_and_more() -> None:
    delays = [failure_delay(n) for n in range(1, 12)]
    assert delays[:3] == [0.0, 0.0, 0.0]
    assert all(b >= a for a, b in itertools.pairwise(delays))
    assert 0 < delays[3] < delays[5] and delays[-1] == phone_server.MAX_DELAY


async def test_repeated_failures_from_one_address_are_answered_slowly(
    served: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, _ = served
    monkeypatch.setattr(phone_server, "MAX_DELAY", 0.6)
    for _ in range(3):
        await client.get("/nope/")
    begun = time.monotonic()
    await client.get("/nope/")
    await client.get("/nope/")
    assert time.monotonic() - begun >= 0.25 + 0.5 - 0.05


async def test_a_socket_from_another_origin_is_refused(served: Any) -> None:
    client, server = served
    for headers in ({"Origin": "http://evil.example"}, {"Origin": "null"}, {}):
        with pytest.raises(WSServerHandshakeError) as refused:
            await client.ws_connect(f"/{server.secret}/ws", headers=headers)
        assert refused.value.status == 403
    with pytest.raises(WSServerHandshakeError) as refused:
        await client.ws_connect("/wrong/ws", headers={"Origin": origin(client)})
    assert refused.value.status == 403


async def test_a_flood_of_connections_is_refused(served: Any) -> None:
    client, server = served
    sockets = [await open_socket(client, server) for _ in range(MAX_CLIENTS)]
    with pytest.raises(WSServerHandshakeError) as refused:
        await open_socket(client, server)
    assert refused.value.status == 503
    await sockets[0].close()
    for _ in range(50):
        if len(server.clients) < MAX_CLIENTS:
            break
        await asyncio.sleep(0.02)
    again = await open_socket(client, server)  # room again once one has gone
    await next_view(again)
    for ws in [*sockets[1:], again]:
        await ws.close()


async def test_a_huge_message_closes_the_connection(served: Any) -> None:
    client, server = served
    ws = await open_socket(client, server)
    await next_view(ws)
    await ws.send_str(json.dumps({"do": "pause", "pad": "x" * 5000}))
    while True:
        message = await ws.receive(timeout=2)
        if message.type in (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.CLOSING):
            break
    assert ws.close_code == 1009  # message too big
    assert not server.session.view().paused  # and it did nothing


async def test_huge_headers_and_bodies_are_refused(served: Any) -> None:
    client, server = served
    response = await client.get(f"/{server.secret}/", headers={"X-Big": "x" * 5000})
    assert response.status in (400, 431)
    response = await client.get(f"/{server.secret}/?" + "a" * 3000)
    assert response.status in (400, 414)


async def test_the_page_is_sent_the_view_with_the_time_left_now(
    served: Any, clock: FakeClock
) -> None:
    client, server = served
    ws = await open_socket(client, server)
    kinds, first = [], {}
    while "view" not in kinds:
        first = json.loads((await ws.receive(timeout=2)).data)
        kinds.append(first["type"])
    assert kinds[:2] == ["card", "figure"]  # what the view refers to comes first
    assert first["remaining"] == pytest.approx(server.session.view().remaining)
    clock.advance(2)
    server.session.tick()
    view = await next_view(ws)
    assert view["state"] == "prepare" and view["band"] == "GET READY"
    assert view["step_name"] == "Clamshell" and view["step_count"] == 2
    assert view["counts"] == "down"
    assert view["remaining"] == pytest.approx(first["remaining"] - 2.0)
    await ws.close()


async def test_each_command_from_the_page_reaches_the_session(
    served: Any, clock: FakeClock
) -> None:
    client, server = served
    session = server.session
    ws = await open_socket(client, server)
    ready = (await next_view(ws))["remaining"]  # the first get-ready: 12 s or more

    await ws.send_json({"do": "toggle_pause"})
    assert (await view_where(ws, lambda v: v["state"] == "paused"))["band"].startswith("PAUSED")
    await ws.send_json({"do": "resume"})
    await view_where(ws, lambda v: v["state"] == "prepare")
    await ws.send_json({"do": "pause"})
    await view_where(ws, lambda v: v["state"] == "paused")
    await ws.send_json({"do": "resume"})
    await view_where(ws, lambda v: v["state"] == "prepare")

    await ws.send_json({"do": "adjust", "value": 1})
    more = await view_where(ws, lambda v: v["remaining"] > ready + 1)
    assert more["remaining"] == pytest.approx(ready + 10)
    await ws.send_json({"do": "adjust", "value": -1})
    await view_where(ws, lambda v: v["remaining"] == pytest.approx(ready))

    await ws.send_json({"do": "next"})  # skips the rest of this step (its get-ready too)
    view = await view_where(ws, lambda v: v["step"] == 1)
    assert view["step_name"] == "Hold"
    await ws.send_json({"do": "back"})
    await view_where(ws, lambda v: v["step"] == 0)

    clock.advance(session.view().remaining)
    session.tick()
    await view_where(ws, lambda v: v["state"] == "work")
    clock.advance(16)  # most of the set: done counts it as done
    session.tick()
    await ws.send_json({"do": "done"})  # ends the set: the check-in opens after it
    view = await view_where(ws, lambda v: v["question"] is not None)
    assert view["question"]["kind"] == "check-in" and view["question"]["subject"] == "Clamshell"

    await ws.send_json({"do": "felt", "value": 6})
    await view_where(ws, lambda v: v["question"] and v["question"]["felt"] == 6)
    await ws.send_json({"do": "flag", "value": "h"})
    await view_where(ws, lambda v: v["question"] and "hip drop" in v["question"]["flags"])
    await ws.send_json({"do": "flag", "value": "x"})
    view = await view_where(ws, lambda v: v["question"] and v["question"]["can_skip"])
    assert view["question"]["advice"].startswith("Pain")
    assert session.check_ins[0].felt == 6
    assert set(session.check_ins[0].flags) == {"hip drop", "pain"}
    await ws.send_json({"do": "skip_drill"})
    await view_where(ws, lambda v: v["question"] is None)
    assert "clamshell" in session.skipped_today
    await ws.close()


@pytest.mark.parametrize(
    "command",
    [{"do": "stop"}, {"do": "adjust", "value": 1000}, {"do": "felt", "value": 10},
     {"do": "felt", "value": "5"}, {"do": "felt", "value": True}, {"do": "flag", "value": "q"},
     {"do": "answer", "value": "yes"}, {"do": "__init__"}, ["pause"], "pause", 7],
)  # fmt: skip
async def test_anything_else_from_the_page_does_nothing(served: Any, command: Any) -> None:
    client, server = served
    before = server.session.view()
    ws = await open_socket(client, server)
    await next_view(ws)
    await ws.send_str(json.dumps(command))
    await ws.send_str("not json {")
    await ws.send_json({"do": "hello"})  # answered with everything again
    await next_view(ws)
    after = server.session.view()
    assert (after.state, after.step_index, after.remaining) == (
        before.state, before.step_index, before.remaining,
    )  # fmt: skip
    assert after.question is None
    await ws.close()


def assessment(clock: FakeClock) -> LiveSession:
    from gluteterm.core.assessment import assessment_plan
    from gluteterm.core.loader import LoadedPlan

    session = start_session(
        LoadedPlan(assessment_plan(default_library())), make_store(), RecordingPlayer(),
        now=clock, wall=lambda: datetime(2026, 12, 6, 20, 0, tzinfo=UTC),
    )  # fmt: skip
    session.start()
    return session


async def test_the_self_assessment_ends_a_test_and_takes_yes_or_no(clock: FakeClock) -> None:
    """The yes/no answers, and a test ended at failure: the same figures as the keys give."""
    keys_clock = FakeClock()
    by_keys, by_phone = assessment(keys_clock), assessment(clock)
    server = PhoneServer(clock)
    server.follow(by_phone)
    async with LimitedServer(server) as client:
        ws = await open_socket(client, server)
        assert (await next_view(ws))["session_kind"] == "assessment"
        for seconds in (10, 30):  # get ready, then the stance's 30 s
            clock.advance(seconds)
            keys_clock.advance(seconds)
            by_phone.tick()
            by_keys.tick()
        view = await view_where(ws, lambda v: v["question"] is not None)
        assert view["question"]["kind"] == "yes-no"
        await ws.send_json({"do": "answer", "value": True})
        by_keys.answer(True)
        await view_where(ws, lambda v: v["question"] is None)
        while by_phone.view().step_index < 2:  # on to the bridge test
            await ws.send_json({"do": "next"})
            by_keys.next()
            await asyncio.sleep(0.01)
        for _ in range(2):
            clock.advance(10)
            keys_clock.advance(10)
            by_phone.tick()
            by_keys.tick()
        view = await view_where(ws, lambda v: v["state"] == "work")
        assert view["tested"] and view["step"] == 2  # the page shows "can't keep going"
        clock.advance(7.3)
        keys_clock.advance(7.3)
        by_phone.tick()
        by_keys.tick()
        await ws.send_json({"do": "done"})  # the test ends now
        await view_where(ws, lambda v: v["side"] != view["side"] or v["step"] != 2)
        by_keys.done()
        phone_values = dict(by_phone.values)  # type: ignore[attr-defined]
        assert phone_values == by_keys.values  # type: ignore[attr-defined]
        assert (2, view["side"]) in phone_values and phone_values[(0, "left")] is True
        await ws.close()
    await server.stop()


async def test_with_no_session_the_page_is_told_so(clock: FakeClock) -> None:
    server = PhoneServer(clock)
    async with LimitedServer(server) as client:
        ws = await open_socket(client, server)
        assert json.loads((await ws.receive(timeout=2)).data) == {"type": "idle"}
        await ws.send_json({"do": "pause"})  # nothing to pause: nothing happens
        server.follow(session_for(clock))
        await next_view(ws)
        await ws.close()
    await server.stop()


async def test_stop_closes_the_pages_and_stops_listening(clock: FakeClock) -> None:
    import aiohttp

    server = PhoneServer(clock)
    server.follow(session_for(clock))
    url = await server.start("127.0.0.1")
    assert url.startswith("http://127.0.0.1:") and url.endswith(f"/{server.secret}/")
    async with aiohttp.ClientSession() as http:
        ws = await http.ws_connect(
            url + "ws", headers={"Origin": url.split("/" + server.secret)[0]}
        )
        await next_view(ws)
        await server.stop()
        closed = await ws.receive(timeout=2)
        assert closed.type in (WSMsgType.CLOSE, WSMsgType.CLOSED)
        with pytest.raises(aiohttp.ClientConnectionError):
            await http.get(url)
    assert server.session is None


def test_a_display_can_ask_to_hear_first(clock: FakeClock) -> None:
    session = session_for(clock)
    heard: list[str] = []

    class Display:
        def __init__(self, name: str) -> None:
            self.name = name

        def session_changed(self, view: Any) -> None:
            heard.append(f"{self.name} {view.state}")

        def session_notice(self, text: str, severity: Any, timeout: float) -> None:
            pass

    terminal, phone = Display("terminal"), Display("phone")
    session.subscribe(terminal)
    session.subscribe(phone, first=True)
    session.tick()
    assert heard == ["phone prepare", "terminal prepare"]


def test_a_paced_rep_s_figure_is_sent_its_up_hold_and_down(clock: FakeClock) -> None:
    from dataclasses import replace

    from gluteterm.core.figure import tempo_phase
    from gluteterm.ui.phone.wire import view_message

    view = session_for(clock).view()
    motion = replace(view.motion, period=4.0, origin=clock() - 2.5, phases=(1.0, 2.0, 1.0))
    sent = view_message(replace(view, motion=motion), clock())["figure"]
    assert sent["phases"] == [1.0, 2.0, 1.0] and sent["into"] == pytest.approx(2.5)
    assert sent["phase"] == pytest.approx(tempo_phase(2.5, 1.0, 2.0, 1.0)) == 0.5  # held
    even = view_message(replace(view, motion=replace(motion, phases=None)), clock())["figure"]
    assert even["phase"] == pytest.approx(2.5 / 4.0) and even["phases"] is None

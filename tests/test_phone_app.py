"""The phone page from the app: o, --phone, the setting, the QR code, the way out."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("aiohttp", reason="the phone page needs aiohttp (pip install -e .)")

import aiohttp

from gluteterm.cli.main import main
from gluteterm.store.settings import load_settings
from gluteterm.ui.app import GlutetermApp
from gluteterm.ui.phone.address import BindError, checked_bind, default_bind
from gluteterm.ui.phone.qr import qr_lines
from gluteterm.ui.phone.server import PhoneServer
from tests.support import REPO, FakeClock, build_app, wait_for_workers

PLAN = """
title = "Phone"
prepare = 5
[[step]]
drill = "clamshell"
reps = 10
tempo = 2
per_side = false
"""


def test_the_default_address_is_found_without_sending_anything() -> None:
    address, note = default_bind()
    checked_bind(address)  # an address to listen on
    assert (address == "127.0.0.1") == bool(note)


@pytest.mark.parametrize("text", ["localhost", "0.0.0.0", "::", "224.0.0.1", "1.2.3", "-x", ""])
def test_phone_bind_takes_one_computer_s_ip_address(text: str) -> None:
    with pytest.raises(BindError):
        checked_bind(text)
    assert checked_bind(" 127.0.0.1 ") == "127.0.0.1"
    assert checked_bind("[::1]") == "::1"


def test_a_bad_phone_bind_is_refused_before_the_app_starts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["run", "--phone-bind", "my-laptop"])
    assert exited.value.code == 2
    assert "not an IP address" in capsys.readouterr().err


def test_the_settings_say_phone_and_where(isolated_home: Path) -> None:
    config = isolated_home / "config.toml"
    config.write_text('phone = true\nphone_bind = "127.0.0.1"\n')
    settings, warning = load_settings(config)
    assert settings.phone and settings.phone_bind == "127.0.0.1" and not warning
    config.write_text("phone_bind = 12\n")
    settings, warning = load_settings(config)
    assert settings.phone_bind == "" and "phone_bind" in warning


def pbm(lines: list[str], scale: int = 4) -> bytes:
    """The half-block lines as a black-on-white bitmap, as a screen shows them."""
    rows: list[list[int]] = []
    for line in lines:
        top = [1 if ch in "█▀" else 0 for ch in line]
        bottom = [1 if ch in "█▄" else 0 for ch in line]
        rows += [top, bottom]
    pixels = [[v for v in row for _ in range(scale)] for row in rows for _ in range(scale)]
    head = f"P1\n{len(pixels[0])} {len(pixels)}\n"
    return (head + "\n".join(" ".join(map(str, row)) for row in pixels) + "\n").encode()


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbarimg (zbar-tools) not installed")
def test_the_qr_code_reads_back_as_the_address(tmp_path: Path) -> None:
    url = "http://192.168.100.200:54321/" + "Ab-_9" * 6 + "xy/"
    lines = qr_lines(url)
    assert len(lines) <= 22 and max(len(line) for line in lines) <= 45  # fits at 80x24
    image = tmp_path / "qr.pbm"
    image.write_bytes(pbm(lines))
    read = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, text=True, check=False
    )
    assert read.stdout.strip() == url


def phone_of(app: GlutetermApp) -> PhoneServer | None:
    return app.phone


async def test_o_starts_the_page_shows_the_code_and_the_page_steers(clock: FakeClock) -> None:
    from gluteterm.ui.screens.phone import PhoneScreen

    app = build_app(clock, PLAN)
    app.phone_bind = "127.0.0.1"
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_workers(pilot)
        assert app.phone is None  # nothing listens unless asked
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, PhoneScreen)
        server, session = phone_of(app), app.session
        assert server is not None and session is not None
        url = server.url
        shown = "".join(str(s.render()) for s in app.screen.query("#phone-url"))
        assert shown == url and url.startswith("http://127.0.0.1:")
        async with aiohttp.ClientSession() as http:
            assert (await http.get(url)).status == 200
            origin = url.split("/" + server.secret)[0]
            ws = await http.ws_connect(url + "ws", headers={"Origin": origin})
            await ws.send_json({"do": "pause"})
            for _ in range(100):
                await pilot.pause(0.01)
                if session.view().paused:
                    break
            assert session.view().paused  # the terminal's session paused
            await pilot.press("o")
            await pilot.pause()
            assert not isinstance(app.screen, PhoneScreen)
            await pilot.press("space")  # resumed on the laptop: the page is told
            while True:
                message = await ws.receive_json(timeout=2)
                if message["type"] == "view" and message["state"] != "paused":
                    break
            await ws.close()
    assert phone_of(app) is None and server.session is None  # stopped with the app
    async with aiohttp.ClientSession() as http:
        with pytest.raises(aiohttp.ClientConnectionError):
            await http.get(url)


async def test_an_address_it_cannot_listen_on_says_so(clock: FakeClock) -> None:
    app = build_app(clock, PLAN)
    app.phone_bind = "192.0.2.1"  # not this computer's
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_workers(pilot)
        await app.action_phone()
        await pilot.pause()
        assert app.phone is None
        notice = str(app.screen.query_one("#notice").render())
        assert "could not listen on 192.0.2.1" in notice and "--phone-bind" in notice


def test_the_first_frame_does_not_pay_for_the_phone() -> None:
    """aiohttp and segno are imported when the phone is asked for, not before."""
    script = textwrap.dedent(
        """
        import asyncio, sys
        from tests.support import FakeClock, build_app

        PLAN = '''
        title = "x"
        [[step]]
        name = "Hold"
        kind = "stability"
        hold = 30
        '''

        async def go(phone):
            app = build_app(FakeClock(), PLAN)
            app.phone_wanted, app.phone_bind = phone, "127.0.0.1"
            async with app.run_test(size=(80, 24)) as pilot:
                for _ in range(100):
                    await pilot.pause(0.05)
                    if not phone or type(app.screen).__name__ == "PhoneScreen":
                        break
            return sorted({n.split('.')[0] for n in sys.modules} & {"aiohttp", "segno"})

        print(asyncio.run(go(sys.argv[1] == "on")))
        """
    )
    seen = {}
    for phone in ("off", "on"):
        done = subprocess.run(
            [sys.executable, "-c", script, phone], cwd=REPO, capture_output=True, text=True,
            timeout=120, check=True,
        )  # fmt: skip
        seen[phone] = done.stdout.strip().splitlines()[-1]
    assert seen == {"off": "[]", "on": "['aiohttp', 'segno']"}

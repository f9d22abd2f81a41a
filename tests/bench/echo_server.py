"""The reference for the phone's tap and segment timings: the least a WebSocket server
can do on this machine (aiohttp, 127.0.0.1), answering a tap with a view at once and
sending a new segment every second. Prints its address, then serves until killed.
"""

from __future__ import annotations

import asyncio
import sys
import time

from aiohttp import web

SECRET = "reference-reference-reference"


async def socket(request: web.Request) -> web.WebSocketResponse:
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    state: dict[str, str | int] = {"state": "work", "segment": 0}
    segment = 0

    async def send() -> None:
        await ws.send_json({"type": "view", **state})

    async def segments() -> None:
        while not ws.closed:
            await asyncio.sleep(1.0)
            nonlocal segment
            segment += 1
            state["segment"] = segment
            print(f"{time.monotonic():.6f} go 0 {segment} 0", file=trace, flush=True)
            await send()

    ticker = asyncio.create_task(segments())
    await send()
    async for message in ws:
        data = message.json()
        if data.get("do") == "toggle_pause":
            state["state"] = "work" if state["state"] == "paused" else "paused"
        await send()
    ticker.cancel()
    return ws


async def main() -> None:
    app = web.Application()
    app.router.add_get(f"/{SECRET}/ws", socket)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(f"http://127.0.0.1:{runner.addresses[0][1]}/{SECRET}/", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    trace = open(sys.argv[1], "a")  # noqa: SIM115 (the benchmark's own temporary file)
    asyncio.run(main())

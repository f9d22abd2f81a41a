"""A phone page's traffic, without a browser: for the phone benchmarks.

    python -m tests.bench.phone_client URL watch SECONDS  -> each segment change's arrival
    python -m tests.bench.phone_client URL taps COUNT     -> each tap's round trip

Prints one JSON object. Connects to 127.0.0.1 only (the URL the app printed).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any

import aiohttp

#: Between taps: a person's pace, and time for the terminal to finish drawing the last.
GAP = 0.4


async def run(url: str, mode: str, amount: float) -> dict[str, Any]:
    origin = url.split("/", 3)
    assert origin[2].startswith("127.0.0.1:"), "benchmarks talk to 127.0.0.1 only"
    async with aiohttp.ClientSession() as http:
        ws = await http.ws_connect(url + "ws", headers={"Origin": "/".join(origin[:3])})
        await ws.send_json({"do": "hello"})

        async def view() -> dict[str, Any]:
            while True:
                data = json.loads((await ws.receive(timeout=30)).data)
                if data["type"] == "view":
                    return data  # type: ignore[no-any-return]

        first = await view()
        if mode == "watch":
            arrivals: list[tuple[int, float]] = []
            segment = first["segment"]
            end = time.monotonic() + amount
            while time.monotonic() < end:
                try:
                    data = await asyncio.wait_for(view(), max(0.01, end - time.monotonic()))
                except TimeoutError:
                    break
                if data["segment"] != segment or data["state"] == "finished":
                    segment = data["segment"]
                    arrivals.append((segment, time.monotonic()))
                if data["state"] == "finished":
                    break
            await ws.close()
            return {"arrivals": arrivals}
        trips = []
        paused = first["state"] == "paused"
        for _ in range(int(amount)):
            start = time.monotonic()
            await ws.send_json({"do": "toggle_pause"})
            while True:
                data = await view()
                if (data["state"] == "paused") != paused:
                    break
            trips.append(time.monotonic() - start)
            paused = not paused
            await asyncio.sleep(GAP)
        await ws.close()
        return {"trips": trips}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(run(sys.argv[1], sys.argv[2], float(sys.argv[3])))))

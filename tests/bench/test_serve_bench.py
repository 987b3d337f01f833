"""Server memory per player (run with `pytest -m bench tests/bench/test_serve_bench.py -s`).

A real `dealdrift serve`; each simulated browser (a websocket client, as the page's terminal is) gets its
own game process, joins the class and opens the pipeline. Memory is read from /proc (Linux): RSS, and
PSS, which shares the pages the processes have in common fairly between them.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "classroom"))
from browser import serving  # noqa: E402

pytestmark = pytest.mark.bench

BROWSERS = 10
PSS_BUDGET_MIB = 150  # per player, counted fairly


def descendants(pid: int) -> list[int]:
    """A process's children, grandchildren and so on."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            found += [child, *descendants(child)]
    return found


def memory_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in KiB."""
    try:
        rss = next(int(line.split()[1]) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                   if line.startswith("VmRSS:"))
        pss = next(int(line.split()[1]) for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
                   if line.startswith("Pss:"))
    except (OSError, StopIteration):
        return 0, 0
    return rss, pss


def tree_memory(pid: int) -> tuple[int, int, list[int]]:
    """RSS and PSS of a process and all its descendants, with each game process's RSS."""
    pids = [pid, *descendants(pid)]
    sizes = {p: memory_kib(p) for p in pids}
    games = [sizes[p][0] for p in pids if p != pid and "tui.cli" in _cmdline(p) and sizes[p][0] > 10_000]
    return sum(rss for rss, _ in sizes.values()), sum(pss for _, pss in sizes.values()), games


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


async def player(url: str, number: int, ready: list[int]) -> None:
    """One browser: open the page, join, read the briefing and the legend, open the pipeline, then stay connected."""
    import aiohttp

    async with aiohttp.ClientSession() as session:
        await session.get(url)
        received = bytearray()
        async with session.ws_connect(url.replace("http", "ws") + "ws?width=100&height=30") as websocket:
            async def until(wanted: bytes) -> None:
                deadline = time.monotonic() + 120
                while wanted not in received:
                    message = await websocket.receive(timeout=deadline - time.monotonic())
                    if message.type == aiohttp.WSMsgType.BINARY:
                        received.extend(message.data)
                    elif message.type != aiohttp.WSMsgType.TEXT:
                        raise AssertionError(f"browser {number}: the game closed")

            await until(b"Join the class")
            await websocket.send_json(["stdin", f"Player {number}\r"])
            await until(b"Your resume code")
            received.clear()  # that screen says "Press Enter" too: wait for the briefing's own words
            await websocket.send_json(["stdin", "\r"])
            await until(b"first week")
            received.clear()
            await websocket.send_json(["stdin", "\r"])
            await until(b"What the columns mean")  # every new player's first game explains the columns
            received.clear()
            await websocket.send_json(["stdin", "\r"])
            await until(b"Week ")
            ready.append(number)
            async for _ in websocket:  # keep the game open until the test is done with it
                pass


def test_memory_per_player(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with serving(tmp_path / "class.sqlite3", home, "--max-players", str(BROWSERS + 2)) as (url, server):
        time.sleep(1)
        idle_rss, idle_pss, _ = tree_memory(server.pid)

        async def main() -> tuple[int, int, list[int]]:
            ready: list[int] = []
            tasks = [asyncio.create_task(player(url, number, ready)) for number in range(BROWSERS)]
            deadline = time.monotonic() + 300
            while len(ready) < BROWSERS:
                for task in tasks:
                    if task.done() and task.exception():
                        raise task.exception()
                assert time.monotonic() < deadline, f"only {len(ready)} of {BROWSERS} games opened"
                await asyncio.sleep(0.2)
            await asyncio.sleep(2)
            measured = tree_memory(server.pid)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            return measured

        rss, pss, games = asyncio.run(main())
    per_rss = (rss - idle_rss) / BROWSERS / 1024
    per_pss = (pss - idle_pss) / BROWSERS / 1024
    print(f"\nserve alone: RSS {idle_rss / 1024:.0f} MiB, PSS {idle_pss / 1024:.0f} MiB")
    print(f"with {BROWSERS} players in the pipeline: RSS {rss / 1024:.0f} MiB, PSS {pss / 1024:.0f} MiB")
    print(f"per player: RSS {per_rss:.0f} MiB, PSS {per_pss:.0f} MiB; game process RSS median "
          f"{statistics.median(games) / 1024:.0f} MiB over {len(games)} processes")
    assert len(games) == BROWSERS
    assert per_pss <= PSS_BUDGET_MIB
    assert os.path.exists(tmp_path / "class.sqlite3")

"""What the benchmarks that start a server and load it share: a free port, the machine's load,
the CPU a process tree used, a nearest-rank percentile, stopping a server's process group."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
from collections.abc import Sequence
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def loadavg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def _processes() -> list[tuple[int, int, str, float]]:
    """(pid, parent pid, name, CPU seconds so far) of every process (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    found = []
    for pid in Path("/proc").iterdir():
        if not pid.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError):
            stat = (pid / "stat").read_text()
            name = stat[stat.index("(") + 1 : stat.rindex(")")]
            fields = stat.rsplit(")", 1)[1].split()
            cpu = (int(fields[11]) + int(fields[12])) / tick  # utime + stime
            found.append((int(pid.name), int(fields[1]), name, cpu))
    return found


def tree_cpu(root: int) -> float | None:
    """CPU seconds so far of a process and its children (Linux /proc), None elsewhere."""
    try:
        return sum(cpu for pid, ppid, _n, cpu in _processes() if root in (pid, ppid))
    except (OSError, ValueError, AttributeError):
        return None


def named_cpu(names: Sequence[str]) -> float | None:
    """CPU seconds so far of every process whose name starts with one of `names` (Linux
    /proc): the database and Redis servers on this machine (all their connections)."""
    try:
        return sum(cpu for _p, _pp, name, cpu in _processes() if name.startswith(tuple(names)))
    except (OSError, ValueError, AttributeError):
        return None


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank `q`-th percentile (0–100) of `values`; NaN for none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]

"""Child processes that die with the process that started them.

A worker killed with SIGKILL cannot clean up after itself: a tesseract or pg_dump it started
would keep running, an orphan, holding CPU and temporary files. On Linux the kernel can do
it for us: `prctl(PR_SET_PDEATHSIG, SIGKILL)` in the child, between fork and exec, asks for
SIGKILL to be sent to the child the moment its parent dies. Elsewhere (macOS) the children
are at least put in their own session and killed with it when a timeout or an exception
interrupts the wait, as `subprocess.run` does.

Use `run_child(...)` wherever `subprocess.run(...)` would be used for a long-running program,
and `popen_child(...)` for a process to supervise.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from typing import Any

_PR_SET_PDEATHSIG = 1


def pid_namespace() -> str:
    """This process's PID namespace ("" where unknown): a PID names a process only within it."""
    try:
        return os.readlink("/proc/self/ns/pid")[:64]
    except OSError:
        return ""


def process_exists(pid: int) -> bool:
    """Whether a process with this PID exists in this PID namespace (perhaps another user's)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _load_prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:
        return None
    prctl: Callable[..., int] = libc.prctl
    return prctl


_prctl = _load_prctl()


def die_with_parent(death_signal: int = signal.SIGKILL, *, parent: int | None = None) -> None:
    """In a forked child (RQ's work horse): receive `death_signal` when the parent dies; if the
    parent (`parent`, the pid before the fork) is already gone, die now."""
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, int(death_signal), 0, 0, 0)
    if parent is not None and os.getppid() != parent:
        os.kill(os.getpid(), death_signal)


def die_with_parent_preexec(death_signal: int = signal.SIGKILL) -> Callable[[], None]:
    """A `preexec_fn` that makes the child receive `death_signal` when its parent dies.

    Steps (in the child, after fork, before exec):
    1. ask the kernel for `death_signal` on the parent's death;
    2. if the parent already died between fork and prctl (we were re-parented), die now.
    """
    parent = os.getpid()

    def preexec() -> None:
        die_with_parent(death_signal, parent=parent)

    return preexec


def popen_child(
    args: Sequence[str | os.PathLike[str]],
    *,
    death_signal: int = signal.SIGKILL,
    new_session: bool = False,
    **kwargs: Any,
) -> subprocess.Popen[Any]:
    """`subprocess.Popen` whose child is killed when this process dies (Linux).

    `new_session=True` also puts it in its own session, so a Ctrl+C typed in the terminal
    reaches only this process, which decides how to stop the child.
    """
    if "preexec_fn" in kwargs:
        raise TypeError("popen_child sets preexec_fn itself")
    return subprocess.Popen(
        args,
        preexec_fn=die_with_parent_preexec(death_signal),
        start_new_session=new_session,
        **kwargs,
    )


def run_child(
    args: Sequence[str | os.PathLike[str]],
    *,
    timeout: float | None = None,
    check: bool = False,
    input: bytes | str | None = None,
    death_signal: int = signal.SIGKILL,
    **kwargs: Any,
) -> subprocess.CompletedProcess[Any]:
    """`subprocess.run` whose child dies with this process (and on timeout or interruption).

    Same arguments and result as `subprocess.run`; raises `subprocess.TimeoutExpired` and,
    with `check=True`, `subprocess.CalledProcessError` the same way.
    """
    if "stdin" in kwargs and input is not None:
        raise ValueError("stdin and input arguments may not both be used.")
    if input is not None:
        kwargs["stdin"] = subprocess.PIPE
    if kwargs.pop("capture_output", False):
        if "stdout" in kwargs or "stderr" in kwargs:
            raise ValueError("stdout and stderr arguments may not be used with capture_output.")
        kwargs["stdout"] = kwargs["stderr"] = subprocess.PIPE
    with popen_child(args, death_signal=death_signal, **kwargs) as process:
        try:
            stdout, stderr = process.communicate(input, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            process.kill()
            exc.stdout, exc.stderr = process.communicate()
            raise
        except BaseException:
            # An exception (a stop signal turned into one, KeyboardInterrupt…) must not leave
            # the child running.
            process.kill()
            raise
        retcode = process.poll()
        assert retcode is not None
        if check and retcode:
            raise subprocess.CalledProcessError(retcode, process.args, output=stdout, stderr=stderr)
    return subprocess.CompletedProcess(process.args, retcode, stdout, stderr)

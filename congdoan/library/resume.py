"""What a killed OCR worker leaves behind, and how the next one takes it up.

A worker killed with SIGKILL in the middle of a document leaves (steps of the cure):
1. the pages it finished: saved one by one as they finish, never read again;
2. the page it was reading, "processing" under its name (`Page.claimed_by`: machine, pid
   namespace, process id). The next OCR step of the document puts such a page back to
   "pending" at once when its process is gone (same machine) or has no worker heartbeat
   (another machine); only a page whose claimer cannot be judged waits for
   LIBRARY_OCR_STALE_SECONDS. A page that took its worker down LIBRARY_OCR_MAX_ATTEMPTS times
   is failed with a message instead of being read again forever;
3. its tesseract: started with PR_SET_PDEATHSIG (congdoan.core.processes), it died with it;
4. its temporary folders, named after its process id (`temp_prefix`): the next OCR step on
   the machine removes those whose process no longer exists.
The task itself is put back in the queue by the worker's heartbeat reclaiming (core.workers).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import tempfile
from pathlib import Path

from congdoan.core.models import WorkerHeartbeat
from congdoan.core.processes import pid_namespace, process_exists

_TEMP_RE = re.compile(r"^congdoan-(?:ocr|osd)-(?P<pid>\d+)-")


def claimer() -> str:
    """This process, as written on the page it claims."""
    return f"{socket.gethostname()[:100]}|{pid_namespace()}|{os.getpid()}"


def claimer_alive(name: str) -> bool | None:
    """Whether the process that claimed a page still runs; None when it cannot be told."""
    host, _sep, rest = name.partition("|")
    namespace, _sep, pid_text = rest.rpartition("|")
    if not pid_text.isdigit():
        return None
    pid = int(pid_text)
    if (host, namespace) == (socket.gethostname()[:100], pid_namespace()):
        return process_exists(pid)
    if WorkerHeartbeat.objects.filter(host__startswith=host, pid=pid).exists():
        return True
    # Another machine without a heartbeat: a worker that died there (its row was reclaimed),
    # unless no worker keeps heartbeats at all (tasks run in the web process): cannot tell.
    return False if WorkerHeartbeat.objects.exists() else None


def temp_prefix(kind: str) -> str:
    """The prefix of this process's temporary folders: the pid tells a later sweep whose they are."""
    return f"congdoan-{kind}-{os.getpid()}-"


def sweep_temp_dirs(root: str | None = None) -> int:
    """Remove the temporary folders of OCR processes that no longer exist; returns how many."""
    base = Path(root or tempfile.gettempdir())
    removed = 0
    try:
        entries = list(base.iterdir())
    except OSError:
        return 0
    for entry in entries:
        m = _TEMP_RE.match(entry.name)
        if m is None or int(m["pid"]) == os.getpid() or process_exists(int(m["pid"])):
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed += 1
    return removed

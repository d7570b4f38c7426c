"""Line-oriented command-line helpers shared by the ``text`` and ``nlp`` commands.

Input is read as bytes and decoded as UTF-8 with ``surrogateescape``, so bytes that are not
UTF-8 pass through unchanged; one line in gives exactly one line out.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import BinaryIO

BATCH = 256
DOCUMENT_BATCH = 4096  # lines of one text restored together (document context)


def read_lines(stream: BinaryIO) -> Iterator[tuple[str, bytes]]:
    """(text without its line end, the line end) for every line of a byte stream."""
    for raw in stream:
        end = b""
        if raw.endswith(b"\n"):
            raw, end = raw[:-1], b"\n"
            if raw.endswith(b"\r"):
                raw, end = raw[:-1], b"\r\n"
        yield raw.decode("utf-8", errors="surrogateescape"), end


def map_lines(
    func: Callable[[Sequence[str]], list[str]], stream: BinaryIO, out: BinaryIO, batch: int = BATCH
) -> int:
    """Apply ``func`` to batches of lines; returns the number of lines written."""
    pending: list[tuple[str, bytes]] = []
    count = 0

    def flush() -> None:
        nonlocal count
        results = func([text for text, _ in pending])
        for (text, end), result in zip(pending, results, strict=True):
            try:
                encoded = result.encode("utf-8", errors="surrogateescape")
            except UnicodeEncodeError:
                encoded = text.encode("utf-8", errors="surrogateescape")
            out.write(encoded + end)
        count += len(pending)
        pending.clear()

    for item in read_lines(stream):
        pending.append(item)
        if len(pending) >= batch:
            flush()
    if pending:
        flush()
    out.flush()
    return count


def safe(func: Callable[[str], str]) -> Callable[[Sequence[str]], list[str]]:
    """Per-line wrapper: a line the function fails on comes back as it was."""

    def run(lines: Sequence[str]) -> list[str]:
        out = []
        for line in lines:
            try:
                out.append(func(line))
            except Exception:  # never lose a line to one bad input
                out.append(line)
        return out

    return run


def safe_batch(func: Callable[[Sequence[str]], list[str]]) -> Callable[[Sequence[str]], list[str]]:
    """Batch wrapper that falls back to line by line when the batch fails."""

    def run(lines: Sequence[str]) -> list[str]:
        try:
            out = func(lines)
            if len(out) == len(lines):
                return out
        except Exception:
            pass
        return safe(lambda line: func([line])[0])(lines)

    return run


def read_jsonl(stream: BinaryIO) -> Iterator[tuple[dict[str, object] | None, str]]:
    """(parsed object or None, original line) for each line of JSONL."""
    for text, _ in read_lines(stream):
        try:
            value = json.loads(text) if text.strip() else None
        except json.JSONDecodeError:
            value = None
        yield (value if isinstance(value, dict) else None), text


def write(out: BinaryIO, text: str) -> None:
    out.write(text.encode("utf-8", errors="surrogateescape") + b"\n")


def stdin() -> BinaryIO:
    return sys.stdin.buffer


def stdout() -> BinaryIO:
    return sys.stdout.buffer

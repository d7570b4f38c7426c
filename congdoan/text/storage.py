"""Deterministic ``.npz`` writing: the same arrays always give the same bytes.

``numpy.savez_compressed`` stamps the current time into the zip entries, so a rebuild of an
unchanged model would still look changed to git. Models are written through here instead.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np

_EPOCH = (1980, 1, 1, 0, 0, 0)


def save_npz(path: str | Path, **arrays: np.ndarray) -> None:
    """Write arrays to a compressed ``.npz`` (loadable with ``numpy.load``), reproducibly."""
    target = Path(path)
    tmp = target.with_suffix(target.suffix + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name in sorted(arrays):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.asanyarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, buffer.getvalue(), compresslevel=9)
    tmp.replace(target)

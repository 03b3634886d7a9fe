"""Files a manuscript names (``\\bibliography{refs}``, ``\\input{intro}``, pandoc's
``bibliography: refs.bib``), read only from inside the manuscript's folder tree.

A hostile manuscript must not make citecheck read ``/etc/passwd``: no absolute paths, no
``..``, no symlink out of the folder, nothing larger than a manuscript may be.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from citecheck.errors import InputError
from citecheck.ingest.text import decode

MAX_LOCAL_BYTES = 20 * 1024 * 1024


def local_file(folder: Path, name: str, suffix: str = "") -> tuple[Path | None, str]:
    """The file ``name`` (``suffix`` added when it has none) inside ``folder``'s tree:
    (path, "") or (None, why not)."""
    name = name.strip()
    if not name or "\x00" in name or len(name) > 1024:
        return None, "not a file name"
    pure = PurePosixPath(name.replace("\\", "/"))
    if pure.is_absolute() or ".." in pure.parts or re.match(r"[A-Za-z]:|~", name):
        return None, "outside the manuscript's folder; not read"
    if suffix and not pure.suffix:
        pure = pure.with_name(pure.name + suffix)
    try:
        root = folder.resolve()
        path = (root / pure).resolve()
    except (OSError, RuntimeError, ValueError):
        return None, "not a usable path"
    if not path.is_relative_to(root):
        return None, "outside the manuscript's folder; not read"
    if not path.is_file():
        return None, "not found"
    if path.stat().st_size > MAX_LOCAL_BYTES:
        return None, "too large; not read"
    return path, ""


def read_local_text(path: Path) -> str:
    """A file found by ``local_file``, decoded like a manuscript."""
    try:
        text, _ = decode(path.read_bytes())
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    return text

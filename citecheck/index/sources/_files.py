"""Opening dump files: gzip or plain by their first bytes, directories in a stable order.

Dumps come as gzip or not whatever their names say (a ``.json`` someone compressed, a
member of a tar), so the magic bytes decide. Every failure to read becomes an
``InputError`` naming the file, so a build stops with one line instead of a traceback.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, cast

from citecheck.errors import InputError

GZIP_MAGIC = b"\x1f\x8b"
# What a broken or cut-off gzip stream raises while being read.
READ_ERRORS = (EOFError, OSError, zlib.error)


def natural_key(name: str) -> tuple[tuple[int, int | str], ...]:
    """ "2.json.gz" before "10.json.gz": the public data file numbers its parts."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", name) if p)


def walk(root: Path) -> list[Path]:
    """The files under ``root``, hidden ones left out, in natural order of their paths."""
    files = [
        p
        for p in root.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    ]
    return sorted(files, key=lambda p: [natural_key(part) for part in p.relative_to(root).parts])


def must_exist(path: Path) -> None:
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")


@contextmanager
def decompressed(raw: IO[bytes]) -> Iterator[IO[bytes]]:
    """``raw`` itself, or a gunzipping view of it when it starts with the gzip magic."""
    buffered: Any = raw if hasattr(raw, "peek") else io.BufferedReader(cast(Any, raw))
    if buffered.peek(2)[:2] == GZIP_MAGIC:
        with gzip.GzipFile(fileobj=buffered, mode="rb") as unzipped:
            yield cast(IO[bytes], unzipped)
    else:
        yield buffered


def corrupt(where: str, exc: BaseException) -> InputError:
    """The error for a stream that stopped making sense (cut-off download, bad gzip)."""
    detail = str(exc) or type(exc).__name__
    return InputError(f"{where}: truncated or corrupt file ({detail})")

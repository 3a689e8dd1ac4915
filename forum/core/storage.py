"""Where uploaded files live: a small storage interface with a local-folder implementation.

Files are stored under generated keys (random, sharded into sub-folders), never under a name a user chose;
writes go to a temporary file first and are renamed into place, so a half-written file is never visible.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app

CHUNK = 64 * 1024
_KEY = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{32}$")


@dataclass
class Saved:
    """What :meth:`Storage.save` wrote: its key, size in bytes and SHA-256 (hex)."""

    key: str
    size: int
    sha256: str


class Storage(Protocol):
    """The storage of uploaded files."""

    def save(self, stream: BinaryIO, *, limit: int | None = None) -> Saved:
        """Copy ``stream`` into storage under a new key (``TooLarge`` past ``limit`` bytes)."""

    def open(self, key: str) -> BinaryIO:
        """The stored file, for reading."""

    def path(self, key: str) -> Path:
        """The file's path on disk (local storage only)."""

    def delete(self, key: str) -> None:
        """Remove the stored file (nothing happens if it is already gone)."""


class TooLarge(Exception):
    """The stream was longer than the limit given to :meth:`Storage.save`; nothing was kept."""


class LocalStorage:
    """Files in a local folder, at ``<root>/<aa>/<bb>/<32 hex characters>``."""

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)

    def path(self, key: str) -> Path:
        """The path of ``key``; refuses anything that is not a key this storage generated."""
        if not isinstance(key, str) or not _KEY.match(key):
            raise ValueError("not a storage key")
        return self.root / key

    def save(self, stream: BinaryIO, *, limit: int | None = None) -> Saved:
        """Write ``stream`` to a temporary file, hashing it as it goes, then move it under a new random key."""
        name = secrets.token_hex(16)
        key = f"{name[:2]}/{name[2:4]}/{name}"
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if limit is not None and size > limit:
                        raise TooLarge()
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return Saved(key=key, size=size, sha256=digest.hexdigest())

    def open(self, key: str) -> BinaryIO:
        """The stored file, opened for binary reading."""
        return self.path(key).open("rb")

    def delete(self, key: str) -> None:
        """Remove the stored file, if present."""
        self.path(key).unlink(missing_ok=True)


def storage() -> LocalStorage:
    """The application's storage (the folder ``FORUM_UPLOAD_DIR``)."""
    return LocalStorage(current_app.config["FORUM_UPLOAD_DIR"])

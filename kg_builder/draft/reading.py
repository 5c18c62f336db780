"""Reading the article `egkg draft` is given: a regular file of bounded size, in UTF-8."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import InputError
from ..outputs.export import special_kind

__all__ = ["MAX_ARTICLE_BYTES", "read_article"]

# The archived articles are 3 to 5 kB of text; a whole saved web page with its markup is a few
# hundred kB. 2 MB leaves room for any real article and keeps a draft to a few seconds.
MAX_ARTICLE_BYTES = 2_000_000
# git's test for binary content: text has no NUL byte near its start.
BINARY_PROBE = 8000


def read_article(path: Path) -> str:
    """The article's text; InputError for anything but a regular UTF-8 file of at most MAX_ARTICLE_BYTES."""
    try:
        _checked(os.stat(path), path)
        # O_NONBLOCK: should the path turn into a FIFO after the check, opening it still returns at once.
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
            _checked(os.fstat(handle.fileno()), path)
            raw = handle.read(MAX_ARTICLE_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read the article: {exc.strerror}", file=path) from None
    if len(raw) > MAX_ARTICLE_BYTES:  # it grew since the check
        raise _too_large(path, len(raw))
    return _decoded(raw, path)


def _checked(status: os.stat_result, path: Path) -> None:
    """Refuse what is not a regular file of bounded size before reading a byte of it."""
    if stat.S_ISDIR(status.st_mode):
        raise InputError("cannot read the article: Is a directory", file=path)
    kind = special_kind(status.st_mode)
    if kind:
        raise InputError(f"is a {kind}, not a file; give the article's text as a regular file", file=path)
    if status.st_size > MAX_ARTICLE_BYTES:
        raise _too_large(path, status.st_size)


def _too_large(path: Path, size: int) -> InputError:
    return InputError(f"is {size:,} bytes; egkg draft reads at most {MAX_ARTICLE_BYTES:,} (an archived article is a "
                      "few kB)", file=path)


def _decoded(raw: bytes, path: Path) -> str:
    if b"\0" in raw[:BINARY_PROBE]:
        raise InputError(f"looks like a binary file (NUL byte at offset {raw.index(0)}); give the article's text "
                         "(UTF-8)", file=path)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Replacement characters would end up in quotes that never match the archived text.
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError(f"not valid UTF-8 at byte {exc.start} (0x{raw[exc.start]:02x}); convert the article to "
                         "UTF-8 (e.g. iconv -f latin1 -t utf-8)", file=path, line=line) from None

"""HTTP to SPARQL servers: URLs shown without their password, and answers read within a total deadline."""

from __future__ import annotations

import time
from urllib.parse import urlsplit, urlunsplit

import requests

from .errors import InputError

__all__ = ["cut_off", "read_within", "redacted", "scrubbed"]

HIDDEN = "***"
CHUNK_BYTES = 64 * 1024


def redacted(url: str) -> str:
    """`url` with the password of its user part replaced by ***, for messages."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        # Unparseable (say an unclosed IPv6 bracket): hide the whole user part if there may be one.
        scheme, sep, rest = url.partition("://")
        authority, slash, path = rest.partition("/")
        if sep and "@" in authority:
            return f"{scheme}://{HIDDEN}@{authority.rsplit('@', 1)[1]}{slash}{path}"
        return url
    if password is None:
        return url
    user_part, _, host_part = parts.netloc.rpartition("@")
    user = user_part.partition(":")[0]
    return urlunsplit(parts._replace(netloc=f"{user}:{HIDDEN}@{host_part}"))


def scrubbed(text: str, secrets: list[str | None]) -> str:
    """`text` with every non-empty secret replaced by ***: for library messages that may quote a URL."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = text.replace(secret, HIDDEN)
    return text


def cut_off(seconds: float) -> InputError:
    """The one-line error for a query stopped at the total time limit."""
    return InputError(f"the query was cut off after {seconds:g} s; narrow it or raise --timeout", field="--timeout")


def read_within(response: requests.Response, deadline: float, limit: float) -> bytes:
    """The whole body of a streamed response, or `cut_off` once the monotonic `deadline` passes.

    requests' timeout bounds each read, not the total, so a server that keeps sending (or trickles
    a byte at a time) would hold the client forever; the deadline is checked between reads. read1
    returns what has arrived instead of waiting to fill the chunk, so the check comes promptly.
    """
    chunks = []
    try:
        while chunk := response.raw.read1(CHUNK_BYTES, decode_content=True):
            chunks.append(chunk)
            if time.monotonic() > deadline:
                raise cut_off(limit)
    finally:
        response.close()
    return b"".join(chunks)

"""Write the built RDF in other formats: N-Quads, TriG, Turtle (union) and JSON-LD with a context."""

from __future__ import annotations

import errno
import json
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import OWL, RDF, Dataset

from ..errors import InputError
from ..paths import ONTOLOGY_FILE
from ..rdf.namespace import EGKG
from ..rdf.serialize import PREFIXES, trig_block, trig_blocks, trig_document
from ..rdf.vocab import load_ontology

__all__ = ["RDF_FORMATS", "SpecialFileError", "export_rdf", "jsonld_context", "refuse_special_file", "special_kind",
           "trig_pieces", "write_atomically"]

RDF_FORMATS = ("nq", "trig", "ttl", "jsonld")
_SPECIAL_KINDS = ((stat.S_ISFIFO, "FIFO"), (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device"),
                  (stat.S_ISSOCK, "socket"))


def special_kind(mode: int) -> str | None:
    """What a file of this mode is when it is no regular file nor directory ("FIFO", ...); None otherwise."""
    return next((kind for test, kind in _SPECIAL_KINDS if test(mode)), None)


class SpecialFileError(OSError):
    """An output path names a device, FIFO or socket."""


def refuse_special_file(path: Path) -> None:
    """SpecialFileError when `path` is a device, FIFO or socket.

    Renaming a finished file over one would replace the node itself (as root: /dev/null for everyone),
    and writing into a FIFO blocks until someone reads it.
    """
    try:
        kind = special_kind(path.stat().st_mode)
    except OSError:
        return  # absent or unreachable: the write itself will say why
    if kind:
        raise SpecialFileError(errno.EINVAL, f"is a {kind}, not a file; give a regular file to write", str(path))


def write_atomically(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write to a temporary file beside `path`, then rename: readers never see half a file.

    `data` may come in pieces, so an export of a national build need not be held in memory whole.
    """
    refuse_special_file(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.writelines([data] if isinstance(data, bytes) else data)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; outputs are for reading
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def jsonld_context() -> dict:
    """Short keys for the ontology's terms (`name`, `startDate`, ...) plus the common prefixes."""
    ontology = load_ontology(ONTOLOGY_FILE)
    context: dict[str, object] = dict(PREFIXES)
    for term in sorted(set(ontology.subjects(RDF.type, OWL.ObjectProperty)) | set(ontology.subjects(RDF.type, OWL.DatatypeProperty)) | set(ontology.subjects(RDF.type, OWL.Class))):
        if not str(term).startswith(str(EGKG)):
            continue
        key = str(term).removeprefix(str(EGKG))
        if (term, RDF.type, OWL.ObjectProperty) in ontology:
            context[key] = {"@id": str(term), "@type": "@id"}
        else:
            context[key] = str(term)
    return context


def export_rdf(build_dir: Path, fmt: str, target: Path) -> None:
    """Export the build in `fmt` to `target` (atomically)."""
    from ..pipeline.release_files import (
        nquads_file,  # the pipeline imports records, which write through this module: import late
    )

    nquads = nquads_file(build_dir)
    if not nquads.is_file():
        raise InputError("nothing to export; run `egkg build` first", file=build_dir / "egkg.nq")
    if fmt == "nq":
        write_atomically(target, _pieces(nquads))
    elif fmt == "trig":
        write_atomically(target, trig_pieces(build_dir, nquads))
    elif fmt == "ttl":
        triples = sorted({q.triple for q in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS)},
                         key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
        write_atomically(target, ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))
    elif fmt == "jsonld":
        dataset = Dataset()
        dataset.parse(nquads, format="nquads")
        text = dataset.serialize(format="json-ld", context=jsonld_context(), auto_compact=True)
        json.loads(text)  # fail here, not in the user's tool, if the serialiser ever misbehaves
        write_atomically(target, text.encode("utf-8"))
    else:
        raise InputError(f"unknown format {fmt!r}; use one of {', '.join(RDF_FORMATS)}", field="--format")


def trig_pieces(build_dir: Path, nquads: Path) -> Iterator[bytes]:
    """The build as TriG, one graph's block at a time, in graph IRI order (what builds wrote as egkg.trig).

    From the build's per-graph shares when it keeps them; else the whole N-Quads are read at once.
    """
    from ..pipeline.release_files import graph_shares  # see export_rdf

    shares = graph_shares(build_dir)
    yield trig_document([])
    if shares is not None:
        for _graph, share in shares:
            yield trig_block(share.read_bytes())
        return
    blocks = trig_blocks(ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS))
    for graph in sorted(blocks):
        yield blocks[graph]


def _pieces(path: Path, size: int = 1 << 20) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while piece := handle.read(size):
            yield piece

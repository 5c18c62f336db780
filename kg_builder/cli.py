"""The `egkg` command: build, validate and inspect the election-governance knowledge graph."""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, NoReturn, Optional

import typer
from rich.console import Console

from . import __version__
from .errors import EXIT_INPUT, EXIT_VIOLATIONS, InputError, InputErrors
from .paths import BUILD_DIR, DATA_DIR

app = typer.Typer(
    name="egkg",
    help="Election-governance knowledge graph: curated records -> RDF -> store, queries and views.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# emoji=False: rich would turn a location like `file.yaml:100: ...` into `file.yaml💯 ...`.
out = Console(highlight=False, emoji=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)

# Defaults are shown relative to the checkout: the absolute path made the help differ from one clone to the next.
DataOption = Annotated[Path, typer.Option("--data", help="records, sources and reference data",
                                          show_default="data/ in the checkout")]
OutOption = Annotated[Path, typer.Option("--out", help="where egkg.nq and store/ go",
                                         show_default="build/ in the checkout")]


def reports_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the project's errors into one line each on stderr and the documented exit code."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InputError as exc:
            err.print(f"error: {exc.problem.render()}", markup=False)
            raise typer.Exit(EXIT_INPUT) from None
        except InputErrors as exc:
            for problem in exc.problems:
                err.print(f"error: {problem.render()}", markup=False)
            err.print(f"{len(exc.problems)} problem(s); nothing was written", markup=False)
            raise typer.Exit(EXIT_INPUT) from None
        except KeyboardInterrupt as exc:
            number = getattr(exc, "signum", signal.SIGINT)
            err.print(f"interrupted ({signal.Signals(number).name}); earlier outputs are unchanged", markup=False)
            raise typer.Exit(128 + number) from None
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # typer's own control flow and usage errors
        except Exception as exc:  # noqa: BLE001 - the graph's own failures, then a last resort
            report_other_failure(exc)

    return wrapper


def report_other_failure(exc: Exception) -> NoReturn:
    """An inconsistent graph or SHACL violations as one line each (exit 1); anything else as one line (exit 3)."""
    # Imported only now: kg_builder.pipeline.build brings in the mapper, pySHACL and networkx (over a second
    # of start-up), which `query`, `sparql`, `export` and `serve` never use, and only a build raises these.
    from .pipeline.stages import ShaclViolations
    from .reason.checks import InconsistentGraph

    if isinstance(exc, InconsistentGraph):
        for problem in exc.problems:
            err.print(f"inconsistent: {problem.render()}", markup=False)
        err.print(f"{len(exc.problems)} inconsistency(ies); nothing was written", markup=False)
        raise typer.Exit(EXIT_VIOLATIONS) from None
    if isinstance(exc, ShaclViolations):
        for violation in exc.violations:
            err.print(f"violation: {violation.problem.render()}", markup=False)
        err.print(f"{len(exc.violations)} SHACL violation(s); nothing was written", markup=False)
        raise typer.Exit(EXIT_VIOLATIONS) from None
    if os.environ.get("EGKG_DEBUG"):
        raise exc
    err.print(f"internal error: {type(exc).__name__}: {exc} (set EGKG_DEBUG=1 for a traceback)", markup=False)
    raise typer.Exit(3) from None


def _progress(stage: str) -> None:
    err.print(f"· {stage}", style="dim", markup=False)


class Stopped(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived: unwinds like Ctrl-C, so half-written releases are removed on the way out."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, _frame: object) -> None:
    raise Stopped(signum)


def _stoppable() -> None:
    """Make SIGINT and SIGTERM stop a command that writes, whatever handlers it inherited.

    A shell script's `egkg build &` starts the build with SIGINT ignored, so `kill -INT` did nothing and
    the build published; SIGTERM's default killed it without a word. Both now unwind (the subprocess
    module kills a running HermiT on the way) and exit 128 + the signal's number.
    """
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _stop)


@contextmanager
def _user_path(path: Path, field: str, doing: str) -> Iterator[None]:
    """An OSError while writing where the user said (full disk, read-only or missing place) is an input error."""
    from .outputs.export import SpecialFileError

    try:
        yield
    except SpecialFileError as exc:
        raise InputError(exc.strerror, file=exc.filename, field=field) from None
    except OSError as exc:
        elsewhere = exc.filename and not Path(os.path.abspath(exc.filename)).is_relative_to(os.path.abspath(path))
        detail = f" ({exc.filename})" if elsewhere else ""
        raise InputError(f"{doing}: {exc.strerror or exc}{detail}", file=path, field=field) from None


@app.command()
@reports_errors
def build(
    data: DataOption = DATA_DIR,
    out_dir: OutOption = BUILD_DIR,
    quiet: Annotated[bool, typer.Option("--quiet", help="no progress or summary")] = False,
    reason: Annotated[bool, typer.Option("--reason/--no-reason", help="derive the inferred graph (needs Java)")] = True,
    full: Annotated[bool, typer.Option("--full", help="redo every record file, not only those changed since the last build")] = False,
    report: Annotated[Optional[Path], typer.Option("--report", help="also write stage timings and counts as JSON here")] = None,
    chunk_files: Annotated[int, typer.Option("--chunk-files", min=1, help="above this many record files, build chunk by chunk")] = 500,
) -> None:
    """Check the records, reason, and write build/egkg.nq and the embedded store (TriG: `egkg export`)."""
    from .outputs.summary import summary_table
    from .pipeline.build import build as run_build

    _stoppable()
    with _user_path(out_dir, "--out", "cannot write the build"):
        result = run_build(data, out_dir, progress=(lambda _: None) if quiet else _progress, reason=reason,
                           incremental=not full, chunk_files=chunk_files)
    if report is not None:
        _write_report(report, result)
    if not quiet:
        if result.quad_count is not None:
            out.print(f"chunked build: {len(result.corpus.summaries)} record files, {result.quad_count} quads", markup=False)
        elif result.changes is None:
            out.print(summary_table(result.quads))
        else:
            changes = result.changes
            out.print(f"incremental build: {len(changes.changed)} record file(s) redone, {len(changes.removed)} removed, "
                      f"{len(changes.unchanged)} reused (`egkg build --full` redoes all)", markup=False)
        if result.inference is not None and result.inference.skipped:
            out.print(result.inference.skipped, markup=False)
        stages = ", ".join(f"{name} {seconds:.2f}s" for name, seconds in result.timings.items())
        out.print(f"wrote {out_dir / 'egkg.nq'}, {out_dir / 'store'} ({stages})")


def _write_report(path: Path, result) -> None:
    """Stage timings, each stage's peak RSS and counts as JSON, for benchmarks and scripts."""
    import json

    from .outputs.export import write_atomically

    redone = len(result.corpus.summaries) if result.quad_count is not None else len(result.corpus.files)
    counts = {"record_files": len(result.corpus.summaries), "files_redone": redone}
    if result.changes is None:
        counts["quads"] = result.quad_count if result.quad_count is not None else len(result.quads)
    report = {"incremental": result.changes is not None, "timings": result.timings, "counts": counts,
              "peak_rss_mib": getattr(result.timings, "peak_rss_mib", {})}  # empty where /proc is missing
    if result.inference is not None:  # the reasoner's own figures: a benchmark need not run the rules again
        inference = result.inference
        report["inference"] = {"quads": len(inference.quads), "counts": inference.counts, "timings": inference.timings}
    write_atomically(path, json.dumps(report, indent=2, sort_keys=True).encode())


@app.command()
@reports_errors
def reason(build_dir: BuildOption = BUILD_DIR) -> None:
    """Recompute the inferred graph of the existing build (rules, then HermiT) and rewrite it."""
    from .pipeline.build import reason_again

    _stoppable()
    with _user_path(build_dir, "--build", "cannot write the build"):
        inference, quads, timings = reason_again(build_dir, progress=_progress)
    for source, count in sorted(inference.counts.items()):
        out.print(f"{count:6d}  {source}", markup=False)
    if inference.skipped:
        out.print(inference.skipped, markup=False)
    stages = ", ".join(f"{name} {seconds:.2f}s" for name, seconds in timings.items())
    out.print(f"inferred graph: {len(inference.quads)} quads; build now {len(quads)} quads ({stages})", markup=False)


@app.command()
@reports_errors
def validate(data: DataOption = DATA_DIR) -> None:
    """Run every check (records, references, quotes, SHACL) without writing anything."""
    from .pipeline.stages import check

    result = check(data)
    files = len(result.corpus.summaries)
    out.print(f"conforms: {files} record file(s), {len({quad.triple for quad in result.quads})} triples")


@app.command()
@reports_errors
def vocab() -> None:
    """Print the controlled values the ontology allows in record files."""
    from .paths import ONTOLOGY_FILE
    from .rdf.vocab import load_ontology, load_vocabulary

    vocabulary = load_vocabulary(load_ontology(ONTOLOGY_FILE))
    for name in sorted([*vocabulary.concepts, "OrganizationType"]):
        out.print(f"{name}: {', '.join(vocabulary.allowed(name))}", markup=False)


QueryFormat = Annotated[str, typer.Option("--format", help="table (fits the terminal), csv or json (SPARQL results JSON); for CONSTRUCT and DESCRIBE ttl or nt")]
IrisOption = Annotated[bool, typer.Option("--iris", help="show IRIs (shortened to id:, egkg:, vocab:) instead of labels, and every column")]
EngineOption = Annotated[str, typer.Option("--engine", help="oxigraph (embedded store) or rdflib (in memory)")]
EndpointOption = Annotated[Optional[str], typer.Option("--endpoint", help="run on a remote SPARQL endpoint instead")]
UserOption = Annotated[Optional[str], typer.Option("--user", help="user for the remote endpoint")]
PasswordOption = Annotated[Optional[str], typer.Option("--password", help="password for the remote endpoint")]
TimeoutOption = Annotated[float, typer.Option("--timeout", help="seconds to wait for each answer from the remote store")]
QueryTimeoutOption = Annotated[float, typer.Option("--timeout", help="total seconds a query may run, on any engine (embedded, rdflib or --endpoint); longer queries are cut off (exit 2)")]
BuildOption = Annotated[Path, typer.Option("--build", help="the build directory (store and N-Quads)",
                                           show_default="build/ in the checkout")]


def _print_result(result, fmt: str, title: str = "", engine=None, iris: bool = False) -> None:
    """A SELECT's table, an ASK's yes/no or a graph, in the format asked for."""
    from .engines import Triples
    from .output import FORMATS, GRAPH_FORMATS

    known = FORMATS + GRAPH_FORMATS
    if fmt not in known:
        raise InputError(f"unknown format {fmt!r}; use one of {', '.join(known)}", field="--format")
    if isinstance(result, Triples):
        _print_graph(result, fmt)
    elif isinstance(result, bool):
        _print_boolean(result, fmt)
    elif fmt in GRAPH_FORMATS:
        raise InputError(f"{fmt} is for CONSTRUCT and DESCRIBE answers; use table, csv or json", field="--format")
    else:
        _print_table(result, fmt, title, engine, iris)


def _print_table(result, fmt: str, title: str, engine, iris: bool) -> None:
    from .output import iris_to_label, print_answer, readable, render_csv, render_json
    from .run_query import labels_for

    if fmt == "csv":
        sys.stdout.write(render_csv(result))
    elif fmt == "json":
        sys.stdout.write(render_json(result) + "\n")
    else:
        labels = {} if iris or engine is None else labels_for(engine, iris_to_label(result))
        print_answer(out, readable(result, labels, iris=iris), title)


def _print_boolean(answer: bool, fmt: str) -> None:
    """An ASK answer: yes/no for people, true/false for csv, SPARQL results JSON; exit 0 either way."""
    if fmt == "json":
        sys.stdout.write(json.dumps({"head": {}, "boolean": answer}) + "\n")
    elif fmt == "csv":
        sys.stdout.write(f"{'true' if answer else 'false'}\n")
    elif fmt == "table":
        sys.stdout.write(f"{'yes' if answer else 'no'}\n")
    else:
        raise InputError(f"{fmt} is for CONSTRUCT and DESCRIBE answers; an ASK answers table, csv or json",
                         field="--format")


def _print_graph(answer, fmt: str) -> None:
    """A CONSTRUCT or DESCRIBE answer as Turtle (with the project's prefixes) or N-Triples."""
    import pyoxigraph as ox

    from .output import QUERY_PREFIXES

    if fmt in ("csv", "json"):
        raise InputError("a CONSTRUCT or DESCRIBE answer is a graph; use --format ttl (Turtle) or nt (N-Triples)",
                         field="--format")
    triples = sorted(ox.parse(answer.ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES), key=str)
    if fmt == "nt":
        sys.stdout.write(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"))
        return
    # Not id:, whose local names hold slashes that Turtle must escape (id:meeting\/2024-...).
    prefixes = {name: iri for name, iri in QUERY_PREFIXES.items() if name != "id"}
    sys.stdout.write(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes).decode("utf-8"))


@app.command()
@reports_errors
def query(
    name: Annotated[str, typer.Argument(help="a query name from `egkg query list`, or `list`")],
    param: Annotated[list[str], typer.Option("--param", "-p", help="key=value, repeatable (`--describe` lists them)")] = [],  # noqa: B006
    fmt: QueryFormat = "table",
    iris: IrisOption = False,
    describe: Annotated[bool, typer.Option("--describe", help="say what the question answers, its caveats and parameters, without running it")] = False,
    engine: EngineOption = "oxigraph",
    endpoint: EndpointOption = None,
    user: UserOption = None,
    password: PasswordOption = None,
    timeout: QueryTimeoutOption = 60.0,
    limit: Annotated[Optional[int], typer.Option("--limit", help="at most this many rows")] = None,
    build_dir: BuildOption = BUILD_DIR,
) -> None:
    """Run a question from the query library (`egkg query list` shows them, `egkg query NAME --describe` explains one)."""
    from .queries import load_library
    from .run_query import make_engine, parse_params, run_library_query

    library = load_library()
    if name == "list":
        _print_library(library)
        return
    if name not in library:
        raise InputError(f"unknown query {name!r}; `egkg query list` shows the {len(library)} names", field="NAME")
    chosen = library[name]
    if describe:
        _describe(chosen)
        return
    runner = make_engine(engine, build_dir, endpoint, user, password, timeout)
    result = run_library_query(runner, chosen, parse_params(param), limit)
    _print_result(result, fmt, chosen.summary, runner, iris)


def _print_library(library) -> None:
    """Every question by topic: its name and parameters on one line (never broken), its summary below."""
    from rich.padding import Padding
    from rich.text import Text

    out.print(Text(f"{len(library)} questions: egkg query NAME [-p key=value ...]; egkg query NAME --describe "
                   "explains one ([...] marks an optional parameter)"))
    topic = None
    for item in sorted(library.values(), key=lambda q: (q.is_check, q.topic, q.name)):  # data-quality rules last
        if item.topic != topic:
            topic = item.topic
            out.print()
            out.print(Text(topic, style="bold underline"))
        usage = " ".join(_param_usage(p) for p in item.params.values())
        out.print(Padding(Text.assemble((item.name, "bold"), f" {usage}" if usage else ""), (0, 0, 0, 2), expand=False))
        out.print(Padding(Text(item.summary), (0, 0, 0, 4), expand=False))


def _param_usage(param) -> str:
    shown = f"{param.name}={param.type}"
    return shown if param.required else f"[{shown}]"


def _describe(item) -> None:
    """What a question answers, with its caveats, parameters (type, default, example) and a command to copy."""
    from rich.padding import Padding
    from rich.text import Text

    out.print(Text(item.name, style="bold"), Text(f"({item.topic})", style="dim"))
    out.print(Text(item.summary))
    out.print()
    out.print(Text(item.description))
    out.print()
    if not item.params:
        out.print(Text("parameters: none"))
    else:
        out.print(Text("parameters:", style="bold"))
    for param in item.params.values():
        facts = [param.type, "required" if param.required else "optional"]
        if param.default is not None:
            facts.append(f"default {param.default}")
        if param.minimum is not None or param.maximum is not None:
            facts.append(f"from {param.minimum if param.minimum is not None else '...'} to "
                         f"{param.maximum if param.maximum is not None else '...'}")
        if param.choices:
            facts.append(f"one of {', '.join(param.choices)}")
        out.print(Padding(Text.assemble((param.name, "bold"), f" ({'; '.join(facts)}): {param.description}"), (0, 0, 0, 2)))
        if param.example is not None:
            out.print(Padding(Text(f"e.g. -p {param.name}={_shell_word(param.example)}"), (0, 0, 0, 6)))
    out.print()
    out.print(Text(f"columns: {', '.join(item.returns)}"))
    example = " ".join(f"-p {p.name}={_shell_word(p.example)}" for p in item.params.values()
                       if p.example is not None and p.required)
    out.print(Text(f"run: egkg query {item.name}{' ' + example if example else ''}"))


def _shell_word(value: str) -> str:
    import shlex

    return shlex.quote(value)


# The questions `egkg tour` (and so `make run`) shows a newcomer: (query, parameters, rows shown).
TOUR = (
    ("who-coordinated-with", {"person": "Suharmanto"}, 1),
    ("who-coordinated-with-whom", {"kind": "person"}, 3),
    ("acting-heads-met-security", {"days": "30"}, 1),
)


def _shown_path(path: Path) -> str:
    """A path as short as it can be said from here: relative below the working directory."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@app.command()
@reports_errors
def tour(build_dir: BuildOption = BUILD_DIR) -> None:
    """A short tour: three questions with their first answers, and what to try next."""
    from rich.table import Table
    from rich.text import Text

    from .output import iris_to_label, print_answer, readable
    from .queries import load_library
    from .run_query import labels_for, make_engine, run_library_query

    library = load_library()
    runner = make_engine("oxigraph", build_dir)
    for name, params, rows in TOUR:
        result = run_library_query(runner, library[name], params)
        shown = type(result)(result.columns, result.rows[:rows])
        command = " ".join([f"egkg query {name}", *(f"-p {key}={value}" for key, value in params.items())])
        out.print()
        out.print(Text(f"$ {command}", style="bold cyan"))
        print_answer(out, readable(shown, labels_for(runner, iris_to_label(shown))), library[name].summary)
        if len(result.rows) > rows:
            out.print(Text(f"(the first {rows} of {len(result.rows)} rows: run the command above for all)", style="dim"))
    out.print()
    out.print(Text("Next: `source .venv/bin/activate` puts egkg on PATH, then"))
    # A grid keeps each explanation beside its command and wraps it at words on a narrow terminal.
    steps = Table.grid(padding=(0, 2))
    steps.add_column(no_wrap=True)
    steps.add_column()
    for command, what in (
        ("egkg query list", "every question, with its parameters"),
        ("egkg query NAME --describe", "what a question answers, its caveats and parameters"),
        ("egkg sparql 'SELECT ...'", "your own SPARQL (egkg:, id:, rdfs:, skos: ... declared)"),
        ("egkg serve", "the same questions in a browser at http://127.0.0.1:7878/"),
        (f"open {_shown_path(build_dir / 'site' / 'index.html')}", "a page per person, institution, article"),
        (f"open {_shown_path(build_dir / 'views' / 'index.html')}", "networks and the timeline"),
    ):
        steps.add_row(Text(f"  {command}"), Text(what))
    out.print(steps)


@app.command()
@reports_errors
def checks(
    engine: EngineOption = "oxigraph",
    build_dir: BuildOption = BUILD_DIR,
) -> None:
    """Run every data-quality rule (queries/checks/*-violation.rq); exit 1 if any finds rows."""
    from .queries import load_library
    from .run_query import make_engine, run_library_query

    runner = make_engine(engine, build_dir)
    failed = 0
    for item in sorted((q for q in load_library().values() if q.is_check), key=lambda q: q.name):
        found = len(run_library_query(runner, item, {}).rows)
        failed += bool(found)
        out.print(f"{'ok ' if not found else 'FAIL'} {item.name}: {found} row(s)", markup=False)
    if failed:
        err.print(f"{failed} data-quality rule(s) found violations", markup=False)
        raise typer.Exit(EXIT_VIOLATIONS)


@app.command()
@reports_errors
def sparql(
    query_text: Annotated[str, typer.Argument(metavar="FILE_OR_TEXT", help="a .rq file or the query text")],
    fmt: QueryFormat = "table",
    iris: IrisOption = False,
    engine: EngineOption = "oxigraph",
    endpoint: EndpointOption = None,
    user: UserOption = None,
    password: PasswordOption = None,
    timeout: QueryTimeoutOption = 60.0,
    limit: Annotated[Optional[int], typer.Option("--limit", help="at most this many rows")] = None,
    build_dir: BuildOption = BUILD_DIR,
) -> None:
    """Run a SPARQL SELECT, ASK, CONSTRUCT or DESCRIBE over the union of all graphs, with the project's
    prefixes (egkg:, id:, vocab:, rdfs:, skos:, org:, prov:, schema:, xsd: ...) already declared;
    updates and SERVICE clauses are refused."""
    from .run_query import declare_prefixes, make_engine, with_limit
    from .sparql_check import check_query

    path = Path(query_text)
    if query_text.endswith(".rq") or (len(query_text) < 4096 and "\n" not in query_text and path.is_file()):
        try:
            query_text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read query file: {exc}", file=path) from None
    text, lines_added = declare_prefixes(query_text)
    check_query(text, lines_before=lines_added)  # positions in errors are the user's, not counting the prefixes
    runner = make_engine(engine, build_dir, endpoint, user, password, timeout)
    _print_result(runner.answer(with_limit(text, limit)), fmt, "", runner, iris)


@app.command()
@reports_errors
def serve(
    port: Annotated[int, typer.Option("--port", help="TCP port")] = 7878,
    host: Annotated[str, typer.Option("--host", help="address to listen on (127.0.0.1 by default; IPv6 such as ::1 works; any other address makes the endpoint reachable from other machines and prints a warning)")] = "127.0.0.1",
    read_write: Annotated[bool, typer.Option("--read-write", help="accept SPARQL updates (off by default)")] = False,
    timeout_s: Annotated[Optional[int], typer.Option("--timeout-s", help="cut off queries after this many seconds")] = None,
    cors: Annotated[bool, typer.Option("--cors", help="allow cross-origin requests")] = False,
    build_dir: BuildOption = BUILD_DIR,
) -> None:
    """Serve the built store over the SPARQL 1.1 Protocol, with a browser query UI; SERVICE and LOAD are refused."""
    from .serve import run_server

    raise typer.Exit(run_server(build_dir / "store", host, port, read_write=read_write, timeout_s=timeout_s, cors=cors,
                                say=lambda line: err.print(line, markup=False)))


@app.command()
@reports_errors
def push(
    endpoint: EndpointOption = None,
    graph_store: Annotated[Optional[str], typer.Option("--graph-store", help="Graph Store Protocol URL (preferred)")] = None,
    user: UserOption = None,
    password: PasswordOption = None,
    timeout: TimeoutOption = 120.0,
    build_dir: BuildOption = BUILD_DIR,
) -> None:
    """Load the build into a remote SPARQL 1.1 store, one named graph at a time."""
    from .pipeline.release_files import nquads_file
    from .push import push as run_push
    from .remote_http import redacted

    sent = run_push(nquads_file(build_dir), endpoint=endpoint, graph_store=graph_store, user=user,
                    password=password, timeout=timeout, progress=_progress)
    out.print(f"pushed {sum(sent.values())} triples in {len(sent)} named graphs to {redacted(graph_store or endpoint)}", markup=False)


@app.command()
@reports_errors
def export(
    fmt: Annotated[str, typer.Option("--format", help="RDF: nq, trig, ttl (union of graphs), jsonld; network: graphml, "
                                     "gexf, csv (zip of nodes.csv + edges.csv), xlsx (sheets nodes, edges)")],
    output: Annotated[Path, typer.Option("--output", "-o", help="file to write")],
    graph: Annotated[str, typer.Option("--graph", help="for network formats: persons, institutions, all or meetings")] = "persons",
    build_dir: BuildOption = BUILD_DIR,
) -> None:
    """Write the built graph: RDF (nq, trig, ttl, jsonld) or a network (graphml, gexf, csv, xlsx)."""
    from .network_export import NETWORK_FORMATS, export_network
    from .outputs.export import RDF_FORMATS, export_rdf, refuse_special_file

    if output.is_dir():
        raise InputError("is a directory; give the file to write", file=output, field="--output")
    _refuse_build_artefact(output, "--output", "write the export elsewhere", also=("views",))
    with _user_path(output, "--output", "cannot write it"):
        refuse_special_file(output)  # before the export's work, not after it
        if fmt in RDF_FORMATS:
            export_rdf(build_dir, fmt, output)
        elif fmt in NETWORK_FORMATS:
            export_network(make_default_engine(build_dir), graph, fmt, output)
        else:
            raise InputError(f"unknown format {fmt!r}; use one of {', '.join(RDF_FORMATS + NETWORK_FORMATS)}", field="--format")
    out.print(f"wrote {output}")


def _refuse_build_artefact(path: Path, field: str, advice: str, also: tuple[str, ...] = ()) -> None:
    """Outputs never go onto or into what a build directory's layout uses (egkg.nq, store/, current/...)."""
    from .pipeline.release import owning_build

    owner = owning_build(path, also)
    if owner:
        raise InputError(f"belongs to the build in {owner[0]} ({owner[1]}); {advice}", file=path, field=field)


network_app = typer.Typer(help="Network analysis of who coordinated with whom.", no_args_is_help=True)
app.add_typer(network_app, name="network")


@network_app.command("stats")
@reports_errors
def network_stats(
    top: Annotated[int, typer.Option("--top", min=1, help="rows per table")] = 15,
    graph: Annotated[str, typer.Option("--graph", help="persons, institutions or all (persons, institutions, groups, posts)")] = "persons",
    date_from: Annotated[Optional[str], typer.Option("--from", help="first meeting date (YYYY-MM-DD)")] = None,
    date_to: Annotated[Optional[str], typer.Option("--to", help="last meeting date (YYYY-MM-DD)")] = None,
    build_dir: BuildOption = BUILD_DIR,
) -> None:
    """Degree, weighted degree, betweenness, named communities and brokers of a coordination network."""
    from rich.table import Table

    from .network import PROJECTIONS, fetch_participations, fetch_posts, stats_tables

    if graph not in PROJECTIONS:
        raise InputError(f"unknown graph {graph!r}; use one of {', '.join(PROJECTIONS)}", field="--graph")
    _check_dates(date_from, date_to)
    engine = make_default_engine(build_dir)
    participations = fetch_participations(engine, date_from, date_to)
    for stats in stats_tables(participations, fetch_posts(engine), graph, top):
        table = Table(title=stats.title, caption=stats.explanation, caption_justify="left")
        for column in stats.columns:
            table.add_column(column)
        for row in stats.rows:
            table.add_row(*row)
        out.print(table)


def _check_dates(date_from: Optional[str], date_to: Optional[str]) -> None:
    import datetime as dt

    for day in (date_from, date_to):
        if day is None:
            continue
        try:
            dt.date.fromisoformat(day)
        except ValueError:
            raise InputError(f"{day!r} is not a date; write YYYY-MM-DD", field="--from/--to") from None
    # An inverted window selects nothing and would quietly draw empty pages.
    if date_from and date_to and dt.date.fromisoformat(date_from) > dt.date.fromisoformat(date_to):
        raise InputError(f"{date_from} is after {date_to}; swap them", field="--from/--to")


def make_default_engine(build_dir: Path):
    from .run_query import make_engine

    return make_engine("oxigraph", build_dir)


@app.command()
@reports_errors
def viz(
    date_from: Annotated[Optional[str], typer.Option("--from", help="first meeting date (YYYY-MM-DD)")] = None,
    date_to: Annotated[Optional[str], typer.Option("--to", help="last meeting date (YYYY-MM-DD)")] = None,
    max_nodes: Annotated[int, typer.Option("--max-nodes", min=1, help="keep the most connected nodes per page")] = 2000,
    build_dir: BuildOption = BUILD_DIR,
    views_dir: Annotated[Optional[Path], typer.Option("--views", help="where to write (default BUILD/views)")] = None,
) -> None:
    """Write the interactive views (coordination, institutions, meetings, timeline, index)."""
    from .views import write_views

    _check_dates(date_from, date_to)
    target = views_dir or build_dir / "views"
    _refuse_build_artefact(target, "--views", "choose another directory")
    engine = make_default_engine(build_dir)
    with _user_path(target, "--views", "cannot write the views"):
        drawn = write_views(engine, target, date_from=date_from, date_to=date_to, max_nodes=max_nodes,
                            site_dir=build_dir / "site")
    for page, (nodes, edges) in drawn.items():
        out.print(f"{target / page}: {nodes} nodes, {edges} edges", markup=False)
    out.print(f"open {target / 'index.html'}", markup=False)


@app.command()
@reports_errors
def site(
    build_dir: BuildOption = BUILD_DIR,
    data: DataOption = DATA_DIR,
    out_dir: Annotated[Optional[Path], typer.Option("--out", help="where to write the site (default BUILD/site)")] = None,
) -> None:
    """Write the static, offline site: a page per entity, every fact linked to its quote in the article."""
    from .site import write_site

    target = out_dir or build_dir / "site"
    _refuse_build_artefact(target, "--out", "choose another directory")
    engine = make_default_engine(build_dir)
    with _user_path(target, "--out", "cannot write the site"):
        counts = write_site(engine, target, data, progress=_progress)
    pages = ", ".join(f"{count} {kind}" for kind, count in counts.items())
    out.print(f"{target}: {pages} pages", markup=False)
    out.print(f"open {target / 'index.html'}", markup=False)


@app.command()
@reports_errors
def resolve(
    draft: Annotated[list[Path], typer.Option("--draft", help="also match the persons and institutions of a draft record file")] = [],  # noqa: B006
    same: Annotated[Optional[tuple[str, str]], typer.Option("--same", help="record that two refs are the same (person/a person/b)")] = None,
    different: Annotated[Optional[tuple[str, str]], typer.Option("--different", help="record that two refs differ")] = None,
    data: DataOption = DATA_DIR,
) -> None:
    """Find probable duplicate persons and institutions; record curator decisions in data/resolutions.yaml."""
    from rich.table import Table

    from .load.corpus import load_corpus
    from .load.models import RecordFile
    from .load.yaml_lines import load_yaml_with_lines
    from .paths import ONTOLOGY_FILE
    from .rdf.vocab import load_ontology
    from .resolve import (
        already_known,
        candidates,
        check_known_refs,
        load_decisions,
        mentions,
        save_decision,
    )

    corpus = load_corpus(data, load_ontology(ONTOLOGY_FILE))
    records = [(f.display, f.record) for f in corpus.files]
    for verdict, pair in (("same", same), ("different", different)):
        if pair:
            check_known_refs(pair, records, f"--{verdict}")
    for verdict, pair in (("same", same), ("different", different)):
        if pair:
            save_decision(data, verdict, *pair)
            out.print(f"recorded: {pair[0]} and {pair[1]} are {verdict}; the next build honours it", markup=False)
    if same or different:
        return
    known_mentions = mentions(records)
    drafts: list[tuple[str, RecordFile]] = []
    for path in draft:
        document, _ = load_yaml_with_lines(path, str(path))
        try:
            drafts.append((str(path), RecordFile.model_validate(document)))
        except Exception as exc:  # pydantic's ValidationError: report its first line only
            raise InputError(f"not a valid record file: {str(exc).splitlines()[0]}", file=path) from None
    draft_mentions = mentions(drafts)
    found = candidates(known_mentions + draft_mentions, load_decisions(data))
    reused = already_known(draft_mentions, known_mentions)
    # A draft reusing a known id is no duplicate to decide: it is listed below as already known.
    found = [c for c in found if not (c.a.ref == c.b.ref and (c.a in draft_mentions) != (c.b in draft_mentions))]
    table = Table(title=f"{len(found)} probable duplicate(s)")
    for column in ("score", "status", "a", "b", "why"):
        table.add_column(column, overflow="fold")
    for c in found:
        table.add_row(f"{c.score:.0f}", c.status, f"{c.a.name} <{c.a.ref}> ({c.a.file})",
                      f"{c.b.name} <{c.b.ref}> ({c.b.file})", "; ".join(c.reasons))
    out.print(table)
    for mine, theirs in reused:
        out.print(f"already known: {mine.ref} ({mine.name!r} in {mine.file}) is {theirs.name!r} of {theirs.file}",
                  markup=False, soft_wrap=True)


@app.command()
@reports_errors
def draft(
    article: Annotated[Path, typer.Argument(help="archived article text: a regular file in UTF-8, at most 2 MB")],
    source_url: Annotated[Optional[str], typer.Option("--source-url", help="where the article was published")] = None,
    outlet: Annotated[Optional[str], typer.Option("--outlet", help="outlet name")] = None,
    published: Annotated[Optional[str], typer.Option("--published", help="publication date YYYY-MM-DD (for dates without a year)")] = None,
    data: DataOption = DATA_DIR,
    build_dir: Annotated[Optional[Path], typer.Option("--build", help="a build to draft against: reuse the ids it "
                                                      "already has and flag new ids that collide with them")] = None,
) -> None:
    """Propose a draft record file for an article (every fact with its quote); print it as YAML."""
    import datetime as dt

    import yaml

    from .draft import draft_article
    from .draft.reading import read_article

    text = read_article(article)
    day = None
    if published:
        try:
            day = dt.date.fromisoformat(published)
        except ValueError:
            raise InputError(f"{published!r} is not a date; write YYYY-MM-DD", field="--published") from None
    try:
        text_path = str(article.resolve().relative_to(data.resolve()))
    except ValueError:
        text_path = str(article)
    known = None
    if build_dir is not None:
        from .draft.reuse import load_known

        known = load_known(build_dir)  # before drafting: a missing build fails at once
    document = draft_article(text, source_url=source_url, outlet=outlet, published=day, text_path=text_path)
    header = ""
    if known is not None:
        from .draft.reuse import reconcile

        document, review = reconcile(document, known)
        header = f"# Drafted against the build {build_dir}:\n" + "".join(f"#   {line}\n" for line in review.lines())
    sys.stdout.write(header + yaml.safe_dump(document, allow_unicode=True, sort_keys=False))


@app.command(name="eval")
@reports_errors
def eval_drafts(
    data: DataOption = DATA_DIR,
    gold: Annotated[Optional[Path], typer.Option("--gold", help="a directory of article texts with gold files "
                                                 "(see tests/draft_corpus/README.md); --data is then not read")] = None,
) -> None:
    """Score drafts against curated records, or against your own annotated articles with --gold DIR."""
    if gold is not None:
        from .draft_gold import evaluate_gold, format_report

        out.print(format_report(evaluate_gold(gold)), markup=False, soft_wrap=True)
        return
    from .draft_eval import evaluate_all, format_table

    out.print(format_table(evaluate_all(data)), markup=False)


@app.command()
def schema() -> None:
    """Print the JSON Schema of a record file (docs/records.schema.json)."""
    from .load.models import RecordFile

    sys.stdout.write(json.dumps(RecordFile.model_json_schema(), indent=2, sort_keys=True) + "\n")


def _version(value: bool) -> None:
    if value:
        out.print(f"egkg {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="show the version")] = False,
) -> None:
    """Election-governance knowledge graph."""


def main() -> None:
    """Console-script entry point."""
    from typer._click.exceptions import (  # typer vendors click
        ClickException,
        NoArgsIsHelpError,
    )

    try:
        code = app(standalone_mode=False)
    except NoArgsIsHelpError:
        sys.exit(EXIT_INPUT)  # the help is already printed
    except ClickException as exc:
        # typer would draw a boxed message that wraps over several lines; keep errors one line each.
        ctx = getattr(exc, "ctx", None)
        hint = f" (`{ctx.command_path} --help` shows the usage)" if ctx is not None else ""
        err.print(f"error: {exc.format_message()}{hint}", markup=False)
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print("aborted", markup=False)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)

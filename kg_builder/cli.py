"""The `egkg` command: build, validate and inspect the election-governance knowledge graph."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, Optional

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
out = Console(highlight=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)

DataOption = Annotated[Path, typer.Option("--data", help="records, sources and reference data")]
OutOption = Annotated[Path, typer.Option("--out", help="where egkg.nq, egkg.trig and store/ go")]


def reports_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the project's errors into one line each on stderr and the documented exit code."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .build import ShaclViolations
        from .reason import InconsistentGraph

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
        except InconsistentGraph as exc:
            for problem in exc.problems:
                err.print(f"inconsistent: {problem.render()}", markup=False)
            err.print(f"{len(exc.problems)} inconsistency(ies); nothing was written", markup=False)
            raise typer.Exit(EXIT_VIOLATIONS) from None
        except ShaclViolations as exc:
            for violation in exc.violations:
                err.print(f"violation: {violation.problem.render()}", markup=False)
            err.print(f"{len(exc.violations)} SHACL violation(s); nothing was written", markup=False)
            raise typer.Exit(EXIT_VIOLATIONS) from None
        except KeyboardInterrupt:
            err.print("interrupted; earlier outputs are unchanged", markup=False)
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # typer's own control flow and usage errors
        except Exception as exc:  # noqa: BLE001 - last resort: one line, not a traceback
            if os.environ.get("EGKG_DEBUG"):
                raise
            err.print(f"internal error: {type(exc).__name__}: {exc} (set EGKG_DEBUG=1 for a traceback)", markup=False)
            raise typer.Exit(3) from None

    return wrapper


def _progress(stage: str) -> None:
    err.print(f"· {stage}", style="dim", markup=False)


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
    """Check the records, reason, and write build/egkg.nq, build/egkg.trig and the embedded store."""
    from .build import build as run_build
    from .summary import summary_table

    result = run_build(data, out_dir, progress=(lambda _: None) if quiet else _progress, reason=reason, incremental=not full, chunk_files=chunk_files)
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
        out.print(f"wrote {out_dir / 'egkg.nq'}, {out_dir / 'egkg.trig'}, {out_dir / 'store'} ({stages})")


def _write_report(path: Path, result) -> None:
    """Stage timings and counts as JSON, for benchmarks and scripts."""
    import json

    from .export import write_atomically

    redone = len(result.corpus.summaries) if result.quad_count is not None else len(result.corpus.files)
    counts = {"record_files": len(result.corpus.summaries), "files_redone": redone}
    if result.changes is None:
        counts["quads"] = result.quad_count if result.quad_count is not None else len(result.quads)
    report = {"incremental": result.changes is not None, "timings": result.timings, "counts": counts}
    write_atomically(path, json.dumps(report, indent=2, sort_keys=True).encode())


@app.command()
@reports_errors
def reason(build_dir: BuildOption = BUILD_DIR) -> None:
    """Recompute the inferred graph of the existing build (rules, then HermiT) and rewrite it."""
    from .build import reason_again

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
    from .build import check

    result = check(data)
    files = len(result.corpus.summaries)
    out.print(f"conforms: {files} record file(s), {len(result.dataset)} triples")


@app.command()
@reports_errors
def vocab() -> None:
    """Print the controlled values the ontology allows in record files."""
    from .paths import ONTOLOGY_FILE
    from .vocab import load_ontology, load_vocabulary

    vocabulary = load_vocabulary(load_ontology(ONTOLOGY_FILE))
    for name in sorted([*vocabulary.concepts, "OrganizationType"]):
        out.print(f"{name}: {', '.join(vocabulary.allowed(name))}", markup=False)


QueryFormat = Annotated[str, typer.Option("--format", help="table, csv or json (SPARQL results JSON)")]
EngineOption = Annotated[str, typer.Option("--engine", help="oxigraph (embedded store) or rdflib (in memory)")]
EndpointOption = Annotated[Optional[str], typer.Option("--endpoint", help="run on a remote SPARQL endpoint instead")]
UserOption = Annotated[Optional[str], typer.Option("--user", help="user for the remote endpoint")]
PasswordOption = Annotated[Optional[str], typer.Option("--password", help="password for the remote endpoint")]
TimeoutOption = Annotated[float, typer.Option("--timeout", help="seconds to wait for a remote endpoint")]
BuildOption = Annotated[Path, typer.Option("--build", help="the build directory (store and N-Quads)")]


def _print_result(result, fmt: str, title: str = "") -> None:
    from .output import FORMATS, render_csv, render_json, render_table

    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}", field="--format")
    if fmt == "table":
        out.print(render_table(result, title))
    elif fmt == "csv":
        sys.stdout.write(render_csv(result))
    else:
        sys.stdout.write(render_json(result) + "\n")


def _parse_params(pairs: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise InputError(f"{pair!r} is not key=value", field="--param")
        params[key.strip()] = value
    return params


@app.command()
@reports_errors
def query(
    name: Annotated[str, typer.Argument(help="a query name from `egkg query list`, or `list`")],
    param: Annotated[list[str], typer.Option("--param", "-p", help="key=value, repeatable")] = [],  # noqa: B006
    fmt: QueryFormat = "table",
    engine: EngineOption = "oxigraph",
    endpoint: EndpointOption = None,
    user: UserOption = None,
    password: PasswordOption = None,
    timeout: TimeoutOption = 60.0,
    limit: Annotated[Optional[int], typer.Option("--limit", help="at most this many rows")] = None,
    build_dir: BuildOption = BUILD_DIR,
) -> None:
    """Run a question from the query library (`egkg query list` shows them)."""
    from .queries import load_library
    from .run_query import make_engine, run_library_query

    library = load_library()
    if name == "list":
        from rich.table import Table

        table = Table(title=f"{len(library)} queries")
        table.add_column("name", overflow="fold")
        table.add_column("topic")
        table.add_column("summary", overflow="fold")
        for item in sorted(library.values(), key=lambda q: (q.topic, q.name)):
            table.add_row(item.name, item.topic, item.summary)
        out.print(table)
        return
    if name not in library:
        raise InputError(f"unknown query {name!r}; `egkg query list` shows the {len(library)} names", field="NAME")
    chosen = library[name]
    result = run_library_query(
        make_engine(engine, build_dir, endpoint, user, password, timeout), chosen, _parse_params(param), limit
    )
    _print_result(result, fmt, chosen.summary)


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
    engine: EngineOption = "oxigraph",
    endpoint: EndpointOption = None,
    user: UserOption = None,
    password: PasswordOption = None,
    timeout: TimeoutOption = 60.0,
    limit: Annotated[Optional[int], typer.Option("--limit", help="at most this many rows")] = None,
    build_dir: BuildOption = BUILD_DIR,
) -> None:
    """Run any SPARQL SELECT query (over the union of all graphs)."""
    from .run_query import make_engine, with_limit

    path = Path(query_text)
    if query_text.endswith(".rq") or (len(query_text) < 4096 and "\n" not in query_text and path.is_file()):
        try:
            query_text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read query file: {exc}", file=path) from None
    result = make_engine(engine, build_dir, endpoint, user, password, timeout).select(with_limit(query_text, limit))
    _print_result(result, fmt)


@app.command()
@reports_errors
def serve(
    port: Annotated[int, typer.Option("--port", help="TCP port")] = 7878,
    host: Annotated[str, typer.Option("--host", help="address to listen on (loopback by default)")] = "127.0.0.1",
    read_write: Annotated[bool, typer.Option("--read-write", help="accept SPARQL updates (off by default)")] = False,
    timeout_s: Annotated[Optional[int], typer.Option("--timeout-s", help="cut off queries after this many seconds")] = None,
    cors: Annotated[bool, typer.Option("--cors", help="allow cross-origin requests")] = False,
    build_dir: BuildOption = BUILD_DIR,
) -> None:
    """Serve the built store over the SPARQL 1.1 Protocol, with a browser query UI."""
    import subprocess

    from .serve import server_command

    command = server_command(build_dir / "store", host, port, read_write=read_write, timeout_s=timeout_s, cors=cors)
    mode = "read-write" if read_write else "read-only"
    err.print(f"serving {build_dir / 'store'} ({mode}): query UI http://{host}:{port}/ , "
              f"SPARQL endpoint http://{host}:{port}/query ; Ctrl-C stops", markup=False)
    try:
        code = subprocess.call(command)
    except KeyboardInterrupt:
        code = 0
    # A server stopped by a signal reports -N; shells expect 128 + N.
    raise typer.Exit(128 - code if code < 0 else code)


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
    from .push import push as run_push

    sent = run_push(build_dir / "egkg.nq", endpoint=endpoint, graph_store=graph_store, user=user,
                    password=password, timeout=timeout, progress=_progress)
    out.print(f"pushed {sum(sent.values())} triples in {len(sent)} named graphs to {graph_store or endpoint}")


@app.command()
@reports_errors
def export(
    fmt: Annotated[str, typer.Option("--format", help="nq, trig, ttl (union of graphs) or jsonld")],
    output: Annotated[Path, typer.Option("--output", "-o", help="file to write")],
    graph: Annotated[str, typer.Option("--graph", help="for network formats: persons, institutions or meetings")] = "persons",
    build_dir: BuildOption = BUILD_DIR,
) -> None:
    """Write the built graph: RDF (nq, trig, ttl, jsonld) or a network (graphml, gexf, csv)."""
    from .export import RDF_FORMATS, export_rdf
    from .network_export import NETWORK_FORMATS, export_network

    if output.is_dir():
        raise InputError("is a directory; give the file to write", file=output, field="--output")
    try:
        if fmt in RDF_FORMATS:
            export_rdf(build_dir, fmt, output)
        elif fmt in NETWORK_FORMATS:
            export_network(make_default_engine(build_dir), graph, fmt, output)
        else:
            raise InputError(f"unknown format {fmt!r}; use one of {', '.join(RDF_FORMATS + NETWORK_FORMATS)}", field="--format")
    except OSError as exc:  # e.g. a parent of the output is a file
        raise InputError(f"cannot write it: {exc.strerror} ({exc.filename})", file=output, field="--output") from None
    out.print(f"wrote {output}")


network_app = typer.Typer(help="Network analysis of who coordinated with whom.", no_args_is_help=True)
app.add_typer(network_app, name="network")


@network_app.command("stats")
@reports_errors
def network_stats(
    top: Annotated[int, typer.Option("--top", min=1, help="rows per table")] = 15,
    date_from: Annotated[Optional[str], typer.Option("--from", help="first meeting date (YYYY-MM-DD)")] = None,
    date_to: Annotated[Optional[str], typer.Option("--to", help="last meeting date (YYYY-MM-DD)")] = None,
    build_dir: BuildOption = BUILD_DIR,
) -> None:
    """Degree, weighted degree, betweenness, communities and brokers of the coordination network."""
    from rich.table import Table

    from .network import brokers, fetch_participations, fetch_posts, measures, person_graph

    _check_dates(date_from, date_to)
    engine = make_default_engine(build_dir)
    participations = fetch_participations(engine, date_from, date_to)
    graph = person_graph(participations, fetch_posts(engine))
    scores = measures(graph)
    table = Table(title=f"persons: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges")
    for column in ("person", "degree", "weighted degree", "betweenness", "community"):
        table.add_column(column)
    ranked = sorted(scores, key=lambda n: (-scores[n]["betweenness"], -scores[n]["weighted_degree"], n))[:top]
    for node in ranked:
        m = scores[node]
        table.add_row(graph.nodes[node]["label"], str(m["degree"]), str(m["weighted_degree"]),
                      f"{m['betweenness']:.3f}", str(m["community"]))
    out.print(table)
    broker_table = Table(title="brokers between election bodies and security/legal bodies")
    broker_table.add_column("participant")
    broker_table.add_column("election-security pairs cut off")
    found = brokers(participations, top)
    for _, label, lost in found:
        broker_table.add_row(label, str(lost))
    if not found:
        broker_table.caption = "none: no single participant's removal disconnects them (each meeting is a clique)"
    out.print(broker_table)


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
    drawn = write_views(make_default_engine(build_dir), target, date_from=date_from, date_to=date_to, max_nodes=max_nodes)
    for page, (nodes, edges) in drawn.items():
        out.print(f"{target / page}: {nodes} nodes, {edges} edges", markup=False)
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

    from .models import RecordFile
    from .paths import ONTOLOGY_FILE
    from .records import load_corpus
    from .resolve import candidates, load_decisions, mentions, save_decision
    from .vocab import load_ontology
    from .yaml_lines import load_yaml_with_lines

    for verdict, pair in (("same", same), ("different", different)):
        if pair:
            save_decision(data, verdict, *pair)
            out.print(f"recorded: {pair[0]} and {pair[1]} are {verdict}; the next build honours it", markup=False)
    if same or different:
        return
    corpus = load_corpus(data, load_ontology(ONTOLOGY_FILE))
    records = [(f.display, f.record) for f in corpus.files]
    for path in draft:
        document, _ = load_yaml_with_lines(path, str(path))
        try:
            records.append((str(path), RecordFile.model_validate(document)))
        except Exception as exc:  # pydantic's ValidationError: report its first line only
            raise InputError(f"not a valid record file: {str(exc).splitlines()[0]}", file=path) from None
    found = candidates(mentions(records), load_decisions(data))
    table = Table(title=f"{len(found)} probable duplicate(s)")
    for column in ("score", "status", "a", "b", "why"):
        table.add_column(column, overflow="fold")
    for c in found:
        table.add_row(f"{c.score:.0f}", c.status, f"{c.a.name} <{c.a.ref}> ({c.a.file})",
                      f"{c.b.name} <{c.b.ref}> ({c.b.file})", "; ".join(c.reasons))
    out.print(table)


@app.command()
@reports_errors
def draft(
    article: Annotated[Path, typer.Argument(help="archived article text (UTF-8; other bytes are replaced)")],
    source_url: Annotated[Optional[str], typer.Option("--source-url", help="where the article was published")] = None,
    outlet: Annotated[Optional[str], typer.Option("--outlet", help="outlet name")] = None,
    published: Annotated[Optional[str], typer.Option("--published", help="publication date YYYY-MM-DD (for dates without a year)")] = None,
    data: DataOption = DATA_DIR,
) -> None:
    """Propose a draft record file for an article (every fact with its quote); print it as YAML."""
    import datetime as dt

    import yaml

    from .draft import draft_article

    try:
        raw = article.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the article: {exc.strerror}", file=article) from None
    # git's test for binary content: text has no NUL byte near its start (stray bytes later are replaced).
    if b"\0" in raw[:8000]:
        raise InputError(f"looks like a binary file (NUL byte at offset {raw.index(0)}); give the article's text "
                         "(UTF-8)", file=article)
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
    document = draft_article(raw.decode("utf-8", errors="replace"), source_url=source_url, outlet=outlet,
                             published=day, text_path=text_path)
    sys.stdout.write(yaml.safe_dump(document, allow_unicode=True, sort_keys=False))


@app.command(name="eval")
@reports_errors
def eval_drafts(data: DataOption = DATA_DIR) -> None:
    """Score drafts of the curated articles against their records (precision and recall per fact type)."""
    from .draft_eval import evaluate_all, format_table

    out.print(format_table(evaluate_all(data)), markup=False)


@app.command()
def schema() -> None:
    """Print the JSON Schema of a record file (docs/records.schema.json)."""
    from .models import RecordFile

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
    from typer._click.exceptions import ClickException, NoArgsIsHelpError  # typer vendors click

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

"""The `egkg` command: build, validate and inspect the election-governance knowledge graph."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any

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
        except ShaclViolations as exc:
            for violation in exc.violations:
                err.print(f"violation: {violation.problem.render()}", markup=False)
            err.print(f"{len(exc.violations)} SHACL violation(s); nothing was written", markup=False)
            raise typer.Exit(EXIT_VIOLATIONS) from None
        except KeyboardInterrupt:
            err.print("interrupted; earlier outputs are unchanged", markup=False)
            raise typer.Exit(130) from None
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
def build(data: DataOption = DATA_DIR, out_dir: OutOption = BUILD_DIR, quiet: Annotated[bool, typer.Option("--quiet", help="no progress or summary")] = False) -> None:
    """Check the records and write build/egkg.nq, build/egkg.trig and the embedded store."""
    from .build import build as run_build
    from .summary import summary_table

    result = run_build(data, out_dir, progress=(lambda _: None) if quiet else _progress)
    if not quiet:
        out.print(summary_table(result.quads))
        stages = ", ".join(f"{name} {seconds:.2f}s" for name, seconds in result.timings.items())
        out.print(f"wrote {out_dir / 'egkg.nq'}, {out_dir / 'egkg.trig'}, {out_dir / 'store'} ({stages})")


@app.command()
@reports_errors
def validate(data: DataOption = DATA_DIR) -> None:
    """Run every check (records, references, quotes, SHACL) without writing anything."""
    from .build import check

    result = check(data)
    files = len(result.corpus.files)
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
    app()

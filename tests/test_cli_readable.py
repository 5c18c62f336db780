"""`egkg query` and `egkg sparql` read by a person: fit the terminal, labels first, no word broken."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import time

import pytest

from .conftest import EGKG, run_egkg

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
# Characters rich draws tables with; they separate words in the output but are not data.
BOX = "│┃┏┓┗┛┡┩╇┳┻━─┯┷╋┼┠┨╂╞╡╪┝┥┿╭╮╰╯┌┐└┘├┤┬┴═║╔╗╚╝"
TERMINAL_CAPTURES = os.environ.get("EGKG_CLI_CAPTURES")  # a directory: keep what the terminal showed


def on_terminal(*args: object, columns: int, timeout: float = 120) -> str:
    """egkg's stdout on a pseudo-terminal `columns` wide (COLUMNS, as a shell sets it), ANSI stripped."""
    argv = [str(EGKG), *(str(a) for a in args)]
    main, child = pty.openpty()
    env = {**os.environ, "COLUMNS": str(columns), "LINES": "50", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    process = subprocess.Popen(argv, stdout=child, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env)
    os.close(child)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 0.2)
        if ready:
            try:
                data = os.read(main, 65536)
            except OSError:  # the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        elif process.poll() is not None:
            break
    os.close(main)
    process.wait(timeout=10)
    assert process.returncode == 0, process.stderr.read().decode()
    text = ANSI.sub("", b"".join(chunks).decode("utf-8")).replace("\r\n", "\n")
    if TERMINAL_CAPTURES:
        name = "-".join(str(a) for a in args if not str(a).startswith("/"))[:80].replace("/", "_")
        with open(os.path.join(TERMINAL_CAPTURES, f"{name}-{columns}.txt"), "w", encoding="utf-8") as handle:
            handle.write(text)
    return text


def words_of(text: str) -> list[str]:
    """Whitespace-separated words, with table borders treated as spaces."""
    return text.translate({ord(c): " " for c in BOX}).split()


def shown_values(build, *args: str) -> tuple[list[str], list[str]]:
    """Column names and every value of the answer (labels and literals are what a person reads), from its JSON."""
    answer = run_egkg(*args, "--format", "json", "--build", build)
    assert answer.returncode == 0, answer.stderr
    document = json.loads(answer.stdout)
    columns = document["head"]["vars"]
    values = [b[c]["value"] for b in document["results"]["bindings"] for c in columns if c in b]
    return columns, values


def readable_columns(columns: list[str]) -> list[str]:
    """The columns shown by default: an IRI column is left out when its `…Label` column is there."""
    return [c for c in columns if f"{c}Label" not in columns]


QUESTIONS = [
    ("query", "who-coordinated-with-whom"),
    ("query", "acting-heads-met-security", "-p", "days=30"),
    ("query", "who-coordinated-with", "-p", "person=Edy Suharmanto"),
    ("query", "post-holders"),
]


def no_word_broken(output: str, columns: list[str], values: list[str], extra: str = "") -> None:
    """Every word on screen is a whole word of the data, a column name, or the frame's own text."""
    allowed = set(words_of(" ".join(values))) | set(columns) | {f"{c}:" for c in columns} | set(words_of(extra))
    # A label shown for an IRI (the label columns are in `values`), and short IRIs in --iris mode.
    broken = [w for w in words_of(output) if w not in allowed and not re.fullmatch(r"\d+|row\(s\)|rows?|…", w)]
    assert not broken, f"words on screen that are not whole words of the data: {broken[:10]}"


@pytest.mark.parametrize("question", QUESTIONS, ids=[q[1] for q in QUESTIONS])
@pytest.mark.parametrize("columns", [80, 200])
def test_tables_fit_the_terminal_without_breaking_words(question, columns, good_build):
    build = good_build.out_dir
    names, values = shown_values(build, *question)
    from kg_builder.queries import load_library

    title = load_library()[question[1]].summary
    output = on_terminal(*question, "--build", build, columns=columns)
    lines = output.splitlines()
    assert all(len(line) <= columns for line in lines), max(lines, key=len)
    for column in readable_columns(names):
        assert re.search(rf"(?<![\w]){re.escape(column)}(?![\w])", output), f"column {column} missing"
    no_word_broken(output, names, values, extra=title)


@pytest.mark.parametrize("question", QUESTIONS, ids=[q[1] for q in QUESTIONS])
def test_piped_output_is_plain_and_complete(question, good_build):
    build = good_build.out_dir
    names, values = shown_values(build, *question)
    from kg_builder.queries import load_library

    piped = run_egkg(*question, "--build", build)
    assert piped.returncode == 0, piped.stderr
    assert not set(piped.stdout) & set(BOX), "piped output draws a table frame"
    for column in readable_columns(names):
        assert re.search(rf"^{re.escape(column)}: ", piped.stdout, re.M), f"column {column} missing"
    no_word_broken(piped.stdout, names, values, extra=load_library()[question[1]].summary)


def test_labels_by_default_and_iris_on_request(good_build):
    build = good_build.out_dir
    question = ("query", "who-coordinated-with", "-p", "person=Edy Suharmanto", "--build", build)
    default = run_egkg(*question)
    with_iris = run_egkg(*question, "--iris")
    assert default.returncode == 0 and with_iris.returncode == 0, default.stderr + with_iris.stderr
    assert "https://w3id.org/egkg/id/" not in default.stdout and "id:person/" not in default.stdout
    assert "Andap Budhi Revianto" in default.stdout
    assert "id:person/andap-budhi-revianto" in with_iris.stdout or "https://w3id.org/egkg/id/person/andap" in with_iris.stdout


def test_sparql_shows_labels_for_iris(good_build):
    text = "SELECT ?m WHERE { ?m a egkg:Meeting } ORDER BY ?m LIMIT 1"
    default = run_egkg("sparql", text, "--build", good_build.out_dir)
    assert default.returncode == 0, default.stderr
    assert "id:meeting/" not in default.stdout and "Rapat" in default.stdout, default.stdout


def test_query_list_fits_80_columns_and_names_stay_whole(good_build):
    output = on_terminal("query", "list", columns=80)
    from kg_builder.queries import load_library

    library = load_library()
    assert all(len(line) <= 80 for line in output.splitlines())
    shown = set(words_of(output))
    for name, query in library.items():
        assert name in shown, f"{name} is broken or missing"
        for param in query.params:
            assert param in shown or f"{param}," in shown or f"{param}=" in output, f"{name}: parameter {param} not listed"


def test_describe_shows_summary_caveats_and_parameters(good_build):
    result = run_egkg("query", "acting-heads-met-security", "--describe", "--build", good_build.out_dir)
    assert result.returncode == 0, result.stderr
    from kg_builder.queries import load_library

    query = load_library()["acting-heads-met-security"]
    flat = " ".join(result.stdout.split())
    assert query.summary in flat
    assert " ".join(query.description.split()[:12]) in flat
    for param in query.params.values():
        assert param.name in flat and param.type in flat
    assert "-p days=" in flat  # an example to copy


def test_tour_is_short_fits_80_columns_and_its_commands_run(good_build):
    build = good_build.out_dir
    output = on_terminal("tour", "--build", build, columns=80)
    lines = output.splitlines()
    assert all(len(line) <= 80 for line in lines) and len(lines) < 130, len(lines)
    assert "source .venv/bin/activate" in output
    commands = [line[2:] for line in lines if line.startswith("$ egkg ")]
    assert len(commands) == 3
    for command in commands:
        words = command.split()[1:]
        ran = run_egkg(*words, "--build", build)
        assert ran.returncode == 0 and ran.stdout, (command, ran.stderr)


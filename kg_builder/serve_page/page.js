// The query page of `egkg serve`: the library's questions as ready examples, answers shown by label.
// Data from the graph is only ever put into the page as text (textContent), never as HTML.
"use strict";

const LABEL_SUFFIX = "Label"; // the library's convention: ?x is an IRI, ?xLabel its label
const state = { library: null, chosen: null };

const editor = CodeMirror.fromTextArea(document.getElementById("editor"), {
  mode: "application/sparql-query", lineNumbers: true,
  extraKeys: { "Ctrl-Enter": run, "Cmd-Enter": run },
});

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function prefixLines() {
  return Object.entries(state.library.prefixes).map(([name, iri]) => `PREFIX ${name}: <${iri}>`).join("\n");
}

function shortened(iri) {
  for (const [name, long] of Object.entries(state.library.prefixes)) {
    if (iri.startsWith(long)) return `${name}:${iri.slice(long.length)}`;
  }
  return iri;
}

function showQuestions() {
  const list = document.getElementById("questions");
  let topic = null;
  for (const question of state.library.questions) {
    if (question.topic !== topic) {
      topic = question.topic;
      list.appendChild(element("h3", topic));
    }
    const button = element("button");
    button.type = "button";
    button.dataset.name = question.name;
    button.appendChild(element("span", question.summary));
    button.appendChild(element("span", question.name, "name"));
    button.addEventListener("click", () => choose(question, button));
    list.appendChild(button);
  }
}

function choose(question, button) {
  document.querySelectorAll("nav button.chosen").forEach((b) => b.classList.remove("chosen"));
  if (button) button.classList.add("chosen");
  state.chosen = question;
  document.getElementById("title").textContent = question ? question.summary : "Kueri / Query";
  document.getElementById("description").textContent = question ? question.description : "";
  const params = document.getElementById("params");
  params.replaceChildren();
  for (const param of question ? question.params : []) {
    const hint = `${param.name} (${param.type}): ${param.description}` +
      ` — UNDEF in "VALUES ?${param.name} { UNDEF }" matches every value` +
      (param.example ? `; e.g. egkg query ${question.name} -p ${param.name}=${param.example}` : "");
    params.appendChild(element("li", hint));
  }
  editor.setValue(question ? question.text : `${prefixLines()}\n\nSELECT * WHERE {\n  ?s ?p ?o\n}\nLIMIT 20\n`);
  document.getElementById("results").replaceChildren();
  setStatus("");
}

function setStatus(text, isError) {
  const status = document.getElementById("status");
  status.textContent = text;
  status.className = isError ? "error" : "";
}

async function run() {
  setStatus("…");
  const body = new URLSearchParams({ query: editor.getValue() });
  let response;
  try {
    response = await fetch("/query", {
      method: "POST", body,
      headers: { Accept: "application/sparql-results+json, text/turtle;q=0.9" },
    });
  } catch (error) {
    setStatus(`tidak terhubung / cannot reach the server: ${error}`, true);
    return;
  }
  const type = response.headers.get("Content-Type") || "";
  if (!response.ok) {
    setStatus(`${response.status}: ${(await response.text()).slice(0, 500)}`, true);
    return;
  }
  const results = document.getElementById("results");
  results.replaceChildren();
  if (type.includes("json")) {
    const answer = await response.json();
    if ("boolean" in answer) {
      results.appendChild(element("p", answer.boolean ? "ya / yes" : "tidak / no", "boolean"));
      setStatus("");
    } else {
      results.appendChild(table(answer));
      setStatus(`${answer.results.bindings.length} baris / row(s)`);
    }
  } else {
    results.appendChild(element("pre", await response.text(), "graph"));
    setStatus("");
  }
}

function table(answer) {
  const showIris = document.getElementById("iris").checked;
  const vars = answer.head.vars;
  // As in the terminal: an IRI column whose label column is there is left out unless IRIs are asked for.
  const shown = vars.filter((v) => showIris || !vars.includes(v + LABEL_SUFFIX));
  const grid = element("table");
  const head = grid.createTHead().insertRow();
  for (const name of shown) head.appendChild(element("th", name));
  const rows = grid.createTBody();
  for (const binding of answer.results.bindings) {
    const row = rows.insertRow();
    for (const name of shown) {
      const text = cell(binding[name]);
      // One word (a date, a number, an id) stays on one line; sentences wrap at spaces.
      row.appendChild(element("td", text, /\s/.test(text) ? undefined : "word"));
    }
  }
  return grid;
}

function cell(term) {
  if (!term) return "";
  if (term.type === "uri") return shortened(term.value);
  if (term.type === "bnode") return `_:${term.value}`;
  return term.value; // a literal's text, without its datatype or language tag
}

async function start() {
  document.getElementById("endpoint").textContent = new URL("/query", window.location.href).href;
  const response = await fetch("/ui/library.json");
  state.library = await response.json();
  showQuestions();
  document.getElementById("blank").addEventListener("click", () => choose(null, null));
  document.getElementById("run").addEventListener("click", run);
  const first = state.library.questions[0];
  choose(first, document.querySelector(`nav button[data-name="${first.name}"]`));
  document.body.dataset.ready = "yes";
}

start();

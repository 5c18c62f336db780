/* egkg site: the language switch and the search box. Results are built with textContent only. */
(function () {
  "use strict";
  var root = document.body.dataset.root || "";
  var html = document.documentElement;

  function setLanguage(lang) {
    html.classList.toggle("en", lang === "en");
    html.lang = lang;
    var button = document.getElementById("lang");
    if (button) { button.setAttribute("aria-pressed", lang === "en" ? "true" : "false"); }
    try { window.localStorage.setItem("egkg-lang", lang); } catch (e) { /* file:// storage may be refused */ }
  }
  var saved = null;
  try { saved = window.localStorage.getItem("egkg-lang"); } catch (e) { saved = null; }
  if (saved === "en") { setLanguage("en"); }
  document.getElementById("lang").addEventListener("click", function () {
    setLanguage(html.classList.contains("en") ? "id" : "en");
  });

  // The index and the library load on first use: pages stay light, and file:// pages cannot fetch().
  var index = null;
  var loading = null;
  function load(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = root + src;
      script.onload = resolve;
      script.onerror = function () { reject(new Error("cannot load " + src)); };
      document.head.appendChild(script);
    });
  }
  function fold(term) {
    // Case- and accent-insensitive: "Sijunjung", "SIJUNJUNG" and "sijúnjung" are one term.
    return term.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var SHORTEST_ENDING = 3;  // shorter endings ("to", "a") would match inside nearly every name
  function endings(word) {
    // Every ending of a word but the word itself: a prefix search for "armanto" then meets the
    // ending "armanto" of "suharmanto", so a name is found by any part of it.
    var letters = Array.from(word);
    var found = [];
    for (var i = 1; i <= letters.length - SHORTEST_ENDING; i++) { found.push(letters.slice(i).join("")); }
    return found;
  }
  function ready() {
    if (!loading) {
      loading = load("assets/minisearch.js").then(function () { return load("assets/search-index.js"); }).then(function () {
        index = new MiniSearch({
          // "inside" is the name and aliases again, indexed as the endings of their words: a match
          // there ranks below one at the start of a word.
          fields: ["name", "aliases", "inside"],
          storeFields: ["name", "kind", "date"],
          extractField: function (document, field) {
            return field === "inside" ? document.name + " " + document.aliases : document[field];
          },
          // Words are runs of letters (with their accents) and digits: "<img" and "src=x" are "img",
          // "src" and "x", and "Pol.(P)" is "pol" and "p"; MiniSearch's default keeps symbols inside words.
          tokenize: function (text) { return text.split(/[^\p{L}\p{M}\p{N}]+/u).filter(Boolean); },
          processTerm: function (term, field) { return field === "inside" ? endings(fold(term)) : fold(term); },
          searchOptions: { processTerm: fold, prefix: true, fuzzy: 0.15, combineWith: "AND",
                           boost: { name: 2, aliases: 1, inside: 0.5 } }
        });
        index.addAll(window.EGKG_SEARCH);
        window.egkgSearch = index;
        return index;
      });
    }
    return loading;
  }
  var KINDS = { person: "orang", org: "lembaga", post: "jabatan", meeting: "rapat", region: "wilayah" };
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  function show(results) {
    list.textContent = "";
    results.slice(0, 20).forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = root + hit.id;
      var name = document.createElement("bdi");  // a name's bidi controls stay inside it
      name.textContent = hit.name;
      link.appendChild(name);
      var kind = document.createElement("span");
      kind.className = "badge";
      kind.textContent = KINDS[hit.kind] || hit.kind;
      item.appendChild(link);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(kind);
      if (hit.date) {
        var date = document.createElement("span");
        date.className = "date";
        date.textContent = " " + hit.date;
        item.appendChild(date);
      }
      list.appendChild(item);
    });
    list.dataset.count = String(results.length);
  }
  function search() {
    var text = input.value.trim();
    if (!text) { show([]); return; }
    ready().then(function (idx) {
      if (input.value.trim() === text) { show(idx.search(text)); }
    });
  }
  input.addEventListener("focus", ready);
  input.addEventListener("input", search);
  input.form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector("a");
    if (first) { window.location.href = first.href; }
  });
}());

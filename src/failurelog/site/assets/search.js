/* failurelog: the site search. Material's search box and result list, Pagefind's chunked index.
 *
 * The index is SITE/pagefind/ (failurelog.site.search_index); pagefind.js,
 * loaded from the site on the first search, fetches only the index chunks a
 * query's words need and the fragments of the results shown. Nothing is
 * fetched from another host.
 *
 * - What is typed goes to Pagefind as it is (Pagefind splits it as it split
 *   the pages: md-gw-03 and 5.14.0-503.26.1.el9_5 are one word each, and the
 *   last word also matches as a prefix: md-gw finds every md-gw-* host).
 * - Incidents holding what was typed exactly come first: several words as a
 *   phrase before the same words apart, a word itself before longer words it
 *   begins (RTR_UNAVAILABLE before RTR_UNAVAILABLE_RETRY). Every word must be
 *   found: a word found nowhere gives "No incident matches".
 * - An incident whose id is what was typed (any case) comes first.
 * - ?q=TERM on any page opens the search with TERM.
 * - Titles, ids and snippets are shown as text (only Pagefind's <mark> is markup).
 */
(function () {
  "use strict";

  var PAGE = 10;
  var ICON = {
    search: "M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5",
    back: "M20 11v2H8l5.5 5.5-1.42 1.42L4.16 12l7.92-7.92L13.5 5.5 8 11z",
    close: "M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z"
  };

  var script = document.currentScript;
  var root = new URL("../../", script ? script.src : location.href); // assets/failurelog/search.js -> the site root
  var state = { pagefind: null, seq: 0, results: [], shown: 0, query: "", filters: {} };
  var ui = {};

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function icon(path) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    var p = document.createElementNS(ns, "path");
    p.setAttribute("d", path);
    svg.appendChild(p);
    return svg;
  }

  /* Material's search markup (partials/search.html), built here because Material's own search is off. */
  function build() {
    var header = document.querySelector(".md-header__inner");
    if (!header || document.querySelector(".fl-search")) { return false; }
    ui.toggle = document.getElementById("__search");
    if (!ui.toggle) {
      ui.toggle = el("input", { "class": "md-toggle", "data-md-toggle": "search", type: "checkbox", id: "__search", autocomplete: "off" });
      document.body.insertBefore(ui.toggle, document.body.firstChild);
    }
    var button = el("label", { "class": "md-header__button md-icon", "for": "__search", title: "Search" }, [icon(ICON.search)]);
    ui.input = el("input", {
      type: "text", "class": "md-search__input", "aria-label": "Search", placeholder: "Search",
      autocapitalize: "off", autocorrect: "off", autocomplete: "off", spellcheck: "false"
    });
    var reset = el("button", { type: "reset", "class": "md-search__icon md-icon", title: "Clear", "aria-label": "Clear", tabindex: "-1" }, [icon(ICON.close)]);
    ui.form = el("form", { "class": "md-search__form", role: "search" }, [
      ui.input,
      el("label", { "class": "md-search__icon md-icon", "for": "__search" }, [icon(ICON.search), icon(ICON.back)]),
      el("nav", { "class": "md-search__options", "aria-label": "Search" }, [reset])
    ]);
    ui.facets = el("div", { "class": "fl-search-facets", hidden: "" });
    ui.meta = el("div", { "class": "md-search-result__meta" }, ["Type to start searching"]);
    ui.list = el("ol", { "class": "md-search-result__list", role: "list" });
    ui.more = el("button", { type: "button", "class": "md-button fl-search-more", hidden: "" }, ["More results"]);
    var output = el("div", { "class": "md-search__output" }, [
      el("div", { "class": "md-search__scrollwrap", tabindex: "0" }, [
        el("div", { "class": "md-search-result" }, [ui.facets, ui.meta, ui.list, ui.more])
      ])
    ]);
    ui.box = el("div", { "class": "md-search fl-search", role: "dialog", "aria-label": "Search" }, [
      el("label", { "class": "md-search__overlay", "for": "__search" }),
      el("div", { "class": "md-search__inner" }, [ui.form, output])
    ]);
    var before = header.querySelector(".md-header__source");
    header.insertBefore(button, before);
    header.insertBefore(ui.box, before);
    // Without Material's stylesheet (Zensical) the box gets failurelog's own dialog style (search.css).
    if (getComputedStyle(output).position !== "absolute") { ui.box.classList.add("fl-search--plain"); }
    return true;
  }

  function loadPagefind() {
    if (!state.pagefind) {
      state.pagefind = import(new URL("pagefind/pagefind.js", root).href).then(function (pf) {
        return pf.options({ baseUrl: root.pathname, excerptLength: 24 }).then(function () { return pf; });
      });
    }
    return state.pagefind;
  }

  /* Only Pagefind's <mark> is markup; everything else in a snippet is text. */
  function snippet(html) {
    var p = el("p");
    var decode = document.createElement("textarea");
    html.split(/(<mark>|<\/mark>)/).reduce(function (marked, part) {
      if (part === "<mark>") { return true; }
      if (part === "</mark>") { return false; }
      decode.innerHTML = part; // RCDATA: entities decoded, tags stay text
      var text = document.createTextNode(decode.value);
      p.appendChild(marked ? el("mark", {}, [text]) : text);
      return marked;
    }, false);
    return p;
  }

  function resultItem(data, score) {
    var meta = data.meta || {};
    var facts = meta.facts || meta.id || ""; // written by failurelog.site.search_markup from the schema
    var article = el("article", { "class": "md-search-result__article md-typeset", "data-md-score": String(score) }, [
      el("h1", {}, [meta.title || data.url]),
      el("p", { "class": "fl-search-facts" }, [facts]),
      snippet(data.excerpt || "")
    ]);
    var link = el("a", { href: data.url, "class": "md-search-result__link", tabindex: "-1" }, [article]);
    return el("li", { "class": "md-search-result__item" }, [link]);
  }

  function words(query) { return query.trim().split(/\s+/).filter(Boolean); }

  /* Pagefind's order, with the pages that hold what was typed exactly (the whole phrase, the word itself
   * rather than a longer word it begins) moved before those that hold it only apart or as a prefix. */
  function merge(exact, plain) {
    var held = {};
    var out = plain ? plain.results.slice() : [];
    var listed = {};
    out.forEach(function (r) { listed[r.id] = true; });
    (exact ? exact.results : []).forEach(function (r) {
      held[r.id] = true;
      if (!listed[r.id]) { out.push(r); }
    });
    return out.map(function (r, i) { return { r: r, i: i }; }).sort(function (a, b) {
      return (held[b.r.id] ? 1 : 0) - (held[a.r.id] ? 1 : 0) || a.i - b.i;
    }).map(function (x) { return x.r; });
  }

  function count(n, query) {
    if (!n) { return "No incident matches \u201c" + query + "\u201d"; }
    return n === 1 ? "1 matching incident" : n + " matching incidents";
  }

  function normal(word) { return word.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ""); }

  function commonPrefix(a, b) {
    var n = 0;
    while (n < a.length && n < b.length && a[n] === b[n]) { n++; }
    return n;
  }

  /* Pagefind answers a word it has nowhere with pages holding a shorter prefix of it (qzxvb... finds "qz2lm").
   * A typed word counts as found in a result when a matched word of the page holds it, or, for a plain
   * word (stemming: "panics" finds "panic"), shares all but its last two letters with one. */
  function everyWordFound(query, data) {
    var content = (data.content || "").split(/[\r\n\s]+/g);
    var matched = (data.locations || []).map(function (at) { return normal(content[at] || ""); });
    return words(query.replace(/"/g, " ")).map(normal).filter(Boolean).every(function (term) {
      return matched.some(function (word) {
        if (word.indexOf(term) >= 0) { return true; }
        return /^\p{L}+$/u.test(term) && term.length > 4 && commonPrefix(word, term) >= term.length - 2;
      });
    });
  }

  function showMore(seq) {
    var slice = state.results.slice(state.shown, state.shown + PAGE);
    state.shown += slice.length;
    return Promise.all(slice.map(function (r) { return r.data(); })).then(function (datas) {
      if (seq !== state.seq) { return; }
      if (state.shown === slice.length && datas.length && !everyWordFound(state.query, datas[0])) {
        state.results = [];
        datas = [];
        ui.meta.textContent = count(0, state.query);
      }
      var wanted = state.query.trim().toLowerCase();
      var items = datas.map(function (d, i) { return { data: d, score: slice[i].score }; });
      var exact = items.filter(function (x) { return (x.data.meta.id || "").toLowerCase() === wanted; });
      items = exact.concat(items.filter(function (x) { return exact.indexOf(x) < 0; }));
      items.forEach(function (x) { ui.list.appendChild(resultItem(x.data, x.score)); });
      ui.more.hidden = state.shown >= state.results.length;
    });
  }

  function run(query) {
    var seq = ++state.seq;
    state.query = query;
    if (!words(query).length) {
      ui.list.innerHTML = "";
      ui.more.hidden = true;
      ui.meta.textContent = "Type to start searching";
      return Promise.resolve();
    }
    return loadPagefind().then(function (pf) {
      var w = words(query);
      var options = { filters: state.filters };
      var exact = query.indexOf('"') < 0 ? pf.search('"' + w.join(" ") + '"', options) : null;
      return Promise.all([exact, pf.search(query, options), pf]);
    }).then(function (found) {
      if (seq !== state.seq) { return; }
      state.results = merge(found[0], found[1]);
      state.shown = 0;
      ui.list.innerHTML = "";
      ui.meta.textContent = count(state.results.length, query);
      // The facets' value lists are fetched once the first results show: they are not needed before.
      return showMore(seq).then(function () { return facets(found[2]); }).then(function () {
        if (seq === state.seq) { ui.box.setAttribute("data-fl-done", query); }
      });
    }).catch(function (err) {
      if (seq !== state.seq) { return; }
      state.pagefind = null; // try again on the next search
      ui.meta.textContent = location.protocol === "file:"
        ? "Search needs the site served over HTTP (any static file server), not opened as files."
        : "The search index could not be loaded (" + err + ").";
    });
  }

  /* The filters the pages carry (failurelog.site.search_markup: each keyed by its field's schema title,
   * "Severity", "Status", "System Component", "Year"), in alphabetical order, offered once loaded. */
  function facets(pf) {
    if (state.facetsShown) { return null; }
    state.facetsShown = true;
    return pf.filters().then(function (all) {
      Object.keys(all).sort().forEach(function (key) {
        var select = el("select", { "class": "fl-select", "aria-label": "Filter by " + key, "data-fl-facet": key }, [
          el("option", { value: "" }, [key + ": all"])
        ]);
        Object.keys(all[key]).sort().forEach(function (value) {
          select.appendChild(el("option", { value: value }, [value + " (" + all[key][value] + ")"]));
        });
        select.addEventListener("change", function () {
          if (select.value) { state.filters[key] = select.value; } else { delete state.filters[key]; }
          run(ui.input.value);
        });
        ui.facets.appendChild(select);
      });
      ui.facets.hidden = !ui.facets.children.length;
    });
  }

  function open(focus) {
    ui.toggle.checked = true;
    if (focus) { ui.input.focus(); }
  }

  function close() {
    ui.toggle.checked = false;
    ui.input.blur();
  }

  function links() { return Array.prototype.slice.call(ui.list.querySelectorAll(".md-search-result__link")); }

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function wire() {
    var timer = null;
    ui.input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { run(ui.input.value); }, 120);
    });
    ui.input.addEventListener("focus", function () { open(false); });
    ui.form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    ui.form.addEventListener("reset", function () { setTimeout(function () { run(""); ui.input.focus(); }); });
    ui.toggle.addEventListener("change", function () { if (ui.toggle.checked) { ui.input.focus(); } });
    ui.more.addEventListener("click", function () { showMore(state.seq); });
    document.addEventListener("keydown", function (ev) {
      if (ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
      var active = document.activeElement;
      if (!ui.toggle.checked) {
        if ((ev.key === "/" || ev.key === "s" || ev.key === "f") && !typing(active)) { ev.preventDefault(); open(true); }
        return;
      }
      var all = links();
      var at = all.indexOf(active);
      if (ev.key === "Escape") { close(); } else if (ev.key === "Enter" && active === ui.input) {
        ev.preventDefault();
        clearTimeout(timer);
        run(ui.input.value).then(function () { var first = links()[0]; if (first) { first.click(); } });
      } else if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        if (active !== ui.input && at < 0) { return; }
        ev.preventDefault();
        var next = (ev.key === "ArrowDown" ? at + 1 : at - 1);
        if (next < 0) { ui.input.focus(); } else if (next < all.length) { all[next].focus(); }
      }
    });
    var q = new URLSearchParams(location.search).get("q");
    if (q) {
      ui.input.value = q;
      open(true);
      run(q);
    }
  }

  function start() { if (build()) { wire(); } }

  /* ?q=TERM: Pagefind starts (its worker, wasm, index entry and the chunks TERM's words need) as soon as
   * this script runs, which mkdocs.yml loads async so that it runs while the page is still parsing, before
   * the theme's bundle; the search itself runs once the page is there to show the results. */
  var early = new URLSearchParams(location.search).get("q");
  if (early && words(early).length && location.protocol !== "file:") {
    loadPagefind().then(function (pf) { return pf.preload(early); }).catch(function () { state.pagefind = null; });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

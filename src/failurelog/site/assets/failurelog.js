/* failurelog: sortable, filterable tables. Generated sites ship this file; nothing is fetched.
 *
 * A <div data-fl-table> placed before a Markdown table gets a filter box, one
 * drop-down per column with few distinct values, and a row count; clicking a
 * column heading sorts by it (numbers as numbers, dates and text in order).
 */
(function () {
  "use strict";

  var DATE = /^\d{4}-\d{2}-\d{2}/;
  var NUMBER = /^-?\d[\d,]*(\.\d+)?(\s|$)/;
  var MAX_CHOICES = 40;

  function cellText(row, index) {
    var cell = row.cells[index];
    return cell ? cell.textContent.trim() : "";
  }

  function findTable(marker) {
    for (var node = marker.nextElementSibling; node; node = node.nextElementSibling) {
      if (node.tagName === "TABLE") { return node; }
      var inner = node.querySelector && node.querySelector("table");
      if (inner) { return inner; }
      if (node.hasAttribute && node.hasAttribute("data-fl-table")) { return null; }
    }
    return null;
  }

  function numeric(rows, index) {
    var seen = false;
    for (var i = 0; i < rows.length; i++) {
      var text = cellText(rows[i], index);
      if (!text || text === "\u2014") { continue; }
      if (DATE.test(text) || !NUMBER.test(text)) { return false; }
      seen = true;
    }
    return seen;
  }

  function toNumber(text) {
    var value = parseFloat(text.replace(/,/g, ""));
    return isNaN(value) ? -Infinity : value;
  }

  function setup(marker) {
    if (marker.getAttribute("data-fl-ready")) { return; }
    var table = findTable(marker);
    if (!table || !table.tBodies.length || !table.tHead) { return; }
    marker.setAttribute("data-fl-ready", "1");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var haystack = rows.map(function (row) { return row.textContent.toLowerCase(); });
    var filters = [];

    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = "Filter rows\u2026";
    input.setAttribute("aria-label", "Filter rows");
    input.className = "fl-filter";
    marker.appendChild(input);

    headers.forEach(function (header, index) {
      var values = {};
      var count = 0;
      rows.forEach(function (row) {
        cellText(row, index).split(", ").forEach(function (value) {
          if (value && !values.hasOwnProperty(value)) { values[value] = true; count++; }
        });
      });
      if (count < 2 || count > MAX_CHOICES || count > rows.length / 2 + 1) { return; }
      var select = document.createElement("select");
      select.className = "fl-select";
      select.setAttribute("aria-label", "Filter by " + header.textContent.trim());
      var all = document.createElement("option");
      all.value = "";
      all.textContent = header.textContent.trim() + ": all";
      select.appendChild(all);
      Object.keys(values).sort().forEach(function (value) {
        var option = document.createElement("option");
        option.value = value;
        option.textContent = value;
        select.appendChild(option);
      });
      filters.push({ index: index, select: select });
      marker.appendChild(select);
    });

    var counter = document.createElement("span");
    counter.className = "fl-count";
    marker.appendChild(counter);

    function apply() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row, i) {
        var ok = words.every(function (word) { return haystack[i].indexOf(word) !== -1; });
        for (var f = 0; ok && f < filters.length; f++) {
          var wanted = filters[f].select.value;
          if (wanted && cellText(row, filters[f].index).split(", ").indexOf(wanted) === -1) { ok = false; }
        }
        row.hidden = !ok;
        if (ok) { shown++; }
      });
      counter.textContent = shown + " of " + rows.length + " shown";
    }

    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(apply, 120);
    });
    filters.forEach(function (f) { f.select.addEventListener("change", apply); });

    headers.forEach(function (header, index) {
      header.classList.add("fl-sortable");
      header.setAttribute("tabindex", "0");
      header.setAttribute("aria-sort", "none");
      function sort() {
        var ascending = header.getAttribute("aria-sort") !== "ascending";
        var asNumber = numeric(rows, index);
        var keyed = rows.map(function (row, i) {
          var text = cellText(row, index);
          return { row: row, i: i, key: asNumber ? toNumber(text) : text.toLowerCase() };
        });
        keyed.sort(function (a, b) {
          var order = asNumber ? a.key - b.key : a.key.localeCompare(b.key, undefined, { numeric: true });
          return (ascending ? order : -order) || a.i - b.i;
        });
        headers.forEach(function (h) { h.setAttribute("aria-sort", "none"); });
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var fragment = document.createDocumentFragment();
        keyed.forEach(function (k) { fragment.appendChild(k.row); });
        body.appendChild(fragment);
      }
      header.addEventListener("click", sort);
      header.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); }
      });
    });
    apply();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-fl-table]"), setup);
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

/* failurelog: sortable, filterable tables. Generated sites ship this file; nothing is fetched.
 *
 * A <div data-fl-table> placed before a Markdown table gets, when the table has
 * more than a handful of rows, a filter box, one drop-down per column with few
 * distinct values (none for a value every row has, such as the component of a
 * component's own page), a from-to range per numeric column (durations,
 * money) and a row count; clicking a column heading sorts by it (numbers as
 * numbers, dates and text in order). Any table wider than the page scrolls
 * sideways inside its box, with a shadow at the cut edge and a note saying so.
 * Before printing, every folded section is opened.
 */
(function () {
  "use strict";

  var DATE = /^\d{4}-\d{2}-\d{2}/;
  var NUMBER = /^-?\d[\d,]*(\.\d+)?(\s|$)/;
  var MAX_CHOICES = 40;
  var FEW_ROWS = 5; // no filters on a table this short: it is read at a glance

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
    var ranges = [];
    if (rows.length <= FEW_ROWS) { sortable(table, body, rows, headers); return; }

    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = "Filter rows\u2026";
    input.setAttribute("aria-label", "Filter rows");
    input.className = "fl-filter";
    marker.appendChild(input);

    headers.forEach(function (header, index) {
      if (numeric(rows, index)) { ranges.push(rangeFilter(marker, header, index)); return; }
      var values = {};
      var inRows = {};
      var count = 0;
      rows.forEach(function (row) {
        var seen = {};
        cellText(row, index).split(", ").forEach(function (value) {
          if (value && !values.hasOwnProperty(value)) { values[value] = true; inRows[value] = 0; count++; }
          if (value && !seen[value]) { seen[value] = true; inRows[value]++; }
        });
      });
      if (count < 2 || count > MAX_CHOICES || count > rows.length / 2 + 1) { return; }
      if (Object.keys(inRows).some(function (v) { return inRows[v] === rows.length; })) { return; }
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
        for (var r = 0; ok && r < ranges.length; r++) { ok = ranges[r].accepts(row); }
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
    ranges.forEach(function (r) { r.inputs.forEach(function (box) { box.addEventListener("input", apply); }); });
    sortable(table, body, rows, headers);
    apply();
  }

  function rangeFilter(marker, header, index) {
    var name = header.textContent.trim();
    var group = document.createElement("span");
    group.className = "fl-range";
    var inputs = ["from", "to"].map(function (end) {
      var box = document.createElement("input");
      box.type = "number";
      box.step = "any";
      box.className = "fl-filter fl-bound";
      box.placeholder = end;
      box.setAttribute("aria-label", name + " " + end);
      return box;
    });
    var label = document.createElement("span");
    label.className = "fl-count";
    label.textContent = name + ":";
    group.appendChild(label);
    group.appendChild(inputs[0]);
    group.appendChild(document.createTextNode("\u2013"));
    group.appendChild(inputs[1]);
    marker.appendChild(group);
    return {
      inputs: inputs,
      accepts: function (row) {
        var low = inputs[0].value === "" ? null : parseFloat(inputs[0].value);
        var high = inputs[1].value === "" ? null : parseFloat(inputs[1].value);
        if (low === null && high === null) { return true; }
        var value = toNumber(cellText(row, index));
        if (value === -Infinity) { return false; }
        return (low === null || value >= low) && (high === null || value <= high);
      }
    };
  }

  function sortable(table, body, rows, headers) {
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
  }

  function scrollBox(table) {
    var material = table.closest(".md-typeset__scrollwrap");
    if (material) { return material; }
    var box = table.parentElement;
    if (!box || !box.classList.contains("fl-scroll")) {
      box = document.createElement("div");
      box.className = "fl-scroll";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    }
    return box;
  }

  function cue(table) { cueBox(scrollBox(table), "Wider than the page: scroll sideways for more columns \u2192"); }

  function cueBox(box, text) {
    if (box.getAttribute("data-fl-cue")) { return; }
    box.setAttribute("data-fl-cue", "1");
    var note = box.previousElementSibling;
    if (!note || !note.classList.contains("fl-scroll-note")) {
      note = document.createElement("p");
      note.className = "fl-scroll-note";
      note.textContent = text;
      box.parentNode.insertBefore(note, box);
    }
    function update() {
      var wide = box.scrollWidth > box.clientWidth + 1;
      var atEnd = box.scrollLeft + box.clientWidth >= box.scrollWidth - 1;
      box.classList.toggle("fl-scroll-cue", wide && !atEnd);
      note.hidden = !wide;
    }
    box.addEventListener("scroll", update);
    updaters.push(update);
    update();
  }

  var updaters = [];
  function updateAll() { updaters.forEach(function (update) { update(); }); }
  window.addEventListener("resize", updateAll);
  document.addEventListener("toggle", updateAll, true); // a folded table opened: measure it now

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-fl-table]"), setup);
    // After the theme has wrapped its tables in scroll boxes (it does so when the page mounts).
    setTimeout(cues, 0);
  }

  function cues() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset table"), function (table) {
      if (!table.closest("details.fl-section")) { cue(table); }
    });
    Array.prototype.forEach.call(document.querySelectorAll(".fl-chart .fl-plot"), function (plot) {
      cueBox(plot, "Scroll sideways for the rest of the chart \u2192");
    });
  }

  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) {
      if (!d.open) { d.open = true; d.setAttribute("data-fl-printed", "1"); }
    });
  });
  window.addEventListener("afterprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details[data-fl-printed]"), function (d) {
      d.open = false;
      d.removeAttribute("data-fl-printed");
    });
  });

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

// Sort the schools table by clicking a heading; filter it by text, by result and by trust.
// Plain JavaScript with no libraries, so the dashboard works offline from a file share.
(function () {
  "use strict";
  var table = document.getElementById("schools-table");
  if (!table) { return; }
  var tbody = table.tBodies[0];
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var textBox = document.getElementById("filter-text");
  var statusBox = document.getElementById("filter-status");
  var trustBox = document.getElementById("filter-trust");  // only when the list names trusts
  var counter = document.getElementById("filter-count");

  function cellValue(row, index, type) {
    var cell = row.cells[index];
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    if (type === "number") {
      var n = parseFloat(raw);
      return isNaN(n) ? -Infinity : n;
    }
    return raw.toLowerCase();
  }

  function sortBy(index) {
    var header = headers[index];
    var type = header.getAttribute("data-type") || "text";
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(tbody.rows);
    rows.forEach(function (row, i) { row._order = i; });
    rows.sort(function (a, b) {
      var x = cellValue(a, index, type), y = cellValue(b, index, type);
      var c = x < y ? -1 : x > y ? 1 : a._order - b._order;  // stable for equal values
      return ascending ? c : -c;
    });
    rows.forEach(function (row) { tbody.appendChild(row); });
  }

  headers.forEach(function (header, index) {
    var button = header.querySelector("button") || header;
    button.addEventListener("click", function () { sortBy(index); });
  });

  function applyFilter() {
    var words = textBox.value.toLowerCase().split(/\s+/).filter(Boolean);
    var status = statusBox.value;
    var trust = trustBox ? trustBox.value : "";
    var shown = 0;
    Array.prototype.forEach.call(tbody.rows, function (row) {
      var text = row.textContent.toLowerCase();
      var visible = (!status || row.getAttribute("data-status") === status) &&
        (!trust || row.getAttribute("data-trust") === trust) &&
        words.every(function (w) { return text.indexOf(w) !== -1; });
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    counter.textContent = shown + " of " + tbody.rows.length + " schools shown";
  }

  textBox.addEventListener("input", applyFilter);
  statusBox.addEventListener("change", applyFilter);
  if (trustBox) { trustBox.addEventListener("change", applyFilter); }
  applyFilter();  // a browser may restore the boxes' values on "back"
})();

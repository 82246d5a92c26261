// Progressive help for the self-check page; the page works without it.
// - drag and drop a file onto an upload field;
// - a "Copy wording" button beside each suggested fix;
// - remember the last result's finding keys per file name in sessionStorage,
//   so a fresh check of the same file shows what changed (the server keeps nothing).
(function () {
  "use strict";
  var KEY = "noticecheck:previous:";

  function store(name, value) {
    try { window.sessionStorage.setItem(KEY + name, value); } catch (e) { /* storage off: the hidden field still works */ }
  }
  function recall(name) {
    try { return window.sessionStorage.getItem(KEY + name) || ""; } catch (e) { return ""; }
  }

  function setupDrop(zone) {
    var input = zone.querySelector("input[type=file]");
    if (!input) { return; }
    var hint = zone.querySelector(".drop-hint");
    if (hint) { hint.hidden = false; }
    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (event) { event.preventDefault(); zone.classList.add("dragging"); });
    });
    ["dragleave", "drop"].forEach(function (type) {
      zone.addEventListener(type, function () { zone.classList.remove("dragging"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }

  function setupCopy(block) {
    if (!navigator.clipboard) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.textContent = "Copy wording";
    var note = document.createElement("span");
    note.className = "copied";
    note.setAttribute("role", "status");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(block.textContent).then(function () {
        note.textContent = "Copied";
      }, function () {
        note.textContent = "Could not copy: select the text instead";
      });
    });
    block.insertAdjacentElement("afterend", button);
    button.insertAdjacentElement("afterend", note);
  }

  function setupPrevious() {
    var result = document.querySelector("[data-result]");
    if (result) { store(result.getAttribute("data-name"), result.getAttribute("data-previous")); }
    var form = document.getElementById("check-form");
    if (!form) { return; }
    var hidden = form.querySelector("[data-previous]");
    var file = form.querySelector("input[type=file]");
    var text = form.querySelector("textarea[name=text]");
    form.addEventListener("submit", function () {
      if (file && file.files.length) {
        hidden.value = recall(file.files[0].name);
      } else if (text && text.value.trim()) {
        hidden.value = recall("pasted text");
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-drop]"), setupDrop);
    Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), setupCopy);
    setupPrevious();
  });
}());

/* Offline first for a form that posts normally (the session log): never lose what was typed.
 *
 * The same approach as the plan editor's autosave.js: every change is written to localStorage
 * under the form's data-offline-key (the form and the user), fields by name, checkbox groups as
 * lists, before anything is sent. The copy is forgotten only when the server confirms the save:
 * the hidden "draft" field carries the copy's random id, and only the redirect after a save
 * names it back (?saved=<id>). Any other arrival on the page (an error page, the server
 * unreachable and the page opened again, an accidental reload) refills the form from the copy
 * and says so, until it is saved or discarded. An id, not a flag: a later copy typed after a
 * save, or in another tab, is never forgotten by reloading an old confirmation.
 *
 * Without this script (or with storage blocked) the form posts as before.
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-offline-key]");
  if (!form) { return; }
  var storage = null;
  try { storage = window.localStorage; } catch (e) { return; }  // blocked by the browser
  if (!storage) { return; }
  var key = form.getAttribute("data-offline-key");
  var draftInput = form.querySelector('input[name="draft"]');
  var notice = document.getElementById("offline-restored");
  var SKIP = { csrfmiddlewaretoken: true, draft: true };

  function newId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function fieldNames() {
    var names = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || SKIP[el.name]) { return; }
      if (el.type === "submit" || el.type === "button" || el.type === "file") { return; }
      if (names.indexOf(el.name) === -1) { names.push(el.name); }
    });
    return names;
  }

  function elements(name) {
    return Array.prototype.filter.call(form.elements, function (el) { return el.name === name; });
  }

  function values() {
    var out = {};
    fieldNames().forEach(function (name) {
      var els = elements(name);
      if (els[0].type === "checkbox") {
        out[name] = els.filter(function (el) { return el.checked; }).map(function (el) { return el.value; });
      } else if (els[0].type === "radio") {
        var on = els.filter(function (el) { return el.checked; })[0];
        out[name] = on ? on.value : "";
      } else {
        out[name] = els[0].value;
      }
    });
    return out;
  }

  function apply(fields) {
    Object.keys(fields).forEach(function (name) {
      var els = elements(name);
      if (!els.length || SKIP[name]) { return; }  // a row no longer offered: left out
      var value = fields[name];
      if (els[0].type === "checkbox") {
        els.forEach(function (el) { el.checked = value.indexOf(el.value) !== -1; });
      } else if (els[0].type === "radio") {
        els.forEach(function (el) { el.checked = el.value === value; });
      } else {
        els[0].value = value;
      }
    });
  }

  function read() {
    try {
      var entry = JSON.parse(storage.getItem(key) || "null");
      return entry && entry.id && entry.fields ? entry : null;
    } catch (e) { return null; }
  }

  var entry = read();

  function write() {
    if (!entry) { entry = { id: newId() }; }
    entry.savedAt = Date.now();
    entry.fields = values();
    try { storage.setItem(key, JSON.stringify(entry)); } catch (e) { /* full: still posted */ }
    if (draftInput) { draftInput.value = entry.id; }
  }

  function forget() {
    storage.removeItem(key);
    entry = null;
    if (draftInput) { draftInput.value = ""; }
  }

  // The server's confirmation: forget the copy it saved, and drop the marker from the address
  // so a reload is an ordinary visit.
  var params = new URLSearchParams(window.location.search);
  var saved = params.get("saved");
  if (saved !== null) {
    if (entry && entry.id === saved) { forget(); }
    params.delete("saved");
    var rest = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (rest ? "?" + rest : "") + window.location.hash);
  }

  if (entry) {
    apply(entry.fields);
    if (draftInput) { draftInput.value = entry.id; }
    if (notice) {
      var when = document.getElementById("offline-restored-when");
      if (when) {
        when.textContent = form.getAttribute("data-msg-kept") + " " + new Date(entry.savedAt).toLocaleString(document.documentElement.lang || undefined) + ".";
      }
      notice.hidden = false;
    }
  }

  var discard = document.getElementById("offline-discard");
  if (discard) {
    discard.addEventListener("click", function () {
      forget();
      window.location.replace(window.location.pathname);  // the page as the server gives it
    });
  }

  form.addEventListener("input", write);
  form.addEventListener("change", write);
  form.addEventListener("submit", write);
})();

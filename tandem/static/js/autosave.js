/* Autosave for a plan section: never lose what was typed.
 *
 * Every change is written to localStorage (keyed by plan + section + user) before it is sent.
 * htmx posts the form about a second after typing stops and when a field loses focus, with the
 * section's revision; the server answers "Saved at HH:MM" and the new revision. An expired
 * session or a lost connection keeps the text here and retries; a conflict stops autosaving
 * until the person chooses. On load, text this device never saved is offered back.
 *
 * Pressing Save while an autosave is on its way does not race it: the Save waits for the
 * autosave's answer and is then sent with the newest revision (the server also accepts a Save
 * made stale only by the same person's own save, but never overwrites anyone else's).
 */
(function () {
  "use strict";

  var form = document.getElementById("section-form");
  if (!form || !window.localStorage) { return; }
  var key = form.getAttribute("data-storage-key");
  var DELAY = 1000;
  var RETRY = 10000;
  var timer = null;
  var retryTimer = null;
  var paused = false;
  var sending = null;
  var inFlight = false;
  var queuedSubmit = false;

  function fieldNames() {
    var names = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.name === "revision") { return; }
      if (el.type === "submit" || el.type === "button") { return; }
      if (names.indexOf(el.name) === -1) { names.push(el.name); }
    });
    return names;
  }

  function values() {
    var out = {};
    fieldNames().forEach(function (name) {
      var els = form.querySelectorAll('[name="' + name + '"]');
      if (els.length && els[0].type === "checkbox") {
        out[name] = Array.prototype.filter.call(els, function (el) { return el.checked; })
          .map(function (el) { return el.value; });
      } else if (els.length) {
        out[name] = els[0].value;
      }
    });
    return out;
  }

  function apply(saved) {
    Object.keys(saved).forEach(function (name) {
      var els = form.querySelectorAll('[name="' + name + '"]');
      if (!els.length) { return; }
      if (els[0].type === "checkbox") {
        Array.prototype.forEach.call(els, function (el) {
          el.checked = saved[name].indexOf(el.value) !== -1;
        });
      } else {
        els[0].value = saved[name];
      }
    });
  }

  function fromForm(evt) {
    var d = evt.detail || {};
    return d.elt === form || (d.requestConfig && d.requestConfig.elt === form) ||
      (d.target && d.target.id === "save-status");
  }
  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
  function revision() {
    var el = document.getElementById("id_revision");
    return el ? parseInt(el.value, 10) || 0 : 0;
  }
  function read() {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function write(extra) {
    var entry = { baseRevision: revision(), savedAt: Date.now(), fields: values() };
    if (extra) { Object.keys(extra).forEach(function (k) { entry[k] = extra[k]; }); }
    try { localStorage.setItem(key, JSON.stringify(entry)); } catch (e) { /* full: still sent */ }
  }
  function forget() { localStorage.removeItem(key); }
  function show(id, on) { var el = document.getElementById(id); if (el) { el.hidden = !on; } }

  function save() {
    if (paused) { return; }
    window.clearTimeout(timer);
    if (window.htmx) { window.htmx.trigger(form, "tandem:save"); }
  }
  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, DELAY);
  }
  function retryLater() {
    window.clearTimeout(retryTimer);
    retryTimer = window.setTimeout(save, RETRY);
  }

  // Offer back text this device holds and the server never got.
  var params = new URLSearchParams(window.location.search);
  var stored = read();
  if (stored && (params.get("discard") === "1" || (params.get("saved") === "1" && stored.resolving))) {
    forget();
    stored = null;
  }
  if (stored && same(stored.fields, values())) { forget(); stored = null; }
  if (stored) {
    var when = document.getElementById("restore-when");
    if (when) { when.textContent = new Date(stored.savedAt).toLocaleString(); }
    show("restore-banner", true);
    paused = true;  // no autosave until the person chooses
    document.getElementById("restore-mine").addEventListener("click", function () {
      apply(stored.fields);
      show("restore-banner", false);
      paused = false;
      // Sent with the revision it was written against: if someone saved since, a conflict
      // shows both versions rather than overwriting.
      var rev = document.getElementById("id_revision");
      if (rev && typeof stored.baseRevision === "number") { rev.value = stored.baseRevision; }
      write({ baseRevision: stored.baseRevision });
      save();
    });
    document.getElementById("discard-mine").addEventListener("click", function () {
      forget();
      show("restore-banner", false);
      paused = false;
    });
  }

  form.addEventListener("input", function () { write(); schedule(); });
  form.addEventListener("change", function () { write(); schedule(); });
  form.addEventListener("focusout", function () {
    var entry = read();
    if (entry && !same(entry.fields, sending || {})) { save(); }
  });
  form.addEventListener("submit", function (evt) {
    window.clearTimeout(timer);
    write();
    if (inFlight) {
      // An autosave is on its way with the revision on the page: send the Save after it.
      evt.preventDefault();
      queuedSubmit = true;
    }
  });
  function sendQueuedSubmit() {
    if (!queuedSubmit || inFlight) { return; }
    queuedSubmit = false;
    if (paused) { return; }  // a conflict (someone else saved) is shown: the person chooses
    write();
    form.submit();  // the hidden revision now holds the autosave's new revision
  }

  var conflictForm = null;
  function watchConflictForm() {
    conflictForm = document.getElementById("conflict-form");
    if (conflictForm && !conflictForm.getAttribute("data-watched")) {
      conflictForm.setAttribute("data-watched", "1");
      conflictForm.addEventListener("submit", function () { write({ resolving: true }); });
    }
  }
  watchConflictForm();
  if (conflictForm) { paused = true; }

  document.body.addEventListener("htmx:configRequest", function (evt) {
    if (!fromForm(evt)) { return; }
    sending = values();
    write();
    // After signing in again (in another tab) the CSRF token changed: use the current one.
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) {
      var token = decodeURIComponent(match[1]);
      var hidden = form.querySelector('[name="csrfmiddlewaretoken"]');
      if (hidden) { hidden.value = token; }
      evt.detail.headers["X-CSRFToken"] = token;
      try {
        if (typeof evt.detail.parameters.set === "function") {
          evt.detail.parameters.set("csrfmiddlewaretoken", token);
        } else {
          evt.detail.parameters.csrfmiddlewaretoken = token;
        }
      } catch (e) { /* the header carries it */ }
    }
  });

  document.body.addEventListener("htmx:beforeRequest", function (evt) {
    if (evt.detail.elt === form) { inFlight = true; }
  });
  document.body.addEventListener("htmx:afterRequest", function (evt) {
    if (evt.detail.elt !== form) { return; }
    inFlight = false;
    // After the answer's swaps (the new revision arrives out of band).
    window.setTimeout(sendQueuedSubmit, 0);
  });

  document.body.addEventListener("htmx:beforeSwap", function (evt) {
    var xhr = evt.detail.xhr;
    var target = evt.detail.target;
    if (target && target.id === "poll-region") {
      // Only announce a change: the same warning is not swapped in again.
      if (target.getAttribute("data-last") === xhr.responseText) { evt.detail.shouldSwap = false; }
      target.setAttribute("data-last", xhr.responseText);
      return;
    }
    if (!fromForm(evt)) { return; }
    var toLogin = (xhr.responseURL || "").indexOf("/login/") !== -1;
    if (toLogin || xhr.status === 401 || xhr.status === 403) {
      evt.detail.shouldSwap = false;
      show("session-banner", true);
      retryLater();
      return;
    }
    if (xhr.status >= 500) {
      evt.detail.shouldSwap = false;
      show("offline-banner", true);
      retryLater();
      return;
    }
    if (xhr.status === 400 || xhr.status === 413) {
      // Refused before the section was read (a NUL character, a request far too large): the
      // answer is a whole page, so say it here instead; the text stays on this device.
      evt.detail.shouldSwap = false;
      var status = document.getElementById("save-status");
      if (status) {
        var line = document.createElement("span");
        line.className = "text-secondary-dark";
        line.textContent = form.getAttribute("data-refused-text") || "";
        status.replaceChildren(line);
      }
    }
  });

  document.body.addEventListener("htmx:afterSwap", function (evt) {
    var target = evt.detail.target;
    if (target && target.id === "conflict-region") {
      paused = true;
      watchConflictForm();
      var heading = document.getElementById("conflict-heading");
      if (heading) { heading.focus(); }
      return;
    }
    if (!target || target.id !== "save-status") { return; }
    // The new revision swapped in out of band fires its own afterSwap: handled once.
    if (evt.detail.elt && evt.detail.elt.id === "id_revision") { return; }
    show("session-banner", false);
    show("offline-banner", false);
    if (sending === null) { return; }
    if (target.querySelector(".text-green")) {
      // Saved: forget the copy here unless more was typed while the save was on its way.
      if (same(values(), sending)) { forget(); } else { write(); }
    }
    sending = null;
  });

  document.body.addEventListener("htmx:sendError", function (evt) {
    if (!fromForm(evt)) { return; }
    show("offline-banner", true);
    retryLater();
  });

  window.addEventListener("focus", function () {
    if (read() && !paused) { save(); }
  });
  window.addEventListener("online", function () { if (read()) { save(); } });
})();

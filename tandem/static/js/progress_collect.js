// Offline-tolerant progress data entry for progress/collect.html.
// On submit, each filled goal row becomes an entry {goal, taken_on, measures, note, client_key}
// queued in localStorage, then the queue is posted as one JSON submission. An entry leaves the
// queue only when the server answers for it (saved, duplicate, invalid, not found); on a lost
// connection it stays and is sent again when the browser is back online or the page reopens.
// The server treats a client_key it has already stored as a replay, so resending is harmless.
// Without this script the form posts normally.
(function () {
  "use strict";
  var form = document.getElementById("collect-form");
  if (!form || !window.fetch || !window.localStorage) return;
  var KEY = "tandem.progress.queue";
  var statusBox = document.getElementById("collect-status");
  var statusText = document.getElementById("collect-status-text");
  var sending = false;

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function store(queue) {
    try { localStorage.setItem(KEY, JSON.stringify(queue)); } catch (e) { /* full: keep in memory */ }
  }
  function say(text, kind) {
    if (!statusBox) return;
    statusBox.hidden = false;
    statusBox.className = "usa-alert usa-alert--slim usa-alert--" + (kind || "info");
    statusText.textContent = text;
  }
  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  var PROMPT_LEVELS = ["independent", "gestural", "verbal", "model", "partial_physical", "full_physical"];
  var NUMBERS = ["trials_correct", "trials_total", "percent", "rate_per_minute", "duration_seconds", "count", "rubric_level", "score"];

  function rowEntry(row, takenOn) {
    var prefix = row.getAttribute("data-prefix");
    function input(name) { return form.querySelector('[name="' + prefix + "-" + name + '"]'); }
    var measures = {};
    NUMBERS.forEach(function (name) {
      var el = input(name);
      if (el && el.value.trim() !== "") measures[name] = el.value.trim();
    });
    var prompts = [];
    PROMPT_LEVELS.forEach(function (level) {
      var el = input("prompts_" + level);
      var n = el ? parseInt(el.value, 10) : 0;
      for (var i = 0; i < n && i < 100; i++) prompts.push(level);
    });
    if (prompts.length) measures.prompts = prompts;
    if (!Object.keys(measures).length) return null;
    var note = input("note");
    var key = input("client_key");
    return {
      goal: row.getAttribute("data-goal"),
      taken_on: takenOn,
      measures: measures,
      note: note ? note.value : "",
      client_key: key.value,
      label: (row.querySelector("legend") || row).textContent.trim().split("\n")[0]
    };
  }
  // After a row is saved, its "Correct" and "Void" links, back to this page with its group.
  function link(template, id, text, hidden) {
    var a = document.createElement("a");
    a.className = "usa-link";
    a.href = template.replace("00000000-0000-0000-0000-000000000000", id) +
      "?next=" + encodeURIComponent(location.pathname + location.search);
    a.textContent = text;
    var sr = document.createElement("span");
    sr.className = "usa-sr-only";
    sr.textContent = " " + hidden;
    a.appendChild(sr);
    return a;
  }
  function showSaved(clientKey, id) {
    var keyInput = form.querySelector('input[value="' + clientKey + '"]');
    var row = keyInput && keyInput.closest("[data-goal]");
    if (!row || !id) return;
    var old = row.querySelector("[data-my-last]");
    var p = document.createElement("p");
    p.className = "margin-y-05";
    p.setAttribute("data-my-last", "");
    var label = ((row.querySelector("legend") || row).textContent.trim().split("\n")[0]) + ", " +
      form.getAttribute("data-msg-this-result");
    p.appendChild(document.createTextNode(form.getAttribute("data-msg-row-saved") + " "));
    p.appendChild(link(form.getAttribute("data-correct-url"), id, form.getAttribute("data-msg-correct"), label));
    p.appendChild(document.createTextNode(" · "));
    p.appendChild(link(form.getAttribute("data-void-url"), id, form.getAttribute("data-msg-void"), label));
    if (old) old.replaceWith(p);
    else keyInput.parentNode.insertBefore(p, keyInput);
  }
  function clearRow(clientKey) {
    var keyInput = form.querySelector('input[value="' + clientKey + '"]');
    var row = keyInput && keyInput.closest("[data-goal]");
    if (!row) return;
    Array.prototype.forEach.call(row.querySelectorAll("input"), function (el) {
      if (el.type === "hidden" && /client_key$/.test(el.name)) el.value = uuid4();
      else if (el.type !== "hidden") el.value = "";
    });
  }

  function send() {
    var queue = load();
    if (sending || !queue.length) return Promise.resolve();
    sending = true;
    var batch = queue.slice(0, 200);
    return fetch(form.getAttribute("data-json-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": form.getAttribute("data-csrf") },
      body: JSON.stringify({ entries: batch })
    }).then(function (response) {
      if (!response.ok) throw new Error("status " + response.status);
      return response.json();
    }).then(function (data) {
      var answered = {};
      var problems = [];
      (data.results || []).forEach(function (r) {
        answered[r.client_key] = r;
        if (r.status === "saved" || r.status === "duplicate") {
          showSaved(r.client_key, r.id);
          clearRow(r.client_key);
        }
        if (r.status === "invalid" || r.status === "not_found" || r.status === "forbidden") {
          var entry = batch.filter(function (e) { return e.client_key === r.client_key; })[0];
          var detail = r.errors ? Object.keys(r.errors).map(function (k) { return r.errors[k].join(" "); }).join(" ") : r.status;
          problems.push((entry ? entry.label + ": " : "") + detail);
        }
      });
      store(load().filter(function (e) { return !answered[e.client_key]; }));
      sending = false;
      if (problems.length) say(form.getAttribute("data-msg-invalid") + " " + problems.join(" · "), "error");
      else say(form.getAttribute("data-msg-saved"), "success");
      if (load().length) return send();
    }).catch(function () {
      sending = false;
      // Kept on this device: free the rows for the next session.
      batch.forEach(function (e) { clearRow(e.client_key); });
      say(form.getAttribute("data-msg-queued") + " (" + load().length + ")", "warning");
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var dateInput = form.querySelector('[name="taken_on"]');
    var takenOn = dateInput ? dateInput.value : "";
    var entries = [];
    Array.prototype.forEach.call(form.querySelectorAll("[data-goal]"), function (row) {
      var entry = rowEntry(row, takenOn);
      if (entry) entries.push(entry);
    });
    if (!entries.length) { say(form.getAttribute("data-msg-empty"), "error"); return; }
    var queue = load();
    var known = {};
    queue.forEach(function (e) { known[e.client_key] = true; });
    entries.forEach(function (e) { if (!known[e.client_key]) queue.push(e); });
    store(queue);
    send();
  });
  window.addEventListener("online", send);
  if (load().length) {
    say(form.getAttribute("data-msg-pending") + " " + load().length, "info");
    send();
  }
})();

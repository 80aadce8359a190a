// The idle warning: before the time-out signs the person out, ask "Are you still there?".
//
// The server keeps the clock (tandem/web/middleware.py): a request counts as activity, and this
// script's own question does not (it is sent as the passive "idle-check" trigger). Shortly
// before the time could run out the script asks how long is left; another tab may have kept the
// session alive, so it warns only when the server says so. "Stay signed in" restarts the clock.
(() => {
  const box = document.getElementById("idle-warning");
  if (!box) return;
  const url = box.dataset.url;
  const warn = Number(box.dataset.warn) || 120;
  const still = box.querySelector("[data-still-here]");
  const gone = box.querySelector("[data-signed-out]");
  const stay = box.querySelector("[data-stay]");
  const csrf = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
  let timer = null;

  // `hidden` alone loses to a USWDS button's display rule, so the style is set as well.
  const show = (element, visible) => {
    element.hidden = !visible;
    element.style.display = visible ? "" : "none";
  };

  const schedule = (secondsLeft) => {
    clearTimeout(timer);
    timer = setTimeout(check, Math.max(1, secondsLeft - warn) * 1000);
  };

  const signedOut = () => {
    clearTimeout(timer);
    show(still, false);
    show(stay, false);
    show(gone, true);
    show(box, true);
  };

  const ask = async (method) => {
    const headers = { "HX-Request": "true", "HX-Trigger": "idle-check", Accept: "application/json" };
    if (method === "POST" && csrf) headers["X-CSRFToken"] = decodeURIComponent(csrf[1]);
    const response = await fetch(url, { method, headers, credentials: "same-origin" });
    if (response.status === 401) return null;
    return (await response.json()).seconds_left;
  };

  async function check() {
    let left;
    try {
      left = await ask("GET");
    } catch (error) {
      schedule(warn + 30); // offline for a moment: ask again soon, warn nothing yet
      return;
    }
    if (left === null || left <= 0) return signedOut();
    if (left > warn) {
      show(box, false);
      return schedule(left);
    }
    show(box, true);
    stay.focus();
    timer = setTimeout(check, left * 1000 + 1000);
  }

  stay.addEventListener("click", async () => {
    const left = await ask("POST").catch(() => null);
    if (left === null) return signedOut();
    show(box, false);
    schedule(left);
  });

  schedule(Number(box.dataset.seconds) || 1800);
})();

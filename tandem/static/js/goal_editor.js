/* Goal editor: copy a picked need from present levels into the need field, and give focus back
   to the goal after a suggestion is applied (the applied button is replaced by the new check). */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var pick = event.target;
    if (!pick || !pick.hasAttribute || !pick.hasAttribute("data-need-pick")) return;
    var need = document.getElementById(pick.getAttribute("data-need-pick"));
    if (!need || !pick.value) return;
    need.value = pick.options[pick.selectedIndex].text;
    need.dispatchEvent(new Event("change", { bubbles: true }));
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var elt = event.detail && event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!elt || !elt.hasAttribute || !elt.hasAttribute("data-goal-fix")) return;
    var text = document.getElementById("id_text");
    if (!text) return;
    text.focus();
    text.setSelectionRange(text.value.length, text.value.length);
  });
})();

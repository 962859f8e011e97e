/* The meeting widget of the case page (workflows/web/meeting.py), in plain JavaScript.
 *
 * The roll is drawn by the server; this file only counts the ticks as they are made
 * ("实到 n / 应到 人") and offers "全部到会" / "清除勾选". The page works without it: the
 * server counts the ticks again, and the gate is the judge.
 */
(function () {
  "use strict";

  function count(list) {
    var out = list.querySelector("[data-roll-present]");
    if (out) out.textContent = list.querySelectorAll("input[data-voter]:checked").length;
  }

  document.addEventListener("change", function (event) {
    var list = event.target.closest ? event.target.closest("[data-roll]") : null;
    if (list) count(list);
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-roll-all], [data-roll-none]") : null;
    if (!button) return;
    var list = button.closest("[data-roll]");
    if (!list) return;
    var on = button.hasAttribute("data-roll-all");
    var boxes = list.querySelectorAll("input[data-voter]");
    boxes.forEach(function (box) { box.checked = on; });
    count(list);
    if (boxes.length) boxes[0].dispatchEvent(new Event("change", { bubbles: true }));  // the live check
  });
})();

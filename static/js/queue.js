/* The township queue's batch (templates/workflows/review.html), in plain JavaScript.
 *
 * A batch takes the cases of one step: once a box is ticked, the boxes of other steps are
 * disabled, and the panel says what will be done ("已选 2 件:乡镇、街道妇联审核 — 审核通过").
 * The page works without it: the server refuses a batch across steps, changing nothing.
 */
(function () {
  "use strict";

  function update(panel) {
    var boxes = document.querySelectorAll("input[name=pick]");
    var picked = Array.prototype.filter.call(boxes, function (b) { return b.checked; });
    var group = picked.length ? picked[0].getAttribute("data-group") : null;
    boxes.forEach(function (box) {
      var other = group !== null && box.getAttribute("data-group") !== group;
      box.disabled = other;
      box.title = other ? panel.getAttribute("data-other") : "";
    });
    var status = panel.querySelector("[data-batch-status]");
    if (!status) return;
    if (!picked.length) {
      status.textContent = panel.getAttribute("data-none");
      return;
    }
    status.textContent = panel.getAttribute("data-picked")
      .replace("{n}", String(picked.length))
      .replace("{step}", picked[0].getAttribute("data-step"))
      .replace("{action}", picked[0].getAttribute("data-action"));
  }

  document.addEventListener("change", function (event) {
    if (!event.target.matches || !event.target.matches("input[name=pick]")) return;
    var panel = document.querySelector("[data-batch]");
    if (panel) update(panel);
  });

  document.addEventListener("DOMContentLoaded", function () {
    var panel = document.querySelector("[data-batch]");
    if (panel) update(panel);
  });
})();

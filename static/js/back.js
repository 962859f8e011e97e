/* The error pages' 上一页 button: shown only when there is a page to go back to. */
(function () {
  "use strict";
  document.querySelectorAll("[data-back]").forEach(function (button) {
    if (window.history.length > 1) { button.hidden = false; }
    button.addEventListener("click", function () { window.history.back(); });
  });
})();

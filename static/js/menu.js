/* The header's 菜单 (a <details>): open on a wide screen, where it is not a menu but the bar
 * itself, folded on a phone (under 480 px) until its button is pressed. Works without this
 * file in browsers that style a <details>' content (::details-content). */
(function () {
  "use strict";
  var menu = document.querySelector("[data-menu]");
  if (!menu) { return; }
  var wide = window.matchMedia("(min-width: 481px)");
  function fit() { menu.open = wide.matches; }
  fit();
  wide.addEventListener("change", fit);
})();

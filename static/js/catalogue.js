/* The catalogue's search box, filtering as one types (plain JavaScript, nothing from the internet).
 *
 * Without this file the box is a GET form (?q=) and the server filters. With it, each card's
 * data-search (the text the server computed: names, codes, category, roles, pinyin) is matched
 * by the server's rule (workflows.web.catalogue.matches): every word of the query, lowercased,
 * must be found in it. Categories left empty are hidden; the count says how many are shown.
 */
(function () {
  "use strict";

  function words(query) {
    return query.replace(/\s+/g, " ").trim().toLowerCase().split(" ").filter(Boolean);
  }

  function matches(query, text) {
    return words(query).every(function (w) { return text.indexOf(w) !== -1; });
  }

  function init() {
    var form = document.querySelector("[data-catalogue-search]");
    if (!form) { return; }
    var box = form.querySelector("[data-catalogue-q]");
    var count = form.querySelector("[data-catalogue-count]");
    var groups = Array.prototype.slice.call(document.querySelectorAll("[data-catalogue-group]"));

    function apply() {
      var query = box.value;
      var shown = 0;
      groups.forEach(function (group) {
        var any = false;
        group.querySelectorAll("[data-search]").forEach(function (card) {
          var hit = matches(query, card.getAttribute("data-search"));
          card.hidden = !hit;
          if (hit) { any = true; shown += 1; }
        });
        group.hidden = !any;
        var link = document.querySelector('[data-catalogue-toc="' + group.querySelector("h2").id + '"]');
        if (link) { link.hidden = !any; }
      });
      count.textContent = shown ? count.getAttribute("data-count-text").replace("{shown}", shown)
        : count.getAttribute("data-none-text");
      var url = new URL(window.location.href);
      if (query.trim()) { url.searchParams.set("q", query.trim()); } else { url.searchParams.delete("q"); }
      window.history.replaceState(null, "", url);
    }

    box.addEventListener("input", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

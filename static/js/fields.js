/* The case page's typed fields, in plain JavaScript (no framework, nothing from the internet).
 *
 * The form works without this file (the server builds every input and judges every value);
 * with it: table rows can be added, removed, moved, pasted from Excel and imported from an
 * .xlsx; a ref's list narrows as the user types; ID numbers, mobiles, credit codes, months,
 * patterns, lengths and bounds are checked as they are typed; a field required only when
 * another has some value says so, and is greyed out otherwise; files show their limits.
 * The words come from the page (#field-texts, translated by the server).
 */
(function () {
  "use strict";

  var T = {};

  function say(key, vars) {
    var text = T[key] || key;
    Object.keys(vars || {}).forEach(function (k) {
      text = text.split("{" + k + "}").join(String(vars[k]));
    });
    return text;
  }

  function closest(el, selector) {
    return el && el.closest ? el.closest(selector) : null;
  }

  function fire(el, type) {
    el.dispatchEvent(new Event(type, { bubbles: true }));
  }

  // --- inline checks: a hint under the input, aria-invalid while it is wrong ----------------

  var ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  var ID_CHECK = "10X98765432";
  var USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  var USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

  function validDay(y, m, d) {
    var day = new Date(Date.UTC(y, m - 1, d));
    return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
  }

  function idNumberOk(text) {  // GB 11643: 17 digits, a real birth date, the check character
    if (!/^\d{17}[\dX]$/.test(text)) return false;
    var y = +text.slice(6, 10), m = +text.slice(10, 12), d = +text.slice(12, 14);
    if (y < 1900 || !validDay(y, m, d)) return false;
    var sum = 0;
    for (var i = 0; i < 17; i++) sum += +text[i] * ID_WEIGHTS[i];
    return ID_CHECK[sum % 11] === text[17];
  }

  function usccOk(text) {  // GB 32100: 18 characters of its alphabet, the check character
    if (text.length !== 18 || !/^\d{8}/.test(text)) return false;
    var sum = 0;
    for (var i = 0; i < 18; i++) {
      if (USCC_ALPHABET.indexOf(text[i]) < 0) return false;
      if (i < 17) sum += USCC_ALPHABET.indexOf(text[i]) * USCC_WEIGHTS[i];
    }
    return USCC_ALPHABET[(31 - (sum % 31)) % 31] === text[17];
  }

  function scope(el) {  // where another field named by data-after / data-required-if lives
    return closest(el, "tr[data-row]") || closest(el, "form") || document;
  }

  function other(el, name) {
    var row = closest(el, "tr[data-row]");
    if (row) {
      var cell = row.querySelector('td[data-col="' + name + '"]');
      return cell ? cell.querySelector("input, select, textarea") : null;
    }
    var form = closest(el, "form");
    return form ? form.querySelector('[name="f_' + name + '"]') : null;
  }

  function labelOf(el) {
    var label = el.id ? document.querySelector('label[for="' + el.id + '"]') : null;
    var text = label ? label.textContent : "";
    return text.replace(/\*|\(.*?\)|(.*?)/g, "").trim();
  }

  function problem(input, final) {
    var v = input.value;
    var text = v.trim();
    if (input.type === "number" && input.validity && input.validity.badInput) {
      return say("range", { min: input.min || "", max: input.max || "" });
    }
    if (!text) return "";
    var fmt = input.dataset.format;
    if (fmt === "id_number") {
      var id = text.toUpperCase();
      if (id.length !== 18) return final || id.length > 18 ? say("id_number_length", { n: id.length }) : "";
      if (!idNumberOk(id)) return say("id_number");
    } else if (fmt === "mobile") {
      if (final || text.length >= 11) {
        if (!/^1[3-9]\d{9}$/.test(text)) return say("mobile");
      }
    } else if (fmt === "uscc") {
      var code = text.toUpperCase();
      if ((final || code.length >= 18) && !usccOk(code)) return say("uscc");
    } else if (fmt === "month" && input.type !== "month") {
      if ((final || text.length >= 7) && !/^\d{4}-(0[1-9]|1[0-2])$/.test(text)) return say("month");
    }
    if (input.dataset.pattern && (final || !fmt)) {
      try {
        if (!new RegExp("^(?:" + input.dataset.pattern + ")$", "u").test(text)) {
          return say("pattern");
        }
      } catch (e) { /* a pattern the browser cannot read: the server judges it */ }
    }
    var max = +input.dataset.maxlength;
    if (max && text.length > max) return say("too_long", { max: max, n: text.length });
    if (input.type === "number") {
      var n = +text;
      var lo = input.min !== "" ? +input.min : null, hi = input.max !== "" ? +input.max : null;
      if ((lo !== null && n < lo) || (hi !== null && n > hi)) {
        return say("range", { min: lo === null ? "" : lo, max: hi === null ? "" : hi });
      }
    }
    if (/^(date|month|datetime-local)$/.test(input.type) || fmt === "month") {
      if (input.min && text < input.min) return say("not_before", { min: input.min.replace("T", " ") });
      if (input.max && text > input.max) return say("not_after", { max: input.max.replace("T", " ") });
      if (input.dataset.after) {
        var start = other(input, input.dataset.after);
        if (start && start.value && text < start.value) {
          return say("after", { label: labelOf(start) || input.dataset.after });
        }
      }
    }
    return "";
  }

  function hintFor(input) {
    var id = (input.id || "") + "-hint";
    var hint = document.getElementById(id);
    if (!hint) {
      hint = document.createElement("p");
      hint.className = "hint";
      hint.id = id;
      hint.setAttribute("aria-live", "polite");
      var after = input;
      var next = input.nextElementSibling;
      if (next && next.classList.contains("counter")) after = next;
      after.insertAdjacentElement("afterend", hint);
      var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (described.indexOf(id) < 0) described.push(id);
      input.setAttribute("aria-describedby", described.join(" "));
    }
    return hint;
  }

  function counter(input) {
    var max = +input.dataset.maxlength;
    if (!max) return;
    var box = input.nextElementSibling;
    var n = input.value.trim().length;
    var show = input.tagName === "TEXTAREA" ? n > 0 : n >= max * 0.8;
    if (!box || !box.classList.contains("counter")) {
      if (!show) return;
      box = document.createElement("span");
      box.className = "counter";
      box.setAttribute("aria-live", "polite");
      input.insertAdjacentElement("afterend", box);
    }
    box.textContent = show ? say("counter", { n: n, max: max }) : "";
    box.classList.toggle("over", n > max);
  }

  var CHECKED = "input[data-format], input[data-pattern], [data-maxlength], input[type=number]," +
    " input[type=date], input[type=month], input[type=datetime-local]";

  function check(input, final) {
    if (!input.matches || !input.matches(CHECKED) || input.disabled) return;
    counter(input);
    var text = problem(input, final);
    var hint = document.getElementById((input.id || "") + "-hint");
    if (!text && !hint) return;
    hint = hintFor(input);
    hint.textContent = text;
    hint.hidden = !text;
    if (text) {
      input.setAttribute("aria-invalid", "true");
    } else if (!closest(input, ".has-error") || input.dataset.touched) {
      input.removeAttribute("aria-invalid");
    }
  }

  // --- required only when another field has a value -----------------------------------------

  function posted(el) {
    if (!el) return "";
    if (el.type === "checkbox") return el.checked ? "True" : "False";
    return el.value;
  }

  function applyCondition(box) {
    var ctrl = other(box, box.dataset.requiredIf);
    var holds = posted(ctrl) === box.dataset.requiredEquals;
    box.classList.toggle("not-needed", !holds);
    box.querySelectorAll("input, select, textarea, button").forEach(function (el) {
      if (el.type === "hidden" && !el.hasAttribute("data-kept-id")) return;
      el.disabled = !holds;
      if (el.matches("input:not([type=hidden]):not([type=checkbox]), select, textarea")) {
        el.required = holds;
      }
    });
    box.querySelectorAll("[data-req-mark]").forEach(function (m) { m.hidden = !holds; });
    var note = box.querySelector(":scope > .not-needed-note, :scope > label .not-needed-note");
    if (!holds && !note) {
      note = document.createElement("span");
      note.className = "not-needed-note muted";
      note.textContent = say("not_needed");
      var where = box.querySelector("label, legend");
      if (where) where.appendChild(note);
    }
    if (note) note.hidden = holds;
  }

  function conditionsOf(root) {
    return Array.prototype.slice.call(root.querySelectorAll("[data-required-if]"));
  }

  function refreshConditions(changed) {
    var form = closest(changed, "form");
    if (!form) return;
    conditionsOf(form).forEach(applyCondition);
  }

  // --- multichoice: how many ----------------------------------------------------------------

  function checkItems(fieldset) {
    var lo = +fieldset.dataset.minItems || 0, hi = +fieldset.dataset.maxItems || 0;
    var n = fieldset.querySelectorAll("input[type=checkbox]:checked").length;
    var hint = fieldset.querySelector(".hint");
    if (!hint) {
      hint = document.createElement("p");
      hint.className = "hint";
      hint.setAttribute("aria-live", "polite");
      fieldset.appendChild(hint);
    }
    var wrong = n > 0 && (n < lo || (hi && n > hi));
    hint.textContent = wrong ? say("items", { min: lo, max: hi, n: n }) : "";
    hint.hidden = !wrong;
  }

  // --- files: size and type before upload; a kept file can be chosen again ------------------

  function checkFile(input) {
    var max = +input.dataset.maxBytes || 0;
    // the types the portal takes (a camera input's accept is "image/*": data-accept is exact)
    var accept = (input.dataset.accept || input.getAttribute("accept") || "").split(",").filter(Boolean);
    var text = "";
    Array.prototype.forEach.call(input.files || [], function (file) {
      if (max && file.size > max) {
        text = say("file_too_large", { text: file.name, max: input.dataset.maxText || "" });
      } else if (!text && accept.length && file.type && accept.indexOf(file.type) < 0) {
        text = say("file_type", { text: file.name });
      }
    });
    var hint = hintFor(input);
    hint.textContent = text;
    hint.hidden = !text;
    var kept = closest(input, ".field");
    var keptBox = kept ? kept.querySelector("[data-kept]") : null;
    if (keptBox && input.files && input.files.length) {
      // a new choice replaces the kept file: it is no longer sent
      keptBox.querySelector("[data-kept-id]").disabled = true;
      keptBox.hidden = true;
    }
  }

  // --- refs: a select narrowed by what is typed ---------------------------------------------

  function refInit(box) {
    var select = box.querySelector("select");
    var search = box.querySelector("[data-ref-search]");
    if (!select || !search) return;
    var first = select.options[0] ? select.options[0].cloneNode(true) : null;
    var all = Array.prototype.slice.call(select.options, 1).map(function (o) {
      return { value: o.value, label: o.textContent };
    });
    var status = box.querySelector("[data-ref-status]");
    var timer = null;
    var asked = 0;

    function show(list, query) {
      var chosen = select.value;
      var keep = list.slice();
      if (chosen && !keep.some(function (c) { return c.value === chosen; })) {
        var was = all.filter(function (c) { return c.value === chosen; })[0];
        if (was) keep.unshift(was);
      }
      select.textContent = "";
      if (first) select.appendChild(first.cloneNode(true));
      keep.forEach(function (c) {
        var o = document.createElement("option");
        o.value = c.value;
        o.textContent = c.label;
        select.appendChild(o);
      });
      select.value = chosen;
      if (query && list.length === 1 && select.value !== list[0].value) {
        select.value = list[0].value;
        fire(select, "change");
      }
      select.size = query && list.length > 1 ? Math.min(list.length + 1, 8) : 0;
      if (status) {
        status.textContent = !query ? "" : list.length ? say("found", { n: list.length })
          : say("none_found");
      }
    }

    function local(query) {
      var q = query.toLowerCase();
      return all.filter(function (c) {
        return c.label.toLowerCase().indexOf(q) >= 0 || c.value.toLowerCase() === q;
      });
    }

    function ask(query) {
      var url = box.dataset.choicesUrl;
      if (!url || !query) { show(query ? local(query) : all, query); return; }
      var mine = ++asked;
      if (status) status.textContent = say("loading");
      fetch(url + (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(query),
        { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (body) {
          if (mine !== asked) return;
          var list = Array.isArray(body) ? body : (body.results || body.choices || []);
          list = list.map(function (c) { return { value: String(c.value), label: String(c.label) }; });
          list.forEach(function (c) {
            if (!all.some(function (a) { return a.value === c.value; })) all.push(c);
          });
          show(list, query);
        })
        .catch(function () { if (mine === asked) show(local(query), query); });
    }

    search.addEventListener("input", function () {
      clearTimeout(timer);
      var query = search.value.trim();
      timer = setTimeout(function () { ask(query); }, box.dataset.choicesUrl ? 250 : 0);
    });
    search.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") {
        ev.preventDefault();  // never submits the action from the search box
        if (select.options.length > 1 && !select.value) {
          select.selectedIndex = 1;
          fire(select, "change");
        }
        select.focus();
      } else if (ev.key === "ArrowDown") {
        ev.preventDefault();
        select.focus();
      }
    });
    select.addEventListener("change", function () {
      if (select.value && select.size) select.size = 0;
    });
  }

  // --- tables: the row editor ---------------------------------------------------------------

  var keyCount = 0;
  var TRUE_WORDS = ["是", "√", "✓", "true", "yes", "y", "1", "有", "on"];

  function rowsOf(table) {
    return Array.prototype.slice.call(table.querySelectorAll("tbody[data-rows] > tr[data-row]"));
  }

  function renumber(table) {
    var rows = rowsOf(table);
    var max = +table.dataset.maxRows || 0;
    rows.forEach(function (tr, i) {
      var n = i + 1;
      tr.querySelector("[data-row-number]").textContent = n;
      tr.querySelector("[data-move='-1']").setAttribute("aria-label", say("move_up", { n: n }));
      tr.querySelector("[data-move='1']").setAttribute("aria-label", say("move_down", { n: n }));
      tr.querySelector("[data-remove]").setAttribute("aria-label", say("remove", { n: n }));
      tr.querySelector("[data-move='-1']").disabled = i === 0;
      tr.querySelector("[data-move='1']").disabled = i === rows.length - 1;
    });
    var add = table.querySelector("[data-add-row]");
    if (add) add.disabled = max > 0 && rows.length >= max;
    var count = table.querySelector("[data-row-count]");
    if (count) count.textContent = say("rows", { n: rows.length });
  }

  function addRow(table, focus) {
    var max = +table.dataset.maxRows || 0;
    if (max && rowsOf(table).length >= max) return null;
    var tpl = table.querySelector("template[data-row-template]");
    var key = "n" + (++keyCount);
    var holder = document.createElement("tbody");
    holder.innerHTML = tpl.innerHTML.split("__row__").join(key);
    var tr = holder.querySelector("tr");
    table.querySelector("tbody[data-rows]").appendChild(tr);
    conditionsOf(tr).forEach(applyCondition);
    renumber(table);
    if (focus) {
      var first = tr.querySelector("td[data-col] input, td[data-col] select, td[data-col] textarea");
      if (first) first.focus();
    }
    return tr;
  }

  function blankRow(tr) {
    return Array.prototype.every.call(
      tr.querySelectorAll("td[data-col] input, td[data-col] select, td[data-col] textarea"),
      function (el) { return el.type === "checkbox" ? !el.checked : !el.value.trim(); });
  }

  function clearRow(tr) {
    tr.querySelectorAll("td[data-col] input, td[data-col] select, td[data-col] textarea")
      .forEach(function (el) {
        if (el.type === "checkbox") el.checked = false; else el.value = "";
      });
    tr.querySelectorAll("[data-cell-error]").forEach(function (p) { p.textContent = ""; p.hidden = true; });
  }

  function cellError(td, text) {
    var p = td.querySelector("[data-cell-error]");
    var input = td.querySelector("input, select, textarea");
    if (p) { p.textContent = text || ""; p.hidden = !text; }
    if (input) {
      if (text) {
        input.setAttribute("aria-invalid", "true");
        if (p) input.setAttribute("aria-describedby", p.id);
      } else {
        input.removeAttribute("aria-invalid");
      }
    }
  }

  function normalDate(text, month) {
    var t = text.trim().replace(/[年月/.]/g, "-").replace(/日$/, "").replace(/-$/, "");
    var m = t.match(month ? /^(\d{4})-(\d{1,2})(?:-\d{1,2})?$/ : /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$/);
    if (!m) return null;
    var out = m[1] + "-" + ("0" + m[2]).slice(-2);
    return month ? out : out + "-" + ("0" + m[3]).slice(-2);
  }

  function setCell(td, raw) {
    var el = td.querySelector("input, select, textarea");
    if (!el) return;
    var text = raw == null ? "" : String(raw).trim();
    var problemText = "";
    if (el.type === "checkbox") {
      el.checked = raw === true || TRUE_WORDS.indexOf(text.toLowerCase()) >= 0;
    } else if (el.tagName === "SELECT") {
      var found = Array.prototype.filter.call(el.options, function (o) {
        return o.value && (o.value === text || o.textContent.trim() === text);
      })[0];
      el.value = found ? found.value : "";
      if (text && !found) problemText = say("unknown_choice", { text: text });
    } else if (el.type === "date" || el.type === "month") {
      var day = text ? normalDate(text, el.type === "month") : "";
      el.value = day || "";
      if (text && !day) problemText = say("bad_date", { text: text });
    } else if (el.type === "number") {
      el.value = text.replace(/[,,\s¥元]/g, "");
    } else {
      el.value = text;
    }
    cellError(td, problemText);
    if (!problemText) check(el, true);
  }

  function parseTSV(text) {  // Excel's clipboard: tabs between cells, quotes around breaks
    var rows = [], row = [], cell = "", quoted = false;
    text = text.replace(/\r\n?/g, "\n");
    for (var i = 0; i < text.length; i++) {
      var ch = text[i];
      if (quoted) {
        if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; }
        else if (ch === '"') quoted = false;
        else cell += ch;
      } else if (ch === '"' && cell === "") {
        quoted = true;
      } else if (ch === "\t") {
        row.push(cell); cell = "";
      } else if (ch === "\n") {
        row.push(cell); rows.push(row); row = []; cell = "";
      } else {
        cell += ch;
      }
    }
    if (cell !== "" || row.length) { row.push(cell); rows.push(row); }
    return rows.filter(function (r) { return r.some(function (c) { return c.trim(); }); });
  }

  function headerRow(table, cells) {
    var labels = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.childNodes[0] ? th.childNodes[0].textContent.replace(/\s|\*/g, "") : "";
    });
    var hits = cells.filter(function (c) {
      var t = String(c).replace(/\s|\*/g, "");
      return t && labels.indexOf(t) >= 0;
    });
    return hits.length >= Math.min(2, cells.length);
  }

  function fill(table, grid, startRow, startCol, pasted) {
    var max = +table.dataset.maxRows || 0;
    if (pasted && grid.length && headerRow(table, grid[0])) grid = grid.slice(1);
    var rows = rowsOf(table);
    var filled = 0;
    for (var r = 0; r < grid.length; r++) {
      var tr = rows[startRow + r];
      if (!tr) {
        tr = addRow(table, false);
        if (!tr) {
          status(table, say("row_limit", { max: max }));
          break;
        }
        rows.push(tr);
      }
      var cells = tr.querySelectorAll("td[data-col]");
      for (var c = 0; c < grid[r].length && startCol + c < cells.length; c++) {
        setCell(cells[startCol + c], grid[r][c]);
      }
      filled++;
    }
    refreshConditions(table);
    renumber(table);
    return filled;
  }

  function status(table, text) {
    var box = table.querySelector("[data-status]");
    if (box) box.textContent = text;
  }

  function firstFree(table) {
    var rows = rowsOf(table);
    var last = -1;
    rows.forEach(function (tr, i) { if (!blankRow(tr)) last = i; });
    return last + 1;
  }

  function csrf(table) {
    var form = closest(table, "form");
    var input = form ? form.querySelector("input[name=csrfmiddlewaretoken]") : null;
    return input ? input.value : "";
  }

  function importFile(table, input) {
    var file = input.files && input.files[0];
    if (!file) return;
    var body = new FormData();
    body.append("file", file);
    status(table, say("importing"));
    fetch(table.dataset.importUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(table), Accept: "application/json" },
    }).then(function (r) {
      return r.json().then(function (json) { return { ok: r.ok, json: json }; });
    }).then(function (answer) {
      input.value = "";
      var json = answer.json || {};
      if (!answer.ok) { status(table, say("import_failed", { text: json.detail || "" })); return; }
      rowsOf(table).forEach(function (tr, i) { if (i > 0) tr.remove(); else clearRow(tr); });
      var names = Array.prototype.map.call(table.querySelectorAll("tbody tr[data-row]:first-child td[data-col]"),
        function (td) { return td.dataset.col; });
      var grid = (json.rows || []).map(function (row) {
        return names.map(function (n) { return row[n] === undefined ? "" : row[n]; });
      });
      if (grid.length) fill(table, grid, 0, 0);
      var rows = rowsOf(table);
      var loose = [];
      (json.errors || []).forEach(function (e) {
        var tr = e.row === null || e.row === undefined ? null : rows[e.row];
        var td = tr && e.column ? tr.querySelector('td[data-col="' + e.column + '"]') : null;
        if (td) cellError(td, e.detail); else loose.push(e.detail);
      });
      var text = say("imported", { text: file.name, n: grid.length });
      if ((json.errors || []).length) text += " " + say("import_problems", { n: json.errors.length });
      if (json.detail) text += " " + json.detail;
      if (loose.length) text += " " + loose.join(" ");
      status(table, text);
    }).catch(function (err) {
      input.value = "";
      status(table, say("import_failed", { text: "" }));
      if (window.console) console.error(err);
    });
  }

  function tableClick(table, button) {
    var tr = closest(button, "tr[data-row]");
    if (button.hasAttribute("data-add-row")) {
      addRow(table, true);
    } else if (button.hasAttribute("data-remove") && tr) {
      var rows = rowsOf(table);
      var i = rows.indexOf(tr);
      if (rows.length <= 1) {
        clearRow(tr);
      } else {
        tr.remove();
        var next = rowsOf(table)[Math.min(i, rows.length - 2)];
        if (next) next.querySelector("[data-remove]").focus();
      }
      renumber(table);
    } else if (button.hasAttribute("data-move") && tr) {
      var up = button.dataset.move === "-1";
      var sibling = up ? tr.previousElementSibling : tr.nextElementSibling;
      if (!sibling) return;
      if (up) sibling.before(tr); else sibling.after(tr);
      renumber(table);
      var same = tr.querySelector("[data-move='" + button.dataset.move + "']");
      (same.disabled ? tr.querySelector("[data-move='" + (up ? "1" : "-1") + "']") : same).focus();
    } else if (button.hasAttribute("data-paste-open")) {
      var box = table.querySelector(".paste-box");
      box.hidden = !box.hidden;
      button.setAttribute("aria-expanded", String(!box.hidden));
      if (!box.hidden) box.querySelector("textarea").focus();
    } else if (button.hasAttribute("data-paste-apply")) {
      var area = table.querySelector("[data-paste-text]");
      var grid = parseTSV(area.value);
      var n = fill(table, grid, firstFree(table), 0, true);
      status(table, say("pasted", { n: n }));
      area.value = "";
      table.querySelector(".paste-box").hidden = true;
      table.querySelector("[data-paste-open]").setAttribute("aria-expanded", "false");
    }
  }

  // --- the error list at the top: focus it, and each link goes to its input -----------------

  function goTo(target) {
    var details = closest(target, "details");
    if (details) details.open = true;
    var focusable = target.matches("input, select, textarea") ? target
      : target.querySelector("input:not([type=hidden]), select, textarea, button");
    target.scrollIntoView({ block: "center" });
    if (focusable) focusable.focus({ preventScroll: true });
  }

  // --- wiring: delegated to the document, so rows added later are covered -------------------

  function init() {
    var texts = document.getElementById("field-texts");
    try { T = texts ? JSON.parse(texts.textContent) : {}; } catch (e) { T = {}; }
    document.querySelectorAll("[data-ref-picker]").forEach(refInit);
    document.querySelectorAll("fieldset[data-table]").forEach(renumber);
    conditionsOf(document).forEach(applyCondition);
    document.querySelectorAll("[data-maxlength]").forEach(counter);
    // a kept file stands in for the file input until "重新选择" (without script both show)
    document.querySelectorAll("input[type=file][data-kept-input]").forEach(function (input) {
      input.hidden = true;
    });
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();

    document.addEventListener("input", function (ev) {
      var el = ev.target;
      if (el.matches && el.matches(CHECKED)) {
        el.dataset.touched = "1";
        check(el, false);
      }
      var td = closest(el, "td[data-col]");
      if (td && ev.isTrusted) cellError(td, "");
    });
    document.addEventListener("focusout", function (ev) {
      if (ev.target.matches && ev.target.matches(CHECKED)) check(ev.target, true);
    });
    document.addEventListener("change", function (ev) {
      var el = ev.target;
      if (el.matches && el.matches("input[type=file][data-import]")) {
        importFile(closest(el, "fieldset[data-table]"), el);
        return;
      }
      if (el.matches && el.matches("input[type=file]")) checkFile(el);
      if (el.matches && el.matches(CHECKED)) check(el, true);
      var items = closest(el, "fieldset[data-max-items]");
      if (items) checkItems(items);
      refreshConditions(el);
    });
    document.addEventListener("click", function (ev) {
      var button = closest(ev.target, "button");
      var table = button ? closest(button, "fieldset[data-table]") : null;
      if (table && button.type === "button") {
        ev.preventDefault();
        tableClick(table, button);
        return;
      }
      if (button && button.hasAttribute("data-rechoose")) {
        var field = closest(button, ".field");
        var input = field.querySelector("input[type=file]");
        input.hidden = false;
        input.click();
        return;
      }
      var link = closest(ev.target, "[data-error-summary] a[href^='#']");
      if (link) {
        var target = document.getElementById(link.getAttribute("href").slice(1));
        if (target) { ev.preventDefault(); goTo(target); }
      }
    });
    document.addEventListener("paste", function (ev) {
      var td = closest(ev.target, "td[data-col]");
      var table = td ? closest(td, "fieldset[data-table]") : null;
      if (!table) return;
      var text = (ev.clipboardData || window.clipboardData).getData("text");
      if (!/[\t\n]/.test(text.replace(/\s+$/, ""))) return;  // one value: the usual paste
      ev.preventDefault();
      var tr = closest(td, "tr[data-row]");
      var cols = Array.prototype.slice.call(tr.querySelectorAll("td[data-col]"));
      var n = fill(table, parseTSV(text), rowsOf(table).indexOf(tr), cols.indexOf(td), true);
      status(table, say("pasted", { n: n }));
    });
    document.addEventListener("keydown", function (ev) {
      // Enter in a table cell adds the next row instead of sending the whole action
      var td = closest(ev.target, "td[data-col]");
      if (!td || ev.key !== "Enter" || ev.target.tagName === "TEXTAREA") return;
      ev.preventDefault();
      var table = closest(td, "fieldset[data-table]");
      var tr = closest(td, "tr[data-row]");
      var col = td.dataset.col;
      var next = tr.nextElementSibling || addRow(table, false);
      var cell = next ? next.querySelector('td[data-col="' + col + '"] input, td[data-col="' + col + '"] select') : null;
      if (cell) cell.focus();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

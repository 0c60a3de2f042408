/* The home page: filter the places' reports by year and kind. An enhancement: without
   JavaScript the form stays hidden and every report is listed. The choice is kept in the
   address (?year=2019&kind=government_work_report), so a filtered list can be linked. */
(function () {
  "use strict";
  var form = document.getElementById("browse-filters");
  if (!form) { return; }
  var year = document.getElementById("filter-year");
  var kind = document.getElementById("filter-kind");
  var status = document.getElementById("filter-status");
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };
  var items = document.querySelectorAll(".year-links li[data-kind], .related-documents li[data-kind]");
  var rows = Array.prototype.slice.call(document.querySelectorAll(".browse .place-row")).reverse();
  var groups = document.querySelectorAll(".browse details.place-group");
  var related = document.querySelector(".related-documents");
  var wasOpen = [];
  each(groups, function (g, i) { wasOpen[i] = g.open; });

  var apply = function (announce) {
    var y = year.value, k = kind.value, active = Boolean(y || k), shown = 0, places = 0;
    each(items, function (li) {
      var match = (!y || li.getAttribute("data-year") === y) && (!k || li.getAttribute("data-kind") === k);
      li.hidden = !match;
      if (match) { shown += 1; }
    });
    /* children come after their parents in the page: from the last row up, a row is shown when
       one of its own reports or one of the rows under it is */
    each(rows, function (row) {
      var visible = !active;
      if (active) {
        var line = row.querySelector(":scope > .place-line");
        var own = line ? line.querySelector("li[data-kind]:not([hidden])") : null;
        var child = row.querySelector(":scope > .place-rows > .place-row:not([hidden])");
        visible = Boolean(own || child);
        if (own) { places += 1; }
      }
      row.hidden = !visible;
    });
    each(groups, function (g, i) {
      var any = g.querySelector(".place-row:not([hidden])");
      g.hidden = !any;
      g.open = active ? Boolean(any) : wasOpen[i];
    });
    if (related) { related.hidden = active && !related.querySelector("li[data-kind]:not([hidden])"); }
    if (announce) {
      status.textContent = !active ? "显示全部报告。" : shown ? "找到 " + shown + " 份，分布在 " + places + " 个地区。"
        : "没有符合条件的报告。";
    }
  };

  var params = new URLSearchParams(window.location.search);
  var pick = function (select, value) {
    if (value && Array.prototype.some.call(select.options, function (o) { return o.value === value; })) {
      select.value = value;
    }
  };
  pick(year, params.get("year"));
  pick(kind, params.get("kind"));
  var changed = function () {
    var query = new URLSearchParams();
    if (year.value) { query.set("year", year.value); }
    if (kind.value) { query.set("kind", kind.value); }
    var search = query.toString();
    try {
      window.history.replaceState(null, "", search ? "?" + search : window.location.pathname);
    } catch (e) { /* file:// in some browsers: the filter still works */ }
    apply(true);
  };
  year.addEventListener("change", changed);
  kind.addEventListener("change", changed);
  form.addEventListener("submit", function (event) { event.preventDefault(); changed(); });
  form.hidden = false;
  if (year.value || kind.value) { apply(true); }
}());

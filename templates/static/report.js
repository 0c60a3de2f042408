/* Report pages: highlight the current section in the table of contents, and copy a
   paragraph's or heading's link when its permalink (¶) is activated. Everything here is an
   enhancement: without JavaScript the contents and the permalinks work as plain links. */
(function () {
  "use strict";

  /* ---- the current section in the contents ---- */
  var toc = document.getElementById("page-toc");
  var body = document.getElementById("page-body");
  if (toc && body && "IntersectionObserver" in window) {
    var links = {};
    Array.prototype.forEach.call(toc.querySelectorAll('a[href^="#"]'), function (a) {
      links[decodeURIComponent(a.getAttribute("href").slice(1))] = a;
    });
    var headings = Array.prototype.filter.call(
      body.querySelectorAll("h2[id], h3[id], h4[id], h5[id], h6[id]"),
      function (h) { return links[h.id]; });
    var current = null;
    var update = function () {
      var line = window.innerHeight * 0.3, found = null;
      for (var i = 0; i < headings.length; i++) {
        if (headings[i].getBoundingClientRect().top <= line) { found = headings[i]; } else { break; }
      }
      var link = found ? links[found.id] : null;
      if (link === current) { return; }
      if (current) { current.removeAttribute("aria-current"); }
      if (link) { link.setAttribute("aria-current", "location"); }
      current = link;
    };
    var observer = new IntersectionObserver(update, { rootMargin: "0px 0px -70% 0px" });
    headings.forEach(function (h) { observer.observe(h); });
    window.addEventListener("hashchange", update);
    update();
  }

  /* ---- copy link to this paragraph ---- */
  var status = document.getElementById("copy-status");
  var timer = null;
  function say(text) {
    if (!status) { return; }
    status.textContent = text;
    clearTimeout(timer);
    timer = setTimeout(function () { status.textContent = ""; }, 2500);
  }
  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.top = "0";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.permalink") : null;
    if (!link) { return; }
    /* The link still does what a link does (the address bar shows the paragraph's URL);
       copying is a bonus. */
    var url = link.href;
    var done = function () { say("已复制本段链接"); };
    var failed = function () { say(fallbackCopy(url) ? "已复制本段链接" : "链接已显示在地址栏"); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(done, failed);
    } else {
      failed();
    }
  });
  Array.prototype.forEach.call(document.querySelectorAll("a.permalink"), function (a) {
    a.title = "本段链接（点击复制）";
  });
})();

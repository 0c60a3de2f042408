/* The search box of every page: full-text search over Pagefind's index (pagefind/, made by
   `builder build`).  Each result is a report (title, place, year) with the paragraphs that
   match, each linking to its anchor (reports/<slug>.html#s2-3-p4).

   Glossary terms: the build gives every paragraph where the glossary found a term one extra
   index word made from the term (builder/text/searchword.py).  The query is first turned into
   that word here (same recipe: NFKC, lower case, letters and digits only, each code point as
   five letters a-p, "zq" before and "z" after), so 放管服, “放管服” and 双随机一公开 /
   双随机、一公开 find exactly the paragraphs the glossary links, and an alias finds its entry's
   paragraphs; the glossary entry comes first.  Any other query goes to Pagefind as a phrase,
   then (nothing found) as separate words.

   Pagefind's URLs start at the site root ("/reports/…"); they are made relative to this
   page (data-root), so search works at a domain root, under a sub-path and in `builder serve`.
   Opened from disk (file://) the browser will not load the index: the box says so. */
(function () {
  "use strict";

  var form = document.getElementById("site-search");
  if (!form) { return; }
  var input = document.getElementById("site-search-input");
  var note = document.getElementById("site-search-note");
  var panel = document.getElementById("site-search-results");
  var statusLine = document.getElementById("site-search-status");
  var filtersBox = document.getElementById("site-search-filters");
  var list = document.getElementById("site-search-list");
  var more = document.getElementById("site-search-more");
  var root = form.getAttribute("data-root") || "";
  var FILTERS = ["年份", "地区", "层级", "类别", "发布机关"];
  var PAGE_SIZE = 10, PARAGRAPHS_SHOWN = 3;
  var BLOCKS = /^(p|h[1-6]|li|dd|dt|div|blockquote|td|th)$/;
  var INDEX_WORD = /^zq[a-p]+z\.?$/;
  var pagefind = null, loading = null, filterValues = null;
  var results = [], shown = 0, run = 0, timer = null;

  function say(text) { note.textContent = text; note.hidden = !text; }

  if (location.protocol === "file:") {
    var fileNote = "从本地文件打开时无法搜索：请用 builder serve 预览，或在已发布的网站上搜索。";
    var tell = function (event) { if (event.type === "submit") { event.preventDefault(); } say(fileNote); };
    input.addEventListener("focus", tell);
    input.addEventListener("input", tell);
    form.addEventListener("submit", tell);
    return;
  }

  /* ---- the index word of a glossary term (as builder/text/searchword.py makes it) ---- */
  function indexWord(text) {
    var kept = Array.from(text.normalize("NFKC").toLowerCase()).filter(function (c) {
      return /[\p{L}\p{N}]/u.test(c);
    });
    if (!kept.length) { return ""; }
    return "zq" + kept.map(function (c) {
      return ("00000" + c.codePointAt(0).toString(16)).slice(-5).replace(/[0-9a-f]/g, function (d) {
        return "abcdefghijklmnop".charAt(parseInt(d, 16));
      });
    }).join("") + "z";
  }

  function load() {
    if (!loading) {
      var url = new URL(root + "pagefind/pagefind.js", document.baseURI).href;
      loading = import(url).then(function (module) {
        pagefind = module;
        return module.options({ baseUrl: "/" });  // URLs from the site's root, made relative below
      }).then(function () {
        return pagefind.filters();
      }).then(function (values) {
        filterValues = values || {};
        buildFilters();
        return pagefind;
      });
      loading.catch(function () {
        say("搜索索引无法加载（" + root + "pagefind/）：请运行 builder build 生成索引后再试。");
      });
    }
    return loading;
  }

  /* ---- filters: a select for each; 地区 lists provinces with their cities and counties under them ---- */
  function buildFilters() {
    filtersBox.textContent = "";
    FILTERS.forEach(function (name) {
      var counts = filterValues[name];
      if (!counts || !Object.keys(counts).length) { return; }
      var id = "site-search-filter-" + FILTERS.indexOf(name);
      var label = document.createElement("label");
      label.setAttribute("for", id);
      label.textContent = name;
      var select = document.createElement("select");
      select.id = id;
      select.setAttribute("data-filter", name);
      select.appendChild(new Option("全部", ""));
      var values = Object.keys(counts).sort(name === "年份" ? function (a, b) { return b.localeCompare(a); }
                                                          : function (a, b) { return a.localeCompare(b, "zh-CN"); });
      values.forEach(function (value) {
        var parts = value.split(" › ");
        var text = name === "地区" ? "\u3000".repeat(parts.length - 1) + parts[parts.length - 1] : value;
        select.appendChild(new Option(text + "（" + counts[value] + "）", value));
      });
      select.addEventListener("change", function () { search(true); });
      var wrap = document.createElement("span");
      wrap.className = "search-filter";
      wrap.appendChild(label);
      wrap.appendChild(select);
      filtersBox.appendChild(wrap);
    });
  }

  function chosenFilters() {
    var chosen = {};
    Array.prototype.forEach.call(filtersBox.querySelectorAll("select"), function (select) {
      if (select.value) { chosen[select.getAttribute("data-filter")] = select.value; }
    });
    return chosen;
  }

  /* ---- searching ---- */
  function search(now) {
    var query = input.value.trim();
    clearTimeout(timer);
    if (!query) { panel.hidden = true; return; }
    if (!now) { timer = setTimeout(function () { search(true); }, 250); return; }
    var mine = ++run;
    panel.hidden = false;
    statusLine.textContent = "正在搜索……";
    load().then(function () {
      return find(query, chosenFilters());
    }).then(function (found) {
      if (mine !== run) { return; }
      results = found.results;
      results.phrase = found.phrase;
      results.term = !!found.term;
      shown = 0;
      list.textContent = "";
      statusLine.textContent = results.length
        ? "“" + query + "”：" + results.length + " 个页面" + (found.term ? "（名词解释的词条和用到它的段落）" : "")
        : "没有找到“" + query + "”。";
      return showMore();
    }).catch(function (error) {
      if (mine !== run) { return; }
      statusLine.textContent = "搜索出错：" + (error && error.message ? error.message : error);
    });
  }

  function find(query, filters) {
    var word = indexWord(query);
    var options = { filters: filters };
    var asTerm = word ? Promise.all([  // the glossary's entry first, then the reports
      pagefind.search(word, { filters: withPage(filters, "名词解释") }),
      pagefind.search(word, { filters: withPage(filters, "报告") })
    ]) : Promise.resolve([{ results: [] }, { results: [] }]);
    return asTerm.then(function (found) {
      var both = found[0].results.concat(found[1].results);
      if (both.length) { return { results: both, phrase: query, term: true }; }
      var single = !/\s/.test(query) && query.indexOf('"') < 0;
      return pagefind.search(single ? '"' + query + '"' : query, options).then(function (exact) {
        if (exact && exact.results.length) { return { results: exact.results, phrase: single ? query : null }; }
        return pagefind.search(query, options).then(function (loose) {
          return { results: loose ? loose.results : [], phrase: null };
        });
      });
    });
  }

  function withPage(filters, page) {
    var copy = { 页面: page };
    Object.keys(filters).forEach(function (name) { copy[name] = filters[name]; });
    return copy;
  }

  function showMore() {
    var batch = results.slice(shown, shown + PAGE_SIZE);
    shown += batch.length;
    more.hidden = shown >= results.length;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (pages) {
      pages.forEach(function (data) { list.appendChild(resultItem(data, results.phrase, results.term)); });
    });
  }

  /* ---- a result: title, place and year, and the matching paragraphs with their anchors ---- */
  function href(url) { return root + String(url).replace(/^\//, ""); }

  function resultItem(data, phrase, term) {
    var item = document.createElement("li");
    item.className = "search-result";
    var isGlossary = /^\/?glossary\//.test(data.url);
    var paragraphs = matchingBlocks(data);
    if (phrase && !term) {  // a phrase: the blocks where its words stand together (a term's blocks are exact)
      var pattern = phrasePattern(phrase);
      var together = paragraphs.filter(function (b) { pattern.lastIndex = 0; return pattern.test(textOf(b, []).text); });
      if (together.length) { paragraphs = together; } else { phrase = null; }
    }
    var title = document.createElement("a");
    var heading = document.createElement("p");
    heading.className = "search-result-title";
    title.textContent = (data.meta && data.meta.title) || data.url;
    if (isGlossary && paragraphs.length && paragraphs[0].id) {
      title.textContent += "：" + paragraphs[0].heading;
      title.href = href(data.url.split("#")[0]) + "#" + encodeURIComponent(paragraphs[0].id);
    } else {
      title.href = href(data.url);
    }
    heading.appendChild(title);
    item.appendChild(heading);
    var where = [data.meta && data.meta.place, data.meta && data.meta.year ? data.meta.year + "年" : ""]
      .filter(Boolean).join(" · ");
    if (where) {
      var meta = document.createElement("p");
      meta.className = "search-result-meta";
      meta.textContent = where;
      item.appendChild(meta);
    }
    var ol = document.createElement("ol");
    ol.className = "search-paragraphs";
    paragraphs.slice(0, isGlossary ? 1 : PARAGRAPHS_SHOWN).forEach(function (block) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = href(data.url.split("#")[0]) + (block.id ? "#" + encodeURIComponent(block.id) : "");
      a.className = "search-paragraph";
      highlight(a, block, phrase);
      li.appendChild(a);
      ol.appendChild(li);
    });
    if (ol.childNodes.length) { item.appendChild(ol); }
    var rest = paragraphs.length - PARAGRAPHS_SHOWN;
    if (!isGlossary && rest > 0) {
      var also = document.createElement("p");
      also.className = "search-result-more";
      also.textContent = "本页另有 " + rest + " 段匹配";
      item.appendChild(also);
    }
    return item;
  }

  /* The blocks (paragraphs, headings, glossary entries) that hold the matched words, in order
     of the page, each with its text taken from the page's indexed content (word positions are
     Pagefind's: the content's words, split at spaces and zero-width spaces). */
  function matchingBlocks(data) {
    var content = data.raw_content || data.content || "";  // raw: with the zero-width spaces between words
    var words = [], re = /[^\s\u200b]+/g, m;
    while ((m = re.exec(content))) { words.push([m.index, m.index + m[0].length, m[0]]); }
    var blocks = (data.anchors || []).filter(function (a) { return BLOCKS.test(a.element) && a.id; });
    blocks.sort(function (a, b) { return a.location - b.location; });  // stable: an inner block after its container
    var found = [], byId = {};
    (data.locations || []).slice().sort(function (a, b) { return a - b; }).forEach(function (at) {
      var block = null, end = words.length;
      blocks.forEach(function (candidate) { if (candidate.location <= at) { block = candidate; } });
      for (var i = 0; i < blocks.length; i++) {  // it ends where the next block starts
        if (blocks[i].location > (block ? block.location : -1)) { end = blocks[i].location; break; }
      }
      var key = block ? block.id : "";
      if (!byId[key]) {
        byId[key] = { id: key, start: block ? block.location : 0, end: end, hits: [], words: words,
                      content: content, entry: !!block && block.element === "div" };
        found.push(byId[key]);
      }
      byId[key].hits.push(at);
    });
    found.forEach(function (b) {  // a glossary entry is named by its first word, the term
      b.heading = b.entry ? (textOf(b, []).text.split(/\s/)[0] || "") : "";
    });
    return found;
  }

  /* The block's text (index words and ¶ left out) and the character ranges of its matched words. */
  function textOf(block, hits) {
    var text = "", marks = [];
    for (var i = block.start; i < Math.min(block.end, block.words.length); i++) {
      var w = block.words[i];
      if (INDEX_WORD.test(w[2]) || w[2] === "¶") { continue; }
      if (!text && w[2] === ".") { continue; }  // the full stop Pagefind puts after the index words
      var gap = block.content.slice(i > block.start ? block.words[i - 1][1] : w[0], w[0]);
      if (text && /\s/.test(gap.replace(/\u200b/g, "")) && !mixed(text.slice(-1), w[2].charAt(0))) { text += " "; }
      if (hits.indexOf(i) >= 0) { marks.push([text.length, text.length + w[2].length]); }
      text += w[2];
    }
    return { text: text.replace(/[\s.]*$/, ""), marks: marks };  // and after a block
  }

  /* A phrase or term as written in a paragraph: its letters and digits, with spaces or
     punctuation between them allowed (双随机一公开 finds 双随机、一公开). */
  function phrasePattern(phrase) {
    var chars = Array.from(phrase.normalize("NFKC")).filter(function (c) { return /[\p{L}\p{N}]/u.test(c); });
    return new RegExp(chars.map(function (c) { return c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); })
      .join("[\\s\\p{P}]{0,2}") || "(?!)", "giu");
  }

  /* Pagefind puts a space around some inline elements (the figures' <data>): 新增 43.2万户 is
     新增43.2万户 on the page.  A space between Chinese and a Latin letter or digit is left out;
     one between two Chinese blocks (a term and its definition) or in English text is kept. */
  function mixed(before, after) {
    var han = /[\u3000-\u9fff\uff00-\uffef]/, latin = /[A-Za-z0-9%.]/;
    return (han.test(before) && latin.test(after)) || (latin.test(before) && han.test(after));
  }

  function highlight(element, block, phrase) {
    var got = textOf(block, block.hits);
    var text = got.text, marks = got.marks;
    if (phrase) {
      marks = [];
      var pattern = phrasePattern(phrase), m;
      while ((m = pattern.exec(text))) { marks.push([m.index, m.index + m[0].length]); }
    }
    var cut = clip(text, marks);
    var at = cut.start;
    cut.marks.forEach(function (range) {
      element.appendChild(document.createTextNode(text.slice(at, range[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(range[0], range[1]);
      element.appendChild(mark);
      at = range[1];
    });
    element.appendChild(document.createTextNode(text.slice(at, cut.end) + (cut.end < text.length ? "……" : "")));
    if (cut.start > 0) { element.insertBefore(document.createTextNode("……"), element.firstChild); }
  }

  /* At most about 160 characters around the first match. */
  function clip(text, marks) {
    var limit = 160;
    if (text.length <= limit) { return { start: 0, end: text.length, marks: marks }; }
    var first = marks.length ? marks[0][0] : 0;
    var start = Math.max(0, Math.min(first - 40, text.length - limit));
    var end = Math.min(text.length, start + limit);
    return { start: start, end: end, marks: marks.filter(function (r) { return r[0] >= start && r[1] <= end; }) };
  }

  /* ---- wiring ---- */
  input.addEventListener("input", function () { search(false); });
  form.addEventListener("submit", function (event) { event.preventDefault(); search(true); });
  more.addEventListener("click", function () { showMore(); });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { input.value = ""; search(true); }
  });
  document.getElementById("site-search-close").addEventListener("click", function () {
    panel.hidden = true;
    input.focus();
  });
})();

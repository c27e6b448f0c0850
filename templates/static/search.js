/* Podium search: Pagefind's API, one result per paragraph. The index comes in parts (a
   year's documents each), merged here into one search. */
(async function () {
  "use strict";
  var box = document.getElementById("search"), root = box.getAttribute("data-root");
  var form = box.querySelector("form"), status = document.getElementById("status");
  var list = document.getElementById("results");
  var parts = box.getAttribute("data-parts").split(" ").filter(Boolean);
  if (!parts.length) { status.textContent = "There are no transcripts to search yet."; return; }
  var bundle = function (part) { return new URL(root + "pagefind/" + part + "/", location.href).href; };
  var pagefind;
  try {  /* Pagefind takes a merged bundle's path from its own folder: give it whole */
    pagefind = await import(bundle(parts[0]) + "pagefind.js");
    /* all at once, not one round trip after another; each is taken in in the order called */
    await Promise.all(parts.slice(1).map(function (part) { return pagefind.mergeIndex(bundle(part)); }));
  }
  catch (e) { status.textContent = "The search index is not available here (open the site through a web server)."; return; }
  form.hidden = false;
  var params = new URLSearchParams(location.search);
  ["q", "speaker", "year"].forEach(function (k) { if (params.get(k)) form.elements[k].value = params.get(k); });
  async function run() {
    var q = form.elements.q.value.trim(), filters = {};
    if (form.elements.speaker.value) filters.speaker = form.elements.speaker.value;
    if (form.elements.year.value) filters.year = form.elements.year.value;
    list.innerHTML = "";
    if (!q) { status.textContent = ""; return; }
    var search = await pagefind.search(q, { filters: filters });
    status.textContent = search.results.length + " paragraphs found";
    var data = await Promise.all(search.results.slice(0, 30).map(function (r) { return r.data(); }));
    data.forEach(function (d) {
      var li = document.createElement("li"), a = document.createElement("a"), p = document.createElement("p");
      a.href = root + d.meta.permalink; a.textContent = d.meta.title;
      excerpt(d.excerpt, p);
      li.appendChild(a);
      if (d.meta.speaker) { var s = document.createElement("span"); s.className = "meta"; s.textContent = " " + d.meta.speaker; li.appendChild(s); }
      li.appendChild(p); list.appendChild(li);
    });
  }
  function excerpt(html, into) { /* only text and <mark> survive: transcripts are not trusted */
    var parsed = new DOMParser().parseFromString(html, "text/html").body.childNodes;
    parsed.forEach(function (node) {
      if (node.nodeName === "MARK") { var m = document.createElement("mark"); m.textContent = node.textContent; into.appendChild(m); }
      else into.appendChild(document.createTextNode(node.textContent));
    });
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var next = new URLSearchParams(new FormData(form));
    history.replaceState(null, "", "?" + next.toString());
    run();
  });
  run();
})();

/* Podium search: Pagefind's API, one result per paragraph. */
(async function () {
  "use strict";
  var box = document.getElementById("search"), root = box.getAttribute("data-root");
  var form = box.querySelector("form"), status = document.getElementById("status");
  var list = document.getElementById("results");
  var pagefind;
  try { pagefind = await import(root + "pagefind/pagefind.js"); }
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

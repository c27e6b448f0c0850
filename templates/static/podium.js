/* Podium: small enhancements. Every page works without this file. */
(function () {
  "use strict";
  document.querySelectorAll("button.copy-text").forEach(function (b) { b.hidden = !navigator.clipboard; });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.copy-text");
    if (button) {
      navigator.clipboard.writeText(button.parentNode.nextElementSibling.textContent).then(function () {
        button.textContent = "copied";
        setTimeout(function () { button.textContent = "copy"; }, 2000);
      });
      return;
    }
    var link = event.target.closest && event.target.closest("a.copy");
    if (!link || !navigator.clipboard) return;
    var url = link.getAttribute("data-copy");
    if (!/^https?:/.test(url)) url = new URL(link.getAttribute("href"), location.href).href;
    event.preventDefault();
    navigator.clipboard.writeText(url).then(function () {
      link.textContent = "link copied";
      setTimeout(function () { link.textContent = "copy link"; }, 2000);
    });
  });

  var box = document.getElementById("shortlink");
  if (!box) return;
  var match = /^#?([a-z2-7]{10}(?:-\d+)?)(?:\.([0-9a-f]{8}))?$/.exec(location.hash);
  function say(html) { box.innerHTML = html; }
  function text(value) { var p = document.createElement("p"); p.textContent = value; return p; }
  if (!match) { say("<p>This link does not name a paragraph.</p>"); return; }
  var id = match[1], fingerprint = match[2], root = box.getAttribute("data-root");
  window.podiumShard = function (shard) {
    var entry = shard[id];
    if (!entry) { say("<p>No paragraph has ever had this link.</p>"); return; }
    if (!entry.u) { say("<p>This paragraph’s transcript has been removed from the site.</p>"); return; }
    var target = root + entry.u;
    var changed = fingerprint && fingerprint !== entry.f;
    if (!changed && entry.s === "current") { location.replace(target); return; }
    box.innerHTML = "";
    if (entry.s !== "current") box.appendChild(text("The paragraph this link was made for was " + entry.s + (entry.d ? " in the revision of " + entry.d : "") + "."));
    if (changed) {
      box.appendChild(text("The paragraph has changed since this link was made."));
      if (entry.h && entry.h[fingerprint]) {
        var quote = document.createElement("blockquote");
        quote.textContent = entry.h[fingerprint];
        box.appendChild(text("Its wording at the time:"));
        box.appendChild(quote);
      }
    }
    var go = document.createElement("p"), a = document.createElement("a");
    a.href = target; a.textContent = "Go to the paragraph as it is now (¶ " + entry.n + ")";
    go.appendChild(a); box.appendChild(go);
  };
  var script = document.createElement("script");
  script.src = root + "p/map/" + id.slice(0, 2) + ".js";
  script.onerror = function () { say("<p>No paragraph has ever had this link.</p>"); };
  document.head.appendChild(script);
})();

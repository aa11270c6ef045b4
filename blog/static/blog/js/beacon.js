// One view of this article, reported once the page is really shown: a prerendered page waits
// until the reader opens it, and a prefetched one never runs scripts. Nothing is sent but an
// empty POST to the article's own /view/ address (blog/stats.py says what is kept: a count).
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.getAttribute("data-count-url");
  if (!url) {
    return;
  }
  function report() {
    if (navigator.sendBeacon && navigator.sendBeacon(url)) {
      return;
    }
    if (window.fetch) {
      fetch(url, { method: "POST", keepalive: true, credentials: "omit" }).catch(function () {});
    }
  }
  if (document.prerendering) {
    document.addEventListener("prerenderingchange", report, { once: true });
  } else {
    report();
  }
})();

/*! Tributary tracking snippet: <script src="https://YOUR-TRIBUTARY/t.js" data-program="PROGRAM-SLUG" async></script> */
((w, d) => {
  var script = d.currentScript;
  if (!script || w.Tributary) return;
  var api = new URL(script.src).origin;
  var param = script.getAttribute("data-param") || "tb_click";
  var CLICK = "tributary_click";
  var TOUCH = "tributary_touch";
  var MAX_TOUCHES = 10;

  function read(name) {
    var m = d.cookie.match(new RegExp(`(?:^|; )${name}=([^;]*)`));
    return m ? decodeURIComponent(m[1]) : null;
  }
  // The cookies live on the whole site (acme.example for www.acme.example), so that the signup form on
  // app.acme.example sees a click that landed on www. The site is the shortest parent domain the browser accepts a
  // cookie for (only the browser knows the public suffixes, like co.uk); data-cookie-domain names it instead. An IP
  // address or a one-label host (localhost) keeps host-only cookies.
  var site;
  function siteDomain() {
    if (site !== undefined) return site;
    site = script.getAttribute("data-cookie-domain") || "";
    var host = location.hostname;
    var labels = host.split(".");
    var i;
    var domain;
    if (site || labels.length < 2 || /^[\d.]+$|:/.test(host)) return site;
    for (i = labels.length - 2; i >= 0 && !site; i--) {
      domain = labels.slice(i).join(".");
      d.cookie = `tributary_probe=1; Domain=${domain}; Path=/; SameSite=Lax`;
      if (read("tributary_probe")) {
        d.cookie = `tributary_probe=; Max-Age=0; Domain=${domain}; Path=/`;
        site = domain;
      }
    }
    return site;
  }
  function write(name, value, days) {
    var domain = siteDomain();
    // A host-only copy (written before the site was known) would shadow the site's cookie on this host.
    if (domain) d.cookie = `${name}=; Max-Age=0; Path=/`;
    d.cookie =
      name +
      "=" +
      encodeURIComponent(value) +
      "; Max-Age=" +
      Math.round(days * 86400) +
      "; Path=/; SameSite=Lax" +
      (domain ? `; Domain=${domain}` : "") +
      (location.protocol === "https:" ? "; Secure" : "");
  }
  function touches() {
    var v = read(TOUCH);
    return v ? v.split("~") : [];
  }
  function remember(clickId, days) {
    write(CLICK, clickId, days);
    var list = touches().filter((t) => t !== clickId);
    list.push(clickId);
    write(TOUCH, list.slice(-MAX_TOUCHES).join("~"), days);
  }
  // text/plain keeps this a "simple" cross-origin request: no preflight, and the server checks the Origin.
  function post(body) {
    return fetch(`${api}/v1/track/click`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify(body),
      credentials: "omit",
      keepalive: true,
    }).then((r) => (r.ok ? r.json() : null));
  }

  // A click the snippet records itself (?via=<slug>), with the page's sub-ids as /r/<slug>?sub1=… has them.
  function viaClick() {
    var click = { slug: via, current: read(CLICK), referrer: d.referrer };
    ["sub1", "sub2", "sub3", "sub4", "sub5"].forEach((key) => {
      if (query.get(key) !== null) click[key] = query.get(key);
    });
    return click;
  }

  var query = new URLSearchParams(location.search);
  var incoming = query.get(param);
  var via = query.get("via");
  var ready = Promise.resolve(null);
  if (incoming || via) {
    ready = post(incoming ? { clickId: incoming } : viaClick())
      .then((res) => {
        if (res?.clickId) remember(res.clickId, res.windowDays);
        return res?.clickId;
      })
      .catch(() => null);
  }

  w.Tributary = {
    /** The visitor's latest click id, for signup forms and server-side conversion calls. */
    clickId: () => read(CLICK),
    /** Every click id the visitor collected (newest last), for multi-touch attribution. */
    touchpoints: () => touches(),
    /** Resolves once a click from this page view is recorded. */
    ready: ready,
  };
})(window, document);

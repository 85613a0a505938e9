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

  // A click the snippet records itself (?via=<slug>), with the page's sub-ids as /r/<slug>?sub1=… has them, and
  // the name (never the value) of the ad network's click id the page was opened with: a paid ad straight to ?via=.
  // The same names, in the same order, as the redirect reads (src/domain/tracking/ad-click.ts).
  function viaClick() {
    // The page it landed on, without its query (which may hold a visitor's email or a token).
    var click = { slug: via, current: read(CLICK), referrer: d.referrer, page: location.origin + location.pathname };
    ["sub1", "sub2", "sub3", "sub4", "sub5"].forEach((key) => {
      if (query.get(key) !== null) click[key] = query.get(key);
    });
    click.adClick = ["gclid", "msclkid", "gbraid", "wbraid", "gad_source", "dclid", "yclid"].find((key) =>
      query.get(key),
    );
    return click;
  }

  // data-consent="required": nothing is stored or sent (no cookie, no click) until the site's consent banner calls
  // Tributary.consent(), or sets window.tributaryConsent = true before this runs. Tributary.consent(false)
  // withdraws it and deletes the cookies.
  var allowed = script.getAttribute("data-consent") !== "required" || w.tributaryConsent === true;
  var grant;
  var granted = new Promise((resolve) => {
    grant = resolve;
  });
  if (allowed) grant();
  // Deleted on the host and on every parent domain: finding the site's domain would write a probe cookie.
  function forget() {
    var labels = location.hostname.split(".");
    [CLICK, TOUCH].forEach((name) => {
      d.cookie = `${name}=; Max-Age=0; Path=/`;
      labels.forEach((_, i) => {
        d.cookie = `${name}=; Max-Age=0; Path=/; Domain=${labels.slice(i).join(".")}`;
      });
    });
  }

  var query = new URLSearchParams(location.search);
  var incoming = query.get(param);
  var via = query.get("via");
  var ready = Promise.resolve(null);
  // A page the browser prerenders (speculation rules, the address bar guessing) runs this before anyone sees it,
  // maybe never: the click is posted once the page is shown.
  function shown() {
    return d.prerendering
      ? new Promise((resolve) => d.addEventListener("prerenderingchange", resolve, { once: true }))
      : Promise.resolve();
  }
  if (incoming || via) {
    ready = Promise.all([shown(), granted])
      .then(() => post(incoming ? { clickId: incoming } : viaClick()))
      .then((res) => {
        if (res?.clickId) remember(res.clickId, res.windowDays);
        return res?.clickId;
      })
      .catch(() => null);
  }

  // <form data-tributary> (or data-tributary="field_name") gets a hidden tributary_click_id field with the click id,
  // for sign-up forms posted to a backend. Filled when the page is ready, when the click is recorded, and as any such
  // form is submitted (forms a single-page app renders later; capture runs before the app's own submit handler).
  function fill(form) {
    var id = w.Tributary.clickId();
    var name = form.getAttribute("data-tributary") || "tributary_click_id";
    var input = form.elements.namedItem(name);
    if (!id) return;
    if (!input) {
      input = d.createElement("input");
      input.type = "hidden";
      input.name = name;
      form.appendChild(input);
    }
    input.value = id;
  }
  function fillAll() {
    d.querySelectorAll("form[data-tributary]").forEach(fill);
  }
  d.addEventListener(
    "submit",
    (e) => {
      if (e.target.matches?.("form[data-tributary]")) fill(e.target);
    },
    true,
  );
  if (d.readyState === "loading") d.addEventListener("DOMContentLoaded", fillAll);
  else setTimeout(fillAll);
  ready.then(fillAll);

  w.Tributary = {
    /** The visitor's latest click id, for signup forms and server-side conversion calls (without consent: this page's). */
    clickId: () => (allowed ? read(CLICK) : incoming),
    /** Every click id the visitor collected (newest last), for multi-touch attribution. */
    touchpoints: () => (allowed ? touches() : incoming ? [incoming] : []),
    /** Resolves once a click from this page view is recorded (with data-consent="required", after consent). */
    ready: ready,
    /** The visitor's answer to the site's consent banner: true (or nothing) allows tracking, false withdraws it. */
    consent: (yes) => {
      allowed = yes !== false;
      if (allowed) grant();
      else forget();
    },
  };
})(window, document);

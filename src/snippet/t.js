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
  function write(name, value, days) {
    d.cookie =
      name +
      "=" +
      encodeURIComponent(value) +
      "; Max-Age=" +
      Math.round(days * 86400) +
      "; Path=/; SameSite=Lax" +
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

  var query = new URLSearchParams(location.search);
  var incoming = query.get(param);
  var via = query.get("via");
  var ready = Promise.resolve(null);
  if (incoming || via) {
    ready = post(incoming ? { clickId: incoming } : { slug: via, current: read(CLICK), referrer: d.referrer })
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

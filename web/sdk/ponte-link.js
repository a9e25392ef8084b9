/*! ponte-link.js 1.1.0 · Apache-2.0 · opens Ponte's hosted widget from an integrator's page.
 *
 *   <script src="https://<your Ponte>/ponte-link.js"></script>
 *   const link = PonteLink.create({
 *     token: linkToken,                 // from POST /data/v1/links (your backend)
 *     onSuccess(metadata) {},           // the end user connected an account and finished
 *     onExit(metadata) {},              // they left, or finished without connecting
 *     onEvent(name, metadata) {},       // every step, see PonteLink.EVENTS
 *     locale: 'pt-BR',                  // or 'en'; default: the browser's languages
 *     mode: 'modal',                    // or 'redirect' (webviews): the whole page goes to linkUrl
 *   });
 *   link.open();  …  link.destroy();
 *
 * Modal mode frames the widget; the client must allow this page's origin
 * (`ponte clients update --frame-origins …`). Messages are accepted only from
 * Ponte's origin and that frame, and the widget sends them only to the
 * origin that opened it. Banks refuse to be framed: at the hand-off the
 * widget opens the bank in a popup and the modal waits for the outcome; if
 * the browser blocks the popup, this page is sent to the link instead (a
 * full-page hand-off) and the end user comes back to the link's redirectUrl.
 */
(function (global) {
  'use strict';

  var VERSION = '1.1.0';
  var EVENTS = [
    'OPEN', 'INSTITUTION_SELECTED', 'CONSENT_CREATED', 'HANDED_OFF', 'RETURNED',
    'AUTHORISED', 'REJECTED', 'EXIT', 'ERROR',
  ];
  // Ponte is wherever this script came from.
  var script = global.document && global.document.currentScript;
  var PONTE = new URL(script && script.src ? script.src : global.location.href).origin;

  function call(fn) {
    if (typeof fn !== 'function') return;
    try {
      fn.apply(null, Array.prototype.slice.call(arguments, 1));
    } catch (e) {
      // An integrator's callback that throws must not break the widget.
      setTimeout(function () { throw e; });
    }
  }

  function create(options) {
    if (!options || typeof options.token !== 'string' || !options.token) {
      throw new TypeError('PonteLink.create: `token` (the link token) is required');
    }
    var mode = options.mode === 'redirect' ? 'redirect' : 'modal';
    var overlay = null;
    var frame = null;
    var finished = false;

    function widgetUrl() {
      var url = new URL('/link', PONTE);
      url.searchParams.set('v', options.token);
      if (options.locale) url.searchParams.set('locale', options.locale);
      if (mode === 'modal') url.searchParams.set('embed', global.location.origin);
      return url.toString();
    }

    function onMessage(e) {
      if (e.origin !== PONTE || !frame || e.source !== frame.contentWindow) return;
      var data = e.data;
      if (!data || data.source !== 'ponte-link' || typeof data.event !== 'string') return;
      if (data.event === 'NAVIGATE') {
        // The widget could not open the bank in a popup: the whole page goes
        // to the link instead (the bank returns to the link's redirectUrl).
        var to = null;
        try {
          to = new URL(String(data.url));
        } catch (err) {
          return;
        }
        if (to.origin !== PONTE) return;
        finished = true;
        destroy();
        global.location.assign(to.toString());
        return;
      }
      var metadata = data.metadata || {};
      if (EVENTS.indexOf(data.event) !== -1) call(options.onEvent, data.event, metadata);
      if (data.event === 'FINISH' || data.event === 'EXIT') {
        if (finished) return;
        finished = true;
        destroy();
        if (data.event === 'FINISH' && metadata.status === 'AUTHORISED') call(options.onSuccess, metadata);
        else call(options.onExit, metadata);
      }
    }

    function open() {
      if (mode === 'redirect') {
        global.location.assign(widgetUrl());
        return;
      }
      if (overlay) return;
      finished = false;
      overlay = global.document.createElement('div');
      overlay.setAttribute('data-ponte-link', VERSION);
      overlay.style.cssText = 'position:fixed;inset:0;z-index:2147483647;background:rgba(17,24,39,.55);display:flex;align-items:center;justify-content:center';
      frame = global.document.createElement('iframe');
      frame.title = 'Ponte';
      frame.src = widgetUrl();
      frame.allow = 'clipboard-write';
      frame.style.cssText = 'border:0;background:#fff;width:100%;height:100%;max-width:420px;max-height:720px;border-radius:12px';
      overlay.appendChild(frame);
      global.addEventListener('message', onMessage);
      global.document.body.appendChild(overlay);
      frame.focus();
    }

    function destroy() {
      global.removeEventListener('message', onMessage);
      if (overlay && overlay.parentNode) overlay.parentNode.removeChild(overlay);
      overlay = null;
      frame = null;
    }

    return { open: open, destroy: destroy };
  }

  global.PonteLink = { VERSION: VERSION, EVENTS: EVENTS.slice(), create: create };
})(window);

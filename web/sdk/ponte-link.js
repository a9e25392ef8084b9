/*! ponte-link.js 1.2.0 · Apache-2.0 · opens Ponte's hosted widget from an integrator's page.
 *
 *   <script src="https://<your Ponte>/ponte-link.js"></script>
 *   const link = PonteLink.create({
 *     token: linkToken,                 // from POST /data/v1/links (your backend)
 *     onSuccess(metadata) {},           // the end user connected an account and finished
 *                                       // (metadata.renewal: a link opened with consentId
 *                                       // renewed that consent, same consentId)
 *     onExit(metadata) {},              // they left, finished without connecting, or the
 *                                       // widget could not open (metadata.errorKind says why)
 *     onEvent(name, metadata) {},       // every step, see PonteLink.EVENTS
 *     locale: 'pt-BR',                  // or 'en'; default: the browser's languages
 *     mode: 'modal',                    // or 'redirect' (webviews): the whole page goes to linkUrl
 *   });
 *   link.open();  …  link.destroy();
 *
 *   // The documents app (POST /api/token's access_token), the same way:
 *   PonteLink.createDocuments({ accessToken, onSuccess({ fileCount }) {}, onExit, onEvent }).open();
 *
 * Modal mode frames the widget; the client must allow this page's origin
 * (`ponte clients update --client-id … --frame-origins …`; the sandbox client
 * allows http://localhost and http://127.0.0.1 on any port). The widget says
 * READY as soon as it runs in the frame: a frame that stays silent (framing
 * refused, Ponte unreachable) or a token Ponte refuses closes the modal and
 * calls onExit with an errorKind, with a console message naming the fix.
 * Esc and a click outside ask the widget to leave, with the confirmation it
 * shows for its own × button.
 *
 * Messages are accepted only from Ponte's origin and that frame, and the
 * widget sends them only to the origin that opened it. Banks and portals
 * refuse to be framed: at the hand-off the widget opens them in a popup and
 * the modal waits for the outcome; if the browser blocks the popup, this page
 * is sent to the widget instead (a full-page hand-off) and the end user comes
 * back to the link's redirectUrl.
 */
(function (global) {
  'use strict';

  var VERSION = '1.2.0';
  var EVENTS = [
    'OPEN', 'INSTITUTION_SELECTED', 'CONSENT_CREATED', 'HANDED_OFF', 'RETURNED',
    'AUTHORISED', 'REJECTED', 'EXIT', 'ERROR',
  ];
  var DOCUMENT_EVENTS = [
    'OPEN', 'INSTITUTION_SELECTED', 'HANDED_OFF', 'SUCCESS', 'FAILED', 'EXIT', 'ERROR',
  ];
  // A widget that loaded answers at once; one that did not load at all (the
  // network) gets this long before the modal gives up.
  var READY_TIMEOUT_MS = 15000;
  // After the frame's load event, the widget's READY is already on its way:
  // this much more silence means the browser showed an error page instead.
  var AFTER_LOAD_MS = 2500;
  // The widget's own errors that leave nothing for the end user to do.
  var FATAL = { expired: true, invalid: true };
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

  /** The same shape the widget sends, for what the SDK itself observed. */
  function ownMetadata(base, locale, extra) {
    var m = base();
    m.status = 'EXITED';
    m.locale = locale || 'pt-BR';
    m.occurredAt = new Date().toISOString();
    for (var k in extra) {
      if (Object.prototype.hasOwnProperty.call(extra, k) && Object.prototype.hasOwnProperty.call(m, k)) m[k] = extra[k];
    }
    return m;
  }

  function linkMetadata() {
    return {
      consentId: null, institutionCode: null, institutionName: null, status: null,
      lastStatus: null, errorKind: null, locale: null, occurredAt: null, renewal: false,
    };
  }

  function documentsMetadata() {
    return {
      retrievalId: null, institutionCode: null, institutionName: null, status: null,
      fileCount: 0, errorKind: null, locale: null, occurredAt: null,
    };
  }

  /** What an integrator reads in the console when the modal could not open. */
  function explain(kind, what) {
    var here = global.location.origin;
    var text = {
      frame_refused:
        'PonteLink: Ponte (' + PONTE + ') refused to show the ' + what + ' in a frame on ' + here +
        ': this origin is not one of the client\'s frame origins. Allow it with ' +
        '`ponte clients update --client-id <your client id> --frame-origins ' + here + '` ' +
        '(the list replaces the previous one: name every origin), or in the console\'s settings. ' +
        'Or open it with mode: \'redirect\'.',
      network:
        'PonteLink: Ponte (' + PONTE + ') did not answer: the ' + what + ' could not be loaded. ' +
        'Check that Ponte is running and reachable from this browser.',
      expired:
        'PonteLink: the token has expired. Make a new one on your backend for every open() ' +
        '(POST /data/v1/links for the link, POST /api/token for documents).',
      invalid:
        'PonteLink: Ponte does not know this token. Pass the linkToken of POST /data/v1/links ' +
        '(or the access_token of POST /api/token for documents), as your backend received it.',
    }[kind];
    if (text && global.console) global.console.error(text);
  }

  /**
   * The modal/redirect machinery both apps share. `app` says where the widget
   * lives and turns its final message into onSuccess or onExit.
   */
  function opener(options, app) {
    var mode = options.mode === 'redirect' ? 'redirect' : 'modal';
    var overlay = null;
    var frame = null;
    var finished = false;
    var ready = false;
    var timers = [];

    function url() {
      var to = new URL(app.path, PONTE);
      to.searchParams.set(app.tokenParam, app.token);
      if (options.locale) to.searchParams.set('locale', options.locale);
      if (mode === 'modal') to.searchParams.set('embed', global.location.origin);
      return to.toString();
    }

    function later(fn, ms) {
      timers.push(setTimeout(fn, ms));
    }

    function finish(outcome, metadata) {
      if (finished) return;
      finished = true;
      destroy();
      if (outcome === 'success') call(options.onSuccess, metadata);
      else call(options.onExit, metadata);
    }

    /** The modal opened but the widget never spoke: say why, then close. */
    function silent() {
      if (ready || finished || !overlay) return;
      // An opaque request tells "Ponte is unreachable" from "Ponte answered
      // but refused the frame" without needing CORS.
      var probe = global.fetch
        ? global.fetch(new URL('/healthz', PONTE).toString(), { mode: 'no-cors', cache: 'no-store' })
        : Promise.reject(new Error('no fetch'));
      probe.then(
        function () { fail('frame_refused'); },
        function () { fail('network'); }
      );
    }

    function fail(kind, extra) {
      if (ready && kind !== 'expired' && kind !== 'invalid') return;
      if (finished || !overlay) return;
      explain(kind, app.what);
      var m = ownMetadata(app.blank, options.locale, extra || {});
      m.errorKind = kind;
      m.status = 'EXITED';
      call(options.onEvent, 'ERROR', m);
      call(options.onEvent, 'EXIT', m);
      finish('exit', m);
    }

    function onMessage(e) {
      if (e.origin !== PONTE || !frame || e.source !== frame.contentWindow) return;
      var data = e.data;
      if (!data || data.source !== 'ponte-link' || typeof data.event !== 'string') return;
      if (data.event === 'READY') {
        ready = true;
        return;
      }
      if (data.event === 'NAVIGATE') {
        // The widget could not open the bank in a popup: the whole page goes
        // to the widget instead (the bank returns to the link's redirectUrl).
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
      if (app.events.indexOf(data.event) !== -1) call(options.onEvent, data.event, metadata);
      if (data.event === 'ERROR' && FATAL[metadata.errorKind]) {
        // The widget can do nothing more with this token.
        explain(metadata.errorKind, app.what);
        var exit = ownMetadata(app.blank, metadata.locale, metadata);
        exit.status = 'EXITED';
        call(options.onEvent, 'EXIT', exit);
        finish('exit', exit);
        return;
      }
      if (data.event === 'FINISH' || data.event === 'EXIT') {
        finish(app.succeeded(data.event, metadata) ? 'success' : 'exit', metadata);
      }
    }

    /** Esc or a click outside: the widget's own exit, confirmation included. */
    function askToLeave() {
      if (!overlay || finished) return;
      if (!ready) {
        // Nothing on screen to confirm: just close.
        var m = ownMetadata(app.blank, options.locale, {});
        call(options.onEvent, 'EXIT', m);
        finish('exit', m);
        return;
      }
      frame.contentWindow.postMessage({ source: 'ponte-link-host', version: 1, event: 'EXIT_REQUESTED' }, PONTE);
    }

    function onKey(e) {
      if (e.key === 'Escape' || e.key === 'Esc') {
        e.preventDefault();
        askToLeave();
      }
    }

    function onOverlayClick(e) {
      if (e.target === overlay) askToLeave();
    }

    function open() {
      if (mode === 'redirect') {
        global.location.assign(url());
        return;
      }
      if (overlay) return;
      finished = false;
      ready = false;
      overlay = global.document.createElement('div');
      overlay.setAttribute('data-ponte-link', VERSION);
      overlay.style.cssText = 'position:fixed;inset:0;z-index:2147483647;background:rgba(17,24,39,.55);display:flex;align-items:center;justify-content:center';
      frame = global.document.createElement('iframe');
      frame.title = 'Ponte';
      frame.allow = 'clipboard-write';
      frame.style.cssText = 'border:0;background:#fff;width:100%;height:100%;max-width:420px;max-height:720px;border-radius:12px';
      frame.addEventListener('load', function () {
        if (!ready) later(silent, AFTER_LOAD_MS);
      });
      frame.src = url();
      overlay.appendChild(frame);
      overlay.addEventListener('click', onOverlayClick);
      global.addEventListener('message', onMessage);
      global.document.addEventListener('keydown', onKey);
      global.document.body.appendChild(overlay);
      later(silent, options.readyTimeoutMs > 0 ? options.readyTimeoutMs : READY_TIMEOUT_MS);
      frame.focus();
    }

    function destroy() {
      while (timers.length) clearTimeout(timers.pop());
      global.removeEventListener('message', onMessage);
      global.document.removeEventListener('keydown', onKey);
      if (overlay && overlay.parentNode) overlay.parentNode.removeChild(overlay);
      overlay = null;
      frame = null;
    }

    return { open: open, destroy: destroy };
  }

  function create(options) {
    if (!options || typeof options.token !== 'string' || !options.token) {
      throw new TypeError('PonteLink.create: `token` (the link token) is required');
    }
    return opener(options, {
      what: 'link widget',
      path: '/link',
      tokenParam: 'v',
      token: options.token,
      events: EVENTS,
      blank: linkMetadata,
      succeeded: function (event, m) { return event === 'FINISH' && m.status === 'AUTHORISED'; },
    });
  }

  function createDocuments(options) {
    if (!options || typeof options.accessToken !== 'string' || !options.accessToken) {
      throw new TypeError('PonteLink.createDocuments: `accessToken` (POST /api/token\'s access_token) is required');
    }
    return opener(options, {
      what: 'documents app',
      path: '/app',
      tokenParam: 'access_token',
      token: options.accessToken,
      events: DOCUMENT_EVENTS,
      blank: documentsMetadata,
      succeeded: function (event, m) { return event === 'FINISH' && m.status === 'SUCCESS'; },
    });
  }

  global.PonteLink = {
    VERSION: VERSION,
    EVENTS: EVENTS.slice(),
    DOCUMENT_EVENTS: DOCUMENT_EVENTS.slice(),
    create: create,
    createDocuments: createDocuments,
  };
})(window);

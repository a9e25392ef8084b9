// The documents app (`/app`, Taiki's hosted app): who receives the documents
// and why → the portal → hand-off → the portal's own sign-in (a top-level
// navigation) → back here through /callback/documents → progress, file by
// file → success or a failure with a next step. It talks to Ponte only with
// the access token of POST /api/token. `app.js` loads it when the page says
// `<html data-mode="documents">`; the header (brand, language, exit) and the
// exit dialog of index.html are shared, the screens are built here.
import { chosenLocale, rememberLocale, ruleLocale, t } from './i18n.js';
import { matching } from './search.js';
import { paintBrand } from './brand.js';

const SAVED = 'ponte.documents';
const POLL_MS = 1000;
const KINDS = {
  token_expired: 'expired',
  invalid_token: 'invalid',
  institution_outage: 'outage',
  not_found: 'notfound',
};
const REASONS = ['credentials', 'locked', 'declined', 'unavailable', 'expired'];
// In the SDK's modal the portal's sign-in opens in its own window (portals
// refuse to be framed) and this page follows the retrieval meanwhile.
const POPUP_NAME = 'ponte-portal';

const $ = (id) => document.getElementById(id);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const state = {
  locale: 'pt-BR',
  token: null,
  session: null,
  portals: [],
  portal: null, // { institutionCode, name, avatar }
  busyCode: null,
  pickerAlert: null, // a key of the picker's alert
  progress: null, // the latest /app/progress
  announced: '',
  failure: null,
  error: null,
  exited: false,
  screen: 'loading',
  // The integrator's page that framed us through the SDK, if any: the only
  // origin our messages go to.
  parentOrigin: null,
  popup: null,
};

/** The origin `raw` names, if it is exactly an http(s) origin. */
function originOf(raw) {
  try {
    const url = new URL(raw);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === raw ? raw : null;
  } catch {
    return null;
  }
}

/** Tells the SDK on the framing page what happened; a no-op when not framed. */
function emit(event, extra = {}) {
  if (!state.parentOrigin || window.parent === window) return;
  const files = (state.progress && state.progress.files) || [];
  const metadata = {
    retrievalId: (state.portal && state.portal.retrievalId) || null,
    institutionCode: state.portal ? state.portal.institutionCode : null,
    institutionName: state.portal ? state.portal.name : null,
    status: null,
    fileCount: files.filter((f) => f.status === 'success').length,
    errorKind: null,
    locale: state.locale,
    occurredAt: new Date().toISOString(),
    ...extra,
  };
  window.parent.postMessage({ source: 'ponte-link', version: 1, event, metadata }, state.parentOrigin);
}

class Failure extends Error {
  constructor(kind) {
    super(kind);
    this.kind = kind;
  }
}

async function call(path, init = {}) {
  let response;
  try {
    response = await fetch(path, {
      ...init,
      headers: { Authorization: `Bearer ${state.token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      cache: 'no-store',
    });
  } catch {
    throw new Failure('network');
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Failure(KINDS[body && body.error && body.error.code] || 'server');
  return body;
}

function load() {
  try {
    return JSON.parse(sessionStorage.getItem(SAVED) || '{}') || {};
  } catch {
    return {};
  }
}

function save() {
  const { token, locale, portal } = state;
  try {
    sessionStorage.setItem(SAVED, JSON.stringify({ token, locale, portal }));
  } catch {
    // Private modes may refuse storage: only the return from the portal then
    // knows less.
  }
}

function vars(extra) {
  return {
    client: state.session ? state.session.clientName : '',
    portal: state.portal ? state.portal.name : '',
    ...extra,
  };
}

const tr = (key, extra = {}) => t(state.locale, key, vars(extra));

/** An element: `h('p', { class: 'lead', i18n: 'docs.x' }, child…)`. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'i18n') el.dataset.docs = value;
    else if (name === 'on') el.addEventListener('click', value);
    else el.setAttribute(name, value);
  }
  el.append(...children);
  return el;
}

const button = (cls, key, on, id) => h('button', { type: 'button', class: cls, i18n: key, on, ...(id ? { id } : {}) });
const actions = (...buttons) => h('div', { class: 'actions' }, ...buttons);
const heading = (attrs = {}) => h('h1', { tabindex: '-1', ...attrs });

/** The app's screens, built once into <main> beside the bank flow's. */
function build() {
  const screen = (name, cls, ...children) =>
    h('section', { 'data-screen': `docs-${name}`, ...(cls ? { class: cls } : {}), hidden: '' }, ...children);
  const privacy = h('p', { id: 'docs-privacy', hidden: '' }, h('a', { id: 'docs-privacy-link', rel: 'noopener', target: '_blank', i18n: 'docs.intro.privacy' }));
  const kinds = h('ul', { class: 'shared' }, ...['statements', 'tax', 'summaries'].map((k) => h('li', { i18n: `docs.kind.${k}` })));
  const sections = [
    screen('intro', '', heading({ i18n: 'docs.intro.title' }), h('p', { class: 'lead', i18n: 'docs.intro.lead' }), kinds,
      h('dl', { class: 'facts' }, h('dt', { i18n: 'docs.intro.why' }), h('dd', { i18n: 'docs.intro.whyValue' })),
      h('p', { class: 'note', i18n: 'docs.intro.safe' }), privacy,
      actions(button('primary', 'docs.intro.continue', () => show('picker'), 'docs-continue'))),
    screen('picker', '', heading({ i18n: 'docs.picker.title' }),
      h('label', { for: 'docs-q', class: 'label', i18n: 'docs.picker.search' }),
      h('input', { type: 'search', id: 'docs-q', autocomplete: 'off', spellcheck: 'false' }),
      h('p', { id: 'docs-count', class: 'count', role: 'status' }),
      h('div', { id: 'docs-picker-alert', class: 'alert', role: 'alert', hidden: '' }),
      h('ul', { class: 'banks', id: 'docs-portals' }),
      h('div', { id: 'docs-empty', class: 'empty', hidden: '' }, h('p', { class: 'strong', id: 'docs-empty-text' }), h('p', { i18n: 'docs.picker.emptyHint' })),
      actions(button('secondary', 'docs.picker.back', () => show('intro'), 'docs-picker-back'))),
    screen('handoff', '', h('img', { class: 'bank-logo', id: 'docs-handoff-logo', alt: '' }), heading({ i18n: 'docs.handoff.title' }),
      h('ol', { class: 'steps' }, ...[1, 2, 3].map((n) => h('li', { i18n: `docs.handoff.step${n}` }))),
      actions(button('primary', 'docs.handoff.go', handOff, 'docs-go'), button('secondary', 'docs.handoff.other', () => show('picker')))),
    screen('progress', 'center', h('div', { class: 'spinner', 'aria-hidden': 'true' }), heading({ i18n: 'docs.progress.title' }),
      h('p', { i18n: 'docs.progress.text' }),
      h('p', { id: 'docs-progress-count', class: 'count', role: 'status' }),
      h('ul', { class: 'files', id: 'docs-progress-files' })),
    screen('success', 'center', h('div', { class: 'badge ok', 'aria-hidden': 'true' }, '✓'), heading({ i18n: 'docs.success.title' }),
      h('p', { id: 'docs-success-text' }), h('ul', { class: 'files', id: 'docs-success-files' }),
      h('p', { class: 'note', id: 'docs-partial', i18n: 'docs.success.partial', hidden: '' }),
      actions(button('primary', 'docs.success.finish', () => leave(), 'docs-finish'))),
    screen('failure', 'center', h('div', { class: 'badge bad', 'aria-hidden': 'true' }, '!'),
      h('div', { role: 'alert' }, heading({ id: 'docs-failure-title' }), h('p', { id: 'docs-failure-text' })),
      actions(button('primary', 'docs.failure.retry', retry, 'docs-retry'), button('secondary', 'docs.failure.other', () => show('picker'), 'docs-other'),
        button('quiet', 'docs.failure.finish', () => leave(), 'docs-failure-finish'))),
    screen('error', 'center', h('div', { class: 'badge bad', 'aria-hidden': 'true' }, '!'),
      h('div', { role: 'alert' }, heading({ id: 'docs-error-title' }), h('p', { id: 'docs-error-text' })),
      actions(button('primary', 'docs.error.retry', () => start(), 'docs-error-retry'))),
    screen('done', 'center', h('div', { class: 'badge ok', 'aria-hidden': 'true' }, '✓'), heading({ id: 'docs-done-title' }), h('p', { id: 'docs-done-text' })),
  ];
  $('main').append(...sections);
  $('docs-q').addEventListener('input', paintPortals);
}

function paint() {
  document.documentElement.lang = state.locale;
  document.title = tr('docs.title');
  for (const el of document.querySelectorAll('[data-docs]')) el.textContent = tr(el.dataset.docs);
  $('exit').setAttribute('aria-label', tr('docs.exit'));
  $('lang').textContent = t(state.locale, 'lang.switch');
  $('lang').lang = state.locale === 'en' ? 'pt-BR' : 'en';
  const foot = document.querySelector('.foot');
  if (foot) foot.textContent = tr('docs.footer');
  for (const [id, key] of [['exit-title', 'docs.exitDialog.title'], ['exit-text', 'docs.exitDialog.text'], ['exit-stay', 'docs.exitDialog.stay'], ['exit-confirm', 'docs.exitDialog.confirm']]) {
    if ($(id)) $(id).textContent = tr(key);
  }
  paintBrand(state.session, 'docs-privacy');
  $('docs-q').placeholder = tr('docs.picker.placeholder');
  if (state.portals.length) paintPortals();
  if (state.portal) $('docs-handoff-logo').src = state.portal.avatar || '';
  const alert = $('docs-picker-alert');
  alert.hidden = !state.pickerAlert;
  if (state.pickerAlert) alert.textContent = tr(state.pickerAlert);
  paintProgress();
  paintOutcome();
}

function countLabel(count) {
  if (count === 0) return tr('docs.picker.none');
  const rule = new Intl.PluralRules(state.locale === 'en' ? 'en-US' : 'pt-BR').select(count);
  return tr(rule === 'one' ? 'docs.picker.count.one' : 'docs.picker.count.other', { count });
}

function paintPortals() {
  const query = $('docs-q').value;
  const shown = matching(state.portals, query);
  $('docs-portals').replaceChildren(...shown.map(portalItem));
  $('docs-count').textContent = countLabel(shown.length);
  $('docs-empty').hidden = shown.length > 0;
  $('docs-empty-text').textContent = tr('docs.picker.empty', { query: query.trim() });
}

function portalItem(p) {
  const text = h('span', { class: 'text' }, h('span', { class: 'name' }, p.name));
  const item = h('button', { type: 'button', class: 'bank', 'data-code': p.institutionCode }, h('img', { src: p.avatar, alt: '' }), text);
  if (p.isOutage) {
    item.disabled = true;
    item.classList.add('outage');
    text.append(h('span', { class: 'tag' }, tr('docs.picker.outage')));
  } else if (state.busyCode) {
    item.disabled = true;
    if (state.busyCode === p.institutionCode) {
      item.classList.add('busy');
      item.setAttribute('aria-busy', 'true');
      text.append(h('span', { class: 'tag progress' }, h('span', { class: 'spinner small', 'aria-hidden': 'true' }), tr('docs.picker.connecting')));
    }
  }
  item.addEventListener('click', () => choose(p));
  return h('li', {}, item);
}

/** "48,2 kB" / "48.2 kB". */
function size(bytes) {
  const locale = state.locale === 'en' ? 'en-US' : 'pt-BR';
  if (bytes >= 1024 * 1024) return new Intl.NumberFormat(locale, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 }).format(bytes / 1048576);
  return new Intl.NumberFormat(locale, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 1 }).format(bytes / 1024);
}

function fileItem(f) {
  const what = f.status === 'success' ? size(f.total_size_bytes || 0) : tr(f.status === 'failed' ? 'docs.file.failed' : 'docs.file.pending');
  return h('li', { 'data-status': f.status }, h('span', { class: 'file-name' }, f.file_name), h('span', { class: 'file-size' }, what));
}

function paintProgress() {
  const p = state.progress;
  const files = p ? p.files : [];
  const done = files.filter((f) => f.status === 'success').length;
  // Only the count is announced, not the whole list on every poll.
  const line = files.length ? tr('docs.progress.count', { done, total: files.length }) : tr('docs.progress.starting');
  if ($('docs-progress-count').textContent !== line) $('docs-progress-count').textContent = line;
  $('docs-progress-files').replaceChildren(...files.map(fileItem));
  const arrived = files.filter((f) => f.status === 'success');
  $('docs-success-files').replaceChildren(...arrived.map(fileItem));
  const rule = new Intl.PluralRules(state.locale === 'en' ? 'en-US' : 'pt-BR').select(arrived.length);
  $('docs-success-text').textContent = tr(rule === 'one' ? 'docs.success.text.one' : 'docs.success.text.other', { count: arrived.length });
  $('docs-partial').hidden = !files.some((f) => f.status === 'failed');
}

function paintOutcome() {
  if (state.failure) {
    $('docs-failure-title').textContent = tr(`docs.failure.${state.failure}.title`);
    $('docs-failure-text').textContent = tr(`docs.failure.${state.failure}.text`);
  }
  if (state.error) {
    $('docs-error-title').textContent = tr(`docs.error.${state.error}.title`);
    $('docs-error-text').textContent = tr(`docs.error.${state.error}.text`);
    $('docs-error-retry').hidden = !(state.error === 'network' || state.error === 'server');
  }
  const returnedOnly = !state.token;
  $('docs-done-title').textContent = tr(state.exited ? 'docs.exited.title' : returnedOnly ? 'docs.returned.title' : 'docs.done.title');
  $('docs-done-text').textContent = tr(returnedOnly && !state.exited ? 'docs.returned.text' : 'docs.done.text');
}

function show(screen) {
  state.screen = screen;
  if (screen !== 'picker') state.pickerAlert = null;
  for (const section of document.querySelectorAll('section[data-screen]')) {
    section.hidden = section.dataset.screen !== (screen === 'loading' ? 'loading' : `docs-${screen}`);
  }
  document.body.dataset.at = `docs-${screen}`;
  paint();
  const title = document.querySelector(`[data-screen="docs-${screen}"] h1`);
  if (title) title.focus({ preventScroll: false });
}

function showError(kind) {
  state.error = ['expired', 'invalid', 'network'].includes(kind) ? kind : 'server';
  show('error');
  emit('ERROR', { errorKind: state.error });
}

async function choose(p) {
  if (state.busyCode || p.isOutage) return;
  state.busyCode = p.institutionCode;
  state.pickerAlert = null;
  paint();
  try {
    const started = await call('/api/connections', { method: 'POST', body: JSON.stringify({ institutionCode: p.institutionCode }) });
    state.portal = { institutionCode: p.institutionCode, name: p.name, avatar: p.avatar, loginUrl: started.login_url, retrievalId: started.id };
    state.busyCode = null;
    save();
    emit('INSTITUTION_SELECTED');
    show('handoff');
  } catch (e) {
    state.busyCode = null;
    if (e.kind === 'expired' || e.kind === 'invalid') return showError(e.kind);
    state.portal = { institutionCode: p.institutionCode, name: p.name, avatar: p.avatar };
    state.pickerAlert = e.kind === 'outage' ? 'docs.picker.unavailable' : 'docs.picker.failed';
    paint();
  }
  return undefined;
}

/** The portal's own sign-in, in this page's language. */
function handOff() {
  $('docs-go').disabled = true;
  let to = state.portal.loginUrl;
  try {
    const url = new URL(to);
    url.searchParams.set('ui_locales', state.locale);
    to = url.toString();
  } catch {
    // Ponte made this URL; if it does not parse, the portal will say so.
  }
  emit('HANDED_OFF');
  if (state.parentOrigin) {
    $('docs-go').disabled = false;
    const popup = window.open(to, POPUP_NAME, 'popup,width=480,height=720');
    if (popup) {
      state.popup = popup;
      return follow();
    }
    // A blocked popup: the integrator's page becomes the app, full page.
    const again = new URL('/app', location.origin);
    again.searchParams.set('access_token', state.token);
    window.parent.postMessage({ source: 'ponte-link', version: 1, event: 'NAVIGATE', url: again.toString() }, state.parentOrigin);
    return undefined;
  }
  location.assign(to);
  return undefined;
}

function closePopup() {
  try {
    if (state.popup && !state.popup.closed) state.popup.close();
  } catch {
    // A window the portal took over may refuse: the user closes it.
  }
  state.popup = null;
}

function retry() {
  const again = state.portals.find((p) => state.portal && p.institutionCode === state.portal.institutionCode);
  show('picker');
  if (again) choose(again);
}

/** Back from the portal: the retrieval, polled until it ends. */
async function follow() {
  show('progress');
  for (;;) {
    if (state.screen !== 'progress') return undefined;
    try {
      state.progress = await call('/app/progress');
    } catch (e) {
      if (e.kind === 'expired' || e.kind === 'invalid') return showError(e.kind);
      await sleep(POLL_MS);
      continue;
    }
    const known = state.portals.find((p) => p.institutionCode === state.progress.institution_code);
    if (known) state.portal = { ...known, ...(state.portal || {}), name: known.name };
    const { status, reason } = state.progress;
    if (status === 'success') {
      closePopup();
      emit('SUCCESS', { status: 'SUCCESS' });
      return show('success');
    }
    if (status === 'failed' || status === 'expired') {
      closePopup();
      state.failure = REASONS.includes(reason) ? reason : 'unavailable';
      emit('FAILED', { status: 'FAILED' });
      return show('failure');
    }
    paint();
    await sleep(POLL_MS);
  }
}

/** Ends the app; `exited` when the end user left before the outcome. */
function leave(exited = false) {
  state.exited = exited;
  closePopup();
  const ended = exited ? 'EXITED' : state.progress && state.progress.status === 'success' ? 'SUCCESS' : 'FAILED';
  emit(exited ? 'EXIT' : 'FINISH', { status: ended });
  try {
    sessionStorage.removeItem(SAVED);
  } catch {
    // Nothing saved, nothing to forget.
  }
  show('done');
}

function exit() {
  if (state.screen === 'done') return;
  if (state.screen === 'success' || state.screen === 'failure') {
    leave();
    return;
  }
  if (state.screen === 'error' || !state.token) {
    leave(true);
    return;
  }
  const dialog = $('exit-dialog');
  if (typeof dialog.showModal === 'function') dialog.showModal();
  else leave(true);
}

function wire() {
  $('lang').addEventListener('click', () => {
    state.locale = state.locale === 'en' ? 'pt-BR' : 'en';
    rememberLocale(state.locale);
    save();
    paint();
  });
  $('exit').addEventListener('click', exit);
  $('exit-stay').addEventListener('click', () => $('exit-dialog').close());
  $('exit-confirm').addEventListener('click', () => {
    $('exit-dialog').close();
    leave(true);
  });
  // In the SDK's modal: Esc and a click outside the frame reach the
  // integrator's page, which asks us to leave; the confirmation is ours.
  window.addEventListener('message', (e) => {
    if (!state.parentOrigin || e.source !== window.parent || e.origin !== state.parentOrigin) return;
    const data = e.data;
    if (data && data.source === 'ponte-link-host' && data.event === 'EXIT_REQUESTED' && !$('exit-dialog').open) exit();
  });
  document.addEventListener('keydown', (e) => {
    if (state.parentOrigin && e.key === 'Escape' && !$('exit-dialog').open) {
      // Else this very key press would cancel the dialog it opens.
      e.preventDefault();
      exit();
    }
  });
}

async function start() {
  const params = new URLSearchParams(location.search);
  const saved = load();
  const fresh = params.get('access_token');
  state.locale = chosenLocale() || saved.locale || ruleLocale(null);
  show('loading');
  state.token = fresh || saved.token || null;
  if (saved.token && saved.token === state.token && saved.portal) state.portal = saved.portal;
  if (window.parent !== window && !state.parentOrigin) state.parentOrigin = originOf(params.get('embed'));
  // The SDK's modal waits for this: a frame that never says it is closed.
  emit('READY');
  // The one rule: the end user's choice (or this tab's, kept across the
  // portal), else the integrator's `?locale=`, else the client's (from
  // /app/session, below), else the browser's.
  const asked = params.get('locale');
  const undecided = !chosenLocale() && !saved.locale && asked !== 'en' && asked !== 'pt-BR';
  if (!chosenLocale() && !saved.locale && !undecided) state.locale = asked;
  if (fresh) {
    // The token stays in this tab's storage, not in the address bar or history.
    history.replaceState(null, '', location.pathname);
  }
  save();
  const returned = params.get('returned');
  if (returned && window.name === POPUP_NAME && window.opener) {
    // The SDK modal's portal window, back at Ponte: the modal follows the
    // retrieval itself.
    show('done');
    window.close();
    return undefined;
  }
  if (!state.token) {
    // Back from the portal in a browser that no longer holds the session:
    // the documents still go to the client, only progress cannot be shown.
    if (returned) return show('done');
    return showError('invalid');
  }
  try {
    const [session, portals] = await Promise.all([call('/app/session'), call('/api/institutions')]);
    state.session = session;
    if (undecided && session.locale) {
      state.locale = ruleLocale(session.locale);
      save();
      paint();
    }
    if (session.primaryColor) document.documentElement.style.setProperty('--accent', session.primaryColor);
    state.portals = [...portals].sort((a, b) => a.name.localeCompare(b.name, 'pt-BR', { sensitivity: 'base' }));
  } catch (e) {
    return showError(e.kind);
  }
  if (returned) {
    history.replaceState(null, '', location.pathname);
    return follow();
  }
  show('intro');
  emit('OPEN');
  return undefined;
}

build();
wire();
start();

// The demo integrator's page: its backend (`/demo/*`) opens a link for the
// sandbox client, this page opens it with the SDK, logs every callback and
// event in order, asks for the reports once the consent is authorised and
// shows, live, the webhooks the backend received (signatures checked there).
import PT from '../i18n/pt-BR.js';
import EN from '../i18n/en.js';

// Its words are the `demo.` keys of web/i18n/, the one catalogue of every
// Ponte page in the browser.
const STRINGS = { 'pt-BR': PT, en: EN };
const PREFIX = 'demo.';
// The one language rule (crates/ponte-server/src/web/lang.rs): a choice
// made with the switch on any Ponte page (the `ponte_lang` cookie) or in
// this page's address (`?lang=`), else the browser's languages, else pt-BR.
const COOKIE = 'ponte_lang';

const POLL_MS = 1000;
// Webhooks keep coming for a while (reports take seconds); a forgotten tab
// stops asking after this long.
const POLL_FOR_MS = 15 * 60_000;

const $ = (id) => document.getElementById(id);
const state = { locale: 'pt-BR', link: null, polling: false, seen: new Set(), webhooks: 0, reportsAsked: false };

function t(key, vars = {}) {
  const table = STRINGS[state.locale] || STRINGS['pt-BR'];
  const text = table[PREFIX + key] ?? table[key] ?? STRINGS['pt-BR'][PREFIX + key] ?? key;
  return String(text).replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

/**
 * "1 webhook recebido" / "0 webhooks received": the singular for exactly one
 * in both languages (CLDR's Portuguese "one" takes 0 too, which reads oddly
 * in Brazil for a count of things that arrived).
 */
function webhooksCount(n) {
  return t(n === 1 ? 'webhooks.count.one' : 'webhooks.count.other', { count: n });
}

function tagOf(raw) {
  const v = String(raw || '').toLowerCase();
  return v.startsWith('en') ? 'en' : v.startsWith('pt') ? 'pt-BR' : null;
}

function chosenLocale() {
  const found = document.cookie.split(';').map((c) => c.trim().split('=')).find(([k]) => k === COOKIE);
  return found ? tagOf(found[1]) : null;
}

function rememberLocale(locale) {
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = `${COOKIE}=${locale}; Path=/; Max-Age=31536000; SameSite=Lax${secure}`;
}

function pickLocale() {
  const asked = tagOf(new URLSearchParams(location.search).get('lang'));
  if (asked) {
    rememberLocale(asked);
    return asked;
  }
  return chosenLocale() || (navigator.languages || []).map(tagOf).find(Boolean) || 'pt-BR';
}

function paint() {
  document.documentElement.lang = state.locale;
  document.title = t('doc.title');
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  $('lang').textContent = t('lang.switch');
  $('lang').lang = state.locale === 'en' ? 'pt-BR' : 'en';
  $('webhooks-count').textContent = webhooksCount(state.webhooks);
}

/** One line of the SDK's log: `kind` is event, success or exit. */
function log(kind, name, metadata) {
  const li = document.createElement('li');
  li.dataset.kind = kind;
  li.dataset.name = name;
  const head = document.createElement('span');
  head.className = 'name';
  head.textContent = kind === 'event' ? `onEvent ${name}` : name;
  const meta = document.createElement('span');
  meta.className = 'meta';
  const parts = metadata
    ? [metadata.institutionCode, metadata.status, metadata.consentId].filter(Boolean)
    : [];
  meta.textContent = parts.length ? ` · ${parts.join(' · ')}` : '';
  li.append(head, meta);
  $('events').append(li);
}

async function post(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
    credentials: 'same-origin',
  });
  const json = await response.json().catch(() => null);
  if (!response.ok) throw Object.assign(new Error('failed'), { code: json && json.error && json.error.code });
  return json;
}

async function requestReports(consentId) {
  if (state.reportsAsked || !consentId) return;
  state.reportsAsked = true;
  try {
    const { requestId } = await post('/demo/reports', { consentId });
    $('report-waiting').textContent = t('report.requested', { id: requestId });
  } catch {
    $('report-waiting').textContent = t('error.reports');
  }
}

function showWebhook(w) {
  state.seen.add(w.webhookId);
  state.webhooks += 1;
  const li = document.createElement('li');
  li.dataset.event = w.event || '';
  li.dataset.verified = String(w.verified);
  const head = document.createElement('span');
  head.className = 'name';
  head.textContent = w.event || '(?)';
  li.append(head);
  if (w.verified) {
    const ok = document.createElement('span');
    ok.className = 'verified';
    ok.textContent = t('verified');
    li.append(ok);
  }
  const pre = document.createElement('pre');
  pre.tabIndex = 0;
  pre.textContent = JSON.stringify(w.payload, null, 2);
  li.append(pre);
  $('webhooks').append(li);
  $('webhooks-count').textContent = webhooksCount(state.webhooks);
  const p = w.payload || {};
  if (w.event === 'REPORT_READY') showReport(p);
}

function showReport(p) {
  $('report-waiting').hidden = true;
  const li = document.createElement('li');
  li.dataset.product = p.product || '';
  li.dataset.status = p.status || '';
  li.append(`${p.product} · ${p.status} · `);
  for (const [key, url] of [['report.json', p.downloadUrl], ['report.pdf', p.pdfUrl]]) {
    if (!url) continue;
    const a = document.createElement('a');
    a.href = url;
    a.target = '_blank';
    a.rel = 'noopener';
    a.className = key === 'report.json' ? 'json' : 'pdf';
    a.textContent = `${t(key)} (${p.product})`;
    li.append(a, ' ');
  }
  $('reports').append(li);
}

async function poll() {
  if (state.polling) return;
  state.polling = true;
  const until = Date.now() + POLL_FOR_MS;
  while (Date.now() < until) {
    try {
      const response = await fetch('/demo/events', { cache: 'no-store', credentials: 'same-origin' });
      if (response.status === 403) break; // the session ended
      if (response.ok) {
        const { webhooks } = await response.json();
        for (const w of webhooks) if (!state.seen.has(w.webhookId)) showWebhook(w);
        // The consent webhook is what a real backend acts on.
        const authorised = webhooks.find((w) => w.event === 'CONSENT_STATUS_CHANGED' && w.payload && w.payload.status === 'AUTHORISED');
        if (authorised) requestReports(authorised.payload.consentId);
      }
    } catch {
      // A network blip: the next round asks again.
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  state.polling = false;
}

async function start(e) {
  e.preventDefault();
  const button = $('connect');
  const alert = $('start-alert');
  alert.hidden = true;
  button.disabled = true;
  button.textContent = t('opening');
  try {
    const link = await post('/demo/link', { cpf: $('cpf').value });
    state.link = link;
    state.reportsAsked = false;
    const sdk = window.PonteLink.create({
      token: link.linkToken,
      locale: state.locale,
      onEvent: (name, metadata) => log('event', name, metadata),
      onSuccess: (metadata) => {
        log('success', 'onSuccess', metadata);
        requestReports(metadata.consentId);
      },
      onExit: (metadata) => log('exit', 'onExit', metadata),
    });
    sdk.open();
    poll();
  } catch (err) {
    alert.textContent = t(err.code === 'INVALID_FIELD' ? 'error.cpf' : 'error.server');
    alert.hidden = false;
  } finally {
    button.disabled = false;
    button.textContent = t('connect');
  }
}

function init() {
  state.locale = pickLocale();
  paint();
  $('lang').addEventListener('click', () => {
    state.locale = state.locale === 'en' ? 'pt-BR' : 'en';
    rememberLocale(state.locale);
    paint();
  });
  $('start').addEventListener('submit', start);
  // Back from a full-page hand-off (the browser blocked the bank's popup):
  // the link's redirectUrl is this page, with the outcome.
  const params = new URLSearchParams(location.search);
  const status = params.get('status');
  if (status) {
    log('redirect', t('returned', { status }), { consentId: params.get('consentId') });
    poll();
  }
}

init();

// The demo integrator's page: its backend (`/demo/*`) opens a link for the
// sandbox client, this page opens it with the SDK, logs every callback and
// event in order, asks for the reports once the consent is authorised and
// shows, live, the webhooks the backend received (signatures checked there).
const STRINGS = {
  'pt-BR': {
    'doc.title': 'Demo do Ponte',
    'brand.demo': '(demonstração)',
    'lang.switch': 'English',
    title: 'Conecte uma conta bancária pelo SDK',
    lead: 'Esta página faz o papel de um integrador usando o cliente sandbox: o backend dela cria um link, a página o abre com o SDK (PonteLink) e mostra, ao vivo, os webhooks que chegam.',
    'how.1': 'Toque em “Conectar uma conta” e escolha um banco.',
    'how.2': 'No banco, entre como user_good / pass_good e aprove.',
    'how.3': 'Veja os eventos do SDK, os webhooks assinados e, por fim, o relatório.',
    'cpf.label': 'CPF do usuário',
    'cpf.hint': 'Um CPF de teste válido já está preenchido.',
    connect: 'Conectar uma conta',
    opening: 'Abrindo…',
    'events.title': 'Eventos e callbacks do SDK',
    'events.hint': 'Em ordem, como o SDK os entrega a esta página.',
    'webhooks.title': 'Webhooks recebidos',
    'webhooks.hint': 'Chegam ao backend desta página em /demo/webhooks; a assinatura (Standard Webhooks) é verificada com o segredo do cliente.',
    'webhooks.count': (n) => (n === 1 ? '1 webhook recebido' : `${n} webhooks recebidos`),
    verified: 'assinatura verificada ✓',
    'report.title': 'Relatório',
    'report.none': 'Aparece aqui quando o webhook REPORT_READY chegar.',
    'report.requested': 'Relatórios pedidos (requestId {id}); aguardando os webhooks…',
    'report.json': 'JSON',
    'report.pdf': 'PDF',
    'error.cpf': 'Este CPF não é válido.',
    'error.server': 'Não foi possível abrir o link. Tente de novo.',
    'error.reports': 'Não foi possível pedir os relatórios.',
    returned: 'De volta do banco pelo redirectUrl: {status}',
    docs: 'Referência da API',
  },
  en: {
    'doc.title': 'Ponte demo',
    'brand.demo': '(demo)',
    'lang.switch': 'Português',
    title: 'Connect a bank account through the SDK',
    lead: 'This page plays an integrator using the sandbox client: its backend creates a link, the page opens it with the SDK (PonteLink) and shows, live, the webhooks that arrive.',
    'how.1': 'Tap “Connect an account” and pick a bank.',
    'how.2': 'At the bank, sign in as user_good / pass_good and approve.',
    'how.3': 'Watch the SDK’s events, the signed webhooks and, at last, the report.',
    'cpf.label': 'The user’s CPF',
    'cpf.hint': 'A valid test CPF is already filled in.',
    connect: 'Connect an account',
    opening: 'Opening…',
    'events.title': 'SDK events and callbacks',
    'events.hint': 'In order, as the SDK hands them to this page.',
    'webhooks.title': 'Webhooks received',
    'webhooks.hint': 'They arrive at this page’s backend at /demo/webhooks; the signature (Standard Webhooks) is checked with the client’s secret.',
    'webhooks.count': (n) => (n === 1 ? '1 webhook received' : `${n} webhooks received`),
    verified: 'signature verified ✓',
    'report.title': 'Report',
    'report.none': 'Shows up here when the REPORT_READY webhook arrives.',
    'report.requested': 'Reports requested (requestId {id}); waiting for the webhooks…',
    'report.json': 'JSON',
    'report.pdf': 'PDF',
    'error.cpf': 'This CPF is not valid.',
    'error.server': 'The link could not be opened. Please try again.',
    'error.reports': 'The reports could not be requested.',
    returned: 'Back from the bank through the redirectUrl: {status}',
    docs: 'API reference',
  },
};

const POLL_MS = 1000;
// Webhooks keep coming for a while (reports take seconds); a forgotten tab
// stops asking after this long.
const POLL_FOR_MS = 15 * 60_000;

const $ = (id) => document.getElementById(id);
const state = { locale: 'pt-BR', link: null, polling: false, seen: new Set(), webhooks: 0, reportsAsked: false };

function t(key, vars = {}) {
  const value = (STRINGS[state.locale] || STRINGS['pt-BR'])[key];
  if (typeof value === 'function') return value(vars.n);
  return String(value ?? key).replace(/\{(\w+)\}/g, (_, name) => vars[name] ?? '');
}

function pickLocale() {
  const asked = new URLSearchParams(location.search).get('lang');
  if (asked === 'en' || asked === 'pt-BR') return asked;
  const first = (navigator.languages || []).find((l) => /^(pt|en)\b/i.test(l)) || 'pt-BR';
  return first.toLowerCase().startsWith('en') ? 'en' : 'pt-BR';
}

function paint() {
  document.documentElement.lang = state.locale;
  document.title = t('doc.title');
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  $('lang').textContent = t('lang.switch');
  $('lang').lang = state.locale === 'en' ? 'pt-BR' : 'en';
  $('webhooks-count').textContent = t('webhooks.count', { n: state.webhooks });
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
  $('webhooks-count').textContent = t('webhooks.count', { n: state.webhooks });
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

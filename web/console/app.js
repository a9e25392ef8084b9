// The console: a hash-routed page per view, each rendered from the console API.
import { api, setCsrf, setClient, ApiError } from './api.js';
import { t, toggleLocale, getLocale } from './i18n.js';
import { h } from './dom.js';
import { overview, connections, connection } from './pages.js';
import { webhooks, message } from './webhooks.js';
import { settings } from './settings.js';
import { sandbox } from './sandbox.js';
import { clients } from './clients.js';
import { renewals } from './renewals.js';

const root = document.getElementById('root');
let me = null;
// An operator's pick: { clientId, name }, for this tab.
let picked = null;
const PICK_KEY = 'ponte.console.client';

const operator = () => me && me.user.role === 'operator';

function pick(c) {
  picked = c ? { clientId: c.clientId, name: c.name } : null;
  if (picked) sessionStorage.setItem(PICK_KEY, JSON.stringify(picked));
  else sessionStorage.removeItem(PICK_KEY);
  setClient(picked && picked.clientId);
}

function restorePick() {
  try { pick(JSON.parse(sessionStorage.getItem(PICK_KEY) || 'null')); } catch { pick(null); }
}

function shell(content) {
  const route = operator() && !picked ? 'clients' : (location.hash.split('/')[1] || 'overview').split('?')[0];
  const link = (to, key) => h('a', { href: `#/${to}`, 'aria-current': route === to ? 'page' : undefined }, t(key));
  root.replaceChildren(
    h('header', { class: 'top' },
      h('span', { class: 'brand' }, t('title')),
      h('nav', { 'aria-label': t('title') },
        operator() ? link('clients', 'nav.clients') : null,
        link('overview', 'nav.overview'), link('connections', 'nav.connections'), link('renewals', 'nav.renewals'),
        link('webhooks', 'nav.webhooks'), link('settings', 'nav.settings'),
        me.sandbox ? link('sandbox', 'nav.sandbox') : null),
      operator() && picked ? h('span', { class: 'picked', id: 'picked' }, t('clients.current', { name: picked.name })) : null,
      h('span', { class: 'who' }, me.user.email),
      h('button', { type: 'button', class: 'quiet', onclick: () => { toggleLocale(); render(); } }, t('lang.switch')),
      h('button', { type: 'button', class: 'quiet', onclick: signOut }, t('signout'))),
    h('main', { id: 'main' }, content));
}

async function signOut() {
  try { await api('DELETE', '/session'); } catch { /* signed out either way */ }
  me = null;
  pick(null);
  location.hash = '';
  render();
}

function signInPage(message) {
  const email = h('input', { id: 'email', type: 'email', autocomplete: 'username', required: true });
  const password = h('input', { id: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const alert = h('p', { class: 'alert', role: 'alert', hidden: !message }, message || '');
  const form = h('form', { class: 'card signin', onsubmit: async (e) => {
    e.preventDefault();
    try {
      const s = await api('POST', '/session', { email: email.value, password: password.value });
      setCsrf(s.csrfToken);
      await boot();
    } catch (err) {
      alert.textContent = err.message;
      alert.hidden = false;
    }
  } },
  h('h1', {}, t('signin.title')),
  h('label', { for: 'email' }, t('signin.email')), email,
  h('label', { for: 'password' }, t('signin.password')), password,
  alert,
  h('button', { type: 'submit', class: 'primary' }, t('signin.submit')),
  h('button', { type: 'button', class: 'quiet', onclick: () => { toggleLocale(); signInPage(); } }, t('lang.switch')));
  root.replaceChildren(h('main', { id: 'main', class: 'center' }, form));
}

async function render() {
  document.documentElement.lang = getLocale();
  if (!me) return signInPage();
  const [, rawPage, id] = location.hash.split('/');
  let page = (rawPage || '').split('?')[0];
  // An operator picks a client before any page of one.
  if (operator() && !picked) page = 'clients';
  const view = {
    clients: () => clients((c) => { pick(c); location.hash = '#/overview'; }),
    connections: () => (id ? connection(decodeURIComponent(id)) : connections()),
    renewals: () => renewals(),
    webhooks: () => (id ? message(decodeURIComponent(id)) : webhooks()),
    settings: () => settings(),
    sandbox: () => sandbox(),
  }[page] || (() => overview());
  const placeholder = h('p', { role: 'status' }, '…');
  shell(placeholder);
  try {
    placeholder.replaceWith(await view());
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) { me = null; return signInPage(); }
    placeholder.replaceWith(h('p', { class: 'alert', role: 'alert' }, t('error.generic', { message: err.message })));
  }
  document.title = `${t('title')}`;
}

async function boot() {
  // A one-time link carries its token in the fragment: never sent to a server log.
  const m = location.hash.match(/^#token=([\w-]+)/);
  if (m) {
    history.replaceState(null, '', '/console/#/overview');
    try {
      root.replaceChildren(h('p', { role: 'status' }, t('signin.link')));
      const s = await api('POST', '/session/link', { token: m[1] });
      setCsrf(s.csrfToken);
    } catch (err) {
      return signInPage(err.message);
    }
  }
  try {
    me = await api('GET', '/session');
    setCsrf(me.csrfToken);
    if (operator()) restorePick(); else pick(null);
  } catch {
    me = null;
  }
  if (location.pathname !== '/console/' && me) history.replaceState(null, '', `/console/${location.hash || '#/overview'}`);
  render();
}

window.addEventListener('hashchange', () => { if (!location.hash.startsWith('#token=')) render(); });
boot();

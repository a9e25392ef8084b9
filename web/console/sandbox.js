// Sandbox tools: open a link, play the end user at the sandbox bank.
import { api } from './api.js';
import { t } from './i18n.js';
import { h } from './dom.js';

const USERS = [
  ['user_good', 'pass_good', 'sandbox.u.good'], ['user_deny', 'pass_good', 'sandbox.u.deny'],
  ['user_mfa', 'pass_good', 'sandbox.u.mfa'], ['user_locked', '*', 'sandbox.u.locked'],
  ['user_flaky', 'pass_good', 'sandbox.u.flaky'], ['user_big', 'pass_good', 'sandbox.u.big'],
  ['user_expiring', 'pass_good', 'sandbox.u.expiring'], ['user_throttled', 'pass_good', 'sandbox.u.throttled'],
];

function field(id, key, attrs = {}) {
  return h('div', { class: 'field' }, h('label', { for: id }, t(key)), h('input', { id, name: id, ...attrs }));
}

export async function sandbox() {
  const linkOut = h('p', { role: 'status', class: 'note' });
  const linkForm = h('form', { class: 'filters', onsubmit: async (e) => {
    e.preventDefault();
    try {
      const r = await api('POST', '/sandbox/links', { personalTaxId: linkForm.elements.personalTaxId.value });
      linkOut.replaceChildren(`${r.linkId} · `, h('a', { href: r.linkUrl, target: '_blank', rel: 'noopener' }, t('sandbox.open')));
    } catch (err) { linkOut.textContent = err.message; }
  } }, field('personalTaxId', 'sandbox.cpf', { value: '529.982.247-25' }),
  h('button', { type: 'submit', class: 'primary' }, t('sandbox.createLink')), linkOut);

  const pending = await api('GET', '/connections?status=AWAITING_AUTHORISATION&perPage=50');
  const authorised = await api('GET', '/connections?status=AUTHORISED&perPage=50');
  const out = h('p', { role: 'status', class: 'note' });
  const consentSelect = (id, list) => h('select', { id, name: 'consentId' },
    list.data.length ? list.data.map((c) => h('option', { value: c.consentId }, `${c.consentId} · ${c.institutionName}`))
      : h('option', { value: '' }, t('detail.none')));
  const userSelect = (id) => h('select', { id, name: 'username' }, USERS.map(([u]) => h('option', { value: u }, u)));
  const act = (path) => async (e) => {
    e.preventDefault();
    const f = e.target.elements;
    try {
      const r = await api('POST', `/sandbox/consents/${encodeURIComponent(f.consentId.value)}/${path}`,
        { username: f.username.value, password: f.password.value, otp: f.otp ? f.otp.value || undefined : undefined });
      out.textContent = `${r.consentId}: ${r.status}`;
    } catch (err) { out.textContent = err.message; }
  };
  const authForm = h('form', { class: 'filters', onsubmit: act('authorise') },
    h('div', { class: 'field' }, h('label', { for: 'auth-consent' }, t('sandbox.consent')), consentSelect('auth-consent', pending)),
    h('div', { class: 'field' }, h('label', { for: 'auth-user' }, t('sandbox.user')), userSelect('auth-user')),
    field('auth-password', 'sandbox.password', { value: 'pass_good' }),
    field('auth-otp', 'sandbox.otp', { value: '' }),
    h('button', { type: 'submit', class: 'primary', disabled: !pending.data.length }, t('sandbox.authorise')));
  authForm.elements['auth-password'].name = 'password';
  authForm.elements['auth-otp'].name = 'otp';
  const revokeForm = h('form', { class: 'filters', onsubmit: act('revoke-at-institution') },
    h('div', { class: 'field' }, h('label', { for: 'rev-consent' }, t('sandbox.consent')), consentSelect('rev-consent', authorised)),
    h('div', { class: 'field' }, h('label', { for: 'rev-user' }, t('sandbox.user')), userSelect('rev-user')),
    field('rev-password', 'sandbox.password', { value: 'pass_good' }),
    h('button', { type: 'submit', disabled: !authorised.data.length }, t('sandbox.revoke')));
  revokeForm.elements['rev-password'].name = 'password';
  return h('div', {},
    h('h1', {}, t('nav.sandbox')),
    h('section', { class: 'card' }, h('h2', {}, t('sandbox.createLink')), linkForm),
    h('section', { class: 'card' }, h('h2', {}, t('sandbox.authorise')), authForm, out),
    h('section', { class: 'card' }, h('h2', {}, t('sandbox.revoke')), revokeForm),
    h('section', { class: 'card' }, h('h2', {}, t('sandbox.users')),
      h('table', { tabindex: '0' }, h('thead', {}, h('tr', {}, [t('sandbox.user'), t('sandbox.password'), t('sandbox.behaviour')].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, USERS.map(([u, p, k]) => h('tr', {}, h('td', {}, h('code', {}, u)), h('td', {}, h('code', {}, p)), h('td', {}, t(k))))))));
}

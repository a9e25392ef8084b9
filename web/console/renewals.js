// Renewals (issues 26 and 27): connections that expire within the client's
// lead time, with the days left and how to renew each (the Data API call
// without a redirect, or an update-mode link for the end user), and the
// connections made as duplicates of another.
import { api } from './api.js';
import { t, statusText } from './i18n.js';
import { h } from './dom.js';

const day = (iso) => iso.slice(0, 10);
const detail = (id) => h('a', { href: `#/connections/${encodeURIComponent(id)}` }, id);

function updateLinkButton(c) {
  const out = h('p', { class: 'note', role: 'status' });
  const button = h('button', { type: 'button', class: 'primary', 'data-renew': c.consentId, onclick: async () => {
    button.disabled = true;
    try {
      const link = await api('POST', `/connections/${encodeURIComponent(c.consentId)}/update-link`, {});
      out.replaceChildren(t('ren.linkMade'), ' ', h('code', { class: 'update-link' }, link.linkUrl));
    } catch (err) {
      out.replaceChildren(h('span', { class: 'alert', role: 'alert' }, err.message));
    } finally {
      button.disabled = false;
    }
  } }, t('ren.updateLink'));
  return h('div', {}, button, out);
}

function expiringCard(list, lead) {
  return h('section', { class: 'card', id: 'expiring' },
    h('h2', {}, t('ren.expiring')),
    h('p', { class: 'note' }, t('ren.expiringHelp', { days: lead })),
    list.length ? h('table', { tabindex: '0' },
      h('thead', {}, h('tr', {}, ['conn.consent', 'conn.taxId', 'conn.institution', 'ren.expires', 'ren.daysLeft', 'ren.renew']
        .map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, list.map((c) => h('tr', { 'data-consent': c.consentId },
        h('td', {}, detail(c.consentId)), h('td', {}, c.personalTaxId), h('td', {}, c.institutionName),
        h('td', {}, day(c.expirationDateTime)),
        h('td', { class: 'days-left' }, t(c.daysLeft === 1 ? 'ren.day' : 'ren.days', { n: c.daysLeft })),
        h('td', {},
          h('details', {}, h('summary', {}, t('ren.command')), h('code', { class: 'command' }, c.renewCommand)),
          updateLinkButton(c))))))
      : h('p', {}, t('ren.noneExpiring')));
}

function duplicatesCard(list) {
  return h('section', { class: 'card', id: 'duplicates' },
    h('h2', {}, t('ren.duplicates')),
    h('p', { class: 'note' }, t('ren.duplicatesHelp')),
    list.length ? h('table', { tabindex: '0' },
      h('thead', {}, h('tr', {}, ['conn.consent', 'ren.duplicateOf', 'conn.taxId', 'conn.institution', 'conn.status', 'conn.created']
        .map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, list.map((c) => h('tr', { 'data-consent': c.consentId },
        h('td', {}, detail(c.consentId)), h('td', { class: 'duplicate-of' }, detail(c.duplicateOf)),
        h('td', {}, c.personalTaxId), h('td', {}, c.institutionName),
        h('td', {}, h('span', { class: `status s-${c.status}` }, statusText(c.status))),
        h('td', {}, c.createdAt.replace('T', ' ').slice(0, 19))))))
      : h('p', {}, t('ren.noDuplicates')));
}

export async function renewals() {
  const l = await api('GET', '/lifecycle');
  return h('div', {},
    h('h1', {}, t('ren.title')),
    expiringCard(l.expiring, l.leadDays),
    duplicatesCard(l.duplicates));
}

/** A connection's monthly call budget per endpoint (the Data API's quota). */
export async function quotaCard(consentId) {
  const q = await api('GET', `/connections/${encodeURIComponent(consentId)}/quota`);
  return h('section', { class: 'card', id: 'quota' },
    h('h2', {}, t('ren.quota')),
    q.endpoints.length ? h('table', { tabindex: '0' },
      h('thead', {}, h('tr', {}, ['ren.endpoint', 'ren.used', 'ren.remaining', 'ren.resets'].map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, q.endpoints.map((e) => h('tr', {},
        h('td', {}, h('code', {}, e.endpoint)), h('td', {}, `${e.used} / ${e.limit}`),
        h('td', { class: e.remaining === 0 ? 'spent' : undefined }, String(e.remaining)),
        h('td', {}, day(e.resetsAt))))))
      : h('p', {}, t('detail.none')));
}

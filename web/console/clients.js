// An operator's client picker: every client, searchable by name or id.
// The pick is kept for this tab only and sent as clientId on every call.
import { api } from './api.js';
import { t } from './i18n.js';
import { h } from './dom.js';

export async function clients(onPick) {
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const q = params.get('q') || '';
  const list = await api('GET', `/clients?q=${encodeURIComponent(q)}`);
  const search = h('input', { id: 'client-search', name: 'q', type: 'search', value: q });
  const form = h('form', { class: 'filters', role: 'search', onsubmit: (e) => {
    e.preventDefault();
    location.hash = `#/clients?${new URLSearchParams({ q: search.value })}`;
  } },
  h('div', { class: 'field' }, h('label', { for: 'client-search' }, t('clients.search')), search),
  h('button', { type: 'submit', class: 'primary' }, t('conn.search')));
  return h('div', {},
    h('h1', {}, t('clients.title')), form,
    list.data.length
      ? h('ul', { class: 'clients', id: 'clients' }, list.data.map((c) => h('li', {},
        h('span', {}, h('strong', {}, c.name), ' ', h('code', {}, c.clientId)),
        h('button', { type: 'button', onclick: () => onPick(c), 'aria-label': `${t('clients.open')}: ${c.name}` }, t('clients.open')))))
      : h('p', {}, t('clients.none')),
    list.hasMore ? h('p', { class: 'note' }, t('clients.more')) : null);
}

// Overview and connections.
import { api } from './api.js';
import { t, statusText, shortDay, longDay } from './i18n.js';
import { h, chart } from './dom.js';
import { quotaCard } from './renewals.js';

const sum = (a) => a.reduce((x, y) => x + (y || 0), 0);

// The order a reader expects (a funnel, good outcomes first); labels in words.
const ORDER = {
  consents: ['AWAITING_AUTHORISATION', 'AUTHORISED', 'REJECTED', 'EXPIRED', 'REVOKED'],
  dataRequests: ['SUCCESS', 'FAILED'],
  webhooks: ['delivered', 'pending', 'dead'],
};

function seriesCard(id, titleKey, days, series, order) {
  const labels = (order || Object.keys(series.counts)).filter((l) => series.counts[l] && sum(series.counts[l]) > 0);
  return h('section', { class: 'card', id },
    h('h2', {}, t(titleKey)),
    labels.length ? h('ul', { class: 'series' }, labels.map((label) => {
      const values = series.counts[label];
      const name = t(`series.${label}`);
      return h('li', {},
        h('span', { class: 'label' }, name),
        h('strong', { class: 'count' }, sum(values)),
        chart(values, days, t('overview.chartLabel', { what: `${t(titleKey)}, ${name}`, total: sum(values) }), shortDay));
    })) : h('p', { class: 'note' }, t('overview.nothing')));
}

// How many consents are in each status now: a consent counts once, where it is.
function nowCard(now) {
  return h('section', { class: 'card', id: 'consents-now' },
    h('h2', {}, t('overview.now')),
    h('dl', { class: 'now' }, ORDER.consents.flatMap((s) => [
      h('dt', {}, h('span', { class: `status s-${s}` }, statusText(s))),
      h('dd', { 'data-status': s }, String(now[s] ?? 0))])));
}

// p50 and p95 come from the same attempts: both shown, or neither.
function latencyCard(o) {
  const l = o.webhookLatency;
  const p95 = o.webhookLatencyMs.map((d) => (d ? d.p95 : null));
  return h('section', { class: 'card', id: 'latency' },
    h('h2', {}, t('overview.latency')),
    l ? h('div', {},
      h('dl', { class: 'now' },
        h('dt', {}, t('series.p50')), h('dd', { id: 'p50' }, `${l.p50} ms`),
        h('dt', {}, t('series.p95')), h('dd', { id: 'p95' }, `${l.p95} ms`)),
      h('p', { class: 'label' }, t('overview.p95PerDay')),
      chart(p95, o.days, t('overview.chartLabel', { what: t('overview.p95PerDay'), total: `${l.p95} ms` }), shortDay, ' ms'))
      : h('p', { class: 'note' }, t('overview.noDeliveries')));
}

function institutionsCard(list) {
  return h('section', { class: 'card', id: 'institutions' },
    h('h2', {}, t('overview.institutions')),
    list.length ? h('ul', { class: 'institutions' }, list.map((i) =>
      h('li', {}, h('span', {}, i.name), h('strong', {}, i.consents))))
      : h('p', { class: 'note' }, t('overview.nothing')));
}

export async function overview() {
  const o = await api('GET', '/overview');
  return h('div', {},
    h('h1', {}, t('overview.title')),
    h('p', { class: 'lead' }, `${longDay(o.days[0])} – ${longDay(o.days[o.days.length - 1])}`),
    h('div', { class: 'grid' },
      nowCard(o.consentsNow),
      seriesCard('links', 'overview.links', o.days, o.links),
      seriesCard('consent-changes', 'overview.consents', o.days, o.consents, ORDER.consents),
      seriesCard('requests', 'overview.requests', o.days, o.dataRequests, ORDER.dataRequests),
      seriesCard('webhooks', 'overview.webhooks', o.days, o.webhooks, ORDER.webhooks),
      latencyCard(o),
      institutionsCard(o.institutions)));
}

function field(id, key, attrs = {}) {
  return h('div', { class: 'field' }, h('label', { for: id }, t(key)), h('input', { id, name: id, ...attrs }));
}

const STATUSES = ['', 'AWAITING_AUTHORISATION', 'AUTHORISED', 'REJECTED', 'EXPIRED', 'REVOKED'];

export async function connections() {
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const page = Number(params.get('page') || '1');
  const data = await api('GET', `/connections?${params}`);
  const form = h('form', { class: 'filters', onsubmit: (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const el of form.elements) if (el.name && el.value) q.set(el.name, el.value);
    location.hash = `#/connections?${q}`;
  } },
  field('taxId', 'conn.taxId', { value: params.get('taxId') || '' }),
  field('externalTrackId', 'conn.track', { value: params.get('externalTrackId') || '' }),
  field('institution', 'conn.institution', { value: params.get('institution') || '' }),
  h('div', { class: 'field' }, h('label', { for: 'status' }, t('conn.status')),
    h('select', { id: 'status', name: 'status' }, STATUSES.map((s) =>
      h('option', { value: s, selected: params.get('status') === s }, s ? statusText(s) : t('none'))))),
  field('from', 'conn.from', { type: 'date', value: params.get('from') || '' }),
  field('to', 'conn.to', { type: 'date', value: params.get('to') || '' }),
  h('button', { type: 'submit', class: 'primary' }, t('conn.search')));
  const rows = data.data.map((c) => h('tr', {},
    h('td', {}, h('a', { href: `#/connections/${encodeURIComponent(c.consentId)}` }, c.consentId)),
    h('td', {}, c.personalTaxId), h('td', {}, c.externalTrackId || t('none')),
    h('td', {}, c.institutionName), h('td', {}, h('span', { class: `status s-${c.status}` }, statusText(c.status))),
    h('td', {}, c.createdAt.replace('T', ' ').slice(0, 19))));
  const go = (p) => { params.set('page', String(p)); location.hash = `#/connections?${params}`; };
  return h('div', {},
    h('h1', {}, t('conn.title')), form,
    rows.length ? h('table', { tabindex: '0' },
      h('thead', {}, h('tr', {}, ['conn.consent', 'conn.taxId', 'conn.track', 'conn.institution', 'conn.status', 'conn.created']
        .map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, rows)) : h('p', {}, t('conn.none')),
    h('div', { class: 'pager' },
      page > 1 ? h('button', { type: 'button', onclick: () => go(page - 1) }, t('conn.prev')) : null,
      data.hasMore ? h('button', { type: 'button', onclick: () => go(page + 1) }, t('conn.more')) : null));
}

export async function connection(id) {
  const c = await api('GET', `/connections/${encodeURIComponent(id)}`);
  const revoke = h('button', { type: 'button', class: 'danger', id: 'revoke', onclick: async () => {
    if (!window.confirm(t('detail.revokeConfirm'))) return;
    await api('POST', `/connections/${encodeURIComponent(id)}/revoke`, {});
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } }, t('detail.revoke'));
  const ended = ['REVOKED', 'REJECTED', 'EXPIRED'].includes(c.status);
  const quota = await quotaCard(id);
  return h('div', {},
    h('p', {}, h('a', { href: '#/connections' }, t('detail.back'))),
    h('h1', {}, c.consentId),
    h('dl', { class: 'facts' },
      h('dt', {}, t('conn.status')), h('dd', {}, h('span', { class: `status s-${c.status}`, 'data-status': c.status }, statusText(c.status))),
      h('dt', {}, t('conn.taxId')), h('dd', {}, c.personalTaxId + (c.businessTaxId ? ` · ${c.businessTaxId}` : '')),
      h('dt', {}, t('conn.institution')), h('dd', {}, c.institutionName),
      h('dt', {}, t('conn.track')), h('dd', {}, c.externalTrackId || t('none')),
      h('dt', {}, t('conn.link')), h('dd', {}, c.linkId)),
    ended ? null : revoke,
    h('section', { class: 'card' }, h('h2', {}, t('detail.history')),
      h('ol', { class: 'history' }, c.statusHistory.map((s) =>
        h('li', {}, h('strong', {}, statusText(s.status)), ` ${s.at.replace('T', ' ').slice(0, 19)}`, s.reason ? ` · ${s.reason}` : '')))),
    quota,
    h('section', { class: 'card' }, h('h2', {}, t('detail.products')),
      c.products.length ? h('p', { id: 'products' }, c.products.join(', ')) : h('p', {}, t('detail.none'))),
    h('section', { class: 'card' }, h('h2', {}, t('detail.reports')),
      c.reports.length ? h('table', { tabindex: '0', id: 'reports' },
        h('thead', {}, h('tr', {}, [t('detail.product'), t('conn.status'), t('detail.generated'), 'JSON', 'PDF'].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, c.reports.map((r) => h('tr', {},
          h('td', {}, r.product), h('td', {}, statusText(r.status)), h('td', {}, r.generatedAt.replace('T', ' ').slice(0, 19)),
          h('td', {}, r.downloadUrl ? h('a', { href: r.downloadUrl, download: `${r.reportId}.json` }, 'JSON') : t('none')),
          h('td', {}, r.pdfUrl ? h('a', { href: r.pdfUrl, download: `${r.reportId}.pdf` }, 'PDF') : t('none'))))))
        : h('p', {}, t('detail.none'))));
}

// The webhook delivery log, one message, replays and disabled endpoints.
import { api } from './api.js';
import { t, statusText } from './i18n.js';
import { h } from './dom.js';

const when = (s) => (s ? s.replace('T', ' ').slice(0, 19) : t('none'));

function field(id, key, attrs = {}) {
  return h('div', { class: 'field' }, h('label', { for: id }, t(key)), h('input', { id, name: id, ...attrs }));
}

export async function webhooks() {
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const [list, endpoints, settings] = await Promise.all([
    api('GET', `/webhooks/messages?${params}`), api('GET', '/webhooks/endpoints'), api('GET', '/settings')]);
  const form = h('form', { class: 'filters', onsubmit: (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const el of form.elements) if (el.name && el.value) q.set(el.name, el.value);
    location.hash = `#/webhooks?${q}`;
  } },
  field('event', 'wh.event', { value: params.get('event') || '' }),
  h('div', { class: 'field' }, h('label', { for: 'status' }, t('wh.status')),
    h('select', { id: 'status', name: 'status' }, ['', 'pending', 'delivered', 'dead'].map((s) =>
      h('option', { value: s, selected: params.get('status') === s }, s ? statusText(s) : t('none'))))),
  field('url', 'wh.url', { value: params.get('url') || '' }),
  field('from', 'wh.from', { value: params.get('from') || '' }),
  field('to', 'wh.to', { value: params.get('to') || '' }),
  h('button', { type: 'submit', class: 'primary' }, t('wh.filter')));
  const since = h('input', { id: 'since', name: 'since', value: new Date(Date.now() - 86400000).toISOString() });
  const note = h('p', { role: 'status', class: 'note' });
  const replayDead = h('form', { class: 'filters', onsubmit: async (e) => {
    e.preventDefault();
    try {
      const r = await api('POST', '/webhooks/replay', { since: since.value });
      note.textContent = t('wh.replayedCount', { replayed: r.replayed, skipped: r.skipped });
    } catch (err) { note.textContent = err.message; }
  } }, h('div', { class: 'field' }, h('label', { for: 'since' }, t('wh.replayDead')), since),
  h('button', { type: 'submit' }, t('wh.replayDeadGo')), note);
  const disabled = endpoints.disabled.length
    ? h('ul', {}, endpoints.disabled.map((e) => h('li', {}, `${e.url} (${when(e.disabledAt)}) `,
      h('button', { type: 'button', onclick: async () => {
        await api('POST', '/webhooks/endpoints/enable', { url: e.url });
        window.dispatchEvent(new HashChangeEvent('hashchange'));
      } }, t('wh.enable')))))
    : h('p', {}, t('wh.noneDisabled'));
  return h('div', {},
    h('h1', {}, t('wh.title')), form,
    list.data.length ? h('table', { tabindex: '0', id: 'messages' },
      h('thead', {}, h('tr', {}, ['Id', t('wh.event'), t('wh.status'), t('wh.attempts'), t('conn.created')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, list.data.map((m) => h('tr', {},
        h('td', {}, h('a', { href: `#/webhooks/${encodeURIComponent(m.id)}` }, m.id)),
        h('td', {}, m.eventType), h('td', {}, h('span', { class: `status s-${m.status}` }, statusText(m.status))),
        h('td', {}, m.attempts), h('td', {}, when(m.createdAt))))))
      : h('p', {}, t('wh.none')),
    testEvent(settings.webhookUrl),
    h('section', { class: 'card' }, replayDead),
    h('section', { class: 'card' }, h('h2', {}, t('wh.disabled')), disabled));
}

// "Send a test event": one signed TEST event, its outcome in words.
function testEvent(defaultUrl) {
  const url = h('input', { id: 'test-url', name: 'url', type: 'url', value: defaultUrl || '', placeholder: 'https://', 'aria-describedby': 'test-help' });
  const out = h('p', { role: 'status', class: 'note', id: 'test-result' });
  const answer = h('pre', { id: 'test-answer', hidden: true, tabindex: '0', 'aria-label': t('wh.answer') });
  const form = h('form', { class: 'filters', id: 'test-event', onsubmit: async (e) => {
    e.preventDefault();
    out.textContent = t('wh.testSending');
    answer.hidden = true;
    try {
      const r = await api('POST', '/webhooks/test', { url: url.value });
      const vars = { code: r.statusCode, ms: r.latencyMs, error: r.error };
      out.textContent = r.statusCode === null ? t('wh.testFailed', vars) : t(r.delivered ? 'wh.testOk' : 'wh.testRefused', vars);
      out.className = r.delivered ? 'note ok' : 'alert';
      if (r.response) { answer.textContent = r.response; answer.hidden = false; }
    } catch (err) {
      out.textContent = err.message;
      out.className = 'alert';
    }
  } },
  h('div', { class: 'field' }, h('label', { for: 'test-url' }, t('wh.testUrl')), url),
  h('button', { type: 'submit', class: 'primary' }, t('wh.testGo')));
  return h('section', { class: 'card' }, h('h2', {}, t('wh.test')),
    h('p', { class: 'note', id: 'test-help' }, t('wh.testHelp')), form, out, answer);
}

export async function message(id) {
  const m = await api('GET', `/webhooks/messages/${encodeURIComponent(id)}`);
  const note = h('p', { role: 'status', class: 'note' });
  const replay = h('button', { type: 'button', class: 'primary', id: 'replay', onclick: async () => {
    try {
      await api('POST', `/webhooks/messages/${encodeURIComponent(id)}/replay`, {});
      note.textContent = t('wh.replayed');
      setTimeout(() => window.dispatchEvent(new HashChangeEvent('hashchange')), 1500);
    } catch (err) { note.textContent = err.message; }
  } }, t('wh.replay'));
  return h('div', {},
    h('p', {}, h('a', { href: '#/webhooks' }, t('wh.back'))),
    h('h1', {}, m.eventType),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Id'), h('dd', {}, m.id),
      h('dt', {}, t('wh.status')), h('dd', {}, h('span', { class: `status s-${m.status}`, id: 'message-status', 'data-status': m.status }, statusText(m.status))),
      h('dt', {}, t('conn.created')), h('dd', {}, when(m.createdAt))),
    m.status === 'pending' ? null : replay, note,
    h('section', { class: 'card' }, h('h2', {}, t('wh.attempts')),
      h('table', { id: 'attempts', tabindex: '0' },
        h('thead', {}, h('tr', {}, ['#', t('wh.at'), t('wh.url'), t('wh.code'), t('wh.latency'), t('wh.error'), t('wh.answer')].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, m.attemptHistory.map((a) => h('tr', {},
          h('td', {}, a.attempt), h('td', {}, when(a.at)), h('td', {}, a.url || t('none')),
          h('td', {}, a.statusCode ?? t('none')), h('td', {}, a.latencyMs), h('td', {}, a.error || t('none')),
          h('td', {}, h('code', {}, a.response || '')))))))
    ,
    h('section', { class: 'card' }, h('h2', {}, t('wh.headers')), h('pre', { tabindex: '0', 'aria-label': t('wh.headers') }, JSON.stringify(m.headers, null, 2))),
    h('section', { class: 'card' }, h('h2', {}, t('wh.body')), h('pre', { tabindex: '0', 'aria-label': t('wh.body') }, JSON.stringify(m.payload, null, 2))));
}

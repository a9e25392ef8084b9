// Credentials rotation and the widget's white-label, with a live preview.
import { api } from './api.js';
import { t, getLocale } from './i18n.js';
import { h } from './dom.js';

function field(id, key, value, attrs = {}) {
  return h('div', { class: 'field' }, h('label', { for: id }, t(key)), h('input', { id, name: id, value: value || '', ...attrs }));
}

function previewUrl(color, name, logo) {
  const q = new URLSearchParams();
  if (color) q.set('color', color);
  if (name) q.set('name', name);
  if (logo) q.set('logo', logo);
  q.set('lang', getLocale() === 'en' ? 'en' : 'pt-BR');
  return `/console/preview?${q}`;
}

// Webhook URLs and auto-delivery; an error marks the field it names.
function webhookForm(s) {
  const note = h('p', { role: 'status', class: 'note' });
  const form = h('form', { class: 'stack', id: 'webhook-settings', onsubmit: async (e) => {
    e.preventDefault();
    for (const el of form.elements) el.removeAttribute('aria-invalid');
    try {
      const r = await api('PUT', '/settings/webhooks', {
        webhookUrl: form.elements.webhookUrl.value,
        reportWebhookUrl: form.elements.reportWebhookUrl.value,
        autoDelivery: form.elements.autoDelivery.checked,
      });
      form.elements.webhookUrl.value = r.webhookUrl || '';
      form.elements.reportWebhookUrl.value = r.reportWebhookUrl || '';
      note.className = 'note';
      note.textContent = t('set.saved');
    } catch (err) {
      const bad = err.field && form.elements[err.field];
      if (bad) { bad.setAttribute('aria-invalid', 'true'); bad.focus(); }
      note.className = 'alert';
      note.textContent = err.message;
    }
  } },
  field('webhookUrl', 'set.webhookUrl', s.webhookUrl, { type: 'url', placeholder: 'https://', 'aria-describedby': 'url-help' }),
  field('reportWebhookUrl', 'set.reportUrl', s.reportWebhookUrl, { type: 'url', placeholder: 'https://', 'aria-describedby': 'url-help' }),
  h('p', { class: 'note', id: 'url-help' }, t('set.urlHelp')),
  h('div', { class: 'check' },
    h('input', { id: 'autoDelivery', name: 'autoDelivery', type: 'checkbox', checked: s.autoDelivery }),
    h('label', { for: 'autoDelivery' }, `${t('set.auto')}: ${t('set.autoHelp')}`)),
  h('button', { type: 'submit', class: 'primary' }, t('set.editWebhooks')), note);
  return form;
}

export async function settings() {
  const s = await api('GET', '/settings');
  const b = s.branding;
  const secretOut = h('div', { role: 'status' });
  const rotate = h('button', { type: 'button', id: 'rotate-secret', onclick: async () => {
    const r = await api('POST', '/settings/rotate-secret', {});
    secretOut.replaceChildren(h('p', {}, t('set.newSecret')), h('code', { id: 'new-secret', class: 'secret' }, r.apiSecret));
  } }, t('set.rotate'));
  const whOut = h('div', { role: 'status' });
  const rotateWh = h('button', { type: 'button', id: 'rotate-webhook-secret', onclick: async () => {
    const r = await api('POST', '/settings/rotate-webhook-secret', {});
    whOut.replaceChildren(h('p', {}, t('set.newWh')), h('code', { class: 'secret' }, r.webhookSecret));
  } }, t('set.rotateWh'));
  const frame = h('iframe', { id: 'preview', title: t('set.preview'), src: previewUrl(s.widgetColor, b.displayName || s.name, b.logoUrl) });
  const note = h('p', { role: 'status', class: 'note' });
  const form = h('form', { class: 'stack', id: 'branding', oninput: () => {
    const c = form.elements.primaryColor.value;
    if (/^#[0-9a-fA-F]{6}$/.test(c)) frame.src = previewUrl(c, form.elements.displayName.value || s.name, form.elements.logoUrl.value);
  }, onsubmit: async (e) => {
    e.preventDefault();
    const body = {};
    for (const k of ['displayName', 'logoUrl', 'primaryColor', 'privacyPolicyUrl', 'frameOrigins']) body[k] = form.elements[k].value;
    try {
      const r = await api('PUT', '/settings/branding', body);
      note.textContent = t('set.saved');
      frame.src = previewUrl(r.widgetColor, r.branding.displayName || s.name, r.branding.logoUrl);
    } catch (err) { note.textContent = err.message; }
  } },
  field('displayName', 'set.displayName', b.displayName),
  field('logoUrl', 'set.logo', b.logoUrl, { type: 'url' }),
  field('primaryColor', 'set.color', b.primaryColor || '#0f766e', { type: 'color' }),
  field('privacyPolicyUrl', 'set.privacy', b.privacyPolicyUrl, { type: 'url' }),
  field('frameOrigins', 'set.origins', (b.frameOrigins || []).join(' ')),
  h('button', { type: 'submit', class: 'primary' }, t('set.save')), note);
  return h('div', {},
    h('h1', {}, t('set.title')),
    h('section', { class: 'card' }, h('h2', {}, t('set.keys')),
      h('dl', { class: 'facts' }, h('dt', {}, t('set.clientId')), h('dd', {}, s.clientId), h('dt', {}, t('set.apiKey')), h('dd', {}, h('code', {}, s.apiKey))),
      rotate, secretOut, rotateWh, whOut),
    h('section', { class: 'card' }, h('h2', {}, t('set.webhooks')), webhookForm(s)),
    h('section', { class: 'card split' },
      h('div', {}, h('h2', {}, t('set.branding')), form),
      h('div', {}, h('h2', {}, t('set.preview')), frame)));
}

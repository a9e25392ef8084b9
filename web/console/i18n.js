// The console's language: the rule (`ponte_lang` cookie, else the browser's
// languages, else pt-BR), lookups and date formats.
import PT from '../i18n/pt-BR.js';
import EN from '../i18n/en.js';

// The console's strings are the `console.` keys of web/i18n/, the one
// catalogue of every Ponte page in the browser.
const STRINGS = { 'pt-BR': PT, en: EN };
const PREFIX = 'console.';

// The one language rule (the server's is crates/ponte-server/src/web/lang.rs):
// a choice made with the switch on any Ponte page (the `ponte_lang` cookie),
// else the browser's languages, else Brazilian Portuguese.
const COOKIE = 'ponte_lang';

function tagOf(raw) {
  const v = String(raw || '').toLowerCase();
  return v.startsWith('en') ? 'en' : v.startsWith('pt') ? 'pt-BR' : null;
}

function chosen() {
  const found = document.cookie.split(';').map((c) => c.trim().split('=')).find(([k]) => k === COOKIE);
  return found ? tagOf(found[1]) : null;
}

let locale = chosen() || (navigator.languages || []).map(tagOf).find(Boolean) || 'pt-BR';
document.documentElement.lang = locale;

export function getLocale() { return locale; }
export function toggleLocale() {
  locale = locale === 'en' ? 'pt-BR' : 'en';
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = `${COOKIE}=${locale}; Path=/; Max-Age=31536000; SameSite=Lax${secure}`;
  document.documentElement.lang = locale;
}
export function t(key, vars = {}) {
  const s = STRINGS[locale][PREFIX + key] ?? STRINGS['pt-BR'][PREFIX + key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));
}

// 'YYYY-MM-DD' (a UTC day) as the reader writes a short date: 06/12 or
// Dec 6 (a numeric 12/06 would read as June to half the English readers).
export function shortDay(day) {
  const style = locale === 'en' ? { day: 'numeric', month: 'short' } : { day: '2-digit', month: '2-digit' };
  return new Date(`${day}T00:00:00Z`).toLocaleDateString(locale, { ...style, timeZone: 'UTC' });
}
export function longDay(day) {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

// A status in words, never the raw code ('AUTHORISED' → 'Autorizado').
export function statusText(code) {
  return STRINGS[locale][`${PREFIX}st.${code}`] ? t(`st.${code}`) : code;
}

// The widget's and the documents app's language: the rule, lookups and
// formats. No DOM here, so the browser tests can check it from Node too.

import PT from '../i18n/pt-BR.js';
import EN from '../i18n/en.js';

export const LOCALES = ['pt-BR', 'en'];

// The strings live in web/i18n/, the one catalogue of every Ponte page in
// the browser (widget, documents app, console).
export const STRINGS = { 'pt-BR': PT, en: EN };

// The one language rule (the server's is crates/ponte-server/src/web/lang.rs):
// an explicit choice, remembered in the `ponte_lang` cookie on every Ponte
// page; else the link's locale, else its client's (both from /link/session);
// else the browser's languages; else pt-BR.
const COOKIE = 'ponte_lang';

/** The language the end user chose on any Ponte page, if any. */
export function chosenLocale() {
  const found = document.cookie.split(';').map((c) => c.trim().split('=')).find(([k]) => k === COOKIE);
  const v = found && String(found[1] || '').toLowerCase();
  if (!v) return null;
  return v.startsWith('en') ? 'en' : v.startsWith('pt') ? 'pt-BR' : null;
}

/** Remembers a choice made with a page's switch, for every Ponte page. */
export function rememberLocale(locale) {
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = `${COOKIE}=${locale}; Path=/; Max-Age=31536000; SameSite=Lax${secure}`;
}

/** The rule, given the link's (or client's) locale when known. */
export function ruleLocale(context) {
  const c = context === 'en' || context === 'pt-BR' ? context : null;
  return chosenLocale() || c || pickLocale(navigator.languages);
}

/** The first of the browser's languages we speak; Portuguese otherwise. */
export function pickLocale(languages) {
  for (const lang of languages || []) {
    const l = String(lang).toLowerCase();
    if (l.startsWith('pt')) return 'pt-BR';
    if (l.startsWith('en')) return 'en';
  }
  return 'pt-BR';
}

/** The string `key` in `locale` with `{name}` placeholders filled from `vars`. */
export function t(locale, key, vars = {}) {
  const table = STRINGS[locale] || STRINGS['pt-BR'];
  const text = table[key] ?? STRINGS['pt-BR'][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

/** "25 de novembro de 2027" / "November 25, 2027". */
export function formatDate(locale, date) {
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-US' : 'pt-BR', { dateStyle: 'long' }).format(date);
}

/** "R$ 1.234,56" / "R$1,234.56": amounts are reais in both languages. */
export function formatMoney(locale, amount) {
  return new Intl.NumberFormat(locale === 'en' ? 'en-US' : 'pt-BR', { style: 'currency', currency: 'BRL' }).format(amount);
}

/** "1 instituição" / "12 instituições", by the language's plural rules. */
export function countLabel(locale, count) {
  if (count === 0) return t(locale, 'picker.none');
  const rule = new Intl.PluralRules(locale === 'en' ? 'en-US' : 'pt-BR').select(count);
  return t(locale, rule === 'one' ? 'picker.count.one' : 'picker.count.other', { count });
}

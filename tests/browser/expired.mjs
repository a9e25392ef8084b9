// A link opened after it expired: plain words, a way forward, no API message.
// Usage: node tests/browser/expired.mjs '{"base":…,"expired":linkUrl}'
import { run, phone, shot, axe, fitsWidth, check } from './lib.mjs';
import { t } from '../../web/widget/i18n.js';

const urls = JSON.parse(process.argv[2] || '{}');

async function expired(browser, locale, lang, name) {
  const page = await phone(browser, locale);
  await page.goto(urls.expired);
  await page.waitForSelector('body[data-at="error"]');
  const alert = await page.locator('section[data-screen="error"] [role="alert"]').innerText();
  check(alert.includes(t(lang, 'error.expired.title')) && alert.includes(t(lang, 'error.expired.text')), `${name}: ${alert}`);
  check(!/token|bearer|expired\b.*\(|TOKEN_EXPIRED/i.test(alert.replace(t(lang, 'error.expired.title'), '')), `${name}: an API message leaked: ${alert}`);
  await fitsWidth(page, name);
  await axe(page, name);
  await shot(page, name);
  await page.context().close();
}

await run([
  ['an expired link in Portuguese', (browser) => expired(browser, 'pt-BR', 'pt-BR', 'expired-pt')],
  ['an expired link in English', (browser) => expired(browser, 'en-US', 'en', 'expired-en')],
]);

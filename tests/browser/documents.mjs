// The documents app (`/app`, Taiki's hosted app) at a phone's size, in
// Portuguese and English: who receives the documents → portal picker →
// hand-off → the portal's own sign-in → progress → success with the files;
// `user_mfa`'s one-time code; `user_locked`'s failure and its next step;
// leaving from the picker; a bad token's page. axe-core on every screen.
// Usage: node tests/browser/documents.mjs '{"base":…,"client":…,"good_pt":url,"good_en":url,"mfa":url,"locked":url,"exit":url}'
import { run, phone, shot, axe, fitsWidth, check } from './lib.mjs';

const args = JSON.parse(process.argv[2] || '{}');
// The retrieval runs in a job after the portal's return: a generous bound.
const RETRIEVAL_TIMEOUT = 120_000;

const WORDS = {
  'pt-BR': {
    intro: 'quer receber cópias dos seus documentos',
    empty: 'Nenhuma instituição corresponde',
    portalLogin: 'Entrar em Harborline Bank',
    progress: 'Buscando seus documentos',
    success: 'Documentos enviados para',
    locked: 'Sua conta está bloqueada',
    exited: 'Você saiu sem enviar documentos',
    english: 'English',
  },
  en: {
    intro: 'would like copies of your documents',
    empty: 'No institution matches',
    portalLogin: 'Sign in to Harborline Bank',
    progress: 'Fetching your documents',
    success: 'Documents sent to',
    locked: 'Your account is locked',
    exited: 'You left without sharing documents',
    english: 'Português',
  },
};

/**
 * A phone page that records every failed answer except those the journey
 * means to meet: the portal refusing a sign-in or a code (401, 403).
 */
async function open(browser, locale) {
  const page = await phone(browser, locale);
  page.failed = [];
  page.on('response', (r) => {
    const expected = /\/portals\/[^/]+\/(login|otp)$/.test(new URL(r.url()).pathname) && [401, 403].includes(r.status());
    if (r.status() >= 400 && !expected) page.failed.push(`${r.status()} ${new URL(r.url()).pathname}`);
  });
  return page;
}

/** No page error, no console error but failed loads, no unexpected failed answer. */
function clean(page, name) {
  const problems = page.problems.filter((p) => !p.includes('Failed to load resource'));
  check(problems.length === 0 && page.failed.length === 0, `${name}: ${[...problems, ...page.failed].join('; ')}`);
}

async function look(page, name) {
  await fitsWidth(page, name);
  await axe(page, name);
  await shot(page, name);
}

const at = (page, screen, timeout) => page.waitForSelector(`body[data-at="docs-${screen}"]`, timeout ? { timeout } : {});
const heading = (page, screen) => page.locator(`section[data-screen="docs-${screen}"] h1`).innerText();

/** Opens the app and walks to the picker, checking the first screen. */
async function toPicker(page, url, lang, name) {
  const w = WORDS[lang];
  await page.goto(url);
  await at(page, 'intro');
  check(!page.url().includes('access_token'), `${name}: the token left the address bar (${page.url()})`);
  check((await page.getAttribute('html', 'lang')) === lang, `${name}: html lang`);
  const title = await heading(page, 'intro');
  check(title.includes(args.client) && title.includes(w.intro), `${name}: intro title "${title}"`);
  check((await page.locator('section[data-screen="docs-intro"] ul.shared li').count()) === 3, `${name}: what will be retrieved`);
  await look(page, `${name}-1-intro`);
  await page.click('#docs-continue');
  await at(page, 'picker');
  check((await page.locator('#docs-portals button.bank').count()) >= 3, `${name}: three portals listed`);
}

/** Picks Harborline (searched without its case) and signs in at the portal. */
async function toPortal(page, lang, name) {
  const w = WORDS[lang];
  await page.fill('#docs-q', 'zzzz');
  check((await page.locator('#docs-empty').isVisible()), `${name}: the empty state`);
  check((await page.locator('#docs-empty-text').innerText()).includes(w.empty), `${name}: empty text`);
  await look(page, `${name}-2-picker-empty`);
  await page.fill('#docs-q', 'HARBOR');
  check((await page.locator('#docs-portals button.bank').count()) === 1, `${name}: search finds Harborline`);
  await look(page, `${name}-3-picker`);
  await page.click('button.bank[data-code="harborline"]');
  await at(page, 'handoff');
  await look(page, `${name}-4-handoff`);
  await page.click('#docs-go');
  await page.waitForURL(/\/portals\/harborline\/login/);
  check((await page.getAttribute('html', 'lang')) === lang, `${name}: the portal speaks ${lang}`);
  const title = await page.locator('h2').innerText();
  check(title === w.portalLogin, `${name}: portal title "${title}"`);
  check((await page.locator('form[data-step="language"] button').innerText()) === w.english, `${name}: the portal's language switch`);
  await look(page, `${name}-5-portal-login`);
}

async function signIn(page, user) {
  await page.fill('#username', user);
  await page.fill('#password', 'pass_good');
  await page.click('form[data-step="login"] button[type="submit"]');
}

async function success(page, lang, name) {
  const w = WORDS[lang];
  await page.click('form[data-step="approve"] button[value="approve"]');
  // Back through /callback/documents to the app, which follows the retrieval.
  await page.waitForURL(/\/app(\?|$)/);
  await at(page, 'success', RETRIEVAL_TIMEOUT);
  check(!page.url().includes('returned'), `${name}: a clean address after the return`);
  const title = await heading(page, 'success');
  check(title.includes(w.success) && title.includes(args.client), `${name}: success title "${title}"`);
  const files = page.locator('#docs-success-files li');
  const n = await files.count();
  check(n >= 3, `${name}: the files are listed (${n})`);
  for (let i = 0; i < n; i += 1) {
    const text = await files.nth(i).innerText();
    check(/\.pdf/.test(text) && /\d.*kB/.test(text), `${name}: a file with its size: "${text}"`);
  }
  await look(page, `${name}-7-success`);
  await page.click('#docs-finish');
  await at(page, 'done');
}

async function good(browser, url, locale, lang, name) {
  const page = await open(browser, locale);
  await toPicker(page, url, lang, name);
  await toPortal(page, lang, name);
  await signIn(page, 'user_good');
  await page.waitForSelector('form[data-step="approve"]');
  await look(page, `${name}-6-portal-approve`);
  await success(page, lang, name);
  clean(page, name);
  await page.context().close();
}

async function mfa(browser) {
  const name = 'documents-mfa';
  const page = await open(browser, 'pt-BR');
  await toPicker(page, args.mfa, 'pt-BR', name);
  await toPortal(page, 'pt-BR', name);
  await signIn(page, 'user_mfa');
  await page.waitForSelector('form[data-step="otp"]');
  await page.fill('#otp', '000000');
  await page.click('form[data-step="otp"] button[type="submit"]');
  await page.waitForSelector('[data-error="otp"]');
  await page.fill('#otp', '123456');
  await page.click('form[data-step="otp"] button[type="submit"]');
  await page.waitForSelector('form[data-step="approve"]');
  await success(page, 'pt-BR', name);
  clean(page, name);
  await page.context().close();
}

async function locked(browser) {
  const name = 'documents-locked';
  const w = WORDS['pt-BR'];
  const page = await open(browser, 'pt-BR');
  await toPicker(page, args.locked, 'pt-BR', name);
  await toPortal(page, 'pt-BR', name);
  await signIn(page, 'user_locked');
  await page.waitForSelector('[data-error="locked"]');
  await look(page, `${name}-6-portal-locked`);
  await page.click('a[data-step="cancel"]');
  await at(page, 'failure', RETRIEVAL_TIMEOUT);
  const alert = await page.locator('section[data-screen="docs-failure"] [role="alert"]').innerText();
  check(alert.includes(w.locked) && alert.includes('Harborline Bank'), `${name}: failure in words "${alert}"`);
  for (const id of ['docs-retry', 'docs-other', 'docs-failure-finish']) {
    check(await page.locator(`#${id}`).isVisible(), `${name}: next step #${id}`);
  }
  await look(page, `${name}-7-failure`);
  await page.click('#docs-other');
  await at(page, 'picker');
  clean(page, name);
  await page.context().close();
}

async function exitFromPicker(browser) {
  const name = 'documents-exit';
  const page = await open(browser, 'pt-BR');
  await toPicker(page, args.exit, 'pt-BR', name);
  // The visible switch: the same screen in English, and back.
  await page.click('#lang');
  check((await heading(page, 'picker')) === 'Where are your documents?', `${name}: switched to English`);
  check((await page.getAttribute('html', 'lang')) === 'en', `${name}: html lang after the switch`);
  check((await page.context().cookies()).some((c) => c.name === 'ponte_lang' && c.value === 'en'), `${name}: the choice is kept for every Ponte page`);
  await page.click('#lang');
  await page.click('#exit');
  await page.waitForSelector('#exit-dialog[open]');
  await look(page, `${name}-2-confirm`);
  await page.click('#exit-confirm');
  await at(page, 'done');
  const title = await heading(page, 'done');
  check(title === WORDS['pt-BR'].exited, `${name}: "${title}"`);
  await look(page, `${name}-3-done`);
  clean(page, name);
  await page.context().close();
}

async function badToken(browser) {
  const name = 'documents-bad-token';
  const page = await open(browser, 'pt-BR');
  const response = await page.goto(`${args.base}/app?access_token=not-a-token`);
  check(response.status() === 401, `${name}: status ${response.status()}`);
  const text = await page.locator('[role="alert"]').innerText();
  check(text.includes('Volte ao aplicativo') && !/token|Bearer|invalid_/i.test(text), `${name}: in words "${text}"`);
  await look(page, name);
  // Its switch: the same page in English, remembered on the next visit.
  await page.click('a.lang');
  await page.locator('[role="alert"]', { hasText: 'Go back to the app' }).waitFor();
  check((await page.getAttribute('html', 'lang')) === 'en', `${name}: English after the switch`);
  await page.goto(`${args.base}/app`);
  check((await page.locator('[role="alert"]').innerText()).includes('Go back to the app'), `${name}: the choice is remembered`);
  await look(page, `${name}-en`);
  await page.context().close();
}

await run([
  ['documents user_good pt-BR', (b) => good(b, args.good_pt, 'pt-BR', 'pt-BR', 'documents-good-pt')],
  ['documents user_good en', (b) => good(b, args.good_en, 'en-US', 'en', 'documents-good-en')],
  ['documents user_mfa', mfa],
  ['documents user_locked', locked],
  ['documents exit from the picker', exitFromPicker],
  ['documents bad token', badToken],
]);

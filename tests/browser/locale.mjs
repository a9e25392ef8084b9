// The one language rule, page by page, at 360×640 with axe-core: `/me`, the
// documents app (and the portal it hands off to) and the bank's answer
// (the outcome page of `/callback/open-finance`).
// - phase "browser": the client set no language; an English browser and a
//   Portuguese one each see every page in their own.
// - phase "client": the client set `en`; a Portuguese browser sees English
//   everywhere (the portal is asked for it with `ui_locales`), until its end
//   user switches on `/me`: then Portuguese, remembered on every page.
// Usage: node tests/browser/locale.mjs '{"phase":…,"base":…,"client":…,
//   "en":{"me":url,"app":url,"banks":[url]},"pt-BR":{…},"app2":url}'
import { run, phone, axe, fitsWidth, check, shot } from './lib.mjs';

const args = JSON.parse(process.argv[2] || '{}');

// What each page says in each language, and what the switch offers.
const WORDS = {
  en: {
    me: 'Your connected banks',
    outcome: 'Your account is connected',
    app: 'would like copies of your documents',
    portal: 'Sign in to Harborline Bank',
    declined: 'Not connected',
    invalid: 'This sign-in cannot be used',
    failed: 'We could not connect your account',
    switchTo: 'Português',
  },
  'pt-BR': {
    me: 'Seus bancos conectados',
    outcome: 'Sua conta está conectada',
    app: 'quer receber cópias dos seus documentos',
    portal: 'Entrar em Harborline Bank',
    declined: 'Não conectado',
    invalid: 'Este acesso não pode ser usado',
    failed: 'Não foi possível conectar sua conta',
    switchTo: 'English',
  },
};
const other = (lang) => (lang === 'en' ? 'pt-BR' : 'en');

/** The page says `what` in `lang` (html lang, text) and not in the other. */
async function speaks(page, lang, what, name) {
  const htmlLang = await page.getAttribute('html', 'lang');
  check(htmlLang === lang, `${name}: html lang is ${htmlLang}, not ${lang}`);
  const text = await page.locator('body').innerText();
  check(text.includes(WORDS[lang][what]), `${name}: "${WORDS[lang][what]}" missing from:\n${text}`);
  check(!text.includes(WORDS[other(lang)][what]), `${name}: the other language shows:\n${text}`);
}

/** axe-core, no horizontal scroll at 360 px, and a screenshot. */
async function look(page, name) {
  await fitsWidth(page, name);
  await axe(page, name);
  await shot(page, name);
}

async function switchSays(page, selector, lang, name) {
  const said = (await page.locator(selector).first().innerText()).trim();
  check(said === WORDS[lang].switchTo, `${name}: the switch says "${said}"`);
}

async function me(page, url, lang, name) {
  await page.goto(url);
  await page.waitForSelector('li[data-consent]');
  await speaks(page, lang, 'me', name);
  await switchSays(page, 'a.lang', lang, name);
  check((await page.locator('header.brand').innerText()).includes(args.client), `${name}: the client's brand`);
  await look(page, name);
}

async function app(page, url, lang, name) {
  await page.goto(url);
  await page.waitForSelector('body[data-at="docs-intro"]');
  // The client's language arrives with the session: wait for the words.
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
  await speaks(page, lang, 'app', name);
  await switchSays(page, '#lang', lang, name);
  await look(page, name);
}

/** On from the app's intro to the portal's own sign-in, in `lang`. */
async function portal(page, lang, name) {
  await page.click('#docs-continue');
  await page.waitForSelector('body[data-at="docs-picker"]');
  await page.click('button.bank[data-code="harborline"]');
  await page.waitForSelector('body[data-at="docs-handoff"]');
  await look(page, `${name}-handoff`);
  await page.click('#docs-go');
  await page.waitForURL(/\/portals\/harborline\/login/);
  const asked = new URL(page.url()).searchParams.get('ui_locales');
  check(asked === lang, `${name}: the portal is asked for ${lang}, got ui_locales=${asked}`);
  await page.waitForSelector('form[data-step="login"]');
  await speaks(page, lang, 'portal', `${name}-portal`);
  await look(page, `${name}-portal`);
  return new URL(page.url()).searchParams.get('state');
}

/**
 * The page a portal's return lands on (`/callback/documents`), which moves
 * on to the app at once: held still (its refresh taken out) to be read.
 */
async function returning(page, query, lang, what, name) {
  await page.route('**/callback/documents?*', async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace(/<meta http-equiv="refresh"[^>]*>/, '');
    await route.fulfill({ response, body });
  });
  await page.goto(`${args.base}/callback/documents?${new URLSearchParams(query)}`);
  await page.unroute('**/callback/documents?*');
  await speaks(page, lang, what, name);
  const back = await page.getAttribute('main a', 'href');
  check(back.startsWith('/app?returned='), `${name}: back to the app (${back})`);
  await look(page, name);
}

/** Through the sandbox bank to Ponte's outcome page (no redirectUrl). */
async function outcome(page, bankUrl, lang, name) {
  await page.goto(bankUrl);
  await page.waitForSelector('form[data-step="login"]');
  await page.fill('#username', 'user_good');
  await page.fill('#password', 'pass_good');
  await page.click('form[data-step="login"] button[type=submit]');
  await page.click('button[name=decision][value=approve]');
  await page.waitForSelector('[data-status]');
  check(new URL(page.url()).pathname === '/callback/open-finance', `${name}: on Ponte's page (${page.url()})`);
  check((await page.getAttribute('[data-status]', 'data-status')) === 'AUTHORISED', `${name}: authorised`);
  await speaks(page, lang, 'outcome', name);
  check((await page.locator('header.brand').innerText()).includes(args.client), `${name}: the client's brand`);
  await look(page, name);
}

function clean(page, name) {
  const real = page.problems.filter((p) => !p.includes('Failed to load resource'));
  check(real.length === 0, `${name}: ${real.join('; ')}`);
}

/** Phase "browser": each browser's own language on every page. */
async function browserLanguage(browser, locale, lang) {
  const urls = args[lang];
  const prefix = `locale-browser-${lang}`;
  const page = await phone(browser, locale);
  await me(page, urls.me, lang, `${prefix}-me`);
  await app(page, urls.app, lang, `${prefix}-app`);
  await outcome(page, urls.banks[0], lang, `${prefix}-outcome`);
  // A bank's answer Ponte does not know (a replay, a stale tab): in words.
  await page.goto(`${args.base}/callback/open-finance?state=unknown&code=x`);
  await speaks(page, lang, 'failed', `${prefix}-callback-failed`);
  await look(page, `${prefix}-callback-failed`);
  // A return Ponte cannot place: the browser's language.
  await returning(page, { state: 'unknown', error: 'access_denied' }, lang, 'invalid', `${prefix}-returning`);
  clean(page, prefix);
  await page.context().close();
}

/** Phase "client": the client's English in a Portuguese browser, then the switch. */
async function clientLanguage(browser) {
  const urls = args['pt-BR'];
  const prefix = 'locale-client-en';
  const page = await phone(browser, 'pt-BR');
  await me(page, urls.me, 'en', `${prefix}-me`);
  await app(page, urls.app, 'en', `${prefix}-app`);
  const state = await portal(page, 'en', `${prefix}-app`);
  // The portal declines: its return is the client's too.
  await returning(page, { state, error: 'access_denied' }, 'en', 'declined', `${prefix}-returning`);
  await outcome(page, urls.banks[0], 'en', `${prefix}-outcome`);

  // The end user chooses Portuguese on /me: remembered there and everywhere.
  await page.goto(`${args.base}/me`);
  await page.click('a.lang');
  await page.waitForFunction(() => document.documentElement.lang === 'pt-BR');
  const cookies = await page.context().cookies();
  check(cookies.some((c) => c.name === 'ponte_lang' && c.value === 'pt-BR'), `${prefix}: the choice is kept in ponte_lang`);
  await page.goto(`${args.base}/me`);
  await speaks(page, 'pt-BR', 'me', `${prefix}-me-switched`);
  await switchSays(page, 'a.lang', 'pt-BR', `${prefix}-me-switched`);
  await look(page, `${prefix}-me-switched`);
  await app(page, args.app2, 'pt-BR', `${prefix}-app-switched`);
  await outcome(page, urls.banks[1], 'pt-BR', `${prefix}-outcome-switched`);
  clean(page, prefix);
  await page.context().close();
}

if (args.phase === 'browser') {
  await run([
    ['an English browser, no client language: /me, the documents app, the bank\'s answer', (b) => browserLanguage(b, 'en-US', 'en')],
    ['a Portuguese browser, no client language: /me, the documents app, the bank\'s answer', (b) => browserLanguage(b, 'pt-BR', 'pt-BR')],
  ]);
} else {
  await run([
    ['a client in English, a Portuguese browser: English until the end user switches', clientLanguage],
  ]);
}

// One language everywhere: an English browser and a Portuguese one open the
// widget (and the sandbox bank it hands off to), `/me`, the documents app
// (and the sandbox portal's sign-in) and the console (sign-in, overview,
// settings with the widget preview). Every page speaks the browser's
// language and only it, carries a switch, passes axe-core and fits 360 px;
// then the switch, used once in the console, holds on every other page.
// The widget's bank list and `/me` show each bank's logo; both are
// screenshotted at 360×640 and at a desktop's size.
//
// Usage: node tests/browser/language.mjs '{"base":…,"names":[…],"email":…,"password":…,
//   "pt-BR":{"link":url,"me":url,"app":url},"en":{…}}'
import { run, phone, axe, fitsWidth, check, shot } from './lib.mjs';

const args = JSON.parse(process.argv[2] || '{}');
const DESKTOP = { width: 1280, height: 800 };

// Words only the other language uses: a page in English shows none of the
// Portuguese ones, and the other way round. Proper names (banks, portals,
// the client) are taken out of the text first.
const OTHER = {
  en: /(?<!\p{L})(você|seus?|suas?|não|com|para|pelo|pela|dos|das|uma?|conexões|conexão|entrar|senha|salvar|sair|continuar|escolha|bancos?|conectados?|compartilha|instituição|instituições|documentos|revogar|ativa|até|protegido|últimos|dias|configurações)(?!\p{L})/iu,
  'pt-BR': /(?<!\p{L})(the|your|you|and|with|of|to|is|are|banks?|connected|connect|sign|choose|continue|documents|shares?|revoke|active|until|save|settings|password|protected|last|days)(?!\p{L})/iu,
};
const SWITCH_TO = { en: 'Português', 'pt-BR': 'English' };
const other = (lang) => (lang === 'en' ? 'pt-BR' : 'en');

// Longest first, so "Harborline Bank, N.A." goes before "Harborline Bank";
// in any case, as a stylesheet may print a name in capitals.
const NAMES = [...(args.names || [])]
  .sort((a, b) => b.length - a.length)
  .map((n) => new RegExp(n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'giu'));

/** The text without proper names, e-mail addresses, URLs and host names. */
function withoutNames(text) {
  const names = NAMES.reduce((out, name) => out.replace(name, ' '), text);
  return names.replace(/\S+@\S+|\S+:\/\/\S+|\S+\.(com|example|br)\S*/giu, ' ');
}

/** A frame's language, title and text, read again if a reload interrupts the read. */
async function settled(frame) {
  for (let tries = 0; ; tries += 1) {
    try {
      await frame.waitForLoadState();
      return await frame.evaluate(() => [
        document.documentElement.lang, document.title, document.body ? document.body.innerText : '',
      ]);
    } catch (e) {
      if (tries >= 20 || !/context was destroyed|navigat/i.test(e.message)) throw e;
    }
  }
}

/** The page (and its frames) says everything in `lang`: html lang, title and text. */
async function speaks(page, lang, name) {
  check((await page.getAttribute('html', 'lang')) === lang, `${name}: html lang is ${await page.getAttribute('html', 'lang')}, not ${lang}`);
  for (const frame of page.frames()) {
    const [frameLang, title, text] = await settled(frame);
    const where = frame === page.mainFrame() ? name : `${name} (frame ${frame.url()})`;
    check(frameLang === lang, `${where}: html lang ${frameLang}`);
    const found = withoutNames(`${title}\n${text}`).match(OTHER[lang]);
    check(!found, `${where} is in ${lang} but shows "${found && found[0]}":\n${text}`);
  }
}

/** Language, a switch to the other one, axe-core, and no horizontal scroll. */
async function look(page, lang, name, switchSelector) {
  await speaks(page, lang, name);
  const button = page.locator(switchSelector);
  check((await button.count()) >= 1, `${name}: no language switch (${switchSelector})`);
  check((await button.first().innerText()).trim() === SWITCH_TO[lang], `${name}: the switch says "${await button.first().innerText()}"`);
  await fitsWidth(page, name);
  await axe(page, name);
  await shot(page, name);
}

/** Every logo on the page has loaded (an image with pixels) or is an initial. */
async function logosShown(page, selector, name) {
  await page.waitForFunction((sel) => [...document.querySelectorAll(sel)].every((el) => el.tagName !== 'IMG' || (el.complete && el.naturalWidth > 0)), selector);
  const marks = await page.locator(selector).count();
  check(marks > 0, `${name}: no logos (${selector})`);
  return marks;
}

/** The same page at a desktop's size, for the record. */
async function desktopShot(page, name) {
  await page.setViewportSize(DESKTOP);
  await fitsWidth(page, `${name} at desktop size`);
  await shot(page, `${name}-desktop`);
  await page.setViewportSize({ width: 360, height: 640 });
}

async function widget(page, lang, urls, prefix) {
  await page.goto(urls.link);
  await page.waitForSelector('body[data-at="consent"]');
  await look(page, lang, `${prefix}-widget-consent`, '#lang');
  await page.click('#consent-continue');
  await page.waitForSelector('body[data-at="picker"]');
  const banks = await page.locator('.bank').count();
  const marks = await logosShown(page, '.bank img, .bank .initial', `${prefix} widget`);
  check(marks === banks, `${prefix}: ${banks} banks but ${marks} logos`);
  await look(page, lang, `${prefix}-widget-picker`, '#lang');
  await desktopShot(page, `${prefix}-widget-picker`);
  // On to the sandbox bank's own pages, which follow the same choice.
  await page.click('.bank[data-code="itau"]');
  await page.waitForSelector('body[data-at="handoff"]');
  await look(page, lang, `${prefix}-widget-handoff`, '#lang');
  await page.click('#handoff-go');
  await page.waitForSelector('form[data-step="login"]');
  await look(page, lang, `${prefix}-bank-login`, 'form[data-step="language"] button');
}

async function me(page, lang, url, prefix) {
  await page.goto(url);
  await page.waitForURL((u) => !u.searchParams.has('ticket'));
  const items = await page.locator('li[data-consent]').count();
  check(items === 2, `${prefix}: two connections on /me, got ${items}`);
  const marks = await logosShown(page, 'li[data-consent] .bank-logo', `${prefix} /me`);
  check(marks === items, `${prefix}: ${items} connections but ${marks} logos`);
  check((await page.locator('li[data-consent] img.bank-logo').count()) === items, `${prefix}: each sandbox bank's logo is an image`);
  await look(page, lang, `${prefix}-me`, 'a.lang');
  await desktopShot(page, `${prefix}-me`);
}

async function documentsApp(page, lang, url, prefix) {
  await page.goto(url);
  await page.waitForSelector('body[data-at="docs-intro"]');
  await look(page, lang, `${prefix}-documents-intro`, '#lang');
  await page.click('#docs-continue');
  await page.waitForSelector('body[data-at="docs-picker"]');
  await look(page, lang, `${prefix}-documents-picker`, '#lang');
  // On to the sandbox portal's own sign-in, which follows the same choice.
  await page.click('button.bank[data-code="harborline"]');
  await page.waitForSelector('body[data-at="docs-handoff"]');
  await look(page, lang, `${prefix}-documents-handoff`, '#lang');
  await page.click('#docs-go');
  await page.waitForSelector('form[data-step="login"]');
  await look(page, lang, `${prefix}-portal-login`, 'form[data-step="language"] button');
}

const consoleSwitch = (lang) => `main button.quiet:has-text("${SWITCH_TO[lang]}"), header button.quiet:has-text("${SWITCH_TO[lang]}")`;

async function consolePages(page, lang, prefix) {
  await page.goto(`${args.base}/console`);
  await page.waitForSelector('form.signin');
  await look(page, lang, `${prefix}-console-signin`, consoleSwitch(lang));
  await page.fill('#email', args.email);
  await page.fill('#password', args.password);
  await page.click('form.signin button[type=submit]');
  await page.waitForSelector('#consents-now');
  await look(page, lang, `${prefix}-console-overview`, consoleSwitch(lang));
  await page.goto(`${args.base}/console/#/settings`);
  await page.waitForSelector('#preview');
  await page.frameLocator('#preview').locator('#continue').waitFor();
  // The preview follows the page's language once its script has run.
  const word = lang === 'en' ? 'Continue' : 'Continuar';
  await page.frameLocator('#preview').locator('#continue', { hasText: word }).waitFor();
  await look(page, lang, `${prefix}-console-settings`, consoleSwitch(lang));
}

async function journey(browser, locale, lang) {
  const prefix = `language-${lang}`;
  const urls = args[lang];
  const page = await phone(browser, locale);
  await widget(page, lang, urls, prefix);
  await me(page, lang, urls.me, prefix);
  await documentsApp(page, lang, urls.app, prefix);
  await consolePages(page, lang, prefix);

  // One switch, in the console, and every other page follows it.
  const chosen = other(lang);
  await page.locator(consoleSwitch(lang)).first().click();
  await page.waitForFunction((l) => document.documentElement.lang === l, chosen);
  const cookies = await page.context().cookies();
  check(cookies.some((c) => c.name === 'ponte_lang' && c.value === chosen), `${prefix}: the choice is kept in ponte_lang: ${JSON.stringify(cookies.map((c) => c.name))}`);
  await page.goto(`${args.base}/me`);
  await speaks(page, chosen, `${prefix}: /me after the switch`);
  await page.goto(urls.link);
  await page.waitForSelector('body[data-at]:not([data-at="loading"])');
  await speaks(page, chosen, `${prefix}: the widget after the switch`);
  await page.goto(`${args.base}/console`);
  await page.waitForSelector('#consents-now');
  await speaks(page, chosen, `${prefix}: the console after the switch`);
  const real = page.problems.filter((p) => !p.includes('Failed to load resource'));
  check(real.length === 0, `${prefix}: ${real.join('; ')}`);
  await page.context().close();
}

await run([
  ['an English browser: widget, /me, documents app, console', (b) => journey(b, 'en-US', 'en')],
  ['a Portuguese browser: widget, /me, documents app, console', (b) => journey(b, 'pt-BR', 'pt-BR')],
]);

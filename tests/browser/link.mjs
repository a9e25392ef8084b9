// The hosted widget through `linkUrl`, as end users meet it on a phone.
// Usage: node tests/browser/link.mjs '{"base":…,"good_pt":linkUrl,…}'
import { run, phone, shot, axe, fitsWidth, check, STEP_TIMEOUT } from './lib.mjs';
import { STRINGS, t, formatDate, formatMoney, pickLocale } from '../../web/widget/i18n.js';
import { fold, matching, ordered } from '../../web/widget/search.js';

const urls = JSON.parse(process.argv[2] || '{}');
const INTEGRATOR = 'https://app.example.com/';

/** The integrator's redirect page, answered locally; returns the URLs it got. */
async function integrator(page) {
  const landed = [];
  await page.route(`${INTEGRATOR}**`, (route) => {
    landed.push(route.request().url());
    return route.fulfill({
      status: 200,
      contentType: 'text/html',
      body: '<!doctype html><html lang="en"><title>Integrator</title><main><h1>Back at the integrator</h1></main></html>',
    });
  });
  // Registered last, so it wins over the catch-all above.
  await page.route(`${INTEGRATOR}logo.svg`, (route) => route.fulfill({
    status: 200,
    contentType: 'image/svg+xml',
    body: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1e3a8a"/><path d="M8 24 16 7l8 17h-4l-4-9-4 9z" fill="#fcfc30"/></svg>',
  }));
  return landed;
}

/** The integrator's page on another origin, with the SDK for `linkUrl`'s token. */
async function integratorWithSdk(page, linkUrl) {
  // Another origin than Ponte's (localhost, not 127.0.0.1), on loopback so
  // Chromium's private-network rules let it load the SDK.
  const site = `http://localhost:${new URL(urls.base).port}`;
  const token = new URL(linkUrl).searchParams.get('v');
  await page.route(`${site}/**`, (route) => route.fulfill({
    status: 200,
    contentType: 'text/html',
    body: `<!doctype html><html lang="en"><title>Acme</title><main><h1>Acme</h1>
<button id="connect">Connect a bank</button></main>
<script src="${urls.base}/ponte-link.js"></script>
<script>
  window.calls = [];
  const link = PonteLink.create({
    token: ${JSON.stringify(token)},
    locale: 'en',
    onEvent: (name, m) => calls.push(['event', name, m]),
    onSuccess: (m) => calls.push(['success', m]),
    onExit: (m) => calls.push(['exit', m]),
  });
  document.getElementById('connect').onclick = () => link.open();
</script></html>`,
  }));
  await page.goto(`${site}/shop`);
  const version = await page.evaluate(() => window.PonteLink && window.PonteLink.VERSION);
  check(version === '1.2.0', `SDK version ${version}: ${page.problems.join('; ')}`);
  return site;
}

const onScreen = (page, name) => page.waitForSelector(`body[data-at="${name}"]`);
const text = (page, selector) => page.locator(selector).first().innerText();

/** Axe, width and a screenshot: what every screen gets. */
async function look(page, name) {
  await fitsWidth(page, name);
  await axe(page, name);
  await shot(page, name);
}

/** The primary action is on screen without scrolling. */
async function primaryVisible(page, selector, name) {
  const box = await page.locator(selector).boundingBox();
  const { height } = page.viewportSize();
  check(box && box.y >= 0 && box.y + box.height <= height, `${name}: ${selector} is below the fold (${JSON.stringify(box)})`);
}

async function atBank(page, user, decision) {
  await page.waitForSelector('form[data-step="login"]');
  await page.fill('#username', user);
  await page.fill('#password', 'pass_good');
  await page.click('form[data-step="login"] button[type=submit]');
  await page.waitForSelector('form[data-step="approve"]');
  await page.click(`button[name=decision][value=${decision}]`);
}

/** From the consent screen to the bank's login page, through `code`. */
async function toBank(page, url, code) {
  await page.goto(url);
  await onScreen(page, 'consent');
  await page.click('#consent-continue');
  await page.click(`.bank[data-code="${code}"]`);
  await onScreen(page, 'handoff');
  await page.click('#handoff-go');
  await page.waitForSelector('form[data-step="login"]');
}

async function pickBank(page, query, name) {
  await page.fill('#q', query);
  await page.click(`.bank:has-text("${name}")`);
}

function noProblems(page, name) {
  const real = page.problems.filter((p) => !p.includes('Failed to load resource'));
  check(real.length === 0, `${name}: ${real.join('; ')}`);
}

async function goodJourney(browser, locale, url, prefix, client) {
  const page = await phone(browser, locale);
  const landed = await integrator(page);
  const lang = locale.startsWith('pt') ? 'pt-BR' : 'en';
  await page.goto(url);
  await onScreen(page, 'consent');
  const title = await text(page, 'section[data-screen="consent"] h1');
  check(title === t(lang, 'consent.title', { client }), `${prefix} consent title: ${title}`);
  check((await page.getAttribute('html', 'lang')) === lang, `${prefix}: html lang`);
  const shared = await page.locator('#shared li').allInnerTexts();
  const accounts = { 'pt-BR': 'Suas contas: saldos, limites e extratos', en: 'Your accounts: balances, limits and statements' };
  check(shared.includes(accounts[lang]), `${prefix}: what is shared: ${shared}`);
  const validity = await text(page, '#validity');
  check(/\d{4}/.test(validity) && validity.includes('12'), `${prefix}: for how long: ${validity}`);
  await primaryVisible(page, '#consent-continue', `${prefix}-consent`);
  if (client !== 'Test client') {
    // White-label: the client's logo, privacy policy and colour, darkened
    // from a yellow white text could not be read on.
    await page.waitForFunction(() => {
      const logo = document.getElementById('brand-logo');
      return !logo.hidden && logo.complete && logo.naturalWidth > 0;
    });
    check((await page.getAttribute('#privacy-link', 'href')) === `${INTEGRATOR}privacy`, `${prefix}: privacy policy link`);
    const bg = await page.$eval('#consent-continue', (b) => getComputedStyle(b).backgroundColor);
    check(bg !== 'rgb(252, 252, 48)' && bg !== 'rgb(15, 118, 110)', `${prefix}: button colour ${bg}`);
  }
  await look(page, `${prefix}-1-consent`);

  await page.click('#consent-continue');
  await onScreen(page, 'picker');
  // Accent- and case-insensitive: "ITAU" finds "Itaú".
  await page.fill('#q', 'ITAU');
  const found = await page.locator('.bank .name').allInnerTexts();
  check(found.length === 1 && found[0].startsWith('Itaú'), `${prefix}: "ITAU" found ${found}`);
  check((await text(page, '#count')) === t(lang, 'picker.count.one'), `${prefix}: result count`);
  await page.fill('#q', 'zzz banco que não existe');
  await page.waitForSelector('#empty:not([hidden])');
  check((await page.locator('.bank').count()) === 0, `${prefix}: empty state lists nothing`);
  await look(page, `${prefix}-2-no-match`);
  await page.fill('#q', '');
  await look(page, `${prefix}-3-picker`);

  // Slow the consent call down so the tapped bank's progress can be seen.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/data/v1/consents', async (route) => { await held; await route.continue(); });
  await page.click('.bank[data-code="itau"]');
  await page.waitForSelector('.bank.busy[data-code="itau"][aria-busy="true"]');
  const enabled = await page.locator('.bank:not([disabled])').count();
  check(enabled === 0, `${prefix}: other banks stay enabled while one connects (${enabled})`);
  await shot(page, `${prefix}-4-connecting`);
  release();
  await page.unroute('**/data/v1/consents');

  await onScreen(page, 'handoff');
  check((await text(page, '#handoff-go')) === t(lang, 'handoff.go', { bank: 'Itaú Unibanco' }), `${prefix}: hand-off button`);
  await primaryVisible(page, '#handoff-go', `${prefix}-handoff`);
  await look(page, `${prefix}-5-handoff`);
  await page.click('#handoff-go');
  // The bank's pages speak the widget's language (ui_locales), with a switch.
  await page.waitForSelector('form[data-step="login"]');
  const bankWords = lang === 'en' ? ['en', 'Sign in', 'Português'] : ['pt-BR', 'Entrar', 'English'];
  check((await page.getAttribute('html', 'lang')) === bankWords[0], `${prefix}: the bank's page language`);
  check((await text(page, 'h2')) === bankWords[1], `${prefix}: the bank's title`);
  check((await text(page, 'form[data-step="language"] button')) === bankWords[2], `${prefix}: the bank's language switch`);
  await look(page, `${prefix}-5b-bank-login`);
  if (lang === 'en') {
    await page.click('form[data-step="language"] button');
    await page.waitForSelector('html[lang="pt-BR"]');
    check((await text(page, 'h2')) === 'Entrar', `${prefix}: switched the bank's page to Portuguese`);
  }
  await page.fill('#username', 'user_good');
  await page.fill('#password', 'pass_good');
  await page.click('form[data-step="login"] button[type=submit]');
  await page.waitForSelector('form[data-step="approve"]');
  const recipient = await text(page, '[data-recipient]');
  // The bank names who receives the data: the client's display name, which
  // Ponte passed in its authorization request.
  check(recipient === `${client} pede acesso aos seguintes dados:`, `${prefix}: the recipient line names the client, in the page's language: ${recipient}`);
  await look(page, `${prefix}-5c-bank-consent`);
  await page.click('button[name=decision][value=approve]');

  await onScreen(page, 'success');
  check((await text(page, 'section[data-screen="success"] h1')) === t(lang, 'success.title'), `${prefix}: success title`);
  await primaryVisible(page, '#success-finish', `${prefix}-success`);
  await look(page, `${prefix}-6-success`);
  await page.click('#success-finish');
  await page.waitForURL(`${INTEGRATOR}**`);
  const back = new URL(landed.at(-1));
  check(back.searchParams.get('status') === 'AUTHORISED' && back.searchParams.get('consentId'), `${prefix}: back at ${back}`);
  noProblems(page, prefix);
  await page.context().close();
}

const journeys = [
  ['every string in both languages; search folds accents', async () => {
    const pt = Object.keys(STRINGS['pt-BR']).sort();
    const en = Object.keys(STRINGS.en).sort();
    check(JSON.stringify(pt) === JSON.stringify(en), `keys differ: ${pt.filter((k) => !en.includes(k))} / ${en.filter((k) => !pt.includes(k))}`);
    check(pickLocale(['en-GB', 'pt-BR']) === 'en' && pickLocale(['de-DE']) === 'pt-BR' && pickLocale(['pt-PT']) === 'pt-BR', 'pickLocale');
    check(fold('  Itaú ') === 'itau' && fold('CAIXA ECONÔMICA') === 'caixa economica', 'fold');
    const banks = ordered([{ institutionCode: 'zz', name: 'Zeta' }, { institutionCode: 'nubank', name: 'Nubank' }, { institutionCode: 'itau', name: 'Itaú Unibanco' }]);
    check(banks.map((b) => b.institutionCode).join() === 'itau,nubank,zz', 'popular banks first');
    check(matching(banks, 'itau unib').length === 1 && matching(banks, 'ITAÚ').length === 1, 'matching');
    const date = new Date(Date.UTC(2027, 10, 25, 12));
    check(formatDate('pt-BR', date) === '25 de novembro de 2027', formatDate('pt-BR', date));
    check(formatDate('en', date) === 'November 25, 2027', formatDate('en', date));
    check(formatMoney('pt-BR', 1234.5).replace(/\s/g, ' ') === 'R$ 1.234,50', formatMoney('pt-BR', 1234.5));
    check(formatMoney('en', 1234.5) === 'R$1,234.50', formatMoney('en', 1234.5));
  }],

  ['user_good end to end in Portuguese at 360×640, white-labelled', (browser) => goodJourney(browser, 'pt-BR', urls.good_pt, 'pt', 'Acme Crédito')],

  ['user_good end to end in English, with the language switch', async (browser) => {
    const page = await phone(browser, 'en-US');
    await page.goto(urls.good_en);
    await onScreen(page, 'consent');
    check((await text(page, '#lang')) === 'Português', 'the switch offers Portuguese');
    await page.click('#lang');
    check((await text(page, '#consent-continue')) === 'Continuar', 'switched to Portuguese');
    check((await page.getAttribute('html', 'lang')) === 'pt-BR', 'html lang follows the switch');
    await page.click('#lang');
    check((await text(page, '#consent-continue')) === 'Continue', 'switched back to English');
    await page.context().close();
    await goodJourney(browser, 'en-US', urls.good_en, 'en', 'Test client');
  }],

  ['user_deny: cancelled at the bank, with next steps', async (browser) => {
    const page = await phone(browser, 'pt-BR');
    await page.goto(urls.deny);
    await onScreen(page, 'consent');
    await page.click('#consent-continue');
    await pickBank(page, 'nubank', 'Nubank');
    await onScreen(page, 'handoff');
    await page.click('#handoff-go');
    await atBank(page, 'user_deny', 'reject');
    await onScreen(page, 'failure');
    const alert = await text(page, 'section[data-screen="failure"] [role="alert"]');
    check(alert.includes(t('pt-BR', 'failure.cancelled.title', { bank: 'Nubank' })), `deny: ${alert}`);
    await look(page, 'deny-1-cancelled');
    await page.click('#failure-other');
    await onScreen(page, 'picker');
    noProblems(page, 'deny');
    await page.context().close();
  }],

  ['user_mfa: the one-time code at the bank, then success', async (browser) => {
    const page = await phone(browser, 'en-US');
    await toBank(page, urls.mfa, 'bradesco');
    await page.fill('#username', 'user_mfa');
    await page.fill('#password', 'pass_good');
    await page.click('form[data-step="login"] button[type=submit]');
    await page.fill('#otp', '123456');
    await page.click('form[data-step="otp"] button[type=submit]');
    await page.click('button[name=decision][value=approve]');
    await onScreen(page, 'success');
    check((await text(page, 'section[data-screen="success"] p')).includes('Bradesco'), 'mfa: success names the bank');
    noProblems(page, 'mfa');
    await page.context().close();
  }],

  ['user_locked: refused at the bank, back with a way forward', async (browser) => {
    const page = await phone(browser, 'pt-BR');
    await toBank(page, urls.locked, 'santander');
    await page.fill('#username', 'user_locked');
    await page.fill('#password', 'whatever');
    await page.click('form[data-step="login"] button[type=submit]');
    await page.waitForSelector('a[data-step="cancel"]');
    await page.click('a[data-step="cancel"]');
    await onScreen(page, 'failure');
    const alert = await text(page, 'section[data-screen="failure"] [role="alert"]');
    check(alert.includes('Santander'), `locked: ${alert}`);
    await look(page, 'locked-1-failure');
    await page.click('#failure-retry');
    await onScreen(page, 'handoff');
    noProblems(page, 'locked');
    await page.context().close();
  }],

  ['keyboard only: from the consent screen to the hand-off', async (browser) => {
    const page = await phone(browser, 'pt-BR');
    await page.goto(urls.outage);
    await onScreen(page, 'consent');
    // Tab until the primary action has focus, as a keyboard user would.
    for (let i = 0; i < 10 && (await page.evaluate(() => document.activeElement.id)) !== 'consent-continue'; i += 1) {
      await page.keyboard.press('Tab');
    }
    check((await page.evaluate(() => document.activeElement.id)) === 'consent-continue', 'continue is reachable by Tab');
    const ring = await page.$eval('#consent-continue', (b) => getComputedStyle(b).outlineStyle);
    check(ring !== 'none', 'the focused button shows a focus ring');
    await page.keyboard.press('Enter');
    await onScreen(page, 'picker');
    await page.locator('#q').focus();
    await page.keyboard.type('nubank');
    await page.keyboard.press('Tab');
    check((await page.evaluate(() => document.activeElement.dataset.code)) === 'nubank', 'Tab from the search reaches the bank');
    await page.keyboard.press('Enter');
    await onScreen(page, 'handoff');
    await page.context().close();
  }],

  ['an institution in outage is shown, labelled and not selectable', async (browser) => {
    const page = await phone(browser, 'pt-BR');
    await page.goto(urls.outage);
    await onScreen(page, 'consent');
    await page.click('#consent-continue');
    await page.fill('#q', 'original');
    const outage = page.locator('.bank[data-code="original"]');
    check(await outage.isDisabled(), 'the outage bank is disabled');
    check((await outage.innerText()).includes(t('pt-BR', 'picker.outage')), 'the outage bank says why');
    await outage.click({ force: true });
    check((await page.locator('body').getAttribute('data-at')) === 'picker', 'tapping it does nothing');
    await look(page, 'outage-1-picker');
    noProblems(page, 'outage');
    await page.context().close();
  }],

  ['exit from the consent, picker and hand-off screens: confirm, then status=EXITED', async (browser) => {
    const page = await phone(browser, 'en-US');
    const landed = await integrator(page);
    await page.goto(urls.exit);
    await onScreen(page, 'consent');
    await page.click('#exit');
    await page.waitForSelector('#exit-dialog[open]');
    await look(page, 'exit-1-confirm');
    await page.click('#exit-stay');
    check(!(await page.locator('#exit-dialog').getAttribute('open')), 'the dialog closed');
    await page.click('#consent-continue');
    await onScreen(page, 'picker');
    await page.click('#exit');
    await page.click('#exit-stay');
    await page.click('.bank[data-code="inter"]');
    await onScreen(page, 'handoff');
    await page.click('#exit');
    await page.click('#exit-confirm');
    await page.waitForURL(`${INTEGRATOR}**`);
    const back = new URL(landed.at(-1));
    check(back.searchParams.get('status') === 'EXITED', `exit: back at ${back}`);
    noProblems(page, 'exit');
    await page.context().close();
  }],

  ['the SDK: a modal on an allowed origin, the bank in a popup, events in order, then onSuccess', async (browser) => {
    const page = await phone(browser, 'en-US');
    await integrator(page);
    await integratorWithSdk(page, urls.sdk);
    await page.click('#connect');
    const widget = page.frameLocator('iframe[title="Ponte"]');
    await widget.locator('body[data-at="consent"]').waitFor();
    check((await widget.locator('#consent-continue').innerText()) === 'Continue', 'the locale option');
    await widget.locator('#consent-continue').click();
    await widget.locator('.bank[data-code="itau"]').click();
    // Banks refuse to be framed: the bank opens in its own window, and the
    // modal waits for the outcome.
    const [bank] = await Promise.all([
      page.context().waitForEvent('page'),
      widget.locator('#handoff-go').click(),
    ]);
    await widget.locator('body[data-at="popup"]').waitFor();
    check((await widget.locator('section[data-screen="popup"] h1').innerText()) === t('en', 'popup.title', { bank: 'Itaú Unibanco' }), 'the modal says where to continue');
    await shot(page, 'sdk-1-waiting-for-the-bank-window');
    await bank.waitForSelector('form[data-step="login"]');
    check(bank.url().includes('/sandbox/banks/itau'), `the popup is the bank: ${bank.url()}`);
    check((await page.locator('iframe[title="Ponte"]').count()) === 1, 'the modal stays open meanwhile');
    await bank.fill('#username', 'user_good');
    await bank.fill('#password', 'pass_good');
    await bank.click('form[data-step="login"] button[type=submit]');
    await bank.click('button[name=decision][value=approve]');
    try {
      await widget.locator('body[data-at="success"]').waitFor();
    } finally {
      await shot(page, 'sdk-2-success-in-modal');
    }
    if (!bank.isClosed()) await bank.waitForEvent('close', { timeout: STEP_TIMEOUT }).catch(() => {});
    check(bank.isClosed(), 'the bank window closed itself once back');
    await widget.locator('#success-finish').click();
    await page.waitForFunction(() => calls.some((c) => c[0] === 'success'));
    const calls = await page.evaluate(() => window.calls);
    const events = calls.filter((c) => c[0] === 'event').map((c) => c[1]);
    const expected = ['OPEN', 'INSTITUTION_SELECTED', 'CONSENT_CREATED', 'HANDED_OFF', 'RETURNED', 'AUTHORISED'];
    check(JSON.stringify(events) === JSON.stringify(expected), `events: ${events}`);
    const success = calls.find((c) => c[0] === 'success')[1];
    check(success.status === 'AUTHORISED' && success.consentId && success.institutionCode === 'itau', `onSuccess: ${JSON.stringify(success)}`);
    const shapes = calls.map((c) => Object.keys(c.at(-1)).sort().join());
    check(new Set(shapes).size === 1, `every event has the same metadata: ${shapes}`);
    check(!calls.some((c) => c[0] === 'exit'), 'no onExit after success');
    check((await page.locator('iframe').count()) === 0, 'the modal is gone');
    await page.context().close();
  }],

  ['the SDK with popups blocked: the page goes to the bank and back to the integrator', async (browser) => {
    const page = await phone(browser, 'en-US');
    const landed = await integrator(page);
    // A browser that blocks the widget's popup.
    await page.addInitScript(() => {
      if (window.top !== window) window.open = () => null;
    });
    const site = await integratorWithSdk(page, urls.sdk_blocked);
    await page.click('#connect');
    const widget = page.frameLocator('iframe[title="Ponte"]');
    await widget.locator('#consent-continue').click();
    await widget.locator('.bank[data-code="nubank"]').click();
    await widget.locator('#handoff-go').click();
    // The whole page is handed over, straight to the same bank.
    await page.waitForURL((u) => u.pathname === '/link' && u.origin !== site);
    await onScreen(page, 'handoff');
    check((await text(page, '#handoff-go')) === t('en', 'handoff.go', { bank: 'Nubank' }), 'the same bank');
    await page.click('#handoff-go');
    await atBank(page, 'user_good', 'approve');
    await onScreen(page, 'success');
    await page.click('#success-finish');
    await page.waitForURL(`${INTEGRATOR}**`);
    const back = new URL(landed.at(-1));
    check(back.searchParams.get('status') === 'AUTHORISED', `back at the integrator: ${back}`);
    await page.context().close();
  }],

  ['a link that is not valid says so in plain words', async (browser) => {
    const page = await phone(browser, 'pt-BR');
    await page.goto(`${urls.base}/link?v=not-a-token`);
    await onScreen(page, 'error');
    const alert = await text(page, 'section[data-screen="error"] [role="alert"]');
    check(alert.includes(t('pt-BR', 'error.invalid.title')), `invalid: ${alert}`);
    check(!/token|bearer|INVALID/i.test(alert), `invalid: an API message leaked: ${alert}`);
    await look(page, 'invalid-1-error');
    await page.context().close();
  }],
];

await run(journeys);

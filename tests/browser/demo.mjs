// `/demo` in a real browser: the quickstart through the SDK, its callbacks
// and events in order, the webhooks the demo's backend received (signature
// verified) and the report links once ready.
// Usage: node tests/browser/demo.mjs '{"base":…}'
import { run, phone, shot, axe, fitsWidth, check, STEP_TIMEOUT } from './lib.mjs';

const { base } = JSON.parse(process.argv[2] || '{}');

async function look(page, name) {
  await fitsWidth(page, name);
  await axe(page, name);
  await shot(page, name);
}

// The demo's words come from the one catalogue (web/i18n, `demo.` keys).
const WORDS = {
  'pt-BR': { connect: 'Conectar uma conta', none: '0 webhooks recebidos', switchTo: 'English' },
  en: { connect: 'Connect an account', none: '0 webhooks received', switchTo: 'Português' },
};

async function journey(browser, locale, prefix) {
  const page = await phone(browser, locale);
  const lang = locale.startsWith('pt') ? 'pt-BR' : 'en';
  await page.goto(`${base}/demo`);
  await page.waitForSelector('#connect:not(:empty)');
  check((await page.getAttribute('html', 'lang')) === lang, `${prefix}: the page's language`);
  check((await page.innerText('#connect')) === WORDS[lang].connect, `${prefix}: the button's words`);
  check((await page.innerText('#webhooks-count')) === WORDS[lang].none, `${prefix}: the count's words`);
  check((await page.innerText('#lang')) === WORDS[lang].switchTo, `${prefix}: the switch`);
  await look(page, `${prefix}-1-page`);
  await page.click('#connect');
  const widget = page.frameLocator('iframe[title="Ponte"]');
  await widget.locator('body[data-at="consent"]').waitFor();
  check((await widget.locator('html').getAttribute('lang')) === lang, `${prefix}: the widget speaks the page's language`);
  await shot(page, `${prefix}-2-modal`);
  await widget.locator('#consent-continue').click();
  await widget.locator('.bank[data-code="itau"]').click();
  const [bank] = await Promise.all([
    page.context().waitForEvent('page'),
    widget.locator('#handoff-go').click(),
  ]);
  await bank.waitForSelector('form[data-step="login"]');
  await bank.fill('#username', 'user_good');
  await bank.fill('#password', 'pass_good');
  await bank.click('form[data-step="login"] button[type=submit]');
  await bank.click('button[name=decision][value=approve]');
  await widget.locator('body[data-at="success"]').waitFor();
  await widget.locator('#success-finish').click();
  await page.waitForSelector('#events li[data-kind="success"]');
  check((await page.locator('iframe').count()) === 0, `${prefix}: the modal closed`);

  // Every callback and event, in the order the SDK delivered them.
  const logged = await page.$$eval('#events li', (items) => items.map((li) => `${li.dataset.kind}:${li.dataset.name}`));
  const expected = ['OPEN', 'INSTITUTION_SELECTED', 'CONSENT_CREATED', 'HANDED_OFF', 'RETURNED', 'AUTHORISED']
    .map((e) => `event:${e}`)
    .concat(['success:onSuccess']);
  check(JSON.stringify(logged) === JSON.stringify(expected), `${prefix}: events ${logged}`);
  const success = await page.locator('#events li[data-kind="success"]').innerText();
  check(success.includes('itau') && success.includes('AUTHORISED'), `${prefix}: onSuccess metadata: ${success}`);

  // The consent's webhook, then the reports', each verified by the backend.
  const authorised = page.locator('#webhooks li[data-event="CONSENT_STATUS_CHANGED"]', { hasText: '"status": "AUTHORISED"' });
  await authorised.waitFor({ timeout: STEP_TIMEOUT * 3 });
  check((await authorised.getAttribute('data-verified')) === 'true', `${prefix}: the consent webhook is verified`);
  check(await authorised.locator('.verified').isVisible(), `${prefix}: the page says it is verified`);
  const ready = page.locator('#webhooks li[data-event="REPORT_READY"]').first();
  await ready.waitFor({ timeout: STEP_TIMEOUT * 3 });
  check((await ready.getAttribute('data-verified')) === 'true', `${prefix}: the report webhook is verified`);
  await page.waitForSelector('#reports a.pdf');
  const pdf = await page.getAttribute('#reports a.pdf', 'href');
  const json = await page.getAttribute('#reports a.json', 'href');
  const got = await page.request.get(json);
  check(got.ok() && (await got.json()).reportId, `${prefix}: the report's JSON behind its link`);
  check(pdf.includes('/reports/'), `${prefix}: a PDF link: ${pdf}`);
  await page.locator('#reports').scrollIntoViewIfNeeded();
  await look(page, `${prefix}-3-webhooks-and-report`);
  const real = page.problems.filter((p) => !p.includes('Failed to load resource'));
  check(real.length === 0, `${prefix}: ${real.join('; ')}`);
  await page.context().close();
}

/** Leaving the modal: a confirmation, then onExit with status EXITED. */
async function exitJourney(browser) {
  const page = await phone(browser, 'en-US');
  await page.goto(`${base}/demo`);
  await page.click('#connect');
  const widget = page.frameLocator('iframe[title="Ponte"]');
  await widget.locator('body[data-at="consent"]').waitFor();
  await widget.locator('#consent-continue').click();
  await widget.locator('body[data-at="picker"]').waitFor();
  await widget.locator('#exit').click();
  await widget.locator('#exit-confirm').click();
  await page.waitForSelector('#events li[data-kind="exit"]');
  check((await page.locator('iframe').count()) === 0, 'the modal closed');
  const logged = await page.$$eval('#events li', (items) => items.map((li) => `${li.dataset.kind}:${li.dataset.name}`));
  check(JSON.stringify(logged) === JSON.stringify(['event:OPEN', 'event:EXIT', 'exit:onExit']), `exit events: ${logged}`);
  check((await page.locator('#events li[data-kind="exit"]').innerText()).includes('EXITED'), 'onExit says EXITED');
  await shot(page, 'demo-en-4-exited');
  await page.context().close();
}

/** The switch changes every word and is remembered, like every Ponte page's. */
async function switchJourney(browser) {
  const page = await phone(browser, 'en-US');
  await page.goto(`${base}/demo`);
  await page.waitForSelector('#connect:not(:empty)');
  await page.click('#lang');
  await page.waitForFunction(() => document.documentElement.lang === 'pt-BR');
  check((await page.innerText('#connect')) === WORDS['pt-BR'].connect, 'the switch changes the words');
  await page.reload();
  await page.waitForSelector('#connect:not(:empty)');
  check((await page.getAttribute('html', 'lang')) === 'pt-BR', 'the choice is remembered');
  check((await page.innerText('#lang')) === WORDS['pt-BR'].switchTo, 'the switch offers English again');
  await look(page, 'demo-switched-pt');
  await page.context().close();
}

await run([
  ['/demo: the language switch is remembered', switchJourney],
  ['/demo: leaving the modal calls onExit with EXITED', exitJourney],
  ['/demo through the SDK in Portuguese: events in order, verified webhooks, the report', (b) => journey(b, 'pt-BR', 'demo-pt')],
  ['/demo through the SDK in English', (b) => journey(b, 'en-US', 'demo-en')],
]);

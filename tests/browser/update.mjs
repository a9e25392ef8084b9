// Update mode: a link opened with an existing consentId. The widget skips
// the bank list, says "renew your connection with {bank}", the end user
// approves again at the bank, and the integrator gets the same consentId.
// Usage: node tests/browser/update.mjs '{"base":…,"bank":name,"redirect":{linkUrl,consentId},"sdk":{linkUrl,consentId}}'
import { run, phone, shot, axe, fitsWidth, check } from './lib.mjs';
import { t } from '../../web/widget/i18n.js';

const urls = JSON.parse(process.argv[2] || '{}');
const INTEGRATOR = 'https://app.example.com/';

const onScreen = (page, name) => page.waitForSelector(`body[data-at="${name}"]`);
const text = (page, selector) => page.locator(selector).first().innerText();

async function look(page, name) {
  await fitsWidth(page, name);
  await axe(page, name);
  await shot(page, name);
}

function noProblems(page, name) {
  const real = page.problems.filter((p) => !p.includes('Failed to load resource'));
  check(real.length === 0, `${name}: ${real.join('; ')}`);
}

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
  return landed;
}

async function atBank(page) {
  await page.waitForSelector('form[data-step="login"]');
  await page.fill('#username', 'user_good');
  await page.fill('#password', 'pass_good');
  await page.click('form[data-step="login"] button[type=submit]');
  await page.waitForSelector('form[data-step="approve"]');
  await page.click('button[name=decision][value=approve]');
}

/** The full-page journey, in Portuguese: renew screen, bank, back, success, integrator. */
async function redirectJourney(browser) {
  const lang = 'pt-BR';
  const bank = urls.bank;
  const page = await phone(browser, 'pt-BR');
  const landed = await integrator(page);
  await page.goto(urls.redirect.linkUrl);
  await onScreen(page, 'renew');
  check((await text(page, 'section[data-screen="renew"] h1')) === t(lang, 'renew.title', { bank }), `renew title: ${await text(page, 'section[data-screen="renew"] h1')}`);
  check((await text(page, '#renew-continue')) === t(lang, 'renew.continue', { bank }), 'renew button');
  check(await page.locator('section[data-screen="picker"]').isHidden(), 'no bank list in update mode');
  await look(page, 'update-pt-1-renew');
  await page.click('#renew-continue');
  await onScreen(page, 'handoff');
  check(await page.locator('#handoff-other').isHidden(), 'no other bank to choose in update mode');
  await look(page, 'update-pt-2-handoff');
  await page.click('#handoff-go');
  await atBank(page);
  await onScreen(page, 'success');
  check((await text(page, 'section[data-screen="success"] h1')) === t(lang, 'renew.success.title'), `success title: ${await text(page, 'section[data-screen="success"] h1')}`);
  const said = await text(page, '#success-text');
  check(said.includes(bank) && !said.includes('{date}'), `success text: ${said}`);
  await look(page, 'update-pt-3-renewed');
  await page.click('#success-finish');
  await page.waitForURL(`${INTEGRATOR}**`);
  const back = new URL(landed.at(-1));
  check(back.searchParams.get('status') === 'AUTHORISED', `back at ${back}`);
  check(back.searchParams.get('consentId') === urls.redirect.consentId, `the same consentId: ${back}`);
  check(back.searchParams.get('renewal') === 'true', `a renewal: ${back}`);
  noProblems(page, 'update-redirect');
  await page.context().close();
}

/** The SDK's modal, in English: the bank in a popup, then onSuccess says renewal. */
async function sdkJourney(browser) {
  const bank = urls.bank;
  const page = await phone(browser, 'en-US');
  await integrator(page);
  const site = `http://localhost:${new URL(urls.base).port}`;
  const token = new URL(urls.sdk.linkUrl).searchParams.get('v');
  await page.route(`${site}/**`, (route) => route.fulfill({
    status: 200,
    contentType: 'text/html',
    body: `<!doctype html><html lang="en"><title>Acme</title><main><h1>Acme</h1>
<button id="renew">Renew your bank</button></main>
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
  document.getElementById('renew').onclick = () => link.open();
</script></html>`,
  }));
  await page.goto(`${site}/account`);
  await page.click('#renew');
  const widget = page.frameLocator('iframe[title="Ponte"]');
  await widget.locator('body[data-at="renew"]').waitFor();
  check((await widget.locator('section[data-screen="renew"] h1').innerText()) === t('en', 'renew.title', { bank }), 'the renew screen in English');
  await shot(page, 'update-en-1-renew-in-modal');
  await widget.locator('#renew-continue').click();
  await widget.locator('body[data-at="handoff"]').waitFor();
  const [popup] = await Promise.all([
    page.context().waitForEvent('page'),
    widget.locator('#handoff-go').click(),
  ]);
  await widget.locator('body[data-at="popup"]').waitFor();
  // Until the bank answers, the consent (AUTHORISED all along) is not taken for the outcome.
  check((await page.locator('iframe[title="Ponte"]').count()) === 1, 'the modal waits for the bank');
  await atBank(popup);
  try {
    await widget.locator('body[data-at="success"]').waitFor();
  } finally {
    await shot(page, 'update-en-2-renewed-in-modal');
  }
  check((await widget.locator('section[data-screen="success"] h1').innerText()) === t('en', 'renew.success.title'), 'renewed, in English');
  await widget.locator('#success-finish').click();
  await page.waitForFunction(() => calls.some((c) => c[0] === 'success'));
  const calls = await page.evaluate(() => window.calls);
  const success = calls.find((c) => c[0] === 'success')[1];
  check(success.renewal === true && success.consentId === urls.sdk.consentId && success.status === 'AUTHORISED', `onSuccess: ${JSON.stringify(success)}`);
  const events = calls.filter((c) => c[0] === 'event').map((c) => c[1]);
  const expected = ['OPEN', 'CONSENT_CREATED', 'HANDED_OFF', 'RETURNED', 'AUTHORISED'];
  check(JSON.stringify(events) === JSON.stringify(expected), `events: ${events}`);
  check(calls.every((c) => c.at(-1).renewal === true), 'every event says renewal');
  await page.context().close();
}

await run([
  ['update mode in Portuguese, full page: same consentId back at the integrator', redirectJourney],
  ['update mode in English, in the SDK modal: onSuccess says renewal', sdkJourney],
]);

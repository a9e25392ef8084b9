// "You already connected {bank}": the end user already connected a bank for
// this client, which warns about (or refuses) a second connection.
// Usage: node tests/browser/duplicates.mjs '{"policy":"warn"|"refuse","code":…,"bank":name,"client":name,"links":{"pt-BR-phone":linkUrl,"pt-BR-desktop":…,"en-phone":…,"en-desktop":…}}'
// Each language runs at a phone's size (360×640) and on a desktop (1280×800).
import { run, phone, shot, axe, fitsWidth, check } from './lib.mjs';
import { t } from '../../web/widget/i18n.js';

const args = JSON.parse(process.argv[2] || '{}');
const INTEGRATOR = 'https://app.example.com/';
const SIZES = [['phone', { width: 360, height: 640 }], ['desktop', { width: 1280, height: 800 }]];

const onScreen = (page, name) => page.waitForSelector(`body[data-at="${name}"]`);
const text = (page, selector) => page.locator(selector).first().innerText();

async function open(browser, lang, viewport, linkUrl) {
  const page = await phone(browser, lang === 'en' ? 'en-US' : 'pt-BR');
  await page.setViewportSize(viewport);
  const landed = [];
  await page.route(`${INTEGRATOR}**`, (route) => {
    landed.push(route.request().url());
    return route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><html lang="en"><title>Integrator</title><main><h1>Back</h1></main></html>' });
  });
  await page.goto(linkUrl);
  await onScreen(page, 'consent');
  await page.click('#consent-continue');
  await onScreen(page, 'picker');
  return { page, landed };
}

const bankButton = (page) => page.locator(`#banks button[data-code="${args.code}"]`);

/** The bank is marked in the list, and picking it opens the notice, focused and named. */
async function pick(page, lang, policy, name) {
  const button = bankButton(page);
  await button.scrollIntoViewIfNeeded();
  await shot(page, `${name}-list`);
  check((await button.innerText()).includes(t(lang, 'picker.connected')), `${name}: the bank is marked: ${await button.innerText()}`);
  await button.click();
  const dialog = page.locator('#dup-dialog');
  await dialog.waitFor({ state: 'visible' });
  check((await text(page, '#dup-title')) === t(lang, `duplicate.${policy}.title`, { bank: args.bank }), `${name}: title ${await text(page, '#dup-title')}`);
  check((await text(page, '#dup-text')) === t(lang, `duplicate.${policy}.text`, { bank: args.bank, client: args.client }), `${name}: text ${await text(page, '#dup-text')}`);
  check(await page.evaluate(() => document.activeElement && document.activeElement.id === 'dup-primary'), `${name}: focus on the first choice`);
  check((await dialog.getAttribute('aria-labelledby')) === 'dup-title', `${name}: labelled`);
  await fitsWidth(page, name);
  await axe(page, name);
  await shot(page, name);
}

function warnJourney(lang, size, viewport) {
  return async (browser) => {
    const name = `duplicates-warn-${lang}-${size}`;
    const { page } = await open(browser, lang, viewport, args.links[`${lang}-${size}`]);
    // Cancel: back on the list, nothing made.
    await pick(page, lang, 'warn', name);
    check((await text(page, '#dup-secondary')) === t(lang, 'duplicate.warn.secondary'), `${name}: cancel`);
    await page.click('#dup-secondary');
    await page.locator('#dup-dialog').waitFor({ state: 'hidden' });
    check(await page.evaluate((c) => document.activeElement && document.activeElement.dataset.code === c, args.code), `${name}: focus back on the bank`);
    check(await page.locator('body[data-at="picker"]').count() === 1, `${name}: still choosing`);
    // Continue: on to the consent as usual, and no second notice.
    await bankButton(page).click();
    await page.locator('#dup-dialog').waitFor({ state: 'visible' });
    check((await text(page, '#dup-primary')) === t(lang, 'duplicate.warn.primary'), `${name}: continue`);
    await page.click('#dup-primary');
    await onScreen(page, 'handoff');
    check(!(await page.locator('#dup-dialog').isVisible()), `${name}: one notice only`);
    check(!(await page.locator('#picker-alert').isVisible()), `${name}: no alert`);
    const real = page.problems.filter((p) => !p.includes('Failed to load resource'));
    check(real.length === 0, `${name}: ${real.join('; ')}`);
    await page.context().close();
  };
}

function refuseJourney(lang, size, viewport) {
  return async (browser) => {
    const name = `duplicates-refuse-${lang}-${size}`;
    const { page, landed } = await open(browser, lang, viewport, args.links[`${lang}-${size}`]);
    await pick(page, lang, 'refuse', name);
    // Choose another bank: back on the list.
    check((await text(page, '#dup-primary')) === t(lang, 'duplicate.refuse.primary'), `${name}: another bank`);
    await page.click('#dup-primary');
    await page.locator('#dup-dialog').waitFor({ state: 'hidden' });
    check(await page.locator('body[data-at="picker"]').count() === 1, `${name}: still choosing`);
    // Esc is "choose another" too.
    await bankButton(page).click();
    await page.locator('#dup-dialog').waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await page.locator('#dup-dialog').waitFor({ state: 'hidden' });
    check(await page.locator('body[data-at="picker"]').count() === 1, `${name}: Esc keeps choosing`);
    // Exit: back at the integrator, not connected.
    await bankButton(page).click();
    await page.locator('#dup-dialog').waitFor({ state: 'visible' });
    check((await text(page, '#dup-secondary')) === t(lang, 'duplicate.refuse.secondary'), `${name}: exit`);
    await page.click('#dup-secondary');
    await page.waitForURL(`${INTEGRATOR}**`);
    const back = new URL(landed.at(-1));
    check(back.searchParams.get('status') === 'EXITED' && !back.searchParams.get('consentId'), `${name}: back at ${back}`);
    const real = page.problems.filter((p) => !p.includes('Failed to load resource'));
    check(real.length === 0, `${name}: ${real.join('; ')}`);
    await page.context().close();
  };
}

/** Refused in the SDK's modal: Exit calls onExit with errorKind DUPLICATE_CONNECTION. */
async function sdkJourney(browser) {
  const page = await phone(browser, 'en-US');
  await page.setViewportSize({ width: 1280, height: 800 });
  const site = `http://localhost:${new URL(args.base).port}`;
  await page.route(`${site}/**`, (route) => route.fulfill({
    status: 200,
    contentType: 'text/html',
    body: `<!doctype html><html lang="en"><title>Acme</title><main><h1>Acme</h1>
<button id="connect">Connect a bank</button></main>
<script src="${args.base}/ponte-link.js"></script>
<script>
  window.calls = [];
  const link = PonteLink.create({
    token: ${JSON.stringify(args.links.sdk)},
    locale: 'en',
    onEvent: (name, m) => calls.push(['event', name, m]),
    onSuccess: (m) => calls.push(['success', m]),
    onExit: (m) => calls.push(['exit', m]),
  });
  document.getElementById('connect').onclick = () => link.open();
</script></html>`,
  }));
  await page.goto(`${site}/shop`);
  await page.click('#connect');
  const widget = page.frameLocator('iframe[title="Ponte"]');
  await widget.locator('body[data-at="consent"]').waitFor();
  await widget.locator('#consent-continue').click();
  await widget.locator(`#banks button[data-code="${args.code}"]`).click();
  await widget.locator('#dup-dialog').waitFor({ state: 'visible' });
  await shot(page, 'duplicates-refuse-en-sdk-modal');
  await widget.locator('#dup-secondary').click();
  await page.waitForFunction(() => window.calls.some((c) => c[0] === 'exit'));
  const calls = await page.evaluate(() => window.calls);
  const exit = calls.find((c) => c[0] === 'exit')[1];
  check(exit.errorKind === 'DUPLICATE_CONNECTION' && exit.status === 'EXITED' && exit.consentId === null, `onExit: ${JSON.stringify(exit)}`);
  check(!calls.some((c) => c[0] === 'event' && c[1] === 'CONSENT_CREATED'), 'no consent made');
  check((await page.locator('iframe[title="Ponte"]').count()) === 0, 'the modal is gone');
  await page.context().close();
}

const journeys = [];
for (const lang of ['pt-BR', 'en']) {
  for (const [size, viewport] of SIZES) {
    const journey = args.policy === 'warn' ? warnJourney(lang, size, viewport) : refuseJourney(lang, size, viewport);
    journeys.push([`${args.policy} in ${lang} on a ${size}`, journey]);
  }
}
if (args.policy === 'refuse') journeys.push(["refuse in the SDK's modal: onExit with errorKind DUPLICATE_CONNECTION", sdkJourney]);
await run(journeys);

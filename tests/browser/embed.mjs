// ponte-link.js on an integrator's page of another origin, at a laptop's
// size: the modal never fails silently (a refused frame, a refused token, an
// unreachable Ponte each end in onExit with an errorKind, a console message
// naming the fix, and no modal left), an allowed origin goes from OPEN to
// onSuccess, Esc and a click outside ask the widget's own confirmation, an
// exit after a rejection names the consent and its status, a page on
// localhost frames the sandbox client with no setting, and the documents app
// opens the same way.
// Usage: node tests/browser/embed.mjs '{"base","site","refused","allowed",…}'
import { run, shot, check, STEP_TIMEOUT } from './lib.mjs';

const args = JSON.parse(process.argv[2] || '{}');

/**
 * The integrator's page at `site`, loading the SDK from `base`; every
 * callback lands in `window.calls`, every console line in `page.logged`.
 */
async function integrator(browser, { site = args.site, base = args.base, factory = 'create', options }) {
  const context = await browser.newContext({ viewport: { width: 1024, height: 720 }, locale: 'en-US' });
  context.setDefaultTimeout(STEP_TIMEOUT);
  const page = await context.newPage();
  page.logged = [];
  page.errors = [];
  page.on('console', (m) => page.logged.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => page.errors.push(e.message));
  await page.route(`${site}/**`, (route) => route.fulfill({
    status: 200,
    contentType: 'text/html',
    body: `<!doctype html><html lang="en"><title>Shop</title>
<main><h1>Shop</h1><p>Connect your bank to get credit.</p><button id="connect">Connect a bank</button></main>
<script src="${base}/ponte-link.js"></script>
<script>
  window.calls = [];
  const link = PonteLink.${factory}(Object.assign(${JSON.stringify(options)}, {
    onEvent: (name, m) => calls.push(['event', name, m]),
    onSuccess: (m) => calls.push(['success', m]),
    onExit: (m) => calls.push(['exit', m]),
  }));
  document.getElementById('connect').onclick = () => link.open();
</script></html>`,
  }));
  await page.goto(`${site}/shop`);
  const version = await page.evaluate(() => window.PonteLink && window.PonteLink.VERSION);
  check(version === '1.2.0', `SDK version ${version}: ${page.errors.join('; ')}`);
  return page;
}

const modalCount = (page) => page.locator('[data-ponte-link]').count();
const calls = (page) => page.evaluate(() => window.calls);

/** Waits for onExit or onSuccess; returns [kind, metadata]. */
async function outcome(page) {
  await page.waitForFunction(() => window.calls.some((c) => c[0] === 'exit' || c[0] === 'success'), null, { timeout: STEP_TIMEOUT * 2 });
  const all = await calls(page);
  const ends = all.filter((c) => c[0] === 'exit' || c[0] === 'success');
  check(ends.length === 1, `exactly one of onExit/onSuccess: ${JSON.stringify(ends)}`);
  return ends[0];
}

/** Opens the modal and expects it to close by itself with `errorKind`. */
async function failsWith(browser, name, token, errorKind, fix, prepare) {
  const page = await integrator(browser, { options: { token } });
  if (prepare) await prepare(page);
  await page.click('#connect');
  check((await modalCount(page)) === 1, `${name}: the modal opened`);
  await shot(page, `embed-${name}-1-opening`);
  const [kind, m] = await outcome(page);
  check(kind === 'exit' && m.errorKind === errorKind && m.status === 'EXITED', `${name}: onExit ${kind} ${JSON.stringify(m)}`);
  check((await modalCount(page)) === 0 && (await page.locator('iframe').count()) === 0, `${name}: the modal is gone`);
  const events = (await calls(page)).filter((c) => c[0] === 'event').map((c) => c[1]);
  check(JSON.stringify(events.slice(-2)) === '["ERROR","EXIT"]', `${name}: events ${events}`);
  const said = page.logged.filter((l) => l.startsWith('error: PonteLink:'));
  check(said.length === 1 && said[0].includes(fix), `${name}: the console names the fix (${fix}): ${page.logged.join(' | ')}`);
  const keys = Object.keys(m).sort().join();
  check(keys === 'consentId,errorKind,institutionCode,institutionName,lastStatus,locale,occurredAt,renewal,status', `${name}: the metadata's shape: ${keys}`);
  check(page.errors.length === 0, `${name}: page errors ${page.errors}`);
  await shot(page, `embed-${name}-2-closed`);
  await page.context().close();
}

/** The widget's consent screen inside the modal. */
async function opened(page) {
  await page.click('#connect');
  const widget = page.frameLocator('iframe[title="Ponte"]');
  await widget.locator('body[data-at="consent"]').waitFor();
  return widget;
}

const dialogOpen = (widget) => widget.locator('#exit-dialog').evaluate((d) => d.open);

const journeys = [
  ['a frame Ponte refuses (no frame origin set): onExit frame_refused, a console line with the fix, no modal', (b) =>
    failsWith(b, 'refused', args.refused, 'frame_refused', `ponte clients update --client-id <your client id> --frame-origins ${args.site}`)],

  ['a token Ponte refuses: onExit invalid, no modal', (b) =>
    failsWith(b, 'invalid', 'not-a-token', 'invalid', 'POST /data/v1/links')],

  ['Ponte unreachable: onExit network, no modal', (b) =>
    failsWith(b, 'network', args.allowed, 'network', 'did not answer', async (page) => {
      await page.route((u) => u.origin === new URL(args.base).origin && (u.pathname === '/link' || u.pathname === '/healthz'),
        (route) => route.abort('connectionrefused'));
    })],

  ['an allowed origin: the modal from OPEN to onSuccess', async (browser) => {
    const page = await integrator(browser, { options: { token: args.allowed, locale: 'en' } });
    const widget = await opened(page);
    await shot(page, 'embed-allowed-1-modal');
    await widget.locator('#consent-continue').click();
    await widget.locator('.bank[data-code="itau"]').click();
    const [bank] = await Promise.all([page.context().waitForEvent('page'), widget.locator('#handoff-go').click()]);
    await bank.waitForSelector('form[data-step="login"]');
    await bank.fill('#username', 'user_good');
    await bank.fill('#password', 'pass_good');
    await bank.click('form[data-step="login"] button[type=submit]');
    await bank.click('button[name=decision][value=approve]');
    await widget.locator('body[data-at="success"]').waitFor();
    await shot(page, 'embed-allowed-2-success');
    await widget.locator('#success-finish').click();
    const [kind, m] = await outcome(page);
    check(kind === 'success' && m.status === 'AUTHORISED' && m.consentId && m.institutionCode === 'itau', `onSuccess: ${kind} ${JSON.stringify(m)}`);
    const events = (await calls(page)).filter((c) => c[0] === 'event').map((c) => c[1]);
    check(events[0] === 'OPEN' && events.at(-1) === 'AUTHORISED' && !events.includes('ERROR'), `events: ${events}`);
    check((await modalCount(page)) === 0, 'the modal is gone');
    check(!page.logged.some((l) => l.includes('PonteLink:')), `nothing to fix: ${page.logged.join(' | ')}`);
    await page.context().close();
  }],

  ['Esc, on the page or in the widget, asks the widget\'s confirmation; staying stays; leaving calls onExit', async (browser) => {
    const page = await integrator(browser, { options: { token: args.esc, locale: 'en' } });
    const widget = await opened(page);
    // Esc on the integrator's page (focus out of the frame).
    await page.evaluate(() => document.activeElement && document.activeElement.blur());
    await page.keyboard.press('Escape');
    await widget.locator('#exit-dialog[open]').waitFor({ state: 'attached' });
    await shot(page, 'embed-esc-1-confirm');
    await widget.locator('#exit-stay').click();
    check(!(await dialogOpen(widget)), 'staying closes the confirmation');
    check((await modalCount(page)) === 1, 'staying keeps the modal');
    // Esc inside the widget: the same confirmation; Esc again means stay.
    await widget.locator('section[data-screen="consent"] h1').click();
    await page.keyboard.press('Escape');
    await widget.locator('#exit-dialog[open]').waitFor({ state: 'attached' });
    await page.keyboard.press('Escape');
    await widget.locator('#exit-dialog:not([open])').waitFor({ state: 'attached' });
    check((await widget.locator('body').getAttribute('data-at')) === 'consent', 'still on the consent screen');
    check((await calls(page)).every((c) => c[0] === 'event' && c[1] === 'OPEN'), `nothing ended: ${JSON.stringify(await calls(page))}`);
    await page.keyboard.press('Escape');
    await widget.locator('#exit-dialog[open]').waitFor();
    await widget.locator('#exit-confirm').click();
    const [kind, m] = await outcome(page);
    check(kind === 'exit' && m.status === 'EXITED' && m.errorKind === null, `onExit: ${kind} ${JSON.stringify(m)}`);
    check((await modalCount(page)) === 0, 'the modal is gone');
    await page.context().close();
  }],

  ['a click outside the widget asks the same confirmation', async (browser) => {
    const page = await integrator(browser, { options: { token: args.outside, locale: 'en' } });
    const widget = await opened(page);
    await page.mouse.click(40, 40);
    await widget.locator('#exit-dialog[open]').waitFor();
    await widget.locator('#exit-confirm').click();
    const [kind, m] = await outcome(page);
    check(kind === 'exit' && m.status === 'EXITED', `onExit: ${kind} ${JSON.stringify(m)}`);
    check((await modalCount(page)) === 0, 'the modal is gone');
    await page.context().close();
  }],

  ['leaving after the bank refused: onExit names the consent and lastStatus REJECTED', async (browser) => {
    const page = await integrator(browser, { options: { token: args.deny, locale: 'en' } });
    const widget = await opened(page);
    await widget.locator('#consent-continue').click();
    await widget.locator('.bank[data-code="nubank"]').click();
    const [bank] = await Promise.all([page.context().waitForEvent('page'), widget.locator('#handoff-go').click()]);
    await bank.waitForSelector('form[data-step="login"]');
    await bank.fill('#username', 'user_deny');
    await bank.fill('#password', 'pass_good');
    await bank.click('form[data-step="login"] button[type=submit]');
    await bank.click('button[name=decision][value=reject]');
    await widget.locator('body[data-at="failure"]').waitFor();
    await widget.locator('#exit').click();
    await widget.locator('#exit-confirm').click();
    const [kind, m] = await outcome(page);
    check(kind === 'exit' && m.status === 'EXITED' && m.lastStatus === 'REJECTED' && /\S/.test(m.consentId || ''), `onExit: ${kind} ${JSON.stringify(m)}`);
    await page.context().close();
  }],

  ['a page on localhost frames the sandbox client with no setting', async (browser) => {
    const site = `http://localhost:${new URL(args.sandboxBase).port}`;
    const page = await integrator(browser, { site, base: args.sandboxBase, options: { token: args.sandboxLink, locale: 'en' } });
    await opened(page);
    await shot(page, 'embed-sandbox-localhost');
    check((await calls(page)).every((c) => c[0] === 'event'), `no exit: ${JSON.stringify(await calls(page))}`);
    await page.context().close();
  }],
];

journeys.push(['the documents app in the same modal: Esc confirms, onExit', async (browser) => {
  const page = await integrator(browser, { factory: 'createDocuments', options: { accessToken: args.documentsExit, locale: 'en' } });
  await page.click('#connect');
  const widget = page.frameLocator('iframe[title="Ponte"]');
  await widget.locator('body[data-at="docs-intro"]').waitFor();
  await shot(page, 'embed-documents-1-modal');
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  await page.keyboard.press('Escape');
  await widget.locator('#exit-dialog[open]').waitFor({ state: 'attached' });
  await shot(page, 'embed-documents-2-confirm');
  await widget.locator('#exit-confirm').click();
  const [kind, m] = await outcome(page);
  check(kind === 'exit' && m.status === 'EXITED' && m.fileCount === 0, `onExit: ${kind} ${JSON.stringify(m)}`);
  const events = (await calls(page)).filter((c) => c[0] === 'event').map((c) => c[1]);
  check(events[0] === 'OPEN' && events.at(-1) === 'EXIT', `events: ${events}`);
  check((await modalCount(page)) === 0, 'the modal is gone');
  await page.context().close();
}]);

journeys.push(['the documents app in a modal: the portal in a popup, then onSuccess with the file count', async (browser) => {
  const page = await integrator(browser, { factory: 'createDocuments', options: { accessToken: args.documents, locale: 'en' } });
  await page.click('#connect');
  const widget = page.frameLocator('iframe[title="Ponte"]');
  await widget.locator('#docs-continue').click();
  await widget.locator('button.bank[data-code="harborline"]').click();
  await widget.locator('body[data-at="docs-handoff"]').waitFor();
  const [portal] = await Promise.all([page.context().waitForEvent('page'), widget.locator('#docs-go').click()]);
  await portal.waitForSelector('form[data-step="login"]');
  await portal.fill('#username', 'user_good');
  await portal.fill('#password', 'pass_good');
  await portal.click('form[data-step="login"] button[type="submit"]');
  await portal.click('form[data-step="approve"] button[value="approve"]');
  await widget.locator('body[data-at="docs-success"]').waitFor({ timeout: STEP_TIMEOUT * 3 });
  await shot(page, 'embed-documents-3-success');
  await widget.locator('#docs-finish').click();
  const [kind, m] = await outcome(page);
  check(kind === 'success' && m.status === 'SUCCESS' && m.fileCount >= 3 && m.institutionCode === 'harborline' && m.retrievalId, `onSuccess: ${kind} ${JSON.stringify(m)}`);
  const events = (await calls(page)).filter((c) => c[0] === 'event').map((c) => c[1]);
  check(JSON.stringify(events) === JSON.stringify(['OPEN', 'INSTITUTION_SELECTED', 'HANDED_OFF', 'SUCCESS']), `events: ${events}`);
  check((await modalCount(page)) === 0, 'the modal is gone');
  await page.context().close();
}]);

journeys.push(['the documents app with a token Ponte refuses: onExit invalid, no modal', async (browser) => {
  const page = await integrator(browser, { factory: 'createDocuments', options: { accessToken: 'not-a-token' } });
  await page.click('#connect');
  const [kind, m] = await outcome(page);
  check(kind === 'exit' && m.errorKind === 'invalid', `onExit: ${kind} ${JSON.stringify(m)}`);
  check((await modalCount(page)) === 0, 'the modal is gone');
  check(page.logged.some((l) => l.includes('POST /api/token')), `the fix: ${page.logged.join(' | ')}`);
  await page.context().close();
}]);

journeys.push(['the documents app in redirect mode: the whole page goes to /app', async (browser) => {
  const page = await integrator(browser, { factory: 'createDocuments', options: { accessToken: args.documentsRedirect, mode: 'redirect', locale: 'en' } });
  await page.click('#connect');
  await page.waitForURL((u) => u.pathname === '/app');
  await page.waitForSelector('body[data-at="docs-intro"]');
  check(!page.url().includes('access_token'), `the token left the address bar: ${page.url()}`);
  check((await page.getAttribute('html', 'lang')) === 'en', 'the locale option');
  await shot(page, 'embed-documents-redirect');
  await page.context().close();
}]);

const readme = ['the README\'s page and backend: Connect, the bank, onSuccess in the page\'s log', async (browser) => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 720 }, locale: 'en-US' });
  context.setDefaultTimeout(STEP_TIMEOUT);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(args.readme);
  await page.click('#connect');
  const widget = page.frameLocator('iframe[title="Ponte"]');
  await widget.locator('#consent-continue').click();
  await shot(page, 'embed-readme-1-modal');
  await widget.locator('.bank[data-code="itau"]').click();
  const [bank] = await Promise.all([page.context().waitForEvent('page'), widget.locator('#handoff-go').click()]);
  await bank.waitForSelector('form[data-step="login"]');
  await bank.fill('#username', 'user_good');
  await bank.fill('#password', 'pass_good');
  await bank.click('form[data-step="login"] button[type=submit]');
  await bank.click('button[name=decision][value=approve]');
  await widget.locator('#success-finish').click();
  await page.waitForFunction(() => document.getElementById('log').textContent.includes('onSuccess'));
  const log = await page.locator('#log').innerText();
  check(/onEvent OPEN/.test(log) && /onSuccess AUTHORISED \S+ itau/.test(log), `the page's log: ${log}`);
  check(errors.length === 0, `page errors: ${errors}`);
  await shot(page, 'embed-readme-2-logged');
  await context.close();
}];

// EMBED_ONLY=<words> runs the journeys whose name contains them.
const only = process.env.EMBED_ONLY;
if (args.readme) await run([readme]);
else await run(only ? journeys.filter(([name]) => name.includes(only)) : journeys);

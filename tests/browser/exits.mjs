// Leaving from every screen, and the bank's other answers (a one-time code,
// a locked account, an institution in outage), in Portuguese and English at
// 360×640, with axe-core and a screenshot of each screen.
// Usage: node tests/browser/exits.mjs '{"base":…,"<journey>_<lang>":linkUrl,…}'
import { run, phone, shot, axe, fitsWidth, check } from './lib.mjs';
import { t } from '../../web/widget/i18n.js';

const urls = JSON.parse(process.argv[2] || '{}');
const INTEGRATOR = 'https://app.example.com/';
const LOCALES = [['pt-BR', 'pt-BR', 'pt'], ['en-US', 'en', 'en']];

/** The integrator's redirect page, answered locally; returns the URLs it got. */
async function integrator(page) {
  const landed = [];
  await page.route(`${INTEGRATOR}**`, (route) => {
    landed.push(route.request().url());
    return route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><html lang="en"><title>Integrator</title><main><h1>Back</h1></main></html>' });
  });
  return landed;
}

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

async function login(page, user, password = 'pass_good') {
  await page.waitForSelector('form[data-step="login"]');
  await page.fill('#username', user);
  await page.fill('#password', password);
  await page.click('form[data-step="login"] button[type=submit]');
}

/** Opens the link and walks to `screen`; returns a function that lets held calls go. */
async function reach(page, url, screen, lang) {
  await page.goto(url);
  await onScreen(page, 'consent');
  if (screen === 'consent') return () => {};
  await page.click('#consent-continue');
  await onScreen(page, 'picker');
  if (screen === 'picker') return () => {};
  await page.click('.bank[data-code="nubank"]');
  await onScreen(page, 'handoff');
  if (screen === 'handoff') return () => {};
  await page.click('#handoff-go');
  if (screen === 'waiting') {
    // Hold Ponte's answer about the consent so the waiting screen stays.
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await page.route('**/data/v1/consents/*', async (route) => { await held; await route.continue().catch(() => {}); });
    await login(page, 'user_good');
    await page.click('button[name=decision][value=approve]');
    await onScreen(page, 'waiting');
    check((await text(page, 'section[data-screen="waiting"] h1')) === t(lang, 'waiting.title', { bank: 'Nubank' }), `waiting names the bank (${lang})`);
    return release;
  }
  const [user, decision, result] = screen === 'failure' ? ['user_deny', 'reject', 'failure'] : ['user_good', 'approve', 'success'];
  await login(page, user);
  await page.click(`button[name=decision][value=${decision}]`);
  await onScreen(page, result);
  return () => {};
}

/** × on `screen`: a confirmation first; staying keeps the screen; leaving says EXITED. */
async function exitFrom(browser, locale, lang, prefix, screen) {
  const page = await phone(browser, locale);
  const landed = await integrator(page);
  const release = await reach(page, urls[`exit_${screen}_${prefix}`], screen, lang);
  await look(page, `${prefix}-exit-${screen}-1-screen`);
  check(await page.locator('#exit').isVisible(), `${prefix} ${screen}: the exit control is visible`);
  check((await page.getAttribute('#exit', 'aria-label')) === t(lang, 'exit.label'), `${prefix} ${screen}: the exit control is labelled`);
  await page.click('#exit');
  await page.waitForSelector('#exit-dialog[open]');
  check((await text(page, '#exit-title')) === t(lang, 'exit.title'), `${prefix} ${screen}: the confirmation asks`);
  await look(page, `${prefix}-exit-${screen}-2-confirm`);
  await page.click('#exit-stay');
  check(!(await page.locator('#exit-dialog').getAttribute('open')), `${prefix} ${screen}: staying closes the dialog`);
  check((await page.locator('body').getAttribute('data-at')) === screen, `${prefix} ${screen}: staying keeps the screen`);
  await page.click('#exit');
  await page.click('#exit-confirm');
  await page.waitForURL(`${INTEGRATOR}**`);
  release();
  const back = new URL(landed.at(-1));
  check(back.searchParams.get('status') === 'EXITED', `${prefix} ${screen}: back at ${back}`);
  // An exit after an attempt names it and where it stands (on the waiting
  // screen Ponte's answer is held: what the widget saw).
  const last = { consent: null, picker: null, handoff: 'AWAITING_AUTHORISATION', waiting: 'AWAITING_AUTHORISATION', failure: 'REJECTED' }[screen];
  check(back.searchParams.get('lastStatus') === last && Boolean(back.searchParams.get('consentId')) === Boolean(last), `${prefix} ${screen}: the last attempt in ${back}`);
  noProblems(page, `${prefix}-exit-${screen}`);
  await page.context().close();
}

/** × on the success screen finishes: nothing is lost, the integrator hears AUTHORISED. */
async function exitFromSuccess(browser, locale, lang, prefix) {
  const page = await phone(browser, locale);
  const landed = await integrator(page);
  await reach(page, urls[`exit_success_${prefix}`], 'success', lang);
  await look(page, `${prefix}-exit-success-1-screen`);
  await page.click('#exit');
  await page.waitForURL(`${INTEGRATOR}**`);
  const back = new URL(landed.at(-1));
  check(back.searchParams.get('status') === 'AUTHORISED' && back.searchParams.get('consentId'), `${prefix} success: back at ${back}`);
  await page.context().close();
}

async function mfa(browser, locale, lang, prefix) {
  const page = await phone(browser, locale);
  await reach(page, urls[`mfa_${prefix}`], 'handoff', lang);
  await page.click('#handoff-go');
  await login(page, 'user_mfa');
  await page.waitForSelector('form[data-step="otp"]');
  // A wrong code first: the bank says so and asks again.
  await page.fill('#otp', '000000');
  await page.click('form[data-step="otp"] button[type=submit]');
  await page.waitForSelector('[data-error]');
  await look(page, `${prefix}-mfa-1-wrong-code`);
  await page.fill('#otp', '123456');
  await page.click('form[data-step="otp"] button[type=submit]');
  await page.click('button[name=decision][value=approve]');
  await onScreen(page, 'success');
  check((await text(page, 'section[data-screen="success"] p')).includes('Nubank'), `${prefix} mfa: success names the bank`);
  await look(page, `${prefix}-mfa-2-success`);
  noProblems(page, `${prefix}-mfa`);
  await page.context().close();
}

async function locked(browser, locale, lang, prefix) {
  const page = await phone(browser, locale);
  await reach(page, urls[`locked_${prefix}`], 'handoff', lang);
  await page.click('#handoff-go');
  await login(page, 'user_locked', 'whatever');
  await page.waitForSelector('[data-error]');
  await look(page, `${prefix}-locked-1-at-the-bank`);
  await page.click('a[data-step="cancel"]');
  await onScreen(page, 'failure');
  const alert = await text(page, 'section[data-screen="failure"] [role="alert"]');
  check(alert.includes('Nubank'), `${prefix} locked: ${alert}`);
  check(!/[A-Z_]{6,}|error|erro:/.test(alert), `${prefix} locked: no code or API message: ${alert}`);
  for (const next of ['#failure-retry', '#failure-other', '#failure-finish']) {
    check(await page.locator(next).isVisible(), `${prefix} locked: the next step ${next} is offered`);
  }
  await look(page, `${prefix}-locked-2-failure`);
  await page.click('#failure-other');
  await onScreen(page, 'picker');
  noProblems(page, `${prefix}-locked`);
  await page.context().close();
}

async function outage(browser, locale, lang, prefix) {
  const page = await phone(browser, locale);
  await reach(page, urls[`outage_${prefix}`], 'picker', lang);
  await page.fill('#q', 'original');
  const bank = page.locator('.bank[data-code="original"]');
  check(await bank.isDisabled(), `${prefix} outage: not selectable`);
  check((await bank.innerText()).includes(t(lang, 'picker.outage')), `${prefix} outage: labelled`);
  await look(page, `${prefix}-outage-1-picker`);
  await page.context().close();
}

const journeys = [];
for (const [locale, lang, prefix] of LOCALES) {
  for (const screen of ['consent', 'picker', 'handoff', 'waiting', 'failure']) {
    journeys.push([`${prefix}: exit from the ${screen} screen`, (b) => exitFrom(b, locale, lang, prefix, screen)]);
  }
  journeys.push([`${prefix}: × on the success screen finishes`, (b) => exitFromSuccess(b, locale, lang, prefix)]);
  journeys.push([`${prefix}: user_mfa, a wrong code then the right one`, (b) => mfa(b, locale, lang, prefix)]);
  journeys.push([`${prefix}: user_locked, a failure with next steps`, (b) => locked(b, locale, lang, prefix)]);
  journeys.push([`${prefix}: an institution in outage`, (b) => outage(b, locale, lang, prefix)]);
}

await run(journeys);

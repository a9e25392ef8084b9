// `/me`: the end user's own connected banks, opened from their app with a
// Server API ticket, at a phone's size, in Portuguese and English.
// Usage: node tests/browser/me.mjs '{"base":…,"pt":{"url":…,"revoke":consentId,"keep":consentId},"en":{…}}'
import { run, phone, shot, axe, fitsWidth, check } from './lib.mjs';

const args = JSON.parse(process.argv[2] || '{}');

const WORDS = {
  'pt-BR': {
    title: 'Seus bancos conectados',
    shares: 'Compartilha',
    until: /até \d{2}\/\d{2}\/\d{4}/,
    active: 'Ativa',
    revoked: 'Revogada',
    revoke: 'Revogar',
    confirm: 'Sim, revogar',
    done: 'Conexão revogada.',
    added: 'Banco conectado.',
    accounts: 'contas e saldos',
    lead: 'com {client}',
    switchTo: 'English',
    knownCpf: 'o CPF ***.982.247-**',
  },
  en: {
    title: 'Your connected banks',
    shares: 'Shares',
    until: /until [A-Z][a-z]{2} \d{1,2}, \d{4}/,
    active: 'Active',
    revoked: 'Revoked',
    revoke: 'Revoke',
    confirm: 'Yes, revoke',
    done: 'Connection revoked.',
    added: 'Bank connected.',
    accounts: 'accounts and balances',
    lead: 'with {client}',
    switchTo: 'Português',
    knownCpf: 'the CPF ***.982.247-**',
  },
};

async function look(page, name) {
  await fitsWidth(page, name);
  await axe(page, name);
  await shot(page, name);
}

const item = (page, consentId) => page.locator(`li[data-consent="${consentId}"]`);

async function meJourney(browser, locale, lang, user, name) {
  const w = WORDS[lang];
  const page = await phone(browser, locale);
  // The page opens in the browser's language (nothing chosen yet); the
  // switch changes it and the choice is remembered on the next visit.
  await page.goto(user.url);
  await page.waitForURL((u) => !u.searchParams.has('ticket'));
  check(!page.url().includes('ticket'), `${name}: the ticket left the address bar (${page.url()})`);
  check((await page.getAttribute('html', 'lang')) === lang, `${name}: html lang follows the browser`);
  check((await page.locator('h1').innerText()) === w.title, `${name}: title`);
  const other = lang === 'en' ? 'pt-BR' : 'en';
  await page.click('a.lang');
  await page.waitForFunction((l) => document.documentElement.lang === l, other);
  await page.goto(`${args.base}/me`);
  check((await page.getAttribute('html', 'lang')) === other, `${name}: the switch is remembered`);
  await page.click('a.lang');
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
  // The client's brand, as the widget shows it.
  check((await page.locator('header.brand').innerText()).includes(args.client), `${name}: the header names the client`);
  check((await page.locator('p.lead').first().innerText()).includes(w.lead.replace('{client}', args.client)), `${name}: the lead names the client`);
  check((await page.locator('footer a').getAttribute('href')) === args.privacy, `${name}: the client's privacy link`);
  check((await page.locator('a.lang').innerText()) === w.switchTo, `${name}: the switch names the other language`);

  const items = page.locator('li[data-consent]');
  check((await items.count()) === 2, `${name}: two connections listed, got ${await items.count()}`);
  for (const id of [user.revoke, user.keep]) {
    const text = await item(page, id).innerText();
    check(text.includes(w.active), `${name}: ${id} is active: ${text}`);
    check(text.includes(w.shares) && text.includes(w.accounts), `${name}: ${id} says what it shares: ${text}`);
    check(w.until.test(text), `${name}: ${id} says until when: ${text}`);
    check((await item(page, id).locator('img.bank-logo, span.bank-logo.initial').count()) === 1, `${name}: ${id} has a logo or initial`);
  }
  check((await item(page, user.revoke).innerText()).includes(user.revokeBank), `${name}: names the bank`);
  await look(page, `me-${name}-1-list`);

  await item(page, user.revoke).locator('a.button').click();
  await page.waitForSelector('form button.danger');
  check((await page.locator('button.danger').innerText()) === w.confirm, `${name}: confirm button`);
  check((await page.locator('p.bank').innerText()) === user.revokeBank, `${name}: the confirmation names the bank`);
  await look(page, `me-${name}-2-confirm`);
  // Cancelling first changes nothing.
  await page.click('a.cancel');
  await page.waitForSelector('li[data-consent]');
  check((await item(page, user.revoke).innerText()).includes(w.active), `${name}: cancel keeps it`);

  await item(page, user.revoke).locator('a.button').click();
  await page.click('button.danger');
  await page.waitForSelector('[role="status"]');
  check((await page.locator('[role="status"]').innerText()) === w.done, `${name}: revoked message`);
  check((await page.getAttribute('html', 'lang')) === lang, `${name}: the language is kept`);
  const gone = await item(page, user.revoke).innerText();
  check(gone.includes(w.revoked), `${name}: the revoked one says so: ${gone}`);
  check((await item(page, user.revoke).locator('a.button').count()) === 0, `${name}: no revoke button on a revoked one`);
  const kept = await item(page, user.keep).innerText();
  check(kept.includes(w.active), `${name}: the other stays active: ${kept}`);
  await look(page, `me-${name}-3-revoked`);
  if (user.add) await addABank(page, lang, name);
  // A refused form answers 400 on purpose; the browser logs any non-2xx.
  const real = page.problems.filter((p) => !p.includes('Failed to load resource'));
  check(real.length === 0, `${name}: ${real.join('; ')}`);
  await page.context().close();
}

/** "Add a bank": the CPF the bank needs, the widget, user_good, back at /me. */
async function addABank(page, lang, name) {
  const w = WORDS[lang];
  await page.fill('#cpf', '529.982.247-24');
  await page.click('form.add button[type=submit]');
  await page.waitForSelector('#cpf-error[role="alert"]');
  check((await page.getAttribute('#cpf', 'aria-invalid')) === 'true', `${name}: the CPF field is marked`);
  check((await page.locator('#cpf-error').innerText()).includes('CPF'), `${name}: the error names the CPF`);
  await look(page, `me-${name}-4-bad-cpf`);
  await page.fill('#cpf', '529.982.247-25');
  await page.click('form.add button[type=submit]');
  await page.waitForSelector('body[data-at="consent"]');
  await page.click('#consent-continue');
  await page.fill('#q', 'bradesco');
  await page.click('.bank[data-code="bradesco"]');
  await page.waitForSelector('body[data-at="handoff"]');
  await page.click('#handoff-go');
  await page.waitForSelector('form[data-step="login"]');
  await page.fill('#username', 'user_good');
  await page.fill('#password', 'pass_good');
  await page.click('form[data-step="login"] button[type=submit]');
  await page.click('button[name=decision][value=approve]');
  await page.waitForSelector('body[data-at="success"]');
  await page.click('#success-finish');
  await page.waitForURL((u) => u.pathname === '/me');
  await page.waitForSelector('[role="status"]');
  check((await page.locator('[role="status"]').innerText()) === w.added, `${name}: back at /me, told the bank was added`);
  const items = await page.locator('li[data-consent]').allInnerTexts();
  check(items.length === 3, `${name}: three connections now: ${items.length}`);
  const added = items.find((t) => t.includes('Bradesco'));
  check(added && added.includes(w.active), `${name}: the new bank is listed and active: ${added}`);
  // The CPF is not asked again: the form names it, masked.
  check((await page.locator('#cpf').count()) === 0, `${name}: no CPF field once it is known`);
  check((await page.locator('#known-cpf').innerText()).includes(w.knownCpf), `${name}: the known CPF, masked`);
  await look(page, `me-${name}-5-added`);
  await page.click('form.add button[type=submit]');
  await page.waitForSelector('body[data-at="consent"]');
  check((await page.getAttribute('html', 'lang')) === lang, `${name}: the widget opened from /me speaks its language`);
  await page.goto(`${args.base}/me`);
}

await run([
  ['/me in Portuguese: two banks, revoke one with confirmation', (browser) => meJourney(browser, 'pt-BR', 'pt-BR', args.pt, 'pt')],
  ['/me in English (the switch): two banks, revoke one with confirmation', (browser) => meJourney(browser, 'en-US', 'en', args.en, 'en')],
]);

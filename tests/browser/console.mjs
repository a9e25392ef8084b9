// The console journey: sign in, a connection and its report, replay a dead
// webhook, send a test event, rotate the secret (the old one still works),
// edit the webhook settings, change the widget's colour and watch the
// preview follow; every page again at 360×640; an operator picks a client.
// axe-core on every page, a screenshot of each:
// target/browser-screenshots/console-*.png.
//
// node tests/browser/console.mjs <base> <email> <password> <consentId> <deadMessageId> <apiKey> <apiSecret> <operatorEmail>
import { launch, axe, check, fitsWidth, STEP_TIMEOUT } from './lib.mjs';
import { join } from 'node:path';

const [base, email, password, consentId, deadId, apiKey, apiSecret, operatorEmail, institutionName] = process.argv.slice(2);
// Status codes a person should never read on a page: words instead.
const RAW = /\b(AWAITING_AUTHORISATION|AUTHORISED|REJECTED|EXPIRED|REVOKED|SUCCESS|FAILED|pending|delivered|dead)\b/;

async function inWords(page, name) {
  const text = await page.locator('main').innerText();
  const raw = text.match(RAW);
  check(!raw, `${name} shows the raw status ${raw && raw[0]}`);
}
const SHOTS = process.env.PONTE_SCREENSHOTS || 'target/browser-screenshots';

async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `console-${name}.png`), fullPage: true });
}

async function auth(secret) {
  const r = await fetch(`${base}/data/v1/auth`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ accessKey: apiKey, secretKey: secret }),
  });
  return r.status;
}

const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'pt-BR' });
  context.setDefaultTimeout(STEP_TIMEOUT);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));

  await page.goto(`${base}/console`);
  await page.getByLabel('E-mail').waitFor();
  await axe(page, 'sign-in');
  await shot(page, 'signin');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Senha').fill(password);
  await page.getByRole('button', { name: 'Entrar' }).click();

  await page.getByRole('heading', { name: 'Últimos 30 dias' }).waitFor();
  check(await page.getByRole('link', { name: 'Clientes' }).count() === 0, "a client's user has no client picker");
  check((await page.locator('main').innerText()).includes('Autorizados'), 'chart labels are words');
  // Where each consent is now: the one this test authorised, once.
  check((await page.textContent('#consents-now dd[data-status="AUTHORISED"]')) === '1', 'one consent is authorised now');
  check((await page.textContent('#consents-now dd[data-status="AWAITING_AUTHORISATION"]')) === '0', 'none awaits authorisation now');
  // Days under the axis, in the reader's short date (dd/mm), today last.
  const today = new Date().toLocaleDateString('pt-BR', { day: '2-digit', month: '2-digit', timeZone: 'UTC' });
  const ticks = await page.locator('#links svg.chart text').allTextContents();
  check(ticks.includes(today) && ticks.filter((x) => /^\d\d\/\d\d$/.test(x)).length >= 4, `days labelled: ${ticks}`);
  check((await page.locator('#links svg.chart rect').count()) === 30, 'the links chart has 30 days');
  check(/\d+ ms/.test(await page.textContent('#p50')) && /\d+ ms/.test(await page.textContent('#p95')), 'p50 and p95 both shown');
  check((await page.locator('#institutions li').count()) === 1
    && (await page.textContent('#institutions li')).includes(institutionName), 'the institution used, by its name');
  await inWords(page, 'overview');
  await axe(page, 'overview');
  await shot(page, 'overview');

  await page.getByRole('link', { name: 'Conexões', exact: true }).click();
  await page.getByRole('link', { name: consentId }).waitFor();
  check((await page.textContent('table')).includes('***.982.247-**'), 'the tax id is masked in the list');
  check(institutionName && (await page.textContent('table')).includes(institutionName), 'the institution by its name');
  await inWords(page, 'connections');
  await axe(page, 'connections');
  await shot(page, 'connections');

  await page.getByRole('link', { name: consentId }).click();
  await page.locator('#reports').waitFor();
  check((await page.textContent('#products')).includes('accounts'), 'the products retrieved are listed');
  const json = await page.locator('#reports a', { hasText: 'JSON' }).first().getAttribute('href');
  const report = await (await fetch(json)).json();
  check(report.consentId === consentId && report.product === 'accounts', 'the JSON download is the report');
  await axe(page, 'connection');
  await shot(page, 'connection');

  await page.goto(`${base}/console/#/webhooks/${deadId}`);
  await page.locator('#attempts tbody tr').first().waitFor();
  const before = await page.locator('#attempts tbody tr').count();
  check((await page.getAttribute('#message-status', 'data-status')) === 'dead', 'the message is dead');
  check((await page.textContent('#message-status')) === 'Falha definitiva', 'its status in words');
  await axe(page, 'webhook message');
  await shot(page, 'webhook-dead');
  await page.locator('#replay').click();
  const deadline = Date.now() + STEP_TIMEOUT;
  while ((await page.locator('#attempts tbody tr').count()) <= before) {
    check(Date.now() < deadline, 'a new attempt shows up after the replay');
    await page.waitForTimeout(500);
    await page.reload();
    await page.locator('#attempts').waitFor();
  }
  await shot(page, 'webhook-replayed');

  await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
  await page.locator('#messages').waitFor();
  await inWords(page, 'webhooks');
  await axe(page, 'webhooks');
  // The client's own webhook URL is the default target; the receiver accepts.
  await page.getByRole('button', { name: 'Enviar teste' }).click();
  await page.locator('#test-result', { hasText: 'HTTP 200' }).waitFor();
  await axe(page, 'webhooks after a test event');
  await shot(page, 'webhooks');

  await page.getByRole('link', { name: 'Configurações', exact: true }).click();
  await page.locator('#rotate-secret').click();
  const fresh = (await page.locator('#new-secret').textContent()).trim();
  check(fresh.startsWith('sk_') && fresh !== apiSecret, 'a new secret is shown');
  check((await auth(apiSecret)) === 200, 'the old secret still works');
  check((await auth(fresh)) === 200, 'the new secret works');

  const hookUrl = await page.locator('#webhookUrl').inputValue();
  await page.locator('#webhookUrl').fill('ftp://hooks.example.com/ponte');
  await page.getByRole('button', { name: 'Salvar webhooks' }).click();
  await page.locator('#webhookUrl[aria-invalid="true"]').waitFor();
  check((await page.textContent('#webhook-settings .alert')).includes('webhookUrl'), 'the error names the field');
  await page.locator('#webhookUrl').fill(hookUrl);
  await page.locator('#autoDelivery').check();
  await page.getByRole('button', { name: 'Salvar webhooks' }).click();
  await page.locator('#webhook-settings').getByText('Salvo.').waitFor();
  const saved = await page.evaluate(() => fetch('/console/api/settings').then((r) => r.json()));
  check(saved.autoDelivery === true && saved.webhookUrl === hookUrl, 'auto-delivery is on, the URL kept');

  // The preview reloads when the branding changes: a read that the reload
  // interrupts is read again from the new document.
  const accent = async () => {
    for (;;) {
      const frame = page.frameLocator('#preview');
      await frame.locator('#continue').waitFor();
      try {
        return await frame.locator('#continue').evaluate((el) => getComputedStyle(el).backgroundColor);
      } catch (e) {
        if (!/context was destroyed|navigat|detached/i.test(e.message)) throw e;
      }
    }
  };
  const first = await accent();
  await page.locator('#primaryColor').fill('#7c3aed');
  await page.locator('#primaryColor').dispatchEvent('input');
  await page.getByRole('button', { name: 'Salvar', exact: true }).click();
  await page.locator('#branding').getByText('Salvo.').waitFor();
  const until = Date.now() + STEP_TIMEOUT;
  let now = await accent();
  while (now !== 'rgb(124, 58, 237)') {
    check(Date.now() < until, `the preview follows the colour (was ${first}, now ${now})`);
    await page.waitForTimeout(200);
    now = await accent();
  }
  await axe(page, 'settings');
  await shot(page, 'settings');

  await page.getByRole('link', { name: 'Sandbox', exact: true }).click();
  await page.getByRole('heading', { name: 'Usuários do sandbox' }).waitFor();
  await page.getByRole('button', { name: 'Criar um link' }).click();
  await page.getByRole('link', { name: 'abrir o widget' }).waitFor();
  await axe(page, 'sandbox tools');
  await shot(page, 'sandbox');

  await page.getByRole('link', { name: 'Configurações', exact: true }).click();
  await page.locator('#branding').waitFor();
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Settings' }).waitFor();
  await shot(page, 'settings-en');
  await page.getByRole('button', { name: 'Português' }).click();

  // Every page at a phone's size: no sideways scroll, axe-clean.
  const small = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: 'pt-BR', storageState: await context.storageState() });
  small.setDefaultTimeout(STEP_TIMEOUT);
  const phone = await small.newPage();
  phone.on('pageerror', (e) => problems.push(`page error (360): ${e.message}`));
  for (const [name, hash, ready] of [
    ['overview', '#/overview', 'svg.chart'],
    ['connections', '#/connections', 'table'],
    ['connection', `#/connections/${consentId}`, '#reports'],
    ['webhooks', '#/webhooks', '#messages'],
    ['webhook-dead', `#/webhooks/${deadId}`, '#attempts'],
    ['settings', '#/settings', '#branding'],
    ['sandbox', '#/sandbox', 'table'],
  ]) {
    await phone.goto(`${base}/console/${hash}`);
    await phone.locator(ready).first().waitFor();
    await fitsWidth(phone, `${name} at 360 px`);
    await axe(phone, `${name} at 360 px`);
    await shot(phone, `${name}-360`);
  }
  await small.close();

  // An English browser that chose nothing opens the console in English, at
  // a phone's size too; its switch is remembered for every Ponte page.
  const state = await context.storageState();
  state.cookies = state.cookies.filter((c) => c.name !== 'ponte_lang');
  const english = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: 'en-US', storageState: state });
  english.setDefaultTimeout(STEP_TIMEOUT);
  const en = await english.newPage();
  en.on('pageerror', (e) => problems.push(`page error (en): ${e.message}`));
  await en.goto(`${base}/console/#/overview`);
  await en.getByRole('heading', { name: 'Last 30 days' }).waitFor();
  check((await en.getAttribute('html', 'lang')) === 'en', 'the page says it is English');
  check((await en.textContent('#consents-now')).includes('Authorised'), 'current statuses in English');
  const enTicks = await en.locator('#links svg.chart text').allTextContents();
  const enToday = new Date().toLocaleDateString('en', { day: 'numeric', month: 'short', timeZone: 'UTC' });
  check(enTicks.includes(enToday), `English short dates: ${enTicks}`);
  await inWords(en, 'overview (en)');
  await fitsWidth(en, 'overview in English at 360 px');
  await axe(en, 'overview in English');
  await shot(en, 'overview-en-360');
  await en.getByRole('button', { name: 'Português' }).click();
  await en.getByRole('heading', { name: 'Últimos 30 dias' }).waitFor();
  await en.reload();
  await en.getByRole('heading', { name: 'Últimos 30 dias' }).waitFor();
  check((await english.cookies()).some((c) => c.name === 'ponte_lang' && c.value === 'pt-BR'), 'the choice is kept in the shared cookie');
  await english.close();

  // An operator picks a client first, then sees that client's pages.
  await page.getByRole('button', { name: 'Sair' }).click();
  await page.getByLabel('E-mail').fill(operatorEmail);
  await page.getByLabel('Senha').fill(password);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.getByRole('heading', { name: 'Escolha um cliente' }).waitFor();
  await axe(page, 'client picker');
  await page.getByLabel('Buscar por nome ou id').fill('test');
  await page.getByRole('button', { name: 'Buscar' }).click();
  await page.getByRole('button', { name: 'Abrir: Test client' }).click();
  await page.getByRole('heading', { name: 'Últimos 30 dias' }).waitFor();
  check((await page.textContent('#picked')).includes('Test client'), 'the client picked is named');
  await page.getByRole('link', { name: 'Conexões', exact: true }).click();
  await page.getByRole('link', { name: consentId }).waitFor();
  await page.getByRole('link', { name: 'Clientes', exact: true }).click();
  await page.locator('#clients').waitFor();
  await shot(page, 'clients');
  check(problems.length === 0, problems.join('\n'));
  console.log('console journey: ok');
} finally {
  await browser.close();
}

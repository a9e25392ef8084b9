// The console journey: sign in, a connection and its report, replay a dead
// webhook, rotate the secret (the old one still works), change the widget's
// colour and watch the preview follow. axe-core on every page, a screenshot
// of each: target/browser-screenshots/console-*.png.
//
// node tests/browser/console.mjs <base> <email> <password> <consentId> <deadMessageId> <apiKey> <apiSecret>
import { launch, axe, check, STEP_TIMEOUT } from './lib.mjs';
import { join } from 'node:path';

const [base, email, password, consentId, deadId, apiKey, apiSecret] = process.argv.slice(2);
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
  await axe(page, 'overview');
  await shot(page, 'overview');

  await page.getByRole('link', { name: 'Conexões', exact: true }).click();
  await page.getByRole('link', { name: consentId }).waitFor();
  check((await page.textContent('table')).includes('***.982.247-**'), 'the tax id is masked in the list');
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
  check((await page.textContent('#message-status')) === 'dead', 'the message is dead');
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
  await axe(page, 'webhooks');
  await shot(page, 'webhooks');

  await page.getByRole('link', { name: 'Configurações', exact: true }).click();
  await page.locator('#rotate-secret').click();
  const fresh = (await page.locator('#new-secret').textContent()).trim();
  check(fresh.startsWith('sk_') && fresh !== apiSecret, 'a new secret is shown');
  check((await auth(apiSecret)) === 200, 'the old secret still works');
  check((await auth(fresh)) === 200, 'the new secret works');

  const accent = async () => {
    const frame = page.frameLocator('#preview');
    await frame.locator('#continue').waitFor();
    return frame.locator('#continue').evaluate((el) => getComputedStyle(el).backgroundColor);
  };
  const first = await accent();
  await page.locator('#primaryColor').fill('#7c3aed');
  await page.locator('#primaryColor').dispatchEvent('input');
  await page.getByRole('button', { name: 'Salvar' }).click();
  await page.getByText('Salvo.').waitFor();
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
  check(problems.length === 0, problems.join('\n'));
  console.log('console journey: ok');
} finally {
  await browser.close();
}

// The console's renewals page and a connection's quota, in Portuguese and
// English: expiring connections with days left, an update-mode link made
// for the end user, the duplicates list; axe on each, screenshots
// target/browser-screenshots/console-renewals-*.png.
// node tests/browser/renewals.mjs '{"base","email","password","expiring","duplicate","duplicateOf"}'
import { launch, axe, check, fitsWidth, STEP_TIMEOUT } from './lib.mjs';
import { join } from 'node:path';

const a = JSON.parse(process.argv[2] || '{}');
const SHOTS = process.env.PONTE_SCREENSHOTS || 'target/browser-screenshots';
const shot = (page, name) => page.screenshot({ path: join(SHOTS, `console-renewals-${name}.png`), fullPage: true });

const browser = await launch();
let failed = false;
try {
  for (const [locale, words] of [
    ['pt-BR', { email: 'E-mail', password: 'Senha', submit: 'Entrar', nav: 'Renovações', title: 'Renovações e duplicadas', left: '5 dias', make: 'Criar link de renovação', quota: 'Cota do mês' }],
    ['en-US', { email: 'E-mail', password: 'Password', submit: 'Sign in', nav: 'Renewals', title: 'Renewals and duplicates', left: '5 days', make: 'Make a renewal link', quota: "This month's quota" }],
  ]) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale });
    context.setDefaultTimeout(STEP_TIMEOUT);
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(`${a.base}/console`);
    await page.getByLabel(words.email).fill(a.email);
    await page.getByLabel(words.password).fill(a.password);
    await page.getByRole('button', { name: words.submit }).click();
    await page.getByRole('link', { name: words.nav }).click();
    await page.getByRole('heading', { name: words.title }).waitFor();
    const row = page.locator(`#expiring tr[data-consent="${a.expiring}"]`);
    check((await row.locator('td.days-left').innerText()) === words.left, `${locale}: days left`);
    const dup = page.locator(`#duplicates tr[data-consent="${a.duplicate}"]`);
    check((await dup.locator('td.duplicate-of').innerText()) === a.duplicateOf, `${locale}: duplicate of`);
    await axe(page, `renewals-${locale}`);
    await fitsWidth(page, `renewals-${locale}`);
    await shot(page, `${locale}-list`);
    if (locale === 'pt-BR') {
      await row.getByRole('button', { name: words.make }).click();
      const link = await row.locator('code.update-link').innerText();
      check(link.includes('/link?v='), `the update-mode link: ${link}`);
      await shot(page, `${locale}-link-made`);
    }
    await page.locator(`#expiring a[href="#/connections/${a.expiring}"]`).click();
    await page.getByRole('heading', { name: words.quota }).waitFor();
    check((await page.locator('#quota tbody tr').count()) > 0, `${locale}: quota rows`);
    await axe(page, `quota-${locale}`);
    await shot(page, `${locale}-quota`);
    check(problems.length === 0, `${locale}: ${problems.join('; ')}`);
    await context.close();
    console.log(`ok   the renewals page and quota in ${locale}`);
  }
} catch (e) {
  failed = true;
  console.log(`FAIL ${e.stack || e}`);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);

// 75-paperwork: 运维报告. Ops open the page, download the monthly report as
// XLSX, view the annual one for printing, and Chromium prints the annual
// summary to PDF (A4) with a sensible number of pages.
import fs from 'node:fs';
import { assert, text, login, makeUser } from './lib.mjs';

function ymd(d) {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export default [
  {
    name: 'O&M reports: monthly XLSX, annual HTML, printed to PDF',
    async run(t) {
      await makeUser(t, 'ops_pw', ['ops'], '610200-XSP', { display_name: '报告运维' });
      const page = await t.page();
      await login(page, 'ops_pw', t.state.passwords.ops_pw);
      assert((await text(page.locator('.menu'))).includes('运维报告'), 'the menu has 运维报告');
      await page.click('.menu a[data-path="/ops/om-reports"]');
      await page.waitForSelector('#om-kind');
      const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#om-xlsx')]);
      const head = fs.readFileSync(await dl.path()).subarray(0, 2).toString('latin1');
      assert(head === 'PK', 'an XLSX (zip) file');
      const now = new Date();
      const from = ymd(new Date(now.getFullYear(), now.getMonth() - 11, 1));
      await page.selectOption('#om-kind', 'annual');
      await page.fill('#om-from', from);
      await page.fill('#om-to', ymd(now));
      await page.click('#om-html');
      await page.frameLocator('#om-frame').locator('h1', { hasText: '年度运维总结报告' }).waitFor();
      await page.frameLocator('#om-frame').locator('h2', { hasText: '服务内容：工作成效' }).waitFor();
      const url = `/api/reports/om?kind=annual&from=${from}&to=${ymd(now)}&format=html`;
      const html = await page.evaluate((u) => fetch(u).then((r) => r.text()), url);
      const doc = await page.context().newPage();   // the report alone, as the browser prints it
      await doc.setContent(html);
      const sections = await doc.locator('section').count();
      assert(sections >= 20, `every section (${sections})`);
      const pdf = await doc.pdf({ format: 'A4', printBackground: true });
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
      assert(pages >= 3 && pages <= 80, `a sensible number of A4 pages (${pages})`);
      await doc.close();
    },
  },
];

// 75-paperwork: 运维报告. Ops open the page, download the monthly report as
// XLSX, view the annual one for printing, and Chromium prints the annual
// summary to PDF (A4) with a sensible number of pages. On a demo history a
// leader takes 营商环境—办理建筑许可 from the same page: the figures per
// flow type on the page equal the API's, the report prints, the workbook
// downloads.
import fs from 'node:fs';
import { assert, text, login, makeUser, DEMO_PASSWORD } from './lib.mjs';

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
  {
    name: '营商环境—办理建筑许可 on a demo history: page figures equal the API, HTML, XLSX',
    async run(t) {
      const s = await t.startServer({ demo: 150 });
      try {
        const page = await t.page(s.url);
        await login(page, 'demo_leader', DEMO_PASSWORD);
        await page.click('.menu a[data-path="/ops/om-reports"]');
        await page.waitForSelector('#om-kind');
        assert(await page.locator('#om-summary').isHidden(), 'the page summary is for the business report only');
        await page.selectOption('#om-kind', 'business');
        const now = new Date();
        const from = ymd(new Date(now.getFullYear() - 1, now.getMonth(), now.getDate() + 1));
        await page.fill('#om-from', from);
        await page.fill('#om-to', ymd(now));
        await page.click('#om-summary');
        await page.waitForSelector('#biz-flows tbody tr[data-flow-type="0"]');
        const api = await page.evaluate((u) => fetch(u).then((r) => r.json()),
          `/api/reports/business?from=${from}&to=${ymd(now)}&format=json`);
        const all = api.figures.all;
        assert(all.projects > 0, `completed projects in the demo year (${all.projects})`);
        const cell = async (type, key) => (await text(page.locator(`#biz-flows tr[data-flow-type="${type}"] td[data-key="${key}"]`))).replace(/,/g, '');
        assert(Number(await cell(0, 'projects')) === all.projects, 'the projects on the page are the API\'s');
        assert(Number(await cell(0, 'median_workdays')) === all.median_workdays, 'the median on the page is the API\'s');
        for (const f of api.figures.flow_types)
          assert(Number(await cell(f.flow_type, 'projects')) === f.projects, `projects of flow type ${f.flow_type}`);
        await page.locator('#biz-slowest', { hasText: api.figures.slowest[0].name }).waitFor();
        await page.click('#om-html');
        await page.frameLocator('#om-frame').locator('h1', { hasText: '营商环境—办理建筑许可' }).waitFor();
        await page.frameLocator('#om-frame').locator('h2', { hasText: '用时最长的项目及各阶段用时' }).waitFor();
        await page.click('.dialog-foot button:has-text("关闭")');
        const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#om-xlsx')]);
        assert(fs.readFileSync(await dl.path()).subarray(0, 2).toString('latin1') === 'PK', 'an XLSX (zip) file');
      } finally {
        await s.stop();
        s.cleanup();
      }
    },
  },
];

// 60-demo: the pages over a realistic history (`gonggai demo`, 300 projects,
// ~2600 办件 with supplements, special procedures, 容缺, overdue and
// withdrawn cases): paging and filters at volume, lights, the dashboard with
// real figures; the screenshots for the README come from here.
import { assert, text, shot, login, DEMO_PASSWORD } from './lib.mjs';

let demo = null;
async function server(t) {
  if (!demo) {
    demo = await t.startServer({ demo: 300 });
    process.on('exit', () => { try { demo.proc.kill('SIGTERM'); demo.cleanup(); } catch (_) { /* gone */ } });
  }
  return demo;
}

export default [
  {
    name: 'demo data: dashboard and period report with real figures',
    async run(t) {
      const s = await server(t);
      const page = await t.page(s.url);
      await login(page, 'demo_leader', DEMO_PASSWORD);
      await page.click('.menu a[data-path="/stats"]');
      await page.waitForSelector('#chart-district canvas');
      await page.waitForSelector('#chart-trend canvas');
      await page.waitForSelector('#chart-parallel canvas');
      const total = Number((await text(page.locator('#ov-total .value'))).replace(/,/g, ''));
      assert(total > 1000, `demo 办件 counted (${total})`);
      await shot(page, 'demo-stats', { doc: 'dashboard' });
      await page.click('.menu a[data-path="/stats/report"]');
      await page.selectOption('#stats-period', 'year');
      await page.click('#stats-query');
      await page.locator('#stats-table tbody tr', { hasText: '王益区' }).waitFor();
      await shot(page, 'demo-report');
    },
  },
  {
    name: 'demo data: case list paging and light filter, a case with its history',
    async run(t) {
      const s = await server(t);
      const page = await t.page(s.url);
      await login(page, 'demo_leader', DEMO_PASSWORD);
      await page.click('.menu a[data-path="/cases"]');
      await page.locator('#case-list .pager', { hasText: /共 \d{4,} 条/ }).waitFor();
      await page.locator('#case-list .pager button', { hasText: /^2$/ }).click();
      await page.locator('#case-list .pager button.cur', { hasText: /^2$/ }).waitFor();
      await page.selectOption('#case-list select[name=status]', '11');
      await page.click('#case-list button:has-text("搜索")');
      await page.waitForFunction(() => [...document.querySelectorAll('#case-list tbody tr')].every((r) => r.textContent.includes('准予许可')));
      await shot(page, 'demo-cases', { doc: 'cases' });
      await page.locator('#case-list tbody tr a.mono').first().click();
      await page.waitForSelector('#case-timeline li');
      assert((await page.locator('#case-timeline li').count()) >= 3, 'a history of several status changes');
      await page.waitForSelector('#case-documents');
    },
  },
  {
    name: 'demo data: a department clerk\'s workbench',
    async run(t) {
      const s = await server(t);
      const page = await t.page(s.url);
      await login(page, 'demo_zjj_clerk', DEMO_PASSWORD);
      await page.waitForSelector('#workbench-list table');
      await page.waitForFunction(() => !document.querySelector('#workbench-list tbody').textContent.includes('加载中'));
      assert(/^\d+$/.test(await text(page.locator('#cnt-todo .value'))), 'todo counted');
      await shot(page, 'demo-workbench', { doc: 'workbench' });
      await demo.stop();
      demo.cleanup();
      demo = null;
    },
  },
];

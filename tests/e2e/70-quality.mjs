// 70-quality: 数据质量 over a demo database — a leader runs the rules from the
// overview, the findings list filters by rule and opens a finding with its
// history, a leader dismisses it with a reason, a rule is switched off (a new
// version in its history), the 通报 downloads as XLSX, and a department
// head sees their department's findings on the 工作台.
import fs from 'node:fs';
import { assert, text, shot, login, DEMO_PASSWORD } from './lib.mjs';

let demo = null;
async function server(t) {
  if (!demo) {
    demo = await t.startServer({ demo: 150 });
    process.on('exit', () => { try { demo.proc.kill('SIGTERM'); demo.cleanup(); } catch (_) { /* gone */ } });
  }
  return demo;
}

const num = async (page, id) => Number((await text(page.locator(`#${id} .value`))).replace(/,/g, ''));

export default [
  {
    name: 'quality: run now, findings with their object, dismissal, 通报',
    async run(t) {
      const s = await server(t);
      const page = await t.page(s.url);
      await login(page, 'demo_leader', DEMO_PASSWORD);
      await page.click('.menu a[data-path="/quality"]');
      await page.waitForSelector('#quality-counters');
      await page.click('#quality-run');
      await page.waitForFunction(() => Number((document.querySelector('#q-open .value')?.textContent || '0').replace(/,/g, '')) > 0);
      assert((await num(page, 'q-open')) > 0, 'open findings after the run');
      await page.locator('#quality-runs tbody tr').first().waitFor();
      await shot(page, 'quality-overview');
      const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#notice-xlsx')]);
      assert(fs.readFileSync(await dl.path()).subarray(0, 2).toString('latin1') === 'PK', 'the 通报 is an XLSX workbook');

      await page.click('.menu a[data-path="/quality/findings"]');
      await page.selectOption('#quality-findings select[name=rule]', 'project-stuck');
      await page.click('#quality-findings button:has-text("搜索")');
      await page.waitForFunction(() => [...document.querySelectorAll('#quality-findings tbody tr')].every((r) => r.textContent.includes('项目阶段停滞')));
      const href = await page.locator('#quality-findings tbody tr a[href^="#/projects?q="]').first().getAttribute('href');
      assert(/^#\/projects\?q=\d{4}-\d{6}-/.test(href), `the project one click away: ${href}`);
      await shot(page, 'quality-findings');
      await page.locator('#quality-findings tbody tr button:has-text("详情")').first().click();
      await page.waitForSelector('#finding-events tbody tr');
      await page.fill('#dismiss-reason', '项目已暂停建设，经核实无需整改');
      await page.click('.dialog button:has-text("核销")');
      await page.locator('.dialog').waitFor({ state: 'detached' });

      await page.click('.menu a[data-path="/quality/rules"]');
      const row = page.locator('#quality-rules tr[data-rule="unit-required"]');
      await row.locator('button:has-text("停用")').click();
      await row.locator('span.tag', { hasText: '停用' }).waitFor();
      await row.locator('button:has-text("历史")').click();
      await page.locator('.dialog td', { hasText: 'v1' }).waitFor();
    },
  },
  {
    name: 'quality: a department head sees their findings on the 工作台',
    async run(t) {
      const s = await server(t);
      // the department with most open findings after the leader's run (the demo decides which)
      const lp = await t.page(s.url);
      await login(lp, 'demo_leader', DEMO_PASSWORD);
      const all = await lp.evaluate(() => fetch('/api/quality/findings?status=open&page_size=200').then((r) => r.json()));
      const counts = {};
      for (const f of all.items) if (f.department && !f.department.endsWith('-XSP')) counts[f.department] = (counts[f.department] || 0) + 1;
      const dept = Object.keys(counts).sort((a, b) => counts[b] - counts[a])[0];
      assert(dept, 'a department has open findings');
      const [district, abbr] = dept.split('-');
      const head = district === '610200' ? `demo_${abbr.toLowerCase()}_head` : `demo_${district}_${abbr.toLowerCase()}_head`;
      const page = await t.page(s.url);
      await login(page, head, DEMO_PASSWORD);
      await page.waitForSelector('#home-quality');
      await page.click('.menu a[data-path="/quality/findings"]');
      await page.locator('#quality-findings .pager').waitFor();
      await page.locator('#quality-findings tbody tr td:nth-child(5)').first().waitFor();
      const depts = await page.locator('#quality-findings tbody tr td:nth-child(5)').allInnerTexts();
      assert(depts.length > 0 && depts.every((d) => d === dept), `only the head's department ${dept}: ${depts.slice(0, 5)}`);
    },
  },
];

// 40-ops: 运维中心: run an inspection now, read the status, download the
// daily report (XLSX) and view the monthly one, back up, drill, clean up.
import fs from 'node:fs';
import { assert, text, shot, login, makeUser } from './lib.mjs';

export default [
  {
    name: 'inspection: run now, status per item, run history',
    async run(t) {
      await makeUser(t, 'ops1', ['ops'], '610200-XSP', { display_name: '吴运维' });
      const page = await t.page();
      await login(page, 'ops1', t.state.passwords.ops1);
      const menu = await text(page.locator('.menu'));
      assert(menu.includes('巡检状态') && !menu.includes('办件管理') && !menu.includes('用户管理'), 'ops menu');
      await page.click('.menu a[data-path="/ops"]');
      await page.waitForSelector('#inspect-items');
      await page.click('#inspect-now');
      await page.locator('#inspect-now', { hasText: '立即巡检' }).waitFor({ timeout: 60000 });
      await page.locator('#inspect-items tbody tr[data-item="db.quick_check"] [data-status]').waitFor();
      const n = await page.locator('#inspect-items [data-status]').count();
      assert(n >= 10, `at least 10 items measured (${n})`);
      await shot(page, 'ops', { doc: 'ops' });
      await page.click('.tabs a:has-text("巡检记录")');
      await page.locator('#content tbody tr', { hasText: '手动巡检' }).first().waitFor();
      await page.locator('#content tbody tr', { hasText: '手动巡检' }).first().locator('button:has-text("明细")').click();
      await page.locator('.dialog tbody tr', { hasText: 'db.quick_check' }).waitFor();
    },
  },
  {
    name: 'inspection reports: XLSX download and printable HTML',
    async run(t) {
      const page = await t.page();
      await login(page, 'ops1', t.state.passwords.ops1);
      await page.click('.menu a[data-path="/ops/reports"]');
      const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#report-xlsx')]);
      const file = await dl.path();
      const head = fs.readFileSync(file).subarray(0, 2).toString('latin1');
      assert(head === 'PK', 'an XLSX (zip) file');
      assert((await dl.suggestedFilename()).endsWith('.xlsx'), `file name ${await dl.suggestedFilename()}`);
      await page.selectOption('#report-kind', 'month');
      await page.click('#report-html');
      await page.frameLocator('#report-frame').locator('text=月巡检报告').first().waitFor();
      await shot(page, 'ops-report');
    },
  },
  {
    name: 'backup now, restore drill, cleanup dry run',
    async run(t) {
      const page = await t.page();
      await login(page, 'ops1', t.state.passwords.ops1);
      await page.click('.menu a[data-path="/ops/backups"]');
      await page.click('#backup-now');
      await page.locator('#backup-list tbody tr', { hasText: '通过' }).first().waitFor({ timeout: 60000 });
      await page.click('#drill-now');
      await page.locator('.dialog .alert-success', { hasText: '恢复演练通过' }).waitFor({ timeout: 60000 });
      await shot(page, 'ops-drill');
      await page.locator('.dialog-foot button:has-text("关闭")').click();
      await page.locator('#drill-list tbody tr', { hasText: '正常' }).first().waitFor();
      await page.click('.menu a[data-path="/ops/cleanup"]');
      await page.click('#cleanup-dry');
      await page.locator('#cleanup-result .alert', { hasText: '演习' }).waitFor({ timeout: 60000 });
      await page.locator('#cleanup-list tbody tr', { hasText: '演习' }).first().waitFor();
    },
  },
  {
    name: '运维档案: the server start, the backup and the drill, filtered by kind, exported',
    async run(t) {
      const page = await t.page();
      await login(page, 'ops1', t.state.passwords.ops1);
      await page.click('.menu a[data-path="/ops/archive"]');
      await page.locator('#archive-list tbody tr', { hasText: '首次启动' }).waitFor();
      await page.locator('#archive-list tbody tr', { hasText: '备份完成' }).first().waitFor();
      await page.locator('#archive-list tbody tr', { hasText: '恢复演练完成' }).first().waitFor();
      const labels = await page.locator('#archive-list select[name="kind"] option').allTextContents();
      assert(labels.includes('备份与恢复') && labels.includes('软件版本'), `kind names from the dictionary: ${labels}`);
      await page.selectOption('#archive-list select[name="kind"]', 'software');
      await page.click('#archive-list button:has-text("搜索")');
      await page.waitForFunction(() => {
        const rows = [...document.querySelectorAll('#archive-list tbody tr')];
        return rows.length > 0 && rows.every((r) => r.textContent.includes('软件版本'));
      });
      const [dl] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("导出 Excel")')]);
      const head = fs.readFileSync(await dl.path()).subarray(0, 2).toString('latin1');
      assert(head === 'PK', 'an XLSX (zip) file');
      await shot(page, 'ops-archive');
    },
  },
];

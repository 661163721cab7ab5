// 75-repair: 数据修复 in the browser over a demo database — an O&M engineer
// proposes a field correction with its preview (before -> after), the
// bureau's approver (repair_approve, made by the secadmin) approves it with
// the changes in front of them, the engineer applies it, and the project
// shows the corrected address.
import { execFileSync } from 'node:child_process';
import { assert, text, shot, login, apiSession, DEMO_PASSWORD } from './lib.mjs';

export default [
  {
    name: 'repair: propose with preview, approve, apply',
    async run(t) {
      const s = await t.startServer({ demo: 40 });
      try {
        const sec = await apiSession(s.url, 'demo_secadmin', DEMO_PASSWORD);
        await sec.post('/api/users', { username: 'bureau_repair', password: 'Init-Pass-2026!', roles: ['repair_approve'] });
        const me = await apiSession(s.url, 'bureau_repair', 'Init-Pass-2026!');
        await me.post('/api/me/password', { old_password: 'Init-Pass-2026!', new_password: 'Daily-Work-2026!' });
        const leader = await apiSession(s.url, 'demo_leader', DEMO_PASSWORD);
        const first = (await leader.get('/api/projects?page_size=1')).items[0];
        const code = first.code;

        const page = await t.page(s.url);
        await login(page, 'demo_ops', DEMO_PASSWORD);
        await page.click('.menu a[data-path="/repairs"]');
        await page.locator('#repairs .pager').waitFor();
        await page.click('#repairs button:has-text("发起修复")');
        await page.selectOption('#repair-op', 'field');
        await page.selectOption('#repair-object', 'project');
        await page.fill('#repair-key', code);
        await page.selectOption('#repair-field', 'address');
        await page.fill('#repair-value', '铜川市新区正阳路88号');
        await page.fill('#repair-reason', '建设地点录入错误');
        await page.click('.dialog button:has-text("预览")');
        await page.locator('#repair-preview td.after', { hasText: '铜川市新区正阳路88号' }).waitFor();
        await shot(page, 'repair-preview');
        await page.click('.dialog button:has-text("提交审批")');
        await page.locator('.dialog').waitFor({ state: 'detached' });
        await page.locator('#repairs tbody tr', { hasText: '待审批' }).first().waitFor();

        const approver = await t.page(s.url);
        await login(approver, 'bureau_repair', 'Daily-Work-2026!');
        await approver.click('.menu a[data-path="/repairs"]');
        await approver.locator('#repairs tbody tr button:has-text("详情")').first().click();
        await approver.locator('.dialog td.after', { hasText: '铜川市新区正阳路88号' }).waitFor();
        await shot(approver, 'repair-approve');
        await approver.click('.dialog button:has-text("批准")');
        await approver.locator('.dialog').waitFor({ state: 'detached' });

        await page.click('#repairs button:has-text("搜索")');
        await page.locator('#repairs tbody tr', { hasText: '已批准' }).first().waitFor();
        await page.locator('#repairs tbody tr button:has-text("详情")').first().click();
        await page.click('.dialog button:has-text("执行修复")');
        await page.locator('.dialog').waitFor({ state: 'detached' });
        await page.locator('#repairs tbody tr', { hasText: '已执行' }).first().waitFor();
        const after = await leader.get(`/api/projects/${first.id}`);
        assert(after.address === '铜川市新区正阳路88号', `the project's address is corrected: ${after.address}`);
        assert((await text(page.locator('#repairs tbody tr').first())).includes('bureau_repair'), 'the approver is listed');
      } finally {
        await s.stop();
        s.cleanup();
      }
    },
  },
  {
    name: 'import: a CSV of projects, dry run with a failing row, then the real import',
    async run(t) {
      const s = await t.startServer({ demo: 5 });
      try {
        const head = 'XMDM,XMMC,SPLCLX,JSDDXZQH,JSDD,ZTZE,YDMJ,JZMJ,NKGSJ,NJCSJ,DWMC,DWTYSHXYDM,DWLX,LXR,LXDH\n';
        const row = (finish) => `2026-610202-47-01-000901,浏览器导入项目,4,610202,铜川市王益区,800,1000,2000,2026-01-01,${finish},` +
          '铜川市行政审批服务局,11610200MB29655940,1,王五,13912345678\n';
        const page = await t.page(s.url);
        await login(page, 'demo_ops', DEMO_PASSWORD);
        await page.click('.menu a[data-path="/ops/import"]');
        await page.setInputFiles('#import-file', { name: 'p.csv', mimeType: 'text/csv', buffer: Buffer.from(head + row('2025-12-31')) });
        await page.click('#import-dry');
        await page.locator('#import-errors td', { hasText: 'planned_finish' }).waitFor();
        assert(await page.locator('#import-apply').isDisabled(), 'no import after a failing dry run');
        await shot(page, 'import-dry-run');
        await page.setInputFiles('#import-file', { name: 'p.csv', mimeType: 'text/csv', buffer: Buffer.from(head + row('2027-12-31')) });
        await page.click('#import-dry');
        await page.locator('#import-summary', { hasText: '全部通过校验' }).waitFor();
        await page.click('#import-apply');
        await page.locator('#import-summary', { hasText: '已创建 1 个项目' }).waitFor();
        const leader = await apiSession(s.url, 'demo_leader', DEMO_PASSWORD);
        const found = await leader.get('/api/projects?q=2026-610202-47-01-000901');
        assert(found.total === 1, `the imported project is listed: ${found.total}`);

        // the same from an Excel workbook (dates as date cells), written by openpyxl as Excel would
        const xlsx = execFileSync('/usr/bin/python3', ['-c', `
import io, sys, datetime, openpyxl
wb = openpyxl.Workbook(); ws = wb.active
ws.append(${JSON.stringify(head.trim().split(','))})
ws.append(["2026-610202-47-01-000902", "工作簿项目", 4, 610202, "铜川市王益区", 600, 900, 1800,
           datetime.date(2026, 8, 1), datetime.date(2028, 7, 31), "铜川市行政审批服务局", "11610200MB29655940", 1, "王五", 13912345678])
b = io.BytesIO(); wb.save(b); sys.stdout.buffer.write(b.getvalue())`]);
        await page.setInputFiles('#import-file', { name: '项目.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: xlsx });
        await page.click('#import-dry');
        await page.locator('#import-summary', { hasText: '全部通过校验' }).waitFor();
        await page.click('#import-apply');
        await page.locator('#import-summary', { hasText: '已创建 1 个项目' }).waitFor();
        const fromBook = (await leader.get('/api/projects?q=2026-610202-47-01-000902')).items[0];
        assert(fromBook && fromBook.planned_start === '2026-08-01', `the workbook's dates: ${JSON.stringify(fromBook)}`);
      } finally {
        await s.stop();
        s.cleanup();
      }
    },
  },
];

// 70-desk: 运维服务台: a clerk reports a fault from 我的报障, ops see it with
// its clock badges, respond and resolve it (cause, fix and prevention
// asked for), the clerk sees it resolved; the monthly report downloads.
import fs from 'node:fs';
import { assert, text, shot, login, makeUser } from './lib.mjs';

export default [
  {
    name: 'desk: report a fault, respond, resolve, follow it',
    async run(t) {
      await makeUser(t, 'desk.clerk', ['clerk'], '610202-XSP', { display_name: '冯窗口' });
      await makeUser(t, 'desk.ops', ['ops'], '610200-XSP', { display_name: '陈运维' });
      const clerk = await t.page();
      await login(clerk, 'desk.clerk', t.state.passwords['desk.clerk']);
      await clerk.click('.menu a[data-path="/desk/mine"]');
      await clerk.locator('#desk-list button:has-text("报障")').click();
      const dlg = clerk.locator('.dialog');
      await dlg.locator('select[name=level]').selectOption('2');
      await dlg.locator('select[name=category]').selectOption('bug');
      await dlg.locator('input[name=title]').fill('受理页面打不开');
      await dlg.locator('textarea[name=description]').fill('窗口三台电脑都打不开');
      await dlg.locator('.dialog-foot .btn-primary').click();
      await clerk.locator('#desk-list tbody tr', { hasText: '受理页面打不开' }).waitFor();
      assert((await text(clerk.locator('#desk-list tbody tr').first())).includes('待响应'), 'open, waiting for a response');

      const ops = await t.page();
      await login(ops, 'desk.ops', t.state.passwords['desk.ops']);
      await ops.locator('#home-desk').waitFor();
      await ops.click('.menu a[data-path="/desk"]');
      await ops.locator('#desk-compliance [data-clock=response]').waitFor();
      await ops.locator('#desk-list tbody tr a', { hasText: '受理页面打不开' }).click();
      await ops.locator('#desk-ticket tr[data-clock=response]').waitFor();
      await ops.locator('#desk-ticket button[data-action=respond]').click();
      await ops.locator('.dialog .dialog-foot .btn-primary').click();
      await ops.locator('#desk-ticket button[data-action=resolve]').waitFor();
      await ops.locator('#desk-ticket button[data-action=resolve]').click();
      await ops.locator('.dialog textarea[name=cause]').fill('证书过期');
      await ops.locator('.dialog textarea[name=fix]').fill('更新证书');
      await ops.locator('.dialog .dialog-foot .btn-primary').click();
      await ops.locator('.dialog .form-row[data-field=prevention] .field-error').waitFor();
      await ops.locator('.dialog textarea[name=prevention]').fill('证书到期纳入巡检');
      await ops.locator('.dialog .dialog-foot .btn-primary').click();
      await ops.locator('#desk-ticket td', { hasText: '解决' }).first().waitFor();
      await shot(ops, 'desk-ticket', { doc: 'desk-ticket' });
      assert((await text(ops.locator('#desk-ticket'))).includes('证书到期纳入巡检'), 'prevention shown');

      await clerk.reload();
      await clerk.locator('#desk-list tbody tr', { hasText: '已解决' }).waitFor();
    },
  },
  {
    name: 'desk: a consultation becomes a help article; a visit pain point becomes a request',
    async run(t) {
      const ops = await t.page();
      await login(ops, 'desk.ops', t.state.passwords['desk.ops']);
      await ops.click('.menu a[data-path="/desk/consults"]');
      await ops.locator('#consult-list button:has-text("登记咨询")').click();
      const dlg = ops.locator('.dialog');
      await dlg.locator('input[name=caller]').fill('王科员');
      await dlg.locator('select[name=channel]').selectOption('wechat');
      await dlg.locator('textarea[name=question]').fill('打印受理通知书是空白');
      await dlg.locator('textarea[name=answer]').fill('在浏览器打印设置中勾选“背景图形”');
      await dlg.locator('input[name=new_article]').check();
      await dlg.locator('.dialog-foot .btn-primary').click();
      await dlg.locator('.form-row[data-field=article_title] .field-error').waitFor();
      await dlg.locator('input[name=article_title]').fill('打印受理通知书空白怎么办');
      await dlg.locator('.dialog-foot .btn-primary').click();
      await ops.locator('#consult-list tbody tr', { hasText: '王科员' }).waitFor();

      await ops.click('.menu a[data-path="/desk/visits"]');
      await ops.locator('#visit-list button:has-text("登记回访")').click();
      await dlg.locator('input[name=day]').fill('2026-11-20');
      await dlg.locator('input[name=unit]').fill('王益区行政审批服务局');
      for (const k of ['score_response', 'score_quality', 'score_attitude']) await dlg.locator(`select[name=${k}]`).selectOption('4');
      await dlg.locator('textarea[name=pain_points]').fill('希望到期短信提醒');
      await dlg.locator('.dialog-foot .btn-primary').click();
      await ops.locator('#visit-list button[data-pain="0"]').click();
      await ops.locator('#visit-list a', { hasText: '需求' }).waitFor();
      await ops.click('.menu a[data-path="/desk/requests"]');
      await ops.locator('#request-list tbody tr', { hasText: '希望到期短信提醒' }).waitFor();

      const clerk = await t.page();
      await login(clerk, 'desk.clerk', t.state.passwords['desk.clerk']);
      await clerk.click('.menu a[data-path="/help"]');
      await clerk.locator('#help-list input[name=q]').fill('打印');
      await clerk.locator('#help-list button:has-text("搜索")').click();
      await clerk.locator('#help-list tbody button', { hasText: '打印受理通知书空白怎么办' }).click();
      assert((await text(clerk.locator('#help-article'))).includes('背景图形'), 'the answer is the article');
    },
  },
  {
    name: 'desk: monthly report XLSX, drill plans, a training',
    async run(t) {
      const page = await t.page();
      await login(page, 'desk.ops', t.state.passwords['desk.ops']);
      await page.click('.menu a[data-path="/desk/reports"]');
      const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#desk-xlsx')]);
      const head = fs.readFileSync(await dl.path()).subarray(0, 2).toString('latin1');
      assert(head === 'PK', 'an XLSX (zip) file');
      await page.click('.menu a[data-path="/desk/drills"]');
      await page.locator('#plan-list tbody tr', { hasText: '数据库备份恢复' }).waitFor();
      await page.click('.menu a[data-path="/desk/trainings"]');
      await page.locator('#training-list button:has-text("登记培训")').click();
      const dlg = page.locator('.dialog');
      await dlg.locator('input[name=day]').fill('2026-11-18');
      await dlg.locator('input[name=topic]').fill('并联审批操作');
      await dlg.locator('input[name=trainer]').fill('陈运维');
      await dlg.locator('input[name=hours]').fill('2');
      await dlg.locator('input[name=attendees]').fill('desk.clerk');
      await dlg.locator('.dialog-foot .btn-primary').click();
      await page.locator('#training-list tbody tr', { hasText: 'desk.clerk' }).waitFor();
      // 培训资料: the slides attached to the session, then offered for download
      const row = page.locator('#training-list tbody tr', { hasText: '并联审批操作' });
      await row.locator('input[type=file]').setInputFiles({ name: '并联审批课件.pdf', mimeType: 'application/pdf',
        buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n') });
      const link = page.locator('#training-list tbody tr a', { hasText: '并联审批课件.pdf' });
      await link.waitFor();
      const res = await page.request.get(await link.getAttribute('href'));
      assert(res.status() === 200 && (await res.body()).toString().startsWith('%PDF'), `download ${res.status()}`);
    },
  },
];

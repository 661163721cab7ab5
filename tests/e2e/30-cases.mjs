// 30-cases: a stage application and one 办件 taken from receive to approve
// by four users of two departments (window clerk, department clerk,
// reviewer, head), with the workbench, the deadline panel, printable
// documents and the case list filters.
import { assert, text, shot, login, makeUser } from './lib.mjs';

// One action through its dialog; returns when the page shows the new status row.
async function act(page, action, opinion) {
  const before = await page.locator('#case-timeline li').count();
  await page.click(`#case-actions button[data-action=${action}]`);
  const dlg = page.locator('.dialog');
  await dlg.waitFor();
  if (opinion !== undefined) await dlg.locator('#f-opinion').fill(opinion);
  await dlg.locator('.dialog-foot .btn-primary').click();
  await dlg.waitFor({ state: 'detached' });
  await page.waitForFunction((n) => document.querySelectorAll('#case-timeline li').length > n, before);
}

export default [
  {
    name: 'stage application opens a parallel instance with one 办件 per item',
    async run(t) {
      if (!t.state.projectId) t.skip('needs the project of 20-catalog-projects');
      await makeUser(t, 'zrzy.clerk', ['clerk'], '610200-ZRZY', { display_name: '赵受理' });
      await makeUser(t, 'zrzy.rev', ['reviewer'], '610200-ZRZY', { display_name: '钱审查' });
      await makeUser(t, 'zrzy.head', ['head'], '610200-ZRZY', { display_name: '孙科长' });
      await makeUser(t, 'leader1', ['leader'], '610200-XSP', { display_name: '周局长' });
      const page = await t.page();
      await login(page, 'clerk2', t.state.passwords.clerk2);
      await page.goto(`/#/projects/${t.state.projectId}`);
      await page.click('#apply-stage');
      await page.waitForSelector('#apply-items input[type=checkbox]');
      assert(await page.locator('#apply-stage').inputValue() === '1', 'stage 1 first');
      const checked = await page.locator('#apply-items input:checked').evaluateAll((els) => els.map((e) => e.value));
      assert(checked.includes('YDGH-001'), `milestone preselected (${checked})`);
      await page.locator('#apply-items input[value="YDYS-001"]').check();
      // 收件: everything handed in for YDGH-001; YDYS-001 lacks its 项目建设依据
      await page.locator('#apply-materials .apply-item-materials[data-item="YDYS-001"]').waitFor();
      await page.click('#apply-materials .apply-all[data-item="YDGH-001"]');
      await page.click('#apply-materials .apply-all[data-item="YDYS-001"]');
      await page.locator('#apply-materials input[data-item="YDYS-001"][value="项目建设依据（项目建议书批复或相关文件）"]').uncheck();
      await shot(page, 'stage-apply');
      await page.click('#apply-submit');
      await page.waitForSelector('#stage-progress');
      const tl = await text(page.locator('#project-cases'));
      assert(tl.includes('建设用地规划许可证核发') && tl.includes('已接件'), 'cases listed as received');
      await shot(page, 'project-timeline');
    },
  },
  {
    name: '办件 from receive to approve: clerk accepts, reviewer reviews, head approves',
    async run(t) {
      if (!t.state.projectId) t.skip('needs the project');
      // department clerk: 工作台 → 受理
      const clerk = await t.page();
      await login(clerk, 'zrzy.clerk', t.state.passwords['zrzy.clerk']);
      await clerk.locator('#workbench-list tbody tr', { hasText: '建设用地规划许可证核发' }).waitFor();
      assert(Number(await text(clerk.locator('#cnt-todo .value'))) >= 1, 'todo counter');
      await shot(clerk, 'workbench');
      await clerk.locator('#workbench-list tbody tr', { hasText: '建设用地规划许可证核发' }).locator('a:has-text("办理")').click();
      await clerk.waitForSelector('#case-actions');
      t.state.caseId = Number(/#\/cases\/(\d+)/.exec(clerk.url())[1]);
      const mine = await clerk.locator('#case-actions button').evaluateAll((b) => b.map((x) => x.dataset.action));
      assert(mine.includes('accept') && !mine.includes('approve') && !mine.includes('revoke'), `clerk's actions: ${mine}`);
      assert((await text(clerk.locator('#deadline-panel'))).includes('受理期限'), 'receipt clock before acceptance');
      // refuse needs a reason: the form says so before any request
      await clerk.click('#case-actions button[data-action=refuse]');
      await clerk.locator('.dialog .dialog-foot .btn-primary').click();
      await clerk.locator('.dialog .form-row[data-field=opinion] .field-error', { hasText: '请填写' }).waitFor();
      await clerk.locator('.dialog .dialog-foot button:has-text("取消")').click();
      await act(clerk, 'accept', '材料齐全，予以受理');
      await clerk.locator('.card-title .tag', { hasText: '已受理' }).waitFor();
      await clerk.locator('#case-documents [data-doc=acceptance]').click();
      const frame = clerk.frameLocator('.dialog iframe');
      await frame.locator('text=受理通知书').first().waitFor();
      await clerk.locator('.dialog .dialog-foot button:has-text("关闭")').click();
      const left = await clerk.locator('#case-actions button').evaluateAll((b) => b.map((x) => x.dataset.action));
      assert(left.join() === 'withdraw', `only 撤回 left for the window clerk (${left})`);

      // reviewer: 开始办理, 提交下一环节
      const rev = await t.page();
      await login(rev, 'zrzy.rev', t.state.passwords['zrzy.rev']);
      await rev.goto(`/#/cases/${t.state.caseId}`);
      await rev.waitForSelector('#case-actions button[data-action=start_review]');
      await act(rev, 'start_review');
      await rev.locator('.card-title .tag', { hasText: '办理中' }).waitFor();
      await act(rev, 'next_step', '经审查，符合规划条件');
      await rev.locator('#case-actions', { hasText: '无可执行的操作' }).waitFor();

      // head: 准予许可
      const head = await t.page();
      await login(head, 'zrzy.head', t.state.passwords['zrzy.head']);
      await head.locator('#workbench-list tbody tr', { hasText: '建设用地规划许可证核发' }).waitFor();
      await head.goto(`/#/cases/${t.state.caseId}`);
      await head.waitForSelector('#case-actions button[data-action=approve]');
      const headActs = await head.locator('#case-actions button').evaluateAll((b) => b.map((x) => x.dataset.action));
      assert(headActs.includes('deny') && headActs.includes('revoke') && headActs.includes('return'), `head's actions: ${headActs}`);
      assert((await text(head.locator('#deadline-panel'))).includes('办结期限'), 'due date after acceptance');
      await shot(head, 'case-detail', { doc: 'case-detail' });
      await act(head, 'approve', '符合法定条件，准予许可');
      await head.locator('.card-title .tag', { hasText: '准予许可' }).waitFor();
      const hist = await text(head.locator('#case-timeline'));
      for (const s of ['已接件', '已受理', '办理中', '准予许可'])
        assert(hist.includes(s), `timeline has ${s}`);
      await head.locator('#case-documents [data-doc=approval]').click();
      await head.frameLocator('.dialog iframe').locator('text=准予行政许可决定书').first().waitFor();
      await shot(head, 'case-document');
      await head.locator('.dialog .dialog-foot button:has-text("关闭")').click();
      // 已办 of the head
      await head.goto('/#/home');
      await head.locator('.tabs a[data-tab=done]').click();
      await head.locator('#workbench-list tbody tr', { hasText: '建设用地规划许可证核发' }).waitFor();
    },
  },
  {
    name: '补正, 特别程序 and 不予许可 on a second 办件, with the documents',
    async run(t) {
      if (!t.state.caseId) t.skip('needs the cases of the application');
      const clerk = await t.page();
      await login(clerk, 'zrzy.clerk', t.state.passwords['zrzy.clerk']);
      await clerk.locator('#workbench-list tbody tr', { hasText: '用地预审与选址意见书' }).locator('a:has-text("办理")').click();
      await clerk.waitForSelector('#case-actions button[data-action=supplement]');
      const id = Number(/#\/cases\/(\d+)/.exec(clerk.url())[1]);
      // 一次性补正告知: picked from the item's material list, the missing one preselected
      await clerk.click('#case-actions button[data-action=supplement]');
      const missing = clerk.locator('.dialog #f-materials input[value="项目建设依据（项目建议书批复或相关文件）"]');
      assert(await missing.isChecked(), 'the material not handed in is preselected');
      await clerk.locator('.dialog #f-materials input[value="建设项目用地预审与选址申请报告"]').check();
      await clerk.locator('.dialog .dialog-foot .btn-primary').click();
      await clerk.locator('.dialog').waitFor({ state: 'detached' });
      await clerk.locator('.card-title .tag', { hasText: '补正中' }).waitFor();
      await clerk.locator('.card', { hasText: '补正记录' }).locator('td', { hasText: '项目建设依据' }).waitFor();
      await clerk.locator('#case-documents [data-doc=supplement]').waitFor();
      await act(clerk, 'supplement_done', '申请人已补齐材料');
      await act(clerk, 'accept');
      await clerk.locator('.card-title .tag', { hasText: '已受理' }).waitFor();
      // reviewer: expert review as a special procedure (the clock stops)
      const rev = await t.page();
      await login(rev, 'zrzy.rev', t.state.passwords['zrzy.rev']);
      await rev.goto(`/#/cases/${id}`);
      await rev.waitForSelector('#case-actions button[data-action=start_review]');
      await act(rev, 'start_review');
      await rev.click('#case-actions button[data-action=special_start]');
      const dlg = rev.locator('.dialog');
      await dlg.locator('#f-type').selectOption('2');
      await dlg.locator('#f-kind').selectOption('expert');
      await dlg.locator('#f-limit').fill('5');
      await dlg.locator('#f-reason').fill('涉及压覆矿产，需组织专家论证');
      await dlg.locator('.dialog-foot .btn-primary').click();
      await dlg.waitFor({ state: 'detached' });
      await rev.locator('.card-title .tag', { hasText: '特别程序中' }).waitFor();
      await rev.click('#case-actions button[data-action=special_end]');
      await rev.locator('.dialog #f-result').fill('专家论证通过');
      await rev.locator('.dialog .dialog-foot .btn-primary').click();
      await rev.locator('.dialog').waitFor({ state: 'detached' });
      await rev.locator('.card', { hasText: '特别程序' }).locator('td', { hasText: '专家论证通过' }).waitFor();
      // through every reviewer step of the item (YDYS-001: 审查, 现场踏勘)
      for (let i = 0; i < 5; i++) {
        if (!(await rev.locator('#case-actions button[data-action=next_step]').count())) break;
        await act(rev, 'next_step', i ? '现场踏勘：选址位于生态保护红线内' : '建议不予许可：选址与国土空间规划不符');
      }
      await rev.locator('#case-actions', { hasText: '无可执行的操作' }).waitFor();
      // head: 不予许可 needs reasons
      const head = await t.page();
      await login(head, 'zrzy.head', t.state.passwords['zrzy.head']);
      await head.goto(`/#/cases/${id}`);
      await head.click('#case-actions button[data-action=deny]');
      await head.locator('.dialog .dialog-foot .btn-primary').click();
      await head.locator('.dialog .form-row[data-field=opinion] .field-error', { hasText: '请填写' }).waitFor();
      await head.locator('.dialog #f-opinion').fill('项目选址不符合国土空间规划，依法不予许可');
      await head.locator('.dialog .dialog-foot .btn-primary').click();
      await head.locator('.dialog').waitFor({ state: 'detached' });
      await head.locator('.card-title .tag', { hasText: '不予许可' }).waitFor();
      await head.locator('#case-documents [data-doc=denial]').click();
      await head.frameLocator('.dialog iframe').locator('text=不予行政许可决定书').first().waitFor();
      await shot(head, 'case-denial');
    },
  },
  {
    name: '办件 list filters (leader, city-wide)',
    async run(t) {
      if (!t.state.caseId) t.skip('needs the case');
      const page = await t.page();
      await login(page, 'leader1', t.state.passwords.leader1);
      await page.click('.menu a[data-path="/cases"]');
      await page.locator('#case-list tbody tr td:not(.empty)').first().waitFor();
      await page.selectOption('#case-list select[name=status]', '11');
      await page.click('#case-list button:has-text("搜索")');
      await page.waitForFunction(() => {
        const rows = [...document.querySelectorAll('#case-list tbody tr')];
        return rows.length >= 1 && rows.every((r) => r.textContent.includes('准予许可'));
      });
      await page.click('#case-list button:has-text("重置")');
      await page.fill('#case-list input[name=q]', '锦阳');
      await page.selectOption('#case-list select[name=department]', '610200-ZRZY');
      await page.click('#case-list button:has-text("搜索")');
      await page.locator('#case-list .pager', { hasText: /共 [1-9]\d* 条/ }).waitFor();
      await shot(page, 'cases');
      const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#case-list button[data-export=csv]')]);
      assert((await dl.suggestedFilename()).endsWith('.csv'), 'CSV export');
      // the server wrote it: only the filtered rows, their number in the name
      const n = Number(/共 (\d+) 条/.exec(await text(page.locator('#case-list .pager')))[1]);
      assert((await dl.suggestedFilename()).endsWith(`-${n}条.csv`), `rows in the name: ${await dl.suggestedFilename()}`);
    },
  },
];

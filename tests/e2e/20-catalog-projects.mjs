// 20-catalog-projects: 事项管理 (browse, history, diff, edit as a new version
// with field errors) and 项目管理 (register with field errors, edit, list).
import fs from 'node:fs';
import { assert, text, shot, login, makeUser } from './lib.mjs';

export default [
  {
    name: '事项管理: browse, version history and diff',
    async run(t) {
      await makeUser(t, 'cat1', ['catalog']);
      const page = await t.page();
      await login(page, 'cat1', t.state.passwords.cat1);
      await page.click('.menu a[data-path="/catalog"]');
      await page.locator('#catalog-list .pager', { hasText: '共 47 条' }).waitFor();
      await page.fill('#catalog-list input[name=q]', '施工许可');
      await page.click('#catalog-list button:has-text("搜索")');
      await page.locator('#catalog-list tbody tr', { hasText: 'SGXK-001' }).waitFor();
      await shot(page, 'catalog');
      await page.click('#catalog-list a:has-text("SGXK-001")');
      await page.locator('#versions', { hasText: 'v1.1' }).waitFor();
      await page.selectOption('#diff-from', '1.0');
      await page.selectOption('#diff-to', '1.1');
      await page.click('#diff-btn');
      const diff = page.locator('#diff-box table');
      await diff.waitFor();
      const d = await text(diff);
      assert(d.includes('承诺时限') && d.includes('告知承诺制'), `diff names the changed fields: ${d}`);
      // export the catalogue and import it back: nothing new
      await page.goto('/#/catalog');
      await page.waitForSelector('#catalog-export');
      const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#catalog-export')]);
      const file = await dl.path();
      const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
      assert(doc.format === 'gonggai-catalog' && doc.items.length >= 47, 'catalogue document');
      await page.setInputFiles('#catalog-file', { name: 'catalog.json', mimeType: 'application/json', buffer: fs.readFileSync(file) });
      await page.locator('.dialog', { hasText: '新增事项版本 0 个' }).waitFor();
      await page.locator('.dialog-foot button:has-text("确定")').click();
      await page.waitForSelector('#catalog-list tbody tr td:not(.empty)');
      // flows tab: stages of a flow
      await page.goto('/#/catalog?tab=flows');
      await page.locator('#catalog-list tbody tr', { hasText: 'TC-SHTZ-YB' }).locator('button:has-text("查看阶段")').click();
      await page.locator('.dialog', { hasText: '联合验收' }).waitFor();
      await page.locator('.dialog-foot button:has-text("关闭")').click();
    },
  },
  {
    name: '事项管理: edit makes a new version; rule errors on the exact field',
    async run(t) {
      const page = await t.page();
      await login(page, 'cat1', t.state.passwords.cat1);
      await page.goto('/#/catalog/items/SGXK-001');
      await page.click('#edit-item');
      const dlg = page.locator('.dialog').first();
      // saving lists the changes first; 确认保存 sends them
      const save = async (expect) => {
        await dlg.locator('.dialog-foot .btn-primary').click();
        const diff = page.locator('.dialog', { has: page.locator('#item-diff') });
        await diff.waitFor();
        for (const x of expect) assert((await text(diff)).includes(x), `the diff shows ${x}: ${await text(diff)}`);
        await diff.locator('button:has-text("确认保存")').click();
        await diff.waitFor({ state: 'detached' });
      };
      // the fee goes with its basis: the server names the one missing
      await dlg.locator('#f-fee_basis').fill('');
      await save([]);
      const ferr = dlg.locator('.form-row[data-field=fee_basis] .field-error');
      await ferr.filter({ hasText: /\S/ }).waitFor();
      await dlg.locator('#f-fee_basis').fill('行政许可依法不收费');
      await dlg.locator('#f-promised_limit').fill('50');
      await save(['承诺时限', '50']);
      const err = dlg.locator('.form-row[data-field=promised_limit] .field-error');
      await err.filter({ hasText: /\S/ }).waitFor();
      assert((await text(err)).includes('法定时限'), `limit rule: ${await text(err)}`);
      await dlg.locator('#f-promised_limit').fill('2');
      await dlg.locator('[data-path="materials[1].copies"]').fill('50');
      await save(['份数']);
      await dlg.locator('[data-path="materials[1].copies"].invalid').waitFor();
      assert((await text(dlg.locator('.form-row[data-field=materials] .field-error'))).startsWith('第 2 行'), 'row named');
      await dlg.locator('[data-path="materials[1].copies"]').fill('2');
      await save(['申请材料[建设工程规划许可证].份数']);
      await dlg.waitFor({ state: 'detached' });
      await page.locator('#versions', { hasText: 'v1.2' }).waitFor();
      assert((await text(page.locator('.card-title').first())).includes('v1.2'), 'shows the new version');
      assert((await text(page.locator('#item-fee'))).includes('不收费'), 'the new version keeps its fee');
      await shot(page, 'catalog-item');
    },
  },
  {
    name: '项目管理: register with field errors, then edit',
    async run(t) {
      await makeUser(t, 'clerk2', ['clerk'], '610200-XSP', { display_name: '李受理' });
      const page = await t.page();
      await login(page, 'clerk2', t.state.passwords.clerk2);
      await page.click('.menu a[data-path="/projects"]');
      await page.click('button:has-text("登记项目")');
      await page.waitForSelector('#save-project');
      await page.fill('#f-code', '2025-610202-48-01-00001');
      await page.fill('#f-name', '王益区锦阳花园住宅小区项目');
      await page.selectOption('#f-flow_type', '3');
      await page.selectOption('#f-division', '610202');
      await page.fill('#f-address', '铜川市王益区红旗街 88 号');
      await page.fill('#f-investment_wan', '12000');
      await page.fill('#f-land_area_m2', '30000');
      await page.fill('#f-floor_area_m2', '85000');
      await page.fill('#f-planned_start', '2026-03-01');
      await page.fill('#f-planned_finish', '2028-06-30');
      await page.fill('[data-path="units[0].name"]', '铜川锦阳置业有限公司');
      await page.fill('[data-path="units[0].credit_code"]', '91350200575030446X');
      await page.fill('[data-path="units[0].contact"]', '张经理');
      await page.fill('[data-path="units[0].phone"]', '13800001234');
      await page.click('#save-project');
      await page.locator('.form-row[data-field=code] .field-error').filter({ hasText: /\S/ }).waitFor();
      await page.fill('#f-code', '2025-610202-48-01-000001');
      await page.click('#save-project');
      await page.locator('[data-path="units[0].credit_code"].invalid').waitFor();
      assert((await text(page.locator('.form-row[data-field=units] .field-error'))).includes('统一社会信用代码'), 'credit code message');
      await page.fill('[data-path="units[0].credit_code"]', '91350200575030446H');
      await page.fill('#f-planned_finish', '2025-01-01');
      await page.click('#save-project');
      await page.locator('.form-row[data-field=planned_finish] .field-error').filter({ hasText: /\S/ }).waitFor();
      await page.fill('#f-planned_finish', '2028-06-30');
      await page.click('#save-project');
      await page.waitForSelector('#edit-project');
      t.state.projectId = Number(/#\/projects\/(\d+)/.exec(page.url())[1]);
      await page.click('#edit-project');
      await page.waitForSelector('#save-project');
      assert(await page.locator('#f-code').getAttribute('readonly') !== null, 'code is read-only');
      await page.fill('#f-name', '王益区锦阳花园住宅小区项目（一期）');
      await page.click('#save-project');
      await page.locator('.card-title', { hasText: '（一期）' }).waitFor();
      await shot(page, 'project-detail');
      await page.click('.menu a[data-path="/projects"]');
      await page.locator('#project-list tbody tr', { hasText: '2025-610202-48-01-000001' }).waitFor();
      await shot(page, 'projects');
    },
  },
];

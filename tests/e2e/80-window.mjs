// 80-window: the window's paper (issue 20). A window clerk receives an
// application ticking the materials handed in (one required material
// missing), the department clerk uploads two files and prints the 收件回执,
// accepts with the missing material as 容缺, and the reviewer sees and
// downloads the files (an attachment, never inline), then 转办 picks a
// colleague from a list. The printed 受理通知书's code is confirmed by the
// public /verify page, which answers 404 for a made-up code.
import { assert, text, shot, login, makeUser, apiSession } from './lib.mjs';

const RED = '建设项目用地红线图（宗地图）';
const CON = '国有建设用地使用权出让合同（出让方式）或项目批准、核准、备案文件（划拨方式）';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const JPG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);

export default [
  {
    name: '收件 ticks materials, two uploads, 收件回执, 容缺受理; the reviewer sees the files; 转办 picks a colleague',
    async run(t) {
      for (const [u, r, n] of [['zrzy.clerk', 'clerk', '赵受理'], ['zrzy.rev', 'reviewer', '钱审查'], ['zrzy.head', 'head', '孙科长']])
        if (!t.state.passwords[u]) await makeUser(t, u, [r], '610200-ZRZY', { display_name: n });
      await makeUser(t, 'zrzy.rev2', ['reviewer'], '610200-ZRZY', { display_name: '吴复核' });
      if (!t.state.passwords.clerk2) await makeUser(t, 'clerk2', ['clerk'], '610200-XSP', { display_name: '李受理' });
      const api = await apiSession(t.base, 'clerk2', t.state.passwords.clerk2);
      const p = await api.post('/api/projects', { code: '2025-610202-47-01-000801', name: '王益区黄堡镇卫生院改扩建', flow_type: 4,
        division: '610202', address: '王益区黄堡镇', investment_wan: 900, land_area_m2: 1500, floor_area_m2: 2100,
        planned_start: '2026-12-01', planned_finish: '2027-12-31',
        units: [{ kind: 'builder', name: '铜川市黄堡镇人民政府', credit_code: '11610200MB29655940', contact: '王主任', phone: '13900001111' }] });

      // window clerk: 阶段申报 with the materials handed in
      const win = await t.page();
      await login(win, 'clerk2', t.state.passwords.clerk2);
      await win.goto(`/#/projects/${p.id}/apply`);
      await win.locator('#apply-materials .apply-item-materials[data-item="YDGH-001"]').waitFor();
      await win.click('#apply-materials .apply-all[data-item="YDGH-001"]');
      await win.locator(`#apply-materials input[data-item="YDGH-001"][value="${CON}"]`).uncheck();
      await shot(win, 'window-receive');
      await win.click('#apply-submit');
      await win.waitForSelector('#stage-progress');

      const cases = await api.get(`/api/cases?q=${encodeURIComponent('黄堡镇卫生院')}&item=YDGH-001`);
      const id = cases.items[0].id;
      // department clerk: the checklist, two uploads, the receipt
      const clerk = await t.page();
      await login(clerk, 'zrzy.clerk', t.state.passwords['zrzy.clerk']);
      await clerk.goto(`/#/cases/${id}`);
      await clerk.locator('#case-materials').waitFor();
      assert(!(await clerk.locator(`#case-materials input[value="${CON}"]`).isChecked()), 'the missing material is unticked');
      assert(await clerk.locator(`#case-materials input[value="${RED}"]`).isChecked(), 'the red-line map was handed in');
      await clerk.locator(`#case-materials tr[data-material="${RED}"] input[type=file]`).setInputFiles({ name: '红线图.pdf', mimeType: 'application/pdf', buffer: PDF });
      await clerk.locator('#case-files tbody tr').first().waitFor();
      await clerk.locator('.card', { hasText: '附件' }).locator('.card-title input[type=file]').setInputFiles({ name: '现场照片.jpg', mimeType: 'image/jpeg', buffer: JPG });
      await clerk.waitForFunction(() => document.querySelectorAll('#case-files tbody tr').length === 2);
      assert((await text(clerk.locator(`#case-materials tr[data-material="${RED}"]`))).includes('红线图.pdf'), 'the file beside its material');
      // a file whose name says PDF but whose content is a web page is refused
      await clerk.locator('.card', { hasText: '附件' }).locator('.card-title input[type=file]').setInputFiles({ name: 'x.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html><script>1</script></html>') });
      await clerk.locator('.toast', { hasText: '按文件内容判断' }).waitFor();
      await clerk.click('#print-receipt');
      const receipt = clerk.frameLocator('.dialog iframe');
      await receipt.locator('text=收件回执').first().waitFor();
      await receipt.locator('text=未收（必需）').first().waitFor();
      await receipt.locator('svg').first().waitFor();
      await shot(clerk, 'window-receipt');
      await clerk.locator('.dialog .dialog-foot button:has-text("关闭")').click();

      // 受理: refused while the contract is missing, then as 容缺受理
      await clerk.click('#case-actions button[data-action=accept]');
      let dlg = clerk.locator('.dialog');
      await dlg.locator('#f-tolerance').waitFor();
      await dlg.locator('.dialog-foot .btn-primary').click();
      await dlg.locator('.form-error, .field-error', { hasText: '缺少必需材料' }).first().waitFor();
      await dlg.locator('#f-tolerance').check();
      await dlg.locator('.dialog-foot .btn-primary').click();
      await dlg.waitFor({ state: 'detached' });
      await clerk.locator('.card-title .tag', { hasText: '已受理' }).waitFor();
      await clerk.locator('.card', { hasText: '容缺后补材料' }).locator('td', { hasText: CON }).waitFor();
      await clerk.locator('#case-documents [data-doc=tolerance]').waitFor();
      await shot(clerk, 'window-tolerance');

      // the reviewer sees the files; a download is an attachment
      const rev = await t.page();
      await login(rev, 'zrzy.rev', t.state.passwords['zrzy.rev']);
      await rev.goto(`/#/cases/${id}`);
      await rev.waitForFunction(() => document.querySelectorAll('#case-files tbody tr').length === 2);
      const href = await rev.locator('#case-files a', { hasText: '红线图.pdf' }).getAttribute('href');
      const res = await rev.request.get(href);
      assert(res.status() === 200, `download ${res.status()}`);
      assert((res.headers()['content-disposition'] || '').startsWith('attachment'), 'served as an attachment');
      assert(res.headers()['x-content-type-options'] === 'nosniff', 'nosniff');
      assert(res.headers()['content-type'] === 'application/pdf', `typed by content: ${res.headers()['content-type']}`);
      assert((await res.body()).equals(PDF), 'the same bytes');

      // 转办 picks a colleague of the department holding the step's role
      await rev.click('#case-actions button[data-action=transfer]');
      dlg = rev.locator('.dialog');
      await dlg.locator('#f-to_user option[value="zrzy.rev2"]').waitFor({ state: 'attached' });
      const offered = await dlg.locator('#f-to_user option').evaluateAll((o) => o.map((x) => x.value).filter(Boolean));
      assert(!offered.includes('zrzy.rev') && !offered.includes('zrzy.head'), `only other reviewers offered: ${offered}`);
      // search by name: nothing matches a stranger, one match is chosen
      await dlg.locator('#f-to_user-search').fill('没有这个人');
      assert(await dlg.locator('#f-to_user').inputValue() === '', 'no match, nothing chosen');
      await dlg.locator('#f-to_user-search').fill('吴');
      assert(await dlg.locator('#f-to_user').inputValue() === 'zrzy.rev2', 'the one match is chosen');
      await dlg.locator('.dialog-foot .btn-primary').click();
      await dlg.waitFor({ state: 'detached' });
      await rev.locator('.desc', { hasText: /吴复核|zrzy\.rev2/ }).waitFor();
      t.state.windowCase = id;
    },
  },
  {
    name: '/verify/{code} confirms a printed 受理通知书; a made-up code is 404',
    async run(t) {
      if (!t.state.windowCase) t.skip('needs the case of the previous test');
      const clerk = await t.page();
      await login(clerk, 'zrzy.clerk', t.state.passwords['zrzy.clerk']);
      await clerk.goto(`/#/cases/${t.state.windowCase}`);
      await clerk.click('#case-documents [data-doc=acceptance]');
      const doc = clerk.frameLocator('.dialog iframe');
      const line = await text(doc.locator('.qr p'));
      const code = /核验码 ([A-Z2-7]{26})/.exec(line)[1];
      const number = await text(doc.locator('p.no'));
      const anon = await t.page();
      const ok = await anon.goto(`/verify/${code}`);
      assert(ok.status() === 200, `verify ${ok.status()}`);
      const page = await text(anon.locator('body'));
      assert(page.includes('受理通知书') && page.includes(number) && page.includes('自然资源'), `verify page: ${page}`);
      assert(!page.includes('黄堡镇'), 'nothing of the case itself');
      await shot(anon, 'verify');
      // (requested, not navigated to: a 404 page load counts as a console error)
      const bad = await anon.request.get('/verify/ABCDEFGHIJKLMNOPQRSTUVWXYZ');
      assert(bad.status() === 404, `made-up code: ${bad.status()}`);
      assert((await bad.text()).includes('未找到'), 'says it was not found');
      assert((await anon.request.get('/verify/..%2F..%2Fetc')).status() === 404, 'a malformed code is 404');
    },
  },
];

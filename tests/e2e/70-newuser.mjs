// 70-newuser: what a new user hit (issue 14), each role's page over a demo
// at 1366x768: the report's name column, words instead of national codes,
// the case history's step and names, the server-side export, the audit log
// in words with its chain check, the project clock, documents and amounts.
import { assert, text, shot, login, apiSession, DEMO_PASSWORD } from './lib.mjs';

let demo = null;
async function server(t) {
  if (!demo) {
    demo = await t.startServer({ demo: 150 });
    process.on('exit', () => { try { demo.proc.kill('SIGTERM'); demo.cleanup(); } catch (_) { /* gone */ } });
  }
  return demo;
}

const shanghaiDay = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);

export default [
  {
    name: 'new user: 统计报表 keeps names on one line at 1366x768, the name column frozen',
    async run(t) {
      const s = await server(t);
      const page = await t.page(s.url);
      await login(page, 'demo_leader', DEMO_PASSWORD);
      await page.goto('/#/stats/report');
      await page.selectOption('#stats-period', 'year');
      await page.selectOption('#stats-group', 'item');
      await page.click('#stats-query');
      await page.locator('#stats-table tbody tr').nth(3).waitFor();
      await page.click('#stats-all');     // every indicator: the widest table
      const m = await page.evaluate(() => {
        const th = document.querySelector('#stats-table th.name-col');
        const cells = [...document.querySelectorAll('#stats-table td.name-col')];
        const line = parseFloat(getComputedStyle(cells[0]).lineHeight) || 20;
        const wrap = document.querySelector('#stats-report .table-wrap');
        wrap.scrollLeft = wrap.scrollWidth;
        const wl = wrap.getBoundingClientRect().left;
        const nl = cells[0].getBoundingClientRect().left;
        return {
          width: th.getBoundingClientRect().width,
          tallest: Math.max(...cells.map((c) => c.getBoundingClientRect().height)),
          line, frozen: Math.abs(nl - wl) <= 2, scrolled: wrap.scrollLeft,
          titled: cells.every((c) => c.title === c.textContent),
          cut: cells.some((c) => c.scrollWidth > c.clientWidth),
        };
      });
      assert(m.width >= 150, `name column ${m.width}px wide (at least 150)`);
      assert(m.tallest < 2.2 * m.line + 18, `names on one line: tallest cell ${m.tallest}px, line ${m.line}px`);
      assert(m.titled, 'each name has its whole text as title');
      assert(m.scrolled > 0 && m.frozen, `scrolled ${m.scrolled}px and the name column stayed (frozen ${m.frozen})`);
    },
  },
  {
    name: 'new user: statuses, stages and flow types read as words',
    async run(t) {
      const s = await server(t);
      const page = await t.page(s.url);
      await login(page, 'demo_leader', DEMO_PASSWORD);
      await page.goto('/#/cases');
      await page.locator('#case-list .pager', { hasText: /共 \d+ 条/ }).waitFor();
      const opts = await page.$$eval('#case-list select[name=status] option', (os) => os.map((o) => o.textContent));
      assert(opts.length >= 10, `status options ${opts.length}`);
      assert(!opts.some((o) => /^\d/.test(o)), `no code before a status: ${opts.join('|')}`);
      assert(!opts.includes('不受理') && opts.includes('不予受理'), 'one 不予受理');
      assert(opts.includes('补正中') && !opts.some((o) => /开始$/.test(o)), 'statuses are states, not events');
      const stages = await page.$$eval('#case-list select[name=stage] option', (os) => os.map((o) => o.textContent));
      assert(stages.includes('竣工验收') && !stages.some((o) => /^\d/.test(o)), `stages: ${stages.join('|')}`);
      // a 54Y case: 竣工验收·联合验收, no code
      const api = await apiSession(s.url, 'demo_leader', DEMO_PASSWORD);
      const list = await api.get('/api/cases?stage=4&page_size=200');
      const joint = list.items.find((c) => c.side_line === '54Y');
      assert(joint, 'a 54Y case in the demo');
      await page.goto(`/#/cases/${joint.id}`);
      await page.waitForSelector('#case-timeline li');
      const body = await text(page.locator('#content'));
      assert(body.includes('竣工验收·联合验收'), 'the side line by name');
      assert(!/54Y/.test(body), 'no 54Y on the case page');
      const clerk = await t.page(s.url);
      await login(clerk, 'demo_xsp_clerk', DEMO_PASSWORD);
      await clerk.goto('/#/projects/new');
      await clerk.waitForSelector('select[name=flow_type] option:nth-child(3)', { state: 'attached' });
      const form = await text(clerk.locator('#content'));
      assert(!form.includes('SPLCLX'), 'no SPLCLX on the project form');
      const types = await clerk.$$eval('select[name=flow_type] option', (os) => os.map((o) => o.textContent).filter(Boolean));
      assert(types.includes('一般社会投资类') && !types.some((o) => /^\d/.test(o)), `flow types: ${types.join('|')}`);
    },
  },
  {
    name: 'new user: case history names the step an opinion was given in and who gave it',
    async run(t) {
      const s = await server(t);
      const api = await apiSession(s.url, 'demo_leader', DEMO_PASSWORD);
      const list = await api.get('/api/cases?status=11&page_size=50');
      let found = null;
      for (const c of list.items) {
        const d = await api.get(`/api/cases/${c.id}`);
        const i = d.history.findIndex((r) => r.action === 'next_step');
        if (i > 0) { found = { d, i }; break; }
      }
      assert(found, 'a case with 提交下一环节 in its history');
      const { d, i } = found;
      const row = d.history[i];
      assert(row.acted_step_name === d.history[i - 1].step_name && row.acted_step_name !== row.step_name,
        `acted in ${row.acted_step_name}, went to ${row.step_name}`);
      const page = await t.page(s.url);
      await login(page, 'demo_leader', DEMO_PASSWORD);
      await page.goto(`/#/cases/${d.id}`);
      await page.waitForSelector('#case-timeline li');
      const li = await text(page.locator('#case-timeline li').nth(i));
      assert(li.includes(`· ${row.acted_step_name}`) && !li.includes(`· ${row.step_name}`), `the step acted in: ${li}`);
      assert(row.user_name && li.includes(row.user_name) && !li.includes(row.username), `display name, not ${row.username}: ${li}`);
    },
  },
  {
    name: 'new user: 办件导出 is written by the server and says how many rows',
    async run(t) {
      const s = await server(t);
      const page = await t.page(s.url);
      await login(page, 'demo_leader', DEMO_PASSWORD);
      await page.goto('/#/cases');
      const pager = await text(page.locator('#case-list .pager', { hasText: /共 \d+ 条/ }).first());
      const total = Number(/共 (\d+) 条/.exec(pager)[1]);
      const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#case-list button[data-export=csv]')]);
      const name = dl.suggestedFilename();
      assert(name === `办件列表-${shanghaiDay()}-${total}条.csv`, `file name ${name}`);
      const toastText = await text(page.locator('.toast.success').last());
      assert(toastText.includes(`已导出 ${total} 条`), `the page says ${toastText}`);
      const [x] = await Promise.all([page.waitForEvent('download'), page.click('#case-list button[data-export=xlsx]')]);
      assert(x.suggestedFilename().endsWith(`-${total}条.xlsx`), `xlsx ${x.suggestedFilename()}`);
    },
  },
  {
    name: 'new user: 审计日志 in words, grouped action picker, readable details, chain check',
    async run(t) {
      const s = await server(t);
      const page = await t.page(s.url);
      await login(page, 'demo_auditor', DEMO_PASSWORD);
      await page.goto('/#/audit');
      await page.waitForSelector('#audit-list tbody tr td:nth-child(5)');
      const cells = await page.$$eval('#audit-list tbody tr td:nth-child(5)', (tds) => tds.map((td) => td.textContent));
      assert(cells.length && !cells.some((c) => /[a-z]+\.[a-z]/.test(c)), `actions in words: ${cells.slice(0, 5).join('|')}`);
      const groups = await page.$$eval('#audit-list select[name=action] optgroup', (gs) => gs.map((g) => g.label));
      assert(groups.includes('办件办理') && groups.includes('账号与权限'), `groups: ${groups.join('|')}`);
      await page.selectOption('#audit-list select[name=action]', 'user.*');
      await page.click('#audit-list button:has-text("搜索")');
      await page.waitForFunction(() => {
        const rows = [...document.querySelectorAll('#audit-list tbody tr td:nth-child(5)')].map((td) => td.textContent);
        return rows.length > 5 && rows.every((r) => r === '新增账号');
      });
      const details = await page.$$eval('#audit-list tbody tr td:nth-child(8)', (tds) => tds.map((td) => td.textContent));
      assert(!details.some((d) => d.includes('{')), `details readable: ${details[0]}`);
      const outcome = await text(page.locator('#audit-list tbody tr td:nth-child(7)').first());
      assert(outcome === '成功', `outcome ${outcome}`);
      await page.click('#audit-list button[data-tool=verify]');
      const verdict = await text(page.locator('#audit-verdict'));
      assert(/审计链完整：已校验 \d+ 条记录/.test(verdict), verdict);
    },
  },
  {
    name: 'new user: 联合验收意见书 lists every department and seal; 不予许可 states its reason once',
    async run(t) {
      const s = await server(t);
      const api = await apiSession(s.url, 'demo_leader', DEMO_PASSWORD);
      const joint = (await api.get('/api/cases?stage=4&status=11&page_size=200')).items.filter((c) => c.side_line === '54Y');
      let doc = null, cases = null;
      for (const c of joint) {
        const tl = await api.get(`/api/projects/${c.project.id}/timeline`);
        cases = (tl.instances.find((i) => i.id === c.instance.id) || {}).cases || [];
        if (new Set(cases.map((x) => x.department.code)).size < 2) continue;
        try { doc = await api.get(`/api/cases/${c.id}/documents/joint`); break; } catch (_) { /* not concluded */ }
      }
      assert(doc, 'a concluded 54Y instance with several departments');
      assert(!doc.includes('项目项目'), 'no 项目项目');
      for (const c of cases) {
        assert(doc.includes(c.item.name), `item ${c.item.name} listed`);
        assert(doc.includes(`${c.department.name}（印章）`), `seal of ${c.department.name}`);
      }
      const depts = new Set(cases.map((c) => c.department.name));
      assert((doc.match(/（印章）/g) || []).length === depts.size, `one seal per department (${depts.size})`);
      const denied = (await api.get('/api/cases?status=13&page_size=20')).items[0];
      assert(denied, 'a denied case in the demo');
      const d = await api.get(`/api/cases/${denied.id}`);
      const reason = d.history.find((r) => r.action === 'deny').opinion;
      const html = await api.get(`/api/cases/${denied.id}/documents/denial`);
      assert(html.split(reason).length - 1 === 1, `the reason "${reason}" once`);
      assert(html.includes('第三十八条第二款'), 'the law cited');
    },
  },
  {
    name: 'new user: 项目详情 of a finished project: the project clock against the province target, 并行推进 done',
    async run(t) {
      const s = await server(t);
      const api = await apiSession(s.url, 'demo_leader', DEMO_PASSWORD);
      const projects = (await api.get('/api/projects?page_size=200')).items;
      let found = null;
      for (const p of projects) {
        if (![1, 2, 3].includes(p.flow_type)) continue;
        const tl = await api.get(`/api/projects/${p.id}/timeline`);
        const five = tl.instances.filter((i) => i.stage === 5);
        if (tl.progress && tl.progress.finished && five.length && five.every((i) => i.closed_at)) { found = tl; break; }
      }
      assert(found, 'a finished project of type 1-3 with 并行推进 closed');
      const pr = found.progress;
      assert(pr.target === (found.project.flow_type === 3 ? 65 : 90) && pr.clock.limit === pr.target, `target ${pr.target}`);
      const stage5 = found.stages.find((x) => x.stage === 5);
      assert(stage5 && stage5.completed_at, 'stage 5 completed when its instances closed');
      const page = await t.page(s.url);
      await login(page, 'demo_leader', DEMO_PASSWORD);
      await page.goto(`/#/projects/${found.project.id}`);
      const clock = await text(page.locator('#project-clock'));
      assert(clock === `已用 ${pr.clock.workdays_elapsed} 个工作日 / 省定目标 ${pr.target}`, `page: ${clock}`);
      const row = await text(page.locator('#stage-progress tr', { hasText: '并行推进' }));
      assert(!row.includes('办理中'), `并行推进 row: ${row}`);
    },
  },
  {
    name: 'new user: 总投资 takes whole 万元 and says so; 3500.5 is refused at the field, never rounded',
    async run(t) {
      const s = await server(t);
      const api = await apiSession(s.url, 'demo_xsp_clerk', DEMO_PASSWORD);
      const p = (await api.get('/api/projects?page_size=5')).items[0];
      const page = await t.page(s.url);
      await login(page, 'demo_xsp_clerk', DEMO_PASSWORD);
      await page.goto(`/#/projects/${p.id}/edit`);
      await page.waitForSelector('#save-project');
      const hint = await text(page.locator('.form-row[data-field=investment_wan] .hint'));
      assert(hint.includes('整数'), `the form says whole numbers: ${hint}`);
      await page.fill('#f-investment_wan', '3500.5');
      await page.click('#save-project');
      const err = await text(page.locator('.form-row[data-field=investment_wan] .field-error').filter({ hasText: /\S/ }));
      assert(err.includes('整数'), `field error: ${err}`);
      const after = await api.get(`/api/projects/${p.id}`);
      assert(after.investment_wan === p.investment_wan, `unchanged: ${after.investment_wan}`);
    },
  },
  {
    name: 'new user: 流程类型 and 所在地 are locked, with the reason, once a stage is applied for',
    async run(t) {
      const s = await server(t);
      const api = await apiSession(s.url, 'demo_xsp_clerk', DEMO_PASSWORD);
      const p = (await api.get('/api/projects?page_size=5')).items[0];
      const full = await api.get(`/api/projects/${p.id}`);
      assert(full.stage_applications > 0 && full.deletable === false, `a demo project with cases: ${JSON.stringify(full)}`);
      const page = await t.page(s.url);
      await login(page, 'demo_xsp_clerk', DEMO_PASSWORD);
      await page.goto(`/#/projects/${p.id}/edit`);
      await page.waitForSelector('#save-project');
      for (const f of ['flow_type', 'division']) {
        assert(await page.locator(`#f-${f}`).isDisabled(), `${f} is locked`);
        const hint = await text(page.locator(`.form-row[data-field=${f}] .hint`));
        assert(hint.includes('已申报审批阶段'), `${f} says why: ${hint}`);
      }
      const codeHint = await text(page.locator('.form-row[data-field=code] .hint'));
      assert(!codeHint.includes('删除后重新登记') && codeHint.includes('数据修复'), `no impossible hint: ${codeHint}`);
      await page.fill('#f-address', `${full.address}（东侧）`);
      await page.click('#save-project');
      await page.waitForURL(new RegExp(`#/projects/${p.id}$`));
      const after = await api.get(`/api/projects/${p.id}`);
      assert(after.address.endsWith('（东侧）') && after.flow_type === full.flow_type && after.division === full.division,
        `saved without touching the locked fields: ${JSON.stringify(after)}`);
      await shot(page, 'project-edit-locked');
    },
  },
  {
    name: 'new user: a list exported at 01:30 in Shanghai is named with the Shanghai date',
    async run(t) {
      const s = await server(t);
      const page = await t.page(s.url);
      // 2026-12-07 17:30 UTC is 2026-12-08 01:30 in Asia/Shanghai: for the page, and for the server
      // (test builds take the time of dated actions from X-GG-Now)
      await page.clock.setFixedTime(new Date('2026-12-07T17:30:00Z'));
      await page.setExtraHTTPHeaders({ 'X-GG-Now': String(Date.parse('2026-12-07T17:30:00Z') / 1000) });
      await login(page, 'demo_auditor', DEMO_PASSWORD);
      await page.goto('/#/audit');
      await page.locator('#audit-list tbody tr td:not(.empty)').first().waitFor();
      const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#audit-list button[data-export=csv]')]);
      assert(/^审计日志-2026-12-08-\d+条\.csv$/.test(dl.suggestedFilename()), `file name ${dl.suggestedFilename()}`);
      // the CSV says 成功 and 登录, not success and session.login
      const csv = (await import('node:fs')).readFileSync(await dl.path(), 'utf8');
      assert(csv.includes(',成功,') && !/,success,/.test(csv) && !/,session\.login,/.test(csv), 'CSV in words');
    },
  },
];

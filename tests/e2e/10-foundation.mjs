// 10-foundation: login, lockout, forced password change, idle logout,
// 系统管理 (users, roles, departments, districts) and 审计日志.
import { assert, text, shot, submitLogin, login, firstLogin, logout, apiSession, makeUser } from './lib.mjs';

const PW = { sysadmin: 'Sys-Admin-2026!', secadmin: 'Sec-Admin-2026!', auditor: 'Audit-2026-Log!' };

async function dialogButton(page, label) {
  await page.locator('.dialog .dialog-foot button', { hasText: label }).click();
}

async function userRow(page, username) {
  const row = page.locator('#users-list tbody tr', { has: page.locator('td:first-child', { hasText: new RegExp(`^${username}$`) }) });
  await row.waitFor();
  return row;
}

export default [
  {
    name: 'login page renders without the chart library',
    async run(t) {
      const page = await t.page();
      const vendor = [];
      await page.route('**/vendor/**', (route) => { vendor.push(route.request().url()); return route.abort(); });
      await page.goto('/');
      await page.waitForSelector('#login-form', { state: 'visible' });
      assert((await text(page.locator('#login-submit'))).replace(/\s/g, '') === '登录', 'a 登录 button');
      assert(await page.locator('#login-password[type=password]').isVisible(), 'a password field');
      assert(vendor.length === 0, `login loads no vendor files (${vendor})`);
      await shot(page, 'login', { doc: 'login' });
    },
  },
  {
    name: 'wrong password is refused with the 401 message',
    async run(t) {
      const page = await t.page();
      await page.goto('/');
      await submitLogin(page, 'sysadmin', 'not-the-password');
      await page.waitForSelector('#login-msg:not([hidden])');
      assert((await text(page.locator('#login-msg'))).includes('用户名、密码或动态口令错误'), 'message says the login was wrong');
      assert(await page.locator('#layout').isHidden(), 'layout stays hidden');
    },
  },
  {
    name: 'first login forces a password change with the API field errors',
    async run(t) {
      const page = await t.page();
      await page.goto('/');
      await submitLogin(page, 'sysadmin', t.state.passwords.sysadmin);
      await page.waitForSelector('#password-view:not([hidden]) form');
      assert(await page.locator('#layout').isHidden(), 'no menu before the change');
      assert(await page.locator('.menu').count() === 0, 'menu not built');
      const form = page.locator('#password-view');
      // weak password: the server's policy message under the new-password field
      await form.locator('#f-old_password').fill(t.state.passwords.sysadmin);
      await form.locator('#f-new_password').fill('short');
      await form.locator('#f-confirm_password').fill('short');
      await form.locator('button[type=submit]').click();
      const err = form.locator('.form-row[data-field=new_password] .field-error');
      await err.filter({ hasText: /\S/ }).waitFor();
      assert((await text(err)).includes('8'), `policy message shown: ${await text(err)}`);
      // wrong old password: error under the old-password field
      await form.locator('#f-old_password').fill('Wrong-Old-1!');
      await form.locator('#f-new_password').fill(PW.sysadmin);
      await form.locator('#f-confirm_password').fill(PW.sysadmin);
      await form.locator('button[type=submit]').click();
      await form.locator('.form-row[data-field=old_password] .field-error').filter({ hasText: /\S/ }).waitFor();
      // mismatch is caught before the request
      await form.locator('#f-old_password').fill(t.state.passwords.sysadmin);
      await form.locator('#f-confirm_password').fill('Something-else-1');
      await form.locator('button[type=submit]').click();
      await form.locator('.form-row[data-field=confirm_password] .field-error', { hasText: '不一致' }).waitFor();
      await shot(page, 'password-change');
      await form.locator('#f-confirm_password').fill(PW.sysadmin);
      await form.locator('button[type=submit]').click();
      await page.waitForSelector('#layout:not([hidden]) #current-user');
      t.state.passwords.sysadmin = PW.sysadmin;
      assert((await text(page.locator('#current-user'))) === '系统管理员', 'name in the top bar');
      await shot(page, 'home-sysadmin');
    },
  },
  {
    name: 'menu follows the role: sysadmin has 系统管理, not 审计日志',
    async run(t) {
      const page = await t.page();
      await login(page, 'sysadmin', t.state.passwords.sysadmin);
      const menu = await text(page.locator('.menu'));
      assert(menu.includes('用户管理') && menu.includes('部门管理'), 'system menu');
      assert(!menu.includes('审计日志'), 'no audit log for the sysadmin');
      assert(!menu.includes('办件管理'), 'no case pages for an administrator');
      await page.goto('/#/audit');
      await page.locator('#content', { hasText: '无权访问' }).waitFor();
    },
  },
  {
    name: 'sysadmin creates users without roles; field errors come from the API',
    async run(t) {
      const page = await t.page();
      await login(page, 'sysadmin', t.state.passwords.sysadmin);
      await page.click('.menu a[data-path="/system/users"]');
      await page.waitForSelector('#users-list tbody tr td:not(.empty)');
      assert(await page.locator('button[data-op=roles]').count() === 0, 'only the secadmin grants roles');
      await page.click('button:has-text("新增用户")');
      const dlg = page.locator('.dialog');
      await dlg.locator('#f-username').fill('Bad User');
      await dlg.locator('#f-password').fill('Clerk-Init-2026!');
      await dialogButton(page, '确定');
      const err = dlg.locator('.form-row[data-field=username] .field-error');
      await err.filter({ hasText: /\S/ }).waitFor();
      assert((await text(err)).includes('用户名'), `username message: ${await text(err)}`);
      await dlg.locator('#f-username').fill('clerk1');
      await dlg.locator('#f-display_name').fill('王窗口');
      await dlg.locator('#f-phone').fill('13800001111');
      await dlg.locator('#f-department').selectOption('610202-XSP');
      await dlg.locator('#f-district').selectOption('610202');
      assert(await dlg.locator('#f-roles').count() === 0, 'the sysadmin gives no roles (三员分立)');
      await dialogButton(page, '确定');
      await dlg.waitFor({ state: 'detached' });
      const row = await userRow(page, 'clerk1');
      const rowText = await text(row);
      assert(rowText.includes('王益区行政审批服务局') && rowText.includes('待改密'), rowText);
      assert(await page.locator('button[data-user=auditor]').count() === 0, 'no operation on an administrator');
      assert(rowText.includes('138****1111'), 'phone masked in the list');
      t.state.passwords.clerk1 = 'Clerk-Init-2026!';
      // a second account for the lockout test, through the API
      const api = await apiSession(t.base, 'sysadmin', t.state.passwords.sysadmin);
      await api.post('/api/users', { username: 'locktest', password: 'Lock-Test-2026!', department: '610200-XSP' });
      await page.click('button:has-text("刷新")');
      await userRow(page, 'locktest');
      await shot(page, 'users');
    },
  },
  {
    name: 'secadmin grants a role, resets a password, disables an account',
    async run(t) {
      const page = await t.page();
      await firstLogin(page, 'secadmin', t.state.passwords.secadmin, PW.secadmin);
      t.state.passwords.secadmin = PW.secadmin;
      const menu = await text(page.locator('.menu'));
      assert(menu.includes('用户管理') && !menu.includes('审计日志'), 'secadmin menu');
      await page.click('.menu a[data-path="/system/users"]');
      await userRow(page, 'clerk1');
      // the accounts the sysadmin created get their roles from the secadmin
      const sec = await apiSession(t.base, 'secadmin', t.state.passwords.secadmin);
      const all = await sec.get('/api/users?page_size=200');
      for (const name of ['clerk1', 'locktest'])
        await sec.post(`/api/users/${all.items.find((u) => u.username === name).id}/roles`, { role: 'clerk' });
      await page.click('button:has-text("刷新")');
      await page.locator('#users-list tbody tr', { hasText: 'clerk1' }).filter({ hasText: '窗口人员' }).waitFor();
      // grant reviewer to clerk1
      await page.click('button[data-op=roles][data-user=clerk1]');
      await page.locator('.dialog #f-roles input[value=reviewer]').check();
      await dialogButton(page, '确定');
      await page.locator('.dialog').waitFor({ state: 'detached' });
      await page.locator('#users-list tbody tr', { hasText: 'clerk1' }).filter({ hasText: '审查人员' }).waitFor();
      // and take it back
      await page.click('button[data-op=roles][data-user=clerk1]');
      await page.locator('.dialog #f-roles input[value=reviewer]').uncheck();
      await dialogButton(page, '确定');
      await page.locator('.dialog').waitFor({ state: 'detached' });
      await page.waitForFunction(() => {
        const r = [...document.querySelectorAll('#users-list tbody tr')].find((tr) => tr.cells[0]?.textContent === 'clerk1');
        return r && !r.textContent.includes('审查人员') && r.textContent.includes('窗口人员');
      });
      // reset clerk1's password: shown once
      await page.click('button[data-op=reset][data-user=clerk1]');
      await dialogButton(page, '重置');
      const pw = await text(page.locator('#reset-password'));
      assert(pw.length >= 12, `a generated password (${pw})`);
      t.state.passwords.clerk1 = pw;
      await dialogButton(page, '我已记下');
      // clerk1 logs in with it and must change it
      const clerk = await t.page();
      await firstLogin(clerk, 'clerk1', pw, 'Clerk-Own-2026!');
      t.state.passwords.clerk1 = 'Clerk-Own-2026!';
      assert((await text(clerk.locator('.menu'))).includes('办件管理'), 'clerk sees the case pages');
      // disable locktest: its login is refused
      await page.click('button[data-op=disable][data-user=locktest]');
      await dialogButton(page, '停用');
      await page.locator('#users-list tbody tr', { hasText: 'locktest' }).filter({ hasText: '停用' }).first().waitFor();
      const other = await t.page();
      await other.goto('/');
      await submitLogin(other, 'locktest', 'Lock-Test-2026!');
      await other.waitForSelector('#login-msg:not([hidden])');
      // and enable it again for the lockout test
      await page.click('button[data-op=enable][data-user=locktest]');
      await dialogButton(page, '启用');
      await page.locator('#users-list tbody tr', { hasText: 'locktest' }).filter({ hasText: '正常' }).waitFor();
    },
  },
  {
    name: 'a disabled account is sent back to the login page',
    async run(t) {
      const victim = await t.page();
      await login(victim, 'clerk1', t.state.passwords.clerk1);
      const api = await apiSession(t.base, 'secadmin', t.state.passwords.secadmin);
      const users = await api.get('/api/users?page_size=200');
      const id = users.items.find((u) => u.username === 'clerk1').id;
      await api.patch(`/api/users/${id}`, { active: false });
      await victim.click('.who');
      await victim.click('.dropdown a:has-text("个人信息")');
      await victim.waitForSelector('#login-view:not([hidden])');
      assert((await text(victim.locator('#login-msg'))).includes('重新登录'), 'says to log in again');
      await api.patch(`/api/users/${id}`, { active: true });
    },
  },
  {
    name: 'five wrong passwords lock the account (423 message)',
    async run(t) {
      const page = await t.page();
      await page.goto('/');
      for (let i = 0; i < 5; i++) {
        await submitLogin(page, 'locktest', `Wrong-Pass-${i}!`);
        await page.waitForSelector('#login-msg:not([hidden])');
        await page.waitForSelector('#login-submit:not([disabled])');
      }
      await submitLogin(page, 'locktest', 'Lock-Test-2026!');
      await page.locator('#login-msg', { hasText: '锁定' }).waitFor();
      const msg = await text(page.locator('#login-msg'));
      assert(/锁定/.test(msg) && /分钟/.test(msg), `lock message with minutes: ${msg}`);
      await shot(page, 'login-locked');
    },
  },
  {
    name: 'a must-change session reloaded shows only the password form (403 password)',
    async run(t) {
      const api = await apiSession(t.base, 'secadmin', t.state.passwords.secadmin);
      await api.post('/api/users', { username: 'rev1', password: 'Review-Init-2026!', roles: ['reviewer'], department: '610200-ZJJ' });
      const page = await t.page();
      await page.goto('/');
      await submitLogin(page, 'rev1', 'Review-Init-2026!');
      await page.waitForSelector('#password-view:not([hidden]) form');
      await page.reload();
      await page.waitForSelector('#password-view:not([hidden]) form');
      assert(await page.locator('#layout').isHidden(), 'no layout');
      await page.click('#password-view a:has-text("退出登录")');
      await page.waitForSelector('#login-view:not([hidden])');
      t.state.passwords.rev1 = 'Review-Init-2026!';
    },
  },
  {
    name: 'departments, districts and roles pages',
    async run(t) {
      const page = await t.page();
      await login(page, 'sysadmin', t.state.passwords.sysadmin);
      await page.click('.menu a[data-path="/system/departments"]');
      await page.locator('#dept-list tbody tr', { hasText: '铜川市行政审批服务局' }).waitFor();
      assert((await text(page.locator('.pager'))).includes('共 27 条'), 'all departments counted');
      await page.locator('#dept-list select[name=district]').selectOption('610204');
      await page.click('#dept-list button:has-text("搜索")');
      await page.locator('.pager', { hasText: '共 3 条' }).waitFor();
      await page.click('button:has-text("新增部门")');
      await page.locator('.dialog #f-code').fill('610204-FGW');
      await page.locator('.dialog #f-name').fill('耀州区发展和改革局');
      await page.locator('.dialog #f-district').selectOption('610204');
      await dialogButton(page, '确定');
      await page.locator('#dept-list tbody tr', { hasText: '耀州区发展和改革局' }).waitFor();
      // the tree: the new department under its district; a district filters the list
      await page.locator('#dept-tree li[data-district="610204"] li[data-department="610204-FGW"]').waitFor({ state: 'attached' });
      await page.locator('#dept-tree li[data-district="610203"] > details > summary button').click();
      await page.waitForFunction(() => document.querySelector('#dept-list select[name=district]').value === '610203');
      await page.locator('#dept-list tbody tr', { hasText: '印台区' }).first().waitFor();
      // a duplicate code: 409 under the code field
      await page.click('button:has-text("新增部门")');
      await page.locator('.dialog #f-code').fill('610204-FGW');
      await page.locator('.dialog #f-name').fill('重复');
      await page.locator('.dialog #f-district').selectOption('610204');
      await dialogButton(page, '确定');
      await page.locator('.dialog .form-row[data-field=code] .field-error', { hasText: '已存在' }).waitFor();
      await dialogButton(page, '取消');
      // a department without cases moves to another district through 编辑, and back
      for (const [from, to, name] of [['610204', '610222', '宜君县'], ['610222', '610204', '耀州区']]) {
        await page.locator('#dept-list select[name=district]').selectOption(from);
        await page.click('#dept-list button:has-text("搜索")');
        await page.locator('#dept-list tbody tr', { hasText: '610204-FGW' }).locator('button:has-text("编辑")').click();
        await page.locator('.dialog #f-district').selectOption(to);
        await dialogButton(page, '确定');
        await page.locator('.dialog').waitFor({ state: 'detached' });
        await page.locator('#dept-list select[name=district]').selectOption(to);
        await page.click('#dept-list button:has-text("搜索")');
        await page.locator('#dept-list tbody tr', { hasText: '610204-FGW' }).filter({ hasText: name }).waitFor();
      }
      await shot(page, 'departments');
      await page.click('.menu a[data-path="/system/districts"]');
      await page.locator('#district-list tbody tr', { hasText: '宜君县' }).waitFor();
      await page.click('.menu a[data-path="/system/calendar"]');
      await page.locator('#cal-years tbody tr', { hasText: '2026' }).waitFor();
      await page.locator('.cal-year .cal-d.hol').first().waitFor();
      await page.click('#cal-import');
      await page.locator('.dialog #f-year').fill('2027');
      await page.locator('.dialog #f-csv').fill('date,kind,name\n2027-01-01,holiday,元旦\n2027-01-01,holiday,元旦\n');
      await dialogButton(page, '确定');
      await page.locator('.dialog .form-row[data-field=csv] .field-error', { hasText: 'line 3' }).waitFor();
      await page.locator('.dialog #f-csv').fill('date,kind,name\n2027-01-01,holiday,元旦\n');
      await dialogButton(page, '确定');
      await page.locator('#cal-years tbody tr', { hasText: '2027' }).waitFor();
      await shot(page, 'calendar');
      await page.click('.menu a[data-path="/system/roles"]');
      await page.locator('#role-list tbody tr', { hasText: '窗口人员' }).waitFor();
      await page.waitForFunction(() => [...document.querySelectorAll('#role-list tbody tr')]
        .some((tr) => tr.textContent.includes('clerk') && /\d/.test(tr.cells[5]?.textContent)));
    },
  },
  {
    name: 'disabling a department confirms with its counts and disables its accounts',
    async run(t) {
      await makeUser(t, 'fgw1', ['clerk'], '610204-FGW');
      const page = await t.page();
      await login(page, 'sysadmin', t.state.passwords.sysadmin);
      await page.click('.menu a[data-path="/system/departments"]');
      await page.locator('#dept-list select[name=district]').selectOption('610204');
      await page.click('#dept-list button:has-text("搜索")');
      const row = page.locator('#dept-list tbody tr', { hasText: '耀州区发展和改革局' });
      await row.locator('button:has-text("停用")').click();
      const body = await text(page.locator('.dialog'));
      assert(body.includes('在办件 0 件') && body.includes('启用账号 1 个'), `the dialog shows both counts: ${body}`);
      await dialogButton(page, '停用');
      await page.locator('.toast', { hasText: '同时停用账号 1 个' }).waitFor();
      await row.locator('span.tag', { hasText: '停用' }).waitFor();
      let refused = 0;
      try { await apiSession(t.base, 'fgw1', t.state.passwords.fgw1); } catch (e) { refused = 1; }
      assert(refused, 'an account of the disabled department cannot log in');
      await row.locator('button:has-text("启用")').click();
      assert((await text(page.locator('.dialog'))).includes('不会自动恢复'), 'enabling says the accounts stay disabled');
      await dialogButton(page, '确定');
      await page.locator('.toast', { hasText: '仍为停用' }).waitFor();
      await row.locator('span.tag', { hasText: '正常' }).waitFor();
    },
  },
  {
    name: 'auditor reads the audit log with filters and paging',
    async run(t) {
      const page = await t.page();
      await firstLogin(page, 'auditor', t.state.passwords.auditor, PW.auditor);
      t.state.passwords.auditor = PW.auditor;
      const menu = await text(page.locator('.menu'));
      assert(menu.includes('审计日志') && !menu.includes('用户管理'), 'auditor menu');
      await page.click('.menu a[data-path="/audit"]');
      await page.locator('#audit-list tbody tr td:not(.empty)').first().waitFor();
      await page.selectOption('#audit-list select[name=action]', 'user.create');
      await page.click('#audit-list button:has-text("搜索")');
      await page.waitForFunction(() => {
        const rows = [...document.querySelectorAll('#audit-list tbody tr')];
        return rows.length >= 3 && rows.every((r) => r.textContent.includes('新增账号'));
      });
      await page.click('#audit-list button:has-text("重置")');
      await page.fill('#audit-list input[name=user]', 'locktest');
      await page.click('#audit-list button:has-text("搜索")');
      await page.locator('#audit-list tbody tr', { hasText: '失败' }).first().waitFor();
      // the same failures by outcome and object (the login's object is the account)
      await page.selectOption('#audit-list select[name=outcome]', 'failure');
      await page.fill('#audit-list input[name=object]', 'user:locktest');
      await page.click('#audit-list button:has-text("搜索")');
      await page.waitForFunction(() => {
        const rows = [...document.querySelectorAll('#audit-list tbody tr')];
        return rows.length >= 1 && rows.every((r) => r.textContent.includes('失败') && r.textContent.includes('locktest'));
      });
      await page.click('#audit-list button:has-text("重置")');
      await page.locator('.pager select').selectOption('10');
      await page.locator('.pager button', { hasText: /^2$/ }).click();
      await page.locator('.pager button.cur', { hasText: /^2$/ }).waitFor();
      const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
      await page.fill('#audit-list input[name=from]', today);
      await page.fill('#audit-list input[name=to]', today);
      await page.click('#audit-list button:has-text("搜索")');
      await page.locator('.pager button.cur', { hasText: /^1$/ }).waitFor();
      await page.locator('#audit-list tbody tr td:not(.empty)').first().waitFor();
      await shot(page, 'audit');
      // export: a CSV with a BOM and the header
      const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#audit-list button[data-export=csv]')]);
      const file = await dl.path();
      const csv = (await import('node:fs')).readFileSync(file, 'utf8');
      assert(csv.startsWith('\ufeff序号,时间,用户'), 'CSV header');
      // written by the server: every row of the filter, the count in the name and the toast
      const rows = csv.trim().split('\r\n').length - 1;
      assert(dl.suggestedFilename() === `审计日志-${today}-${rows}条.csv`, `file name ${dl.suggestedFilename()} for ${rows} rows`);
      await page.locator('.toast', { hasText: `已导出 ${rows} 条` }).waitFor();
      const [x] = await Promise.all([page.waitForEvent('download'), page.click('#audit-list button[data-export=xlsx]')]);
      const head = (await import('node:fs')).readFileSync(await x.path()).subarray(0, 2).toString();
      assert(head === 'PK' && x.suggestedFilename().endsWith('条.xlsx'), `an xlsx workbook: ${x.suggestedFilename()}`);
    },
  },
  {
    name: 'idle logout: warning, stay, then logout after idle_minutes',
    async run(t) {
      const page = await t.page();
      await page.clock.install();
      await login(page, 'sysadmin', t.state.passwords.sysadmin);
      await page.clock.fastForward('29:10');
      await page.locator('.dialog', { hasText: '即将自动退出' }).waitFor();
      await page.locator('.dialog button', { hasText: '继续使用' }).click();
      await page.locator('.dialog').waitFor({ state: 'detached' });
      assert(await page.locator('#layout').isVisible(), 'still logged in after 继续使用');
      await page.clock.fastForward('29:10');
      await page.locator('.dialog', { hasText: '即将自动退出' }).waitFor();
      await page.clock.fastForward('01:00');
      await page.waitForSelector('#login-view:not([hidden])');
      assert((await text(page.locator('#login-msg'))).includes('长时间未操作'), 'idle message');
      // the server session is gone too
      const r = await page.evaluate(() => fetch('/api/me', { credentials: 'same-origin' }).then((x) => x.status));
      assert(r === 401, `session ended on the server (${r})`);
    },
  },
];

// 45-exchange: 运维中心 → 数据上报 against a real PostgreSQL front DB
// (tests/pg.sh) answered by the province simulator: 立即上报, the counts
// per table, a province rejection with its reason, department and a link
// to the project, and the run history.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { assert, text, shot, firstLogin, ROOT, binary } from './lib.mjs';

const env = { ...process.env, ASAN_OPTIONS: process.env.ASAN_OPTIONS || 'detect_leaks=0' };

export default [
  {
    name: 'exchange: push now, counts, a rejection with its reason, run history',
    async run(t) {
      const pgdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gg-e2e-pg-'));
      const pg = path.join(ROOT, 'tests/pg.sh');
      const ci = execFileSync(pg, ['start', pgdir], { encoding: 'utf8' }).trim();
      let s = null;
      try {
        execFileSync('psql', [ci, '-qc', 'CREATE DATABASE front']);
        const front = ci.replace('dbname=postgres', 'dbname=front');
        const psql = (file) => execFileSync('psql', [front, '-q', '-v', 'ON_ERROR_STOP=1', '-f', path.join(ROOT, file)]);
        psql('tests/exchange/spgl-ddl.sql');
        s = await t.startServer({ demo: 15, config: `[security]\nadmin_totp = off\n[exchange]\ntarget = ${front}\n` +
          'interval_minutes = 1440\nwait_for_parent = sent\n' });
        // one project with legacy data the province refuses (start after finish)
        execFileSync('sqlite3', [s.db, "UPDATE projects SET planned_start = '2031-01-01', planned_finish = '2030-01-01' " +
          'WHERE id = (SELECT MIN(project_id) FROM case_progress)']);
        const code = execFileSync('sqlite3', [s.db, 'SELECT code FROM projects WHERE id = (SELECT MIN(project_id) FROM case_progress)'],
          { encoding: 'utf8' }).trim();
        execFileSync(binary(), ['user', 'add', '--db', s.db, '--username', 'xops', '--password', 'Init-Pass-2026!', '--role', 'ops'], { env });
        const page = await t.page(s.url);
        await firstLogin(page, 'xops', 'Init-Pass-2026!', 'Daily-Work-2026!');
        await page.click('.menu a[data-path="/ops/exchange"]');
        await page.waitForSelector('#exchange-tables');
        await page.click('#exchange-push');
        await page.locator('#exchange-tables tr[data-table="SPGL_XMSPSXBLXXXXB"] td.num').nth(1).filter({ hasNotText: /^0$/ }).waitFor({ timeout: 60000 });
        psql('tests/exchange/province.sql');
        await page.click('#exchange-push');
        await page.locator('#exchange-rejections tbody tr', { hasText: 'NKGSJ时间要早于NJCSJ时间' }).first().waitFor({ timeout: 60000 });
        const row = page.locator('#exchange-rejections tbody tr', { hasText: 'NKGSJ时间要早于NJCSJ时间' }).first();
        assert((await text(row)).includes('项目基本信息表'), 'the table by its Chinese name');
        assert(await row.locator(`a[href="#/projects?q=${code}"]`).count() === 1, 'a link to the project');
        const accepted = Number(await text(page.locator('#exchange-tables tr[data-table="SPGL_XMSPSXBLXXB"] td.num').nth(2)));
        assert(accepted > 0, `办件 accepted (${accepted})`);
        await page.locator('#exchange-runs tbody tr', { hasText: '手动（页面）' }).first().waitFor();
        await shot(page, 'ops-exchange', { doc: 'ops-exchange' });
      } finally {
        if (s) { await s.stop(); s.cleanup(); }
        execFileSync(pg, ['stop', pgdir]);
        fs.rmSync(pgdir, { recursive: true, force: true });
      }
    },
  },
];

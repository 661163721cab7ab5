// run.mjs: the browser test runner. One real server over a fresh database and
// one Chromium for the whole run; the scenario files NN-*.mjs run in order
// (they tell one story: later files use accounts the earlier ones set up).
// Each exports default [{name, run(t)}]. A test fails on an exception or on
// any browser console error or page error. Prints one line per test and
// "e2e: N passed, N failed"; exits 1 on any failure.
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launch, newPage, expectNoErrors, shot, ROOT } from './lib.mjs';

const only = process.argv[2] ? new RegExp(process.argv[2]) : null;
const dir = path.join(ROOT, 'tests/e2e');
const files = fs.readdirSync(dir).filter((f) => /^\d\d-.*\.mjs$/.test(f)).sort();

const srv = await startServer();
const b = await launch();
const state = { passwords: { ...srv.accounts } };
let pass = 0, fail = 0, skipped = 0;
const failed = [];
const started = Date.now();

try {
  for (const f of files) {
    const mod = await import(path.join(dir, f));
    for (const test of mod.default) {
      const name = `${f.replace(/\.mjs$/, '')}: ${test.name}`;
      if (only && !only.test(name)) { skipped++; continue; }
      const pages = [];
      const t = {
        base: srv.url, srv, browser: b.browser, state,
        async page(base = srv.url) { const p = await newPage(b.browser, base); pages.push(p); return p; },
        startServer,
        skip(why) { const e = new Error(why); e.skip = true; throw e; },
      };
      const t0 = Date.now();
      let timer;
      try {
        await Promise.race([
          test.run(t),
          new Promise((_, rej) => { timer = setTimeout(() => rej(new Error('timed out after 90 s')), 90000); }),
        ]);
        for (const p of pages) {
          expectNoErrors(p);
          // a formatting slip shows up as the words null / undefined / NaN on the page
          const slip = await p.evaluate(() => {
            const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            for (let n = w.nextNode(); n; n = w.nextNode()) {
              const el = n.parentElement;
              if (!el || el.closest('.mono, pre, code, script, style, [hidden]')) continue;
              if (/\b(null|undefined|NaN)\b|\[object Object\]/.test(n.textContent)) return n.textContent.trim().slice(0, 120);
            }
            return '';
          }).catch(() => '');
          if (slip) throw new Error(`page ${p.url()} shows "${slip}"`);
        }
        if (srv.exited()) throw new Error(`server exited: ${JSON.stringify(srv.exited())}`);
        pass++;
        console.log(`PASS ${name} (${Date.now() - t0} ms)`);
      } catch (err) {
        if (err.skip) {
          skipped++;
          console.log(`SKIP ${name}: ${err.message}`);
        } else {
          fail++;
          failed.push(name);
          console.log(`FAIL ${name}: ${err.stack || err.message}`);
          for (const p of pages) {
            if (p.errors.length) console.log(`  browser errors:\n    ${p.errors.join('\n    ')}`);
            await shot(p, `FAIL-${f.replace(/\.mjs$/, '')}-${pages.indexOf(p)}`).catch(() => {});
          }
        }
      } finally {
        clearTimeout(timer);
        for (const p of pages) await p.context().close().catch(() => {});
      }
    }
  }
} finally {
  await b.close();
  await srv.stop();
  if (fail) {
    const log = srv.log();
    console.log(`server log (last lines):\n${log.split('\n').slice(-30).join('\n')}`);
  }
  srv.cleanup();
}
if (failed.length) console.log(`failed: ${failed.join('; ')}`);
console.log(`e2e: ${pass} passed, ${fail} failed, ${skipped} skipped (${((Date.now() - started) / 1000).toFixed(1)} s)`);
process.exit(fail ? 1 : 0);

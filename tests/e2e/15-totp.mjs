// 15-totp: the administrators' second factor (动态口令, TOTP, RFC 6238) on a
// server of its own with [security] admin_totp = required (the shared server
// runs with it off): enrolment after the forced password change, login with
// and without a code, lockout on wrong codes, and the secadmin's reset.
// The server refuses a 30 s step already used by the account, so every code
// comes from codeFor(), which never hands out a step twice.
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { assert, text, shot, submitLogin, binary } from './lib.mjs';

const CONFIG = '[security]\nadmin_totp = required\n';
const PW = { sysadmin: 'Sys-Totp-2026!', secadmin: 'Sec-Totp-2026!', auditor: 'Aud-Totp-2026!' };

let srv = null;
const initial = {};
const secrets = {};
const lastStep = {};

async function server(t) {
  if (!srv) {
    srv = await t.startServer({ config: CONFIG });
    Object.assign(initial, srv.accounts);
    const s = srv;
    process.on('exit', () => { if (!s.exited()) s.proc.kill('SIGKILL'); });
  }
  return srv;
}

async function page(t) {
  return t.page((await server(t)).url);
}

/* ---- RFC 6238: HMAC-SHA1, 6 digits, 30 s steps ------------------------------------- */

function base32(s) {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const out = [];
  let bits = 0, acc = 0;
  for (const c of s.replace(/[\s=]/g, '').toUpperCase()) {
    acc = ((acc << 5) | abc.indexOf(c)) & 0xfff;
    bits += 5;
    if (bits >= 8) { bits -= 8; out.push((acc >> bits) & 0xff); }
  }
  return Buffer.from(out);
}

function totp(secret, step) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const mac = crypto.createHmac('sha1', base32(secret)).update(msg).digest();
  const o = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}

const nowStep = () => Math.floor(Date.now() / 30000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/* A code the server accepts (previous, current or next step) and has not seen. */
async function codeFor(user) {
  const step = Math.max(nowStep(), (lastStep[user] ?? -1) + 1);
  while (step > nowStep() + 1) await sleep(250);
  lastStep[user] = step;
  return totp(secrets[user], step);
}

/* Six digits that are none of the codes the server would accept now. */
function wrongCode(user) {
  const valid = [-1, 0, 1, 2].map((d) => totp(secrets[user], nowStep() + d));
  for (let n = 123456; ; n = (n + 111111) % 1000000) {
    const c = String(n).padStart(6, '0');
    if (!valid.includes(c)) return c;
  }
}

/* ---- browser steps ----------------------------------------------------------------- */

async function submitWithCode(p, username, password, code) {
  await p.fill('#login-username', username);
  await p.fill('#login-password', password);
  await p.fill('#f-otp', code);
  const answer = p.waitForResponse((r) => r.url().endsWith('/api/session') && r.request().method() === 'POST');
  await p.click('#login-submit');
  return (await answer).status();
}

async function readSecret(p) {
  const view = p.locator('#totp-view:not([hidden])');
  await view.locator('#totp-secret').waitFor();
  const shown = await text(view.locator('#totp-secret'));
  assert(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/.test(shown), `secret in groups of 4: ${shown}`);
  assert(await view.locator('.totp-qr svg').count() === 1, 'the QR code is an inline SVG');
  return shown.replace(/\s/g, '');
}

/* The enrolment view is showing: bind the app and land in the layout. */
async function enrol(p, username) {
  secrets[username] = await readSecret(p);
  await p.fill('#totp-view #f-code', await codeFor(username));
  await p.click('#totp-view button[type=submit]');
  await p.waitForSelector('#layout:not([hidden]) #current-user');
}

async function forcedChange(p, username) {
  await p.goto('/');
  await submitLogin(p, username, initial[username]);
  await p.waitForSelector('#password-view:not([hidden]) form');
  await p.fill('#password-view #f-old_password', initial[username]);
  await p.fill('#password-view #f-new_password', PW[username]);
  await p.fill('#password-view #f-confirm_password', PW[username]);
  await p.click('#password-view button[type=submit]');
  await p.waitForSelector('#totp-view:not([hidden]) #totp-secret');
}

async function loginWithCode(p, username) {
  await p.goto('/');
  await p.waitForSelector('#login-form', { state: 'visible' });
  const status = await submitWithCode(p, username, PW[username], await codeFor(username));
  assert(status === 200, `${username} logs in with a code (HTTP ${status})`);
  await p.waitForSelector('#layout:not([hidden]) #current-user');
}

function userRow(p, username) {
  return p.locator('#users-list tbody tr', { has: p.locator('td:first-child', { hasText: new RegExp(`^${username}$`) }) });
}

export default [
  {
    name: 'login form has the optional 动态口令 field',
    async run(t) {
      const p = await page(t);
      await p.goto('/');
      await p.waitForSelector('#login-form', { state: 'visible' });
      const otp = p.locator('#login-form #f-otp');
      assert(await otp.isVisible(), 'a 动态口令 field');
      assert(await otp.getAttribute('autocomplete') === 'one-time-code', 'autocomplete one-time-code');
      assert(await otp.getAttribute('inputmode') === 'numeric', 'numeric keyboard');
      assert((await text(p.locator('#login-form'))).includes('管理员账号必填'), 'hint for administrators');
      // a malformed code never reaches the server
      let posted = 0;
      p.on('request', (r) => { if (r.url().endsWith('/api/session')) posted++; });
      await p.fill('#login-username', 'sysadmin');
      await p.fill('#login-password', 'whatever');
      await p.fill('#f-otp', '12a');
      await p.click('#login-submit');
      await p.locator('#login-msg', { hasText: '6 位数字' }).waitFor();
      assert(posted === 0, 'no request for a malformed code');
    },
  },
  {
    name: 'administrator first login: password change, then 动态口令 enrolment',
    async run(t) {
      const p = await page(t);
      await forcedChange(p, 'sysadmin');
      assert(await p.locator('#layout').isHidden(), 'no layout before the enrolment');
      assert((await text(p.locator('#totp-view'))).includes('等保'), 'says why');
      // the session is restricted to the enrolment until it is done
      const r = await p.evaluate(() => fetch('/api/users', { credentials: 'same-origin' })
        .then(async (x) => ({ status: x.status, field: (await x.json()).error.field })));
      assert(r.status === 403 && r.field === 'otp', `restricted session: ${JSON.stringify(r)}`);
      secrets.sysadmin = await readSecret(p);
      // a wrong code: the server's message under the field
      await p.fill('#totp-view #f-code', wrongCode('sysadmin'));
      await p.click('#totp-view button[type=submit]');
      const err = p.locator('#totp-view .form-row[data-field=code] .field-error');
      await err.filter({ hasText: /\S/ }).waitFor();
      await shot(p, 'totp-enrol', { doc: 'totp-enrol' });
      await enrol(p, 'sysadmin');
      assert((await text(p.locator('#current-user'))) === '系统管理员', 'in the layout');
      const me = await p.evaluate(() => fetch('/api/me').then((x) => x.json()));
      assert(me.totp && me.totp.enrolled === true && me.must_enroll_totp === false, `enrolled: ${JSON.stringify(me.totp)}`);
    },
  },
  {
    name: 'login without the code is refused; with it the sysadmin reaches the workbench',
    async run(t) {
      const p = await page(t);
      await p.goto('/');
      await p.waitForSelector('#login-form', { state: 'visible' });
      await submitLogin(p, 'sysadmin', PW.sysadmin);
      await p.locator('#login-msg', { hasText: '动态口令' }).waitFor();
      assert(await p.locator('#layout').isHidden(), 'no layout without the code');
      const code = await codeFor('sysadmin');
      await p.fill('#login-username', 'sysadmin');
      await p.fill('#login-password', PW.sysadmin);
      await p.fill('#f-otp', code);
      await shot(p, 'login-otp', { doc: 'login-otp' });
      await p.click('#login-submit');
      await p.waitForSelector('#layout:not([hidden]) #current-user');
      assert(new URL(p.url()).hash === '#/home', `the workbench (${p.url()})`);
      assert(await p.locator('#totp-view').isHidden(), 'no enrolment once enrolled');
      // the same code a second time is a replay
      await p.click('#logout-btn');
      await p.waitForSelector('#login-view:not([hidden])');
      const status = await submitWithCode(p, 'sysadmin', PW.sysadmin, code);
      assert(status === 401, `a used code is refused (HTTP ${status})`);
      await p.locator('#login-msg', { hasText: '动态口令' }).waitFor();
    },
  },
  {
    name: 'five wrong codes lock the auditor (423 message)',
    async run(t) {
      // the auditor changes its password and binds the app through the API
      const s = await server(t);
      const login = await fetch(`${s.url}/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'auditor', password: initial.auditor }) });
      const body = await login.json();
      assert(login.ok && body.must_change === true && body.must_enroll_totp === true, `auditor login: ${JSON.stringify(body)}`);
      const cookie = login.headers.get('set-cookie').split(';')[0];
      const call = async (p, data) => {
        const r = await fetch(`${s.url}${p}`, { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/json' }, body: JSON.stringify(data) });
        const b = await r.json();
        assert(r.ok, `POST ${p}: ${r.status} ${JSON.stringify(b)}`);
        return b;
      };
      await call('/api/me/password', { old_password: initial.auditor, new_password: PW.auditor });
      const sec = await call('/api/me/totp/secret', {});
      assert(sec.uri.startsWith('otpauth://totp/gonggai:auditor?') && sec.uri.includes(`secret=${sec.secret}`), sec.uri);
      secrets.auditor = sec.secret;
      await call('/api/me/totp', { code: await codeFor('auditor') });

      const p = await page(t);
      await p.goto('/');
      await p.waitForSelector('#login-form', { state: 'visible' });
      for (let i = 0; i < 5; i++) {
        const status = await submitWithCode(p, 'auditor', PW.auditor, wrongCode('auditor'));
        assert(status === 401 || (i === 4 && status === 423), `wrong code ${i + 1}: HTTP ${status}`);
        await p.locator('#login-msg:not([hidden])').waitFor();
        if (i === 0) assert((await text(p.locator('#login-msg'))).includes('动态口令'), 'names the one-time code');
      }
      const status = await submitWithCode(p, 'auditor', PW.auditor, await codeFor('auditor'));
      assert(status === 423, `locked even with the right code (HTTP ${status})`);
      await p.locator('#login-msg', { hasText: '锁定' }).waitFor();
      const msg = await text(p.locator('#login-msg'));
      assert(/分钟/.test(msg), `lock message with minutes: ${msg}`);
      await shot(p, 'login-otp-locked');
    },
  },
  {
    name: 'secadmin binds 动态口令 at first login; the users list shows who has it',
    async run(t) {
      const p = await page(t);
      await forcedChange(p, 'secadmin');
      await enrol(p, 'secadmin');
      await p.click('.menu a[data-path="/system/users"]');
      for (const u of ['sysadmin', 'secadmin', 'auditor']) {
        const row = userRow(p, u);
        await row.waitFor();
        assert((await text(row)).includes('已绑定'), `${u}: 已绑定`);
      }
      assert(await p.locator('button[data-op=totp][data-user=secadmin]').count() === 0, 'no reset of one\'s own');
      assert(await p.locator('button[data-op=totp][data-user=sysadmin]').count() === 0,
        '三员分立: no reset of another administrator\'s (command line only)');
      await shot(p, 'users-totp');
    },
  },
  {
    name: 'the sysadmin\'s 动态口令 is reset on the command line (三员分立): the API refuses the secadmin',
    async run(t) {
      const sys = await page(t);
      await loginWithCode(sys, 'sysadmin');
      const sec = await page(t);
      await loginWithCode(sec, 'secadmin');
      const r = await sec.evaluate(() => fetch('/api/users/1/totp', { method: 'DELETE', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' } })
        .then((x) => x.status));
      assert(r === 403, `the secadmin cannot reset the sysadmin's factor: ${r}`);
      execFileSync(binary(), ['user', 'reset-totp', '--db', srv.db, '--username', 'sysadmin'], { encoding: 'utf8' });
      await sec.click('.menu a[data-path="/system/users"]');
      await userRow(sec, 'sysadmin').filter({ hasText: '未绑定' }).waitFor();
      await sys.close();
    },
  },
  {
    name: 'after the reset the sysadmin binds 动态口令 again at the next login',
    async run(t) {
      const p = await page(t);
      await p.goto('/');
      await p.waitForSelector('#login-form', { state: 'visible' });
      await submitLogin(p, 'sysadmin', PW.sysadmin);
      const first = await readSecret(p);
      assert(first !== secrets.sysadmin, 'a new secret');
      // a reload keeps the restricted session on the enrolment view
      await p.reload();
      await p.waitForSelector('#totp-view:not([hidden]) #totp-secret');
      assert(await p.locator('#layout').isHidden(), 'still no layout');
      await enrol(p, 'sysadmin');
    },
  },
  {
    name: 'the new 动态口令 logs the sysadmin in',
    async run(t) {
      try {
        const p = await page(t);
        await loginWithCode(p, 'sysadmin');
        await p.click('.who');
        await p.click('.dropdown a:has-text("个人信息")');
        await p.locator('#content .desc', { hasText: '已绑定' }).waitFor();
      } finally {
        if (srv) {
          const gone = srv.exited();
          await srv.stop();
          srv.cleanup();
          srv = null;
          assert(!gone, `the TOTP server exited: ${JSON.stringify(gone)}`);
        }
      }
    },
  },
];

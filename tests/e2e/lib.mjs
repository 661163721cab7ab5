// lib.mjs: helpers for the browser tests: a real `gonggai serve` on a free
// loopback port over a fresh database, Debian's Chromium through
// playwright-core, console-error capture, login and screenshots.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const SHOTS = path.join(ROOT, 'tests/e2e/screenshots');
export const DOC_SHOTS = path.join(ROOT, 'docs/screenshots');

export function binary() {
  const b = process.env.GG_BIN || path.join(ROOT, 'gonggai');
  if (!fs.existsSync(b)) throw new Error(`gonggai binary not found: ${b} (set GG_BIN)`);
  return b;
}

// A fresh database (gonggai init --json prints the one-time passwords) and a
// server on 127.0.0.1:0; resolves when it prints "listening on http://...".
// With demo: N, the database is `gonggai demo --projects N` instead (its
// accounts demo_* share the password DEMO_PASSWORD, already changed).
export const DEMO_PASSWORD = 'Demo-Passw0rd!';
// Without a config the administrators log in with passwords alone
// ([security] admin_totp = off); 15-totp.mjs tests the TOTP factor.
export async function startServer({ config = '[security]\nadmin_totp = off\n', demo } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gg-e2e-'));
  const db = path.join(dir, 'e2e.db');
  let accounts = {};
  if (demo) {
    execFileSync(binary(), ['demo', '--db', db, '--projects', String(demo), '--seed', '8', '--password', DEMO_PASSWORD],
      { encoding: 'utf8', env: { ...process.env, ASAN_OPTIONS: process.env.ASAN_OPTIONS || 'detect_leaks=0' } });
    // the demo writes history in bulk, around the statistics observers: rebuild them
    execFileSync(binary(), ['stats', 'rebuild', '--db', db], { encoding: 'utf8',
      env: { ...process.env, ASAN_OPTIONS: process.env.ASAN_OPTIONS || 'detect_leaks=0' } });
  } else {
    const out = execFileSync(binary(), ['init', '--db', db, '--json'], { encoding: 'utf8' });
    accounts = Object.fromEntries(JSON.parse(out).accounts.map((a) => [a.username, a.password]));
  }
  const args = ['serve', '--db', db, '--listen', '127.0.0.1:0', '--web', path.join(ROOT, 'web')];
  if (config) {
    fs.writeFileSync(path.join(dir, 'gonggai.ini'), config);
    args.push('--config', path.join(dir, 'gonggai.ini'));
  }
  const env = { ...process.env, ASAN_OPTIONS: process.env.ASAN_OPTIONS || 'detect_leaks=0' };
  const proc = spawn(binary(), args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stderr.on('data', (d) => { log += d; });
  const url = await new Promise((resolve, reject) => {
    let buf = '';
    const t = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 20000);
    proc.stdout.on('data', (d) => {
      buf += d;
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(buf);
      if (m) { clearTimeout(t); resolve(m[1]); }
    });
    proc.on('exit', (code) => { clearTimeout(t); reject(new Error(`server exited ${code}:\n${log}`)); });
  });
  let exited = null;
  proc.on('exit', (code, sig) => { exited = { code, sig }; });
  return {
    url, db, dir, accounts, proc,
    log: () => log,
    exited: () => exited,
    async stop() {
      if (exited) return;
      proc.kill('SIGTERM');
      await new Promise((r) => { const t = setTimeout(() => { proc.kill('SIGKILL'); r(); }, 8000); proc.on('exit', () => { clearTimeout(t); r(); }); });
    },
    cleanup() { fs.rmSync(dir, { recursive: true, force: true }); },
  };
}

export async function launch() {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gg-e2e-chromium-'));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-sync', '--disable-quic', '--lang=zh-CN', `--disk-cache-dir=${userDataDir}/cache`],
  });
  return { browser, userDataDir, async close() { await browser.close(); fs.rmSync(userDataDir, { recursive: true, force: true }); } };
}

// One browser context per user (its own cookie jar), 1366x768, zh-CN,
// Asia/Shanghai. Console errors and page errors are collected; a 4xx from
// /api/ is the API answering the application (wrong password, 功能建设中),
// which Chromium logs as "Failed to load resource": that alone is allowed.
export async function newPage(browser, base) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai', acceptDownloads: true, baseURL: base });
  const page = await context.newPage();
  page.errors = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const loc = msg.location() || {};
    const text = msg.text();
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(text) && /\/api\//.test(loc.url || ''))
      return;
    page.errors.push(`console.error: ${text} (${loc.url || ''}:${loc.lineNumber ?? ''})`);
  });
  page.on('pageerror', (err) => page.errors.push(`page error: ${err.message}`));
  page.on('response', (res) => {
    if (res.status() >= 500) page.errors.push(`HTTP ${res.status()} ${res.request().method()} ${res.url()}`);
  });
  return page;
}

export function expectNoErrors(page) {
  if (page.errors.length) {
    const e = page.errors.splice(0);
    throw new Error(`browser errors:\n  ${e.join('\n  ')}`);
  }
}

export async function shot(page, name, { doc } = {}) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  if (doc && process.env.E2E_DOC_SHOTS === '1') {
    fs.mkdirSync(DOC_SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(DOC_SHOTS, `${doc}.png`) });
  }
}

export function assert(cond, msg) {
  if (!cond) throw new Error(`assertion failed: ${msg}`);
}

export async function text(locator) {
  return (await locator.innerText()).trim();
}

// Fill the login form and submit; does not wait for the outcome.
export async function submitLogin(page, username, password) {
  await page.fill('#login-username', username);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
}

// Log in an account whose password is known-good; lands in the layout.
export async function login(page, username, password) {
  await page.goto('/');
  await page.waitForSelector('#login-form', { state: 'visible' });
  await submitLogin(page, username, password);
  await page.waitForSelector('#layout:not([hidden]) #current-user');
}

// First login of an account with a one-time password: the forced change.
export async function firstLogin(page, username, initial, next) {
  await page.goto('/');
  await submitLogin(page, username, initial);
  await page.waitForSelector('#password-view:not([hidden]) form');
  await page.fill('#password-view #f-old_password', initial);
  await page.fill('#password-view #f-new_password', next);
  await page.fill('#password-view #f-confirm_password', next);
  await page.click('#password-view button[type=submit]');
  await page.waitForSelector('#layout:not([hidden]) #current-user');
}

export async function logout(page) {
  await page.click('#logout-btn');
  await page.waitForSelector('#login-view:not([hidden])');
}

// Call the API from node with a session of its own (setup data quickly).
export async function apiSession(base, username, password) {
  const res = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }) });
  const cookie = (res.headers.get('set-cookie') || '').split(';')[0];
  const body = await res.json();
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(body)}`);
  const call = async (method, p, data) => {
    const r = await fetch(`${base}${p}`, { method, headers: { Cookie: cookie, ...(data !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: data !== undefined ? JSON.stringify(data) : undefined });
    const ct = r.headers.get('content-type') || '';
    const b = ct.includes('json') ? await r.json() : await r.text();
    if (!r.ok) { const e = new Error(`${method} ${p}: ${r.status} ${JSON.stringify(b)}`); e.status = r.status; e.body = b; throw e; }
    return b;
  };
  return { cookie, body, get: (p) => call('GET', p), post: (p, d) => call('POST', p, d ?? {}), patch: (p, d) => call('PATCH', p, d), put: (p, d) => call('PUT', p, d), del: (p) => call('DELETE', p) };
}

// An account made through the API by the secadmin, its first password
// already changed; the password goes into state.passwords.
export async function makeUser(t, username, roles, department, extra = {}) {
  const admin = await apiSession(t.base, 'secadmin', t.state.passwords.secadmin);
  const initial = 'Init-Pass-2026!';
  await admin.post('/api/users', { username, password: initial, roles, ...(department ? { department } : {}), ...extra });
  const me = await apiSession(t.base, username, initial);
  const pw = 'Daily-Work-2026!';
  await me.post('/api/me/password', { old_password: initial, new_password: pw });
  t.state.passwords[username] = pw;
  return pw;
}

/*
** totp.js: enrolment of the one-time-code app (动态口令, TOTP, RFC 6238).
** 等保 2.0 level 3 asks administrators for two factors: an account holding
** sysadmin, secadmin or auditor without an enrolment gets a restricted
** session (every other route answers 403 field "otp") and this view alone,
** in place of the layout, like the forced password change.
** POST /api/me/totp/secret gives a new secret, its otpauth:// URI and a QR
** code the server drew as SVG (a new call replaces the pending secret); the
** user scans it or types the secret, and confirms with a first code through
** POST /api/me/totp {"code"} (400 field "code" when wrong).
*/
import { post } from '../js/api.js';
import { h, clear, toast, errorNotice } from '../js/ui.js';
import { buildForm, onSubmit } from '../js/form.js';

const FIELDS = [
  { name: 'code', label: '动态口令', required: true, placeholder: '请输入应用显示的 6 位数字',
    inputmode: 'numeric', maxlength: 6, autocomplete: 'one-time-code' },
];

/* "JBSWY3DPEHPK3PXP" -> "JBSW Y3DP EHPK 3PXP", for typing it by hand. */
export function groupSecret(secret) {
  return (String(secret || '').match(/.{1,4}/g) || []).join(' ');
}

/* The server's QR code: parsed as SVG (never as HTML) and adopted into the page. */
function qrImage(svgText) {
  const doc = new DOMParser().parseFromString(svgText || '', 'image/svg+xml');
  const svg = doc.documentElement;
  if (!svg || svg.localName !== 'svg' || doc.getElementsByTagName('parsererror').length)
    return h('div.muted', '二维码无法显示，请手动输入密钥');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', '动态口令二维码');
  return document.importNode(svg, true);
}

function codeForm(onSuccess) {
  const form = buildForm(FIELDS);
  const submit = h('button.btn.btn-primary.btn-block', { type: 'submit' }, '确认绑定');
  form.append(submit);
  onSubmit(form, submit, async (v) => {
    const code = v.code.replace(/\s/g, '');
    if (!/^\d{6}$/.test(code)) throw { field: 'code', message: '动态口令为 6 位数字' };
    await post('/api/me/totp', { code });
    onSuccess();
  });
  return form;
}

function steps() {
  return h('ol.totp-steps',
    h('li', '在手机上安装动态口令应用（如 Microsoft Authenticator、Google Authenticator、FreeOTP）；'),
    h('li', '用应用扫描下方二维码，或选择“手动输入”并填写密钥（基于时间）；'),
    h('li', '输入应用显示的 6 位数字，完成绑定。'));
}

/* The forced enrolment: a box on its own, with a new secret and a way out. */
export function renderEnrol(el, { user, onDone, onLogout }) {
  const who = user ? (user.display_name || user.username) : '';
  const body = h('div#totp-enrol');
  const done = () => { toast('动态口令已绑定', 'success'); onDone(); };

  async function load() {
    clear(body).append(h('div.notice', '正在生成密钥…'));
    let s;
    try {
      s = await post('/api/me/totp/secret', {});
    } catch (err) {
      clear(body).append(errorNotice(err));
      /* 409: enrolled meanwhile (another window) */
      if (err.status === 409) body.append(h('button.btn.btn-primary.btn-block', { type: 'button', on: { click: onDone } }, '进入系统'));
      return;
    }
    clear(body).append(steps(),
      h('div.totp-qr', qrImage(s.qr_svg)),
      h('p.totp-secret', '无法扫码时手动输入密钥', h('code#totp-secret.mono', groupSecret(s.secret))),
      codeForm(done));
    body.querySelector('#f-code').focus();
  }

  clear(el).append(h('div.login-box.pw-box',
    h('h1.login-title', '绑定动态口令'),
    h('p.login-sub', `${who ? who + '，' : ''}按照等级保护（等保 2.0）要求，管理员账号须以“密码 + 动态口令”两种方式认证身份。` +
      '绑定后，每次登录除密码外还需输入手机应用显示的动态口令。'),
    body,
    h('p.login-foot',
      h('a#totp-renew', { on: { click: () => load() } }, '重新生成密钥'), '　',
      h('a', { on: { click: onLogout } }, '退出登录'))));
  load();
}

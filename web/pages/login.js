/*
** login.js: the login form. Its markup is in index.html so it shows even
** when no other script loads; this module only handles submission and the
** messages: 401 (wrong user, password or one-time code), 423 (locked, with
** the minutes the server gives), and notes from the shell (logged out, idle
** timeout). The one-time code (动态口令, TOTP) is sent only when filled:
** administrators need it once enrolled, other accounts leave it empty.
*/
import { post } from '../js/api.js';

const $ = (id) => document.getElementById(id);

function message(text, kind) {
  const m = $('login-msg');
  m.textContent = text || '';
  m.hidden = !text;
  m.className = `login-msg${kind === 'info' ? ' info' : ''}`;
}

export function showLogin(text, kind) {
  message(text, kind);
  $('login-password').value = '';
  $('f-otp').value = '';
  $('login-submit').disabled = false;
  ($('login-username').value ? $('login-password') : $('login-username')).focus();
}

export function initLogin({ onLoggedIn }) {
  const form = $('login-form');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const username = $('login-username').value.trim();
    const password = $('login-password').value;
    const otp = $('f-otp').value.replace(/\s/g, '');
    if (!username) { message('请输入用户名'); $('login-username').focus(); return; }
    if (!password) { message('请输入密码'); $('login-password').focus(); return; }
    if (otp && !/^\d{6}$/.test(otp)) { message('动态口令为 6 位数字'); $('f-otp').focus(); return; }
    const btn = $('login-submit');
    btn.disabled = true;
    btn.textContent = '登录中…';
    try {
      const res = await post('/api/session', { username, password, ...(otp ? { otp } : {}) }, { quiet401: true });
      message('');
      $('login-password').value = '';
      $('f-otp').value = '';
      await onLoggedIn(res);
    } catch (err) {
      if (err.status === 423) message(err.message || '账号已锁定，请稍后再试');
      else if (err.status === 401) message(err.message || '用户名或密码错误');
      else message(err.message || '登录失败');
      $('login-password').value = '';
      $('f-otp').value = '';
      $('login-password').focus();
    } finally {
      btn.disabled = false;
      btn.textContent = '登 录';
    }
  });
}

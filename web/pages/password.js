/*
** password.js: change one's own password. Forced after the first login or a
** reset (must_change: only this form is shown, in place of the layout), or
** chosen from the user menu. POST /api/me/password takes exactly
** {"old_password","new_password"}; the confirmation is checked here and never
** sent. The server's policy messages appear under the field they name.
*/
import { post } from '../js/api.js';
import { h, clear, toast } from '../js/ui.js';
import { buildForm, onSubmit } from '../js/form.js';

const FIELDS = [
  { name: 'old_password', label: '当前密码', type: 'password', required: true, placeholder: '请输入当前密码（初始密码）' },
  { name: 'new_password', label: '新密码', type: 'password', required: true, placeholder: '请输入新密码',
    hint: '至少 8 位，包含大写字母、小写字母、数字、符号中的至少三类；不能与用户名或最近使用过的密码相同。' },
  { name: 'confirm_password', label: '确认新密码', type: 'password', required: true, placeholder: '请再次输入新密码' },
];

function passwordForm(onSuccess) {
  const form = buildForm(FIELDS);
  const submit = h('button.btn.btn-primary.btn-block', { type: 'submit' }, '确认修改');
  form.append(submit);
  onSubmit(form, submit, async (v) => {
    if (v.new_password !== v.confirm_password) throw { field: 'confirm_password', message: '两次输入的新密码不一致' };
    if (v.new_password === v.old_password) throw { field: 'new_password', message: '新密码不能与当前密码相同' };
    await post('/api/me/password', { old_password: v.old_password, new_password: v.new_password });
    form.reset();
    onSuccess();
  });
  return form;
}

/* The forced change: a box on its own, with a way out (logout). */
export function renderForced(el, { user, onDone, onLogout }) {
  const who = user ? (user.display_name || user.username) : '';
  clear(el).append(h('div.login-box.pw-box',
    h('h1.login-title', '首次登录请修改密码'),
    h('p.login-sub', `${who ? who + '，' : ''}为保障账号安全，初始密码或重置后的密码必须修改后才能使用系统。`),
    passwordForm(() => { toast('密码已修改', 'success'); onDone(); }),
    h('p.login-foot', h('a', { on: { click: onLogout } }, '退出登录'))));
  el.querySelector('input').focus();
}

/* The voluntary change, inside the layout. */
export function render(ctx) {
  ctx.el.append(h('div.card', { style: { maxWidth: '520px' } },
    h('div.card-title', '修改密码'),
    passwordForm(() => { toast('密码已修改', 'success'); ctx.navigate('/home'); })));
}

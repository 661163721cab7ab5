/*
** profile.js: the account's own details (GET /api/me), with the state of
** its one-time-code app (动态口令).
*/
import { get } from '../js/api.js';
import { h, fmtTime, roleTags } from '../js/ui.js';

function totpState(t) {
  if (!t) return '-';
  if (t.enrolled) return h('span.tag.green', '已绑定');
  return [h('span.tag.gray', '未绑定'), t.required ? h('span.muted', '（管理员账号须绑定）') : null];
}

export async function render(ctx) {
  const u = await get('/api/me');
  ctx.el.append(h('div.card', { style: { maxWidth: '820px' } },
    h('div.card-title', '个人信息', h('span.extra', h('a', { href: '#/password' }, '修改密码'))),
    h('div.desc',
      h('div.k', '用户名'), h('div', u.username), h('div.k', '姓名'), h('div', u.display_name || '-'),
      h('div.k', '部门'), h('div', u.department || '-'), h('div.k', '行政区划'), h('div', u.district || '-'),
      h('div.k', '电话'), h('div', u.phone || '-'), h('div.k', '密码修改时间'), h('div', fmtTime(u.password_changed_at) || '-'),
      h('div.k', '角色'), h('div.wide', roleTags(u.roles)),
      h('div.k', '动态口令'), h('div.wide', totpState(u.totp)),
      h('div.k', '自动退出'), h('div.wide', `${u.idle_minutes} 分钟未操作自动退出登录`))));
}

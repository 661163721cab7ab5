/*
** roles.js: 角色管理. Roles are fixed in the server (rbac.h); this page shows
** them with their data scope and how many accounts hold each, and links to
** the user list filtered by role. Granting is done per user (secadmin).
*/
import { get, names } from '../js/api.js';
import { h } from '../js/ui.js';
import { listPage } from '../js/table.js';

const SCOPES = names('org.role_scope');
const ADMINS = ['sysadmin', 'secadmin', 'auditor'];

export async function render(ctx) {
  ctx.el.append(h('div.card',
    h('div.alert.alert-info', '角色由系统内置。系统管理员、安全管理员、审计管理员（三员）互斥，且不能兼任业务角色，只能在服务器命令行授予；业务角色由安全管理员在“用户管理”中分配。'),
    h('div#role-list')));
  listPage(ctx.el.querySelector('#role-list'), {
    exportName: '角色列表',
    columns: [
      { key: 'code', title: '角色编码' },
      { key: 'name', title: '角色名称' },
      { key: 'kind', title: '类别', text: (r) => (ADMINS.includes(r.code) ? '三员' : '业务') },
      { key: 'scope', title: '数据范围', text: (r) => SCOPES[r.scope] || r.scope || '' },
      { key: 'description', title: '说明' },
      { key: 'users', title: '用户数', render: (r) => h('a', { href: `#/system/users?role=${r.code}` }, String(r.users ?? '-')), text: (r) => String(r.users ?? '') },
    ],
    load: async () => {
      const res = await get('/api/roles');
      await Promise.all((res.items || []).map(async (r) => {
        try { r.users = (await get(`/api/users?role=${r.code}&page_size=1`)).total; } catch (_) { r.users = null; }
      }));
      return res;
    },
  });
}

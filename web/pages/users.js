/*
** users.js: 用户管理. Who may do what follows the API (org/org.c):
** sysadmin and secadmin list, create, edit and enable/disable business
** accounts; the sysadmin creates them without roles; only the secadmin
** grants and revokes business roles, resets passwords and resets a
** one-time-code app (动态口令: bound again at next login). 三员分立: an
** administrator's account (password, 动态口令, state, roles) changes on the
** server's command line only, so its row offers no operation here.
*/
import { get, post, patch, del } from '../js/api.js';
import { h, toast, dialog, confirmBox, fmtTime, roleTags, ROLE_NAMES, BUSINESS_ROLES } from '../js/ui.js';
import { formDialog } from '../js/form.js';
import { listPage } from '../js/table.js';
import { maps, departmentOptions, districtOptions, roles as roleList } from '../js/org.js';

/* A random initial password that meets the default policy (4 classes, 12 chars). */
export function randomPassword() {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnpqrstuvwxyz', '23456789', '!@#%+=?-'];
  const rnd = new Uint32Array(12);
  crypto.getRandomValues(rnd);
  const chars = [...rnd].map((n, i) => { const s = sets[i < 4 ? i : n % 4]; return s[n % s.length]; });
  for (let i = chars.length - 1; i > 0; i--) { const j = rnd[i] % (i + 1); [chars[i], chars[j]] = [chars[j], chars[i]]; }
  return chars.join('');
}

const businessRoleOptions = BUSINESS_ROLES.map((r) => ({ value: r, label: ROLE_NAMES[r] || r }));

function totpTag(u) {
  return u.totp_enrolled ? h('span.tag.green', '已绑定') : h('span.tag.gray', '未绑定');
}

function statusTags(u) {
  const tags = [u.active ? h('span.tag.green', '正常') : h('span.tag.gray', '停用')];
  if (u.locked_until && u.locked_until * 1000 > Date.now()) tags.push(h('span.tag.red', '锁定'));
  if (u.must_change) tags.push(h('span.tag.yellow', '待改密'));
  return tags;
}

export async function render(ctx) {
  const isSec = ctx.hasRole('secadmin');
  const names = await maps();
  ctx.el.append(h('div.card', h('div#users-list')));
  const list = listPage(ctx.el.querySelector('#users-list'), {
    exportName: '用户列表', exportSrc: '/api/users',
    initial: { department: ctx.query.get('department') || '', role: ctx.query.get('role') || '' },
    filters: [
      { name: 'department', label: '部门', type: 'select', options: departmentOptions },
      { name: 'role', label: '角色', type: 'select', options: async () => (await roleList()).map((r) => ({ value: r.code, label: r.name })) },
    ],
    toolbar: [{ label: '＋ 新增用户', kind: 'primary', onClick: () => createUser() }],
    columns: [
      { key: 'username', title: '用户名' },
      { key: 'display_name', title: '姓名' },
      { key: 'department', title: '部门', text: (u) => names.dept[u.department] || u.department || '' },
      { key: 'district', title: '行政区划', text: (u) => names.dist[u.district] || u.district || '' },
      { key: 'phone', title: '电话' },
      { key: 'roles', title: '角色', render: (u) => roleTags(u.roles), text: (u) => (u.roles || []).map((r) => ROLE_NAMES[r] || r).join('、') },
      { key: 'active', title: '状态', render: statusTags, text: (u) => (u.active ? '正常' : '停用') },
      { key: 'totp_enrolled', title: '动态口令', render: totpTag, text: (u) => (u.totp_enrolled ? '已绑定' : '未绑定') },
      { key: 'created_at', title: '创建时间', text: (u) => fmtTime(u.created_at), exportType: 'time' },
      { title: '操作', cls: 'ops', export: false, render: (u) => ops(u) },
    ],
    load: (p) => get(`/api/users?${new URLSearchParams(p)}`),
  });

  function ops(u) {
    const self = u.id === ctx.me.id;
    if ((u.roles || []).some((r) => !BUSINESS_ROLES.includes(r) && ['sysadmin', 'secadmin', 'auditor'].includes(r)))
      return [h('span.muted', { title: '三员分立：管理员账号只能在服务器命令行（gonggai user）修改' }, '命令行管理')];
    const links = [h('button.btn-link', { type: 'button', dataset: { op: 'edit', user: u.username }, on: { click: () => editUser(u) } }, '编辑')];
    if (!self)
      links.push(u.active
        ? h('button.btn-link.danger', { type: 'button', dataset: { op: 'disable', user: u.username }, on: { click: () => setActive(u, false) } }, '停用')
        : h('button.btn-link', { type: 'button', dataset: { op: 'enable', user: u.username }, on: { click: () => setActive(u, true) } }, '启用'));
    if (isSec && !self) {
      links.push(h('button.btn-link', { type: 'button', dataset: { op: 'roles', user: u.username }, on: { click: () => editRoles(u) } }, '分配角色'));
      links.push(h('button.btn-link', { type: 'button', dataset: { op: 'reset', user: u.username }, on: { click: () => resetPassword(u) } }, '重置密码'));
      if (u.locked_until && u.locked_until * 1000 > Date.now())
        links.push(h('button.btn-link', { type: 'button', dataset: { op: 'unlock', user: u.username }, on: { click: () => unlock(u) } }, '解锁'));
      if (u.totp_enrolled)
        links.push(h('button.btn-link', { type: 'button', dataset: { op: 'totp', user: u.username }, on: { click: () => resetTotp(u) } }, '重置动态口令'));
    }
    return links;
  }

  async function createUser() {
    const initial = randomPassword();
    const r = await formDialog({
      title: '新增用户', grid: true, wide: true,
      intro: h('div.alert.alert-info', isSec ? '新用户首次登录时必须修改初始密码。管理员角色（三员）只能在服务器命令行授予。'
        : '新用户首次登录时必须修改初始密码。三员分立：业务角色由安全管理员授予。'),
      values: { password: initial },
      fields: [
        { name: 'username', label: '用户名', required: true, placeholder: '小写字母、数字和 . _ -', hint: '3-32 位，登录时使用' },
        { name: 'display_name', label: '姓名', placeholder: '真实姓名' },
        { name: 'password', label: '初始密码', required: true, hint: '已随机生成，可修改；请通过安全渠道告知本人' },
        { name: 'phone', label: '电话', placeholder: '手机或座机' },
        { name: 'department', label: '部门', type: 'select', options: departmentOptions },
        { name: 'district', label: '行政区划', type: 'select', options: () => districtOptions(2) },
        ...(isSec ? [{ name: 'roles', label: '角色', type: 'checks', options: businessRoleOptions, span2: true }] : []),
      ],
      submit: (v) => post('/api/users', v),
    });
    if (r) {
      toast(`用户 ${r.username} 已创建`, 'success');
      list.reload(true);
    }
  }

  async function editUser(u) {
    const full = await get(`/api/users/${u.id}`);
    const r = await formDialog({
      title: `编辑用户：${u.username}`, grid: true, wide: true,
      values: full,
      fields: [
        { name: 'display_name', label: '姓名', keepEmpty: true },
        { name: 'phone', label: '电话', keepEmpty: true },
        { name: 'department', label: '部门', type: 'select', options: departmentOptions, keepEmpty: true },
        { name: 'district', label: '行政区划', type: 'select', options: () => districtOptions(2), keepEmpty: true },
      ],
      submit: (v) => patch(`/api/users/${u.id}`, v),
    });
    if (r) { toast('已保存', 'success'); list.reload(true); }
  }

  async function setActive(u, active) {
    const ok = await confirmBox(active ? `确定启用用户“${u.username}”吗？` : `确定停用用户“${u.username}”吗？停用后该用户立即退出且不能登录。`,
      { kind: active ? 'primary' : 'danger', ok: active ? '启用' : '停用' });
    if (!ok) return;
    try {
      await patch(`/api/users/${u.id}`, { active });
      toast(active ? '已启用' : '已停用', 'success');
      list.reload(true);
    } catch (err) { toast(err.message, 'error'); }
  }

  async function editRoles(u) {
    const current = new Set(u.roles || []);
    const admin = (u.roles || []).filter((r) => !BUSINESS_ROLES.includes(r));
    const r = await formDialog({
      title: `分配角色：${u.username}`,
      intro: admin.length ? h('div.alert.alert-warning', `该账号是${admin.map((x) => ROLE_NAMES[x]).join('、')}，管理员角色只能在服务器命令行调整。`) : null,
      values: { roles: [...current] },
      fields: [{ name: 'roles', label: '业务角色', type: 'checks', options: businessRoleOptions }],
      submit: async (v) => {
        const want = new Set(v.roles || []);
        for (const role of BUSINESS_ROLES) {
          if (want.has(role) && !current.has(role)) { await post(`/api/users/${u.id}/roles`, { role }); current.add(role); }
          if (!want.has(role) && current.has(role)) { await del(`/api/users/${u.id}/roles/${role}`); current.delete(role); }
        }
        return true;
      },
    });
    if (r) toast('角色已更新，该用户需重新登录', 'success');
    list.reload(true);
  }

  async function unlock(u) {
    if (!(await confirmBox(`解锁账号“${u.username}”？密码不变，失败次数清零（记入审计日志）。`))) return;
    try {
      await post(`/api/users/${u.id}/unlock`, {});
      toast('已解锁', 'success');
      list.reload(true);
    } catch (err) { toast(err.message, 'error'); }
  }

  async function resetTotp(u) {
    const ok = await confirmBox(`确定重置用户“${u.username}”的动态口令吗？该用户将立即退出，下次登录时须重新绑定动态口令（例如手机丢失或更换）。`,
      { kind: 'danger', ok: '重置' });
    if (!ok) return;
    try {
      await del(`/api/users/${u.id}/totp`);
      toast('动态口令已重置', 'success');
      list.reload(true);
    } catch (err) { toast(err.message, 'error'); }
  }

  async function resetPassword(u) {
    const ok = await confirmBox(`确定重置用户“${u.username}”的密码吗？系统将生成随机密码，该用户下次登录时必须修改。`, { kind: 'danger', ok: '重置' });
    if (!ok) return;
    try {
      const r = await post(`/api/users/${u.id}/password`, {});
      dialog({
        title: '密码已重置',
        body: [h('p', `用户 ${u.username} 的新密码（仅显示一次，请通过安全渠道告知本人）：`),
          h('p', h('code#reset-password.mono', { style: { fontSize: '18px' } }, r.password))],
        buttons: [{ label: '我已记下', kind: 'primary' }],
      });
      list.reload(true);
    } catch (err) { toast(err.message, 'error'); }
  }
}

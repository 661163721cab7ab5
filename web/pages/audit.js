/*
** audit.js: 审计日志, for the auditor alone (三员分立). Filters by account,
** action (exact; suggestions for the common ones) and Asia/Shanghai dates;
** the server's audit log is append-only and hash-chained, and reading it is
** itself audited.
*/
import { get } from '../js/api.js';
import { h, fmtTime, dialog } from '../js/ui.js';
import { listPage } from '../js/table.js';

const ACTIONS = {
  'session.login': '登录', 'session.logout': '退出登录', 'user.create': '新增用户', 'user.update': '修改用户',
  'user.enable': '启用用户', 'user.disable': '停用用户', 'user.grant': '授予角色', 'user.revoke': '撤销角色',
  'user.password.change': '修改密码', 'user.password.reset': '重置密码', 'audit.read': '查看审计日志',
  'district.create': '新增区划', 'district.update': '修改区划', 'department.create': '新增部门',
  'department.update': '修改部门', 'system.init': '系统初始化', 'calendar.import': '导入工作日历',
  'catalog.import': '导入事项目录', 'catalog.flow.version': '流程新版本', 'catalog.item.version': '事项新版本',
};
const OUTCOMES = { success: '成功', failure: '失败', denied: '拒绝' };

function details(s) {
  if (!s) return '';
  try { return JSON.stringify(typeof s === 'string' ? JSON.parse(s) : s); } catch (_) { return String(s); }
}

export async function render(ctx) {
  ctx.el.append(h('div.card', h('div#audit-list')));
  const pre = Object.fromEntries(['user', 'action', 'from', 'to'].map((k) => [k, ctx.query.get(k) || '']));
  listPage(ctx.el.querySelector('#audit-list'), {
    exportName: '审计日志',
    initial: pre,
    filters: [
      { name: 'user', label: '用户', placeholder: '用户名' },
      { name: 'action', label: '操作', placeholder: '如 session.login', suggest: Object.entries(ACTIONS).map(([value, label]) => ({ value, label })) },
      { name: 'from', label: '开始日期', type: 'date' },
      { name: 'to', label: '结束日期', type: 'date' },
    ],
    columns: [
      { key: 'id', title: '序号', width: '70px' },
      { key: 'at', title: '时间', text: (r) => fmtTime(r.at), cls: 'nowrap' },
      { key: 'username', title: '用户' },
      { key: 'source', title: '来源地址' },
      { key: 'action', title: '操作', render: (r) => [h('span', ACTIONS[r.action] || r.action), ' ', h('span.muted.mono', r.action)], text: (r) => r.action },
      { key: 'object', title: '对象' },
      { key: 'outcome', title: '结果', render: (r) => h(`span.tag.${r.outcome === 'success' ? 'green' : 'red'}`, OUTCOMES[r.outcome] || r.outcome), text: (r) => r.outcome },
      { key: 'details', title: '详情', text: (r) => details(r.details), render: (r) => {
        const d = details(r.details);
        if (d.length <= 40) return h('span.mono', d);
        return h('a.mono', { on: { click: () => dialog({ title: `审计记录 #${r.id}`, wide: true, body: h('pre.code', JSON.stringify(r, null, 2)), buttons: [{ label: '关闭' }] }) } }, `${d.slice(0, 40)}…`);
      } },
    ],
    load: (p) => get(`/api/audit?${new URLSearchParams(p)}`),
  });
}

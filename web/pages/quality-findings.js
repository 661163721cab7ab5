/*
** quality-findings.js: 质检问题清单 — the findings of GET /api/quality/findings
** within the reader's scope, filtered by status, rule, department, district
** and object; each object one click away (the 办件 or project list filtered
** to it, the catalogue item); a finding's detail with its fix hint, basis
** and history, and 核销 (dismissal with a reason) for leaders.
*/
import { get, post, dict } from '../js/api.js';
import { h, toast, dialog } from '../js/ui.js';
import { listPage } from '../js/table.js';
import { divisionOptions } from '../js/project-common.js';

const PROJECT_CODE = /^\d{4}-\d{6}-\d{2}-\d{2}-\d{6}$/;

/* Where the object of a finding is shown. */
function objectHref(f) {
  switch (f.object_kind) {
    case 'case': case 'status': return `#/cases?q=${encodeURIComponent(f.object)}`;
    case 'project': case 'unit': return `#/projects?q=${encodeURIComponent(f.object)}`;
    case 'item': return `#/catalog/items/${encodeURIComponent(f.object)}`;
    case 'stage': return '#/catalog';
    default: return PROJECT_CODE.test(f.object) ? `#/projects?q=${encodeURIComponent(f.object)}` : `#/cases?q=${encodeURIComponent(f.object)}`;
  }
}

const labelOf = (list, code) => (list.find((x) => x.code === code) || { label: code }).label;

export async function render(ctx) {
  const [statuses, severities, kinds, events, rules] = await Promise.all([
    dict('quality.status'), dict('quality.severity'), dict('quality.object'), dict('quality.event'),
    get('/api/quality/rules').then((r) => r.items).catch(() => []),
  ]);
  const initial = {};
  for (const k of ['status', 'rule', 'department', 'district', 'object']) {
    const v = ctx.query.get(k);
    if (v) initial[k] = v;
  }
  ctx.el.append(h('div.card', h('div#quality-findings')));
  const list = listPage(ctx.el.querySelector('#quality-findings'), {
    exportName: '质检问题清单', exportSrc: '/api/quality/findings',
    initial,
    filters: [
      { name: 'status', label: '状态', type: 'select', options: statuses.map((s) => ({ value: s.code, label: s.label })) },
      { name: 'rule', label: '规则', type: 'select', options: rules.map((r) => ({ value: r.id, label: r.name })) },
      { name: 'district', label: '区县', type: 'select', options: divisionOptions },
      { name: 'department', label: '部门', placeholder: '部门代码，如 610200-ZJJ' },
      { name: 'object', label: '对象', placeholder: '项目代码、办件编号或事项编码' },
    ],
    columns: [
      { key: 'id', title: '编号' },
      { key: 'severity', title: '级别', dict: 'quality.severity', render: (f) => h(`span.tag${f.severity === 'error' ? '.red' : '.yellow'}`, labelOf(severities, f.severity)), text: (f) => labelOf(severities, f.severity) },
      { key: 'rule', title: '规则', text: (f) => (rules.find((r) => r.id === f.rule) || { name: f.rule }).name },
      { key: 'object', title: '对象', cls: 'nowrap', render: (f) => h('a', { href: objectHref(f), title: labelOf(kinds, f.object_kind) }, f.object) },
      { key: 'department', title: '责任部门' }, { key: 'district', title: '区县' },
      { key: 'message', title: '问题' },
      { key: 'status', title: '状态', dict: 'quality.status', render: (f) => h(`span.tag${f.status === 'overdue' ? '.red' : f.status === 'fixed' ? '.green' : f.status === 'open' ? '.yellow' : '.gray'}`, labelOf(statuses, f.status)), text: (f) => labelOf(statuses, f.status) },
      { key: 'deadline', title: '整改期限', cls: 'nowrap' },
      { key: 'found_at', title: '发现时间', cls: 'nowrap', text: (f) => f.found_at.replace('T', ' ').slice(0, 16) },
      { title: '操作', export: false, render: (f) => h('button.btn-link', { type: 'button', on: { click: () => detail(f.id) } }, '详情') },
    ],
    load: (p) => get(`/api/quality/findings?${new URLSearchParams(p)}`),
  });

  async function detail(id) {
    let f;
    try { f = await get(`/api/quality/findings/${id}`); } catch (err) { toast(err.message, 'error'); return; }
    const reason = h('textarea.input#dismiss-reason', { rows: 2, placeholder: '核销理由（必填，将记入审计日志）' });
    const canDismiss = ctx.hasRole('leader') && (f.status === 'open' || f.status === 'overdue');
    dialog({
      title: `质检问题 #${f.id}`, wide: true,
      body: h('div',
        h('div.kv',
          h('div', h('div.k', '规则'), h('div.v', `${f.rule_name || f.rule}（${f.rule}）`)),
          h('div', h('div.k', '对象'), h('div.v', h('a', { href: objectHref(f) }, f.object))),
          h('div', h('div.k', '状态'), h('div.v', labelOf(statuses, f.status))),
          h('div', h('div.k', '整改期限'), h('div.v', f.deadline))),
        h('p', h('b', '问题：'), f.message),
        h('p', h('b', '整改要求：'), f.fix || ''),
        h('p.muted', h('b', '依据：'), f.basis || ''),
        f.dismissed_reason ? h('p', h('b', '核销理由：'), f.dismissed_reason) : null,
        h('table.table#finding-events', h('thead', h('tr', h('th', '时间'), h('th', '事件'), h('th', '质检运行'), h('th', '操作人'), h('th', '说明'))),
          h('tbody', (f.events || []).map((e) => h('tr', h('td', e.at.replace('T', ' ').slice(0, 19)), h('td', labelOf(events, e.event)),
            h('td', e.run_id ? `#${e.run_id}` : ''), h('td', e.username), h('td', e.note))))),
        canDismiss ? reason : null),
      buttons: [
        ctx.hasRole('ops') && (f.status === 'open' || f.status === 'overdue')
          ? { label: '发起修复', kind: 'primary', onClick: () => { location.hash = `#/repairs?finding=${f.id}`; } } : null,
        canDismiss ? { label: '核销', kind: 'danger', onClick: async () => {
          try {
            await post(`/api/quality/findings/${f.id}/dismiss`, { reason: reason.value.trim() });
            toast('已核销', 'success');
            list.reload(true);
          } catch (err) { toast(err.message, 'error'); return false; }
          return true;
        } } : null,
        { label: '关闭' },
      ].filter(Boolean),
    });
  }
}

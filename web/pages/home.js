/*
** home.js: 首页. Case handlers (clerk, reviewer, head, leader) get the
** 工作台: counters and their 待办 / 已办 lists with lights and due dates
** (GET /api/me/todo, /api/me/done). Administrators, O&M and catalogue staff
** get their account summary and shortcuts to their own pages. Heads,
** reviewers and leaders also see the 数据质检 findings of their scope
** (GET /api/quality/findings): the overdue ones as 督办.
*/
import { get } from '../js/api.js';
import { h, clear, fmtTime, roleTags, buildingNotice, errorNotice, ROLE_NAMES } from '../js/ui.js';
import { listPage } from '../js/table.js';
import { CASE_COLUMNS } from '../js/cases-common.js';

const SHORTCUTS = [
  { roles: ['clerk'], href: '#/projects/new', label: '新建项目' },
  { roles: ['clerk', 'reviewer', 'head', 'leader'], href: '#/cases', label: '办件查询' },
  { roles: ['head', 'leader'], href: '#/stats', label: '数据看板' },
  { roles: ['catalog', 'sysadmin'], href: '#/catalog', label: '事项管理' },
  { roles: ['ops'], href: '#/ops', label: '巡检状态' },
  { roles: ['ops'], href: '#/ops/backups', label: '备份与演练' },
  { roles: ['ops', 'leader'], href: '#/desk', label: '故障工单' },
  { roles: ['sysadmin', 'secadmin'], href: '#/system/users', label: '用户管理' },
  { roles: ['auditor'], href: '#/audit', label: '审计日志' },
];

function counter(label, value, kind, id) {
  return h(`div.stat-card.${kind}`, { id }, h('div.label', label), h('div.value', value ?? '-'));
}

export async function render(ctx) {
  const u = ctx.me;
  const links = SHORTCUTS.filter((s) => ctx.hasRole(...s.roles));
  const welcome = h('div.card',
    h('div.card-title', `欢迎，${u.display_name || u.username}`, h('span.extra.muted', (u.roles || []).map((r) => ROLE_NAMES[r] || r).join('、'))),
    h('div.kv',
      h('div', h('div.k', '账号'), h('div.v', u.username)),
      h('div', h('div.k', '上次修改密码'), h('div.v', { style: { fontSize: '14px', fontWeight: 'normal' } }, fmtTime(u.password_changed_at) || '-')),
      h('div', h('div.k', '角色'), h('div', roleTags(u.roles)))),
    links.length ? h('div', { style: { marginTop: '14px', display: 'flex', gap: '8px' } },
      links.map((l) => h('a.btn', { href: l.href }, l.label))) : null);

  if (ctx.hasRole('leader', 'head')) ctx.el.append(await overviewCard());
  if (ctx.hasRole('leader', 'head', 'reviewer')) ctx.el.append(await qualityCard());
  ctx.el.append(await deskCard(ctx));
  if (!ctx.hasRole('clerk', 'reviewer', 'head')) {
    ctx.el.append(welcome);
    return;
  }
  ctx.setTitle('工作台');
  const counters = h('div.grid.grid-4', { style: { marginBottom: '16px' } },
    counter('待办', '…', 'blue', 'cnt-todo'), counter('已办', '…', 'green', 'cnt-done'),
    counter('待办中预警', '…', 'yellow', 'cnt-yellow'), counter('待办中逾期', '…', 'red', 'cnt-red'));
  const tabs = h('div.tabs', h('a.active', { dataset: { tab: 'todo' } }, '我的待办'), h('a', { dataset: { tab: 'done' } }, '我的已办'));
  const body = h('div#workbench-list');
  ctx.el.append(counters, h('div.card', tabs, body));

  const set = (id, v) => { const el = counters.querySelector(`#${id} .value`); if (el) el.textContent = v ?? '-'; };
  let building = false;
  async function counts() {
    try {
      /* the server counts the whole 待办 by light (counts), not only the page */
      const [todo, done] = await Promise.all([get('/api/me/todo?page_size=1'), get('/api/me/done?page_size=1')]);
      set('cnt-todo', todo.total);
      set('cnt-done', done.total);
      set('cnt-yellow', todo.counts.yellow);
      set('cnt-red', todo.counts.red);
    } catch (err) {
      ['cnt-todo', 'cnt-done', 'cnt-yellow', 'cnt-red'].forEach((id) => set(id, '-'));
      if (err.code === 'not_built') building = true;
    }
  }
  function show(tab) {
    tabs.querySelectorAll('a').forEach((a) => a.classList.toggle('active', a.dataset.tab === tab));
    listPage(clear(body), {
      exportName: tab === 'todo' ? '我的待办' : '我的已办',
      columns: [...CASE_COLUMNS, { title: '操作', export: false, render: (c) => h('a', { href: `#/cases/${c.id}` }, tab === 'todo' ? '办理' : '查看') }],
      load: (p) => get(`/api/me/${tab}?${new URLSearchParams(p)}`),
    });
  }
  tabs.addEventListener('click', (ev) => { const t = ev.target.closest('a'); if (t) show(t.dataset.tab); });
  await counts();
  if (building) {
    clear(body).append(buildingNotice('待办、已办'));
    return;
  }
  show('todo');
  ctx.el.append(welcome);
}

/* 运维服务台: open tickets and their clocks for ops (and leaders), the
   account's own tickets for everyone else (GET /api/desk/badge). */
async function deskCard(ctx) {
  try {
    const b = await get('/api/desk/badge');
    const all = ctx.hasRole('ops', 'leader');
    if (!all && !b.mine) return h('div');
    return h('div.card#home-desk', h('div.card-title', '运维服务台',
      h('span.extra', h('a', { href: all ? '#/desk' : '#/desk/mine' }, all ? '查看工单' : '我的报障'))),
    h('div.grid.grid-4',
      counter(all ? '未关闭工单' : '我的未关闭工单', all ? b.open : b.mine, 'blue', 'desk-open'),
      counter('时限预警', b.warning, 'yellow', 'desk-warning'), counter('已超时', b.breached, 'red', 'desk-breached'),
      counter('我处理/报告的', b.mine, 'green', 'desk-mine')));
  } catch (err) {
    return h('div');
  }
}

/* Leaders and heads: the live counters of their scope (GET /api/stats/overview). */
async function overviewCard() {
  try {
    const o = await get('/api/stats/overview');
    return h('div.card#home-overview', h('div.card-title', `办件概况（${o.scope}）`, h('span.extra', h('a', { href: '#/stats' }, '查看数据看板'))),
      h('div.grid.grid-4',
        counter('在办', o.running, 'green', 'home-running'), counter('预警（黄灯）', o.yellow, 'yellow', 'home-yellow'),
        counter('逾期（红灯）', o.red, 'red', 'home-red'), counter('今日办结', o.today && o.today.concluded, 'blue', 'home-today')));
  } catch (err) {
    return h('div');
  }
}

/* 数据质检 of the reader's scope: open and overdue findings, the overdue ones listed as 督办. */
async function qualityCard() {
  try {
    const [open, overdue] = await Promise.all([get('/api/quality/findings?status=open&page_size=1'),
      get('/api/quality/findings?status=overdue&page_size=5')]);
    const rows = overdue.items || [];
    return h('div.card#home-quality', h('div.card-title', '数据质检督办', h('span.extra', h('a', { href: '#/quality/findings' }, '查看问题清单'))),
      h('div.grid.grid-4',
        counter('待整改', open.total, 'yellow', 'home-quality-open'), counter('逾期未整改（督办）', overdue.total, 'red', 'home-quality-overdue')),
      rows.length ? h('table.table#home-quality-list', { style: { marginTop: '12px' } },
        h('thead', h('tr', h('th', '督办'), h('th', '对象'), h('th', '问题'), h('th', '整改期限'))),
        h('tbody', rows.map((f) => h('tr', h('td', h('span.tag.red', '督办')),
          h('td', h('a', { href: `#/quality/findings?object=${encodeURIComponent(f.object)}` }, f.object)), h('td', f.message), h('td', f.deadline)))))
        : null);
  } catch (err) {
    return h('div');
  }
}

/*
** app.js: the single-page application's shell. It decides which of four
** views shows (login, forced password change, forced enrolment of the
** one-time-code app for administrators, the admin layout), builds the
** left menu from the account's roles, routes #/hash addresses to page
** modules under pages/ (loaded on demand, so the login needs nothing but
** this file, api.js, ui.js and session.js), keeps breadcrumbs, and runs the
** idle logout. Pages export render(ctx) and may return a cleanup function.
*/
import { get, del, dicts, onUnauthorized, onMustChange, onMustEnroll, ApiError } from './js/api.js';
import { h, clear, dialog, buildingNotice, ROLE_NAMES } from './js/ui.js';
import { me, hasRole, startIdle, stopIdle, touchIdle } from './js/session.js';
import { initLogin, showLogin } from './pages/login.js';

const BIZ = ['clerk', 'reviewer', 'head', 'leader'];

/* Menu and routes. group: the menu folder; parent: breadcrumb parent path. */
const MENU = [
  { path: '/home', title: '首页', icon: '⌂', page: () => import('./pages/home.js') },
  { group: '审批办件', icon: '▤', items: [
    { path: '/cases', title: '办件管理', roles: BIZ, page: () => import('./pages/cases.js') },
    { path: '/projects', title: '项目管理', roles: BIZ, page: () => import('./pages/projects.js') },
  ] },
  { group: '统计分析', icon: '▥', items: [
    { path: '/stats', title: '数据看板', roles: ['head', 'leader'], page: () => import('./pages/stats.js') },
    { path: '/stats/report', title: '统计报表', roles: ['head', 'leader'], page: () => import('./pages/report.js') },
  ] },
  { group: '数据质量', icon: '✓', items: [
    { path: '/quality', title: '质检概览', roles: ['head', 'reviewer', 'leader', 'ops'], page: () => import('./pages/quality.js') },
    { path: '/quality/findings', title: '问题清单', roles: ['head', 'reviewer', 'leader', 'ops'], page: () => import('./pages/quality-findings.js') },
    { path: '/repairs', title: '数据修复', roles: ['ops', 'repair_approve', 'leader'], page: () => import('./pages/repairs.js') },
    { path: '/quality/rules', title: '质检规则', roles: ['head', 'reviewer', 'leader', 'ops', 'catalog', 'sysadmin'], page: () => import('./pages/quality-rules.js') },
  ] },
  { path: '/catalog', title: '事项管理', icon: '☰', roles: ['catalog', 'sysadmin'], page: () => import('./pages/catalog.js') },
  { group: '运维中心', icon: '⚙', items: [
    { path: '/ops', title: '巡检状态', roles: ['ops'], page: () => import('./pages/ops.js') },
    { path: '/ops/reports', title: '巡检报告', roles: ['ops'], page: () => import('./pages/ops-reports.js') },
    { path: '/ops/backups', title: '备份与演练', roles: ['ops'], page: () => import('./pages/ops-backups.js') },
    { path: '/ops/cleanup', title: '日志清理', roles: ['ops'], page: () => import('./pages/ops-cleanup.js') },
    { path: '/ops/import', title: '数据导入', roles: ['ops'], page: () => import('./pages/import.js') },
    { path: '/ops/archive', title: '运维档案', roles: ['ops', 'leader', 'sysadmin'], page: () => import('./pages/archive.js') },
    { path: '/ops/om-reports', title: '运维报告', roles: ['ops', 'leader'], page: () => import('./pages/om-reports.js') },
    { path: '/ops/exchange', title: '数据上报', roles: ['ops'], page: () => import('./pages/ops-exchange.js') },
  ] },
  { group: '运维服务台', icon: '☎', items: [
    { path: '/desk', title: '故障工单', roles: ['ops', 'leader'], page: () => import('./pages/desk.js') },
    { path: '/desk/requests', title: '需求受理', roles: ['ops', 'leader'], page: () => import('./pages/desk-requests.js') },
    { path: '/desk/consults', title: '技术咨询', roles: ['ops', 'leader'], page: () => import('./pages/desk-consults.js') },
    { path: '/desk/trainings', title: '培训服务', roles: ['ops', 'leader'], page: () => import('./pages/desk-trainings.js') },
    { path: '/desk/drills', title: '应急演练', roles: ['ops', 'leader'], page: () => import('./pages/desk-drills.js') },
    { path: '/desk/visits', title: '定期回访', roles: ['ops', 'leader'], page: () => import('./pages/desk-visits.js') },
    { path: '/desk/reports', title: '服务台报告', roles: ['ops', 'leader'], page: () => import('./pages/desk-reports.js') },
    { path: '/desk/mine', title: '我的报障', page: () => import('./pages/desk-mine.js') },
    { path: '/desk/my-requests', title: '我的需求', page: () => import('./pages/desk-my-requests.js') },
    { path: '/help', title: '帮助中心', page: () => import('./pages/help.js') },
  ] },
  { group: '系统管理', icon: '⚒', items: [
    { path: '/system/users', title: '用户管理', roles: ['sysadmin', 'secadmin'], page: () => import('./pages/users.js') },
    { path: '/system/departments', title: '部门管理', roles: ['sysadmin', 'secadmin'], page: () => import('./pages/departments.js') },
    { path: '/system/districts', title: '行政区划', roles: ['sysadmin', 'secadmin'], page: () => import('./pages/districts.js') },
    { path: '/system/roles', title: '角色管理', roles: ['sysadmin', 'secadmin'], page: () => import('./pages/roles.js') },
    { path: '/system/calendar', title: '工作日历', roles: ['sysadmin', 'ops'], page: () => import('./pages/calendar.js') },
  ] },
  { path: '/audit', title: '审计日志', icon: '✎', roles: ['auditor'], page: () => import('./pages/audit.js') },
];

/* Pages reached from other pages, not from the menu. */
const HIDDEN = [
  { path: '/cases/:id', title: '办件详情', parent: '/cases', roles: BIZ, page: () => import('./pages/case-detail.js') },
  { path: '/projects/new', title: '新建项目', parent: '/projects', roles: ['clerk'], page: () => import('./pages/project-edit.js') },
  { path: '/projects/:id', title: '项目详情', parent: '/projects', roles: BIZ, page: () => import('./pages/project-detail.js') },
  { path: '/projects/:id/edit', title: '编辑项目', parent: '/projects', roles: ['clerk'], page: () => import('./pages/project-edit.js') },
  { path: '/projects/:id/apply', title: '阶段申报', parent: '/projects', roles: ['clerk'], page: () => import('./pages/project-apply.js') },
  { path: '/catalog/items/:code', title: '事项详情', parent: '/catalog', roles: ['catalog', 'sysadmin'], page: () => import('./pages/catalog-item.js') },
  { path: '/desk/tickets/:id', title: '工单详情', parent: '/desk', page: () => import('./pages/desk-ticket.js') },
  { path: '/password', title: '修改密码', page: () => import('./pages/password.js') },
  { path: '/profile', title: '个人信息', page: () => import('./pages/profile.js') },
];

const ROUTES = [];
for (const m of MENU) {
  if (m.items) for (const it of m.items) ROUTES.push({ ...it, group: m.group });
  else ROUTES.push(m);
}
ROUTES.push(...HIDDEN);
for (const r of ROUTES) {
  const keys = [];
  const src = r.path.replace(/:(\w+)/g, (_, k) => { keys.push(k); return '([^/]+)'; });
  r.re = new RegExp(`^${src}$`);
  r.keys = keys;
}

const allowed = (r) => !r.roles || hasRole(...r.roles);

function match(path) {
  for (const r of ROUTES) {
    const m = r.re.exec(path);
    if (m) {
      const params = {};
      r.keys.forEach((k, i) => { params[k] = decodeURIComponent(m[i + 1]); });
      return { route: r, params };
    }
  }
  return null;
}

export function navigate(path) {
  if (location.hash === `#${path}`) route();
  else location.hash = path;
}

/* ---- views --------------------------------------------------------------------- */

function showView(which) {
  document.body.classList.add('ready');
  document.getElementById('login-view').hidden = which !== 'login';
  document.getElementById('password-view').hidden = which !== 'password';
  document.getElementById('totp-view').hidden = which !== 'totp';
  document.getElementById('layout').hidden = which !== 'app';
  clear(document.getElementById('overlay-root'));
}

function toLogin(message, kind) {
  stopIdle();
  me.user = null;
  teardown();
  clear(document.getElementById('layout'));
  showView('login');
  showLogin(message, kind);
}

async function toForcedPassword() {
  stopIdle();
  teardown();
  showView('password');
  const { renderForced } = await import('./pages/password.js');
  renderForced(document.getElementById('password-view'), {
    user: me.user,
    onDone: () => enter(),
    onLogout: () => logout(),
  });
}

async function toEnrolment() {
  stopIdle();
  teardown();
  showView('totp');
  const { renderEnrol } = await import('./pages/totp.js');
  renderEnrol(document.getElementById('totp-view'), {
    user: me.user,
    onDone: () => enter(),
    onLogout: () => logout(),
  });
}

/* After login or on load: read /api/me and show the right view. */
async function enter() {
  let u;
  try {
    u = await get('/api/me', { quiet401: true });
  } catch (err) {
    if (err.status === 403 && (err.field === 'password' || err.field === 'otp')) return; /* handler took over */
    return toLogin(err.status === 401 ? '' : err.message);
  }
  me.user = u;
  if (u.must_change) return toForcedPassword();
  if (u.must_enroll_totp) return toEnrolment();
  await dicts().catch(() => null);   /* role names in the header come from the dictionaries */
  buildLayout();
  showView('app');
  startIdle(u.idle_minutes, idleCallbacks());
  if (!location.hash || location.hash === '#' || location.hash === '#/') history.replaceState(null, '', '#/home');
  route();
}

export async function logout(message) {
  stopIdle();
  try { await del('/api/session', { quiet401: true }); } catch (_) { /* already gone */ }
  toLogin(message || '您已安全退出', 'info');
}

/* ---- idle logout ------------------------------------------------------------------ */

let idleDialog = null;
function idleCallbacks() {
  return {
    onWarn(secs) {
      const text = h('p#idle-countdown', `您已长时间未操作，系统将在 ${secs} 秒后自动退出登录。`);
      idleDialog = dialog({
        title: '即将自动退出', body: text, closable: false,
        buttons: [
          { label: '退出登录', onClick: () => { idleDialog = null; logout(); } },
          { label: '继续使用', kind: 'primary', onClick: () => { idleDialog = null; touchIdle().catch(() => {}); } },
        ],
      });
      idleDialog.text = text;
    },
    onTick(secs) {
      if (idleDialog) idleDialog.text.textContent = `您已长时间未操作，系统将在 ${secs} 秒后自动退出登录。`;
    },
    onResume() {
      if (idleDialog) { idleDialog.close(); idleDialog = null; }
    },
    onExpire() {
      if (idleDialog) { idleDialog.close(); idleDialog = null; }
      logout('由于长时间未操作，您已自动退出登录，请重新登录');
    },
  };
}

/* ---- layout ------------------------------------------------------------------------- */

let els = {};
function buildLayout() {
  const layout = clear(document.getElementById('layout'));
  const menu = h('ul.menu', { role: 'menu' });
  for (const m of MENU) {
    if (m.items) {
      const items = m.items.filter(allowed);
      if (!items.length) continue;
      menu.append(h('li.group', { dataset: { group: m.group } },
        h('div.group-title', { role: 'button', on: { click: (ev) => ev.currentTarget.parentElement.classList.toggle('closed') } },
          h('span', h('span.ico', m.icon), ' ', m.group)),
        h('ul', items.map((it) => h('li', h('a', { href: `#${it.path}`, dataset: { path: it.path } }, it.title))))));
    } else if (allowed(m)) {
      menu.append(h('li', h('a', { href: `#${m.path}`, dataset: { path: m.path } }, h('span.ico', m.icon), m.title)));
    }
  }
  const u = me.user;
  const name = u.display_name || u.username;
  const drop = h('div.dropdown', { hidden: true },
    h('a', { href: '#/profile' }, '个人信息'),
    h('a', { href: '#/password' }, '修改密码'),
    h('a#logout-link', { on: { click: () => logout() } }, '退出登录'));
  const who = h('div.who', { role: 'button', title: u.username, on: { click: (ev) => { ev.stopPropagation(); drop.hidden = !drop.hidden; } } },
    h('span.avatar', name.slice(0, 1)), h('span#current-user', name),
    h('span.role-tag', (u.roles || []).map((r) => ROLE_NAMES[r] || r).join('、')));
  document.addEventListener('click', () => { drop.hidden = true; });
  els.breadcrumb = h('div.breadcrumb', { 'aria-label': '当前位置' });
  els.content = h('main.content#content');
  els.menu = menu;
  layout.append(
    h('aside.sidebar', h('div.brand', h('img', { src: '/favicon.svg', alt: '' }), '工程建设项目审批管理'), menu),
    h('div.main',
      h('header.navbar', els.breadcrumb,
        h('div.userbox', who, h('button.btn.btn-sm#logout-btn', { type: 'button', on: { click: () => logout() } }, '退出'), drop)),
      els.content));
}

function setBreadcrumb(r, title) {
  const parts = [h('a', { href: '#/home' }, '首页')];
  if (r.path !== '/home') {
    if (r.group) parts.push(h('span', r.group));
    if (r.parent) {
      const p = ROUTES.find((x) => x.path === r.parent);
      if (p) {
        if (p.group) parts.push(h('span', p.group));
        parts.push(h('a', { href: `#${p.path}` }, p.title));
      }
    }
    parts.push(h('span.cur', title || r.title));
  }
  clear(els.breadcrumb);
  parts.forEach((p, i) => { if (i) els.breadcrumb.append(h('span.sep', '/')); els.breadcrumb.append(p); });
  document.title = `${title || r.title} - 铜川市工程建设项目审批管理系统`;
}

let cleanup = null;
function teardown() {
  if (typeof cleanup === 'function') { try { cleanup(); } catch (_) { /* page gone */ } }
  cleanup = null;
}

let routeSeq = 0;
async function route() {
  if (!me.user || !els.content) return;
  const raw = location.hash.replace(/^#/, '') || '/home';
  const [path, query] = raw.split('?');
  const found = match(path);
  teardown();
  /* dialogs belong to the page they were opened on */
  for (const m of document.querySelectorAll('#overlay-root > .mask')) if (!idleDialog || !idleDialog.el || !m.contains(idleDialog.el)) m.remove();
  const my = ++routeSeq;
  const content = clear(els.content);
  els.menu.querySelectorAll('a.active').forEach((a) => a.classList.remove('active'));
  if (!found) {
    setBreadcrumb({ path: '/404', title: '页面不存在' });
    content.append(h('div.card', h('div.notice', h('div.big', '页面不存在'), h('a', { href: '#/home' }, '返回首页'))));
    return;
  }
  const { route: r, params } = found;
  const menuPath = r.parent || r.path;
  const link = els.menu.querySelector(`a[data-path="${menuPath}"]`);
  if (link) { link.classList.add('active'); link.closest('.group')?.classList.remove('closed'); }
  setBreadcrumb(r);
  if (!allowed(r)) {
    content.append(h('div.card', h('div.notice', h('div.big', '无权访问'), h('div', '您的角色不能访问此页面。'))));
    return;
  }
  content.append(h('div.notice', '加载中…'));
  let mod;
  try {
    [mod] = await Promise.all([r.page(), dicts().catch(() => null)]);   /* the names pages show */
  } catch (e) {
    console.error('page module failed to load', r.path, e);
    if (my !== routeSeq) return;
    clear(content).append(h('div.alert.alert-error', '页面加载失败，请刷新重试'));
    return;
  }
  if (my !== routeSeq) return;
  clear(content);
  const ctx = {
    el: content, params, query: new URLSearchParams(query || ''), me: me.user, navigate, hasRole,
    setTitle: (t) => setBreadcrumb(r, t), isCurrent: () => my === routeSeq,
  };
  try {
    cleanup = await mod.render(ctx);
  } catch (err) {
    if (!(err instanceof ApiError)) console.error('page failed', r.path, err);
    if (my !== routeSeq) return;
    content.append(err && err.code === 'not_built' ? buildingNotice() : h('div.alert.alert-error', { role: 'alert' }, err.message || '页面出错'));
  }
}

/* ---- start ---------------------------------------------------------------------------- */

onUnauthorized(() => {
  if (me.user) toLogin('登录已超时或已失效，请重新登录');
});
onMustChange(() => {
  if (document.getElementById('password-view').hidden) toForcedPassword();
});
onMustEnroll(() => {
  if (document.getElementById('totp-view').hidden) toEnrolment();
});
window.addEventListener('hashchange', route);
initLogin({
  onLoggedIn: (res) => {
    if (res && res.must_change) { me.user = res.user; return toForcedPassword(); }
    return enter();
  },
});
enter();

/*
** project-detail.js: one project: its facts and units, then — as the
** lifecycle API provides them — its stage applications and 办件.
*/
import { get } from '../js/api.js';
import { h, clear, fmtNum, fmtTime, buildingNotice, errorNotice } from '../js/ui.js';
import { FLOW_TYPES } from '../js/catalog-common.js';
import { UNIT_KINDS } from '../js/project-common.js';
import { maps } from '../js/org.js';
import { CASE_COLUMNS, STAGE_NAMES, stageText } from '../js/cases-common.js';
import { lightTag } from '../js/ui.js';

export async function render(ctx) {
  const [p, names] = await Promise.all([get(`/api/projects/${ctx.params.id}`), maps()]);
  ctx.setTitle(p.name);
  const tools = h('span.extra',
    ctx.hasRole('clerk', 'head') ? h('a.btn.btn-sm#edit-project', { href: `#/projects/${p.id}/edit` }, '编辑') : null, ' ',
    ctx.hasRole('clerk') ? h('a.btn.btn-sm.btn-primary#apply-stage', { href: `#/projects/${p.id}/apply` }, '阶段申报') : null);
  const cases = h('div#project-cases');
  ctx.el.append(
    h('div.card', h('div.card-title', p.name, tools),
      h('div.desc',
        h('div.k', '投资项目代码'), h('div', p.code), h('div.k', '工程代码'), h('div', p.gcdm || '-'),
        h('div.k', '流程类型'), h('div', p.flow_type_name || FLOW_TYPES[p.flow_type]), h('div.k', '审批流程'), h('div', h('a', { href: '#/catalog?tab=flows' }, p.flow_code)),
        h('div.k', '所在地'), h('div', `${p.division_name || ''}（${p.division}）`), h('div.k', '建设地点'), h('div', p.address),
        h('div.k', '总投资'), h('div', `${fmtNum(p.investment_wan)} 万元`), h('div.k', '用地/建筑面积'), h('div', `${fmtNum(p.land_area_m2)} / ${fmtNum(p.floor_area_m2)} 平方米`),
        h('div.k', '计划开工'), h('div', p.planned_start), h('div.k', '计划竣工'), h('div', p.planned_finish),
        h('div.k', '登记部门'), h('div', names.dept[p.created_department] || p.created_department || '-'), h('div.k', '登记'), h('div', `${p.created_by || ''} ${fmtTime(p.created_at)}`))),
    h('div.card', h('div.card-title', `项目单位（${(p.units || []).length}）`),
      h('table.table', h('thead', h('tr', h('th', '类型'), h('th', '单位名称'), h('th', '统一社会信用代码'), h('th', '联系人'), h('th', '联系电话'))),
        h('tbody', (p.units || []).map((u) => h('tr', h('td', u.kind_name || UNIT_KINDS[u.kind]), h('td', u.name), h('td.mono', u.credit_code), h('td', u.contact), h('td', u.phone)))))),
    h('div.card', h('div.card-title', '审批进度与办件'), cases));
  try {
    const tl = await get(`/api/projects/${p.id}/timeline`);
    clear(cases).append(...timelineView(tl));
  } catch (err) {
    clear(cases).append(err.code === 'not_built' ? buildingNotice('办件') : errorNotice(err));
  }
}

function clockText(k) {
  if (!k) return '-';
  return `已用 ${k.workdays_elapsed ?? '-'} 个工作日${k.limit ? ` / 时限 ${k.limit}` : ''}${k.workdays_left !== null && k.workdays_left !== undefined ? `，剩余 ${k.workdays_left}` : ''}`;
}

/* The project clock (docs/api.md): first application to 竣工验收 against
** the province's target of the flow type, as the reports count it. */
function projectClockText(pr) {
  const k = pr.clock || {};
  const used = `已用 ${k.workdays_elapsed ?? '-'} 个工作日`;
  if (!pr.target) return `${used}（该项目类型无省定目标）`;
  return `${used} / 省定目标 ${pr.target}${k.workdays_left !== null && k.workdays_left !== undefined && !pr.finished ? `，剩余 ${k.workdays_left}` : ''}`;
}

/* Stage progress and the parallel instances with their cases. */
function timelineView(tl) {
  const out = [];
  const pr = tl.progress;
  out.push(h('div.kv', { style: { marginBottom: '12px' } },
    h('div', h('div.k', '当前阶段'), h('div.v', pr ? (pr.finished ? '全部办结' : `${STAGE_NAMES[pr.current_stage] || pr.current_stage}`) : '未申报')),
    h('div', h('div.k', '全流程用时'), h('div.v#project-clock', { style: { fontSize: '14px', fontWeight: 'normal' } }, pr ? projectClockText(pr) : '-')),
    h('div', h('div.k', '全流程状态'), h('div', pr && pr.clock ? lightTag(pr.clock.light, pr.clock.on_time) : '-'))));
  if ((tl.stages || []).length)
    out.push(h('table.table#stage-progress', h('thead', h('tr', h('th', '阶段'), h('th', '开始'), h('th', '完成'), h('th', '用时'), h('th', '状态'))),
      h('tbody', tl.stages.map((s) => h('tr', h('td', STAGE_NAMES[s.stage] || String(s.stage)), h('td', fmtTime(s.started_at)),
        h('td', fmtTime(s.completed_at) || '办理中'), h('td', clockText(s.clock)), h('td', lightTag(s.clock && s.clock.light, s.clock && s.clock.on_time)))))));
  for (const inst of tl.instances || []) {
    out.push(h('h4', { style: { margin: '16px 0 6px' } },
      `并联实例 ${inst.number} · ${stageText(inst)}`,
      h('span.muted', { style: { fontWeight: 'normal', marginLeft: '8px' } }, `${fmtTime(inst.applied_at)} 由 ${inst.applied_by || ''} 申报${inst.closed_at ? `，${fmtTime(inst.closed_at)} 办结` : ''}`)),
      h('table.table', h('thead', h('tr', CASE_COLUMNS.map((c) => h('th', c.title)))),
        h('tbody', (inst.cases || []).map((c) => h('tr', CASE_COLUMNS.map((col) => h('td', { class: col.cls || '' }, col.render ? col.render(c) : col.text(c))))))));
    if (inst.hidden_cases) out.push(h('div.muted.hidden-cases', `另有 ${inst.hidden_cases} 件其他部门办理的办件（无权查看详情）`));
  }
  if (!(tl.instances || []).length) out.push(h('div.notice', '尚未申报审批阶段'));
  return out;
}

/*
** project-detail.js: one project: its facts and units, then — as the
** lifecycle API provides them — its stage applications and 办件.
*/
import { get } from '../js/api.js';
import { h, clear, fmtNum, fmtTime, buildingNotice, errorNotice } from '../js/ui.js';
import { FLOW_TYPES } from '../js/catalog-common.js';
import { UNIT_KINDS } from '../js/project-common.js';
import { maps } from '../js/org.js';
import { listPage } from '../js/table.js';
import { CASE_COLUMNS } from '../js/cases-common.js';

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
    h('div.card', h('div.card-title', '审批办件'), cases));
  try {
    await get(`/api/cases?project=${p.id}&page_size=1`);
    listPage(cases, {
      exportName: `${p.code}-办件`,
      columns: CASE_COLUMNS,
      load: (q) => get(`/api/cases?${new URLSearchParams({ ...q, project: p.id })}`),
    });
  } catch (err) {
    clear(cases).append(err.code === 'not_built' ? buildingNotice('办件') : errorNotice(err));
  }
}

/*
** project-edit.js: register (POST /api/projects) or correct (PATCH
** /api/projects/{id}) a project. Every rule is the server's: 投资项目代码
** shape and division, 统一社会信用代码 check digits, planned start < finish,
** amounts; its 400 names the field (units[1].credit_code) and the message
** appears under exactly that input. The code cannot change after
** registration; flow type and division cannot once a stage is applied for
** (stage_applications), and the form says so and why.
*/
import { get, post, patch } from '../js/api.js';
import { h, toast } from '../js/ui.js';
import { buildForm, readForm, showErrors, checkRequired } from '../js/form.js';
import { flowTypeOptions } from '../js/catalog-common.js';
import { divisionOptions, unitKindOptions } from '../js/project-common.js';

export async function render(ctx) {
  const id = ctx.params.id;
  const p = id ? await get(`/api/projects/${id}`) : null;
  if (p) ctx.setTitle(`编辑项目：${p.name}`);
  /* fixed once a stage is applied for (the server answers 409 otherwise): say so before anyone tries */
  const fixed = !!(p && p.stage_applications > 0);
  const fixedHint = '项目已申报审批阶段，不可修改：已有办件按原流程和所在地分派和计时；确属登记错误请联系运维提交数据修复';
  const codeHint = !p ? '24 位：年份-行政区划代码-行业代码-类别-流水号'
    : p.deletable ? '登记后不可修改；登记错误请由部门负责人删除后重新登记'
      : '登记后不可修改；项目已有部门在办理事项，不能删除重登，确属登记错误请联系运维提交数据修复';
  const fields = [
    { name: 'code', label: '投资项目代码', required: !p, readonly: !!p, placeholder: '如 2025-610202-48-01-012345',
      hint: codeHint },
    { name: 'gcdm', label: '工程代码', placeholder: '可选；大写字母、数字和 -', keepEmpty: !!p },
    { name: 'name', label: '项目名称', required: true, span2: true },
    { name: 'flow_type', label: '流程类型', type: 'select', required: true, options: flowTypeOptions(),
      readonly: fixed, disabled: fixed, hint: fixed ? fixedHint : undefined },
    { name: 'division', label: '项目所在地', type: 'select', required: true, options: divisionOptions,
      readonly: fixed, disabled: fixed, hint: fixed ? fixedHint : undefined },
    { name: 'address', label: '建设地点', required: true, span2: true },
    { name: 'investment_wan', label: '总投资（万元）', type: 'number', required: true, min: 1, step: 1, hint: '整数万元，如 3500（不足 1 万元的部分不填）' },
    { name: 'land_area_m2', label: '用地面积（平方米）', type: 'number', required: true, min: 0, step: 1, hint: '整数平方米' },
    { name: 'floor_area_m2', label: '建筑面积（平方米）', type: 'number', required: true, min: 0, step: 1, hint: '整数平方米' },
    { name: 'planned_start', label: '计划开工日期', type: 'date', required: true },
    { name: 'planned_finish', label: '计划竣工日期', type: 'date', required: true },
    { name: 'units', label: '项目单位', type: 'rows', required: true, span2: true, rowLabel: '单位',
      hint: '至少一个建设单位；联系电话为 11 位手机或“区号-号码”固话',
      newRow: { kind: 'builder' },
      columns: [
        { name: 'kind', label: '单位类型', type: 'select', width: '110px', options: unitKindOptions() },
        { name: 'name', label: '单位名称' },
        { name: 'credit_code', label: '统一社会信用代码', width: '190px' },
        { name: 'contact', label: '联系人', width: '90px' },
        { name: 'phone', label: '联系电话', width: '140px' },
      ] },
  ];
  const values = p ? { ...p, flow_type: String(p.flow_type) } : { units: [{ kind: 'builder' }], land_area_m2: 0, floor_area_m2: 0 };
  const form = buildForm(fields, values, { grid: true });
  const save = h('button.btn.btn-primary#save-project', { type: 'submit' }, p ? '保存修改' : '登记项目');
  form.append(h('div.span2', { style: { display: 'flex', gap: '8px' } }, save,
    h('a.btn', { href: p ? `#/projects/${p.id}` : '#/projects' }, '取消')));
  ctx.el.append(h('div.card', h('div.card-title', p ? `编辑项目：${p.code}` : '登记工程建设项目'), form));

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!checkRequired(form)) return;
    const v = readForm(form);
    if (v.flow_type !== undefined) v.flow_type = Number(v.flow_type);
    /* whole numbers only: a fraction goes to the server, which names the field (never rounded here) */
    delete v.code;
    if (!p) v.code = form.querySelector('#f-code').value.trim();
    save.disabled = true;
    try {
      const r = p ? await patch(`/api/projects/${p.id}`, v) : await post('/api/projects', v);
      toast(p ? '项目已保存' : '项目已登记', 'success');
      ctx.navigate(`/projects/${r.id}`);
    } catch (err) {
      showErrors(form, err);
    } finally {
      save.disabled = false;
    }
  });
}

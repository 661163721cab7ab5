/*
** catalog-common.js: vocabulary of the approval catalogue (docs/catalog.md):
** flow types (SPLCLX), stages, side lines, material forms, step roles.
*/
import { names, nameOptions } from './api.js';

/* Names from the server's dictionaries (GET /api/dict, approval/names.c). */
export const FLOW_TYPES = names('approval.flow_type');
export const flowTypeOptions = () => nameOptions('approval.flow_type');
export const STAGES = names('approval.stage');
export const SIDE_LINES = names('approval.side_line');
export const COMPLETION = { 1: '全部里程碑事项办结', 2: '任一事项办结' };
export const FORMS = { original: '原件', copy: '复印件', original_and_copy: '原件及复印件', electronic: '电子件' };
export const STEP_ROLES = names('approval.step_role');
export const APPLICANT = { 1: '自然人', 2: '法人', 3: '自然人和法人' };
export const CASE_TYPES = { 1: '即办件', 2: '承诺件' };

/* Field names the API gives for one item ("items[SGXK-001].materials[1].copies") without the prefix. */
export function localField(field) {
  return String(field || '').replace(/^(items|flows)\[[^\]]*\]\.?/, '');
}

/* "1.0" -> "1.1"; "1.9" -> "1.10". */
export function nextVersion(v) {
  const m = /^(\d+)\.(\d+)$/.exec(v || '');
  return m ? `${m[1]}.${Number(m[2]) + 1}` : '1.0';
}

const FIELD_LABELS = {
  code: '编码', name: '名称', national_code: '国家事项编码', department: '办理部门', promised_limit: '承诺时限',
  legal_limit: '法定时限', legal_basis: '办理依据', materials: '申请材料', steps: '办理环节', milestone: '里程碑',
  prerequisites: '前置事项', commitment: '告知承诺制', tolerance: '容缺受理', applicant_kind: '申请人类型',
  case_type: '办件类型', fee: '收费标准', fee_basis: '收费依据', version: '版本', effective_from: '生效日期', required: '必要', copies: '份数', form: '形式',
  tolerable: '可容缺', template: '样表',
  role: '办理角色', flow_type: '流程类型', division: '区划', stages: '阶段', number: '阶段编号', limit: '时限',
  completion_rule: '办结规则', lead_department: '牵头部门', items: '事项', side_lines: '辅线',
};

/* "materials[施工合同].copies" -> "申请材料[施工合同].份数". */
export function fieldLabel(path) {
  return String(path).replace(/[a-z_]+/g, (k) => FIELD_LABELS[k] || k);
}

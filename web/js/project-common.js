/*
** project-common.js: vocabulary of projects (工程建设项目): unit kinds and
** the divisions a project may be located in (铜川市 and its districts).
*/
export const UNIT_KINDS = {
  builder: '建设单位', agent: '代建单位', survey: '勘察单位', design: '设计单位',
  construction: '施工单位', supervision: '监理单位', other: '其他单位',
};
export const unitKindOptions = Object.entries(UNIT_KINDS).map(([value, label]) => ({ value, label }));
export const DIVISIONS = [
  { value: '610200', label: '铜川市（市本级）' }, { value: '610202', label: '王益区' }, { value: '610203', label: '印台区' },
  { value: '610204', label: '耀州区' }, { value: '610222', label: '宜君县' },
];
export const builderOf = (p) => ((p.units || []).find((u) => u.kind === 'builder') || {}).name || '';

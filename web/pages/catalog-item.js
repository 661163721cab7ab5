/*
** catalog-item.js: one 审批事项: the version in effect (or ?version=), its
** materials, steps and prerequisites, the version history with a diff
** between any two versions, and — for the catalogue administrator and the
** sysadmin — "编辑（生成新版本）": PUT /api/catalog/items/{code} with the
** whole item document; the server stores it as a new version with its
** effective date (running cases keep theirs) and names the field of any
** rule it breaks (items[CODE].materials[1].copies), shown on that input.
** Before saving, the changes against the version it starts from are listed
** (materials by name, steps by position) for a last look.
*/
import { get, put } from '../js/api.js';
import { h, clear, toast, today, dialog } from '../js/ui.js';
import { formDialog } from '../js/form.js';
import { departmentOptions, maps } from '../js/org.js';
import { FORMS, STEP_ROLES, APPLICANT, CASE_TYPES, localField, nextVersion, fieldLabel } from '../js/catalog-common.js';
import { versionTable } from './catalog.js';

const yes = (b) => (b ? '是' : '否');
const show = (v) => (v === undefined || v === null || v === '' ? '（无）' : typeof v === 'boolean' ? yes(v)
  : Array.isArray(v) ? v.join('、') || '（无）' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/* Changes from version a to b: [{field, from, to}], materials matched by name, steps by position. */
export function itemChanges(a, b) {
  const out = [];
  const same = (x, y) => JSON.stringify(x ?? null) === JSON.stringify(y ?? null);
  for (const k of Object.keys(b)) {
    if (k === 'materials' || k === 'steps' || k === 'version') continue;
    if (!same(a[k], b[k])) out.push({ field: k, from: a[k], to: b[k] });
  }
  const byName = (l) => Object.fromEntries((l || []).map((m) => [m.name, m]));
  const am = byName(a.materials), bm = byName(b.materials);
  for (const n of Object.keys(am)) if (!bm[n]) out.push({ field: `materials[${n}]`, from: '原有', to: '删除' });
  for (const [n, m] of Object.entries(bm)) {
    if (!am[n]) { out.push({ field: `materials[${n}]`, from: '（无）', to: '新增' }); continue; }
    for (const k of ['required', 'copies', 'form', 'tolerable', 'template'])
      if (!same(am[n][k] ?? (k === 'tolerable' ? false : null), m[k] ?? (k === 'tolerable' ? false : null)))
        out.push({ field: `materials[${n}].${k}`, from: am[n][k], to: m[k] });
  }
  const n = Math.max((a.steps || []).length, (b.steps || []).length);
  for (let i = 0; i < n; i++) {
    const x = (a.steps || [])[i], y = (b.steps || [])[i];
    if (!same(x, y)) out.push({ field: `steps[${i + 1}]`, from: x ? `${x.name}（${STEP_ROLES[x.role] || x.role}）` : '（无）', to: y ? `${y.name}（${STEP_ROLES[y.role] || y.role}）` : '删除' });
  }
  return out;
}

/* Show the changes and ask; resolves true to save. */
function confirmChanges(changes, doc) {
  return new Promise((resolve) => {
    let yes2 = false;
    dialog({
      title: `保存为新版本 v${doc.version}（${doc.effective_from} 生效）`, wide: true,
      body: changes.length ? h('table.table#item-diff', h('thead', h('tr', h('th', '字段'), h('th', '原值'), h('th', '新值'))),
        h('tbody', changes.map((c) => h('tr', h('td', fieldLabel(c.field)), h('td', show(c.from)), h('td', show(c.to))))))
        : h('div.alert.alert-info', '内容没有改动（仅版本号与生效日期）：服务器会拒绝未改动的版本。'),
      buttons: [{ label: '返回修改' }, { label: '确认保存', kind: 'primary', onClick: () => { yes2 = true; resolve(true); } }],
      onClose: () => { if (!yes2) resolve(false); },
    });
  });
}

/* The official fee of a version, stored in fen (docs/catalog.md). */
function feeText(fen) {
  if (fen === undefined || fen === null) return '未登记';
  return fen === 0 ? '不收费（0 元）' : `${(fen / 100).toFixed(2)} 元`;
}

export async function render(ctx) {
  const code = ctx.params.code;
  const names = await maps();
  const version = ctx.query.get('version');
  const [cur, hist] = await Promise.all([
    get(`/api/catalog/items/${encodeURIComponent(code)}${version ? `?version=${encodeURIComponent(version)}` : ''}`),
    get(`/api/catalog/items/${encodeURIComponent(code)}/versions`),
  ]);
  const d = cur.doc;
  ctx.setTitle(d.name);
  const canEdit = ctx.hasRole('catalog', 'sysadmin');
  const versions = hist.versions || [];
  const latest = versions[versions.length - 1];
  const head = h('div.card-title', `${d.name}`, h('span.tag', `v${d.version}`),
    latest && latest.version !== d.version ? h('span.tag.yellow', `最新版本 v${latest.version}（${latest.effective_from} 生效）`) : null,
    h('span.extra',
      canEdit ? h('button.btn.btn-primary.btn-sm#edit-item', { type: 'button', on: { click: () => edit() } }, '编辑（生成新版本）') : null, ' ',
      h('a.btn.btn-sm', { href: '#/catalog' }, '返回')));
  ctx.el.append(
    h('div.card', head,
      h('div.desc',
        h('div.k', '事项编码'), h('div', d.code), h('div.k', '国家事项编码'), h('div', d.national_code || '-'),
        h('div.k', '办理部门'), h('div', names.dept[d.department] || d.department), h('div.k', '生效日期'), h('div', d.effective_from),
        h('div.k', '承诺时限'), h('div', `${d.promised_limit} 个工作日`), h('div.k', '法定时限'), h('div', `${d.legal_limit} 个工作日`),
        h('div.k', '办件类型'), h('div', CASE_TYPES[d.case_type] || ''), h('div.k', '申请人类型'), h('div', APPLICANT[d.applicant_kind] || ''),
        h('div.k', '里程碑事项'), h('div', yes(d.milestone)), h('div.k', '告知承诺制'), h('div', yes(d.commitment)),
        h('div.k', '容缺受理'), h('div', yes(d.tolerance)), h('div.k', '前置事项'),
        h('div', d.prerequisites.length ? d.prerequisites.map((p) => h('a.tag', { href: `#/catalog/items/${encodeURIComponent(p)}` }, p)) : '无'),
        h('div.k', '收费标准'), h('div#item-fee', feeText(d.fee)), h('div.k', '收费依据'), h('div', d.fee_basis || '未登记'),
        h('div.k', '办理依据'), h('div.wide', d.legal_basis))),
    h('div.grid.grid-2',
      h('div.card', h('div.card-title', `申请材料（${d.materials.length}）`),
        h('table.table', h('thead', h('tr', h('th', '#'), h('th', '材料名称'), h('th', '必要'), h('th', '形式'), h('th', '份数'))),
          h('tbody', d.materials.map((m, i) => h('tr', h('td', i + 1), h('td', m.name, m.template ? h('div.muted', `样表：${m.template}`) : null),
            h('td', m.required ? h('span.tag.red', '必要') : h('span.tag.gray', '非必要'), m.required && m.tolerable ? h('span.tag.yellow', '可容缺') : null),
            h('td', FORMS[m.form] || m.form), h('td', m.form === 'electronic' ? '-' : m.copies)))))),
      h('div.card', h('div.card-title', '办理环节'),
        h('ol.timeline', d.steps.map((s) => h('li', h('div', h('b', s.name)), h('div.op', STEP_ROLES[s.role] || s.role)))))),
    h('div.card#versions', h('div.card-title', `版本历史（${versions.length}）`), versionTable('items', code, versions)));

  async function edit() {
    const src = latest && latest.version !== d.version
      ? (await get(`/api/catalog/items/${encodeURIComponent(code)}?version=${encodeURIComponent(latest.version)}`)).doc : d;
    const tomorrow = today(1);
    const r = await formDialog({
      title: `编辑事项：${src.name}（基于 v${src.version} 生成新版本）`, wide: true, grid: true,
      intro: h('div.alert.alert-info', '修改将保存为新版本，自生效日期起用于新办件；已在办的办件继续使用原版本，不受影响。'),
      values: { ...src, fee: src.fee === undefined ? '' : src.fee / 100, version: nextVersion(src.version), effective_from: src.effective_from >= tomorrow ? src.effective_from : tomorrow,
        prerequisites: src.prerequisites.join(', ') },
      mapField: localField,
      fields: [
        { name: 'name', label: '事项名称', required: true, span2: true },
        { name: 'version', label: '新版本号', required: true, hint: '如 1.1；须高于现有版本' },
        { name: 'effective_from', label: '生效日期', type: 'date', required: true, hint: '须晚于上一版本的生效日期' },
        { name: 'department', label: '办理部门', type: 'select', required: true, options: departmentOptions },
        { name: 'national_code', label: '国家事项编码', keepEmpty: true },
        { name: 'promised_limit', label: '承诺时限（工作日）', type: 'number', required: true, min: 0 },
        { name: 'legal_limit', label: '法定时限（工作日）', type: 'number', required: true, min: 0 },
        { name: 'case_type', label: '办件类型', type: 'select', required: true, options: Object.entries(CASE_TYPES).map(([value, label]) => ({ value, label })) },
        { name: 'applicant_kind', label: '申请人类型', type: 'select', required: true, options: Object.entries(APPLICANT).map(([value, label]) => ({ value, label })) },
        { name: 'milestone', label: '里程碑事项', type: 'checkbox', text: '计入阶段办结规则' },
        { name: 'commitment', label: '告知承诺制', type: 'checkbox', text: '可凭书面承诺审批' },
        { name: 'tolerance', label: '容缺受理', type: 'checkbox', text: '可容缺后补材料' },
        { name: 'prerequisites', label: '前置事项', placeholder: '事项编码，以逗号分隔', keepEmpty: true },
        { name: 'fee', label: '收费标准（元）', type: 'number', min: 0, step: '0.01', hint: '免费事项填 0 并写明依据' },
        { name: 'fee_basis', label: '收费依据', placeholder: '如：行政许可依法不收费' },
        { name: 'legal_basis', label: '办理依据', type: 'textarea', required: true, span2: true },
        { name: 'materials', label: '申请材料', type: 'rows', span2: true, rowLabel: '材料', newRow: { required: true, copies: 1, form: 'original' },
          columns: [
            { name: 'name', label: '材料名称' },
            { name: 'required', label: '必要', type: 'checkbox', width: '50px' },
            { name: 'form', label: '形式', type: 'select', width: '120px', options: Object.entries(FORMS).map(([value, label]) => ({ value, label })) },
            { name: 'copies', label: '份数', type: 'number', width: '70px' },
            { name: 'tolerable', label: '可容缺', type: 'checkbox', width: '60px' },
            { name: 'template', label: '样表文件名', width: '140px' },
          ] },
        { name: 'steps', label: '办理环节', type: 'rows', span2: true, rowLabel: '环节', newRow: { role: 'reviewer' },
          hint: '第一个环节必须是窗口受理；每个环节由办理部门中具有该角色的人员办理',
          columns: [
            { name: 'name', label: '环节名称' },
            { name: 'role', label: '办理角色', type: 'select', width: '160px', options: Object.entries(STEP_ROLES).map(([value, label]) => ({ value, label })) },
          ] },
      ],
      submit: async (v) => {
        const doc = {
          code: src.code, name: v.name, national_code: v.national_code ?? '', department: v.department,
          promised_limit: v.promised_limit, legal_limit: v.legal_limit, legal_basis: v.legal_basis,
          materials: v.materials.map((m) => { const o = { ...m }; if (!o.template) delete o.template; return o; }),
          steps: v.steps, milestone: v.milestone,
          prerequisites: String(v.prerequisites || '').split(/[,，\s]+/).filter(Boolean),
          commitment: v.commitment, tolerance: v.tolerance, applicant_kind: Number(v.applicant_kind),
          case_type: Number(v.case_type), version: v.version, effective_from: v.effective_from,
        };
        // the fee is stored in fen; both or neither (the server names the one missing)
        if (v.fee !== undefined) doc.fee = Math.round(Number(v.fee) * 100);
        if (v.fee_basis !== undefined) doc.fee_basis = v.fee_basis;
        if (!(await confirmChanges(itemChanges(src, doc), doc))) throw { message: '未保存：请检查改动后再保存' };
        return put(`/api/catalog/items/${encodeURIComponent(code)}`, doc);
      },
    });
    if (r) {
      toast(`已生成新版本 v${r.version}，${r.effective_from} 起生效`, 'success');
      ctx.navigate(`/catalog/items/${encodeURIComponent(code)}?version=${encodeURIComponent(r.version)}`);
    }
  }
}

/*
** quality-rules.js: 质检规则 — the rule catalogue as it stands
** (GET /api/quality/rules): what each rule checks, on which object, how
** severe, with which parameters; editors (leader, catalogue administrator,
** sysadmin) switch a rule on or off and change its severity or parameters,
** each change a new version (PUT /api/quality/rules/{id}) with its history;
** the whole catalogue exports and imports as a file. Names from /api/dict.
*/
import { get, put, post, dict, download } from '../js/api.js';
import { h, toast, dialog } from '../js/ui.js';

const labelOf = (list, code) => (list.find((x) => x.code === code) || { label: code }).label;

function paramText(params) {
  return Object.entries(params || {}).map(([k, v]) => `${k}=${Array.isArray(v) ? v.map((x) => x || '（空）').join('、') : v}`).join('；');
}

export async function render(ctx) {
  const [severities, objects, kinds] = await Promise.all([dict('quality.severity'), dict('quality.object'), dict('quality.kind')]);
  const editor = ctx.hasRole('leader', 'catalog', 'sysadmin');
  const body = h('tbody');
  const file = h('input#rules-file', { type: 'file', accept: 'application/json', style: { display: 'none' }, on: { change: importFile } });
  ctx.el.append(h('div.card',
    h('div.card-title', '质检规则', h('span.extra',
      h('button.btn.btn-sm#rules-export', { type: 'button', on: { click: () => download('/api/quality/rules/export', 'quality-rules.json').catch((e) => toast(e.message, 'error')) } }, '导出规则'),
      editor ? h('button.btn.btn-sm#rules-import', { type: 'button', on: { click: () => file.click() } }, '导入规则') : null, file)),
    h('div.table-wrap', h('table.table#quality-rules',
      h('thead', h('tr', ['编号', '名称', '级别', '对象', '类型', '参数', '状态', '版本', '操作'].map((t) => h('th', t)))), body))));
  await load();

  async function load() {
    const r = await get('/api/quality/rules');
    body.replaceChildren(...r.items.map((x) => h('tr', { dataset: { rule: x.id } },
      h('td.nowrap', x.id), h('td', { title: `${x.message}\n依据：${x.basis}` }, x.name),
      h('td', h(`span.tag${x.severity === 'error' ? '.red' : '.yellow'}`, labelOf(severities, x.severity))),
      h('td', labelOf(objects, x.object)), h('td', labelOf(kinds, x.kind)), h('td', paramText(x.params)),
      h('td', h(`span.tag${x.enabled ? '.green' : '.gray'}`, x.enabled ? '启用' : '停用')), h('td', x.version ? `v${x.version}` : '内置'),
      h('td.nowrap',
        editor ? h('button.btn-link', { type: 'button', on: { click: () => toggle(x) } }, x.enabled ? '停用' : '启用') : null, ' ',
        editor ? h('button.btn-link', { type: 'button', on: { click: () => edit(x) } }, '编辑') : null, ' ',
        h('button.btn-link', { type: 'button', on: { click: () => history(x) } }, '历史')))));
  }
  async function toggle(x) {
    try {
      await put(`/api/quality/rules/${x.id}`, { enabled: !x.enabled, note: x.enabled ? '停用' : '启用' });
      toast(`${x.name} 已${x.enabled ? '停用' : '启用'}`, 'success');
      await load();
    } catch (err) { toast(err.message, 'error'); }
  }
  function edit(x) {
    const inputs = {};
    const sev = h('select.input#rule-severity', severities.map((s) => h('option', { value: s.code, selected: s.code === x.severity }, s.label)));
    const note = h('input.input#rule-note', { placeholder: '修改说明' });
    const rows = Object.entries(x.params || {}).map(([k, v]) => {
      inputs[k] = h('input.input', { name: k, value: Array.isArray(v) ? v.join(',') : v, type: typeof v === 'number' ? 'number' : 'text' });
      return h('label.sf', h('span', k), inputs[k]);
    });
    dialog({
      title: `编辑规则：${x.name}`,
      body: h('div.form', h('label.sf', h('span', '级别'), sev), ...rows, h('label.sf', h('span', '说明'), note)),
      buttons: [{ label: '保存', kind: 'primary', onClick: async () => {
        const params = {};
        for (const [k, v] of Object.entries(x.params || {}))
          params[k] = Array.isArray(v) ? inputs[k].value.split(',') : typeof v === 'number' ? Number(inputs[k].value) : inputs[k].value;
        try {
          await put(`/api/quality/rules/${x.id}`, { severity: sev.value, params, note: note.value.trim() });
          toast('已保存为新版本', 'success');
          await load();
        } catch (err) { toast(err.message, 'error'); return false; }
        return true;
      } }, { label: '取消' }],
    });
  }
  async function history(x) {
    try {
      const r = await get(`/api/quality/rules/${x.id}/history`);
      dialog({ title: `规则历史：${x.name}`, wide: true, body: r.versions.length
        ? h('table.table', h('thead', h('tr', h('th', '版本'), h('th', '时间'), h('th', '修改人'), h('th', '说明'), h('th', '参数'))),
          h('tbody', r.versions.map((v) => { const d = JSON.parse(v.doc); return h('tr', h('td', `v${v.version}`), h('td', v.created_at.replace('T', ' ').slice(0, 19)),
            h('td', v.created_by), h('td', v.note), h('td', `${d.enabled === false ? '停用；' : ''}${paramText(d.params)}`)); })))
        : h('p', '内置版本，尚未修改'), buttons: [{ label: '关闭' }] });
    } catch (err) { toast(err.message, 'error'); }
  }
  async function importFile() {
    const f = file.files[0];
    if (!f) return;
    try {
      const r = await post('/api/quality/rules/import', JSON.parse(await f.text()));
      toast(`导入完成：${r.versions} 条规则有新版本`, 'success');
      await load();
    } catch (err) { toast(err.message || '文件不是有效的规则文件', 'error'); }
    file.value = '';
  }
}

/*
** import.js: 数据导入 — a spreadsheet of projects and their units (an .xlsx
** workbook, sent as Base64, or CSV text) sent to POST /api/import/projects: 试导入 checks every row and
** writes nothing, listing each failing row with its column and rule; 正式导入
** (offered after a clean dry run of the same file) creates all or nothing.
*/
import { post } from '../js/api.js';
import { h, toast } from '../js/ui.js';

export async function render(ctx) {
  const file = h('input#import-file', { type: 'file', accept: '.xlsx,.csv,text/csv' });
  const result = h('div#import-result');
  const apply = h('button.btn.btn-primary#import-apply', { type: 'button', disabled: true }, '正式导入');
  const dry = h('button.btn#import-dry', { type: 'button' }, '试导入');
  let checked = null;   /* the body of the last clean dry run */

  /* The request body for the file: a workbook as Base64, anything else as text. */
  async function body(f) {
    if (!/\.xlsx$/i.test(f.name)) return { content: await f.text() };
    const bytes = new Uint8Array(await f.arrayBuffer());
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { content_base64: btoa(bin) };
  }

  function showReport(r) {
    result.replaceChildren(h('div',
      h('p#import-summary', `${r.dry_run ? '试导入' : '导入'}：${r.rows} 行，${r.projects} 个项目，${r.units} 个单位` +
        (r.errors.length ? `，${r.errors.length} 处错误，未导入任何数据` : r.dry_run ? '，全部通过校验' : `，已创建 ${r.created.length} 个项目`)),
      r.errors.length ? h('table.table#import-errors', h('thead', h('tr', h('th', '行'), h('th', '字段'), h('th', '问题'))),
        h('tbody', r.errors.map((x) => h('tr', h('td', String(x.row)), h('td', x.field), h('td', x.message))))) : null));
  }

  async function send(dryRun) {
    const f = file.files[0];
    if (!f) { toast('请选择 XLSX 或 CSV 文件', 'error'); return; }
    const b = await body(f);
    const key = b.content ?? b.content_base64;
    if (!dryRun && key !== checked) { toast('文件已变化，请先试导入', 'error'); return; }
    try {
      const r = await post('/api/import/projects', { ...b, dry_run: dryRun });
      showReport(r);
      checked = dryRun && !r.errors.length ? key : null;
      apply.disabled = !checked;
      if (!dryRun) toast(`已导入 ${r.created.length} 个项目`, 'success');
    } catch (err) {
      toast(err.message, 'error');
      apply.disabled = true;
      checked = null;
    }
  }
  dry.addEventListener('click', () => send(true));
  apply.addEventListener('click', () => send(false));
  file.addEventListener('change', () => { apply.disabled = true; checked = null; result.replaceChildren(); });

  ctx.el.append(h('div.card',
    h('h3', '导入项目和项目单位'),
    h('p.muted', 'Excel 工作簿（.xlsx，读取第一个工作表）或 CSV（UTF-8）：第一行为列名，每个项目单位一行，同一项目的项目列重复填写。列按名称识别：' +
      'XMDM（项目代码）XMMC SPLCLX JSDDXZQH JSDD ZTZE YDMJ JZMJ NKGSJ NJCSJ DWMC DWTYSHXYDM DWLX LXR LXDH，或对应中文列名。'),
    h('div.toolbar', file, dry, apply),
    result));
}

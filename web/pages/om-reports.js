/*
** om-reports.js: 运维报告. The 月度运维报告 and 年度运维总结报告 from
** GET /api/reports/om?kind=&from=&to=&format=, and 营商环境—办理建筑许可
** from GET /api/reports/business?from=&to=&format=: XLSX downloaded, HTML
** shown for printing, and for the business report the figures per flow
** type on the page (format=json). The kinds and their names come from the
** server's dictionaries (paperwork.kind, business.report); the sections
** and figures are the server's.
*/
import { dict, download, get } from '../js/api.js';
import { h, toast, dialog, today, clear, fmtNum } from '../js/ui.js';

function lastMonth() {
  const d = new Date(`${today().slice(0, 7)}-01T00:00:00`);
  const end = new Date(d.getTime() - 86400000);
  const iso = (x) => `${x.getFullYear()}-${String(x.getMonth() + 1).padStart(2, '0')}-${String(x.getDate()).padStart(2, '0')}`;
  return [`${iso(end).slice(0, 7)}-01`, iso(end)];
}

function cell(v) {
  return typeof v === 'number' ? fmtNum(v, Number.isInteger(v) ? 0 : 2) : (v ?? '—');
}

export async function render(ctx) {
  const kinds = [...await dict('paperwork.kind'), ...await dict('business.report')];
  const [f0, t0] = lastMonth();
  const kind = h('select.input#om-kind', kinds.map((k) => h('option', { value: k.code }, k.label)));
  const from = h('input.input#om-from', { type: 'date', value: f0 });
  const to = h('input.input#om-to', { type: 'date', value: t0 });
  const business = () => kind.value === 'business';
  const url = (format) => (business()
    ? `/api/reports/business?from=${from.value}&to=${to.value}&format=${format}`
    : `/api/reports/om?kind=${encodeURIComponent(kind.value)}&from=${from.value}&to=${to.value}&format=${format}`);
  const label = () => kinds.find((k) => k.code === kind.value)?.label || kind.value;
  const xlsx = h('button.btn.btn-primary#om-xlsx', { type: 'button', on: { click: getXlsx } }, '下载 Excel');
  const html = h('button.btn#om-html', { type: 'button', on: { click: showHtml } }, '在线查看 / 打印');
  const sum = h('button.btn#om-summary', { type: 'button', hidden: true, on: { click: showSummary } }, '页面汇总');
  const out = h('div#om-figures');
  kind.addEventListener('change', () => { sum.hidden = !business(); clear(out); });
  ctx.el.append(h('div.card', { style: { maxWidth: '1100px' } },
    h('div.card-title', '运维报告'),
    h('p.muted', '由系统自身记录生成：巡检与应用可用率、故障工单及 SLA、需求、咨询、培训、演练、回访、备份恢复、数据质量和运维档案。年度报告另含各项的月度趋势，以及合同第一条各项服务内容的数据与示例（验收依据）。每张故障工单的故障处理报告链接列在“故障处理”中。'),
    h('p.muted', '营商环境—办理建筑许可：报告期内完成竣工验收的项目的办理事项数、工作日和自然日、官方收费，与 65/90 个工作日目标对比，各项目类型的中位数及用时最长项目各阶段用时。'),
    h('div.toolbar', h('span', '报告类型'), kind, h('span', '起始'), from, h('span', '结束'), to, xlsx, html, sum),
    out));

  async function getXlsx() {
    xlsx.disabled = true;
    try {
      const name = await download(url('xlsx'), `${kind.value}-${from.value}.xlsx`);
      toast(`已下载 ${name}`, 'success');
    } catch (err) {
      toast(err.message, 'error', 5000);
    } finally {
      xlsx.disabled = false;
    }
  }
  function showHtml() {
    const frame = h('iframe.doc-frame#om-frame', { src: url('html'), title: label() });
    dialog({ title: `${label()} ${from.value} 至 ${to.value}`, wide: true, body: frame,
      buttons: [{ label: '关闭' }, { label: '打印', kind: 'primary', onClick: () => { frame.contentWindow.print(); return false; } }] });
  }
  async function showSummary() {
    clear(out);
    try {
      const doc = await get(url('json'));
      const f = doc.figures;
      const t = doc.sections[0].tables[0];   // per flow type, columns named by the server
      out.append(h('h3', `${doc.title}（${doc.period}）`),
        h('table.table#biz-flows',
          h('thead', h('tr', t.columns.map((c) => h('th', c.head)))),
          h('tbody', t.rows.map((r) => h('tr', { dataset: { flowType: String(r.flow_type) } },
            t.columns.map((c) => h('td', { dataset: { key: c.key } }, cell(r[c.key]))))))),
        f.slowest.length
          ? h('p.muted#biz-slowest', `用时最长：${f.slowest.slice(0, 3).map((s) => `${s.name}（${s.workdays} 个工作日）`).join('；')}。各阶段用时见在线报告或 Excel。`)
          : h('p.muted#biz-slowest', '报告期内没有完成竣工验收的项目。'));
    } catch (err) {
      toast(err.message, 'error', 5000);
    }
  }
}

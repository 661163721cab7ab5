/*
** om-reports.js: 运维报告. The 月度运维报告 and 年度运维总结报告 from
** GET /api/reports/om?kind=&from=&to=&format=: XLSX downloaded, HTML shown
** for printing. The kinds and their names come from the server's
** dictionary (paperwork.kind); the sections and figures are the server's.
*/
import { dict, download } from '../js/api.js';
import { h, toast, dialog, today } from '../js/ui.js';

function lastMonth() {
  const d = new Date(`${today().slice(0, 7)}-01T00:00:00`);
  const end = new Date(d.getTime() - 86400000);
  const iso = (x) => `${x.getFullYear()}-${String(x.getMonth() + 1).padStart(2, '0')}-${String(x.getDate()).padStart(2, '0')}`;
  return [`${iso(end).slice(0, 7)}-01`, iso(end)];
}

export async function render(ctx) {
  const kinds = await dict('paperwork.kind');
  const [f0, t0] = lastMonth();
  const kind = h('select.input#om-kind', kinds.map((k) => h('option', { value: k.code }, k.label)));
  const from = h('input.input#om-from', { type: 'date', value: f0 });
  const to = h('input.input#om-to', { type: 'date', value: t0 });
  const q = () => `kind=${encodeURIComponent(kind.value)}&from=${from.value}&to=${to.value}`;
  const label = () => kinds.find((k) => k.code === kind.value)?.label || kind.value;
  const xlsx = h('button.btn.btn-primary#om-xlsx', { type: 'button', on: { click: getXlsx } }, '下载 Excel');
  const html = h('button.btn#om-html', { type: 'button', on: { click: showHtml } }, '在线查看 / 打印');
  ctx.el.append(h('div.card', { style: { maxWidth: '900px' } },
    h('div.card-title', '运维报告'),
    h('p.muted', '由系统自身记录生成：巡检与应用可用率、故障工单及 SLA、需求、咨询、培训、演练、回访、备份恢复、数据质量和运维档案。年度报告另含各项的月度趋势，以及合同第一条各项服务内容的数据与示例（验收依据）。每张故障工单的故障处理报告链接列在“故障处理”中。'),
    h('div.toolbar', h('span', '报告类型'), kind, h('span', '起始'), from, h('span', '结束'), to, xlsx, html)));

  async function getXlsx() {
    xlsx.disabled = true;
    try {
      const name = await download(`/api/reports/om?${q()}&format=xlsx`, `${kind.value}-${from.value}.xlsx`);
      toast(`已下载 ${name}`, 'success');
    } catch (err) {
      toast(err.message, 'error', 5000);
    } finally {
      xlsx.disabled = false;
    }
  }
  function showHtml() {
    const frame = h('iframe.doc-frame#om-frame', { src: `/api/reports/om?${q()}&format=html`, title: label() });
    dialog({ title: `${label()} ${from.value} 至 ${to.value}`, wide: true, body: frame,
      buttons: [{ label: '关闭' }, { label: '打印', kind: 'primary', onClick: () => { frame.contentWindow.print(); return false; } }] });
  }
}

/*
** ops-reports.js: 巡检报告. The daily or monthly inspection report (巡检
** 记录表 + summary) from GET /api/reports/inspection?day=|month=&format=:
** XLSX downloaded, HTML shown for printing.
*/
import { download } from '../js/api.js';
import { h, toast, dialog, today } from '../js/ui.js';

export async function render(ctx) {
  const kind = h('select.input#report-kind', h('option', { value: 'day' }, '日报'), h('option', { value: 'month' }, '月报'));
  const day = h('input.input#report-day', { type: 'date', value: today() });
  const month = h('input.input#report-month', { type: 'month', value: today().slice(0, 7), hidden: true });
  kind.addEventListener('change', () => { day.hidden = kind.value !== 'day'; month.hidden = kind.value !== 'month'; });
  const q = () => (kind.value === 'day' ? `day=${day.value}` : `month=${month.value}`);
  const xlsx = h('button.btn.btn-primary#report-xlsx', { type: 'button', on: { click: getXlsx } }, '下载 Excel');
  const html = h('button.btn#report-html', { type: 'button', on: { click: showHtml } }, '在线查看 / 打印');
  ctx.el.append(h('div.card', { style: { maxWidth: '900px' } },
    h('div.card-title', '巡检报告'),
    h('p.muted', '日报：当日每个巡检项的每次结果（巡检记录表）、异常项及处理情况、备份记录；月报：汇总、未通过项、备份历史、各接口可用率、数据库大小与负载趋势。'),
    h('div.toolbar', h('span', '报告类型'), kind, h('span', '日期'), day, month, xlsx, html)));

  async function getXlsx() {
    xlsx.disabled = true;
    try {
      const name = await download(`/api/reports/inspection?${q()}&format=xlsx`, `inspection-${kind.value === 'day' ? day.value : month.value}.xlsx`);
      toast(`已下载 ${name}`, 'success');
    } catch (err) {
      toast(err.message, 'error', 5000);
    } finally {
      xlsx.disabled = false;
    }
  }
  function showHtml() {
    const frame = h('iframe.doc-frame#report-frame', { src: `/api/reports/inspection?${q()}&format=html`, title: '巡检报告' });
    dialog({ title: `巡检${kind.value === 'day' ? '日报' : '月报'} ${kind.value === 'day' ? day.value : month.value}`, wide: true, body: frame,
      buttons: [{ label: '关闭' }, { label: '打印', kind: 'primary', onClick: () => { frame.contentWindow.print(); return false; } }] });
  }
}

// One chart with everything the issue asks of every chart: the chart (role="img" with a text summary), a data
// table alternative (toggle button), a CSV download of exactly the data shown, a link to the exact API query,
// a link to the full table download, and the release id.
import { esc, fmt, cellHtml } from './format';
import { t } from './i18n';
import { downloadUrl } from './api';

export interface FigureTable {
  columns: string[];
  // each cell: a string (label) or a number/null (value) with decimals per column and optional symbol
  rows: { cells: (string | number | null)[]; symbols?: (string | undefined)[]; refs?: (CellRef | undefined)[] }[];
  decimals: number[];
}
// Where a number comes from (table, topic, trimmed dimension codes): written as data-das-* attributes so the
// end-to-end tests can compare every number on the page with the API.
export interface CellRef { table: string; topic: string; coords: Record<string, string> }
export interface FigureSpec {
  id: string;
  title: string;
  level?: 2 | 3 | 4;
  note?: string;
  summary: string;                        // text alternative of the chart (aria-label)
  table: FigureTable;
  apiUrls: string[];
  tables: string[];                       // published tables used (full CSV download links)
  release: string;
  chartHeight?: number;
  draw?: (el: HTMLElement) => Promise<void> | void;   // fills the chart box; absent = table only
}

let seq = 0;

function csvOf(table: FigureTable): string {
  const q = (s: string) => (/[",\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [table.columns.map(q).join(',')];
  for (const r of table.rows) {
    lines.push(r.cells.map((c, i) => {
      if (typeof c === 'number') return c.toFixed(table.decimals[i] ?? 0);
      if (c === null) return r.symbols?.[i] ?? 'x';
      return q(c);
    }).join(','));
  }
  return lines.join('\n') + '\n';
}

export function tableHtml(table: FigureTable, caption: string): string {
  const head = table.columns.map((c) => `<th scope="col">${esc(c)}</th>`).join('');
  const body = table.rows.map((r) => '<tr>' + r.cells.map((c, i) => {
    if (typeof c === 'string') return i === 0 ? `<th scope="row">${esc(c)}</th>` : `<td>${esc(c)}</td>`;
    const ref = r.refs?.[i];
    const attrs = ref ? ` data-das-table="${esc(ref.table)}" data-das-topic="${esc(ref.topic)}" data-das-coords="${esc(JSON.stringify(ref.coords))}" data-das-decimals="${table.decimals[i] ?? 0}"` : '';
    return `<td class="das-num"${attrs}>${cellHtml(c, table.decimals[i] ?? 0, r.symbols?.[i] ?? 'x')}</td>`;
  }).join('') + '</tr>').join('');
  return `<table class="utrecht-table"><caption class="utrecht-table__caption">${esc(caption)}</caption>` +
    `<thead class="utrecht-table__header"><tr>${head}</tr></thead><tbody class="utrecht-table__body">${body}</tbody></table>`;
}

export function renderFigure(parent: HTMLElement, spec: FigureSpec): HTMLElement {
  const n = ++seq;
  const level = spec.level ?? 2;
  const sec = document.createElement('section');
  sec.className = 'das-figure';
  sec.id = spec.id;
  sec.setAttribute('aria-labelledby', `${spec.id}-title`);
  const csv = URL.createObjectURL(new Blob([csvOf(spec.table)], { type: 'text/csv;charset=utf-8' }));
  const hasSuppressed = spec.table.rows.some((r) => r.cells.some((c) => c === null));
  sec.innerHTML = `
    <h${level} class="utrecht-heading-${level}" id="${spec.id}-title">${esc(spec.title)}</h${level}>
    ${spec.note ? `<p class="utrecht-paragraph das-figure__note">${esc(spec.note)}</p>` : ''}
    ${spec.draw ? `<div class="das-figure__chart" role="img" aria-label="${esc(spec.summary)}" style="height:${spec.chartHeight ?? 320}px"></div>` : ''}
    ${spec.draw ? `<button type="button" class="utrecht-button utrecht-button--secondary-action das-figure__toggle" aria-expanded="false" aria-controls="tbl-${n}">${esc(t('show_table'))}</button>` : ''}
    <div class="das-figure__table" id="tbl-${n}" ${spec.draw ? 'hidden' : ''}>
      <div class="das-scroll" role="region" tabindex="0" aria-label="${esc(spec.title)}">${tableHtml(spec.table, spec.title)}</div>
      ${hasSuppressed ? `<p class="das-figure__legend">${esc(t('legend_symbols'))}</p>` : ''}
    </div>
    <ul class="das-figure__links">
      <li><a class="nl-link" href="${csv}" download="${esc(spec.id)}.csv">${esc(t('csv'))}</a></li>
      ${spec.apiUrls.map((u, i) => `<li><a class="nl-link das-api-link" href="${esc(u)}">${esc(t('api_query'))}${spec.apiUrls.length > 1 ? ' ' + (i + 1) : ''}</a></li>`).join('')}
      ${spec.tables.map((tb) => `<li><a class="nl-link" href="${esc(downloadUrl(tb))}">${esc(t('csv_full'))}: ${esc(tb)}</a></li>`).join('')}
      <li>${esc(t('release'))}: <code class="das-release">${esc(spec.release)}</code></li>
    </ul>`;
  parent.appendChild(sec);
  const btn = sec.querySelector<HTMLButtonElement>('.das-figure__toggle');
  const box = sec.querySelector<HTMLElement>('.das-figure__table')!;
  btn?.addEventListener('click', () => {
    const open = box.hidden;
    box.hidden = !open;
    btn.setAttribute('aria-expanded', String(open));
    btn.textContent = open ? t('hide_table') : t('show_table');
  });
  const chart = sec.querySelector<HTMLElement>('.das-figure__chart');
  if (chart && spec.draw) pending.push({ el: chart, draw: spec.draw });
  if (chart?.isConnected) void flushDraws();
  return sec;
}

// Charts are drawn once their box is in the document (pages are built off-document, then swapped in).
const pending: { el: HTMLElement; draw: (el: HTMLElement) => Promise<void> | void }[] = [];
export async function flushDraws(): Promise<void> {
  const ready = pending.filter((p) => p.el.isConnected);
  pending.length = 0;  // the rest belong to abandoned renders
  await Promise.all(ready.map(async (p) => {
    try { await p.draw(p.el); } catch (e) { p.el.textContent = String(e); }
  }));
}

// "2019: 1.234; 2020: x; ..." for chart summaries.
export function pointsText(labels: string[], values: (number | null)[], decimals: number): string {
  return labels.map((l, i) => `${l}: ${fmt(values[i], decimals)}`).join('; ');
}

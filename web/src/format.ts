// Number formatting for the page, the tables and the CSV; suppressed cells are never shown as 0.
import { lang, t } from './i18n';

export function locale(): string { return lang() === 'nl' ? 'nl-NL' : 'en-GB'; }

export function fmt(v: number | null | undefined, decimals: number, symbol = 'x'): string {
  if (v === null || v === undefined || Number.isNaN(v)) return symbol;
  return new Intl.NumberFormat(locale(), { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(v);
}

// Change vs the previous value: percentage points for '%' units, else a relative change in %.
export function change(cur: number | null, prev: number | null, unit: string): { text: string; dir: number } | null {
  if (cur === null || prev === null || cur === undefined || prev === undefined) return null;
  const sign = (x: number) => (x > 0 ? '+' : x < 0 ? '−' : '±');
  if (unit.trim() === '%') {
    const d = cur - prev;
    return { text: `${sign(d)}${fmt(Math.abs(d), 1)} ${t('pp')}`, dir: Math.sign(d) };
  }
  if (prev === 0) return null;
  const r = (cur - prev) / Math.abs(prev) * 100;
  return { text: `${sign(r)}${fmt(Math.abs(r), 1)}%`, dir: Math.sign(r) };
}

export function symbolTitle(sym: string): string { return sym === '.' ? t('sup_dot') : t('sup_x'); }

export function esc(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c] as string));
}

// A table cell's HTML: the formatted number or the symbol with its explanation.
export function cellHtml(v: number | null, decimals: number, sym = 'x'): string {
  if (v === null || v === undefined) return `<abbr class="das-symbol" title="${esc(symbolTitle(sym))}">${sym}</abbr>`;
  return esc(fmt(v, decimals));
}

// Helpers shared by the pages: code lists by trimmed key, period and region choices, form controls that write
// the view state into the URL.
import { categoryGroups, codes, key, type CodeEntry } from '../api';
import { esc } from '../format';
import { t } from '../i18n';
import { setParams } from '../router';

export interface CodeList { list: CodeEntry[]; byKey: Map<string, CodeEntry> }

export async function codeList(table: string, dim: string): Promise<CodeList> {
  const list = await codes(table, dim);
  return { list, byKey: new Map(list.map((c) => [key(c.Key), c])) };
}

// Padded key as the API has it (for $filter), from a trimmed code.
export function padded(cl: CodeList, code: string): string { return cl.byKey.get(code)?.Key ?? code; }

// Year periods (…JJ00), oldest first.
export function years(perioden: CodeList): CodeEntry[] {
  return perioden.list.filter((c) => key(c.Key).includes('JJ')).sort((a, b) => key(a.Key).localeCompare(key(b.Key)));
}

export function yearLabel(c: CodeEntry | undefined): string { return c ? (c.Title || key(c.Key).slice(0, 4)) : ''; }

// Children of the dimension's total (codes list parents before children; the first code is the total).
// The API gives the hierarchy as CBS does: a code's CategoryGroupID is the group headed by its parent, and
// /CategoryGroups lists the groups with their ParentID; the total heads the dimension's group without a parent.
// Without hierarchy information: all codes but the first.
export async function detailCodes(table: string, dim: string, cl: CodeList): Promise<CodeEntry[]> {
  if (cl.list.some((c) => typeof c.CategoryGroupID === 'number')) {
    try {
      const groups = (await categoryGroups(table)).filter((g) => g.DimensionKey === dim && (g.ParentID === null || g.ParentID === undefined));
      if (groups.length) {
        const root = groups.find((g) => g.Title === cl.list[0].Title) ?? groups[0];
        const kids = cl.list.filter((c) => c.CategoryGroupID === root.ID);
        if (kids.length) return kids;
      }
    } catch { /* fall through */ }
  }
  return cl.list.slice(1);
}

export function select(id: string, label: string, param: string, options: { value: string; label: string; group?: string }[], value: string): string {
  let html = '';
  let group: string | undefined;
  for (const o of options) {
    if (o.group !== group) {
      if (group !== undefined) html += '</optgroup>';
      if (o.group !== undefined) html += `<optgroup label="${esc(o.group)}">`;
      group = o.group;
    }
    html += `<option value="${esc(o.value)}"${o.value === value ? ' selected' : ''}>${esc(o.label)}</option>`;
  }
  if (group !== undefined) html += '</optgroup>';
  return `<div class="utrecht-form-field das-control"><label class="utrecht-form-label" for="${id}">${esc(label)}</label>` +
    `<select class="utrecht-select" id="${id}" data-param="${param}">${html}</select></div>`;
}

// Wires every <select data-param> inside `form` to the URL (permalink) state.
export function wire(form: HTMLElement): void {
  form.querySelectorAll<HTMLSelectElement>('select[data-param]').forEach((s) => {
    s.addEventListener('change', () => {
      (window as unknown as { __dasFocus?: string }).__dasFocus = s.id;
      setParams({ [s.dataset.param as string]: s.value });
    });
  });
}

export function regionOptions(regio: CodeList, levels: string[] = ['NL', 'PV', 'GM']): { value: string; label: string; group?: string }[] {
  const groups: Record<string, string> = { NL: t('regions_nl'), PV: t('provinces'), RE: t('police_units'), GM: t('municipalities') };
  const out: { value: string; label: string; group?: string }[] = [];
  for (const lv of levels) {
    const items = regio.list.filter((c) => key(c.Key).startsWith(lv)).map((c) => ({ value: key(c.Key), label: c.Title, group: groups[lv] }));
    if (lv === 'GM') items.sort((a, b) => a.label.localeCompare(b.label, 'nl'));
    out.push(...items);
  }
  return out;
}

export function notAvailable(parent: HTMLElement, title: string, detail = ''): void {
  const p = document.createElement('div');
  p.className = 'das-notice';
  p.innerHTML = `<p class="utrecht-paragraph"><strong>${esc(title)}</strong>: ${esc(t('not_available'))}${detail ? ' ' + esc(detail) : ''}</p>`;
  parent.appendChild(p);
}

// Cell reference for the e2e check: the table and coordinates the number on the page comes from.
export function refAttrs(table: string, topic: string, coords: Record<string, string>, decimals: number): string {
  return `data-das-table="${esc(table)}" data-das-topic="${esc(topic)}" data-das-coords="${esc(JSON.stringify(coords))}" data-das-decimals="${decimals}"`;
}

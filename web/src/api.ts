// Client of the DAS API (same origin as the dashboard): CBS OData v3 JSON under /ODataApi/odata/<Table>/,
// /api/releases and /api/concepts. Every data request returns the exact URL it used, so each chart can link to
// its query. Responses are cached for the page's lifetime (a release never changes).
// Errors: ApiError with the HTTP status (404 = table or entity set not in this release).

export interface DataProperty {
  ID: number; Position: number; ParentID: number | null; Type: string; Key: string; Title: string;
  Description?: string | null; Unit?: string | null; Decimals?: number | null;
}
export interface CodeEntry { Key: string; Title: string; Description?: string | null; Status?: string; [k: string]: unknown }
export type Cell = number | null;
export interface Row { [key: string]: string | number | null }
export interface DataResult { rows: Row[]; url: string; symbols: Map<string, string> }  // symbols: "<rowIndex>|<topic>" -> 'x' | '.'
export interface ReleaseInfo { release_id: string; sequence: number; horizon: string; content_sha256: string; num_tables: number }
export interface Concept { id: string; term_nl: string; term_en: string; definition_nl: string; definition_en: string; used_by?: string[] }

export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly url: string) { super(message); }
}

const cache = new Map<string, Promise<unknown>>();

async function fetchJson<T>(url: string): Promise<T> {
  const hit = cache.get(url);
  if (hit) return hit as Promise<T>;
  const p = (async () => {
    const res = await fetch(url, { headers: { Accept: 'application/json' } });
    if (!res.ok) {
      let msg = `HTTP ${res.status}`;
      try {
        const body = await res.json();
        msg = body?.['odata.error']?.message?.value ?? body?.error?.message ?? msg;
      } catch { /* not JSON */ }
      throw new ApiError(res.status, msg, url);
    }
    return res.json() as Promise<T>;
  })();
  cache.set(url, p);
  p.catch(() => cache.delete(url));
  return p;
}

export function odataUrl(table: string, set: string, params: Record<string, string> = {}): string {
  const q = Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
  return `/ODataApi/odata/${encodeURIComponent(table)}/${set}${q.length ? '?' + q.join('&') : ''}`;
}

export async function dataProperties(table: string): Promise<DataProperty[]> {
  const body = await fetchJson<{ value: DataProperty[] }>(odataUrl(table, 'DataProperties'));
  return body.value;
}
export async function topics(table: string): Promise<DataProperty[]> {
  return (await dataProperties(table)).filter((p) => p.Type === 'Topic');
}
export interface CategoryGroup { ID: number; DimensionKey: string; Title: string; ParentID: number | null }
export async function categoryGroups(table: string): Promise<CategoryGroup[]> {
  const body = await fetchJson<{ value: CategoryGroup[] }>(odataUrl(table, 'CategoryGroups'));
  return body.value;
}
export async function codes(table: string, dim: string): Promise<CodeEntry[]> {
  const body = await fetchJson<{ value: CodeEntry[] }>(odataUrl(table, dim));
  return body.value;
}

// A string literal for $filter (quotes doubled).
export function lit(s: string): string { return `'${s.replace(/'/g, "''")}'`; }
// "Dim eq 'k1' or Dim eq 'k2'" in parentheses; keys as the code list gives them (space-padded).
export function anyOf(dim: string, keys: string[]): string {
  return keys.length === 1 ? `${dim} eq ${lit(keys[0])}` : '(' + keys.map((k) => `${dim} eq ${lit(k)}`).join(' or ') + ')';
}

// TypedDataSet rows for a filter and selection. When a selected topic is null in some row, the same query on
// UntypedDataSet tells suppressed ('x') from unavailable ('.').
export async function typed(table: string, filter: string, select: string[]): Promise<DataResult> {
  const params: Record<string, string> = { $format: 'json' };
  if (filter) params.$filter = filter;
  if (select.length) params.$select = select.join(',');
  const url = odataUrl(table, 'TypedDataSet', params);
  const body = await fetchJson<{ value: Row[] }>(url);
  const symbols = new Map<string, string>();
  const nullAt: [number, string][] = [];
  body.value.forEach((row, i) => { for (const [k, v] of Object.entries(row)) if (v === null) nullAt.push([i, k]); });
  if (nullAt.length) {
    try {
      const un = await fetchJson<{ value: Row[] }>(odataUrl(table, 'UntypedDataSet', params));
      for (const [i, k] of nullAt) {
        const s = String(un.value[i]?.[k] ?? 'x').trim();
        symbols.set(`${i}|${k}`, s === '.' ? '.' : 'x');
      }
    } catch { /* keep 'x' */ }
  }
  return { rows: body.value, url, symbols };
}

export async function releases(): Promise<ReleaseInfo[]> { return fetchJson<ReleaseInfo[]>('/api/releases'); }
export async function currentRelease(): Promise<string> {
  try {
    const list = await releases();
    return list.length ? list[list.length - 1].release_id : '?';
  } catch { return '?'; }
}
export async function concepts(): Promise<Concept[]> {
  try {
    const body = await fetchJson<Concept[] | { value: Concept[] } | { concepts: Concept[] }>('/api/concepts');
    if (Array.isArray(body)) return body;
    return 'value' in body ? body.value : body.concepts;
  } catch { return []; }
}

export function downloadUrl(table: string): string { return `/download/${encodeURIComponent(table)}.csv`; }

// Trimmed key (the API pads keys with spaces).
export function key(v: unknown): string { return String(v ?? '').trim(); }

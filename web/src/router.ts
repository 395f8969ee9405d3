// Permalinks: the whole view state lives in the URL hash, "#/<page>[/<sub>]?jaar=2023&regio=PV27&lang=en",
// so any view can be bookmarked and shared, and the dashboard works behind any static file server.
export interface State { page: string; sub: string; q: URLSearchParams }

export function parseHash(hash: string = location.hash): State {
  const h = hash.replace(/^#/, '');
  const [path, query = ''] = h.split('?');
  const parts = path.split('/').filter(Boolean);
  return { page: parts[0] || 'home', sub: parts[1] || '', q: new URLSearchParams(query) };
}

export function hrefFor(page: string, sub = '', params: Record<string, string> = {}, keepLang = true): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '') q.set(k, v);
  const cur = parseHash();
  if (keepLang && !q.has('lang') && cur.q.get('lang') === 'en') q.set('lang', 'en');
  const qs = q.toString();
  return `#/${page}${sub ? '/' + sub : ''}${qs ? '?' + qs : ''}`;
}

// Replaces some query parameters of the current view (a control changed); pushes a history entry.
export function setParams(changes: Record<string, string>): void {
  const cur = parseHash();
  const params: Record<string, string> = Object.fromEntries(cur.q.entries());
  Object.assign(params, changes);
  location.hash = hrefFor(cur.page, cur.sub, params, false);
}

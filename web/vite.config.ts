// Vite build of the DAS dashboard. `npm run build` -> web/dist, served by `das serve` at /.
// The map shapes and 2024 populations ship in the repo (config/geo) and are copied into dist/geo at build time
// ("Bron: CBS / Kadaster, CC BY 4.0"; populations "Bron: CBS / Politie, CC BY 4.0").
import { defineConfig, type Plugin } from 'vite';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const geoDir = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', 'config', 'geo');

// One CSV line (RFC 4180 quoting) into fields.
function splitCsv(line: string): string[] {
  const out: string[] = [];
  let cur = '', q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) { if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') q = false; else cur += c; }
    else if (c === '"') q = true;
    else if (c === ',') { out.push(cur); cur = ''; }
    else cur += c;
  }
  out.push(cur);
  return out;
}

// gemeenten.csv (code,name,province,police_unit,arrondissement,population,valid_from,valid_to) -> the 2024
// gemeenten as {code: [name, province, population]}.
function gemeenten2024(): string {
  const [head, ...rows] = readFileSync(resolve(geoDir, 'gemeenten.csv'), 'utf8').trim().split('\n');
  const cols = splitCsv(head);
  const at = (name: string) => cols.indexOf(name);
  const out: Record<string, [string, string, number]> = {};
  for (const line of rows) {
    const f = splitCsv(line);
    if (f[at('valid_to')] !== '9999') continue;
    out[f[at('code')]] = [f[at('name')], f[at('province')], Number(f[at('population')])];
  }
  return JSON.stringify(out);
}

function geoAssets(): Plugin {
  const files = (): Record<string, string> => ({
    'geo/gemeente_2024.topojson': readFileSync(resolve(geoDir, 'gemeente_2024.topojson'), 'utf8'),
    'geo/provincie_2024.topojson': readFileSync(resolve(geoDir, 'provincie_2024.topojson'), 'utf8'),
    'geo/gemeenten_2024.json': gemeenten2024(),
  });
  return {
    name: 'das-geo-assets',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const name = (req.url || '').replace(/^\//, '').split('?')[0];
        const all = files();
        if (!(name in all)) return next();
        res.setHeader('Content-Type', 'application/json');
        res.end(all[name]);
      });
    },
    generateBundle() {
      for (const [fileName, source] of Object.entries(files())) this.emitFile({ type: 'asset', fileName, source });
    },
  };
}

export default defineConfig({
  base: '/',
  plugins: [geoAssets()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2020', chunkSizeWarningLimit: 900 },
  server: { proxy: { '/ODataApi': 'http://127.0.0.1:8090', '/api': 'http://127.0.0.1:8090', '/download': 'http://127.0.0.1:8090' } },
});

// Dashboard performance against a running server (das serve, or the e2e mock):
//   - first-page JavaScript: every script the home page loads, raw and gzip -9 size, and the bytes on the wire
//   - first contentful paint (performance API, paint entry) and time until the home page's data is rendered
//     (body[data-das-ready]), median and max over N cold loads (fresh browser context, no cache).
// Usage: node measure.mjs <base-url> [runs]     (playwright-core from tests/e2e/node_modules)
import zlib from 'node:zlib';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', '..', 'tests', 'e2e', 'package.json'));
const { chromium } = require('playwright-core');

const base = (process.argv[2] || '').replace(/\/$/, '');
const runs = Number(process.argv[3] || 10);
if (!base) { console.error('usage: node measure.mjs <base-url> [runs]'); process.exit(2); }

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  // JS of the first page
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const scripts = [];
  page.on('response', async (res) => {
    if (res.request().resourceType() !== 'script') return;
    try {
      const body = await res.body();
      const sizes = await res.request().sizes();
      scripts.push({ url: res.url().replace(base, ''), raw: body.length, gzip: zlib.gzipSync(body, { level: 9 }).length,
        wire: sizes.responseBodySize, encoding: res.headers()['content-encoding'] || 'identity' });
    } catch { /* redirect or no body */ }
  });
  await page.goto(`${base}/`, { waitUntil: 'load' });
  await page.waitForSelector('body[data-das-ready]', { timeout: 60000 });
  await page.waitForLoadState('networkidle');
  await ctx.close();

  const fcp = [], ready = [];
  for (let i = 0; i < runs; i++) {
    const c = await browser.newContext();
    const p = await c.newPage();
    const t0 = Date.now();
    await p.goto(`${base}/`, { waitUntil: 'load' });
    await p.waitForSelector('body[data-das-ready]', { timeout: 60000 });
    const readyMs = Date.now() - t0;
    const f = await p.evaluate(() => new Promise((resolve) => {
      const e = performance.getEntriesByName('first-contentful-paint')[0];
      if (e) return resolve(e.startTime);
      new PerformanceObserver((l) => resolve(l.getEntries()[0].startTime)).observe({ type: 'paint', buffered: true });
    }));
    fcp.push(f);
    ready.push(readyMs);
    await c.close();
  }
  const med = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor((s.length - 1) / 2)]; };
  const sum = (k) => scripts.reduce((s, x) => s + x[k], 0);
  console.log(`dashboard first page: ${base}/  (${runs} cold loads, chromium ${browser.version()})`);
  for (const s of scripts) console.log(`  script ${s.url}: raw ${s.raw} B, gzip -9 ${s.gzip} B, on the wire ${s.wire} B (${s.encoding})`);
  console.log(`first-page JS total: raw ${sum('raw')} B, gzip -9 ${sum('gzip')} B (${(sum('gzip') / 1024).toFixed(1)} KiB; budget 350 KB), on the wire ${sum('wire')} B`);
  console.log(`first contentful paint: median ${med(fcp).toFixed(0)} ms, max ${Math.max(...fcp).toFixed(0)} ms (target < 1500 ms)`);
  console.log(`home data rendered (6 themes, from navigation start): median ${med(ready)} ms, max ${Math.max(...ready)} ms`);
  const ok = sum('gzip') <= 350 * 1000 && med(fcp) < 1500;
  console.log(ok ? 'RESULT: within budget' : 'RESULT: OVER BUDGET');
  process.exitCode = ok ? 0 : 1;
} finally {
  await browser.close();
}

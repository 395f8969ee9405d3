// End-to-end tests of the dashboard in headless Debian chromium (playwright-core) with axe-core.
//
// Target: DAS_URL (e.g. http://127.0.0.1:8080, a running `das serve` with web/dist built), or the mock with
// DAS_MOCK=1 (or the --mock flag): tests/e2e/mock-server.mjs started in-process on a free port.
// Run: cd tests/e2e && npm ci && DAS_URL=http://127.0.0.1:8080 npm test   (or: npm run test:mock)
// Screenshots: tests/e2e/artifacts/*.png. CHROMIUM overrides /usr/bin/chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const artifacts = path.join(here, 'artifacts');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const useMock = process.env.DAS_MOCK === '1' || process.argv.includes('--mock');

let base, browser, mock;

before(async () => {
  fs.mkdirSync(artifacts, { recursive: true });
  if (useMock) {
    const { startMock } = await import('./mock-server.mjs');
    mock = await startMock({ port: 0 });
    base = `http://127.0.0.1:${mock.address().port}`;
  } else {
    base = (process.env.DAS_URL || '').replace(/\/$/, '');
    assert.ok(base, 'set DAS_URL to a running das serve (or DAS_MOCK=1 for the mock)');
  }
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
});
after(async () => {
  await browser?.close();
  mock?.close();
});

async function api(p) {
  const r = await fetch(base + p);
  assert.equal(r.status, 200, `${p}: HTTP ${r.status}`);
  return r.json();
}

// Opens a view and waits until the dashboard has rendered it (body[data-das-ready]) and its charts are drawn.
async function open(hash, { width = 1280, height = 900 } = {}) {
  const page = await browser.newPage({ viewport: { width, height } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${base}/${hash}`);
  await page.waitForSelector('body[data-das-ready]', { timeout: 30000 });
  await page.waitForFunction(() => [...document.querySelectorAll('.das-figure__chart')].every((el) => el.querySelector('svg')), null, { timeout: 30000 });
  page.dasErrors = errors;
  return page;
}

async function axe(page, name) {
  await page.addScriptTag({ content: axeSource });
  const res = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  const msg = res.violations.map((v) => `${v.id} (${v.impact}): ${v.help} @ ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`).join('\n');
  assert.equal(res.violations.length, 0, `${name}: axe violations:\n${msg}`);
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

// Every number on the page that names its source cell (data-das-*) must equal the API's value, formatted the
// way the page formats it; suppressed/unavailable cells must show their symbol, never 0.
async function numbersMatchApi(page) {
  const refs = await page.$$eval('[data-das-table]', (els) => els.map((el) => ({ table: el.dataset.dasTable, topic: el.dataset.dasTopic,
    coords: JSON.parse(el.dataset.dasCoords), decimals: Number(el.dataset.dasDecimals || 0), text: el.textContent.trim() })));
  const lang = await page.evaluate(() => document.documentElement.lang);
  const nf = (v, d) => new Intl.NumberFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { minimumFractionDigits: d, maximumFractionDigits: d }).format(v);
  const byTable = new Map();
  for (const r of refs) { if (!byTable.has(r.table)) byTable.set(r.table, []); byTable.get(r.table).push(r); }
  let checked = 0;
  for (const [table, list] of byTable) {
    const dims = Object.keys(list[0].coords);
    const codeLists = {};
    for (const d of dims) codeLists[d] = new Map((await api(`/ODataApi/odata/${table}/${d}`)).value.map((c) => [c.Key.trim(), c.Key]));
    const clauses = [];
    for (const d of dims) {
      const vals = [...new Set(list.map((r) => r.coords[d]))];
      if (vals.length > 20) continue;  // keep the query short: filter the other dimensions only
      clauses.push('(' + vals.map((v) => `${d} eq '${codeLists[d].get(v) ?? v}'`).join(' or ') + ')');
    }
    const topics = [...new Set(list.map((r) => r.topic))];
    const q = `$format=json&$filter=${encodeURIComponent(clauses.join(' and '))}&$select=${dims.concat(topics).join(',')}`;
    const typedRows = (await api(`/ODataApi/odata/${table}/TypedDataSet?${q}`)).value;
    const untypedRows = (await api(`/ODataApi/odata/${table}/UntypedDataSet?${q}`)).value;
    const index = new Map(typedRows.map((row, i) => [dims.map((d) => String(row[d]).trim()).join('|'), i]));
    for (const r of list) {
      const i = index.get(dims.map((d) => r.coords[d]).join('|'));
      assert.notEqual(i, undefined, `${table} ${JSON.stringify(r.coords)}: cell shown on the page but not in the API`);
      const v = typedRows[i][r.topic];
      const expected = v === null ? String(untypedRows[i][r.topic]).trim() : nf(v, r.decimals);
      assert.equal(r.text, expected, `${table}.${r.topic} ${JSON.stringify(r.coords)}: page shows '${r.text}', API has ${JSON.stringify(v)}`);
      checked++;
    }
  }
  return checked;
}

const themes = ['preventie', 'slachtofferschap', 'opsporing', 'vervolging', 'berechting', 'tenuitvoerlegging'];
const views = [
  ['home', '#/'],
  ...themes.map((t) => [`thema-${t}`, `#/thema/${t}`]),
  ['keten', '#/keten'],
  ['kaart-gemeente', '#/kaart'],
  ['kaart-provincie', '#/kaart?niveau=provincie'],
  ['toegankelijkheid', '#/toegankelijkheid'],
];

test('API answers the dashboard contract (releases, concepts)', async () => {
  const rel = await api('/api/releases');
  assert.ok(Array.isArray(rel) && rel.length > 0, 'no release');
  assert.match(rel[rel.length - 1].release_id, /\S+/);
});

for (const [name, hash] of views) {
  for (const lang of ['nl', 'en']) {
    test(`${name} (${lang}) renders, numbers equal the API, axe clean`, async () => {
      const sep = hash.includes('?') ? '&' : '?';
      const page = await open(lang === 'en' ? `${hash}${sep}lang=en` : hash);
      try {
        assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
        const h1 = await page.textContent('h1');
        assert.ok(h1 && h1.trim().length > 0, 'no h1');
        assert.notEqual(h1.trim(), lang === 'nl' ? 'Gegevens konden niet worden geladen' : 'Data could not be loaded');
        const release = (await api('/api/releases')).at(-1).release_id;
        assert.equal((await page.textContent('#footer-release')).trim(), release);
        const notices = await page.$$eval('.das-notice', (els) => els.map((e) => e.textContent.trim()));
        if (name !== 'toegankelijkheid') {
          const figures = await page.$$eval('.das-figure', (els) => els.length);
          assert.ok(figures > 0, `no figures (notices: ${notices.join(' / ')})`);
          // every chart: table alternative, CSV download, API link, release
          const incomplete = await page.$$eval('section.das-figure[id]', (els) => els.filter((s) => !(s.querySelector('table') && s.querySelector('a[download]')
            && s.querySelector('a.das-api-link') && s.querySelector('.das-release'))).map((s) => s.id));
          assert.deepEqual(incomplete, []);
          const checked = await numbersMatchApi(page);
          assert.ok(checked > 0, 'no numbers checked');
        }
        if (name === 'home') assert.equal(await page.$$eval('.das-card .das-value', (els) => els.length), 6, `home: six headline values (notices: ${notices.join(' / ')})`);
        assert.deepEqual(page.dasErrors, []);
        await axe(page, `${name}/${lang}`);
        // the same with every table alternative opened
        for (const b of await page.$$('.das-figure__toggle')) await b.click();
        await axe(page, `${name}/${lang}/tables-open`);
        await shot(page, `${name}-${lang}`);
      } finally {
        await page.close();
      }
    });
  }
}

test('narrow screen (320 px): no horizontal page scroll, axe clean', async () => {
  for (const [name, hash] of [['home', '#/'], ['thema', '#/thema/opsporing'], ['keten', '#/keten']]) {
    const page = await open(hash, { width: 320, height: 800 });
    try {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 1, `${name} at 320px overflows by ${overflow}px`);
      await axe(page, `${name}/320px`);
      await shot(page, `${name}-320px`);
    } finally { await page.close(); }
  }
});

test('drill-down states are axe clean and match the API', async () => {
  const perioden = (await api('/ODataApi/odata/DAS_Kerncijfers_Opsporing/Perioden')).value.map((c) => c.Key.trim()).filter((k) => k.includes('JJ')).sort();
  const props = (await api('/ODataApi/odata/DAS_Kerncijfers_Opsporing/DataProperties')).value.filter((p) => p.Type === 'Topic');
  const gm = (await api('/ODataApi/odata/DAS_Kerncijfers_Opsporing/RegioS')).value.map((c) => c.Key.trim()).find((k) => k.startsWith('GM'));
  for (const hash of [`#/thema/opsporing?jaar=${perioden[0]}&regio=${gm}&kc=${props[props.length - 1].Key}&naar=Leeftijd`,
    '#/thema/tenuitvoerlegging?naar=Geslacht&schakel=DJI', '#/keten?regio=PV27&methode=cohort']) {
    const page = await open(hash);
    try {
      assert.ok(await numbersMatchApi(page) > 0);
      await axe(page, hash);
      await shot(page, `state-${hash.replace(/[^a-z0-9]+/gi, '_').slice(0, 60)}`);
    } finally { await page.close(); }
  }
});

test('permalink restores the whole view state', async () => {
  const perioden = (await api('/ODataApi/odata/DAS_Kerncijfers_Opsporing/Perioden')).value.map((c) => c.Key.trim()).filter((k) => k.includes('JJ')).sort();
  const props = (await api('/ODataApi/odata/DAS_Kerncijfers_Opsporing/DataProperties')).value.filter((p) => p.Type === 'Topic');
  const regio = (await api('/ODataApi/odata/DAS_Kerncijfers_Opsporing/RegioS')).value.find((c) => c.Key.trim().startsWith('PV'));
  const kc = props[1].Key;
  const page = await open(`#/thema/opsporing?jaar=${perioden[0]}&regio=${regio.Key.trim()}&kc=${kc}&lang=en`);
  try {
    assert.equal(await page.$eval('#f-jaar', (s) => s.value), perioden[0]);
    assert.equal(await page.$eval('#f-regio', (s) => s.value), regio.Key.trim());
    assert.equal(await page.$eval('#f-kc', (s) => s.value), kc);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    assert.equal((await page.textContent('#trend-title')).trim(), `Trend: ${props[1].Title} — ${regio.Title}`);
    assert.match(await page.textContent('section[aria-labelledby="kf-title"] caption'), new RegExp(`Key figures in ${perioden[0].slice(0, 4)}`));
  } finally { await page.close(); }
});

test('language toggle switches texts and keeps the state', async () => {
  const page = await open('#/keten?regio=PV27');
  try {
    assert.equal((await page.textContent('h1')).trim(), 'De strafrechtketen als één stroom');
    await page.click('#lang-toggle');
    await page.waitForFunction(() => document.documentElement.lang === 'en' && document.querySelector('h1')?.textContent === 'The criminal justice chain as one flow');
    await page.waitForSelector('body[data-das-ready]');
    assert.match(page.url(), /#\/keten\?.*regio=PV27/);
    assert.match(page.url(), /lang=en/);
    assert.equal((await page.textContent('#lang-toggle')).trim(), 'Nederlands');
    await page.click('#lang-toggle');
    await page.waitForFunction(() => document.documentElement.lang === 'nl');
    assert.doesNotMatch(page.url(), /lang=en/);
  } finally { await page.close(); }
});

test('keyboard only: skip link, navigation, controls, table toggle; focus always visible', async () => {
  const page = await open('#/');
  try {
    const focusInfo = () => page.evaluate(() => {
      const el = document.activeElement;
      const cs = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      return { tag: el.tagName, id: el.id, text: (el.textContent || '').trim().slice(0, 40), href: el.getAttribute('href'),
        visible: (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2) || cs.boxShadow !== 'none', onScreen: r.width > 0 && r.height > 0 };
    });
    await page.keyboard.press('Tab');
    let f = await focusInfo();
    assert.equal(f.id, 'skip');
    assert.ok(f.visible && f.onScreen, 'skip link focus not visible');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
    // walk from the top to the "Opsporing" nav link, checking every stop has a visible focus indicator
    await page.evaluate(() => document.getElementById('skip').focus());  // back to the top of the page
    let found = false;
    for (let i = 0; i < 30 && !found; i++) {
      await page.keyboard.press('Tab');
      f = await focusInfo();
      assert.ok(f.visible, `focus not visible on ${f.tag}#${f.id} '${f.text}'`);
      found = f.href === '#/thema/opsporing' && f.tag === 'A' && (await page.evaluate(() => !!document.activeElement.closest('nav')));
    }
    assert.ok(found, 'Opsporing nav link not reachable by Tab');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.hash === '#/thema/opsporing' && document.activeElement.tagName === 'H1');
    await page.waitForFunction(() => [...document.querySelectorAll('.das-figure__chart')].every((el) => el.querySelector('svg')));
    // Tab to the year control and change it with the arrow keys: the URL and the view follow, focus stays
    let onYear = false;
    for (let i = 0; i < 40 && !onYear; i++) { await page.keyboard.press('Tab'); onYear = (await focusInfo()).id === 'f-jaar'; }
    assert.ok(onYear, 'year control not reachable by Tab');
    assert.ok((await focusInfo()).visible);
    const before = await page.$eval('#f-jaar', (s) => s.value);
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction((b) => location.hash.includes('jaar=') && !location.hash.includes(`jaar=${b}`), before);
    await page.waitForFunction(() => document.activeElement.id === 'f-jaar');
    const after = await page.$eval('#f-jaar', (s) => s.value);
    assert.notEqual(after, before);
    assert.match(page.url(), new RegExp(`jaar=${after}`));
    // Tab on to the first "show table" button and open it with the keyboard
    let onToggle = false;
    for (let i = 0; i < 40 && !onToggle; i++) {
      await page.keyboard.press('Tab');
      const info = await focusInfo();
      assert.ok(info.visible, `focus not visible on ${info.tag}#${info.id}`);
      onToggle = await page.evaluate(() => document.activeElement.classList.contains('das-figure__toggle'));
    }
    assert.ok(onToggle, 'table toggle not reachable by Tab');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-expanded')), 'true');
    assert.ok(await page.evaluate(() => !document.getElementById(document.activeElement.getAttribute('aria-controls')).hidden));
    await shot(page, 'keyboard-table-open');
  } finally { await page.close(); }
});

test('print stylesheet hides navigation and shows the table alternatives', async () => {
  const page = await open('#/thema/vervolging');
  try {
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.$eval('.das-header', (e) => getComputedStyle(e).display), 'none');
    assert.equal(await page.$eval('.das-figure__table', (e) => getComputedStyle(e).display), 'block');
    await page.pdf({ path: path.join(artifacts, 'thema-vervolging-print.pdf') }).catch(() => {});
  } finally { await page.close(); }
});

test('the number check fails on a wrong number and on a suppressed cell shown as 0', async () => {
  const page = await open('#/thema/opsporing');
  try {
    await page.$eval('section[aria-labelledby="kf-title"] td[data-das-table]', (td) => { td.textContent = '12345'; });
    await assert.rejects(numbersMatchApi(page), /page shows '12345'/);
  } finally { await page.close(); }
  // Vlieland (GM0096, ~1,200 inhabitants): the mock suppresses its percentages; a real release may not
  const page2 = await open('#/thema/preventie?regio=GM0096');
  try {
    const hasX = await page2.$$eval('td[data-das-table]', (tds) => { const td = tds.find((x) => x.textContent.trim() === 'x'); if (td) td.textContent = '0'; return !!td; });
    if (useMock) assert.ok(hasX, 'mock: expected a suppressed cell for GM0096');
    if (hasX) await assert.rejects(numbersMatchApi(page2), /page shows '0', API has null/);
  } finally { await page2.close(); }
});

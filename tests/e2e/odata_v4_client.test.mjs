// Issue 6 acceptance: a generic OData v4 client from npm lists and reads DAS tables from `das serve`.
//
// The client is ts-odatajs, the maintained npm release of Apache Olingo's OData v4 JavaScript client
// (odatajs). It is not written for CBS or DAS: it parses CSDL $metadata (EDMX 4.0) into its model, reads JSON
// with odata.metadata=minimal and, given that model, resolves each payload's @odata.context to an entity set and
// type (adds @odata.type / per-property types), and its ODataCacheSource reads a collection with $skip/$top and
// follows @odata.nextLink itself. Query options are built with odata-query (a generic v4 query builder), so
// the $filter strings (startswith, contains, '' quoting, and/parentheses) are the builder's, not ours.
//
// Everything the client reads is compared with the OData v3 TypedDataSet / UntypedDataSet of the same table,
// read independently with fetch (the v3 feed, following odata.nextLink): every cell x topic exactly once, the
// same values, None for a number, Confidential for 'x', Impossible for '.'.
//
// Usage: DAS_URL=http://127.0.0.1:PORT node --test odata_v4_client.test.mjs   (DAS_ODATA_TABLE: default
// DAS_OM_Regio; it must have more than one page of Observations, i.e. > 10,000, so that paging is exercised).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import odatajs from 'ts-odatajs';
import cacheSource from 'ts-odatajs/lib/cache/source.js';
import buildQuery from 'odata-query';

const { oData } = odatajs;
const { ODataCacheSource } = cacheSource;

const base = (process.env.DAS_URL ?? '').replace(/\/+$/, '');
const table = process.env.DAS_ODATA_TABLE ?? 'DAS_OM_Regio';
const kPageRows = 10000; // das serve: rows per v4 page (docs/api.md, Limits)
if (!base) throw new Error('set DAS_URL to a running `das serve` (e.g. http://127.0.0.1:8080)');
const v4Root = `${base}/odata/v1`;
const v4Table = `${v4Root}/DAS/${table}`;

// An httpClient for odatajs that records every URI it requests (to see the client follow @odata.nextLink).
const requested = [];
const httpClient = {
  ...oData.net.defaultHttpClient,
  request(request, success, error) {
    requested.push(request.requestUri);
    return oData.net.defaultHttpClient.request(request, success, error);
  },
};

// oData.read as a promise; a failure carries the status and body of the response.
function read(requestUri, { handler, metadata } = {}) {
  return new Promise((resolve, reject) => {
    oData.read({ requestUri }, (data, response) => resolve({ data, response }),
      (err) => reject(new Error(`${requestUri}: ${err.message} ${err.response?.statusCode ?? ''} ` +
        `${String(err.response?.body ?? '').slice(0, 300)}`)),
      handler, httpClient, metadata);
  });
}

// The whole collection through the client's own paging (ODataCacheSource: $skip/$top, then @odata.nextLink).
function readAll(collectionUri, metadata, total) {
  const source = new ODataCacheSource({ source: collectionUri, httpClient, metadata });
  return new Promise((resolve, reject) => {
    source.read(0, total, (data) => resolve(data),
      (err) => reject(new Error(`${collectionUri}: ${err.message} ${err.response?.statusCode ?? ''} ` +
        `${String(err.response?.body ?? '').slice(0, 300)}`)));
  });
}

function countOf(source) {
  return new Promise((resolve, reject) => source.count(resolve,
    (err) => reject(new Error(`${err.message} ${err.response?.statusCode ?? ''} ${err.response?.body ?? ''}`))));
}

// The reference: plain fetch of the v3 feed, following odata.nextLink.
async function v3All(path) {
  const rows = [];
  let url = `${base}/ODataFeed/odata/${table}/${path}`;
  for (let pages = 0; url; ++pages) {
    assert.ok(pages < 1000, `v3 ${path}: too many pages`);
    const res = await fetch(url);
    assert.equal(res.status, 200, `v3 ${url}`);
    const body = await res.json();
    rows.push(...body.value);
    url = body['odata.nextLink'];
  }
  return rows;
}

const v3 = {};         // dims, topics, typed/untyped rows, code lists of the table in v3
let metadata;          // the client's parsed CSDL of the table
let observations;      // all Observations as the client read them

before(async () => {
  const props = (await (await fetch(`${base}/ODataApi/odata/${table}/DataProperties?$format=json`)).json()).value;
  v3.dims = props.filter((p) => /Dimension$/.test(p.Type)).map((p) => p.Key);
  v3.topics = props.filter((p) => p.Type === 'Topic').map((p) => p.Key);
  assert.ok(v3.dims.length > 0 && v3.topics.length > 0, `v3 DataProperties of ${table}`);
  v3.typed = await v3All('TypedDataSet?$format=json');
  v3.untyped = await v3All('UntypedDataSet?$format=json');
  v3.codes = {};
  for (const d of v3.dims) {
    v3.codes[d] = (await (await fetch(`${base}/ODataApi/odata/${table}/${d}?$format=json`)).json()).value;
  }
  v3.catalog = (await (await fetch(`${base}/ODataCatalog/Tables?$format=json`)).json()).value;
});

test('the client lists the datasets of the catalogue /odata/v1/', async () => {
  const { data: doc } = await read(`${v4Root}/`);
  assert.deepEqual(doc.value.map((e) => [e.name, e.kind]), [['Catalogs', 'EntitySet'], ['Datasets', 'EntitySet']]);
  const { data: catalogs } = await read(`${v4Root}/Catalogs`);
  assert.deepEqual(catalogs.value.map((c) => c.Identifier), ['DAS']);

  const datasets = await readAll(`${v4Root}/Datasets`, undefined, 100000);
  assert.equal(datasets['@odata.nextLink'], undefined);
  const ids = datasets.value.map((d) => d.Identifier);
  assert.deepEqual([...ids].sort(), v3.catalog.map((t) => t.Identifier).sort(), 'v4 Datasets = v3 catalogue');
  const mine = datasets.value.find((d) => d.Identifier === table);
  assert.ok(mine, `${table} in Datasets`);
  assert.equal(mine.Catalog, 'DAS');
  assert.equal(mine.ObservationCount, v3.typed.length * v3.topics.length);
  assert.match(mine.Modified, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
});

test('the client parses $metadata: entity sets, entity types and keys', async () => {
  ({ data: metadata } = await read(`${v4Table}/$metadata`, { handler: oData.metadataHandler }));
  assert.equal(metadata.version, '4.0');
  const [schema] = metadata.dataServices.schema;
  assert.equal(schema.namespace, 'Cbs.OData4');
  const types = new Map(schema.entityType.map((t) => [`${schema.namespace}.${t.name}`, t]));
  const container = schema.entityContainer;
  const sets = container.entitySet.map((s) => s.name);
  // The service document lists the same entity sets (and the singleton) as $metadata.
  const { data: doc } = await read(`${v4Table}/`);
  assert.deepEqual(doc.value.filter((e) => e.kind === 'EntitySet').map((e) => e.name), sets);
  assert.deepEqual(doc.value.filter((e) => e.kind === 'Singleton').map((e) => e.name),
    (container.singleton ?? []).map((s) => s.name));
  const expected = ['Observations', 'MeasureCodes', 'MeasureGroups', 'Dimensions',
    ...v3.dims.flatMap((d) => [`${d}Codes`, `${d}Groups`])];
  assert.deepEqual(sets, expected);
  for (const s of container.entitySet) {
    const t = types.get(s.entityType);
    assert.ok(t, `entity set ${s.name}: type ${s.entityType} is declared`);
    const keys = t.key.propertyRef.map((k) => k.name);
    assert.equal(keys.length, 1, `${s.entityType} has one key`);
    assert.ok(t.property.some((p) => p.name === keys[0] && p.nullable === 'false'), `${s.entityType} key`);
  }
  const obs = types.get('Cbs.OData4.Observation');
  assert.deepEqual(obs.property.map((p) => [p.name, p.type]), [
    ['Id', 'Edm.Int64'], ['Measure', 'Edm.String'], ['ValueAttribute', 'Edm.String'], ['Value', 'Edm.Double'],
    ['StringValue', 'Edm.String'], ...v3.dims.map((d) => [d, 'Edm.String'])]);
});

test('the client reads all Observations by following @odata.nextLink; they equal the v3 TypedDataSet', async (t) => {
  assert.ok(metadata, '$metadata parsed first');
  const expectedRows = v3.typed.length * v3.topics.length;
  assert.ok(expectedRows > kPageRows, `${table} must have more than one page (${expectedRows} observations)`);
  const before = requested.length;
  const all = await readAll(`${v4Table}/Observations`, metadata, expectedRows + 5);
  const uris = requested.slice(before);
  observations = all.value;
  assert.equal(observations.length, expectedRows);
  // One request for $skip/$top and one per further page, each the server's nextLink.
  assert.equal(uris.length, Math.ceil(expectedRows / kPageRows));
  for (let i = 1; i < uris.length; ++i) assert.match(uris[i], new RegExp(`[?&]\\$skip=${i * kPageRows}(&|$)`));

  // The client matched the payload to the CSDL ($metadata#Observations -> Cbs.OData4.Observation).
  assert.equal(observations[0]['@odata.type'], '#Cbs.OData4.Observation');
  assert.equal(observations[0]['Id@odata.type'], '#Int64');
  assert.equal(observations[0]['Value@odata.type'], '#Double');

  const dimKey = (r, trim) => v3.dims.map((d) => (trim ? r[d].trim() : r[d])).join('|');
  const typed = new Map();
  const untyped = new Map();
  for (const r of v3.typed) for (const t of v3.topics) typed.set(`${dimKey(r, true)}|${t}`, r[t]);
  for (const r of v3.untyped) for (const t of v3.topics) untyped.set(`${dimKey(r, true)}|${t}`, r[t].trim());
  assert.equal(typed.size, expectedRows, 'v3 cells are unique');

  const seen = new Set();
  const ids = new Set();
  let numbers = 0;
  const attrs = { None: 0, Confidential: 0, Impossible: 0 };
  for (const o of observations) {
    const key = `${dimKey(o, false)}|${o.Measure}`;
    assert.ok(typed.has(key), `observation ${o.Id} (${key}) is a v3 cell`);
    assert.ok(!seen.has(key), `observation ${key} once`);
    seen.add(key);
    ids.add(o.Id);
    assert.equal(o.StringValue, null);
    attrs[o.ValueAttribute] += 1;
    const v3value = typed.get(key);
    if (v3value === null) {
      assert.equal(o.Value, null, key);
      const text = untyped.get(key);
      assert.equal(o.ValueAttribute, text === 'x' ? 'Confidential' : 'Impossible', `${key}: v3 '${text}'`);
      assert.ok(text === 'x' || text === '.', `${key}: v3 untyped '${text}'`);
    } else {
      ++numbers;
      assert.equal(o.ValueAttribute, 'None', key);
      assert.equal(o.Value, v3value, key);
    }
  }
  assert.equal(seen.size, typed.size);
  assert.equal(ids.size, observations.length, 'Id unique');
  assert.equal(numbers, [...typed.values()].filter((v) => v !== null).length, 'non-empty cells');
  assert.equal(attrs.None + attrs.Confidential + attrs.Impossible, expectedRows, 'only the three ValueAttributes');
  t.diagnostic(`${table}: ${observations.length} observations in ${uris.length} requests; ` +
    `${attrs.None} numbers, ${attrs.Confidential} Confidential, ${attrs.Impossible} Impossible`);
});

test('the client reads MeasureCodes, Dimensions and every <Dim>Codes set; they equal v3', async () => {
  assert.ok(metadata, '$metadata parsed first');
  const { data: measures } = await read(`${v4Table}/MeasureCodes`, { metadata });
  assert.equal(measures.value[0]['@odata.type'], '#Cbs.OData4.MeasureCode');
  assert.deepEqual(measures.value.map((m) => m.Identifier), v3.topics);
  assert.deepEqual(measures.value.map((m) => m.Index), v3.topics.map((_, i) => i + 1));

  const { data: dims } = await read(`${v4Table}/Dimensions`, { metadata });
  assert.deepEqual(dims.value.map((d) => d.Identifier), v3.dims);
  for (const d of v3.dims) {
    const { data: codes } = await read(`${v4Table}/${d}Codes`, { metadata });
    assert.equal(codes.value[0]['@odata.type'], '#Cbs.OData4.DimensionCode');
    assert.deepEqual(codes.value.map((c) => c.Identifier), v3.codes[d].map((c) => c.Key.trim()), `${d}Codes`);
    assert.deepEqual(codes.value.map((c) => c.Title), v3.codes[d].map((c) => c.Title), `${d}Codes titles`);
    const used = new Set(observations.map((o) => o[d]));
    assert.deepEqual([...used].sort(), codes.value.map((c) => c.Identifier).sort(), `${d}: codes used = code list`);
  }
});

test('$filter with startswith / contains from the query builder, through the client', async (t) => {
  assert.ok(observations, 'Observations read first');
  const [dimA, dimB] = [v3.dims[0], v3.dims[v3.dims.length - 1]];
  // startswith on the measure: exactly one measure's cells.
  const measure = v3.topics[0];
  const prefix = measure.slice(0, measure.length - 1); // 'Instroom_1' -> 'Instroom_'
  let q = buildQuery({ filter: { Measure: { startswith: prefix } }, count: true });
  let expected = observations.filter((o) => o.Measure.startsWith(prefix));
  assert.ok(expected.length > 0);
  let got = await readAll(`${v4Table}/Observations${q}`, metadata, observations.length);
  assert.equal(got['@odata.count'], expected.length);
  assert.deepEqual(got.value.map((o) => o.Id), expected.map((o) => o.Id));
  t.diagnostic(`Observations${q}: ${got.value.length} rows`);

  // contains and startswith on two dimensions, combined with and (parentheses as the builder writes them).
  const codeB = observations.find((o, i) => i >= observations.length / 2 && o[dimB].length > 3)[dimB];
  const needle = codeB.slice(1, 3); // inside the code: contains, not a prefix
  const first = observations[observations.length - 1][dimA].slice(0, 4);
  q = buildQuery({ filter: { and: [{ [dimB]: { contains: needle } }, { [dimA]: { startswith: first } }] } });
  expected = observations.filter((o) => o[dimB].includes(needle) && o[dimA].startsWith(first));
  assert.ok(expected.length > 0 && expected.length < observations.length, `${q}: ${expected.length}`);
  got = await readAll(`${v4Table}/Observations${q}`, metadata, observations.length);
  assert.deepEqual(got.value.map((o) => o.Id), expected.map((o) => o.Id), q);
  t.diagnostic(`Observations${q}: ${got.value.length} rows`);

  // A quote in the literal ('' in OData) and contains on titles of a code list.
  for (const d of v3.dims) {
    const titles = v3.codes[d].map((c) => c.Title);
    const word = (titles.find((t) => t.includes("'")) ?? titles[titles.length - 1]).slice(0, 4);
    q = buildQuery({ filter: { Title: { contains: word } } });
    const { data } = await read(`${v4Table}/${d}Codes${q}`, { metadata });
    assert.deepEqual(data.value.map((c) => c.Title), titles.filter((x) => x.includes(word)), `${d}Codes${q}`);
    t.diagnostic(`${d}Codes${q}: ${data.value.length} rows`);
  }

  // A malformed filter is an OData v4 error document naming the position, not a crash.
  await assert.rejects(read(`${v4Table}/Observations?$filter=${encodeURIComponent('startswith(Measure')}`),
    /400 \{"error":\{"code":"400","message":"\$filter: position \d+/);
});

// OData v4 features the client uses beyond reading sets: the /$count segment and the catalogue's metadata.
test('ODataCacheSource.count() uses the /$count path segment',
  async () => {
    const source = new ODataCacheSource({ source: `${v4Table}/Observations`, httpClient, metadata });
    assert.equal(await countOf(source), v3.typed.length * v3.topics.length);
  });

test('the catalogue\'s @odata.context ($metadata of /odata/v1) resolves',
  async () => {
    const { data } = await read(`${v4Root}/$metadata`, { handler: oData.metadataHandler });
    const sets = data.dataServices.schema.flatMap((s) => s.entityContainer?.entitySet ?? []).map((s) => s.name);
    assert.deepEqual(sets, ['Catalogs', 'Datasets']);
  });

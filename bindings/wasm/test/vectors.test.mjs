// The shared vectors (tests/vectors) through the WASM build, with the same request and comparison as the Rust
// and Python runners (tests/vectors/README.md): through `call` (the full module), and for the built-in packs also
// through an engine of the main module, the one the self-check widget scores with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { call } from '../pkg/node.js';
import * as main from '../pkg/pucha_wasm.js';

const VECTORS = new URL('../../../tests/vectors/', import.meta.url).pathname;
const REPORT_SCHEMA = JSON.parse(readFileSync(new URL('../../../docs/report.schema.json', import.meta.url), 'utf8'));

// The same small JSON Schema checker as the Rust and Python runners' (the subset docs/report.schema.json uses).
function schemaErrors(schema, v, path = '$', root = REPORT_SCHEMA) {
  if (schema.$ref) return schemaErrors(root.$defs[schema.$ref.split('/').pop()], v, path, root);
  for (const key of ['oneOf', 'anyOf']) {
    if (schema[key] && schema[key].every((a) => schemaErrors(a, v, path, root).length)) return [`${path}: matches no alternative`];
  }
  if ('const' in schema && schema.const !== v) return [`${path}: expected ${schema.const}`];
  if (schema.enum && !schema.enum.includes(v)) return [`${path}: ${JSON.stringify(v)} not in enum`];
  const t = schema.type;
  if (Array.isArray(t)) {
    return t.every((one) => schemaErrors({ ...schema, type: one }, v, path, root).length) ? [`${path}: not one of ${t}`] : [];
  }
  if (t === 'object') {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return [`${path}: not an object`];
    const props = schema.properties || {};
    for (const [k, x] of Object.entries(v)) {
      if (k in props) {
        const errs = schemaErrors(props[k], x, `${path}.${k}`, root);
        if (errs.length) return errs;
      } else if (schema.additionalProperties === false) return [`${path}: \`${k}\` is not in the schema`];
    }
    return (schema.required || []).filter((r) => !(r in v)).map((r) => `${path}: missing \`${r}\``);
  }
  if (t === 'array') {
    if (!Array.isArray(v)) return [`${path}: not an array`];
    return v.flatMap((x, i) => schemaErrors(schema.items || {}, x, `${path}[${i}]`, root));
  }
  if (t === 'string' && typeof v !== 'string') return [`${path}: not a string`];
  if ((t === 'number' || t === 'integer') && typeof v !== 'number') return [`${path}: not a number`];
  if ((t === 'number' || t === 'integer') && 'minimum' in schema && v < schema.minimum) return [`${path}: below the minimum`];
  if (t === 'boolean' && typeof v !== 'boolean') return [`${path}: not a boolean`];
  if (t === 'null' && v !== null) return [`${path}: not null`];
  return [];
}

// Every scoring vector file; extract/ holds the page-reading vectors, which extract.test.mjs runs, and messages/ the
// message table, which messages.test.mjs runs.
function files(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      if (p === join(VECTORS, 'extract') || p === join(VECTORS, 'messages')) return [];
      return statSync(p).isDirectory() ? files(p) : n.endsWith('.json') ? [p] : [];
    });
}

function numEq(a, b) {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-9;
  return a === b;
}

function check(expected, answer) {
  if ('error' in expected) {
    assert.equal(answer.type, 'failure', `expected an error ${JSON.stringify(expected.error)}, got a report`);
    const first = answer.errors[0];
    for (const key of ['code', 'path', 'rule']) {
      if (key in expected.error) assert.equal(first[key], expected.error[key], `error ${key}: ${JSON.stringify(first)}`);
    }
    return;
  }
  assert.equal(answer.type, 'success', JSON.stringify(answer));
  const report = answer.report;
  const bad = [];
  for (const [key, want] of Object.entries(expected)) {
    if (['verdict', 'verdict_basis', 'complete', 'score', 'total_deduction', 'total_deduction_max', 'uncounted_deduction', 'bonus'].includes(key)) {
      if (!numEq(report[key], want)) bad.push(`${key}: expected ${want}, got ${report[key]}`);
    } else if (key === 'vetoes') {
      const got = report.vetoes.map((v) => v.rule).sort();
      if (JSON.stringify(got) !== JSON.stringify([...want].sort())) bad.push(`vetoes: expected ${want}, got ${got}`);
    } else if (key === 'undecided') {
      const got = [...report.undecided].sort();
      if (JSON.stringify(got) !== JSON.stringify([...want].sort())) bad.push(`undecided: expected ${want}, got ${got}`);
    } else if (key === 'warnings') {
      const got = new Set(report.warnings.map((w) => w.code));
      for (const w of want) if (!got.has(w)) bad.push(`warning ${w} missing from ${[...got]}`);
    } else if (key === 'rules') {
      const rules = Object.fromEntries(report.rules.map((r) => [r.id, r]));
      for (const [rid, fields] of Object.entries(want)) {
        const rule = rules[rid];
        if (!rule) {
          bad.push(`rule ${rid} missing`);
          continue;
        }
        for (const [f, w] of Object.entries(fields)) {
          if (f === 'observed') {
            for (const [m, wv] of Object.entries(w)) {
              if (!numEq(rule.observed[m] ?? null, wv)) bad.push(`rule ${rid} observed ${m}: expected ${wv}, got ${rule.observed[m]}`);
            }
          } else {
            // `points_max` is absent where it equals `points`.
            const got = f in rule ? rule[f] : f === 'review' ? 0 : f === 'points_max' ? rule.points : null;
            if (!numEq(got, w)) bad.push(`rule ${rid} ${f}: expected ${w}, got ${got}`);
          }
        }
      }
    } else {
      bad.push(`unknown expectation ${key}`);
    }
  }
  assert.deepEqual(bad, []);
}

// The answer of the main module's engine: a failure to build it (bad parameters) is thrown as the answer's text;
// null for a built-in pack it leaves to the full module (census-2015 it must embed).
function viaMain(pack, params, observation) {
  assert.equal(main.readsToml(), false);
  let engine;
  try {
    engine = new main.Engine(JSON.stringify(pack), JSON.stringify(params));
  } catch (failure) {
    const answer = JSON.parse(failure);
    if (answer.errors?.[0]?.code === 'pack_unavailable' && pack !== 'census-2015') return null;
    return answer;
  }
  try {
    return JSON.parse(engine.score(JSON.stringify(observation)));
  } finally {
    engine.free();
  }
}

let count = 0;
for (const path of files(VECTORS)) {
  const vector = JSON.parse(readFileSync(path, 'utf8'));
  for (const c of vector.cases) {
    count += 1;
    test(`${relative(VECTORS, path)} › ${c.name}`, () => {
      const params = { ...(vector.params || {}), ...(c.params || {}) };
      const answer = call({ pack: vector.pack, params, observation: c.observation });
      check(c.expected, answer);
      if (answer.type === 'success') assert.deepEqual(schemaErrors(REPORT_SCHEMA, answer.report), []);
      const fromMain = typeof vector.pack === 'string' ? viaMain(vector.pack, params, c.observation) : null;
      if (fromMain) check(c.expected, fromMain);
    });
  }
}

test('the schema checker sees a bad report', () => {
  const { report } = call({ observation: { monitoring_point: '2015-06-30', site: { name: 'x' } } });
  assert.deepEqual(schemaErrors(REPORT_SCHEMA, report), []);
  assert.ok(schemaErrors(REPORT_SCHEMA, { ...report, surprise: 1 }).length);
  assert.ok(schemaErrors(REPORT_SCHEMA, { ...report, verdict: 'maybe' }).length);
  assert.ok(schemaErrors(REPORT_SCHEMA, { ...report, total_deduction: -1 }).length);
});

test('there are vectors', () => {
  assert.ok(count > 100, `only ${count} cases`);
});

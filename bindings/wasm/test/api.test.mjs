// The JavaScript API of pucha-wasm in Node: scoring, engines, packs, flat records, typed errors, garbage input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as pucha from '../pkg/node.js';

const { score, Engine, packs, loadPack, flatToObservation, flatColumns, PuchaError, ObservationError, PackError } = pucha;
const MIN = { monitoring_point: '2015-06-30', site: { name: 'x', kind: 'portal' } };
const example = (n) => JSON.parse(readFileSync(new URL(`../../../examples/observations/${n}.json`, import.meta.url), 'utf8'));

test('score: counted links give 3.7 points (2 × 1 + 17 × 0.1)', () => {
  const r = score({ ...MIN, links: { homepage_broken: 2, other_broken: 17 } });
  assert.equal(r.schema, 'pucha.report/1');
  assert.equal(r.rules.find((x) => x.id === 'link-availability').points, 3.7);
  assert.equal(r.complete, false);
});

test('score takes JSON text as well as objects, and the examples score as the CLI does', () => {
  const obs = example('counts-only');
  const a = score(obs);
  const b = score(JSON.stringify(obs));
  assert.deepEqual(a, b);
  assert.equal(a.verdict, 'pass');
  assert.equal(a.score, 63.3);
  assert.equal(score(example('veto-unreachable')).verdict, 'fail');
});

test('parameters change the result: whole-percent proration', () => {
  const obs = { ...MIN, availability: { visits: 1000, failures: 25 } };
  assert.equal(score(obs).rules.find((x) => x.id === 'homepage-availability').points, 12.5);
  const whole = score(obs, { params: { proration: 'whole-percent' } });
  assert.equal(whole.params.proration, 'whole-percent');
  assert.equal(whole.rules.find((x) => x.id === 'homepage-availability').points, 10);
});

test('Engine is reusable and describes its pack', () => {
  const e = new Engine('census-2015', { portal_min_activities: 4 });
  assert.equal(e.info.id, 'census-2015');
  assert.equal(e.params.portal_min_activities, '4');
  assert.equal(e.rules.length, 15);
  assert.ok(e.rules.every((r) => r.checkpoint.zh && r.criteria.en));
  const r = e.score({ ...MIN, interaction: { survey: { exists: true, activities: 4 } } });
  assert.equal(r.rules.find((x) => x.id === 'survey').points, 0);
  assert.match(e.scoreText(MIN, 'en'), /monitoring point: 2015-06-30/);
  assert.match(e.scoreText(MIN), /监测时间点：2015-06-30/);
  e.free();
  e.free(); // twice is harmless
});

test('packs() lists the built-in packs', () => {
  const ids = packs().map((p) => p.id);
  assert.deepEqual(ids, ['census-2015', 'checklist-2019']);
  assert.equal(packs().find((p) => p.id === 'checklist-2019').completeness, 'partial');
  // The main module embeds census-2015 alone; Node builds checklist-2019 in the full module by itself.
  const e = new Engine('checklist-2019');
  assert.equal(e.score({ monitoring_point: '2019-06-30', site: { name: 'x' } }).pack.id, 'checklist-2019');
  e.free();
});

test('loadPack: a user pack from TOML scores, and its mistakes carry line and column', () => {
  const toml = readFileSync(new URL('../../../rules/packs/census-2015.toml', import.meta.url), 'utf8').replace(
    'id = "census-2015"',
    'id = "provincial-variant"',
  );
  const pack = loadPack(toml);
  assert.equal(pack.id, 'provincial-variant');
  assert.equal(score({ ...MIN, links: { homepage_broken: 1, other_broken: 0 } }, { pack }).pack.id, 'provincial-variant');
  assert.throws(
    () => loadPack('[pack]\nid = 1\n'),
    (e) => e instanceof PackError && e instanceof PuchaError && e instanceof Error && e.line === 2 && e.code === 'invalid_type',
  );
  assert.throws(() => loadPack(toml.replace('fact = "availability.visits"', 'fact = "availability.visit"')), (e) => e.code === 'unknown_fact' && e.rule === 'site-unreachable' && e.line > 0);
  assert.throws(() => new Engine('census-2051'), (e) => e instanceof PackError && e.code === 'unknown_pack');
  assert.throws(() => new Engine('census-2015', { nope: '1' }), (e) => e.code === 'unknown_param');
  assert.throws(() => new Engine('census-2015', { proration: 'sometimes' }), (e) => e.code === 'invalid_param');
});

test('two modules: the main one scores with built-in packs, the full one loads when one of its calls is asked for', async () => {
  const main = await import('../pkg/pucha_wasm.js');
  const full = await import('../pkg/pucha_wasm_full.js');
  assert.equal(main.readsToml(), false);
  // What only the full module has is not in the main one at all.
  for (const name of ['call', 'flatToObservation', 'flatColumns']) assert.equal(typeof main[name], 'undefined', name);
  assert.equal(typeof main.Engine.prototype.scoreText, 'undefined');
  assert.equal(typeof main.Engine.prototype.info, 'undefined');
  assert.throws(() => new main.Engine(JSON.stringify({ toml: '[pack]' }), '{}'), (t) => JSON.parse(t).errors[0].code === 'toml_unavailable');
  // Through the API a TOML request reaches the full module (loaded on demand in Node) and its real error.
  const request = JSON.stringify({ pack: { toml: '[pack]\nid = 1\n' }, observation: MIN });
  const a = pucha.call(request);
  assert.equal(a.errors[0].code, 'invalid_type');
  assert.equal(a.errors[0].line, 2);
  assert.equal(full.readsToml(), true);
  // Both modules score built-in packs identically, and an engine of the main module describes its pack and renders
  // text through a twin in the full one.
  const obs = JSON.stringify({ ...MIN, links: { homepage_broken: 2, other_broken: 17 } });
  assert.equal(new main.Engine('"census-2015"', '{}').score(obs), new full.Engine('"census-2015"', '{}').score(obs));
  const e = new Engine('census-2015', { proration: 'whole-percent' });
  assert.equal(e.params.proration, 'whole-percent');
  const twin = new full.Engine('"census-2015"', '{"proration": "whole-percent"}');
  assert.equal(e.scoreText(obs, 'en'), JSON.parse(twin.scoreText(obs, 'en')).text);
  twin.free();
  e.free();
  e.free();
  // A released engine says so, whichever module the call needs.
  for (const use of [() => e.score(obs), () => e.scoreFlat({}), () => e.scoreText(obs), () => e.info]) {
    assert.throws(use, (err) => err instanceof PuchaError && err.code === 'engine_freed' && /free\(\)/.test(err.message));
  }
});

test('observation errors name the code and path', () => {
  const cases = [
    [{ monitoring_point: '2015-02-30', site: { name: 'x' } }, 'invalid_date', 'monitoring_point'],
    [{ ...MIN, links: { homepage_broken: -1, other_broken: 0 } }, 'invalid_value', 'links.homepage_broken'],
    [{ ...MIN, linkz: {} }, 'unknown_field', null],
    [{ ...MIN, availability: { visits: 10, failures: 11 } }, 'inconsistent', null],
    ['{"monitoring_point": ', 'json_syntax', null],
  ];
  for (const [obs, code, path] of cases) {
    assert.throws(
      () => score(obs),
      (e) => {
        assert.ok(e instanceof ObservationError, `${code}: ${e}`);
        assert.equal(e.code, code);
        if (path) assert.equal(e.path, path);
        assert.ok(e.message.length > 0);
        return true;
      },
    );
  }
  const e = (() => {
    try {
      score({ ...MIN, linkz: {} });
    } catch (err) {
      return err;
    }
  })();
  assert.match(e.help || e.message, /links/);
});

test('garbage never escapes as an Error without a message', () => {
  const cyclic = { ...MIN };
  cyclic.self = cyclic;
  const garbage = [
    undefined, null, 0, 1.5, NaN, true, 'not json', '', '[]', [], [1, 2], {}, { monitoring_point: NaN },
    { monitoring_point: 2015, site: { name: 'x' } }, { ...MIN, availability: { visits: 2 ** 80, failures: 0 } },
    { ...MIN, availability: { visits: 1e308, failures: 0 } }, { ...MIN, columns: 'many' }, cyclic,
    JSON.stringify({ a: '\u0000\ud800' }), '{"a":' .repeat(10000), 10n,
  ];
  for (const g of garbage) {
    try {
      score(g);
      assert.fail(`accepted ${String(g).slice(0, 40)}`);
    } catch (e) {
      assert.ok(e instanceof PuchaError, `${String(g).slice(0, 40)}: ${e}`);
      assert.ok(typeof e.code === 'string' && e.code.length > 0);
      assert.ok(e.message.length > 0);
    }
  }
  for (const g of [undefined, 5, [], 'x', { toml: 5 }]) {
    assert.throws(() => new Engine(g === undefined ? null : g, 'params?'), PuchaError);
  }
  assert.throws(() => flatToObservation({ 'links.other_broken': { a: 1 } }), ObservationError);
});

test('flat records: the documented column names become an observation', () => {
  assert.ok(flatColumns().some(([n]) => n === 'links.other_broken'));
  const obs = flatToObservation({ monitoring_point: '2015-06-30', 'site.name': 'x', 'links.homepage_broken': 1, 'links.other_broken': '4' });
  assert.deepEqual(obs.links, { homepage_broken: 1, other_broken: 4 });
  const { observation, report } = new Engine().scoreFlat({
    monitoring_point: '2015-06-30',
    'columns.stale.policy': 2,
    'interaction.survey.activities': 2,
  });
  assert.equal(observation.interaction.survey.exists, true);
  assert.equal(report.rules.find((x) => x.id === 'basic-info').points, 8);
  assert.throws(() => flatToObservation({ 'links.other_brokn': 1 }), (e) => e.code === 'unknown_field' && /links.other_broken/.test(e.help || e.message));
});

test('the wasm module answers the same as the vectors runner would for every example', () => {
  for (const n of ['good-portal', 'department-deductions', 'veto-unreachable', 'counts-only', 'raw-evidence']) {
    const answer = pucha.call({ pack: 'census-2015', observation: example(n) });
    assert.equal(answer.type, 'success', n);
    assert.deepEqual(answer.report, score(example(n)));
  }
  assert.equal(pucha.call('{').type, 'failure');
  assert.match(pucha.version(), /^\d+\.\d+\.\d+$/);
});

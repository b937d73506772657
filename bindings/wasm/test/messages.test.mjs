// The message table (tests/vectors/messages/mistakes.json) through the WebAssembly full module's `explain`: the same
// code, Chinese pieces before English ones and no forbidden word as the core, the CLI and Python give.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { explain } from '../pkg/node.js';

const TABLE = JSON.parse(readFileSync(new URL('../../../tests/vectors/messages/mistakes.json', import.meta.url), 'utf8'));

for (const c of TABLE.cases) {
  test(`message: ${c.name}`, () => {
    const e = explain(c.reading, c.input);
    assert.ok(e, 'a mistake is explained');
    if (c.code) assert.equal(e.code, c.code, e.text);
    if (c.path) assert.equal(e.path, c.path, e.text);
    for (const p of c.zh) assert.ok(e.zh.includes(p), `${p} in ${e.zh}`);
    for (const p of c.en) assert.ok(e.en.includes(p), `${p} in ${e.en}`);
    const zhAt = Math.max(...c.zh.map((p) => e.text.indexOf(p)));
    const enAt = Math.min(...c.en.map((p) => e.text.indexOf(p)));
    assert.ok(zhAt >= 0 && zhAt < enAt, e.text);
    for (const p of c.absent) assert.ok(!e.zh.includes(p) && !e.en.includes(p), `${p} in ${e.text}`);
  });
}

test('a good input has nothing to explain', () => {
  assert.equal(explain('observation', '{"monitoring_point": "2015-06-30", "site": {"name": "甲"}}'), null);
  assert.equal(explain('params', { fail_above: '60' }), null);
  assert.equal(explain('nonsense', '{}').code, 'invalid_argument');
});

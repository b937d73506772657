// The 上报表 module (`pucha-wasm/render`) in Node: the same page and workbook as `pucha render`, signed, and typed
// errors for what does not read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { score, PuchaError } from '../pkg/node.js';
import { renderReport, renderVersion } from '../pkg/render-node.js';

const example = (n) => JSON.parse(readFileSync(new URL(`../../../examples/observations/${n}.json`, import.meta.url), 'utf8'));

test('renderReport: the 上报表 as pucha render writes it, signed, in HTML and XLSX', () => {
  const report = score(example('good-portal'));
  const html = renderReport(report, { signing: { unit: '示例市人民政府办公厅', filler: '李四' } });
  assert.equal(typeof html, 'string');
  for (const s of ['全国政府网站普查评分表', '合计', '填报单位（盖章）', '示例市人民政府办公厅', '李四', '单位负责人']) {
    assert.ok(html.includes(s), s);
  }
  assert.ok(renderReport(JSON.stringify(report), { lang: 'en' }).includes('Reporting unit (seal)'));
  const book = renderReport(report, { format: 'xlsx' });
  assert.ok(book instanceof Uint8Array && book.length > 4000, String(book.length));
  assert.equal(String.fromCharCode(book[0], book[1]), 'PK');
  assert.match(renderVersion(), /^\d+\.\d+\.\d+/);
});

test('renderReport: what does not read is a PuchaError with its code, never a trap', () => {
  const report = score(example('good-portal'));
  const code = (fn) => {
    try {
      fn();
      return null;
    } catch (e) {
      assert.ok(e instanceof PuchaError, String(e));
      return e.code;
    }
  };
  assert.equal(code(() => renderReport(report, { format: 'pdf' })), 'invalid_value');
  assert.equal(code(() => renderReport(report, { lang: 'fr' })), 'invalid_value');
  assert.equal(code(() => renderReport(report, { signing: { seal: 'x' } })), 'unknown_field');
  assert.equal(code(() => renderReport(report, { signing: { unit: 3 } })), 'invalid_value');
  assert.ok(code(() => renderReport({ schema: 'pucha.report/1' })));
  assert.equal(code(() => renderReport('{not json')), 'json_syntax');
  assert.equal(code(() => renderReport(null)), 'invalid_type');
});

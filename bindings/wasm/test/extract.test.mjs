// The extraction vectors (tests/vectors/extract/): the browser's checker module reads every page of the fixture
// county portal, and the page shapes real sites serve, exactly as the Rust code the probes run reads them
// (probes/tests/extract_vectors.rs writes the expected readings from it and fails when they go stale).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  CheckerError,
  PuchaError,
  checkerVersion,
  examine,
  guideElements,
  initChecker,
  robotsAllows,
} from '../pkg/checker-node.js';

const VECTORS = JSON.parse(
  readFileSync(new URL('../../../tests/vectors/extract/pages.json', import.meta.url), 'utf8'),
);

test('the vectors cover the fixture portal and the odd shapes', () => {
  const names = VECTORS.cases.map((c) => c.name);
  assert.ok(names.includes('fixture /'), 'the homepage');
  assert.ok(names.filter((n) => n.startsWith('fixture ')).length > 50);
  assert.ok(VECTORS.cases.some((c) => c.expected.decoded.encoding === 'GBK'));
  assert.ok(VECTORS.cases.some((c) => c.expected.column.blank === true));
  assert.ok(VECTORS.cases.some((c) => c.expected.findings.length > 0));
});

for (const c of VECTORS.cases) {
  test(`reads ${c.name} as the probes do`, () => {
    const reading = examine(Buffer.from(c.body_hex, 'hex'), c.request);
    assert.deepEqual(reading, c.expected);
  });
}

test('a page given as text reads as UTF-8', () => {
  const r = examine('<ul><li><a href="/a.html">县政府常务会议</a> 2015-06-28</li></ul>', {
    url: 'http://www.example.gov.cn/col/',
    crawl: '2015-06-30',
  });
  assert.equal(r.column.items[0].published, '2015-06-28');
  assert.equal(r.column.items[0].url, 'http://www.example.gov.cn/a.html');
});

test('bad requests throw a CheckerError naming the field', () => {
  const cases = [
    [{ url: 'http://x/', crawl: '2015-02-30' }, 'invalid_date', 'crawl'],
    [{ crawl: '2015-06-30' }, 'missing_field', 'url'],
    [{ url: 'http://x/', crawl: '2015-06-30', budget: 5 }, 'unknown_field', 'budget'],
    [{ url: 7, crawl: '2015-06-30' }, 'invalid_type', 'url'],
    [{ url: 'http://x/', crawl: '2015-06-30', terms: [{ wrong: 'a' }] }, 'invalid_value', 'terms'],
  ];
  for (const [request, code, path] of cases) {
    assert.throws(
      () => examine(new Uint8Array(), request),
      (e) => e instanceof CheckerError && e instanceof PuchaError && e.code === code && e.path === path && e.message.length > 0,
      JSON.stringify(request),
    );
  }
  assert.throws(() => examine(new Uint8Array(), null), (e) => e instanceof CheckerError && e.code === 'invalid_type');
  assert.throws(() => examine(42, { url: 'http://x/', crawl: '2015-06-30' }), TypeError);
});

test('robots.txt, the guide elements and the version', async () => {
  await initChecker();
  const robots = 'User-agent: *\nDisallow: /admin/\n\nUser-agent: pucha\nDisallow: /private/\n';
  assert.equal(robotsAllows(robots, '/private/a.html'), false);
  assert.equal(robotsAllows(robots, '/admin/a.html'), true, 'pucha has its own group');
  assert.equal(robotsAllows(robots, '/admin/a.html', 'other'), false);
  const elements = guideElements();
  assert.equal(elements.length, 8);
  assert.deepEqual(elements[1], ['basis', '设定依据']);
  assert.match(checkerVersion(), /^\d+\.\d+\.\d+/);
});

test('hostile pages read without throwing', () => {
  const hostile = [
    '<'.repeat(100000),
    '<a href="'.repeat(5000),
    `<meta charset="${'x'.repeat(10000)}">`,
    '<li>'.repeat(20000) + '2015-06-30',
    '\u0000\u0001<script>'.repeat(1000),
  ];
  for (const h of hostile) {
    const r = examine(h, { url: 'http://www.example.gov.cn/', crawl: '2015-06-30' });
    assert.equal(typeof r.column, 'object');
  }
  const bytes = new Uint8Array(70000).map((_, i) => (i * 7919) % 256);
  assert.equal(typeof examine(bytes, { url: 'http://x/', crawl: '2015-06-30' }).decoded.encoding, 'string');
});

// The tarball scripts/build-wasm packs (`npm pack` of pkg/) is what a portal vendor installs with no Rust: it holds
// the widget, both scoring modules and the page reader, and scores once unpacked anywhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const TARGET = new URL('../../../target/', import.meta.url).pathname;

test('the packed tarball holds the widget and the modules, and scores unpacked', async () => {
  const tarballs = readdirSync(TARGET).filter((n) => /^pucha-wasm-.*\.tgz$/.test(n));
  assert.equal(tarballs.length, 1, tarballs.join(', '));
  const tgz = join(TARGET, tarballs[0]);
  const files = execFileSync('tar', ['-tzf', tgz], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const f of [
    'package.json',
    'README.md',
    'pucha-self-check.js',
    'pucha_wasm_bg.wasm',
    'pucha_wasm_full_bg.wasm',
    'pucha_checker_bg.wasm',
    'index.js',
    'node.js',
  ]) {
    assert.ok(files.includes(`package/${f}`), `${f} in ${files.join(', ')}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'pucha-pack-'));
  try {
    execFileSync('tar', ['-xzf', tgz, '-C', dir]);
    const pucha = await import(pathToFileURL(join(dir, 'package', 'node.js')).href);
    const report = pucha.score({ monitoring_point: '2015-06-30', site: { name: '甲' }, availability: { visits: 168, failures: 0 } });
    assert.equal(report.schema, 'pucha.report/1');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

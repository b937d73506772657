// The README's JavaScript examples run as written (with `pucha-wasm` resolved to the built package).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';

for (const [name, file] of [['README.md', '../../../README.md'], ['bindings/wasm/README.md', '../README.md']]) {
  test(`${name}: every js example runs`, async () => {
    const text = readFileSync(new URL(file, import.meta.url), 'utf8');
    const blocks = [...text.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
    assert.ok(blocks.length > 0, `${name} has js examples`);
    for (const [i, block] of blocks.entries()) {
      const url = new URL(`../pkg/readme-example-${i}.mjs`, import.meta.url);
      writeFileSync(url, block
        .replaceAll("from 'pucha-wasm/checker'", "from './checker-node.js'")
        .replaceAll("from 'pucha-wasm'", "from './node.js'"));
      try {
        await import(url.href);
      } finally {
        rmSync(url);
      }
    }
  });
}

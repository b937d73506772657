// Node entry point of pucha-wasm (ES module): the module is loaded synchronously on import; `init()` exists for
// code shared with browsers and resolves at once.
import { readFileSync } from 'node:fs';
import { initSync } from './pucha_wasm.js';
import { markReady } from './api.js';

export * from './api.js';

initSync({ module: readFileSync(new URL('./pucha_wasm_bg.wasm', import.meta.url)) });
markReady();

/** Already initialised in Node; kept so code shared with browsers can `await init()`. */
export function init() {
  return Promise.resolve();
}

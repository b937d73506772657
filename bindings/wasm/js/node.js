// Node entry point of pucha-wasm (ES module): the main module is loaded synchronously on import, the full one (TOML
// packs, text reports, pack descriptions, flat record helpers, `call`) on the first call that needs it; `init()`
// exists for code shared with browsers and resolves at once.
import { readFileSync } from 'node:fs';
import * as glue from './pucha_wasm.js';
import * as fullGlue from './pucha_wasm_full.js';
import { markReady, setFullLoader } from './api.js';

export * from './api.js';

glue.initSync({ module: readFileSync(new URL('./pucha_wasm_bg.wasm', import.meta.url)) });
markReady(glue);
setFullLoader(() => {
  fullGlue.initSync({ module: readFileSync(new URL('./pucha_wasm_full_bg.wasm', import.meta.url)) });
  markReady(fullGlue);
});

/** Already initialised in Node (the full module loads on demand); kept so code shared with browsers can `await init()`. */
export function init() {
  return Promise.resolve();
}

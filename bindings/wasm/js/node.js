// Node entry point of pucha-wasm (ES module): the main module is loaded synchronously on import, the one that
// reads TOML packs on the first TOML pack; `init()` exists for code shared with browsers and resolves at once.
import { readFileSync } from 'node:fs';
import * as glue from './pucha_wasm.js';
import * as tomlGlue from './pucha_wasm_toml.js';
import { markReady, setTomlLoader } from './api.js';

export * from './api.js';

glue.initSync({ module: readFileSync(new URL('./pucha_wasm_bg.wasm', import.meta.url)) });
markReady(glue);
setTomlLoader(() => {
  tomlGlue.initSync({ module: readFileSync(new URL('./pucha_wasm_toml_bg.wasm', import.meta.url)) });
  markReady(tomlGlue);
});

/** Already initialised in Node (TOML packs load on demand); kept so code shared with browsers can `await init()`. */
export function init() {
  return Promise.resolve();
}

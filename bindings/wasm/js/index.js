// Browser entry point of pucha-wasm (ES module): `await init()` once, then score. `init()` loads the main module
// (scoring with the built-in packs); `init({ full: true })` loads the full one, which also reads TOML packs
// (`loadPack`), renders text reports, describes packs (`engine.info`) and has the flat record helpers and `call`.
import * as glue from './pucha_wasm.js';
import { markReady } from './api.js';

export * from './api.js';

let loading = null;
let loadingFull = null;

function isOptions(x) {
  return x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype;
}

/**
 * Load the WebAssembly module: `init()` the main one (from `pucha_wasm_bg.wasm` next to this file), `init(input)`
 * the main one from `input`, `init({ full: true })` the full one (from `pucha_wasm_full_bg.wasm`, or
 * `module_or_path`); `{ toml: true }` is the same as `{ full: true }`. Safe to call many times; each module loads
 * once.
 */
export function init(options) {
  if (isOptions(options) && (options.full || options.toml)) {
    if (!loadingFull) {
      loadingFull = import('./pucha_wasm_full.js')
        .then((fullGlue) =>
          fullGlue
            .default(options.module_or_path === undefined ? undefined : { module_or_path: options.module_or_path })
            .then(() => fullGlue),
        )
        .then((fullGlue) => markReady(fullGlue));
    }
    return loadingFull;
  }
  if (!loading) {
    const input = isOptions(options) ? options.module_or_path : options;
    loading = glue.default(input === undefined ? undefined : { module_or_path: input }).then(() => markReady(glue));
  }
  return loading;
}

// Browser entry point of pucha-wasm (ES module): `await init()` once, then score. `init()` loads the main module
// (built-in packs); `init({ toml: true })` loads the module that also reads TOML packs (`loadPack`).
import * as glue from './pucha_wasm.js';
import { markReady } from './api.js';

export * from './api.js';

let loading = null;
let loadingToml = null;

function isOptions(x) {
  return x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype;
}

/**
 * Load the WebAssembly module: `init()` the main one (from `pucha_wasm_bg.wasm` next to this file), `init(input)`
 * the main one from `input`, `init({ toml: true })` the one that also reads TOML packs (from
 * `pucha_wasm_toml_bg.wasm`, or `module_or_path`). Safe to call many times; each module loads once.
 */
export function init(options) {
  if (isOptions(options) && options.toml) {
    if (!loadingToml) {
      loadingToml = import('./pucha_wasm_toml.js')
        .then((tomlGlue) =>
          tomlGlue
            .default(options.module_or_path === undefined ? undefined : { module_or_path: options.module_or_path })
            .then(() => tomlGlue),
        )
        .then((tomlGlue) => markReady(tomlGlue));
    }
    return loadingToml;
  }
  if (!loading) {
    const input = isOptions(options) ? options.module_or_path : options;
    loading = glue.default(input === undefined ? undefined : { module_or_path: input }).then(() => markReady(glue));
  }
  return loading;
}

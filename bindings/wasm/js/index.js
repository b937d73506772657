// Browser entry point of pucha-wasm (ES module): `await init()` once, then score.
import initWasm from './pucha_wasm.js';
import { markReady } from './api.js';

export * from './api.js';

let loading = null;

/**
 * Load the WebAssembly module (from `pucha_wasm_bg.wasm` next to this file unless `input` says otherwise).
 * Safe to call many times; later calls return the first promise.
 */
export function init(input) {
  if (!loading) {
    loading = initWasm(input === undefined ? undefined : { module_or_path: input }).then(() => {
      markReady();
    });
  }
  return loading;
}

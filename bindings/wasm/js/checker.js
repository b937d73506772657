// Browser entry of the self-check's page reader: `await initChecker()` fetches `pucha_checker_bg.wasm` (next to this
// file, or `module_or_path`) once; then `examine`, `robotsAllows` and `guideElements` work.
import { markCheckerReady } from './checker-api.js';

export * from './checker-api.js';

let loading = null;

/** Load the checker module (once; later calls return the same promise). */
export function initChecker(module_or_path) {
  if (!loading) {
    loading = import('./pucha_checker.js').then((g) =>
      g.default(module_or_path === undefined ? undefined : { module_or_path }).then(() => markCheckerReady(g)),
    );
  }
  return loading;
}

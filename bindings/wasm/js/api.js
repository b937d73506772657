// The JavaScript API of pucha-wasm, shared by the browser (index.js) and Node (node.js) entry points.
// Every call crosses into WebAssembly as JSON text through the core's one boundary; failures come back as
// `{type: "failure", errors: [...]}` and are thrown here as PuchaError subclasses carrying `code`, `path`, `rule`.
//
// Two WebAssembly modules are built from the same crate. The main one (`pucha_wasm_bg.wasm`) scores with the
// built-in packs: `Engine` with `score` and `scoreFlat`, `score`, `packs`, `version`; it is what the self-check
// widget needs. The full one (`pucha_wasm_full_bg.wasm`) also reads TOML packs and has `scoreText`, `info` (and
// `rules`, `params`), `flatToObservation`, `flatColumns` and `call`. The entry points load the main one; Node loads
// the full one by itself on the first call that needs it, a browser after `await init({ full: true })`.

// The glue of the module in use for built-in packs, and of the full module once it is loaded. The main module
// embeds census-2015 only; a pack only the full module embeds (checklist-2019) is built there, which a browser
// must load first (else PackError `pack_unavailable`).
let raw = null;
let fullRaw = null;
// Loads the full module synchronously, where that is possible (Node); set by the entry point.
let fullLoader = null;

/** Mark a WebAssembly module's glue as initialised (called by the entry points); `reads TOML` decides its role. */
export function markReady(glue) {
  if (glue.readsToml()) fullRaw = glue;
  if (!raw) raw = glue;
}

/** Register how to load the full module synchronously (Node's entry point). */
export function setFullLoader(load) {
  fullLoader = load;
}

// The glue of the full module, loading it where that can be done here; null when it cannot.
function loadFull() {
  if (!fullRaw && fullLoader) fullLoader();
  return fullRaw;
}

// The full module's glue for `what`, or an error saying how to load it: a PackError `toml_unavailable` for a TOML
// pack (as before the module had more in it), a PuchaError `full_module_unavailable` for the rest.
function fullModule(what) {
  if (loadFull()) return fullRaw;
  const help = 'call `await init({ full: true })` first';
  if (what === 'toml') {
    throw new PackError({
      code: 'toml_unavailable',
      path: 'pack',
      message: 'TOML packs need the full module, which is not loaded',
      help,
    });
  }
  throw new PuchaError({
    code: 'full_module_unavailable',
    message: `${what} needs the full module, which is not loaded`,
    help,
  });
}

/** Bad input for pucha. `code` is stable (e.g. `invalid_date`); `errors` lists every problem found. */
export class PuchaError extends Error {
  constructor(error, errors) {
    const e = error || {};
    super(e.message || 'pucha: unknown error');
    this.name = 'PuchaError';
    this.code = e.code || 'internal';
    this.path = e.path ?? null;
    this.rule = e.rule ?? null;
    this.help = e.help ?? null;
    this.line = e.line ?? null;
    this.column = e.column ?? null;
    this.errors = errors || [e];
  }
}

/** The observation is malformed: unknown field, wrong type, impossible date, negative count, … */
export class ObservationError extends PuchaError {
  constructor(error, errors) {
    super(error, errors);
    this.name = 'ObservationError';
  }
}

/** The rule pack or a parameter is wrong: unknown pack, TOML syntax, unknown fact or parameter, … */
export class PackError extends PuchaError {
  constructor(error, errors) {
    super(error, errors);
    this.name = 'PackError';
  }
}

function ensureReady() {
  if (!raw) {
    throw new PuchaError({
      code: 'not_initialised',
      message: 'pucha-wasm is not initialised: `await init()` first',
    });
  }
}

function parseAnswer(text, ErrorClass) {
  let answer;
  try {
    answer = JSON.parse(text);
  } catch (e) {
    throw new PuchaError({ code: 'internal', message: `pucha: unreadable answer from the engine: ${e.message}` });
  }
  if (answer.type === 'failure') {
    const errors = Array.isArray(answer.errors) && answer.errors.length ? answer.errors : [{}];
    throw new ErrorClass(errors[0], errors);
  }
  return answer;
}

// Calls into WebAssembly; a trap (which should never happen) still becomes an Error with a message.
function guarded(fn) {
  try {
    return fn();
  } catch (e) {
    if (e instanceof PuchaError) throw e;
    if (typeof e === 'string') {
      // The Engine constructor throws its failure answer as JSON text.
      parseAnswer(e, PackError);
    }
    throw new PuchaError({ code: 'internal', message: `pucha: engine failure: ${e && e.message ? e.message : String(e)}` });
  }
}

function jsonText(value, what, ErrorClass) {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') {
    throw new ErrorClass({ code: 'invalid_type', path: what, message: `${what} must be an object or JSON text, not ${value === null ? 'null' : typeof value}` });
  }
  try {
    return JSON.stringify(value);
  } catch (e) {
    throw new ErrorClass({ code: 'invalid_value', path: what, message: `${what} cannot be written as JSON: ${e.message}` });
  }
}

// The pack as the engine's JSON reference; TOML ones start with `{`.
function packRef(pack) {
  if (pack === undefined || pack === null) return '"census-2015"';
  if (typeof pack === 'string') {
    // A string with a newline or a `[pack]` table is TOML text; otherwise a built-in name.
    return JSON.stringify(/\n|^\s*\[/.test(pack) ? { toml: pack } : pack);
  }
  if (pack instanceof Pack) return JSON.stringify({ toml: pack.source });
  if (typeof pack === 'object' && typeof pack.toml === 'string') return JSON.stringify({ toml: pack.toml });
  throw new PackError({ code: 'invalid_type', path: 'pack', message: 'pack must be a built-in name, TOML text, {toml} or a Pack from loadPack()' });
}

function paramsText(params) {
  if (params === undefined || params === null) return '{}';
  if (typeof params !== 'object' || Array.isArray(params)) {
    throw new PackError({ code: 'invalid_type', path: 'params', message: 'params must be an object of name → value' });
  }
  return JSON.stringify(params);
}

/** A reusable engine: one pack with its parameters, compiled once. */
export class Engine {
  /**
   * @param {string|Pack|{toml: string}} [pack] built-in name (default `census-2015`), TOML text, or a Pack
   * @param {Record<string, string|number|boolean>} [params] parameter overrides
   */
  constructor(pack, params) {
    ensureReady();
    const ref = packRef(pack);
    const p = paramsText(params);
    let glue = ref.startsWith('{') ? fullModule('toml') : raw;
    try {
      this._inner = guarded(() => new glue.Engine(ref, p));
    } catch (e) {
      // A built-in pack only the full module embeds: there, where it is loaded (or Node can load it now).
      if (!(e instanceof PackError && e.code === 'pack_unavailable' && glue !== fullRaw && loadFull())) throw e;
      glue = fullRaw;
      this._inner = guarded(() => new glue.Engine(ref, p));
    }
    this._full = glue === fullRaw ? this._inner : null;
    this._ref = ref;
    this._params = p;
    this._info = null;
  }

  // The engine in the main module, or a clear error once `free()` has released it.
  _live() {
    if (!this._inner) {
      throw new PuchaError({ code: 'engine_freed', message: 'this engine was released with `free()`; make a new one' });
    }
    return this._inner;
  }

  // The same engine in the full module, for the calls only it has: this one when it is there, else a twin
  // compiled there on first use.
  _fullEngine(what) {
    this._live();
    if (!this._full) {
      const glue = fullModule(what);
      this._full = guarded(() => new glue.Engine(this._ref, this._params));
    }
    return this._full;
  }

  /** Score one observation (object or JSON text); returns the report (`pucha.report/1`). */
  score(observation) {
    const text = jsonText(observation, 'observation', ObservationError);
    const inner = this._live();
    return parseAnswer(guarded(() => inner.score(text)), ObservationError).report;
  }

  /** Score and render the report as plain text in `lang` (`zh` default, or `en`); full module. */
  scoreText(observation, lang = 'zh') {
    const text = jsonText(observation, 'observation', ObservationError);
    const full = this._fullEngine('scoreText');
    return parseAnswer(guarded(() => full.scoreText(text, String(lang))), ObservationError).text;
  }

  /** Score a flat record (documented flat column names → cells); returns `{observation, report}`. */
  scoreFlat(record) {
    const text = jsonText(record, 'record', ObservationError);
    const inner = this._live();
    const a = parseAnswer(guarded(() => inner.scoreFlat(text)), ObservationError);
    return { observation: a.observation, report: a.report };
  }

  /** The pack: id, version, title, completeness, indicators, rules, params; full module. */
  get info() {
    this._live();
    if (!this._info) {
      const full = this._fullEngine('info');
      this._info = JSON.parse(guarded(() => full.info()));
    }
    return this._info;
  }

  /** The rules with their 考察点 and 扣分细则. */
  get rules() {
    return this.info.rules;
  }

  /** Parameters as an object name → current value (text). */
  get params() {
    return Object.fromEntries(this.info.params.map((p) => [p.name, p.value]));
  }

  /** Release the WebAssembly memory now (otherwise it is released when the engine is garbage-collected). */
  free() {
    if (this._full && this._full !== this._inner) this._full.free();
    if (this._inner) this._inner.free();
    this._inner = null;
    this._full = null;
  }
}

/** A pack loaded from TOML text, checked. Use it with `new Engine(pack)` or `score(obs, {pack})`. */
export class Pack {
  constructor(source, info) {
    this.source = source;
    Object.assign(this, {
      id: info.id,
      version: info.version,
      title: info.title,
      completeness: info.completeness,
      rules: info.rules,
      params: info.params,
      indicators: info.indicators,
    });
  }
}

/** Load and check a pack from TOML text; throws PackError with `line`, `column`, `rule` on a mistake. */
export function loadPack(toml) {
  ensureReady();
  if (typeof toml !== 'string') {
    throw new PackError({ code: 'invalid_type', path: 'pack', message: 'loadPack takes the TOML text of a pack' });
  }
  const e = new Engine({ toml });
  const info = e.info;
  e.free();
  return new Pack(toml, info);
}

const cache = new Map();

function cachedEngine(pack, params) {
  const key = packRef(pack) + '\u0000' + paramsText(params);
  let e = cache.get(key);
  if (!e) {
    e = new Engine(pack, params);
    if (cache.size >= 8) {
      const [oldKey, old] = cache.entries().next().value;
      old.free();
      cache.delete(oldKey);
    }
    cache.set(key, e);
  }
  return e;
}

/**
 * Score one observation. Engines are cached by pack and parameters, so repeated calls are cheap.
 * @param {object|string} observation
 * @param {{pack?: string|Pack, params?: Record<string, string|number|boolean>}} [options]
 */
export function score(observation, options = {}) {
  ensureReady();
  const { pack, params } = options || {};
  return cachedEngine(pack, params).score(observation);
}

/** The built-in packs: `[{id, version, title: {zh, en}, completeness}]`. */
export function packs() {
  ensureReady();
  return JSON.parse(guarded(() => raw.packs()));
}

/** The observation (`pucha.observation/1`) a flat record stands for, checked; full module. */
export function flatToObservation(record) {
  ensureReady();
  const text = jsonText(record, 'record', ObservationError);
  const full = fullModule('flatToObservation');
  return parseAnswer(guarded(() => full.flatToObservation(text)), ObservationError).observation;
}

/** The documented flat column names with their meaning: `[[name, meaning], …]`; full module. */
export function flatColumns() {
  ensureReady();
  const full = fullModule('flatColumns');
  return JSON.parse(guarded(() => full.flatColumns()));
}

/**
 * Handle a whole request `{pack, params, observation}` and return the raw answer (as the shared vectors do); full
 * module.
 */
export function call(request) {
  ensureReady();
  const text = jsonText(request, 'request', ObservationError);
  const full = fullModule('call');
  return JSON.parse(guarded(() => full.call(text)));
}

/**
 * What is wrong with `input` read as `reading` — `'observation'`, `'result'` (a stored report or summary) or
 * `'params'` (overrides of `pack`) — in words for people: `null` when nothing is, else
 * `{code, path, line, column, help, message, zh, en, text}` where `zh` and `en` are the sentence in each language
 * (with the hint for a common mistake: a list of observations, a report given as an observation, `2015/6/30`) and
 * `text` the place and both; full module.
 */
export function explain(reading, input, pack = 'census-2015') {
  ensureReady();
  const text = typeof input === 'string' ? input : jsonText(input, 'input', ObservationError);
  const full = fullModule('explain');
  const answer = guarded(() => full.explain(String(reading), text, packRef(pack)));
  return answer === '' ? null : JSON.parse(answer);
}

/** The package version. */
export function version() {
  ensureReady();
  return raw.version();
}

// Types of pucha-wasm. Checked by `tsc --strict` over test/types-check.ts in the test suite.

/** Text in Chinese and English. */
export interface Text {
  zh: string;
  en: string;
}

/** An error as the engine reports it. */
export interface ErrorInfo {
  code: string;
  message: string;
  path?: string | null;
  rule?: string | null;
  help?: string | null;
  file?: string | null;
  line?: number | null;
  column?: number | null;
}

/** Bad input for pucha. `code` is stable (e.g. `invalid_date`); `errors` lists every problem found. */
export class PuchaError extends Error {
  readonly code: string;
  readonly path: string | null;
  readonly rule: string | null;
  readonly help: string | null;
  readonly line: number | null;
  readonly column: number | null;
  readonly errors: ErrorInfo[];
}
/** The observation is malformed: unknown field, wrong type, impossible date, negative count, … */
export class ObservationError extends PuchaError {}
/** The rule pack or a parameter is wrong: unknown pack, TOML syntax, unknown fact or parameter, … */
export class PackError extends PuchaError {}

/** `YYYY-MM-DD` (China Standard Time). */
export type DateString = string;

/** An observation (`pucha.observation/1`); see docs/observation.md. Unknown fields are rejected by the engine. */
export interface Observation {
  schema?: 'pucha.observation/1';
  monitoring_point: DateString;
  site: {
    name: string;
    url?: string;
    kind?: 'portal' | 'other';
    id?: string;
    region?: string;
    department?: string;
    homepage_navigation_only?: boolean;
    offers_services?: boolean;
  };
  availability?: Record<string, unknown>;
  links?: Record<string, unknown>;
  homepage?: { updates_in_window?: number };
  columns?: Array<Record<string, unknown>>;
  interaction?: Record<string, unknown>;
  services?: Record<string, unknown>;
  content_findings?: Array<Record<string, unknown>>;
  provenance?: unknown;
}

/** One cell of a flat record: a number, text, a boolean, or null for no data. */
export type Cell = number | string | boolean | null;
/** A flat record: documented flat column names (see `flatColumns()`) → cells. */
export type FlatRecord = Record<string, Cell>;

/** `applied`: the rule's case matched (a deduction, veto or bonus); `passed`: nothing found. */
export type RuleStatus = 'applied' | 'passed' | 'not_applicable' | 'no_data' | 'needs_review';

/** The result of one rule. */
export interface RuleResult {
  id: string;
  kind: 'veto' | 'deduction' | 'bonus';
  title: Text;
  indicator: { id: string; zh: [string, string]; en: [string, string] };
  checkpoint: Text;
  criteria: Text;
  clause: string;
  confidence: string;
  status: RuleStatus;
  points: number;
  counted: boolean;
  explanation: Text;
  observed: Record<string, number | boolean | string | null>;
  cases: Array<{ label: Text; when?: string; matched: boolean; points: number }>;
  window?: { from: DateString; to: DateString };
  evidence: Array<Record<string, unknown>>;
  review?: number;
}

/** A report (`pucha.report/1`). */
export interface Report {
  schema: 'pucha.report/1';
  pack: { id: string; version: string; title: Text; completeness: string };
  params: Record<string, string>;
  site: Observation['site'];
  monitoring_point: DateString;
  verdict: 'pass' | 'fail';
  verdict_basis: string;
  complete: boolean;
  score: number | null;
  total_deduction: number;
  uncounted_deduction: number;
  bonus: number;
  threshold: number;
  vetoes: Array<{ rule: string; title: Text; clauses: Text[] }>;
  indicators: Array<{ id: string; title: Text; points: number; counted_points: number }>;
  rules: RuleResult[];
  warnings: Array<{ code: string; path?: string; rule?: string; message: Text }>;
}

/** A rule as its pack states it. */
export interface RuleInfo {
  id: string;
  kind: 'veto' | 'deduction' | 'bonus';
  indicator: { id: string; zh: [string, string]; en: [string, string] };
  title: Text;
  checkpoint: Text;
  criteria: Text;
  clause: string;
  confidence: string;
}

/** A pack parameter with its current value. */
export interface ParamInfo {
  name: string;
  value: string;
  allowed: string[] | null;
  doc: Text | null;
}

/** A pack described. */
export interface PackInfo {
  id: string;
  version: string;
  title: Text;
  completeness: 'complete' | 'partial' | string;
  missing: string[];
  source: string | null;
  description: Text | null;
  indicators: Array<{ id: string; title: Text; cap: number | null }>;
  rules: RuleInfo[];
  params: ParamInfo[];
}

/** A built-in pack in `packs()`. */
export interface PackSummary {
  id: string;
  version: string;
  title: Text;
  completeness: string;
}

/** Parameter overrides, as `pucha score --set name=value` takes them. */
export type Params = Record<string, string | number | boolean>;

/** A pack loaded from TOML text by `loadPack`, already checked. */
export class Pack {
  readonly source: string;
  readonly id: string;
  readonly version: string;
  readonly title: Text;
  readonly completeness: string;
  readonly rules: RuleInfo[];
  readonly params: ParamInfo[];
  readonly indicators: PackInfo['indicators'];
}

/** Which pack: a built-in name (default `census-2015`), TOML text, `{toml}`, or a loaded Pack. */
export type PackSpec = string | Pack | { toml: string };

/** Options of `score`. */
export interface ScoreOptions {
  pack?: PackSpec;
  params?: Params;
}

/** A reusable engine: one pack with its parameters, compiled once. */
export class Engine {
  constructor(pack?: PackSpec, params?: Params);
  /** Score one observation (object or JSON text). Throws ObservationError. */
  score(observation: Observation | string): Report;
  /**
   * Score and render as plain text (`zh` default, or `en`). Full module: in a browser, throws PuchaError
   * `full_module_unavailable` unless `init({ full: true })` has resolved.
   */
  scoreText(observation: Observation | string, lang?: 'zh' | 'en'): string;
  /** Score a flat record; also returns the observation it stands for. */
  scoreFlat(record: FlatRecord | string): { observation: Observation; report: Report };
  /** The pack's description. Full module, as `scoreText`. */
  readonly info: PackInfo;
  /** `info.rules`. Full module, as `scoreText`. */
  readonly rules: RuleInfo[];
  /** Parameters name → current value. Full module, as `scoreText`. */
  readonly params: Record<string, string>;
  /** Release the WebAssembly memory now. */
  free(): void;
}

/** Where a WebAssembly module comes from. */
export type InitInput = string | URL | Request | Response | BufferSource | WebAssembly.Module;
/** Which module `init` loads. */
export interface InitOptions {
  /**
   * Load the full module (`pucha_wasm_full_bg.wasm`): TOML packs (`loadPack`), `Engine.scoreText`, `Engine.info`
   * (`rules`, `params`), `flatToObservation`, `flatColumns`, `call`.
   */
  full?: boolean;
  /** The same as `full` (the full module is the one that reads TOML packs). */
  toml?: boolean;
  /** Where to load it from instead of next to the JavaScript module. */
  module_or_path?: InitInput;
}
/**
 * Load the WebAssembly module. Browsers: `init()` loads the main module (`pucha_wasm_bg.wasm` next to this file, or
 * `input`), which scores with the built-in packs (`Engine` with `score` and `scoreFlat`, `score`, `packs`,
 * `version`); `init({ full: true })` loads the full module, which the rest needs. Node: already loaded, the full
 * module loads on demand. Safe to call many times.
 */
export function init(input?: InitInput | InitOptions): Promise<void>;
/** Score one observation; engines are cached by pack and parameters. Throws ObservationError or PackError. */
export function score(observation: Observation | string, options?: ScoreOptions): Report;
/** The built-in packs. */
export function packs(): PackSummary[];
/**
 * Load and check a pack from TOML text. Throws PackError with `line`, `column`, `rule`; in a browser, code
 * `toml_unavailable` unless `init({ full: true })` has resolved.
 */
export function loadPack(toml: string): Pack;
/** The observation a flat record stands for, checked. Full module, as `Engine.scoreText`. */
export function flatToObservation(record: FlatRecord | string): Observation;
/** The documented flat column names with their meaning. Full module, as `Engine.scoreText`. */
export function flatColumns(): Array<[string, string]>;
/** Handle a whole request as the shared test vectors do; returns the raw answer. Full module, as `Engine.scoreText`. */
export function call(request: { pack?: string | { toml: string }; params?: Record<string, string>; observation: unknown } | string):
  | { type: 'success'; report: Report }
  | { type: 'failure'; errors: ErrorInfo[] };
/** The package version. */
/** An input's problem in words for people (`explain`): the core's error with its sentence in each language. */
export interface Explained {
  code: string;
  message: string;
  path?: string;
  rule?: string;
  file?: string;
  line?: number;
  column?: number;
  help?: string;
  /** The sentence in Chinese, with its hint. */
  zh: string;
  /** The sentence in English, with its hint. */
  en: string;
  /** The place, then the Chinese, then the English. */
  text: string;
}

/**
 * What is wrong with `input` read as an observation, a stored result, or parameter overrides of `pack`; `null` when
 * nothing is. Full module.
 */
export function explain(
  reading: 'observation' | 'result' | 'params',
  input: string | object,
  pack?: string | Pack,
): Explained | null;

export function version(): string;

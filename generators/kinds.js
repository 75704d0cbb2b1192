/**
 * What each kind of package needs and has, stated once in templates/<kind>/kind.json and read only
 * here: the generators, the CLI's questions and help, `doctor` and the CLI's preflight, and the
 * decision matrix all take the kinds from listKinds and a kind's facts from readKind or readKinds.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GeneratorError } from './errors.js';

/** In a kind's folder: its facts. Never copied into a package. */
export const kindManifest = 'kind.json';

// Relative to this file, so the copy shipped in the CLI package (assets/generators next to
// assets/templates) reads its own templates exactly as the repository copy does.
export const templatesDir = fileURLToPath(new URL('../templates/', import.meta.url));

/** Toolchains a kind can need beyond Node and a package manager; `doctor` has a check for each. */
export const toolchains = /** @type {const} */ (['rust', 'cc', 'wasm32', 'browser']);

/** @typedef {(typeof toolchains)[number]} Toolchain */

/**
 * A kind's facts: kind.json as written, with the kind's name, and the flags it may leave out as false.
 * @typedef {object} KindFacts
 * @property {string} kind the templates/ folder's name
 * @property {string} hint one line for --help and the kind question: what the kind is for and what it costs
 * @property {string[]} layers the shared template folders the kind builds on, in order (see layersOf)
 * @property {{ build: Toolchain[], test: Toolchain[] }} needs toolchains that creating a package needs,
 *   and those only its tests need
 * @property {boolean} hashSync whether the package exports hashSync (then it builds on the `sync` layer)
 * @property {string[]} crashModes the contract's crash modes its `./testing` entry stages with crash(mode)
 * @property {string} faultBoundary where a fault in the kind stops
 * @property {boolean} preferred the kind `--yes` picks when none is given (at most one kind says so)
 * @property {boolean} baseline the kind the others are measured against (the decision matrix's ratios)
 */

/** The shared layer with hashSync's leak test and bench: a kind builds on it exactly when it has hashSync. */
const hashSyncLayer = 'sync';

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
const isRecord = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** @param {unknown} value */
const isLine = (value) => typeof value === 'string' && value.trim() !== '' && !/[\r\n]/.test(value);

/**
 * @param {unknown} value
 * @param {readonly unknown[]} allowed
 */
const isListOf = (value, allowed) =>
  Array.isArray(value) && value.every((item) => allowed.includes(item)) && new Set(value).size === value.length;

/** @param {unknown} value */
const isListOfNames = (value) =>
  Array.isArray(value) && value.every((item) => typeof item === 'string' && /^[a-z][a-z-]*$/.test(item)) && new Set(value).size === value.length;

/**
 * Each field of kind.json: whether it must be there, and what is wrong with a value (undefined: nothing).
 * @param {readonly string[]} shared the shared layers
 * @returns {Record<string, { required: boolean, problem(value: unknown): string | undefined }>}
 */
function fieldRules(shared) {
  const flag = { required: false, problem: (/** @type {unknown} */ value) => (typeof value === 'boolean' ? undefined : 'must be true or false') };
  return {
    hint: { required: true, problem: (value) => (isLine(value) ? undefined : 'must be one line of text') },
    layers: {
      required: true,
      problem: (value) => (isListOf(value, shared) ? undefined : `must name shared template folders (${shared.join(', ')}), each once`),
    },
    needs: {
      required: true,
      problem: (value) =>
        isRecord(value) && Object.keys(value).sort().join() === 'build,test' && isListOf(value.build, toolchains) && isListOf(value.test, toolchains)
          ? undefined
          : `must be { "build": [...], "test": [...] }, each listing toolchains once (${toolchains.join(', ')})`,
    },
    hashSync: { required: true, problem: flag.problem },
    crashModes: { required: true, problem: (value) => (isListOfNames(value) ? undefined : 'must list crash mode names (like "panic"), each once') },
    faultBoundary: { required: true, problem: (value) => (isLine(value) ? undefined : 'must be one line of text') },
    preferred: flag,
    baseline: flag,
  };
}

/**
 * Everything wrong with `value` as the content of a kind.json; empty when nothing is.
 * @param {unknown} value
 * @param {readonly string[]} shared the shared layers
 * @returns {string[]}
 */
function kindManifestProblems(value, shared) {
  if (!isRecord(value)) return ['it must be a JSON object'];
  const rules = fieldRules(shared);
  const problems = Object.keys(value)
    .filter((field) => !Object.hasOwn(rules, field))
    .map((field) => `"${field}" is not a fact kind.json states (those are: ${Object.keys(rules).join(', ')})`);
  for (const [field, rule] of Object.entries(rules)) {
    if (!Object.hasOwn(value, field)) {
      if (rule.required) problems.push(`"${field}" is missing`);
      continue;
    }
    const problem = rule.problem(value[field]);
    if (problem !== undefined) problems.push(`"${field}" ${problem}`);
  }
  if (problems.length === 0 && value.hashSync !== (/** @type {string[]} */ (value.layers)).includes(hashSyncLayer)) {
    problems.push(`"hashSync" is ${String(value.hashSync)}, so "layers" must ${value.hashSync ? '' : 'not '}include "${hashSyncLayer}"`);
  }
  return problems;
}

/**
 * The folders of `directory` that are kinds (with a kind.json), or the shared layers (without one).
 * @param {string} directory
 * @param {boolean} kinds
 */
function templateFolders(directory, kinds) {
  return readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(directory, entry.name, kindManifest)) === kinds)
    .map((entry) => entry.name)
    .sort();
}

/**
 * The kinds of package that can be generated: the folders of templates/ with a kind.json.
 * @param {string} [directory] a templates folder (default: the one beside these generators)
 * @returns {string[]}
 */
export function listKinds(directory = templatesDir) {
  return templateFolders(directory, true);
}

/**
 * The layers kinds build on: the folders of templates/ without a kind.json.
 * @param {string} [directory]
 * @returns {string[]}
 */
export function sharedLayers(directory = templatesDir) {
  return templateFolders(directory, false);
}

/**
 * A kind's facts, checked: GeneratorError ERR_UNKNOWN_KIND for a kind without templates,
 * ERR_BAD_TEMPLATE for a kind.json that is not JSON or misstates a fact.
 * @param {string} kind
 * @param {string} [directory]
 * @returns {KindFacts}
 */
export function readKind(kind, directory = templatesDir) {
  const kinds = listKinds(directory);
  if (!kinds.includes(kind)) {
    throw new GeneratorError('ERR_UNKNOWN_KIND', `There are no templates for the kind "${kind}" (there are: ${kinds.join(', ')}).`);
  }
  const file = path.join(directory, kind, kindManifest);
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new GeneratorError('ERR_BAD_TEMPLATE', `${file} is not readable JSON: ${(/** @type {Error} */ (error)).message}`, { cause: error });
  }
  const problems = kindManifestProblems(manifest, sharedLayers(directory));
  if (problems.length > 0) {
    throw new GeneratorError('ERR_BAD_TEMPLATE', `${file} misstates the kind's facts:\n- ${problems.join('\n- ')}`);
  }
  return { kind, ...manifest, preferred: manifest.preferred ?? false, baseline: manifest.baseline ?? false };
}

/**
 * Every kind's facts, in listKinds' order, checked each on its own and against each other.
 * @param {string} [directory]
 * @returns {KindFacts[]}
 */
export function readKinds(directory = templatesDir) {
  const kinds = listKinds(directory).map((kind) => readKind(kind, directory));
  const preferred = kinds.filter((facts) => facts.preferred).map((facts) => facts.kind);
  if (preferred.length > 1) {
    throw new GeneratorError('ERR_BAD_TEMPLATE', `The kinds ${preferred.join(', ')} each say "preferred": at most one kind can be --yes's default.`);
  }
  return kinds;
}

/**
 * `add`'s one engine, for the CLI and for `npx plop function`: planFunction reads a generated package,
 * checks the request and computes every file to create or change — refusing with a GeneratorError
 * before anything is written — and applyPlan writes them all. A request the package already has,
 * exactly, plans no change, so running `add` twice changes nothing.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GeneratorError } from '../errors.js';
import { listKinds, readKind } from '../kinds.js';
import { referenceSource, rustBodySource } from './example-body.js';
import { appendBlock, findRegion, regionHolds, regionOwners } from './markers.js';
import { abiBlock, napiBlock, portBlocks, wasmBlock } from './native.js';
import { checkSignature } from './signature.js';
import { benchSource, testSource } from './tests.js';
import { indexBlock, referenceIndexBlock, wrapperSources } from './typescript.js';

/** @typedef {import('./signature.js').FunctionRequest} FunctionRequest */
/** @typedef {import('./signature.js').FunctionSignature} FunctionSignature */

/**
 * One file of a plan: created (it did not exist), changed, or unchanged (already as planned).
 * @typedef {object} PlannedFile
 * @property {string} file relative to the package, with forward slashes
 * @property {'create' | 'update' | 'unchanged'} action
 * @property {string} content what it will hold
 */

/**
 * @typedef {object} FunctionPlan
 * @property {string} packageDir
 * @property {string} kind
 * @property {FunctionSignature} signature
 * @property {PlannedFile[]} files every file the function has, in a stable order
 * @property {boolean} alreadyAdded the package has this function exactly: nothing to write
 */

/** The line of lib/index.ts that names the package's kind, as every template writes it. */
const backendLine = /^export const backend = '([a-z]+)'(?: as const)?;$/m;

/**
 * @param {string} packageDir
 * @param {string} file
 */
async function readIfThere(packageDir, file) {
  try {
    return await readFile(path.join(packageDir, file), 'utf8');
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * The kind of the package in `packageDir`: its lib/index.ts says `export const backend = '<kind>'`.
 * @param {string} packageDir
 * @param {string | undefined} index lib/index.ts
 */
function kindOf(packageDir, index) {
  const kind = index === undefined ? undefined : backendLine.exec(index)?.[1];
  if (kind === undefined || !listKinds().includes(kind)) {
    throw new GeneratorError(
      'ERR_UNRECOGNISED_PACKAGE',
      `${packageDir} is not a package create-interop-module made, or its lib/index.ts no longer says which kind it is ` +
        "(`export const backend = '<kind>'`), so add cannot tell what to write.",
    );
  }
  return kind;
}

/**
 * Whether lib/index.ts (or lib/abi.ts) already defines `name` outside the marked region: a contract
 * function, a helper, an operation.
 * @param {string} text
 * @param {string} name
 */
function definesName(text, name) {
  const definitions = [
    new RegExp(`^export\\s+(?:async\\s+)?(?:function|const|let|class|type|interface)\\s+${name}\\b`, 'm'),
    new RegExp(`^export\\s*(?:type\\s*)?\\{[^}]*\\b${name}\\b[^}]*\\}`, 'm'),
    new RegExp(`^\\s+${name}\\s*\\(`, 'm'),
  ];
  return definitions.some((definition) => definition.test(text));
}

/**
 * A region edit: the region of `file` named `region` gains `block`.
 * @typedef {object} RegionEdit
 * @property {string} file
 * @property {string} region
 * @property {string} block
 */

/**
 * @param {string} kind
 * @param {FunctionSignature} signature
 * @returns {{ created: { file: string, content: string }[], regions: RegionEdit[] }}
 */
function filesFor(kind, signature) {
  const { name, rustName } = signature;
  const created = [
    { file: `lib/reference/${name}.ts`, content: referenceSource(signature, { isImplementation: kind === 'pure' }) },
    { file: `lib/functions/${name}.ts`, content: /** @type {(s: FunctionSignature) => string} */ (wrapperSources[kind])(signature) },
    { file: `test/functions/${name}.test.ts`, content: testSource(kind, signature) },
    { file: `bench/functions/${name}.mjs`, content: benchSource(kind, signature) },
  ];
  /** @type {RegionEdit[]} */
  const regions = [
    { file: 'lib/reference/index.ts', region: 'functions', block: referenceIndexBlock(signature) },
    { file: 'lib/index.ts', region: 'functions', block: indexBlock(kind, signature) },
  ];
  if (kind !== 'pure') created.push({ file: `src/functions/${rustName}.rs`, content: rustBodySource(signature) });
  if (kind === 'napi') regions.push({ file: 'src/functions/mod.rs', region: 'functions', block: napiBlock(signature) });
  if (kind === 'port') {
    const blocks = portBlocks(signature);
    regions.push(
      { file: 'src/functions/mod.rs', region: 'handlers', block: blocks.registration },
      { file: 'src/functions/mod.rs', region: 'functions', block: blocks.handler },
    );
  }
  if (kind === 'wasm') {
    regions.push({ file: 'src/functions/mod.rs', region: 'functions', block: wasmBlock(signature) }, { file: 'lib/abi.ts', region: 'functions', block: abiBlock(signature) });
  }
  return { created, regions };
}

/**
 * Reads the package, checks the request against it, and computes every file the function needs.
 * Refuses (GeneratorError) a package it cannot recognise (ERR_UNRECOGNISED_PACKAGE), a signature it
 * cannot write (ERR_INVALID_SIGNATURE), and a name the package already uses otherwise
 * (ERR_FUNCTION_EXISTS). Writes nothing.
 * @param {string} packageDir
 * @param {FunctionRequest} request
 * @returns {Promise<FunctionPlan>}
 */
export async function planFunction(packageDir, request) {
  const index = await readIfThere(packageDir, 'lib/index.ts');
  const kind = kindOf(packageDir, index);
  const signature = checkSignature(request, readKind(kind));
  const { created, regions } = filesFor(kind, signature);

  /** @type {Map<string, string>} the text of each region file, as edited so far */
  const texts = new Map();
  for (const { file } of regions) {
    if (texts.has(file)) continue;
    const text = await readIfThere(packageDir, file);
    if (text === undefined) {
      throw new GeneratorError('ERR_UNRECOGNISED_PACKAGE', `${path.join(packageDir, file)} is missing, so add cannot tell where its code goes.`);
    }
    texts.set(file, text);
  }
  // Every region found first: a package edited beyond its markers is refused before anything else.
  const found = regions.map((edit) => ({ edit, region: findRegion(/** @type {string} */ (texts.get(edit.file)), edit.region, edit.file) }));

  const exists = () =>
    new GeneratorError(
      'ERR_FUNCTION_EXISTS',
      `The package already has ${signature.name} with another signature or other files: choose another name, or remove its files and blocks first ` +
        `(lib/functions/${signature.name}.ts and the blocks that begin "// ${signature.name}(").`,
    );
  const owned = found.filter(({ region }) => regionOwners(region).includes(signature.name));
  if (owned.length > 0) {
    // Added before: with the same signature exactly (every block as it would be written now), nothing to do.
    if (owned.length !== found.length || !found.every(({ edit, region }) => regionHolds(region, edit.block))) throw exists();
    return {
      packageDir,
      kind,
      signature,
      alreadyAdded: true,
      files: [...created.map(({ file }) => file), ...new Set(regions.map(({ file }) => file))].map((file) => ({ file, action: 'unchanged', content: '' })),
    };
  }
  const definedElsewhere = [...texts.entries()].some(([file, text]) => (file === 'lib/index.ts' || file === 'lib/abi.ts') && definesName(text, signature.name));
  if (definedElsewhere || created.some(({ file }) => existsSync(path.join(packageDir, file)))) {
    throw new GeneratorError(
      'ERR_FUNCTION_EXISTS',
      `The package already has something called ${signature.name} (an export, an operation or one of its files): choose another name.`,
    );
  }

  // Blocks go in one at a time, each region found again in the text as edited so far.
  for (const { edit } of found) {
    const text = /** @type {string} */ (texts.get(edit.file));
    texts.set(edit.file, appendBlock(text, findRegion(text, edit.region, edit.file), edit.block));
  }
  return {
    packageDir,
    kind,
    signature,
    alreadyAdded: false,
    files: [
      ...created.map(({ file, content }) => ({ file, action: /** @type {const} */ ('create'), content })),
      ...[...texts.entries()].map(([file, content]) => ({ file, action: /** @type {const} */ ('update'), content })),
    ],
  };
}

/**
 * Writes every created and changed file of the plan; returns their paths.
 * @param {FunctionPlan} plan
 */
export async function applyPlan(plan) {
  const written = plan.files.filter(({ action }) => action !== 'unchanged');
  for (const { file, content } of written) {
    const target = path.join(plan.packageDir, file);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  }
  return written.map(({ file }) => file);
}

/**
 * The plan for people: one line per file, `create lib/functions/checksum.ts`.
 * @param {FunctionPlan} plan
 */
export function describePlan(plan) {
  return plan.files.map(({ file, action }) => `${action.padEnd(9)} ${file}`).join('\n');
}

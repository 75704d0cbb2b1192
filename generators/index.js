import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { companionCrateDir, copyCompanionCrate, usesVendoredCrate, vendoredCrateDir } from './companion-crate.js';
import { generatedPath, templateSuffix } from './dotfiles.js';
import { GeneratorError } from './errors.js';
import { listKinds, readKind, sharedLayers, templatesDir } from './kinds.js';
import registerFunctionGenerator from './function/plop.js';
import { listTemplateFiles } from './template-files.js';
import { binaryNameOf, crateNameOf, packageNameProblem } from './package-name.js';
import { runtimeVersion, runtimeVersionRange } from './runtime.js';

export { GeneratorError } from './errors.js';
export { listKinds, readKind, readKinds } from './kinds.js';
export { packageNameProblem, binaryNameOf } from './package-name.js';
export { applyPlan, describePlan, planFunction } from './function/plan.js';
export { argumentTypes, describeSignature, functionNameProblem, modes, parseArguments, returnTypes } from './function/signature.js';

const runtimePackage = '@interop-module/runtime';

/**
 * The folders a kind's package is written from, in order, ending with the kind's own; a file in a
 * later folder replaces the same path from an earlier one. The kind's kind.json lists the shared
 * layers (folders without a kind.json, e.g. `common`, and `sync` for kinds that have hashSync).
 * @param {string} kind
 * @returns {string[]}
 */
export function layersOf(kind) {
  return [...readKind(kind).layers, kind];
}

/** @param {string} kind */
export function defaultDescription(kind) {
  return `A TypeScript module with a ${kind} backend, created with create-interop-module.`;
}

/**
 * @typedef {object} Answers
 * @property {string} name npm package name
 * @property {string} directory where to write the package (relative to plop's destination base)
 * @property {string} [description]
 * @property {string} [runtimeSpec] dependency spec for @interop-module/runtime (e.g. a tarball path)
 */

/**
 * node-plop's API as these generators use it: it also hands actions the handlebars it renders with.
 * @typedef {import('node-plop').NodePlopAPI & { handlebars: typeof import('handlebars') }} PlopApi
 */

/**
 * The variables the `.hbs` templates can use, and the values written into package.json.
 * @param {string} kind
 * @param {Answers} answers
 */
function templateData(kind, answers) {
  const layers = layersOf(kind);
  const problem = packageNameProblem(answers.name);
  if (problem !== undefined) throw new GeneratorError('ERR_INVALID_NAME', `Invalid package name: ${problem}.`);
  const binaryName = binaryNameOf(answers.name);
  const versionRange = runtimeVersionRange();
  return {
    kind,
    packageName: answers.name,
    binaryName,
    crateName: crateNameOf(binaryName),
    description: answers.description || defaultDescription(kind),
    runtimeVersionRange: versionRange,
    // The companion crate's version in Cargo.toml: always the runtime's (see companion-crate.js).
    runtimeVersion: runtimeVersion(),
    runtimeSpec: answers.runtimeSpec || versionRange,
    // `{{#if layers.sync}}`: which shared layers this package is built from.
    layers: Object.fromEntries(sharedLayers().map((layer) => [layer, layers.includes(layer)])),
  };
}

/**
 * Refuses to write into an existing non-empty directory unless `force` is set, so a typo in the
 * target cannot overwrite someone's work.
 * @param {string} destination absolute path
 * @param {boolean} force
 */
export async function assertDestinationUsable(destination, force) {
  let entries;
  try {
    entries = await readdir(destination);
  } catch (error) {
    const { code } = /** @type {NodeJS.ErrnoException} */ (error);
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR') {
      throw new GeneratorError('ERR_DESTINATION_NOT_DIRECTORY', `${destination} exists and is not a directory.`);
    }
    throw error;
  }
  if (entries.length > 0 && !force) {
    throw new GeneratorError(
      'ERR_DESTINATION_NOT_EMPTY',
      `${destination} is not empty. Choose another directory, or pass --force to write into it.`,
    );
  }
}

/** @param {{ getDestBasePath(): string }} plop @param {Answers} answers */
function destinationOf(plop, answers) {
  return path.resolve(plop.getDestBasePath(), answers.directory);
}

/** @typedef {ReturnType<typeof templateData>} TemplateData */

/**
 * node-plop types every action's answers and config loosely; these actions get the answers of
 * promptsFor (or the CLI) and their entry of actionsFor.
 * @template Config
 * @param {(answers: Answers, config: Config, plop: PlopApi) => Promise<string>} action
 */
const asPlopAction = (action) => /** @type {import('node-plop').CustomActionFunction} */ (action);

/**
 * Copies templates/<layer> into the destination. Only `.hbs` files go through handlebars; the
 * rest are copied byte for byte so text such as `${{ github.ref }}` in a workflow survives.
 * @param {Answers} answers
 * @param {{ layer: string, data: TemplateData }} config
 * @param {PlopApi} plop
 */
async function copyTemplateLayer(answers, config, plop) {
  const source = path.join(templatesDir, config.layer);
  const destination = destinationOf(plop, answers);
  const files = await listTemplateFiles(source);
  for (const file of files) {
    const from = path.join(source, file);
    const to = path.join(destination, generatedPath(file));
    await mkdir(path.dirname(to), { recursive: true });
    if (file.endsWith(templateSuffix)) {
      // noEscape: these are source files, not HTML; strict: a misspelt variable fails loudly.
      const render = plop.handlebars.compile(await readFile(from, 'utf8'), { noEscape: true, strict: true });
      await writeFile(to, render(config.data));
    } else {
      await copyFile(from, to);
    }
  }
  return `${files.length} files from templates/${config.layer}`;
}

/** Where a runtime given as a tarball is kept in the generated package. */
export const vendoredRuntimeDir = 'vendor';

/**
 * The runtime dependency as the generated package.json names it. A tarball (`file:/abs/x.tgz`, as
 * `npm run scaffold` passes one packed from its checkout) is copied into vendor/ and named by a relative
 * `file:` spec, so the package does not depend on a path outside itself: it can be committed, cloned and
 * installed elsewhere. Any other spec (a version range, a registry tag) is written as given.
 * @param {string} spec
 * @param {string} destination the generated package's folder
 */
async function runtimeDependency(spec, destination) {
  const tarball = /^file:(.+\.(?:tgz|tar\.gz))$/.exec(spec)?.[1];
  if (tarball === undefined || !path.isAbsolute(tarball)) return spec;
  const name = path.basename(tarball);
  await mkdir(path.join(destination, vendoredRuntimeDir), { recursive: true });
  await copyFile(tarball, path.join(destination, vendoredRuntimeDir, name)).catch((/** @type {NodeJS.ErrnoException} */ error) => {
    if (error.code !== 'ENOENT') throw error;
    throw new GeneratorError('ERR_GENERATION_FAILED', `The runtime tarball ${tarball} does not exist; pack @interop-module/runtime first.`);
  });
  return `file:${vendoredRuntimeDir}/${name}`;
}

/**
 * Edits the generated package.json as JSON, keeping the template's key order.
 * @param {Answers} answers
 * @param {{ data: TemplateData }} config
 * @param {PlopApi} plop
 */
async function editPackageJson(answers, config, plop) {
  const file = path.join(destinationOf(plop, answers), 'package.json');
  const manifest = JSON.parse(await readFile(file, 'utf8'));
  const { packageName, description, binaryName, runtimeSpec } = config.data;
  manifest.name = packageName;
  manifest.description = description;
  if (manifest.napi !== undefined) manifest.napi.binaryName = binaryName;
  manifest.dependencies = { ...manifest.dependencies, [runtimePackage]: await runtimeDependency(runtimeSpec, destinationOf(plop, answers)) };
  await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);
  return file;
}

/**
 * Writes the companion crate into vendor/interop-module when the package's Cargo.toml depends on it there.
 * @param {Answers} answers
 * @param {unknown} _config
 * @param {PlopApi} plop
 */
async function vendorCompanionCrate(answers, _config, plop) {
  const destination = destinationOf(plop, answers);
  const manifest = await readFile(path.join(destination, 'Cargo.toml'), 'utf8').catch((/** @type {NodeJS.ErrnoException} */ error) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  if (!usesVendoredCrate(manifest)) return 'no Rust crate depends on the companion crate';
  const files = await copyCompanionCrate(companionCrateDir, path.join(destination, vendoredCrateDir));
  return `${files.length} files of the companion crate into ${vendoredCrateDir}`;
}

/**
 * @param {Answers} answers
 * @param {{ force?: boolean }} config node-plop sets `force` from its own option
 * @param {PlopApi} plop
 */
async function checkDestination(answers, config, plop) {
  const destination = destinationOf(plop, answers);
  await assertDestinationUsable(destination, config.force === true);
  return destination;
}

/**
 * @param {string} kind
 * @returns {import('node-plop').PromptQuestion[]}
 */
function promptsFor(kind) {
  return [
    {
      type: 'input',
      name: 'name',
      message: 'npm package name',
      validate: (/** @type {string} */ value) => packageNameProblem(value) ?? true,
    },
    {
      type: 'input',
      name: 'directory',
      message: 'Directory to create',
      // Prompts only run under `npx plop` at the repository root, where examples/* are workspaces.
      default: (/** @type {Answers} */ answers) => path.join('examples', binaryNameOf(answers.name)),
    },
    {
      type: 'input',
      name: 'description',
      message: 'Description',
      default: defaultDescription(kind),
    },
  ];
}

/** @param {string} kind @param {Answers} answers */
function actionsFor(kind, answers) {
  const data = templateData(kind, answers);
  return [
    { type: 'checkDestination' },
    ...layersOf(kind).map((layer) => ({ type: 'copyTemplateLayer', layer, data })),
    { type: 'vendorCompanionCrate' },
    { type: 'editPackageJson', data },
  ];
}

/**
 * Registers one generator per kind, and `function` (function/plop.js, what `add` runs). Used by
 * `npx plop <kind>` (through the root plopfile.js) and by the CLI (through node-plop), so both
 * produce the same package.
 * @param {import('node-plop').NodePlopAPI} plop
 */
export default function registerGenerators(plop) {
  plop.setActionType('checkDestination', asPlopAction(checkDestination));
  plop.setActionType('copyTemplateLayer', asPlopAction(copyTemplateLayer));
  plop.setActionType('vendorCompanionCrate', asPlopAction(vendorCompanionCrate));
  plop.setActionType('editPackageJson', asPlopAction(editPackageJson));
  for (const kind of listKinds()) {
    plop.setGenerator(kind, {
      description: `a package with the ${kind} backend`,
      prompts: promptsFor(kind),
      // node-plop runs the actions with the answers of the prompts above, or those the CLI passes.
      actions: (answers) => actionsFor(kind, /** @type {Answers} */ (answers)),
    });
  }
  registerFunctionGenerator(plop);
}

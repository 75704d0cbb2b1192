import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { companionCrateDir, copyCompanionCrate, usesVendoredCrate, vendoredCrateDir } from './companion-crate.js';
import { generatedPath, templateSuffix } from './dotfiles.js';
import { GeneratorError } from './errors.js';
import { kindManifest, listTemplateFiles } from './template-files.js';
import { binaryNameOf, crateNameOf, packageNameProblem } from './package-name.js';
import { runtimeVersion, runtimeVersionRange } from './runtime.js';

export { GeneratorError } from './errors.js';
export { packageNameProblem, binaryNameOf } from './package-name.js';

// Relative to this file so the copy shipped in the CLI package (assets/generators next to
// assets/templates) finds its templates exactly as the repository copy does.
const templatesDir = fileURLToPath(new URL('../templates/', import.meta.url));
const runtimePackage = '@interop-module/runtime';

/** @param {(hasManifest: boolean) => boolean} keep */
function templateFolders(keep) {
  return readdirSync(templatesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && keep(existsSync(path.join(templatesDir, entry.name, kindManifest))))
    .map((entry) => entry.name)
    .sort();
}

/**
 * The kinds of package that can be generated: the folders of templates/ with a kind.json.
 * @returns {string[]}
 */
export function listKinds() {
  return templateFolders((hasManifest) => hasManifest);
}

/**
 * The folders a kind's package is written from, in order, ending with the kind's own; a file in a
 * later folder replaces the same path from an earlier one. The kind's kind.json lists the shared
 * layers (folders without a kind.json, e.g. `common`, and `sync` for kinds that have hashSync).
 * @param {string} kind
 * @returns {string[]}
 */
export function layersOf(kind) {
  const file = path.join(templatesDir, kind, kindManifest);
  const shared = templateFolders((hasManifest) => !hasManifest);
  let layers;
  try {
    ({ layers } = JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new GeneratorError('ERR_BAD_TEMPLATE', `${file} is not readable JSON: ${error.message}`);
  }
  if (!Array.isArray(layers) || !layers.every((layer) => shared.includes(layer))) {
    throw new GeneratorError(
      'ERR_BAD_TEMPLATE',
      `${file} must be { "layers": [...] } naming shared template folders (${shared.join(', ')}).`,
    );
  }
  return [...layers, kind];
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
    layers: Object.fromEntries(templateFolders((hasManifest) => !hasManifest).map((layer) => [layer, layers.includes(layer)])),
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
    if (error.code === 'ENOENT') return;
    if (error.code === 'ENOTDIR') {
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

/**
 * Copies templates/<layer> into the destination. Only `.hbs` files go through handlebars; the
 * rest are copied byte for byte so text such as `${{ github.ref }}` in a workflow survives.
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

/** Edits the generated package.json as JSON, keeping the template's key order. */
async function editPackageJson(answers, config, plop) {
  const file = path.join(destinationOf(plop, answers), 'package.json');
  const manifest = JSON.parse(await readFile(file, 'utf8'));
  const { packageName, description, binaryName, runtimeSpec } = config.data;
  manifest.name = packageName;
  manifest.description = description;
  if (manifest.napi !== undefined) manifest.napi.binaryName = binaryName;
  manifest.dependencies = { ...manifest.dependencies, [runtimePackage]: runtimeSpec };
  await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);
  return file;
}

/** Writes the companion crate into vendor/interop-module when the package's Cargo.toml depends on it there. */
async function vendorCompanionCrate(answers, config, plop) {
  const destination = destinationOf(plop, answers);
  const manifest = await readFile(path.join(destination, 'Cargo.toml'), 'utf8').catch((error) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  if (!usesVendoredCrate(manifest)) return 'no Rust crate depends on the companion crate';
  const files = await copyCompanionCrate(companionCrateDir, path.join(destination, vendoredCrateDir));
  return `${files.length} files of the companion crate into ${vendoredCrateDir}`;
}

async function checkDestination(answers, config, plop) {
  const destination = destinationOf(plop, answers);
  await assertDestinationUsable(destination, config.force === true);
  return destination;
}

/** @param {string} kind */
function promptsFor(kind) {
  return [
    {
      type: 'input',
      name: 'name',
      message: 'npm package name',
      validate: (value) => packageNameProblem(value) ?? true,
    },
    {
      type: 'input',
      name: 'directory',
      message: 'Directory to create',
      // Prompts only run under `npx plop` at the repository root, where examples/* are workspaces.
      default: (answers) => path.join('examples', binaryNameOf(answers.name)),
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
 * Registers one generator per kind. Used by `npx plop <kind>` (through the root plopfile.js) and
 * by the CLI (through node-plop), so both produce the same package.
 * @param {import('node-plop').NodePlopAPI} plop
 */
export default function registerGenerators(plop) {
  plop.setActionType('checkDestination', checkDestination);
  plop.setActionType('copyTemplateLayer', copyTemplateLayer);
  plop.setActionType('vendorCompanionCrate', vendorCompanionCrate);
  plop.setActionType('editPackageJson', editPackageJson);
  for (const kind of listKinds()) {
    plop.setGenerator(kind, {
      description: `a package with the ${kind} backend`,
      prompts: promptsFor(kind),
      actions: (answers) => actionsFor(kind, answers),
    });
  }
}

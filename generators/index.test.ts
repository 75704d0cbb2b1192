import { execFile } from 'node:child_process';
import { chmod, cp, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import nodePlop from 'node-plop';
import { describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { tempDir } from '../packages/create-interop-module/src/test-support/temp.js';
import * as dotfiles from './dotfiles.js';
import { listKinds } from './kinds.js';
import * as templateFiles from './template-files.js';

// These tests run the real generators/ code against small fixture templates, so they pin the
// generator's behaviour independently of what the real templates contain today.

const generatorsDir = fileURLToPath(new URL('.', import.meta.url));

/** A kind.json for fixture kinds: only `layers` matters to these tests. */
const kindJson = (layers: string[]) =>
  JSON.stringify({ hint: 'a fixture kind', layers, needs: { build: [], test: [] }, hashSync: false, crashModes: [], faultBoundary: 'none' });

const workflow = [
  'name: ci',
  'on: push',
  'jobs:',
  '  test:',
  '    runs-on: ${{ matrix.os }}',
  '    steps:',
  '      - run: echo "${{ github.ref }} {{name}} {{{raw}}}"',
  '',
].join('\n');

/** The alpha kind's package.json, which generation edits. */
const alphaManifest = {
  name: 'placeholder',
  version: '0.1.0',
  description: 'placeholder',
  type: 'module',
  napi: { binaryName: 'placeholder', targets: ['x86_64-unknown-linux-gnu'] },
  scripts: { build: 'napi build --platform --release' },
  dependencies: { '@interop-module/runtime': '*' },
};

const fixtureFiles: Record<string, string> = {
  'common/_gitignore': 'node_modules/\n',
  'common/_npmignore': 'src/\n',
  'common/_github/workflows/ci.yml': workflow,
  'common/_changeset/config.json': '{ "baseBranch": "main" }\n',
  'common/_cargo/config.toml': '[build]\n',
  'common/README.md.hbs': '# {{packageName}}\n\n{{description}}\n\nkind: {{kind}}, runtime {{runtimeVersionRange}}\n',
  'common/shared.txt': 'from common\n',
  'common/layers.txt.hbs': 'extra layer: {{#if layers.extra}}yes{{else}}no{{/if}}\n',
  'extra/shared.txt': 'from extra\n',
  'extra/extra.txt': 'only with extra\n',
  'alpha/kind.json': kindJson(['common', 'extra']),
  'alpha/shared.txt': 'from alpha\n',
  'alpha/Cargo.toml.hbs': '[package]\nname = "{{crateName}}"\n\n[lib]\nname = "{{crateName}}"\n',
  'alpha/package.json': JSON.stringify(alphaManifest, null, 2),
  'alpha/scripts/run.sh': '#!/bin/sh\necho run\n',
  'alpha/node_modules/left-over/index.js': 'build output\n',
  'alpha/target/release/lib.so': 'build output\n',
  'alpha/demo.linux-x64-gnu.node': 'build output\n',
  'beta/kind.json': kindJson(['common']),
  'beta/package.json': JSON.stringify({ name: 'placeholder', version: '0.1.0' }, null, 2),
  'beta/lib/broken.ts.hbs': 'export const value = "{{notAVariable}}";\n',
};

/** A copy of generators/ next to fixture templates and a runtime manifest, like assets/. */
async function fixtureLayout(): Promise<{ root: string; entry: string }> {
  const root = await tempDir();
  await cp(generatorsDir, path.join(root, 'generators'), { recursive: true });
  for (const [file, content] of Object.entries(fixtureFiles)) {
    const target = path.join(root, 'templates', file);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  }
  await mkdir(path.join(root, 'packages', 'runtime'), { recursive: true });
  await writeFile(path.join(root, 'packages', 'runtime', 'package.json'), JSON.stringify({ version: '3.4.5' }));
  await chmod(path.join(root, 'templates', 'alpha', 'scripts', 'run.sh'), 0o755);
  return { root, entry: path.join(root, 'generators', 'index.js') };
}

async function generate(answers: Record<string, string>, options: { force?: boolean; kind?: string } = {}) {
  const { root, entry } = await fixtureLayout();
  const plop = await nodePlop(entry, { destBasePath: root, force: options.force ?? false });
  const result = await plop.getGenerator(options.kind ?? 'alpha').runActions(answers);
  return { root, plop, result, output: path.join(root, answers['directory'] ?? '') };
}

const read = (file: string) => readFile(file, 'utf8');

describe('generators/index.js', () => {
  test('registers one generator per templates/ folder with a kind.json (the others are layers), and `function` (add)', async () => {
    const { root, entry } = await fixtureLayout();
    const names = async () => (await nodePlop(entry, { destBasePath: root, force: false })).getGeneratorList().map((g) => g.name);
    expect(await names()).toEqual(['alpha', 'beta', 'function']);
    await mkdir(path.join(root, 'templates', 'wasm'));
    expect(await names()).toEqual(['alpha', 'beta', 'function']);
    await writeFile(path.join(root, 'templates', 'wasm', 'kind.json'), kindJson(['common']));
    expect(await names()).toEqual(['alpha', 'beta', 'wasm', 'function']);
  });

  test('a kind.json that is not JSON or names a missing layer is a GeneratorError', async () => {
    const { root, entry } = await fixtureLayout();
    const run = async () =>
      (await nodePlop(entry, { destBasePath: root, force: false })).getGenerator('beta').runActions({ name: 'demo', directory: 'pkg' });
    await writeFile(path.join(root, 'templates', 'beta', 'kind.json'), kindJson(['common', 'nope']));
    await expect(run()).rejects.toMatchObject({ code: 'ERR_BAD_TEMPLATE', message: expect.stringContaining('common, extra') });
    await writeFile(path.join(root, 'templates', 'beta', 'kind.json'), '{ layers');
    await expect(run()).rejects.toMatchObject({ code: 'ERR_BAD_TEMPLATE' });
  });

  test('writes the layers kind.json names, then the kind, renames dot-files through the one map and skips build output', async () => {
    const { root, result, output } = await generate({ name: '@acme/3d-match', directory: 'pkg', description: 'Fast & <safe>' });
    expect(result.failures).toEqual([]);
    const expected = new Set<string>();
    for (const layer of ['common', 'extra', 'alpha']) {
      for (const file of await templateFiles.listTemplateFiles(path.join(root, 'templates', layer))) {
        expected.add(dotfiles.generatedPath(file));
      }
    }
    const written = await templateFiles.listTemplateFiles(output);
    expect(written).toEqual([...expected].sort());
    expect(written).toEqual([
      '.cargo/config.toml',
      '.changeset/config.json',
      '.github/workflows/ci.yml',
      '.gitignore',
      '.npmignore',
      'Cargo.toml',
      'README.md',
      'extra.txt',
      'layers.txt',
      'package.json',
      'scripts/run.sh',
      'shared.txt',
    ]);
    for (const [stored, dotName] of Object.entries(dotfiles.dotfileNames)) {
      expect(written.some((file) => file.split('/').includes(stored))).toBe(false);
      expect(written.some((file) => file.split('/')[0] === dotName)).toBe(true);
    }
    expect(await read(path.join(output, 'shared.txt'))).toBe('from alpha\n');
    expect(await read(path.join(output, 'layers.txt'))).toBe('extra layer: yes\n');
    expect((await stat(path.join(output, 'scripts/run.sh'))).mode & 0o111).toBe(0o111);
  });

  test('copies plain files byte for byte: ${{ }} in a workflow survives', async () => {
    const { output } = await generate({ name: 'demo', directory: 'pkg' });
    const copied = await read(path.join(output, '.github/workflows/ci.yml'));
    expect(copied).toBe(workflow);
    expect(parseYaml(copied).jobs.test['runs-on']).toBe('${{ matrix.os }}');
  });

  test('renders .hbs files with the template data, without HTML escaping', async () => {
    const { output } = await generate({ name: '@acme/3d-match', directory: 'pkg', description: 'Fast & <safe>' });
    expect(await read(path.join(output, 'README.md'))).toBe(
      '# @acme/3d-match\n\nFast & <safe>\n\nkind: alpha, runtime ^3.4.5\n',
    );
    expect(await read(path.join(output, 'Cargo.toml'))).toBe('[package]\nname = "_3d_match"\n\n[lib]\nname = "_3d_match"\n');
  });

  test('edits package.json as JSON: name, description, napi.binaryName, runtime range', async () => {
    const { output } = await generate({ name: '@acme/fast-hash', directory: 'pkg', description: 'Hashes "quickly"' });
    const manifest = JSON.parse(await read(path.join(output, 'package.json')));
    expect(manifest).toEqual({
      ...alphaManifest,
      name: '@acme/fast-hash',
      description: 'Hashes "quickly"',
      napi: { ...alphaManifest.napi, binaryName: 'fast-hash' },
      dependencies: { '@interop-module/runtime': '^3.4.5' },
    });
    expect(Object.keys(manifest)[0]).toBe('name');
  });

  test('a runtimeSpec answer replaces the default range; no napi field is added where there was none', async () => {
    const answers = { name: 'demo', directory: 'pkg', runtimeSpec: 'npm:@interop-module/runtime@^3.4.0' };
    const alpha = await generate(answers);
    expect(JSON.parse(await read(path.join(alpha.output, 'package.json'))).dependencies).toEqual({
      '@interop-module/runtime': 'npm:@interop-module/runtime@^3.4.0',
    });
    const { root, entry } = await fixtureLayout();
    await writeFile(path.join(root, 'templates', 'beta', 'lib', 'broken.ts.hbs'), 'export {};\n');
    const plop = await nodePlop(entry, { destBasePath: root, force: false });
    await plop.getGenerator('beta').runActions(answers);
    const beta = JSON.parse(await read(path.join(root, 'pkg', 'package.json')));
    expect(await read(path.join(root, 'pkg', 'layers.txt'))).toBe('extra layer: no\n');
    expect(await templateFiles.listTemplateFiles(path.join(root, 'pkg'))).not.toContain('extra.txt');
    expect(beta).toEqual({
      name: 'demo',
      version: '0.1.0',
      description: 'A TypeScript module with a beta backend, created with create-interop-module.',
      dependencies: { '@interop-module/runtime': 'npm:@interop-module/runtime@^3.4.0' },
    });
  });

  test('a runtime tarball is copied into vendor/ and depended on by a relative path; a missing one is refused', async () => {
    const packed = path.join(await tempDir(), 'interop-module-runtime-3.4.5.tgz');
    await writeFile(path.join(packed), 'not really gzip');
    const { output } = await generate({ name: 'demo', directory: 'pkg', runtimeSpec: `file:${packed}` });
    expect(JSON.parse(await read(path.join(output, 'package.json'))).dependencies).toEqual({
      '@interop-module/runtime': 'file:vendor/interop-module-runtime-3.4.5.tgz',
    });
    expect(await read(path.join(output, 'vendor', 'interop-module-runtime-3.4.5.tgz'))).toBe('not really gzip');
    const { result } = await generate({ name: 'demo', directory: 'pkg', runtimeSpec: `file:${packed}.missing.tgz` });
    expect(result.failures.map((failure) => String(failure.error))).toEqual([expect.stringContaining('does not exist')]);
  });

  test('refuses a non-empty destination unless forced', async () => {
    const { root, entry } = await fixtureLayout();
    await mkdir(path.join(root, 'pkg'));
    await writeFile(path.join(root, 'pkg', 'keep.txt'), 'mine\n');
    const refused = await (await nodePlop(entry, { destBasePath: root, force: false }))
      .getGenerator('alpha')
      .runActions({ name: 'demo', directory: 'pkg' });
    expect(refused.failures[0]?.error).toMatch(/pkg is not empty.*--force/);
    expect(await templateFiles.listTemplateFiles(path.join(root, 'pkg'))).toEqual(['keep.txt']);

    const forced = await (await nodePlop(entry, { destBasePath: root, force: true }))
      .getGenerator('alpha')
      .runActions({ name: 'demo', directory: 'pkg' });
    expect(forced.failures).toEqual([]);
    expect(await templateFiles.listTemplateFiles(path.join(root, 'pkg'))).toContain('package.json');
  });

  test('a template using an unknown variable fails instead of rendering an empty string', async () => {
    const { result } = await generate({ name: 'demo', directory: 'pkg' }, { kind: 'beta' });
    expect(result.failures[0]?.error).toMatch(/notAVariable/);
  });

  test('an invalid package name throws a GeneratorError before anything is written', async () => {
    await expect(generate({ name: '../escape', directory: 'pkg' })).rejects.toMatchObject({
      name: 'GeneratorError',
      code: 'ERR_INVALID_NAME',
    });
  });
});

describe('`npx plop <kind>` at the repository root (plopfile.js)', () => {
  test('writes a package of a kind from answers given on the command line', async () => {
    const repoRoot = path.dirname(generatorsDir);
    const [kind] = listKinds();
    const directory = path.join(await tempDir(), 'pkg');
    // plop takes the answers to its questions (name, directory, description) in order, so none is asked.
    await promisify(execFile)('npx', ['--no-install', 'plop', kind!, 'demo-plop', directory, 'made by plop'], { cwd: repoRoot });
    expect(JSON.parse(await read(path.join(directory, 'package.json')))).toMatchObject({ name: 'demo-plop', description: 'made by plop' });
  });
});

import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { CommandFailedError, createModule } from './api.js';
import { loadGenerators } from './generators.js';
import type { ModuleOptions } from './options.js';
import { loadGeneratorHelpers } from './test-support/generator-helpers.js';
import { tempDir } from './test-support/temp.js';

const generators = await loadGenerators();
const kinds = generators.listKinds();
const { dotfiles, templateFiles, templatesDir, companionCrate } = await loadGeneratorHelpers();

function optionsFor(kind: string, directory: string, overrides: Partial<ModuleOptions> = {}): ModuleOptions {
  return {
    kind,
    name: `@acme/demo-${kind}`,
    directory,
    description: `demo ${kind}`,
    install: false,
    packageManager: 'npm',
    force: false,
    ...overrides,
  };
}

/**
 * Generated path -> template file it comes from; a later layer's file replaces an earlier one's.
 * Also the vendored companion crate's files, from packages/interop-module-rs.
 */
async function expectedSources(kind: string): Promise<Map<string, string>> {
  const sources = new Map<string, string>();
  for (const layer of generators.layersOf(kind)) {
    const layerDir = path.join(templatesDir, layer);
    for (const file of await templateFiles.listTemplateFiles(layerDir)) {
      sources.set(dotfiles.generatedPath(file), path.join(layerDir, file));
    }
  }
  // A package whose Cargo.toml depends on the vendored companion crate gets a copy of its source.
  const cargoManifest = sources.get('Cargo.toml');
  if (cargoManifest !== undefined && companionCrate.usesVendoredCrate(await readFile(cargoManifest, 'utf8'))) {
    for (const file of await companionCrate.companionCrateFiles()) {
      sources.set(path.join(companionCrate.vendoredCrateDir, file), path.join(companionCrate.companionCrateDir, file));
    }
  }
  return sources;
}

test('the real templates provide at least the napi and pure kinds', () => {
  expect(kinds).toEqual(expect.arrayContaining(['napi', 'pure']));
});

describe.each(kinds)('createModule({ kind: %j, install: false })', (kind) => {
  test('writes exactly the files of its layers (kind.json) and templates/<kind>, plain files verbatim', async () => {
    const directory = path.join(await tempDir(), 'out');
    const result = await createModule(optionsFor(kind, directory));
    const sources = await expectedSources(kind);
    expect(result.files).toEqual([...sources.keys()].sort());
    expect(result.timings.map((timing) => timing.step)).toEqual(['generate']);
    for (const [generated, source] of sources) {
      if (source.endsWith(dotfiles.templateSuffix) || generated === 'package.json') continue;
      expect(await readFile(path.join(directory, generated)), generated).toEqual(await readFile(source));
    }
    for (const stored of Object.keys(dotfiles.dotfileNames)) {
      expect(result.files.filter((file) => file.split(path.sep).includes(stored))).toEqual([]);
    }
  });

  test('edits package.json as JSON', async () => {
    const directory = path.join(await tempDir(), 'out');
    await createModule(optionsFor(kind, directory, { runtimeSpec: 'file:/tmp/runtime.tgz' }));
    const template = JSON.parse(await readFile(path.join(templatesDir, kind, 'package.json'), 'utf8'));
    const manifest = JSON.parse(await readFile(path.join(directory, 'package.json'), 'utf8'));
    expect(manifest.name).toBe(`@acme/demo-${kind}`);
    expect(manifest.description).toBe(`demo ${kind}`);
    expect(manifest.dependencies['@interop-module/runtime']).toBe('file:/tmp/runtime.tgz');
    expect(manifest.scripts).toEqual(template.scripts);
    if (template.napi !== undefined) expect(manifest.napi.binaryName).toBe(`demo-${kind}`);
  });
});

describe('createModule', () => {
  test('refuses a non-empty directory with a typed error and leaves it untouched', async () => {
    const directory = await tempDir();
    await writeFile(path.join(directory, 'keep.txt'), 'mine\n');
    await expect(createModule(optionsFor('pure', directory))).rejects.toMatchObject({
      name: 'GeneratorError',
      code: 'ERR_DESTINATION_NOT_EMPTY',
    });
    expect(await templateFiles.listTemplateFiles(directory)).toEqual(['keep.txt']);
  });

  test('writes into a non-empty directory with force, keeping unrelated files', async () => {
    const directory = await tempDir();
    await writeFile(path.join(directory, 'keep.txt'), 'mine\n');
    const result = await createModule(optionsFor('pure', directory, { force: true }));
    expect(result.files).toContain('keep.txt');
    expect(result.files).toContain('package.json');
  });

  test('an unknown kind is a typed error', async () => {
    const directory = path.join(await tempDir(), 'out');
    await expect(createModule(optionsFor('cobol', directory))).rejects.toMatchObject({ code: 'ERR_UNKNOWN_KIND' });
  });

  describe('install and build', () => {
    /** Puts an `npm` on PATH that logs its arguments and directory, and fails when asked to. */
    async function fakeNpm(failOn?: string): Promise<string> {
      const bin = await tempDir();
      const log = path.join(bin, 'calls.log');
      const script = [
        '#!/bin/sh',
        `echo "$PWD $*" >> "${log}"`,
        failOn === undefined ? '' : `if [ "$1" = "${failOn}" ]; then echo "boom from $1" >&2; exit 3; fi`,
        'exit 0',
      ].join('\n');
      await writeFile(path.join(bin, 'npm'), script);
      await chmod(path.join(bin, 'npm'), 0o755);
      vi.stubEnv('PATH', `${bin}${path.delimiter}${process.env['PATH'] ?? ''}`);
      return log;
    }

    test('runs `<pm> install` then `<pm> run build` in the package and times them', async () => {
      const log = await fakeNpm();
      const directory = path.join(await tempDir(), 'out');
      await mkdir(directory);
      const events: string[] = [];
      const result = await createModule(optionsFor('pure', directory, { install: true }), {
        onStepStart: (step) => events.push(`start ${step}`),
        onStepEnd: ({ step }) => events.push(`end ${step}`),
      });
      expect(await readFile(log, 'utf8')).toBe(`${directory} install\n${directory} run build\n`);
      expect(events).toEqual(['start generate', 'end generate', 'start install', 'end install', 'start build', 'end build']);
      expect(result.timings.map((timing) => timing.step)).toEqual(['generate', 'install', 'build']);
    });

    test('a failing command is a CommandFailedError with its output', async () => {
      await fakeNpm('run');
      const directory = path.join(await tempDir(), 'out');
      const failed: string[] = [];
      const pending = createModule(optionsFor('pure', directory, { install: true }), {
        onStepFailed: (step) => failed.push(step),
      });
      await expect(pending).rejects.toBeInstanceOf(CommandFailedError);
      await expect(pending).rejects.toMatchObject({ exitCode: 3, command: ['npm', 'run', 'build'], output: 'boom from run' });
      expect(failed).toEqual(['build']);
    });
  });
});

import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stillRunningAfter } from '@interop-module/runtime/testing';
import { describe, expect, test, vi } from 'vitest';
import { createModule } from './api.js';
import { CommandFailedError, InterruptedError, OverwriteDeclinedError, PreflightError } from './errors.js';
import { loadGenerators, plannedFiles } from './generators.js';
import type { ModuleOptions } from './options.js';
import { fakePackageManager, hangingPids } from './test-support/fake-package-manager.js';
import { bareMachine, rustupMachine } from './test-support/fake-probe.js';
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
    displayDirectory: directory,
    description: `demo ${kind}`,
    install: false,
    packageManager: 'npm',
    force: false,
    preflight: true,
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

  test('plannedFiles names exactly the files it writes (what --force lists)', async () => {
    const result = await createModule(optionsFor(kind, path.join(await tempDir(), 'out')));
    expect(await plannedFiles(kind)).toEqual(result.files);
  });

  test('edits package.json as JSON', async () => {
    const directory = path.join(await tempDir(), 'out');
    await createModule(optionsFor(kind, directory, { runtimeSpec: '~0.1.0' }));
    const template = JSON.parse(await readFile(path.join(templatesDir, kind, 'package.json'), 'utf8'));
    const manifest = JSON.parse(await readFile(path.join(directory, 'package.json'), 'utf8'));
    expect(manifest.name).toBe(`@acme/demo-${kind}`);
    expect(manifest.description).toBe(`demo ${kind}`);
    expect(manifest.dependencies['@interop-module/runtime']).toBe('~0.1.0');
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

  test('with force, confirmOverwrite gets the files it would replace; no leaves everything as it was', async () => {
    const directory = await tempDir();
    await writeFile(path.join(directory, 'package.json'), 'mine\n');
    await writeFile(path.join(directory, 'keep.txt'), 'mine\n');
    const asked: (readonly string[])[] = [];
    const pending = createModule(optionsFor('pure', directory, { force: true }), {
      confirmOverwrite: (files) => {
        asked.push(files);
        return Promise.resolve(false);
      },
    });
    await expect(pending).rejects.toBeInstanceOf(OverwriteDeclinedError);
    expect(asked).toEqual([['package.json']]);
    expect(await templateFiles.listTemplateFiles(directory)).toEqual(['keep.txt', 'package.json']);
    expect(await readFile(path.join(directory, 'package.json'), 'utf8')).toBe('mine\n');
  });

  test('an unwritable target is refused before anything else', async () => {
    await expect(createModule(optionsFor('pure', '/proc/nope'))).rejects.toMatchObject({ code: 'ERR_DESTINATION_UNWRITABLE' });
  });

  describe('install and build', () => {
    /** Puts a fake `npm` on PATH (see fakePackageManager); returns its call log. */
    async function fakeNpm(failOn?: string): Promise<string> {
      const fake = await fakePackageManager(failOn === undefined ? {} : { failOn });
      vi.stubEnv('PATH', fake.path);
      return fake.log;
    }
    const machine = { probe: rustupMachine };

    test('runs `<pm> install` then `<pm> run build` in the package and times them', async () => {
      const log = await fakeNpm();
      const directory = path.join(await tempDir(), 'out');
      await mkdir(directory);
      const events: string[] = [];
      const result = await createModule(
        optionsFor('pure', directory, { install: true }),
        {
          onStepStart: (step) => events.push(`start ${step}`),
          onStepEnd: ({ step }) => events.push(`end ${step}`),
        },
        machine,
      );
      expect(await readFile(log, 'utf8')).toBe(`${directory} install\n${directory} run build\n`);
      expect(events).toEqual(['start generate', 'end generate', 'start install', 'end install', 'start build', 'end build']);
      expect(result.timings.map((timing) => timing.step)).toEqual(['generate', 'install', 'build']);
    });

    test('a failing command is a CommandFailedError with its output', async () => {
      await fakeNpm('run');
      const directory = path.join(await tempDir(), 'out');
      const failed: string[] = [];
      const pending = createModule(optionsFor('pure', directory, { install: true }), { onStepFailed: (step) => failed.push(step) }, machine);
      await expect(pending).rejects.toBeInstanceOf(CommandFailedError);
      await expect(pending).rejects.toMatchObject({
        outcome: { exitCode: 3, signal: null },
        command: ['npm', 'run', 'build'],
        output: 'boom from run',
      });
      expect(failed).toEqual(['build']);
    });

    test('a missing package manager stops it before anything is written', async () => {
      const directory = path.join(await tempDir(), 'out');
      const pending = createModule(optionsFor('pure', directory, { install: true, packageManager: 'pnpm' }), {}, machine);
      await expect(pending).rejects.toBeInstanceOf(PreflightError);
      await expect(pending).rejects.toThrow(/missing pnpm/);
      expect(existsSync(directory)).toBe(false);
    });

    test('a missing toolchain stops it before anything is written', async () => {
      const directory = path.join(await tempDir(), 'out');
      const pending = createModule(optionsFor('napi', directory, { install: true }), {}, { probe: bareMachine });
      await expect(pending).rejects.toThrow(/^Cannot install and build a napi package here: missing rustc, cargo, C compiler \(cc\)\./);
      expect(existsSync(directory)).toBe(false);
    });

    test('Ctrl-C during the preflight is an interrupt (nothing written), not a missing toolchain', async () => {
      const directory = path.join(await tempDir(), 'out');
      const controller = new AbortController();
      // As on a terminal: the probe's child dies of the SIGINT (so cargo reads as missing), and the signal
      // reaches the CLI's handler after the synchronous probe has returned.
      const interrupted = {
        ...bareMachine,
        output: (command: string, args: readonly string[]) => {
          setImmediate(() => controller.abort('SIGINT'));
          return bareMachine.output(command, args);
        },
      };
      const pending = createModule(optionsFor('napi', directory, { install: true }), {}, { probe: interrupted, signal: controller.signal });
      await expect(pending).rejects.toBeInstanceOf(InterruptedError);
      await expect(pending).rejects.toMatchObject({ signal: 'SIGINT', step: 'generate', exitCode: 130 });
      expect(existsSync(directory)).toBe(false);
    });

    test('without preflight it goes ahead, whatever the probe says', async () => {
      const fake = await fakePackageManager({ name: 'pnpm' });
      vi.stubEnv('PATH', fake.path);
      const directory = path.join(await tempDir(), 'out');
      await createModule(optionsFor('pure', directory, { install: true, packageManager: 'pnpm', preflight: false }), {}, { probe: bareMachine });
      expect(await readFile(fake.log, 'utf8')).toBe(`${directory} install\n${directory} run build\n`);
    });

    test('an abort during install ends npm and what it started, then rejects with InterruptedError', async () => {
      const fake = await fakePackageManager({ hangOn: 'install' });
      vi.stubEnv('PATH', fake.path);
      const controller = new AbortController();
      const failed: string[] = [];
      const pending = createModule(
        optionsFor('pure', path.join(await tempDir(), 'out'), { install: true }),
        { onStepFailed: (step) => failed.push(step) },
        { ...machine, signal: controller.signal },
      );
      const pids = await hangingPids(fake.pidsFile);
      controller.abort('SIGINT');
      await expect(pending).rejects.toBeInstanceOf(InterruptedError);
      await expect(pending).rejects.toMatchObject({ step: 'install', signal: 'SIGINT', exitCode: 130 });
      expect(failed).toEqual(['install']);
      expect(await stillRunningAfter(pids, 2_000)).toEqual([]);
      expect(await readFile(fake.log, 'utf8')).not.toContain('run build');
    });
  });
});

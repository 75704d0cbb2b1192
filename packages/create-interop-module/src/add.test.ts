import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodePlop from 'node-plop';
import { describe, expect, test } from 'vitest';
import { addFunction } from './add.js';
import type { AddOptions } from './add-options.js';
import { createModule } from './api.js';
import type { AddPrompter } from './add-prompts.js';
import { generatorsEntry, loadGenerators } from './generators.js';
import { runInProcess } from './test-support/run-cli.js';
import { tempDir } from './test-support/temp.js';

const generators = await loadGenerators();
const kinds = generators.listKinds();

/** A package of `kind` as the CLI writes it (no install), in a temp dir. */
async function generated(kind: string): Promise<string> {
  const directory = path.join(await tempDir(), `demo-${kind}`);
  await createModule({
    kind,
    name: `demo-${kind}`,
    directory,
    displayDirectory: directory,
    description: 'demo',
    install: false,
    packageManager: 'npm',
    force: false,
    preflight: false,
  });
  return directory;
}

/** Every file of the package and its content: to show that something wrote nothing. */
async function snapshot(directory: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(directory, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const file = path.join(entry.parentPath, entry.name);
      files.set(path.relative(directory, file), await readFile(file, 'utf8'));
    }
  }
  return files;
}

const checksum = (packageDir: string, overrides: Partial<AddOptions> = {}): AddOptions => ({
  packageDir,
  name: 'checksum',
  args: ['data:bytes'],
  returns: 'u32',
  mode: 'offload',
  dryRun: false,
  ...overrides,
});

/** What addFunction rejected with. */
async function refusal(options: AddOptions): Promise<unknown> {
  try {
    await addFunction(options);
  } catch (error) {
    return error;
  }
  throw new Error('add accepted it');
}

describe.each(kinds)('add in a %s package', (kind) => {
  test('--dry-run lists the files and writes nothing; add writes them; the same add again changes nothing', async () => {
    const packageDir = await generated(kind);
    const before = await snapshot(packageDir);

    const dryRun = await addFunction(checksum(packageDir, { dryRun: true }));
    expect(await snapshot(packageDir)).toEqual(before);
    const planned = dryRun.files.map(({ file, action }) => `${action} ${file}`);
    expect(planned).toEqual(
      expect.arrayContaining([
        'create lib/functions/checksum.ts',
        'create lib/reference/checksum.ts',
        'create test/functions/checksum.test.ts',
        'create bench/functions/checksum.mjs',
        'update lib/index.ts',
        'update lib/reference/index.ts',
      ]),
    );
    expect(planned.some((line) => line.startsWith('create src/functions/checksum.rs'))).toBe(kind !== 'pure');
    expect(dryRun.signature).toBe('checksum(data: bytes) -> u32, offloaded');

    const added = await addFunction(checksum(packageDir));
    expect(added.alreadyAdded).toBe(false);
    const after = await snapshot(packageDir);
    const changed = [...after.keys()].filter((file) => after.get(file) !== before.get(file)).sort();
    expect(changed).toEqual(dryRun.files.map(({ file }) => file).sort());
    expect(after.get('lib/index.ts')).toContain("from './functions/checksum.js'");
    expect(after.get('lib/reference/index.ts')).toContain("export { checksum } from './checksum.js';");

    const again = await addFunction(checksum(packageDir));
    expect(again.alreadyAdded).toBe(true);
    expect(await snapshot(packageDir)).toEqual(after);

    // A second function goes in beside the first, in every region.
    await addFunction(checksum(packageDir, { name: 'rotateText', args: ['text:string', 'count:u32'], returns: 'string', mode: kind === 'port' ? 'offload' : 'sync' }));
    const index = (await snapshot(packageDir)).get('lib/index.ts') ?? '';
    expect(index.indexOf('// checksum(')).toBeLessThan(index.indexOf('// rotateText('));
  });

  test.each([
    ['an existing function with another signature', checksum('', { args: ['data:bytes', 'seed:u32'] }), 'ERR_FUNCTION_EXISTS'],
    ['a contract export', checksum('', { name: 'hash' }), 'ERR_FUNCTION_EXISTS'],
    ['a name that is not camelCase', checksum('', { name: 'Checksum' }), 'ERR_INVALID_SIGNATURE'],
    ['a name with a dash', checksum('', { name: 'check-sum' }), 'ERR_INVALID_SIGNATURE'],
    ['a Rust keyword', checksum('', { name: 'match' }), 'ERR_INVALID_SIGNATURE'],
    ['a TypeScript keyword', checksum('', { name: 'delete' }), 'ERR_INVALID_SIGNATURE'],
    ['a reserved name', checksum('', { name: 'then' }), 'ERR_INVALID_SIGNATURE'],
    ['a duplicate argument', checksum('', { args: ['data:bytes', 'data:u32'] }), 'ERR_INVALID_SIGNATURE'],
    ['a reserved argument', checksum('', { args: ['options:bytes'] }), 'ERR_INVALID_SIGNATURE'],
    ['an argument that is a Rust keyword', checksum('', { args: ['type:u32'] }), 'ERR_INVALID_SIGNATURE'],
    ['an unknown type', checksum('', { args: ['data:buffer'] }), 'ERR_INVALID_SIGNATURE'],
    ['no arguments', checksum('', { args: [] }), 'ERR_INVALID_SIGNATURE'],
    ['an unknown return type', checksum('', { returns: 'u64' }), 'ERR_INVALID_SIGNATURE'],
  ])('refuses %s with a usage error, writing nothing', async (_case, options, code) => {
    const packageDir = await generated(kind);
    await addFunction(checksum(packageDir));
    const before = await snapshot(packageDir);
    const error = await refusal({ ...options, packageDir });
    expect(error).toMatchObject({ name: 'UsageError', code, exitCode: 2 });
    expect(await snapshot(packageDir)).toEqual(before);
  });

  test('refuses a package edited beyond its markers (ERR_UNRECOGNISED_PACKAGE), writing nothing', async () => {
    const packageDir = await generated(kind);
    const index = path.join(packageDir, 'lib', 'reference', 'index.ts');
    await writeFile(index, (await readFile(index, 'utf8')).replace('// create-interop-module add: functions end\n', ''));
    const before = await snapshot(packageDir);
    expect(await refusal(checksum(packageDir))).toMatchObject({ code: 'ERR_UNRECOGNISED_PACKAGE', exitCode: 2 });
    expect(await snapshot(packageDir)).toEqual(before);
  });

  test(`--sync ${kind === 'port' ? 'is refused: a port is asynchronous by nature' : 'adds a function that runs on the calling thread'}`, async () => {
    const packageDir = await generated(kind);
    const sync = checksum(packageDir, { mode: 'sync' });
    if (kind === 'port') {
      expect(await refusal(sync)).toMatchObject({ code: 'ERR_INVALID_SIGNATURE', message: expect.stringContaining('--sync') });
    } else {
      expect((await addFunction(sync)).signature).toBe('checksum(data: bytes) -> u32, sync');
    }
  });
});

describe('create-interop-module add (the command)', () => {
  test('adds from flags, found from a folder inside the package; says what it wrote', async () => {
    const packageDir = await generated('pure');
    const before = await snapshot(packageDir);
    const dryRun = await runInProcess(['add', 'checksum', '--arg', 'data:bytes', '--returns', 'u32', '--dry-run'], { cwd: packageDir });
    expect(dryRun).toMatchObject({ exitCode: 0, stderr: '' });
    expect(dryRun.stdout).toContain('Would add checksum(data: bytes) -> u32, offloaded to the pure package');
    expect(dryRun.stdout).toContain('  update    lib/index.ts\n');
    expect(await snapshot(packageDir)).toEqual(before);
    const { exitCode, stdout, stderr } = await runInProcess(['add', 'checksum', '--arg', 'data:bytes', '--returns', 'u32'], { cwd: path.join(packageDir, 'lib') });
    expect(stderr).toBe('');
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/^Added checksum\(data: bytes\) -> u32, offloaded to the pure package in .* in \d+ ms:$/m);
    expect(stdout).toContain('create    lib/functions/checksum.ts');
    const again = await runInProcess(['add', 'checksum', '--arg', 'data:bytes', '--returns', 'u32', '--offload'], { cwd: packageDir });
    expect(again).toMatchObject({ exitCode: 0, stdout: expect.stringContaining('nothing changed') });
  });

  test.each([
    ['outside a generated package', ['add', 'checksum', '--arg', 'data:bytes', '--returns', 'u32'], 'ERR_NOT_IN_PACKAGE'],
    ['--sync and --offload together', ['add', 'checksum', '--arg', 'data:bytes', '--returns', 'u32', '--sync', '--offload'], 'choose --offload or --sync'],
    ['a missing --returns without a terminal', ['add', 'checksum', '--arg', 'data:bytes'], 'missing --returns'],
    ['an unknown flag', ['add', 'checksum', '--arg', 'data:bytes', '--returns', 'u32', '--fast'], "Unknown option '--fast'"],
  ])('exits 2 %s, writing nothing', async (_case, argv, says) => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, 'package.json'), '{ "name": "not-generated" }\n');
    const { exitCode, stderr } = await runInProcess(argv, { cwd });
    expect(exitCode).toBe(2);
    expect(stderr).toContain(says === 'ERR_NOT_IN_PACKAGE' ? 'add works inside a package create-interop-module made' : says);
    expect(await readdir(cwd)).toEqual(['package.json']);
  });

  test('--sync in a port package exits 2 and writes nothing', async () => {
    const packageDir = await generated('port');
    const before = await snapshot(packageDir);
    const { exitCode, stderr } = await runInProcess(['add', 'rotate', '--arg', 'text:string', '--returns', 'string', '--sync'], { cwd: packageDir });
    expect(exitCode).toBe(2);
    expect(stderr).toContain('asynchronous by nature');
    expect(await snapshot(packageDir)).toEqual(before);
  });

  test('on a terminal it asks for what the flags leave out', async () => {
    const packageDir = await generated('napi');
    const asked: string[] = [];
    const prompter: AddPrompter = {
      name: async () => (asked.push('name'), 'mix'),
      args: async (problem) => {
        asked.push('args');
        expect(problem('a:bytes a:u32')).toContain('named twice');
        return 'label:string, count:u32';
      },
      returns: async (types) => (asked.push('returns'), expect(types).toContain('void'), 'string'),
    };
    const { exitCode, stdout } = await runInProcess(['add', '--sync'], { cwd: packageDir, stdinIsTTY: true, addPrompter: prompter });
    expect(asked).toEqual(['name', 'args', 'returns']);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('Added mix(label: string, count: u32) -> string, sync to the napi package');
  });

  test('--help prints add\'s usage', async () => {
    const { exitCode, stdout } = await runInProcess(['add', '--help']);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('Usage: create-interop-module add <name> --arg <name>:<type>');
  });

  test('npx plop function runs the same generator: the same files for the same answers', async () => {
    const viaCli = await generated('wasm');
    const viaPlop = await generated('wasm');
    await addFunction(checksum(viaCli, { name: 'scale', args: ['ratio:f64', 'flag:bool'], returns: 'f64' }));
    const plop = await nodePlop(generatorsEntry(), { destBasePath: viaPlop, force: false });
    const { failures } = await plop.getGenerator('function').runActions({ name: 'scale', args: 'ratio:f64 flag:bool', returns: 'f64', mode: 'offload' });
    expect(failures).toEqual([]);
    const [cliFiles, plopFiles] = [await snapshot(viaCli), await snapshot(viaPlop)];
    expect(plopFiles).toEqual(cliFiles);
  });
});

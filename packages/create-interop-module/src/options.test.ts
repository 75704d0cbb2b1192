import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadGenerators } from './generators.js';
import { UsageError } from './errors.js';
import { detectPackageManager, parseCliArgs, resolveOptions, usage, type OptionsContext } from './options.js';
import { realKindsNamed } from './test-support/kinds.js';

const generators = await loadGenerators();
const cwd = path.resolve('/work/projects');
const context: OptionsContext = { kinds: realKindsNamed('napi', 'pure'), cwd, env: {}, naming: generators };

function usageErrorOf(argv: string[]): UsageError {
  try {
    resolveOptions(parseCliArgs(argv, context), context);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error(`expected a UsageError for ${JSON.stringify(argv)}`);
}

describe('parseCliArgs + resolveOptions', () => {
  test('all flags given', () => {
    const options = resolveOptions(
      parseCliArgs(
        ['out/dir', '--kind', 'pure', '--name', '@acme/fast-hash', '--description', 'Hashes', '--no-install', '--pm', 'pnpm', '--force'],
        context,
      ),
      context,
    );
    expect(options).toEqual({
      kind: 'pure',
      name: '@acme/fast-hash',
      directory: path.join(cwd, 'out/dir'),
      displayDirectory: 'out/dir',
      description: 'Hashes',
      install: false,
      packageManager: 'pnpm',
      force: true,
      preflight: true,
    });
  });

  test('--skip-preflight turns the preflight off', () => {
    expect(resolveOptions(parseCliArgs(['demo', '--kind', 'pure'], context), context).preflight).toBe(true);
    expect(resolveOptions(parseCliArgs(['demo', '--kind', 'pure', '--skip-preflight'], context), context).preflight).toBe(false);
  });

  test('the directory is shown as given: relative stays relative, absolute stays absolute', () => {
    const relative = resolveOptions(parseCliArgs(['../ux/a', '--kind', 'pure'], context), context);
    expect(relative.displayDirectory).toBe('../ux/a');
    const absolute = resolveOptions(parseCliArgs(['/tmp/ux/a', '--kind', 'pure'], context), context);
    expect(absolute).toMatchObject({ directory: path.resolve('/tmp/ux/a'), displayDirectory: '/tmp/ux/a' });
    const fromName = resolveOptions(parseCliArgs(['--kind', 'pure', '--name', '@acme/fast-hash'], context), context);
    expect(fromName.displayDirectory).toBe('fast-hash');
  });

  test.each([
    ['@scope/ok', '@scope/ok'],
    ['packages/@acme/hash', '@acme/hash'],
  ])('a directory inside an @scope folder keeps the scope in the name: %s', (directory, name) => {
    const options = resolveOptions(parseCliArgs([directory, '--kind', 'pure'], context), context);
    expect(options).toMatchObject({ name, directory: path.join(cwd, directory), displayDirectory: directory });
  });

  test('the directory defaults to the name without its scope', () => {
    const options = resolveOptions(parseCliArgs(['--kind', 'napi', '--name', '@acme/fast-hash'], context), context);
    expect(options.directory).toBe(path.join(cwd, 'fast-hash'));
  });

  test('the name defaults to the last segment of the directory', () => {
    const options = resolveOptions(parseCliArgs(['nested/fast-hash', '--kind', 'napi'], context), context);
    expect(options.name).toBe('fast-hash');
    expect(options.directory).toBe(path.join(cwd, 'nested/fast-hash'));
  });

  test('--yes picks the kind whose kind.json says "preferred" (napi), and the generators default description', () => {
    const options = resolveOptions(parseCliArgs(['demo', '--yes'], context), context);
    expect(options.kind).toBe('napi');
    expect(options.description).toBe(generators.defaultDescription('napi'));
    expect(options.install).toBe(true);
  });

  test('--yes picks the first kind when no kind is preferred', () => {
    const pureOnly = { ...context, kinds: realKindsNamed('pure', 'wasm') };
    expect(resolveOptions(parseCliArgs(['demo', '-y'], pureOnly), pureOnly).kind).toBe('pure');
  });

  test('a --runtime path becomes an absolute file: spec; a range is kept', () => {
    const fromPath = parseCliArgs(['demo', '--runtime', '../runtime.tgz'], context);
    expect(fromPath.runtimeSpec).toBe(`file:${path.resolve(cwd, '../runtime.tgz')}`);
    expect(parseCliArgs(['demo', '--runtime', '/tmp/r.tgz'], context).runtimeSpec).toBe(`file:${path.resolve('/tmp/r.tgz')}`);
    expect(parseCliArgs(['demo', '--runtime', '^0.2.0'], context).runtimeSpec).toBe('^0.2.0');
  });

  test('--help and --version are flags, not errors', () => {
    expect(parseCliArgs(['--help'], context).help).toBe(true);
    expect(parseCliArgs(['-v'], context).version).toBe(true);
  });
});

describe('usage errors (exit code 2)', () => {
  test.each([
    ['an unknown flag', ['demo', '--kind', 'napi', '--frobnicate'], /frobnicate/],
    ['a flag without its value', ['demo', '--kind'], /--kind/],
    ['a value given to a boolean flag', ['demo', '--kind', 'napi', '--force=yes'], /force/],
    ['two directories', ['one', 'two', '--kind', 'napi'], /at most one directory/],
    ['a kind without templates', ['demo', '--kind', 'wasm'], /Unknown kind "wasm".*napi, pure/],
    ['an unknown package manager', ['demo', '--kind', 'napi', '--pm', 'bun'], /Unknown package manager "bun"/],
    ['an empty --name', ['--kind', 'napi', '--name', ''], /--name needs a non-empty value/],
    ['an empty --runtime', ['demo', '--kind', 'napi', '--runtime', ' '], /--runtime needs a non-empty value/],
    ['a multi-line description', ['demo', '--kind', 'napi', '--description', 'a\nb'], /single line/],
    ['no kind and no --yes', ['demo'], /Missing --kind/],
    ['neither a directory nor a name', ['--kind', 'napi'], /pass a directory or --name/],
    ['a directory whose name is not an npm name', ['My Module', '--kind', 'napi'], /not a valid npm name; pass --name/],
  ])('%s', (_case, argv, message) => {
    const error = usageErrorOf(argv);
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(message);
  });

  test.each([
    ['..', /starting with "\."/],
    ['.hidden', /starting with "\."/],
    ['_private', /starting with "_"/],
    ['/abs', /may only use/],
    ['a/../../b', /may only use/],
    ['a\\b', /may only use/],
    ['@scope/../evil', /may only use/],
    ['@scope/.evil', /starting with "\."/],
    ['@_scope/name', /starting with "_"/],
    ['@scope/a/b', /may only use/],
    ['@/name', /may only use/],
    ['UpperCase', /uppercase/],
    ['has space', /may only use/],
    ['emoji-☃', /may only use/],
    ['bang!', /may only use/],
    ['fs', /reserved/],
    ['node_modules', /reserved/],
    ['a'.repeat(215), /longer than 214/],
  ])('the package name %j is refused', (name, message) => {
    const error = usageErrorOf(['--kind', 'napi', '--name', name]);
    expect(error.message).toMatch(/^Invalid package name: /);
    expect(error.message).toMatch(message);
  });

  test.each(['demo', '@acme/fast-hash', 'a.b_c-d', '3d', 'a'.repeat(214)])('the package name %j is accepted', (name) => {
    expect(parseCliArgs(['--kind', 'napi', '--name', name], context).name).toBe(name);
  });
});

describe('detectPackageManager', () => {
  test.each([
    ['pnpm/9.12.0 npm/? node/v20.17.0 linux x64', 'pnpm'],
    ['yarn/1.22.22 npm/? node/v20.17.0 linux x64', 'yarn'],
    ['npm/11.0.0 node/v20.17.0 linux x64 workspaces/false', 'npm'],
    ['bun/1.1.0 npm/? node/v22.0.0 linux x64', 'npm'],
  ])('%s -> %s', (agent, manager) => {
    expect(detectPackageManager({ npm_config_user_agent: agent })).toBe(manager);
  });

  test('npm when no agent is set, and --pm wins over the agent', () => {
    expect(detectPackageManager({})).toBe('npm');
    const fromYarn = { ...context, env: { npm_config_user_agent: 'yarn/4.0.0' } };
    expect(parseCliArgs(['demo'], fromYarn).packageManager).toBe('yarn');
    expect(parseCliArgs(['demo', '--pm', 'npm'], fromYarn).packageManager).toBe('npm');
  });
});

test('usage lists every kind and every flag', () => {
  const text = usage(realKindsNamed('napi', 'pure', 'wasm'));
  expect(text).toContain('napi, pure, wasm');
  for (const flag of ['--kind', '--name', '--description', '--yes', '--no-install', '--pm', '--runtime', '--force', '--skip-preflight', '--help', '--version']) {
    expect(text).toContain(flag);
  }
  expect(text).toMatch(/^ +napi  in-process Rust addon: /m);
  expect(text).toMatch(/^ +pure  plain TypeScript: /m);
});

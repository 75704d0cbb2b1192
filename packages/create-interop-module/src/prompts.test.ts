import path from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { PromptCancelledError, UsageError } from './errors.js';
import { loadGenerators } from './generators.js';
import { parseCliArgs, type OptionsContext } from './options.js';
import { allowOverwrite, completeOptions, createClackPrompter, type Prompter } from './prompts.js';
import { fakeTerminal } from './test-support/fake-terminal.js';
import { realKindsNamed } from './test-support/kinds.js';

const generators = await loadGenerators();
const cwd = path.resolve('/work/projects');
const context: OptionsContext = { kinds: realKindsNamed('napi', 'pure'), cwd, env: {}, naming: generators };

interface Answers {
  directory?: string;
  kind?: string;
  name?: string;
  description?: string;
  confirmOverwrite?: boolean;
}

/** Answers from a script and records which questions were asked, with their defaults. */
function scriptedPrompter(answers: Answers) {
  const asked: string[] = [];
  const defaults: Record<string, unknown> = {};
  const answer = <K extends keyof Answers>(question: K, initial?: unknown): Promise<NonNullable<Answers[K]>> => {
    asked.push(question);
    defaults[question] = initial;
    const value = answers[question];
    if (value === undefined) throw new Error(`unexpected question: ${question}`);
    return Promise.resolve(value);
  };
  const prompter: Prompter = {
    directory: (initial) => answer('directory', initial),
    kind: (_kinds, initial) => answer('kind', initial),
    name: () => answer('name'),
    description: (initial) => answer('description', initial),
    confirmOverwrite: (count) => answer('confirmOverwrite', count),
  };
  return { prompter, asked, defaults };
}

describe('completeOptions', () => {
  test('on a terminal it asks only for what the flags left open', async () => {
    const { prompter, asked } = scriptedPrompter({ kind: 'pure', description: 'Fast' });
    const options = await completeOptions(parseCliArgs(['fast-hash'], context), context, { interactive: true, prompter });
    expect(asked).toEqual(['kind', 'description']);
    expect(options).toMatchObject({ kind: 'pure', name: 'fast-hash', description: 'Fast' });
  });

  test('without a directory it asks for one first, and the name comes from it', async () => {
    const { prompter, asked, defaults } = scriptedPrompter({ directory: 'packages/@acme/hash', kind: 'napi' });
    const args = parseCliArgs(['--description', 'd'], context);
    const options = await completeOptions(args, context, { interactive: true, prompter });
    expect(asked).toEqual(['directory', 'kind']);
    expect(defaults['directory']).toBeUndefined();
    expect(options).toMatchObject({ name: '@acme/hash', directory: path.join(cwd, 'packages/@acme/hash'), displayDirectory: 'packages/@acme/hash' });
  });

  test('with --name the directory question defaults to the name without its scope', async () => {
    const { prompter, defaults } = scriptedPrompter({ directory: 'hash' });
    await completeOptions(parseCliArgs(['--kind', 'napi', '--name', '@acme/hash', '--description', 'd'], context), context, {
      interactive: true,
      prompter,
    });
    expect(defaults['directory']).toBe('hash');
  });

  test('it asks for the name when the directory does not give a valid one', async () => {
    const { prompter, asked } = scriptedPrompter({ name: '@acme/hash' });
    const args = parseCliArgs(['My Hash', '--kind', 'napi', '--description', 'd'], context);
    const options = await completeOptions(args, context, { interactive: true, prompter });
    expect(asked).toEqual(['name']);
    expect(options.directory).toBe(path.join(cwd, 'My Hash'));
  });

  test('with every flag given it asks nothing', async () => {
    const { prompter, asked } = scriptedPrompter({});
    const args = parseCliArgs(['demo', '--kind', 'napi', '--description', 'd'], context);
    await completeOptions(args, context, { interactive: true, prompter });
    expect(asked).toEqual([]);
  });

  test('--yes never asks, even on a terminal', async () => {
    const { prompter, asked } = scriptedPrompter({});
    const options = await completeOptions(parseCliArgs(['demo', '--yes'], context), context, { interactive: true, prompter });
    expect(asked).toEqual([]);
    expect(options.kind).toBe('napi');
  });

  test('without a terminal a missing value is a UsageError, not a question', async () => {
    const { prompter, asked } = scriptedPrompter({ kind: 'napi' });
    const pending = completeOptions(parseCliArgs(['demo'], context), context, { interactive: false, prompter });
    await expect(pending).rejects.toBeInstanceOf(UsageError);
    expect(asked).toEqual([]);
  });
});

describe('allowOverwrite (--force)', () => {
  test('without a terminal, or with --yes, the flag is the answer', async () => {
    const { prompter, asked } = scriptedPrompter({});
    expect(await allowOverwrite(['package.json'], '/x', false, { interactive: false, prompter })).toBe(true);
    expect(await allowOverwrite(['package.json'], '/x', true, { interactive: true, prompter })).toBe(true);
    expect(asked).toEqual([]);
  });

  test('on a terminal it asks', async () => {
    const { prompter, asked } = scriptedPrompter({ confirmOverwrite: false });
    expect(await allowOverwrite(['package.json', 'README.md'], '/x', false, { interactive: true, prompter })).toBe(false);
    expect(asked).toEqual(['confirmOverwrite']);
  });
});

describe('the terminal questions (clack)', () => {
  const problem = generators.packageNameProblem;

  test('Enter on the empty name question says it is required; nothing looks like a default', async () => {
    const terminal = fakeTerminal();
    const answer = createClackPrompter(terminal).name(problem);
    // The field is drawn empty (clack draws an empty field as "_"): no example sits in it to look like a default.
    await vi.waitFor(() => expect(terminal.text).toMatch(/◆  npm package name \(for example my-module or @scope\/my-module\)\n│  _\n/));
    terminal.type('\r');
    terminal.type('fast-hash\r');
    expect(await answer).toBe('fast-hash');
    expect(terminal.text).toContain('A package name is required');
  });

  /** Asks one question on a fake terminal and types `keys` into it, one string at a time. */
  async function ask<T>(question: (prompter: Prompter) => Promise<T>, ...keys: string[]) {
    const terminal = fakeTerminal();
    const answer = question(createClackPrompter(terminal));
    for (const key of keys) terminal.type(key);
    return { answer: await answer, text: terminal.text };
  }

  test('an invalid name is refused with the reason', async () => {
    const { answer, text } = await ask((prompter) => prompter.name(problem), 'Bad\r', '\x7f\x7f\x7fgood\r');
    expect(answer).toBe('good');
    expect(text).toContain('has uppercase letters');
  });

  test('the directory question takes its default on Enter, and requires an answer when it has none', async () => {
    expect((await ask((prompter) => prompter.directory('fast-hash'), '\r')).answer).toBe('fast-hash');
    const { answer, text } = await ask((prompter) => prompter.directory(undefined), '\r', '../ux/a\r');
    expect(answer).toBe('../ux/a');
    expect(text).toContain('A directory is required');
  });

  test('the kind question shows each kind’s hint from its kind.json', async () => {
    const { answer, text } = await ask((prompter) => prompter.kind(realKindsNamed('napi', 'pure'), 'napi'), '\x1b[B\r');
    expect(answer).toBe('pure');
    expect(text).toContain('napi (in-process Rust addon: fastest;');
    expect(text).toContain('pure (plain TypeScript: nothing to compile;');
  });

  test('the overwrite question defaults to no', async () => {
    const { answer, text } = await ask((prompter) => prompter.confirmOverwrite(2, '/x/demo'), '\r');
    expect(answer).toBe(false);
    expect(text).toContain('Overwrite these 2 files in /x/demo?');
  });

  test('Ctrl-C at a question is a PromptCancelledError (exit 130)', async () => {
    const terminal = fakeTerminal();
    const answer = createClackPrompter(terminal).directory(undefined);
    terminal.type('\x03');
    await expect(answer).rejects.toBeInstanceOf(PromptCancelledError);
    await expect(answer).rejects.toMatchObject({ exitCode: 130 });
  });
});

import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadGenerators } from './generators.js';
import { UsageError } from './errors.js';
import { parseCliArgs, type OptionsContext } from './options.js';
import { completeOptions, type Prompter } from './prompts.js';

const generators = await loadGenerators();
const cwd = path.resolve('/work/projects');
const context: OptionsContext = { kinds: ['napi', 'pure'], cwd, env: {}, naming: generators };

/** Answers from a script and records which questions were asked. */
function scriptedPrompter(answers: { kind?: string; name?: string; description?: string }) {
  const asked: string[] = [];
  const answer = (question: keyof typeof answers) => {
    asked.push(question);
    const value = answers[question];
    if (value === undefined) throw new Error(`unexpected question: ${question}`);
    return Promise.resolve(value);
  };
  const prompter: Prompter = {
    kind: () => answer('kind'),
    name: () => answer('name'),
    description: () => answer('description'),
  };
  return { prompter, asked };
}

describe('completeOptions', () => {
  test('on a terminal it asks only for what the flags left open', async () => {
    const { prompter, asked } = scriptedPrompter({ kind: 'pure', description: 'Fast' });
    const options = await completeOptions(parseCliArgs(['fast-hash'], context), context, { interactive: true, prompter });
    expect(asked).toEqual(['kind', 'description']);
    expect(options).toMatchObject({ kind: 'pure', name: 'fast-hash', description: 'Fast' });
  });

  test('it asks for the name when no directory or --name gives one', async () => {
    const { prompter, asked } = scriptedPrompter({ name: '@acme/hash' });
    const args = parseCliArgs(['--kind', 'napi', '--description', 'd'], context);
    const options = await completeOptions(args, context, { interactive: true, prompter });
    expect(asked).toEqual(['name']);
    expect(options.directory).toBe(path.join(cwd, 'hash'));
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

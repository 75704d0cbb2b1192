import { describe, expect, test } from 'vitest';
import { InterruptedError } from './errors.js';
import { progressHooks } from './progress.js';

function recorder(isTTY: boolean) {
  const output = { text: '', isTTY, write: (chunk: string) => (output.text += chunk) };
  return output;
}

describe('progressHooks', () => {
  test('without a terminal: one plain line per event', () => {
    const output = recorder(false);
    const hooks = progressHooks(output);
    hooks.onStepStart?.('install', 'Installing dependencies with npm');
    hooks.onStepEnd?.({ step: 'install', durationMs: 1234 });
    hooks.onStepStart?.('build', 'Building with npm run build');
    hooks.onStepFailed?.('build', new InterruptedError('SIGINT', 'build'));
    expect(output.text).toBe('Installing dependencies with npm...\ninstall done in 1.2s\nBuilding with npm run build...\nbuild stopped\n');
  });

  test('on a terminal: a spinner line, replaced by the outcome', () => {
    const output = recorder(true);
    const hooks = progressHooks(output);
    hooks.onStepStart?.('install', 'Installing dependencies with npm');
    hooks.onStepFailed?.('install', new Error('exit 1'));
    expect(output.text).toMatch(/^\r\x1b\[2K◒  Installing dependencies with npm 0\.0s\r\x1b\[2K■  install failed\n$/);
  });
});

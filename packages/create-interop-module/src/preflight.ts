import { renderCheck, runChecks, type Probe } from './doctor.js';
import { PreflightError } from './errors.js';
import type { KindFacts } from './generators.js';
import type { PackageManager } from './options.js';

/**
 * Before anything is written: runs doctor's build checks for the kind and `packageManager`, and fails
 * with PreflightError (exit 2) carrying doctor's advice when one is missing, so a missing pnpm or
 * cargo is found in a second instead of after the files are written and the install has run.
 * Checks only needed by the package's tests (e.g. chromium) do not stop it.
 */
export function assertCanBuild(facts: KindFacts, packageManager: PackageManager, probe: Probe): void {
  const missing = runChecks(probe, { kinds: [facts], stage: 'build', packageManager }).filter((check) => !check.ok);
  if (missing.length === 0) return;
  const { kind } = facts;
  throw new PreflightError(
    [
      `Cannot install and build a ${kind} package here: missing ${missing.map((check) => check.name).join(', ')}.`,
      ...missing.map(renderCheck),
      `Nothing was written. Fix the above (create-interop-module doctor --kind ${kind}${packageManager === 'npm' ? '' : ` --pm ${packageManager}`} checks again),`,
      'or pass --no-install to only write the files, or --skip-preflight to try anyway.',
    ].join('\n'),
  );
}

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Vitest global setup: builds @interop-module/runtime (the tests use its testing helpers and check
 * its published source maps), then this package's dist/ and assets/, so tests that spawn the bin
 * run current code.
 */
export default function buildPackage(): void {
  for (const packageDir of ['../../../runtime/', '../../']) {
    execFileSync('npm', ['run', 'build'], { cwd: fileURLToPath(new URL(packageDir, import.meta.url)), stdio: 'inherit' });
  }
}

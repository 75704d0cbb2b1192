import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Vitest global setup: builds dist/ and assets/ so tests that spawn the bin run current code. */
export default function buildPackage(): void {
  execFileSync('npm', ['run', 'build'], {
    cwd: fileURLToPath(new URL('../../', import.meta.url)),
    stdio: 'inherit',
  });
}

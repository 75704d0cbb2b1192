// npm run build (after tsc): compiles the port (src/, with legacy/gateway.c through build.rs) with
// cargo and copies the executable to where lib/port.ts looks for it. Cargo reports the artifact's
// path itself, so this works whatever CARGO_TARGET_DIR is.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { executableFile } from '../dist/port.js';

const cargo = spawnSync('cargo', ['build', '--release', '--message-format=json-render-diagnostics'], {
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  stdio: ['ignore', 'pipe', 'inherit'],
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
if (cargo.error) throw cargo.error;
if (cargo.status !== 0) process.exit(cargo.status ?? 1);

const built = cargo.stdout
  .split('\n')
  .filter((line) => line.startsWith('{'))
  .map((line) => JSON.parse(line))
  .findLast((message) => message.reason === 'compiler-artifact' && message.executable)?.executable;
if (!built) throw new Error('cargo reported no executable');

const target = executableFile();
mkdirSync(fileURLToPath(new URL('.', target)), { recursive: true });
copyFileSync(built, target);
chmodSync(target, 0o755);
console.log(`port executable: ${fileURLToPath(target)}`);

// The Rust half of `npm test`: formatting, the tests with every feature on, and clippy (warnings are
// errors) on each feature set a generated package builds with, so code behind one feature never
// leans on another. The features can all be on at once, so one test run covers every test. Last,
// `cargo package` — the crate's release check: it packs what `include` lists and builds that alone (crates.io
// itself is not published to; generated packages vendor the crate). --allow-dirty, so uncommitted work is
// checked too.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const crateDir = fileURLToPath(new URL('..', import.meta.url));
const featureSets = ['', 'crypto', 'napi', 'port', 'wasm', 'napi,crash-tests', 'port,crash-tests', 'wasm,crash-tests'];

const steps = [
  ['fmt', '--check'],
  ['test', '--all-features'],
  ['clippy', '--all-targets', '--all-features', '--', '-D', 'warnings'],
  ...featureSets.map((features) => ['clippy', '--all-targets', `--features=${features}`, '--', '-D', 'warnings']),
  ['package', '--allow-dirty'],
];

for (const args of steps) {
  console.log(`$ cargo ${args.join(' ')}`);
  const { status, error } = spawnSync('cargo', args, { cwd: crateDir, stdio: 'inherit' });
  if (error) throw error;
  if (status !== 0) process.exit(status ?? 1);
}

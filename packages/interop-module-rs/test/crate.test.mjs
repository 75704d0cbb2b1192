// What ties the crate to the rest of the repository, checked with node:test (the crate's Rust tests
// are run by scripts/cargo-checks.mjs): the error-code tables (the crate's, the runtime's, and the ones
// in CONTRACT.md and the runtime's README), the version, and the files that cargo packs and the
// generators vendor.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { companionCrateDir, companionCrateFiles } from '../../../generators/companion-crate.js';

const read = (relative) => readFileSync(new URL(relative, import.meta.url), 'utf8');
const crateDir = fileURLToPath(new URL('..', import.meta.url));

/** The codes declared in src/error.rs's runtime_codes! table, in order. */
function rustCodes() {
  const table = /runtime_codes! \{([^}]*)\}/.exec(read('../src/error.rs'));
  assert.ok(table, 'src/error.rs declares its codes with runtime_codes! { ... }');
  return [...table[1].matchAll(/^\s*[A-Z_]+ = "([A-Z_]+)",$/gm)].map(([, code]) => code);
}

/** The runtime's ERROR_CODES array, in order. */
function typeScriptCodes() {
  const array = /export const ERROR_CODES = \[([^\]]*)\] as const;/.exec(read('../../runtime/src/errors.ts'));
  assert.ok(array, 'packages/runtime/src/errors.ts exports ERROR_CODES = [...] as const');
  return [...array[1].matchAll(/'([A-Z_]+)'/g)].map(([, code]) => code);
}

/** The rows of the table under a document's "## Error codes" heading, each as its cells. */
function errorTable(relative) {
  const section = /^## Error codes$([\s\S]*?)(?=^## )/m.exec(read(relative))?.[1];
  assert.ok(section, `${relative} has a section "## Error codes"`);
  const rows = section.split('\n').filter((line) => line.startsWith('| `ERR_'));
  return rows.map((row) => row.split(' | ').map((cell) => cell.replace(/^\| |`| \|$/g, '')));
}

test('ErrorCode::TABLE is the runtime table, in its order', () => {
  const codes = typeScriptCodes();
  assert.ok(codes.length > 10);
  assert.deepEqual(rustCodes(), codes);
});

test("CONTRACT.md's error table lists the runtime's codes, in its order, and the runtime README's is the same table", () => {
  const contract = errorTable('../../../CONTRACT.md');
  assert.deepEqual(contract.map(([code]) => code), typeScriptCodes());
  assert.deepEqual(errorTable('../../runtime/README.md'), contract);
});

test("the crate's resource limit is the runtime's", () => {
  const rust = /pub const DEFAULT_LIMIT: usize = ([\d_]+);/.exec(read('../src/handles.rs'))?.[1];
  const typeScript = /export const defaultHasherLimit = ([\d_]+);/.exec(read('../../runtime/src/resources/hasher.ts'))?.[1];
  assert.ok(rust && typeScript, 'src/handles.rs has DEFAULT_LIMIT and the runtime defaultHasherLimit');
  assert.equal(Number(rust.replaceAll('_', '')), Number(typeScript.replaceAll('_', '')));
});

test("the crate copies a call's bytes up to the runtime's limit", () => {
  /** A product of integer literals, as both write the limit (`1024 * 1024`). */
  const product = (expression) => expression.split('*').reduce((total, factor) => total * Number(factor.trim().replaceAll('_', '')), 1);
  const rust = /pub const COPIED_AT_CALL_BYTES: usize = ([\d_ *]+);/.exec(read('../src/napi/input.rs'))?.[1];
  const typeScript = /copiedAtCallBytes: ([\d_ *]+),/.exec(read('../../runtime/src/contract-args.ts'))?.[1];
  assert.ok(rust && typeScript, 'src/napi/input.rs has COPIED_AT_CALL_BYTES and the runtime LIMITS.copiedAtCallBytes');
  assert.ok(Number.isSafeInteger(product(rust)) && product(rust) > 0);
  assert.equal(product(rust), product(typeScript));
});

test('the crate, its npm package and the runtime have one version', () => {
  const cargoVersion = /^version = "([^"]+)"$/m.exec(read('../Cargo.toml'))?.[1];
  const { version } = JSON.parse(read('../package.json'));
  const runtime = JSON.parse(read('../../runtime/package.json'));
  assert.equal(cargoVersion, runtime.version);
  assert.equal(version, runtime.version);
});

test('the generators vendor exactly what cargo packs', async () => {
  const listed = spawnSync('cargo', ['package', '--list', '--allow-dirty', '--offline'], { cwd: crateDir, encoding: 'utf8' });
  assert.equal(listed.status, 0, listed.stderr);
  // Written by cargo itself into every package: not part of the source.
  const madeByCargo = new Set(['.cargo_vcs_info.json', 'Cargo.lock', 'Cargo.toml.orig']);
  const packed = listed.stdout.split('\n').filter((file) => file !== '' && !madeByCargo.has(file));
  assert.equal(fileURLToPath(new URL('../', import.meta.url)), companionCrateDir);
  assert.deepEqual(await companionCrateFiles(), packed.sort());
});

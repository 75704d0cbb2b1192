// `node smoke.mjs <package>` in a project that installed the package: what a user meets first. It loads the
// package, calls every export of the contract, and compares each answer with node:crypto's. Prints one JSON
// line (the checks, and how long loading and the first call took); exits 1 when a check fails, or with the
// error's code and message when loading fails. The release gate (scripts/release-gate.mjs) runs it.
import { createHash, pbkdf2Sync, randomBytes } from 'node:crypto';

const name = process.argv[2];
if (name === undefined) {
  console.error('usage: node smoke.mjs <package name>');
  process.exit(2);
}
const hex = (bytes) => Buffer.from(bytes).toString('hex');
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

try {
  const started = performance.now();
  const module = await import(name);
  const abc = new TextEncoder().encode('abc');
  const first = await module.hash(abc);
  const firstCallMs = performance.now() - started;
  const large = randomBytes(1024 * 1024 + 7);
  const salt = randomBytes(16);
  const refusal = await module.hash('abc').then(
    () => 'resolved',
    (error) => (error instanceof module.InteropError ? error.code : String(error)),
  );
  const checks = {
    backend: module.backend !== undefined && module.backend !== '',
    hash: hex(first) === sha256(abc),
    hashLarge: hex(await module.hash(large)) === sha256(large),
    // A port is asynchronous by nature and has none (CONTRACT.md).
    hashSync: module.backend === 'port' ? module.hashSync === undefined : hex(module.hashSync(large)) === sha256(large),
    deriveKey: hex(await module.deriveKey('password', salt, 1_000)) === hex(pbkdf2Sync('password', salt, 1_000, 32, 'sha256')),
    timeout: await module.deriveKey('password', salt, 10_000_000, { timeoutMs: 1 }).then(
      () => false,
      (error) => error.code === 'ERR_TIMEOUT',
    ),
    invalidArgument: refusal === 'ERR_INVALID_ARG',
  };
  await module.close();
  console.log(JSON.stringify({ package: name, backend: module.backend, firstCallMs: Math.round(firstCallMs * 10) / 10, checks }));
  if (!Object.values(checks).every(Boolean)) process.exitCode = 1;
} catch (error) {
  console.error(`${name} failed to load or answer: ${error.code ?? error.name}: ${error.message}`);
  process.exitCode = 1;
}

// npm run bench: this package against node:crypto and @noble (pure JS) on the same inputs, in one run.
// Prints a table, writes bench.json and bench/ratios.svg (the chart README shows). Speed targets from
// the issue live here, not in the tests: every ratio is "operations per second / node:crypto's".
import { createCipheriv, createDecipheriv, createHash, createPublicKey, pbkdf2, randomBytes, sign as nodeSign, verify as nodeVerify, createPrivateKey } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { gcm } from '@noble/ciphers/aes.js';
import { managedNonce } from '@noble/ciphers/utils.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { pbkdf2Async as noblePbkdf2 } from '@noble/hashes/pbkdf2.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { measureCallRate, sampleEventLoopBlocking } from '@interop-module/runtime/testing';
import { close, decrypt, deriveKey, encrypt, generateSigningKeyPair, hashSync, sign, verify } from '../dist/index.js';
import { ratioChart } from './chart.mjs';

const pbkdf2Async = promisify(pbkdf2);
const minSampleMs = Number(process.env.BENCH_MS ?? 1500);

/** Operations per second of fn over minSampleMs, after a warm-up of 10 calls or 300 ms. */
const opsPerSecond = async (fn) => (await measureCallRate(fn, { sampleMs: minSampleMs, warmupCalls: 10, warmupMs: 300 })).perSecond;

// ---- inputs and the node:crypto / @noble equivalents of each operation -------------------------------

const aesKey = randomBytes(32);
const small = randomBytes(256);
const large = randomBytes(1024 * 1024);
const salt = randomBytes(16);
const message = randomBytes(64);

/** node:crypto with the same `nonce ‖ ciphertext ‖ tag` layout as encrypt. */
function nodeEncrypt(plaintext) {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', aesKey, nonce);
  return Buffer.concat([nonce, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}
function nodeDecrypt(sealed) {
  const decipher = createDecipheriv('aes-256-gcm', aesKey, sealed.subarray(0, 12));
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
}
/** @noble's managedNonce prepends a random 12-byte nonce: the same layout again. */
const nobleAes = managedNonce(gcm)(aesKey);

const sealedSmall = encrypt(small, aesKey);
const sealedLarge = encrypt(large, aesKey);

const { secretKey, publicKey } = generateSigningKeyPair();
const jwk = (fields) => ({ kty: 'OKP', crv: 'Ed25519', ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, Buffer.from(v).toString('base64url')])) });
// node:crypto gets its key objects made once, outside the timing, as a long-lived service would hold them.
const nodePrivateKey = createPrivateKey({ key: jwk({ d: secretKey, x: publicKey }), format: 'jwk' });
const nodePublicKey = createPublicKey({ key: jwk({ x: publicKey }), format: 'jwk' });
const signature = sign(message, secretKey);

// ---- the table ---------------------------------------------------------------------------------------

const rows = [];
/** target: the lowest acceptable ours/node:crypto ratio from the issue (PBKDF2: time ≤ 1.1× → ≥ 1/1.1). */
async function compare(name, { bytes, target, ours, node, noble }) {
  const oursOps = await opsPerSecond(ours);
  const nodeOps = await opsPerSecond(node);
  const nobleOps = noble ? await opsPerSecond(noble) : undefined;
  const ratio = oursOps / nodeOps;
  const row = {
    name,
    'napi ops/s': Math.round(oursOps),
    'node:crypto ops/s': Math.round(nodeOps),
    '@noble ops/s': nobleOps === undefined ? '' : Math.round(nobleOps),
    'napi MB/s': bytes ? Math.round((oursOps * bytes) / 1e6) : '',
    'napi/node': Number(ratio.toFixed(2)),
    'noble/node': nobleOps === undefined ? '' : Number((nobleOps / nodeOps).toFixed(3)),
    target: target === undefined ? '' : `≥ ${target.toFixed(2)}`,
    met: target === undefined ? '' : ratio >= target ? 'yes' : 'NO',
  };
  rows.push(row);
  console.log(`${name}: ${row['napi/node']}× node:crypto${row.target ? ` (target ${row.target}: ${row.met})` : ''}`);
}

await compare('AES-256-GCM encrypt 256 B', { bytes: 256, target: 2.0, ours: () => encrypt(small, aesKey), node: () => nodeEncrypt(small), noble: () => nobleAes.encrypt(small) });
await compare('AES-256-GCM encrypt 1 MiB', { bytes: large.length, target: 0.9, ours: () => encrypt(large, aesKey), node: () => nodeEncrypt(large), noble: () => nobleAes.encrypt(large) });
await compare('AES-256-GCM decrypt 256 B', { bytes: 256, ours: () => decrypt(sealedSmall, aesKey), node: () => nodeDecrypt(sealedSmall), noble: () => nobleAes.decrypt(sealedSmall) });
await compare('AES-256-GCM decrypt 1 MiB', { bytes: large.length, ours: () => decrypt(sealedLarge, aesKey), node: () => nodeDecrypt(sealedLarge), noble: () => nobleAes.decrypt(sealedLarge) });
await compare('Ed25519 sign 64 B', { ours: () => sign(message, secretKey), node: () => nodeSign(null, message, nodePrivateKey), noble: () => ed25519.sign(message, secretKey) });
await compare('Ed25519 verify 64 B', {
  target: 1.0,
  ours: () => verify(message, signature, publicKey),
  node: () => nodeVerify(null, message, nodePublicKey, signature),
  // zip215: false is noble's RFC 8032 mode, the closest to verify_strict.
  noble: () => ed25519.verify(signature, message, publicKey, { zip215: false }),
});
await compare('PBKDF2-SHA256 100k iterations', {
  target: 1 / 1.1,
  ours: () => deriveKey('password', salt, 100_000),
  node: () => pbkdf2Async('password', salt, 100_000, 32, 'sha256'),
  noble: () => noblePbkdf2(nobleSha256, 'password', salt, { c: 100_000, dkLen: 32 }),
});
await compare('SHA-256 hashSync 256 B', { bytes: 256, ours: () => hashSync(small), node: () => createHash('sha256').update(small).digest(), noble: () => nobleSha256(small) });
await compare('SHA-256 hashSync 1 MiB', { bytes: large.length, ours: () => hashSync(large), node: () => createHash('sha256').update(large).digest(), noble: () => nobleSha256(large) });

// ---- the event loop while four PBKDF2 calls run ------------------------------------------------------

const blockBudgetMs = 2.5;
const blocking = await sampleEventLoopBlocking(() => Promise.all([1, 2, 3, 4].map((i) => deriveKey(`password ${i}`, salt, 100_000))));
await close();

console.table(rows);
console.log(
  `longest block of the event loop while 4 × deriveKey(100k) run: ${blocking.summary} ` +
    `(target ≤ ${blockBudgetMs} ms: ${blocking.medianMs <= blockBudgetMs ? 'yes' : 'NO'})`,
);

const environment = { node: process.version, cores: availableParallelism(), date: new Date().toISOString() };
writeFileSync(
  new URL('../bench.json', import.meta.url),
  `${JSON.stringify({ backend: 'napi', ...environment, rows, eventLoop: {
    clock: blocking.reports[0]?.clock,
    longestBlockSamplesMs: blocking.reports.map((report) => Number(report.longestBlockMs.toFixed(2))),
    timerLateSamplesMs: blocking.reports.map((report) => Number(report.maxDelayMs.toFixed(2))),
    medianLongestBlockMs: Number(blocking.medianMs.toFixed(2)),
    budgetMs: blockBudgetMs,
  } }, null, 2)}\n`,
);
const chartRows = rows.map((row) => ({
  name: row.name,
  ours: row['napi/node'],
  noble: row['noble/node'] === '' ? undefined : row['noble/node'],
  target: row.target === '' ? undefined : Number(row.target.slice(2)),
}));
writeFileSync(
  new URL('./ratios.svg', import.meta.url),
  ratioChart(chartRows, {
    title: 'Speed relative to node:crypto (1× = parity, log scale; higher is faster)',
    subtitle: `${environment.node}, ${environment.cores} cores, ${environment.date.slice(0, 10)}; red marks: targets`,
  }),
);
console.log('wrote bench.json and bench/ratios.svg');

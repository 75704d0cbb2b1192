// The entry as its users see it: build scripts write integrity.json, loaders verify against it and
// honour the development override.
import { createHash } from 'node:crypto';
import { utimesSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { INTEGRITY_MANIFEST, binaryOverride, overrideVariable, readIntegrityManifest, verifyBinary, writeIntegrityManifest } from './index.js';

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * A package folder with a package.json and one binary, lib.node (removed when the test finishes). Each
 * test names its own package: the checks remember files and warnings for the whole process.
 */
async function testPackage(name: string, binary = Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0])) {
  const root = await mkdtemp(path.join(tmpdir(), 'integrity-'));
  onTestFinished(() => rm(root, { recursive: true, force: true }));
  await writeFile(path.join(root, 'package.json'), JSON.stringify({ name, version: '1.2.3' }));
  const file = path.join(root, 'lib.node');
  await writeFile(file, binary);
  return { root, file, binary };
}

describe('integrity.json', () => {
  it('is written with the SHA-256 of each binary, names sorted, and read back', async () => {
    const { root, file, binary } = await testPackage('manifest-write');
    const other = path.join(root, 'other.wasm');
    await writeFile(other, 'x');
    const digests = writeIntegrityManifest(root, { 'z.node': file, 'a/other.wasm': other });
    expect(digests).toEqual({ 'a/other.wasm': sha256Hex(Buffer.from('x')), 'z.node': sha256Hex(binary) });
    const text = await readFile(path.join(root, INTEGRITY_MANIFEST), 'utf8');
    expect(Object.keys(JSON.parse(text).binaries)).toEqual(['a/other.wasm', 'z.node']);
    expect(readIntegrityManifest(root)).toEqual({ algorithm: 'sha256', binaries: digests });
  });

  it('missing, or not a manifest, is ERR_NATIVE_INTEGRITY saying how to get one', async () => {
    const { root } = await testPackage('manifest-missing');
    const missing = { code: 'ERR_NATIVE_INTEGRITY', message: expect.stringMatching(/integrity\.json is missing.*npm run build/) };
    expect(() => readIntegrityManifest(root)).toThrow(expect.objectContaining(missing));
    for (const text of ['{', '{"algorithm":"md5","binaries":{}}', '{"algorithm":"sha256","binaries":{"a":"not hex"}}']) {
      await writeFile(path.join(root, INTEGRITY_MANIFEST), text);
      expect(() => readIntegrityManifest(root), text).toThrow(expect.objectContaining({ code: 'ERR_NATIVE_INTEGRITY' }));
    }
  });
});

describe('verifyBinary', () => {
  it('lets a binary that matches integrity.json load, given as a path, a URL or its bytes', async () => {
    const { root, file, binary } = await testPackage('verify-match');
    writeIntegrityManifest(root, { 'lib.node': file });
    expect(() => verifyBinary({ packageRoot: root, name: 'lib.node', file })).not.toThrow();
    expect(() => verifyBinary({ packageRoot: pathToFileURL(`${root}/`), name: 'lib.node', file: pathToFileURL(file) })).not.toThrow();
    const { root: other, file: otherFile } = await testPackage('verify-bytes');
    writeIntegrityManifest(other, { 'lib.node': otherFile });
    expect(() => verifyBinary({ packageRoot: other, name: 'lib.node', file: otherFile, bytes: binary })).not.toThrow();
  });

  it('refuses a binary one byte off with ERR_NATIVE_INTEGRITY naming the file, both digests and the fix', async () => {
    const { root, file, binary } = await testPackage('verify-tampered');
    writeIntegrityManifest(root, { 'lib.node': file });
    const tampered = Uint8Array.from(binary);
    tampered[3] = tampered[3]! ^ 0xff;
    await writeFile(file, tampered);
    let error: unknown;
    try {
      verifyBinary({ packageRoot: root, name: 'lib.node', file });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toMatchObject({ code: 'ERR_NATIVE_INTEGRITY' });
    const { message } = error as Error;
    expect(message).toContain(`refusing to load ${file}`);
    expect(message).toContain(`its SHA-256 is ${sha256Hex(tampered)}`);
    expect(message).toContain(`expects ${sha256Hex(binary)} for lib.node`);
    expect(message).toContain(path.join(root, INTEGRITY_MANIFEST));
    expect(message).toContain('reinstall verify-tampered@1.2.3');
    expect(message).toContain('`npm run build`');
    expect(message).toContain('INTEROP_MODULE_BINARY_VERIFY_TAMPERED');
  });

  it('refuses a binary whose name integrity.json does not list (another build), listing what it has', async () => {
    const { root, file } = await testPackage('verify-unlisted');
    writeIntegrityManifest(root, { 'lib.linux-x64-gnu.node': file });
    expect(() => verifyBinary({ packageRoot: root, name: 'lib.linux-x64-musl.node', file })).toThrow(
      expect.objectContaining({
        code: 'ERR_NATIVE_INTEGRITY',
        message: expect.stringContaining('has no digest for lib.linux-x64-musl.node (it lists lib.linux-x64-gnu.node)'),
      }),
    );
  });

  it('checks a file once per process, and again once it changes', async () => {
    const { root, file, binary } = await testPackage('verify-once');
    writeIntegrityManifest(root, { 'lib.node': file });
    verifyBinary({ packageRoot: root, name: 'lib.node', file });
    // Not read again: an unreadable manifest no longer matters for this file.
    await writeFile(path.join(root, INTEGRITY_MANIFEST), 'not json');
    expect(() => verifyBinary({ packageRoot: root, name: 'lib.node', file })).not.toThrow();
    // The same size, a later modification time: checked again, against the (now broken) manifest.
    await writeFile(file, binary.map((byte) => byte ^ 1));
    const later = new Date(Date.now() + 5_000);
    utimesSync(file, later, later);
    expect(() => verifyBinary({ packageRoot: root, name: 'lib.node', file })).toThrow(expect.objectContaining({ code: 'ERR_NATIVE_INTEGRITY' }));
    expect(await readFile(file)).toHaveLength(binary.length);
  });

  it('a file that is not there cannot be checked: ERR_NATIVE_INTEGRITY', async () => {
    const { root } = await testPackage('verify-absent');
    expect(() => verifyBinary({ packageRoot: root, name: 'lib.node', file: path.join(root, 'absent.node') })).toThrow(
      expect.objectContaining({ code: 'ERR_NATIVE_INTEGRITY', message: expect.stringContaining('absent.node') }),
    );
  });
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the development override', () => {
  it('is one variable per package, named after it', () => {
    expect(overrideVariable('demo-napi')).toBe('INTEROP_MODULE_BINARY_DEMO_NAPI');
    expect(overrideVariable('@acme/hash.js')).toBe('INTEROP_MODULE_BINARY_ACME_HASH_JS');
  });

  it('is nothing while unset or empty', async () => {
    const { root } = await testPackage('override-unset');
    expect(binaryOverride(root)).toBeUndefined();
    vi.stubEnv('INTEROP_MODULE_BINARY_OVERRIDE_UNSET', '');
    expect(binaryOverride(root)).toBeUndefined();
  });

  it('names the file to load instead, as an absolute path, and warns once per process that it is unchecked', async () => {
    const { root, file } = await testPackage('override-set');
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      vi.stubEnv('INTEROP_MODULE_BINARY_OVERRIDE_SET', path.relative(process.cwd(), file));
      expect(binaryOverride(root)).toBe(file);
      expect(binaryOverride(new URL(`file://${root}/`))).toBe(file);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map(({ message }) => message)).toEqual([
      `override-set loads ${file} (from INTEROP_MODULE_BINARY_OVERRIDE_SET) without an integrity check; unset INTEROP_MODULE_BINARY_OVERRIDE_SET to load the binary override-set ships`,
    ]);
    expect(warnings[0]).toMatchObject({ code: 'INTEROP_BINARY_OVERRIDE' });
  });

  it('a path that does not exist is ERR_INVALID_ARG', async () => {
    const { root } = await testPackage('override-missing');
    vi.stubEnv('INTEROP_MODULE_BINARY_OVERRIDE_MISSING', path.join(root, 'nope.node'));
    expect(() => binaryOverride(root)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG', message: expect.stringContaining('nope.node') }));
  });
});

import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pbkdf2Sync } from 'node:crypto';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const pagePath = fileURLToPath(new URL('./fixtures/browser.html', import.meta.url));
const artifactsDir = path.join(packageRoot, 'test-artifacts');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const contentTypes: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

/** Serves the package folder (the built dist/, crash-build/ and node_modules/) and the test page. */
function serve(): Promise<Server> {
  const server = createServer((request, response) => {
    const urlPath = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const file = urlPath === '/' ? pagePath : path.join(packageRoot, urlPath);
    // path.join resolves "..", so anything outside the package folder fails this check.
    const inside = file === pagePath || file.startsWith(packageRoot);
    if (!inside || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': contentTypes[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let server: Server;
let browser: BrowserContext;
const profileDir = mkdtempSync(path.join(tmpdir(), 'wasm-browser-profile-'));

beforeAll(async () => {
  server = await serve();
  // A fresh profile directory per run (playwright's userDataDir is --user-data-dir).
  browser = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  rmSync(profileDir, { recursive: true, force: true });
});

describe('in Chromium (headless), without a bundler', () => {
  it('loads, matches known vectors, hashes incrementally and from a web stream, turns traps (worker and page thread) into ERR_WASM_TRAP (losing the hashers of the page thread) and a hang into ERR_TIMEOUT, and recovers', async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const { port } = server.address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => (window as unknown as { results?: unknown }).results !== undefined, undefined, {
      timeout: 30_000,
    });
    const results = await page.evaluate(() => (window as unknown as { results: Record<string, string> }).results);
    mkdirSync(artifactsDir, { recursive: true });
    await page.screenshot({ path: path.join(artifactsDir, 'browser.png') });
    await page.close();

    const abcDigest = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    expect(pageErrors).toEqual([]);
    expect(results).toEqual({
      backend: 'wasm',
      hash: abcDigest,
      hashSyncBeforeReady: 'ERR_INTERNAL',
      hashSync: abcDigest,
      deriveKey: pbkdf2Sync('passwd', 'salt0123', 1000, 32, 'sha256').toString('hex'),
      hasher: abcDigest,
      hashStream: abcDigest,
      trapCode: 'ERR_WASM_TRAP',
      afterTrap: abcDigest,
      inThreadTrapCode: 'ERR_WASM_TRAP',
      afterInThreadTrap: abcDigest,
      hasherAfterTrap: 'ERR_RESOURCE_LOST',
      hangCode: 'ERR_TIMEOUT',
      afterHang: abcDigest,
    });
    expect(existsSync(path.join(artifactsDir, 'browser.png'))).toBe(true);
  });
});

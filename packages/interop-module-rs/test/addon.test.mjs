// What only a running Node shows about the crate's napi helpers, on a real addon built from
// examples/test-addon.rs: a large result reaches JavaScript without a copy on the event loop.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sampleEventLoopBlocking } from '@interop-module/runtime/testing';

const crateDir = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(path.join(tmpdir(), 'interop-module-addon-'));
let addon;

before(() => {
  const built = spawnSync('cargo', ['build', '--example', 'test-addon', '--features', 'napi', '--message-format=json-render-diagnostics'], {
    cwd: crateDir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(built.status, 0, 'cargo build --example test-addon');
  const artifact = built.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line))
    .find((message) => message.reason === 'compiler-artifact' && message.target.name === 'test-addon');
  const library = artifact?.filenames.find((file) => /\.(so|dylib|dll)$/.test(file));
  assert.ok(library, 'cargo reports the addon it built');
  // Node loads an addon by its .node name.
  const file = path.join(scratch, 'test-addon.node');
  copyFileSync(library, file);
  addon = createRequire(import.meta.url)(file);
});

after(() => rmSync(scratch, { recursive: true, force: true }));

test('results of any size arrive whole, small ones copied and large ones handed over', async () => {
  for (const length of [0, 32, 64 * 1024 - 1, 64 * 1024, 1024 * 1024 + 3]) {
    for (const result of [await addon.bytesOfLength(length), addon.bytesOfLengthSync(length)]) {
      assert.ok(result instanceof Uint8Array);
      assert.equal(result.length, length);
      assert.ok(result.every((byte) => byte === length % 251));
    }
  }
});

test('an offloaded 64 MiB result keeps the longest stretch on the event loop within 5 ms', async () => {
  const length = 64 * 1024 * 1024;
  await addon.bytesOfLength(length);
  // Copying 64 MiB into V8's memory on the JavaScript thread (what resolving did before results were
  // handed over) took 34-35 ms; the collections V8 runs for 64 MiB of new buffers cost a few ms at most.
  const sampled = await sampleEventLoopBlocking(async () => {
    const result = await addon.bytesOfLength(length);
    assert.equal(result.length, length);
  });
  console.log(`longest block while a 64 MiB result arrives: ${sampled.summary}`);
  assert.ok(sampled.medianMs <= 5, sampled.summary);
});

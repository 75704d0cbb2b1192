import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { countCodeLines, measureComplexity } from './complexity.js';
import { tempDir } from './test-support/temp.js';

async function write(root: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), content);
  }
}

describe('countCodeLines', () => {
  it('counts non-blank lines', () => {
    expect(countCodeLines('a\n\n  \nb\n', 'typescript')).toBe(2);
  });

  it('leaves out a Rust file\'s test module, but not TypeScript that mentions it', () => {
    const rust = 'fn main() {}\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() {}\n}\n';
    expect(countCodeLines(rust, 'rust')).toBe(1);
    expect(countCodeLines('#[cfg(test)]\nx\n', 'typescript')).toBe(2);
  });
});

describe('measureComplexity', () => {
  it('counts own code by language, leaving out tests, fixtures and the crash-test entry, plus the runtime entries code and build scripts use', async () => {
    const root = await tempDir();
    const packageDir = path.join(root, 'pkg');
    const runtimeSrc = path.join(root, 'runtime-src');
    await write(packageDir, {
      'lib/index.ts': "import { x } from '@interop-module/runtime';\nimport type { P } from '@interop-module/runtime/port';\n\nexport {};\n",
      'lib/port.ts': "export { createPort } from '@interop-module/runtime/port';\n",
      'lib/testing.ts': "import { y } from '@interop-module/runtime/testing';\none\ntwo\n",
      'src/main.rs': 'fn main() {}\n#[cfg(test)]\nmod tests {}\n',
      'scripts/build.mjs': "import { wasmRoutes } from '@interop-module/runtime/toolchain';\nb\n",
      'test/port.test.ts': 'ignored\n',
      'bench/bench.mjs': 'ignored\n',
    });
    await write(runtimeSrc, {
      'port/supervisor.ts': 'a\nb\nc\n',
      'port/supervisor.test.ts': 'ignored\n',
      'port/fixtures/child.ts': 'ignored\n',
      'testing/index.ts': 'not used by lib outside testing.ts\n',
      'toolchain/wasm.ts': 'a\nb\n',
      'index.ts': 'shared by every kind\n',
    });
    expect(await measureComplexity(packageDir, runtimeSrc)).toEqual({
      ownLines: { typescript: 4, rust: 1, buildScripts: 2 },
      runtimeEntries: ['port', 'toolchain'],
      runtimeLines: 5,
      needsRust: true,
    });
  });

  it('reports a TypeScript-only package as needing no Rust', async () => {
    const root = await tempDir();
    await write(root, { 'lib/index.ts': 'export const backend = "pure";\n' });
    expect(await measureComplexity(root, path.join(root, 'no-runtime'))).toMatchObject({ needsRust: false, runtimeEntries: [], runtimeLines: 0 });
  });
});

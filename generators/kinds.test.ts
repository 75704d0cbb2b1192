import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { tempDir } from '../packages/create-interop-module/src/test-support/temp.js';
import { listKinds, readKind, readKinds, sharedLayers, templatesDir, type KindFacts } from './kinds.js';

const alpha: Omit<KindFacts, 'kind' | 'preferred' | 'baseline'> = {
  hint: 'a fixture kind',
  layers: ['common', 'sync'],
  needs: { build: ['rust', 'cc'], test: ['browser'] },
  hashSync: true,
  crashModes: ['panic', 'hang'],
  faultBoundary: 'somewhere',
};

/** templates/ with the shared layers common and sync, and a kind.json per kind given. */
async function fixtureTemplates(kinds: Record<string, string | object>): Promise<string> {
  const root = await tempDir();
  for (const layer of ['common', 'sync']) await mkdir(path.join(root, layer));
  for (const [kind, manifest] of Object.entries(kinds)) {
    await mkdir(path.join(root, kind));
    await writeFile(path.join(root, kind, 'kind.json'), typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
  }
  return root;
}

describe('generators/kinds.js', () => {
  test('the kinds are the folders with a kind.json, the shared layers the others', async () => {
    const root = await fixtureTemplates({ beta: { ...alpha, hashSync: false, layers: ['common'] }, alpha });
    expect(listKinds(root)).toEqual(['alpha', 'beta']);
    expect(sharedLayers(root)).toEqual(['common', 'sync']);
  });

  test('readKind gives kind.json with the kind’s name, and the flags it leaves out as false', async () => {
    const root = await fixtureTemplates({ alpha, beta: { ...alpha, baseline: true } });
    expect(readKind('alpha', root)).toEqual({ kind: 'alpha', ...alpha, preferred: false, baseline: false } satisfies KindFacts);
    expect(readKind('beta', root)).toMatchObject({ baseline: true, preferred: false });
  });

  test('a kind without a kind.json is ERR_UNKNOWN_KIND, naming the kinds there are', async () => {
    const root = await fixtureTemplates({ alpha });
    expect(() => readKind('common', root)).toThrow(expect.objectContaining({ code: 'ERR_UNKNOWN_KIND', message: expect.stringContaining('(there are: alpha)') }));
  });

  test.each([
    ['not JSON', '{ "hint": ', /not readable JSON/],
    ['not an object', '[]', /must be a JSON object/],
    ['a missing fact', { ...alpha, faultBoundary: undefined }, /"faultBoundary" is missing/],
    ['a misspelt fact', { ...alpha, hashsync: true }, /"hashsync" is not a fact kind\.json states/],
    ['a layer that is not a shared folder', { ...alpha, layers: ['common', 'nope'] }, /"layers" must name shared template folders \(common, sync\)/],
    ['an unknown toolchain', { ...alpha, needs: { build: ['rust', 'go'], test: [] } }, /"needs" must be .* \(rust, cc, wasm32, browser\)/],
    ['needs without a stage', { ...alpha, needs: { build: [] } }, /"needs" must be \{ "build"/],
    ['a crash mode listed twice', { ...alpha, crashModes: ['panic', 'panic'] }, /"crashModes" must list crash mode names/],
    ['a two-line hint', { ...alpha, hint: 'one\ntwo' }, /"hint" must be one line/],
    ['hashSync without the sync layer', { ...alpha, layers: ['common'] }, /"hashSync" is true, so "layers" must include "sync"/],
    ['the sync layer without hashSync', { ...alpha, hashSync: false }, /"hashSync" is false, so "layers" must not include "sync"/],
    ['a flag that is not a boolean', { ...alpha, preferred: 'yes' }, /"preferred" must be true or false/],
  ])('a kind.json with %s is ERR_BAD_TEMPLATE, naming the file and the problem', async (_case, manifest, problem) => {
    const root = await fixtureTemplates({ alpha: manifest });
    const read = () => readKind('alpha', root);
    expect(read).toThrow(expect.objectContaining({ name: 'GeneratorError', code: 'ERR_BAD_TEMPLATE' }));
    expect(read).toThrow(path.join(root, 'alpha', 'kind.json'));
    expect(read).toThrow(problem);
  });

  test('readKinds refuses two kinds that each say they are --yes’s default', async () => {
    const root = await fixtureTemplates({ alpha: { ...alpha, preferred: true }, beta: { ...alpha, preferred: true } });
    expect(() => readKinds(root)).toThrow(expect.objectContaining({ code: 'ERR_BAD_TEMPLATE', message: expect.stringContaining('alpha, beta') }));
  });
});

describe('the real templates’ kind.json', () => {
  const kinds = readKinds();

  test('every kind states its facts, and one kind is --yes’s default', () => {
    expect(kinds.map((facts) => facts.kind)).toEqual(listKinds());
    expect(kinds.filter((facts) => facts.preferred)).toHaveLength(1);
  });

  // The crash modes kind.json states are the ones the package's ./testing entry stages.
  test.each(listKinds())('%s: crashModes is what lib/testing.ts supports', async (kind) => {
    const testing = (await import(path.join(templatesDir, kind, 'lib', 'testing.ts'))) as { supportedCrashModes: readonly string[] };
    expect([...testing.supportedCrashModes].sort()).toEqual([...readKind(kind).crashModes].sort());
  });
});

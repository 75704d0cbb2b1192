import { loadGenerators, type KindFacts } from '../generators.js';

/** Every kind of the real templates, as the CLI reads them. */
export const realKinds = (await loadGenerators()).readKinds();

/** The real kinds named, in the templates' order; a name without templates fails the test. */
export function realKindsNamed(...names: string[]): KindFacts[] {
  const missing = names.filter((name) => !realKinds.some(({ kind }) => kind === name));
  if (missing.length > 0) throw new Error(`the templates have no kind ${missing.join(', ')}`);
  return realKinds.filter(({ kind }) => names.includes(kind));
}

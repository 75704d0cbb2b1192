import { describe, expect, it } from 'vitest';
import { regionEnd, regionStart, replaceRegion } from './readme.js';

describe('replaceRegion', () => {
  const readme = `# Title\n\nbefore\n\n${regionStart}\n\nold table\n\n${regionEnd}\n\nafter\n`;

  it('replaces only what lies between the markers, and keeps them', () => {
    const updated = replaceRegion(readme, 'new table\n');
    expect(updated).toBe(`# Title\n\nbefore\n\n${regionStart}\n\nnew table\n\n${regionEnd}\n\nafter\n`);
    expect(replaceRegion(updated, 'new table')).toBe(updated);
  });

  it.each([
    ['no markers', '# Title\n'],
    ['only the start', `${regionStart}\n`],
    ['the end first', `${regionEnd}\n${regionStart}\n`],
    ['two regions', `${regionStart}\n${regionEnd}\n${regionStart}\n${regionEnd}\n`],
  ])('refuses a README with %s', (_case, text) => {
    expect(() => replaceRegion(text, 'x')).toThrow(expect.objectContaining({ code: 'ERR_README_MARKERS' }));
  });
});

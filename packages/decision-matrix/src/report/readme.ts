/** README.md's matrix region: the lines between two markers, rewritten by each run into bench/matrix/. */
import { MatrixError } from '../errors.js';

export const regionStart = '<!-- matrix:start (written by `npm run bench`; edit packages/decision-matrix instead) -->';
export const regionEnd = '<!-- matrix:end -->';

/** `readme` with everything between the markers replaced by `content`. */
export function replaceRegion(readme: string, content: string): string {
  const start = readme.indexOf(regionStart);
  const end = readme.indexOf(regionEnd);
  if (start === -1 || end === -1 || end < start || readme.indexOf(regionStart, start + 1) !== -1 || readme.indexOf(regionEnd, end + 1) !== -1) {
    throw new MatrixError(
      'ERR_README_MARKERS',
      `README.md needs exactly one pair of lines\n  ${regionStart}\n  ${regionEnd}\nfor the matrix to write between`,
    );
  }
  return `${readme.slice(0, start + regionStart.length)}\n\n${content.trim()}\n\n${readme.slice(end)}`;
}

/**
 * The marked regions `create-interop-module add` writes into: a start and an end line, each once, in a
 * file the templates made (`// create-interop-module add: functions start` … `end`). Each added
 * function puts one block in a region, whose first line describes it (describeSignature), so a block
 * says whose it is. A file whose markers are missing, repeated or out of order is not one `add` can
 * recognise: it refuses rather than guess.
 */
import { GeneratorError } from '../errors.js';

/**
 * @param {string} region
 * @param {'start' | 'end'} edge
 */
export const markerLine = (region, edge) => `// create-interop-module add: ${region} ${edge}`;

/**
 * @typedef {object} Region
 * @property {number} end index of the end marker's line
 * @property {string} indent the start marker's indentation, which blocks take
 * @property {string} inside the lines between the markers, without that indentation
 */

/**
 * @param {string[]} lines
 * @param {string} marker
 */
function lineIndexes(lines, marker) {
  return lines.flatMap((line, index) => (line.trim() === marker ? [index] : []));
}

/**
 * The region named `region` in `text`; GeneratorError ERR_UNRECOGNISED_PACKAGE when its markers are not
 * there exactly once each, in order.
 * @param {string} text
 * @param {string} region
 * @param {string} file for the message
 * @returns {Region}
 */
export function findRegion(text, region, file) {
  const lines = text.split('\n');
  const starts = lineIndexes(lines, markerLine(region, 'start'));
  const ends = lineIndexes(lines, markerLine(region, 'end'));
  const [start] = starts;
  const [end] = ends;
  if (starts.length !== 1 || ends.length !== 1 || start === undefined || end === undefined || end < start) {
    throw new GeneratorError(
      'ERR_UNRECOGNISED_PACKAGE',
      `${file} does not have the lines "${markerLine(region, 'start')}" and "${markerLine(region, 'end')}" once each, in that order, ` +
        'so add cannot tell where its code goes. Restore them as the template had them, or add the function by hand.',
    );
  }
  const indent = /^\s*/.exec(/** @type {string} */ (lines[start]))?.[0] ?? '';
  const inside = lines.slice(start + 1, end).map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line));
  return { end, indent, inside: inside.join('\n') };
}

/**
 * The functions that have a block in the region: the names on their first lines (`// name(`, as
 * describeSignature begins).
 * @param {Region} region
 */
export function regionOwners(region) {
  return [...region.inside.matchAll(/^\/\/ ([a-z][a-zA-Z0-9]*)\(/gm)].map(([, name]) => /** @type {string} */ (name));
}

/**
 * Whether the region holds `block` exactly.
 * @param {Region} region
 * @param {string} block
 */
export function regionHolds(region, block) {
  return `\n${region.inside}\n`.includes(`\n${block}\n`);
}

/**
 * `text` with `block` as the last block of the region.
 * @param {string} text
 * @param {Region} region
 * @param {string} block
 */
export function appendBlock(text, region, block) {
  const lines = text.split('\n');
  // A blank line between blocks; none after the start marker.
  const separated = region.inside.trim() === '' ? block : `\n${block}`;
  const indented = separated.split('\n').map((line) => (line === '' ? '' : `${region.indent}${line}`));
  lines.splice(region.end, 0, ...indented);
  return lines.join('\n');
}

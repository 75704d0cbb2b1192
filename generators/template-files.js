import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { kindManifest } from './kinds.js';

// Build output that appears when a template is built or tested in place; never part of a template.
const buildOutputDirectories = new Set(['node_modules', 'dist', 'target']);
const buildOutputSuffixes = ['.node', '.tgz'];

/**
 * Whether a path inside a template folder is build output rather than template content.
 * @param {string} relativePath
 */
export function isBuildOutput(relativePath) {
  const segments = relativePath.split(/[\\/]/);
  return (
    segments.some((segment) => buildOutputDirectories.has(segment)) ||
    buildOutputSuffixes.some((suffix) => relativePath.endsWith(suffix))
  );
}

/**
 * The template files under `directory`, as sorted paths relative to it, without build output or a
 * kind manifest.
 * @param {string} directory
 * @returns {Promise<string[]>}
 */
export async function listTemplateFiles(directory) {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(directory, path.join(entry.parentPath, entry.name)))
    .filter((file) => !isBuildOutput(file) && file !== kindManifest)
    .sort();
}

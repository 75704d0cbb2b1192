import path from 'node:path';

/**
 * Templates store dot-files under these names because npm drops or honours real dot-files when
 * packing (`.gitignore` is removed, `.npmignore` would filter the template itself), which would
 * break the copy of the templates shipped inside the CLI package.
 */
/** @type {Readonly<Record<string, string>>} */
export const dotfileNames = Object.freeze({
  _gitignore: '.gitignore',
  _npmignore: '.npmignore',
  _github: '.github',
  _changeset: '.changeset',
  _cargo: '.cargo',
});

/** Files ending in this are rendered with handlebars; every other file is copied byte for byte. */
export const templateSuffix = '.hbs';

/**
 * Where a template file lands in the generated package, relative to its root: each path segment
 * named in `dotfileNames` becomes its dot-file, and the `.hbs` suffix is dropped.
 * @param {string} templatePath path relative to a templates/<layer> folder
 * @returns {string}
 */
export function generatedPath(templatePath) {
  const rendered = templatePath.endsWith(templateSuffix)
    ? templatePath.slice(0, -templateSuffix.length)
    : templatePath;
  const segments = rendered
    .split(/[\\/]/)
    .map((segment) => (Object.hasOwn(dotfileNames, segment) ? /** @type {string} */ (dotfileNames[segment]) : segment));
  return path.join(...segments);
}

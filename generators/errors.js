/**
 * The one error type the generators throw on purpose. `code` is stable so callers (the CLI,
 * tests) can branch on it without matching message text.
 *
 * Codes:
 * - ERR_DESTINATION_NOT_EMPTY    the target directory has files and force was not given
 * - ERR_DESTINATION_NOT_DIRECTORY the target path exists and is not a directory
 * - ERR_UNKNOWN_KIND             no templates/<kind> folder for the requested kind
 * - ERR_INVALID_NAME             the npm package name is not valid
 * - ERR_GENERATION_FAILED        an action failed while writing the package
 * - ERR_BAD_TEMPLATE             a kind's kind.json is unreadable or names a layer that does not exist
 */
export class GeneratorError extends Error {
  /**
   * @param {'ERR_DESTINATION_NOT_EMPTY' | 'ERR_DESTINATION_NOT_DIRECTORY' | 'ERR_UNKNOWN_KIND' | 'ERR_INVALID_NAME' | 'ERR_GENERATION_FAILED' | 'ERR_BAD_TEMPLATE'} code
   * @param {string} message
   * @param {{ cause?: unknown }} [options]
   */
  constructor(code, message, options) {
    super(message, options);
    this.name = 'GeneratorError';
    this.code = code;
  }
}

/**
 * Why the generators refused, as a stable `code` callers (the CLI, tests) can branch on without
 * matching message text:
 * - ERR_DESTINATION_NOT_EMPTY     the target directory has files and force was not given
 * - ERR_DESTINATION_NOT_DIRECTORY the target path exists and is not a directory
 * - ERR_UNKNOWN_KIND              no templates/<kind> folder with a kind.json for the requested kind
 * - ERR_INVALID_NAME              the npm package name is not valid
 * - ERR_GENERATION_FAILED         an action failed while writing the package
 * - ERR_BAD_TEMPLATE              a kind's kind.json is unreadable or misstates a fact (see kinds.js),
 *                                 or two kinds each say they are --yes's default
 * The function generator (`add`, function/plan.js), which writes nothing when it refuses:
 * - ERR_INVALID_SIGNATURE         the name, an argument or a type cannot be written (function/signature.js)
 * - ERR_FUNCTION_EXISTS           the package already has something by that name
 * - ERR_UNRECOGNISED_PACKAGE      not a package this tool made, or its marked files were edited beyond the markers
 * @typedef {'ERR_DESTINATION_NOT_EMPTY' | 'ERR_DESTINATION_NOT_DIRECTORY' | 'ERR_UNKNOWN_KIND' | 'ERR_INVALID_NAME' | 'ERR_GENERATION_FAILED' | 'ERR_BAD_TEMPLATE' | 'ERR_INVALID_SIGNATURE' | 'ERR_FUNCTION_EXISTS' | 'ERR_UNRECOGNISED_PACKAGE'} GeneratorErrorCode
 */

/** The one error type the generators throw on purpose. */
export class GeneratorError extends Error {
  /**
   * @param {GeneratorErrorCode} code
   * @param {string} message
   * @param {{ cause?: unknown }} [options]
   */
  constructor(code, message, options) {
    super(message, options);
    this.name = 'GeneratorError';
    /** @readonly */
    this.code = code;
  }
}

/** How the matrix fails. Exit codes: 0 done, 1 a run that failed (these codes) or a bug, 2 a usage mistake. */

export class UsageError extends Error {
  readonly code = 'ERR_USAGE';
  readonly exitCode = 2;

  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type MatrixErrorCode =
  /** Generating, installing or building one of the kinds' packages failed. */
  | 'ERR_PREPARE_FAILED'
  /** Another matrix run held the package cache for too long. */
  | 'ERR_CACHE_LOCKED'
  /** The measuring process failed, timed out, or a package broke the contract. */
  | 'ERR_WORKLOAD_FAILED'
  /** The report came out incomplete or malformed; nothing was written. */
  | 'ERR_REPORT_INVALID'
  /** README.md lacks the markers of the region the matrix rewrites. */
  | 'ERR_README_MARKERS'
  /** The kinds' kind.json do not give the matrix what it needs (one baseline), or a kind has no templates. */
  | 'ERR_KIND_FACTS';

export class MatrixError extends Error {
  readonly exitCode = 1;

  constructor(
    readonly code: MatrixErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MatrixError';
  }
}

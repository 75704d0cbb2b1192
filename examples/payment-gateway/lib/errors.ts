/**
 * The gateway's own error codes. Everything else a call can fail with is an InteropError from the
 * runtime's table (ERR_INVALID_ARG, ERR_TIMEOUT, ERR_PORT_CRASHED, ...); a GatewayError has the same
 * shape — `code`, `message`, `cause` — so callers branch on `error.code` either way.
 */
export const GATEWAY_ERROR_CODES = ['ERR_GATEWAY_REJECTED', 'ERR_GATEWAY_MALFORMED', 'ERR_IDEMPOTENCY_CONFLICT'] as const;

export type GatewayErrorCode = (typeof GATEWAY_ERROR_CODES)[number];

const knownCodes: ReadonlySet<string> = new Set(GATEWAY_ERROR_CODES);

export function isGatewayErrorCode(value: unknown): value is GatewayErrorCode {
  return typeof value === 'string' && knownCodes.has(value);
}

export class GatewayError extends Error {
  readonly code: GatewayErrorCode;
  /** ERR_GATEWAY_REJECTED: the legacy SDK's status, e.g. GW_AMOUNT_EXCEEDED. */
  readonly gatewayStatus: string | undefined;

  constructor(code: GatewayErrorCode, message: string, options?: { gatewayStatus?: string; cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.gatewayStatus = options?.gatewayStatus;
  }
}

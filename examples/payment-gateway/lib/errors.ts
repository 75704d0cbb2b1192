/**
 * The gateway's own error codes. The port answers with them as error replies (src/payments.rs), and
 * registering them here, before any call, is what lets the runtime's supervisor pass them on instead of
 * taking them for a protocol error. Everything else a call can fail with is from the runtime's table
 * (ERR_INVALID_ARG, ERR_TIMEOUT, ERR_PORT_CRASHED, ...); callers branch on `error.code` either way.
 */
import { InteropError, isInteropError, registerErrorCodes } from '@interop-module/runtime';

export const GATEWAY_ERROR_CODES = registerErrorCodes(['ERR_GATEWAY_REJECTED', 'ERR_GATEWAY_MALFORMED', 'ERR_IDEMPOTENCY_CONFLICT']);

export type GatewayErrorCode = (typeof GATEWAY_ERROR_CODES)[number];

const gatewayCodes: ReadonlySet<string> = new Set(GATEWAY_ERROR_CODES);

function isGatewayErrorCode(code: string): code is GatewayErrorCode {
  return gatewayCodes.has(code);
}

/** An InteropError with one of the gateway's codes. */
export class GatewayError extends InteropError {
  declare readonly code: GatewayErrorCode;
  /** ERR_GATEWAY_REJECTED: the legacy SDK's status, e.g. GW_AMOUNT_EXCEEDED. */
  readonly gatewayStatus: string | undefined;

  constructor(code: GatewayErrorCode, message: string, options?: { gatewayStatus?: string; cause?: unknown }) {
    super(code, message, { cause: options?.cause });
    this.name = 'GatewayError';
    this.gatewayStatus = options?.gatewayStatus;
  }
}

/** The SDK's status ends an ERR_GATEWAY_REJECTED message (src/payments.rs, `refused`). */
const rejectedStatus = /: (GW_[A-Z_]+)$/;

/** An error reply from the port with one of the gateway's codes, as a GatewayError; anything else as it is. */
export function toGatewayError(error: unknown): unknown {
  if (!isInteropError(error) || !isGatewayErrorCode(error.code)) return error;
  const gatewayStatus = error.code === 'ERR_GATEWAY_REJECTED' ? rejectedStatus.exec(error.message)?.[1] : undefined;
  return new GatewayError(error.code, error.message, { gatewayStatus });
}

/**
 * @interop-module/example-payment-gateway: payments through a crash-prone legacy C SDK, kept in a
 * supervised child process, with a durable journal that makes every retry safe. See README.md.
 */
export { Gateway } from './gateway.js';
export type {
  AuthorizeRequest,
  FollowUpRequest,
  GatewayEvents,
  GatewayOptions,
  Operation,
  PaymentResult,
  RetryEvent,
} from './gateway.js';
export { GATEWAY_ERROR_CODES, GatewayError } from './errors.js';
export type { GatewayErrorCode } from './errors.js';
export { sandboxCards } from './sandbox-cards.js';
export { InteropError } from '@interop-module/runtime';
export type { CallOptions } from '@interop-module/runtime';

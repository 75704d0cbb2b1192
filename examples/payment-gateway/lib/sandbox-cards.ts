/**
 * The sandbox's test cards, as legacy/gateway.h lists them. All pass the Luhn check, so they reach
 * the gateway; any other valid number is approved.
 */
export const sandboxCards = {
  approved: '4111111111111111',
  declined: '4000000000001000',
  /** The SDK dereferences NULL before charging: the port dies with SIGSEGV. */
  crashBeforeCharge: '4000000000002008',
  /** The SDK charges, then dereferences NULL before returning: the charge stands, the reply is lost. */
  crashAfterCharge: '4000000000003006',
  /** The SDK sleeps for an hour before charging. */
  hang: '4000000000004004',
  /** The SDK reports GW_OK with an unterminated, out-of-spec transaction id. */
  garbage: '4000000000005001',
} as const;

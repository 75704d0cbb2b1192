/** A port's options: what each means, its default, and the check that turns a bad one into ERR_INVALID_ARG. */
import { InteropError } from '../errors.js';
import { maxDeclarableFrameBytes } from './framing.js';

export interface RestartPolicy {
  /** First backoff delay; doubled for each restart in the current window, jittered down to half. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** The intensity limit, as OTP's: more than `maxRestarts` within `withinMs` opens the circuit. */
  maxRestarts?: number;
  withinMs?: number;
  /** How long an open circuit refuses calls before one trial call is let through. */
  cooldownMs?: number;
}

export interface PortOptions {
  /** The executable, spawned directly with `args` (never through a shell). */
  command: string;
  args?: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** Largest frame payload accepted or sent, in bytes. Default 16 MiB. */
  maxFrameBytes?: number;
  /** Calls sent to the child and not yet answered. Default 256. */
  maxInFlight?: number;
  /** At `maxInFlight`: queue the call (default) or reject it with ERR_BACKPRESSURE. */
  whenFull?: 'wait' | 'reject';
  /**
   * How long the child may take to answer a call after its cancel (abort or timeout). A child that has
   * not answered by then is stuck (e.g. in a blocking library call), holding an in-flight slot for good:
   * it is killed and restarted, and its other calls in flight fail with ERR_PORT_CRASHED. Default 1000.
   */
  cancelGraceMs?: number;
  restart?: RestartPolicy;
  /** How long close() waits for calls in flight, and then for the child to exit after each signal. */
  closeGraceMs?: number;
  /** How much of the child's stderr is kept for crash reports. Default 8 KiB. */
  stderrTailBytes?: number;
}

export type ResolvedPortOptions = Required<Omit<PortOptions, 'env' | 'restart'>> & {
  env: NodeJS.ProcessEnv | undefined;
  restart: Required<RestartPolicy>;
};

const defaults = {
  maxFrameBytes: 16 * 1024 * 1024,
  maxInFlight: 256,
  closeGraceMs: 2000,
  cancelGraceMs: 1000,
  stderrTailBytes: 8 * 1024,
  initialDelayMs: 10,
  maxDelayMs: 2000,
  maxRestarts: 5,
  withinMs: 10_000,
  cooldownMs: 5000,
};

function integerOption(name: string, value: number | undefined, fallback: number, min = 0): number {
  const chosen = value ?? fallback;
  if (!Number.isInteger(chosen) || chosen < min) {
    throw new InteropError('ERR_INVALID_ARG', `${name} must be an integer ≥ ${min}, got ${String(value)}`);
  }
  return chosen;
}

/** `options` with every default filled in; throws ERR_INVALID_ARG naming the first bad one. */
export function resolvePortOptions(options: PortOptions): ResolvedPortOptions {
  if (typeof options?.command !== 'string' || options.command === '') {
    throw new InteropError('ERR_INVALID_ARG', 'command must be the path of the port executable');
  }
  const maxFrameBytes = integerOption('maxFrameBytes', options.maxFrameBytes, defaults.maxFrameBytes, 16);
  if (maxFrameBytes > maxDeclarableFrameBytes) {
    throw new InteropError('ERR_INVALID_ARG', `maxFrameBytes must be at most ${maxDeclarableFrameBytes} (a u32 header)`);
  }
  const maxInFlight = integerOption('maxInFlight', options.maxInFlight, defaults.maxInFlight, 1);
  if (options.whenFull !== undefined && options.whenFull !== 'wait' && options.whenFull !== 'reject') {
    throw new InteropError('ERR_INVALID_ARG', `whenFull must be 'wait' or 'reject', got ${String(options.whenFull)}`);
  }
  const restart = options.restart ?? {};
  return {
    command: options.command,
    args: [...(options.args ?? [])],
    env: options.env,
    maxFrameBytes,
    maxInFlight,
    whenFull: options.whenFull ?? 'wait',
    cancelGraceMs: integerOption('cancelGraceMs', options.cancelGraceMs, defaults.cancelGraceMs, 1),
    closeGraceMs: integerOption('closeGraceMs', options.closeGraceMs, defaults.closeGraceMs),
    stderrTailBytes: integerOption('stderrTailBytes', options.stderrTailBytes, defaults.stderrTailBytes),
    restart: {
      initialDelayMs: integerOption('restart.initialDelayMs', restart.initialDelayMs, defaults.initialDelayMs),
      maxDelayMs: integerOption('restart.maxDelayMs', restart.maxDelayMs, defaults.maxDelayMs),
      maxRestarts: integerOption('restart.maxRestarts', restart.maxRestarts, defaults.maxRestarts),
      withinMs: integerOption('restart.withinMs', restart.withinMs, defaults.withinMs, 1),
      cooldownMs: integerOption('restart.cooldownMs', restart.cooldownMs, defaults.cooldownMs),
    },
  };
}

import { constants } from 'node:os';

/** Signals that stop the CLI the way Ctrl-C does (SIGHUP: the terminal closed; SIGTERM: asked to stop). */
const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * An AbortSignal that aborts, with the signal's name as its reason, when the process gets one of
 * the stop signals. While it is installed those signals no longer end the process at once, so
 * the CLI can end what it started and say what is left; `dispose` restores the defaults.
 */
export function abortOnStopSignals(target: Pick<NodeJS.Process, 'on' | 'off'> = process): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => controller.abort(name);
  for (const name of stopSignals) target.on(name, onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      for (const name of stopSignals) target.off(name, onSignal);
    },
  };
}

/** The signal an aborted AbortSignal stands for: its reason when that names a signal, else SIGINT. */
export function stopSignalOf(signal: AbortSignal): NodeJS.Signals {
  const reason: unknown = signal.reason;
  return typeof reason === 'string' && Object.hasOwn(constants.signals, reason) ? (reason as NodeJS.Signals) : 'SIGINT';
}

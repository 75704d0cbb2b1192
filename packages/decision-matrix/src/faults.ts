/**
 * Which faults the matrix stages for a kind, decided by the crash modes its kind.json lists rather than
 * by its name. The in-process fault is the first crash mode the kind survives; a kind with none has only
 * an ordinary rejected call to recover from. A kind that can `exit` runs in a process of its own, which
 * the process-death drill kills.
 */
import type { KindFacts } from '../../../generators/kinds.js';

export interface InProcessFault {
  /** The crash mode crash() is called with; undefined: the fault is a rejected call instead. */
  mode: string | undefined;
  /** The InteropError code the fault rejects with. */
  expectedCode: string;
  /** What happens, for the report's footnote. */
  scenario: string;
}

/** Crash modes a kind survives in-process, preferred first (see the contract's crash triggers). */
const survivableModes: readonly (InProcessFault & { mode: string })[] = [
  {
    mode: 'panic',
    expectedCode: 'ERR_NATIVE_PANIC',
    scenario: "crash('panic'): a Rust panic, caught where the Rust code is called (ERR_NATIVE_PANIC), then the next call on the crash-enabled build",
  },
  {
    mode: 'trap',
    expectedCode: 'ERR_WASM_TRAP',
    scenario: "crash('trap'): a WebAssembly trap (ERR_WASM_TRAP) drops the instance, then the next call on the crash-enabled build, on a fresh one",
  },
];

const rejectedCall: InProcessFault = {
  mode: undefined,
  expectedCode: 'ERR_INVALID_ARG',
  scenario: 'no crash mode it survives in-process: a rejected call (ERR_INVALID_ARG), then the next call',
};

export function inProcessFault(facts: KindFacts): InProcessFault {
  return survivableModes.find(({ mode }) => facts.crashModes.includes(mode)) ?? rejectedCall;
}

/** The crash mode in which the kind's own process exits while the host lives on. */
const processExitMode = 'exit';

export function hasProcessOfItsOwn(facts: KindFacts): boolean {
  return facts.crashModes.includes(processExitMode);
}

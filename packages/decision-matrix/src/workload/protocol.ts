/** What the parent and the measuring child say to each other over the fork() IPC channel. */
import type { WorkloadSettings } from '../args.js';
import type { Kind, MeasurementId, Subject } from '../metrics.js';

export interface WorkloadConfig {
  /** Each kind's generated package folder. */
  packages: Record<Kind, string>;
  settings: WorkloadSettings;
}

/** Per metric id, per subject: one number per round, in milliseconds. */
export type Samples = Record<string, Partial<Record<Subject, number[]>>>;

export interface StepMessage {
  type: 'step';
  /** Steps finished before this one; `total` in all. */
  done: number;
  total: number;
  round: number;
  measurement: MeasurementId | 'warm-up';
  subject: Subject;
}

export type ChildMessage = StepMessage | { type: 'done'; samples: Samples } | { type: 'failed'; message: string };

export { measureEventLoopDelay } from './event-loop-delay.js';
export type { EventLoopDelayReport } from './event-loop-delay.js';
export { runInChild } from './run-in-child.js';
export type { ChildOutcome, RunInChildOptions } from './run-in-child.js';
export { measureRssGrowth } from './rss-growth.js';
export type { RssGrowthOptions } from './rss-growth.js';
export { isProcessRunning, stillRunningAfter } from './processes.js';

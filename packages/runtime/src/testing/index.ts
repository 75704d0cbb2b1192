export { measureCallRate } from './call-rate.js';
export type { CallRate, CallRateOptions } from './call-rate.js';
export { measureEventLoopBlocking, sampleEventLoopBlocking } from './event-loop-blocking.js';
export type { BlockingClock, BlockingSamples, EventLoopBlockingReport } from './event-loop-blocking.js';
export { runInChild } from './run-in-child.js';
export type { ChildOutcome, RunInChildOptions } from './run-in-child.js';
export { measureRssGrowth } from './rss-growth.js';
export type { RssGrowthOptions } from './rss-growth.js';
export { childProcessIds, isProcessRunning, stillRunningAfter } from './processes.js';

import { readdirSync, readFileSync } from 'node:fs';

/** Running, as opposed to gone or a zombie (dead, waiting for a reaper that may be slow in a container). */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  try {
    // /proc/<pid>/stat: "pid (comm) state ..."; the command may contain spaces, the state follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Waits up to `withinMs` for every pid to be gone; returns the ones still running (orphans, in a test). */
export async function stillRunningAfter(pids: Iterable<number>, withinMs: number): Promise<number[]> {
  const started = performance.now();
  let running = [...pids].filter(isProcessRunning);
  while (running.length > 0 && performance.now() - started < withinMs) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    running = running.filter(isProcessRunning);
  }
  return running;
}

/** The pids of this process's own children, from every thread's /proc entry (Linux; elsewhere none are listed). */
export function childProcessIds(): number[] {
  if (process.platform !== 'linux') return [];
  try {
    return readdirSync('/proc/self/task').flatMap((task) =>
      readFileSync(`/proc/self/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

/** What a toolchain check reads from the machine; tests pass a fake one. */
export interface MachineProbe {
  /** A command's trimmed stdout, or undefined when it is missing, fails or runs longer than 20 s. */
  output(command: string, args: readonly string[]): string | undefined;
  exists(file: string): boolean;
  /** A directory's entries; none when it does not exist. */
  list(directory: string): readonly string[];
}

/** This machine. */
export const machine: MachineProbe = {
  output(command, args) {
    try {
      return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000 }).trim();
    } catch {
      return undefined;
    }
  },
  exists: (file) => existsSync(file),
  list: (directory) => (existsSync(directory) ? readdirSync(directory) : []),
};

/** Where `command` is on PATH, or undefined. */
export function onPath(probe: MachineProbe, command: string): string | undefined {
  return probe.output('sh', ['-c', `command -v ${command}`]) || undefined;
}

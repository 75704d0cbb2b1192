/**
 * A local npm registry for tests: Verdaccio (registry-server.mjs) on 127.0.0.1 and a free port, its
 * storage in the directory the test gives, stopped by `stop()`. Packages matching `localPackages`
 * live only here (published by the test, never looked up elsewhere); every other name is proxied to
 * the registry npm is configured with on this machine, read when the registry starts.
 *
 * `env` points npm at it for child processes: the registry, a user config of its own (with a dummy
 * token: local packages take anonymous publishes, and npm wants a token to publish at all), and an npm
 * cache whose package contents are the machine's (`_cacache`, shared, so tarballs npm has already
 * downloaded are not fetched again) but whose npx installs are not (`_npx`, fresh, so `npx <name>`
 * installs what this registry serves, never an older install of the same version).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const serverEntry = fileURLToPath(new URL('./registry-server.mjs', import.meta.url));
const startTimeoutMs = 60_000;
const stopTimeoutMs = 10_000;

export interface LocalRegistry {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  /** The registry npm was configured with, which this one proxies for every name not local. */
  uplink: string;
  /** Variables that point npm (and npx) at this registry; add them to a child's environment. */
  env: Record<string, string>;
  /** Where Verdaccio writes its log (warnings and errors). */
  logFile: string;
  /** Stops the registry and waits for its process to end. Idempotent. */
  stop(): Promise<void>;
}

export interface RegistryOptions {
  /** An empty directory for the registry's storage, config, log and npm settings. */
  directory: string;
  /** Package name patterns served only from here (Verdaccio's: `demo-*`, `@scope/*`). */
  localPackages: readonly string[];
  /** The environment npm is asked for its settings with (the test's, without an outer npm's npm_* variables). */
  env: NodeJS.ProcessEnv;
}

/** `npm config get <key>` as this machine's npm sees it outside any project. */
async function npmConfig(key: string, options: RegistryOptions): Promise<string> {
  const { stdout } = await promisify(execFile)('npm', ['config', 'get', key], { cwd: options.directory, env: options.env });
  return stdout.trim();
}

/** Verdaccio's configuration (JSON, which is YAML too). */
function verdaccioConfig(directory: string, uplink: string, localPackages: readonly string[]) {
  const local = { access: '$all', publish: '$anonymous', unpublish: '$anonymous' };
  return {
    storage: path.join(directory, 'storage'),
    auth: { htpasswd: { file: path.join(directory, 'htpasswd'), max_users: -1 } },
    uplinks: { upstream: { url: uplink, timeout: '60s', maxage: '10m' } },
    packages: {
      ...Object.fromEntries(localPackages.map((pattern) => [pattern, local])),
      '**': { access: '$all', proxy: 'upstream' },
    },
    web: { enable: false },
    // Generated packages' platform binaries and the CLI's assets are well under this.
    max_body_size: '200mb',
    log: { type: 'file', path: path.join(directory, 'verdaccio.log'), level: 'warn' },
  };
}

/** Resolves with the port the server prints; rejects if it exits or says nothing within the bound. */
function portOf(child: ChildProcess, logFile: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Verdaccio did not start within ${startTimeoutMs} ms; see ${logFile}`)), startTimeoutMs);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Verdaccio exited (${code}) before listening:\n${stderr}`));
    });
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { port: number }).port);
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

export async function startRegistry(options: RegistryOptions): Promise<LocalRegistry> {
  const { directory } = options;
  await mkdir(directory, { recursive: true });
  const [uplink, machineCache, cafile] = [await npmConfig('registry', options), await npmConfig('cache', options), await npmConfig('cafile', options)];
  const configFile = path.join(directory, 'config.yaml');
  const logFile = path.join(directory, 'verdaccio.log');
  await writeFile(configFile, `${JSON.stringify(verdaccioConfig(directory, uplink, options.localPackages), null, 2)}\n`);

  // Verdaccio reaches the uplink with Node's TLS, which knows only its own CAs: it trusts what npm is
  // configured to trust (a machine behind a TLS-inspecting proxy sets cafile; turbo's strict env mode drops
  // NODE_EXTRA_CA_CERTS, so it is not inherited there).
  const trustsNpmCa = cafile !== '' && cafile !== 'null' && options.env['NODE_EXTRA_CA_CERTS'] === undefined;
  const serverEnv = trustsNpmCa ? { ...options.env, NODE_EXTRA_CA_CERTS: cafile } : options.env;
  const child = spawn(process.execPath, [serverEntry, configFile], { cwd: directory, env: serverEnv, stdio: ['pipe', 'pipe', 'pipe'] });
  let port: number;
  try {
    port = await portOf(child, logFile);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const url = `http://127.0.0.1:${port}/`;

  const userConfig = path.join(directory, 'npmrc');
  await writeFile(userConfig, `registry=${url}\n//127.0.0.1:${port}/:_authToken=local-registry-dummy-token\n`);
  const cache = path.join(directory, 'npm-cache');
  await mkdir(cache, { recursive: true });
  await mkdir(path.join(machineCache, '_cacache'), { recursive: true });
  await symlink(path.join(machineCache, '_cacache'), path.join(cache, '_cacache'));

  let stopping: Promise<void> | undefined;
  return {
    url,
    uplink,
    logFile,
    env: {
      npm_config_registry: url,
      npm_config_userconfig: userConfig,
      npm_config_cache: cache,
      // Metadata is always asked for again (this registry's port, and so its URLs, are new each run).
      npm_config_prefer_online: 'true',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    },
    stop() {
      stopping ??= (async () => {
        const gone = exited(child);
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
        await gone;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}

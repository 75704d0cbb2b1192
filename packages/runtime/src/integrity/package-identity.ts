import { filePath, nodeFs, nodePath } from './node.js';

export interface PackageIdentity {
  name: string;
  version: string;
  /** `name@version`, as messages name the package. */
  label: string;
}

const identities = new Map<string, PackageIdentity>();

/** Who the package at `packageRoot` is (its package.json), for messages and the override's variable; read once. */
export function packageIdentity(packageRoot: string | URL): PackageIdentity {
  const root = nodePath().resolve(filePath(packageRoot));
  let identity = identities.get(root);
  if (identity === undefined) {
    const { name, version } = JSON.parse(nodeFs().readFileSync(nodePath().join(root, 'package.json'), 'utf8')) as { name: string; version: string };
    identity = { name, version, label: `${name}@${version}` };
    identities.set(root, identity);
  }
  return identity;
}

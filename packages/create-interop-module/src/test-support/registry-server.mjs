// Verdaccio in a process of its own, started by registry.ts: `node registry-server.mjs <config.yaml>`.
// Listens on 127.0.0.1 on a port the system picks, prints `{"port":N}` once it does, and exits on
// SIGTERM or when its stdin closes — which happens however the test process ends, so a killed test
// run leaves no registry behind.
import { runServer } from 'verdaccio';

const configFile = process.argv[2];
if (configFile === undefined) {
  console.error('usage: node registry-server.mjs <config.yaml>');
  process.exit(2);
}

const server = await runServer(configFile);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});

function stop() {
  server.closeAllConnections();
  server.close(() => process.exit(0));
  // Bounded: an upstream request that never ends must not keep the registry alive.
  setTimeout(() => process.exit(0), 2_000).unref();
}
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();

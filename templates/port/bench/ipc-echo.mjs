// The other end of the IPC rows in bench.mjs: echoes every message over Node's IPC channel.
process.on('message', (message) => process.send(message));
process.on('disconnect', () => process.exit(0));

'use strict';
const { createServer } = require('node:net');

// Ports from below the kernel's ephemeral range (Linux 32768-60999, others from 49152): a port
// taken from that range can be grabbed by some client's outgoing socket between this check and
// the listen. Never the same port twice in one process.
const FROM = 20_000;
const TO = 32_000;
const handedOut = new Set();

/** A port on 127.0.0.1 that nothing listens on now, for a server this process is about to start. */
async function freePort() {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = FROM + Math.floor(Math.random() * (TO - FROM));
    if (handedOut.has(port)) continue;
    // Taken before the check, so calls made side by side never pick the same port.
    handedOut.add(port);
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port between ${FROM} and ${TO}`);
}

function canListen(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

module.exports = { freePort };

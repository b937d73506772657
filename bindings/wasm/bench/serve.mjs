// The static server the browser benches use: `bindings/wasm` (demo/ and pkg/) on 127.0.0.1, a free port.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, resolve, dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `bindings/wasm`, which the server serves. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm' };

/** Start serving; resolves with the server and the demo page's URL (close the server when done). */
export async function serveDemo() {
  const server = createServer(async (req, res) => {
    try {
      const path = resolve(ROOT, '.' + decodeURIComponent(new URL(req.url, 'http://x').pathname));
      if (!path.startsWith(ROOT + sep)) throw new Error('outside');
      res.writeHead(200, { 'content-type': TYPES[extname(path)] || 'application/octet-stream' }).end(await readFile(path));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, url: `http://127.0.0.1:${server.address().port}/demo/index.html` };
}

// `deno task site:serve`: serves the built playground (site/dist/) on http://127.0.0.1:8000/.
// A tiny static file server (node:http, so it runs on Deno, Node and Bun alike); any other
// static server does the same job. Options: --dir DIR, --port N (0: any free port), --host H.
// Prints "serving DIR at URL" once listening.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import process from "node:process";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8", // Pyodide's modules (python/pyodide/)
  ".wasm": "application/wasm",
  ".zip": "application/zip",
  ".py": "text/plain; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".csv": "text/csv; charset=utf-8",
  ".yaml": "text/plain; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const root = resolve(option("dir", fileURLToPath(new URL("dist", import.meta.url))));
const port = Number(option("port", "8000"));
const host = option("host", "127.0.0.1");

try {
  await stat(join(root, "index.html"));
} catch {
  process.stderr.write(`no ${join(root, "index.html")}: run \`deno task site:build\` first\n`);
  process.exit(2);
}

const server = createServer(async (req, res) => {
  const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
  const file = normalize(join(root, path.endsWith("/") ? `${path}index.html` : path));
  if (file !== root && !file.startsWith(root + sep)) {
    res.writeHead(403).end("forbidden\n");
    return;
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "cache-control": "no-cache",
    });
    res.end(req.method === "HEAD" ? undefined : body);
  } catch {
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n");
  }
});
server.listen(port, host, () => {
  const address = server.address();
  const actual = typeof address === "object" && address ? address.port : port;
  process.stdout.write(`serving ${root} at http://${host}:${actual}/\n`);
});

// Copy TF.js's wasm backend binaries under public/ so the browser worker can load them offline
// (setWasmPaths("/tfjs-wasm/")). Runs before `next build`.
import fs from "node:fs";
import path from "node:path";

const src = path.resolve("node_modules/@tensorflow/tfjs-backend-wasm/dist");
const dst = path.resolve("public/tfjs-wasm");
fs.mkdirSync(dst, { recursive: true });
const files = fs.readdirSync(src).filter((f) => f.endsWith(".wasm"));
for (const f of files) fs.copyFileSync(path.join(src, f), path.join(dst, f));
console.log(`copied ${files.length} TF.js wasm files to public/tfjs-wasm/`);

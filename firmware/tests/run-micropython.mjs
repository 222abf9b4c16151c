// Runs the firmware's logic tests under real MicroPython (the WebAssembly port, pinned in
// package-lock.json). The port's own command line exits 0 even when Python raises, so this runner
// loads the files into the interpreter's virtual filesystem, runs tests/mpy/mptest.py and exits
// non-zero on any failure, on any uncaught Python error and when no test ran at all.
//
//   node tests/run-micropython.mjs [test_module ...]
import { loadMicroPython } from "@micropython/micropython-webassembly-pyscript";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const firmware = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const protocolDir = path.resolve(firmware, "..", "docs", "protocol");
// Small on purpose: an ESP32-S3 without PSRAM has a few hundred KB of Python heap.
const HEAP_BYTES = 512 * 1024;

function copyTree(mp, from, to) {
  mp.FS.mkdirTree(to);
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = `${to}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== "__pycache__") copyTree(mp, src, dst);
    } else if (/\.(py|json)$/.test(entry.name)) {
      mp.FS.writeFile(dst, fs.readFileSync(src));
    }
  }
}

function listTests() {
  return fs.readdirSync(path.join(firmware, "tests", "mpy"))
    .filter((f) => /^test_.*\.py$/.test(f))
    .map((f) => f.slice(0, -3))
    .sort();
}

async function main() {
  const wanted = process.argv.slice(2);
  const modules = wanted.length ? wanted : listTests();
  const mp = await loadMicroPython({
    heapsize: HEAP_BYTES,
    stdout: (line) => process.stdout.write(line + "\n"),
    stderr: (line) => process.stderr.write(line + "\n"),
  });
  // /lib as on the board; /board holds boot.py and main.py, /zones the example configs.
  copyTree(mp, path.join(firmware, "device", "lib"), "/lib");
  copyTree(mp, path.join(firmware, "device"), "/board");
  copyTree(mp, path.join(firmware, "zones"), "/zones");
  copyTree(mp, path.join(firmware, "tests", "mpy"), "/tests");
  copyTree(mp, protocolDir, "/protocol");

  const started = Date.now();
  let passed = 0;
  let failed = 0;
  try {
    mp.runPython(
      "import sys\nsys.path.insert(0, '/tests')\nsys.path.insert(1, '/lib')\nimport mptest\n" +
        `_passed, _failed = mptest.run(${JSON.stringify(modules)})\n`,
    );
    passed = mp.globals.get("_passed");
    failed = mp.globals.get("_failed");
  } catch (e) {
    if (e && e.name === "PythonError") {
      process.stderr.write(`MicroPython error outside any test: ${e.type}\n${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(`MicroPython ${modules.length} modules, ${seconds} s\n`);
  if (passed + failed === 0) {
    process.stderr.write("no test ran\n");
    process.exit(3);
  }
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((e) => {
  process.stderr.write(`runner failed: ${e && e.stack ? e.stack : e}\n`);
  process.exit(4);
});

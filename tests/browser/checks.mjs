// The checks of the browser suites: one line per check, a summary, and the exit code.

let passed = 0;
let failed = 0;

/** Run one named check; a thrown error fails it (and the suite) without stopping the others. */
export async function check(name, fn) {
  try {
    await fn();
    passed += 1;
    console.log(`ok     ${name}`);
  } catch (e) {
    failed += 1;
    console.log(`FAILED ${name}\n       ${String(e && e.stack || e).split('\n').slice(0, 4).join('\n       ')}`);
  }
}

export function assert(cond, message) {
  if (!cond) throw new Error(message);
}

/** Print "N passed, N failed" and exit: non-zero on a failure. */
export function finish() {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

// `opsbook serve` in headless Chromium: a served page reloads by itself after an edit, shows the
// errors overlay while a file is broken, and loses it once the file is fixed.
//
// Usage: node serve.mjs OPSBOOK_BINARY HANDBOOK_DIR (a copy: the test edits its files).
// Prints one line per check and ends with "N passed, N failed"; exits non-zero on a failure.
// Every wait is bounded; the server is stopped (SIGINT, as Ctrl-C) at the end.

import { chromium } from 'playwright-core';
import { assert, check, finish } from './checks.mjs';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const [binary, root] = process.argv.slice(2).map((p) => p && resolve(p));
if (!binary || !root) {
  console.error('usage: node serve.mjs OPSBOOK_BINARY HANDBOOK_DIR');
  process.exit(2);
}

// Start the server on a free port and read its address from the line it prints.
const server = spawn(binary, ['serve', '--root', root, '--port', '0', '--today', '2026-11-23'], {
  stdio: ['ignore', 'ignore', 'pipe'],
});
let log = '';
const url = await new Promise((ok, fail) => {
  const timer = setTimeout(() => fail(new Error(`no address within 120 s:\n${log}`)), 120_000);
  server.stderr.on('data', (chunk) => {
    log += chunk;
    const m = log.match(/serving at (http:\/\/\S+)/);
    if (m) {
      clearTimeout(timer);
      ok(m[1]);
    }
  });
  server.on('exit', (code) => fail(new Error(`opsbook serve exited with ${code}:\n${log}`)));
});
console.log(`-- ${url}`);

// Chromium's profile: a temporary folder, removed once the browser is closed.
const profile = mkdtempSync(join(tmpdir(), 'opsbook-chromium-serve-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
const page = context.pages()[0] || await context.newPage();

function edit(rel, from, to) {
  const file = join(root, rel);
  const text = readFileSync(file, 'utf8');
  assert(text.includes(from), `${rel} holds ${from}`);
  writeFileSync(file, text.replace(from, to));
}

// The page reloaded when a marker set on the old document is gone.
async function reloaded(what) {
  await page.waitForFunction(() => !window.__opsbookMark, null, { timeout: 30_000 })
    .catch(() => { throw new Error(`the page did not reload after ${what}`); });
  await page.waitForLoadState('load');
}
async function mark() {
  await page.evaluate(() => { window.__opsbookMark = true; });
}

const item = 'roadmap/audit-log.md';
const itemPage = new URL('roadmap/audit-log.html', url).href;

await check('a served page reloads by itself after an edit', async () => {
  await page.goto(itemPage);
  const before = await page.locator('h1').innerText();
  const title = readFileSync(join(root, item), 'utf8').match(/^title: (.*)$/m)[1];
  assert(before === title.replace(/^"|"$/g, ''), `heading ${before}`);
  await mark();
  edit(item, `title: ${title}`, 'title: Audit log, edited live');
  await reloaded('the title edit');
  assert((await page.locator('h1').innerText()) === 'Audit log, edited live', 'new heading');
});

await check('a broken file shows the errors overlay; the fix clears it', async () => {
  await mark();
  edit(item, 'status: ', 'status: [');
  await reloaded('breaking the frontmatter');
  const overlay = page.locator('#opsbook-serve-errors');
  assert(await overlay.count() === 1, 'overlay shown');
  const text = await overlay.innerText();
  assert(text.includes(`${item}:`) && text.includes('frontmatter-invalid'), `overlay: ${text}`);
  assert((await page.locator('h1').innerText()) === 'Audit log, edited live', 'last good page kept');
  await mark();
  edit(item, 'status: [', 'status: ');
  await reloaded('the fix');
  assert(await page.locator('#opsbook-serve-errors').count() === 0, 'overlay gone');
});

await context.close();
rmSync(profile, { recursive: true, force: true });
server.kill('SIGINT');
const code = await new Promise((ok) => {
  const timer = setTimeout(() => { server.kill('SIGKILL'); ok('killed'); }, 20_000);
  server.on('exit', (c) => { clearTimeout(timer); ok(c); });
});
await check('Ctrl-C stops the server cleanly', async () => {
  assert(code === 0, `exit ${code}:\n${log}`);
  assert(log.includes('the temporary site is removed'), log);
});

finish();

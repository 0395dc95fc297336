// End-to-end checks of a built opsbook site in headless Chromium (driven by playwright-core):
// the site opened from file:// and from a local static server under /handbook/, clicking from
// the board to an item and its owner, the board filters, search, screenshots, axe-core on every
// page, and no request leaving the machine.
//
// Usage: node run.mjs WWW_DIR OUT_DIR, with the site built into WWW_DIR/handbook/ (with
// `--base-url http://localhost/handbook/`, so that 404.html links from /handbook/).
// Prints one line per check and ends with "N passed, N failed"; exits non-zero on a failure.

import { chromium } from 'playwright-core';
import { assert, check, finish } from './checks.mjs';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync, readFileSync, readdirSync, statSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, extname, resolve, relative, sep } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const www = resolve(process.argv[2] || '');
const site = join(www, 'handbook');
const out = resolve(process.argv[3] || join(here, 'output'));
if (!process.argv[2] || !existsSync(join(site, 'index.html'))) {
  console.error('usage: node run.mjs WWW_DIR OUT_DIR (WWW_DIR/handbook/ must hold a built site)');
  process.exit(2);
}
mkdirSync(out, { recursive: true });

const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// A static server for WWW_DIR (the site is under /handbook/), with 404.html for missing files.
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.xml': 'application/xml', '.png': 'image/png', '.svg': 'image/svg+xml',
};
function serve() {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const path = decodeURIComponent(url.pathname);
    let file = resolve(www, '.' + path);
    if (file !== www && !file.startsWith(www + sep)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404, { 'content-type': TYPES['.html'] }).end(readFileSync(join(site, '404.html')));
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

function pages(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) found.push(...pages(p));
    else if (name.endsWith('.html')) found.push(relative(site, p).split(sep).join('/'));
  }
  return found.sort();
}

const server = await serve();
const httpBase = `http://127.0.0.1:${server.address().port}/handbook/`;
const fileBase = pathToFileURL(site).href + '/';
// Chromium's profile: a temporary folder, removed once the browser is closed.
const profile = mkdtempSync(join(tmpdir(), 'opsbook-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: FLAGS,
  viewport: { width: 1400, height: 1000 },
});

// Every request must stay on this machine: file:// or the local server.
const outside = [];
const consoleErrors = [];
context.on('request', (r) => {
  const u = r.url();
  if (!u.startsWith('file:') && !u.startsWith(httpBase.replace('/handbook/', '/')) && !u.startsWith('data:')) outside.push(u);
});
context.on('page', (p) => p.on('pageerror', (e) => consoleErrors.push(`${p.url()}: ${e.message}`)));

const page = context.pages()[0] || await context.newPage();
page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));

for (const [label, base] of [['file://', fileBase], ['http /handbook/', httpBase]]) {
  await check(`${label}: board → item → owner`, async () => {
    await page.goto(base + 'roadmap/index.html');
    assert((await page.locator('h1').innerText()) === 'Roadmap', 'board heading');
    const card = page.locator('#col-now .card-title').first();
    const title = await card.innerText();
    await card.click();
    await page.waitForURL(/roadmap\/[a-z0-9-]+\.html$/);
    assert((await page.locator('h1').innerText()) !== '', 'item heading');
    assert(title.length > 0 && (await page.title()).includes(title), `item page of ${title}`);
    const owner = page.locator('.facts dt:text-is("Owner") + dd a');
    const name = await owner.innerText();
    await owner.click();
    await page.waitForURL(/\/(people|roles|teams)\/[a-z0-9-]+\.html$/);
    assert((await page.locator('h1').innerText()) === name, `owner page of ${name}`);
  });

  await check(`${label}: board filters work in place`, async () => {
    await page.goto(base + 'roadmap/index.html');
    const all = await page.locator('.board .card').count();
    const filter = page.locator('.filters a[data-filter^="team:"]').first();
    const count = Number(await filter.locator('.count').innerText());
    await filter.click();
    const shown = await page.locator('.board .card:not([hidden])').count();
    assert(shown === count && shown < all, `filter shows ${shown} of ${all}, expected ${count}`);
    assert(page.url().includes('#filter=team'), 'the address remembers the filter');
  });

  await check(`${label}: search finds a result and opens it`, async () => {
    await page.goto(base + 'index.html');
    await page.fill('#site-search-q', 'okta');
    await page.press('#site-search-q', 'Enter');
    await page.waitForURL(/search\.html\?q=okta/);
    const first = page.locator('#search-results li a').first();
    await first.waitFor();
    assert((await first.innerText()).includes('single sign-on'), 'SSO is the first result');
    await page.fill('#q', 'feedback triage');
    assert((await page.locator('#search-results li').count()) > 0, 'typing searches');
    await page.locator('#search-results li a').first().click();
    await page.waitForURL(/\.html$/);
  });

  await check(`${label}: search stems, forgives a typo and answers as you type`, async () => {
    await page.goto(base + 'search.html');
    const titles = async () => page.locator('#search-results li a').allInnerTexts();
    for (const q of ['prioritize', 'prioritising', 'prioritse', 'priori']) {
      await page.fill('#q', q);
      const found = await titles();
      assert(found.some((t) => /prioritise/i.test(t)), `“${q}” finds the prioritisation guide: ${found.slice(0, 5).join(' | ')}`);
    }
    await page.fill('#q', 'zzzzqx');
    assert((await page.locator('#search-results li').count()) === 0, 'nonsense finds nothing');
  });
}

// The pages of objectives, metrics, launches, flow and ownership, and the timeline, on a desktop
// and on a 390 px phone: they render, and nothing but a scrolling table is wider than the screen.
const PRODUCT_PAGES = [
  ['objective', 'objectives/2026-q4-activation.html', 'Every trial sees real value in its first session'],
  ['objectives', 'objectives/index.html', 'Objectives'],
  ['metric', 'metrics/activation-rate.html', 'Week-1 activation rate'],
  ['metrics', 'metrics/index.html', 'Metrics'],
  ['launch', 'launches/dashboard-share-links.html', 'Share links launch'],
  ['launches', 'launches/index.html', 'Launches'],
  ['flow', 'flow.html', 'Flow'],
  ['ownership', 'ownership.html', 'Ownership'],
  ['timeline', 'roadmap/timeline.html', 'Roadmap timeline'],
];
for (const [width, height, suffix] of [[1400, 1000, ''], [390, 844, '-phone']]) {
  await check(`product pages at ${width} px render and fit the screen`, async () => {
    await page.setViewportSize({ width, height });
    const problems = [];
    for (const [name, path, heading] of PRODUCT_PAGES) {
      await page.goto(fileBase + path);
      const h1 = await page.locator('h1').innerText();
      if (h1 !== heading) problems.push(`${path}: heading “${h1}”, expected “${heading}”`);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (wide > 1) problems.push(`${path}: ${wide} px wider than the screen`);
      await page.screenshot({ path: join(out, `${name}${suffix}.png`), fullPage: name !== 'ownership' });
    }
    assert(problems.length === 0, problems.join('\n'));
  });
}
await page.setViewportSize({ width: 1400, height: 1000 });

await check('the timeline marks today and late items, the objective shows progress', async () => {
  await page.goto(fileBase + 'roadmap/timeline.html');
  assert((await page.locator('.gantt-scale .today-line').count()) > 0, 'a today line');
  assert((await page.locator('.lane .bar').count()) > 5, 'bars');
  await page.goto(fileBase + 'objectives/2026-q4-activation.html');
  const value = await page.locator('.doc-header meter').getAttribute('value');
  assert(Number(value) > 0 && Number(value) < 100, `progress ${value}`);
  await page.goto(fileBase + 'people/maya-chen.html');
  assert((await page.locator('.via').count()) > 0, 'what her role owns is marked via the role');
});

await check('404 page is styled at any depth', async () => {
  const response = await page.goto(httpBase + 'no/such/deep/page.html');
  assert(response.status() === 404, `status ${response.status()}`);
  assert((await page.locator('h1').innerText()) === 'Page not found', '404 heading');
  const bg = await page.locator('.site-header').evaluate((e) => getComputedStyle(e).backgroundColor);
  assert(bg !== 'rgba(0, 0, 0, 0)', 'the stylesheet loaded');
  await page.locator('a:text("Go to the home page")').click();
  await page.waitForURL(httpBase + 'index.html');
});

await check('no JavaScript errors and no request leaves the machine', async () => {
  assert(consoleErrors.length === 0, consoleErrors.join('\n'));
  assert(outside.length === 0, `outside requests: ${outside.join(', ')}`);
});

await check('screenshots of the board and the charter', async () => {
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.goto(fileBase + 'roadmap/index.html');
  await page.screenshot({ path: join(out, 'board.png'), fullPage: true });
  await page.setViewportSize({ width: 1400, height: 1500 });
  await page.goto(fileBase + 'charters/product-org.html');
  await page.screenshot({ path: join(out, 'charter.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(fileBase + 'roadmap/index.html');
  await page.screenshot({ path: join(out, 'board-phone.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.goto(fileBase + 'roadmap/sso-okta.html');
  await page.screenshot({ path: join(out, 'item-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
});

const axeSource = readFileSync(join(here, 'node_modules/axe-core/axe.min.js'), 'utf8');
for (const scheme of ['light', 'dark']) {
  await check(`axe-core (${scheme}): no serious or critical violation on any page`, async () => {
    await page.emulateMedia({ colorScheme: scheme });
    const problems = [];
    const all = pages(site);
    for (const p of all) {
      await page.goto(httpBase + (p === '404.html' ? 'missing/page.html' : p));
      await page.evaluate(axeSource);
      const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      for (const v of result.violations) {
        if (v.impact === 'serious' || v.impact === 'critical') {
          problems.push(`${p}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`);
        }
      }
    }
    console.log(`       ${all.length} pages checked`);
    assert(problems.length === 0, problems.slice(0, 20).join('\n'));
  });
}
await page.emulateMedia({ colorScheme: 'light' });

await context.close();
rmSync(profile, { recursive: true, force: true });
server.close();
finish();

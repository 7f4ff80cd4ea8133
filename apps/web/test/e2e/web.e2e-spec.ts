import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, NetworkLog, seriousAxeViolations } from './support/browser';
import { attachDevStack, type DevStack } from './support/dev-stack';
import { generateBinary, generateVideo, MiB, partMd5s, sha256, sha256File } from './support/media-files';

/**
 * The web app in Debian's Chromium against the whole stack (scripts/dev.sh on its own ports, database,
 * Redis DB, buckets and roles; started once by support/global-setup.ts): a studio member signs in and uploads a video through Uppy's dashboard,
 * the bytes go to the bucket and never to the API, the thumbnail appears, the proxy plays, the download
 * is the original. The tests run in order and share one stack, one browser and the uploaded media.
 */
const SCREENSHOTS = fileURLToPath(new URL('../../../../docs/screenshots/', import.meta.url));
const VIEWPORT = { width: 1280, height: 800 };
const MEMBER = 'member@aurora.test';
const ADMIN = 'admin@aurora.test';
const SUPPORT = 'support@isola.test';

let stack: DevStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let network: NetworkLog;
let workDir: string;
let video: { path: string; name: string; mediaId: string | null };
const createdMedia: string[] = [];
const stamp = Date.now().toString(36);

async function signIn(target: Page, email: string) {
  await target.goto(`${stack.webUrl}/login`);
  await target.getByLabel('Email').fill(email);
  await target.getByLabel('Password').fill(stack.password);
  await target.getByRole('button', { name: 'Sign in' }).click();
  await target.getByRole('button', { name: 'Sign out' }).waitFor();
}

async function expectNoSeriousAxeViolations(target: Page) {
  expect(await seriousAxeViolations(target)).toEqual([]);
}

/** A session for API calls from Node (cleanup): the API's CSRF check wants the web app's Origin. */
async function apiSession(email: string) {
  const origin = stack.webUrl;
  const login = await fetch(`${stack.apiUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ email, password: stack.password }),
  });
  expect(login.status).toBe(200);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return (path: string, init: RequestInit = {}) =>
    fetch(`${stack.apiUrl}${path}`, { ...init, headers: { origin, cookie, ...init.headers } });
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'isola-web-e2e-files-'));
  mkdirSync(SCREENSHOTS, { recursive: true });
  const name = `e2e-${stamp}.mp4`;
  stack = attachDevStack(inject('devStack'));
  const [launched, path] = await Promise.all([launchChromium(), generateVideo(workDir, name, 20)]);
  browser = launched;
  video = { path, name, mediaId: null };
  context = await browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
  network = new NetworkLog(context);
  page = await context.newPage();
}, 300_000);

// A failing test prints the last lines of the stack's logs.
afterEach(({ task }) => {
  if (task.result?.state === 'fail' && stack) console.error(stack.tail());
});

afterAll(async () => {
  try {
    if (stack && createdMedia.length > 0) {
      const api = await apiSession(ADMIN);
      for (const id of createdMedia) await api(`/media/${id}`, { method: 'DELETE' });
    }
  } finally {
    await browser?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  }
}, 120_000);

describe('the web app in Chromium against the real stack', () => {
  it('signs a studio member in: studio and role in the header, no serious accessibility violation', async () => {
    await page.goto(`${stack.webUrl}/login`);
    await page.getByRole('heading', { name: 'Sign in to your studio' }).waitFor();
    await expectNoSeriousAxeViolations(page);
    await signIn(page, MEMBER);
    const identity = page.getByLabel('Current studio');
    await expect.poll(() => identity.textContent()).toContain('Aurora Pictures');
    expect(await identity.textContent()).toContain('Member');
    await page.getByRole('heading', { name: 'Library' }).waitFor();
    await expectNoSeriousAxeViolations(page);
  });

  it('uploads a 20 MiB video through Uppy: the parts go to the bucket, no media bytes to the API', async () => {
    expect(readFileSync(video.path).length).toBeGreaterThanOrEqual(20 * MiB);
    network.mark('upload');
    await page.goto(`${stack.webUrl}/upload`);
    await page.locator('.uppy-Dashboard input[type=file]').first().setInputFiles(video.path);
    const created = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/s3/multipart');
    await page.getByRole('button', { name: 'Upload 1 file' }).click();
    const body = (await (await created).json()) as { mediaId: string };
    video.mediaId = body.mediaId;
    createdMedia.push(body.mediaId);
    await page.locator('.uppy-StatusBar.is-complete').waitFor({ timeout: 60_000 });
    // Golden Retriever saves the uploader's snapshot at most every 500 ms: leaving the page sooner can keep
    // this finished upload as one to resume (the next upload panel then lists it instead of a file input;
    // a known race in the web app, see the session notes). Let the last save happen before moving on.
    await page.waitForTimeout(2_000);
    await network.settle();

    const partPuts = network.to(stack.s3Url, 'upload').filter((r) => r.method === 'PUT');
    expect(partPuts.length).toBeGreaterThanOrEqual(4);
    expect(partPuts.every((r) => r.status === 200)).toBe(true);
    expect(partPuts.reduce((sum, r) => sum + r.bodyBytes, 0)).toBe(readFileSync(video.path).length);
    // Each part carried its Content-MD5, computed in the browser (the bucket refuses a part that does not match).
    const byPart = [...partPuts].sort(
      (a, b) => Number(a.url.searchParams.get('partNumber')) - Number(b.url.searchParams.get('partNumber')),
    );
    expect(byPart.map((r) => r.contentMd5)).toEqual(partMd5s(readFileSync(video.path)));

    const toApi = network.to(stack.webUrl, 'upload').filter((r) => r.url.pathname.startsWith('/api/'));
    expect(toApi.some((r) => r.url.pathname.startsWith('/api/s3/multipart'))).toBe(true);
    const withBody = toApi.filter((r) => r.bodyBytes > 0);
    expect(withBody.every((r) => r.contentType?.startsWith('application/json'))).toBe(true);
    expect(withBody.reduce((sum, r) => sum + r.bodyBytes, 0)).toBeLessThan(16 * 1024);
    // Nothing else was sent anywhere (the app's own origin and the bucket only).
    expect(new Set(network.entries.filter((e) => e.phase === 'upload').map((e) => e.url.origin))).toEqual(
      new Set([stack.webUrl, stack.s3Url]),
    );
  });

  it('shows the thumbnail in the library once the worker has processed the video', async () => {
    await page.goto(`${stack.webUrl}/?q=${encodeURIComponent(video.name)}`);
    const card = page.getByTestId('media-card').filter({ hasText: video.name });
    await card.locator('.thumb img').waitFor({ timeout: 90_000 });
    await expect
      .poll(() => card.locator('.thumb img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
      .toBe(true);
    expect(new URL((await card.locator('.thumb img').getAttribute('src')) ?? '').origin).toBe(stack.s3Url);

    await page.goto(`${stack.webUrl}/`);
    const thumbnail = page.getByTestId('media-card').filter({ hasText: video.name }).locator('.thumb img');
    await thumbnail.waitFor();
    await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'library.png') });
  });

  it('plays the web proxy from the bucket and downloads the original bytes', async () => {
    await page.goto(`${stack.webUrl}/media/${video.mediaId}`);
    const player = page.locator('video');
    await player.waitFor();
    expect(new URL((await player.getAttribute('src')) ?? '').origin).toBe(stack.s3Url);
    await page.waitForFunction(() => (document.querySelector('video')?.readyState ?? 0) >= 2, undefined, { timeout: 30_000 });
    await expectNoSeriousAxeViolations(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'media.png') });

    const href = await page.getByRole('link', { name: 'Download original' }).getAttribute('href');
    expect(new URL(href ?? '').origin).toBe(stack.s3Url);
    const download = await fetch(href!);
    expect(download.status).toBe(200);
    expect(sha256(new Uint8Array(await download.arrayBuffer()))).toBe(sha256File(video.path));
  });
});

/** Part numbers of the part PUTs sent to the bucket in `phase` (`ok`: only those the bucket stored). */
function partPuts(phase: string, { ok }: { ok: boolean }): number[] {
  return network
    .to(stack.s3Url, phase)
    .filter((r) => r.method === 'PUT' && (!ok || r.status === 200))
    .map((r) => Number(r.url.searchParams.get('partNumber')));
}

describe('resuming an upload after a page reload', () => {
  it('sends only the parts that were not in the bucket yet', async () => {
    const size = 26 * MiB; // six parts: five of 5 MiB, one of 1 MiB
    const path = generateBinary(workDir, `resume-${stamp}.bin`, size);
    await page.goto(`${stack.webUrl}/upload`);
    // Gate on the part count, so the reload lands mid-upload: parts 1 and 2 reach the bucket, the others are held.
    const bucketParts = `${stack.s3Url}/**`;
    await page.route(bucketParts, async (route) => {
      const partNumber = Number(new URL(route.request().url()).searchParams.get('partNumber'));
      if (route.request().method() !== 'PUT' || partNumber <= 2) await route.continue();
      // else: never answered; the reload cuts it off
    });

    network.mark('before-reload');
    await page.locator('.uppy-Dashboard input[type=file]').first().setInputFiles(path);
    const created = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/s3/multipart');
    await page.getByRole('button', { name: 'Upload 1 file' }).click();
    const { mediaId } = (await (await created).json()) as { mediaId: string };
    createdMedia.push(mediaId);
    await expect.poll(() => partPuts('before-reload', { ok: true }).length, { timeout: 30_000 }).toBe(2);

    await page.reload();
    // (after the reload: unrouting first would let the held parts through)
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    network.mark('after-reload');
    // The file's bytes are not kept in the browser: the header and the dashboard ask for it again.
    await page.getByRole('link', { name: '1 upload to resume' }).waitFor();
    await page.getByRole('button', { name: 'Re-select' }).click();
    await page.locator('.uppy-Dashboard input[type=file]').first().setInputFiles(path);
    await page.getByRole('button', { name: 'Upload 1 file' }).click();
    await page.locator('.uppy-StatusBar.is-complete').waitFor({ timeout: 60_000 });
    await network.settle();

    const stored = partPuts('before-reload', { ok: true });
    const sentAfter = partPuts('after-reload', { ok: false });
    expect([...stored].sort()).toEqual([1, 2]);
    expect(sentAfter.filter((n) => stored.includes(n))).toEqual([]);
    expect(new Set(sentAfter).size).toBe(sentAfter.length);
    expect(partPuts('after-reload', { ok: true })).toEqual(sentAfter);
    expect([...stored, ...sentAfter].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    // Before going on, the uploader asked which parts the bucket had (Uppy's list-parts route).
    const listParts = network
      .to(stack.webUrl, 'after-reload')
      .filter((r) => r.method === 'GET' && /^\/api\/s3\/multipart\/[^/]+$/.test(r.url.pathname));
    expect(listParts).toHaveLength(1);
    const media = await page.evaluate(
      async (id) => (await fetch(`/api/media/${id}`)).json() as Promise<{ status: string; sizeBytes: number }>,
      mediaId,
    );
    expect(media.status).not.toBe('uploading');
    expect(media.sizeBytes).toBe(size);
  });
});

describe('platform support', () => {
  it('sees the studios and their storage, and cannot open an isolated studio’s media (UI and API)', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to your studio' }).waitFor();
    await signIn(page, SUPPORT);
    await page.waitForURL('**/support');
    const aurora = page.getByTestId('support-tenant').filter({ hasText: 'Aurora Pictures' });
    await aurora.waitFor();
    expect(await aurora.textContent()).toContain('Own bucket');
    expect(await aurora.textContent()).toContain('Not reachable');
    // No link or button leads from the studios to their media.
    const table = page.getByRole('table');
    expect(await table.getByRole('link').count()).toBe(0);
    expect(await table.getByRole('button').count()).toBe(0);
    expect(await page.locator('a[href*="/media"]').count()).toBe(0);
    await expectNoSeriousAxeViolations(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'support.png') });

    // The API refuses too: staff's links route for the isolated studio, and the studio's own routes.
    const answer = await page.evaluate(
      async ({ mediaId }) => {
        const tenants = (await (await fetch('/api/support/tenants?q=aurora')).json()) as { items: Array<{ id: string; slug: string }> };
        const tenantId = tenants.items.find((t) => t.slug === 'aurora')?.id;
        const links = await fetch(`/api/support/tenants/${tenantId}/media/${mediaId}/links`);
        const direct = await fetch(`/api/media/${mediaId}/links`);
        return { tenantId, links: { status: links.status, body: (await links.json()) as { code?: string } }, direct: direct.status };
      },
      { mediaId: video.mediaId },
    );
    expect(answer.tenantId).toBeTruthy();
    expect(answer.links.status).toBe(403);
    expect(answer.links.body.code).toBe('SUPPORT_ACCESS_DENIED');
    expect(answer.direct).toBe(403);

    // And the media page, opened by address, shows nothing of it.
    await page.goto(`${stack.webUrl}/media/${video.mediaId}`);
    await page.getByRole('heading', { name: /Media not found|cannot be loaded/ }).waitFor();
    expect(await page.locator('video, a[download]').count()).toBe(0);
  });
});

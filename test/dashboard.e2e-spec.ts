import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, type TestSchema } from './support/database.js';
import { http, waitForStatus } from './support/http.js';
import { submitted } from './support/jobs.js';
import { createUpload, patchChunk } from './support/tus.js';

const CHROMIUM = '/usr/bin/chromium';
const KEY = 'dashboard-submitter-key-0123456789';
const AS_KEY = { authorization: `Bearer ${KEY}` };
const ARTIFACTS = resolve('test-artifacts');
/** The few browser globals the page-side callbacks use (the tests compile without the DOM library). */
interface InPage {
  document: {
    querySelector(selector: string): { getAttribute(name: string): string | null } | null;
    body: unknown;
  };
  MutationObserver: new (
    callback: (mutations: Array<{ target: { getAttribute(name: string): string | null } }>) => void,
  ) => {
    observe(target: unknown, options: object): void;
  };
  seen: Record<string, number[]>;
}

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-dev-shm-usage',
  '--disable-component-update',
  '--no-first-run',
];

describe('the dashboard in headless Chromium', () => {
  let schema: TestSchema;
  let app: AppProcess;
  let browser: Browser;
  let page: Page;
  const foreignRequests: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium is required for the dashboard test and is missing at ${CHROMIUM}: apt-get install -y chromium`,
      );
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    schema = await createTestSchema('dashboard');
    app = await startApp({ ...schema.env, RETRY_BASE_DELAY_MS: '100', API_KEYS: `admin:ops:${KEY}` });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('request', (request) => {
      const url = request.url();
      // data: and this origin's blob: URLs never leave the browser.
      if (!url.startsWith(app.baseUrl) && !url.startsWith('data:') && !url.startsWith(`blob:${app.baseUrl}/`)) foreignRequests.push(url);
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await schema?.drop();
  });

  afterEach(() => {
    // Offline-ready: every request goes to the app itself (no CDN), and the page raised no errors.
    expect(foreignRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('asks for the API key, keeps it for the tab and sends it as a Bearer token; strict CSP, no inline script', async () => {
    const response = await page.goto(`${app.baseUrl}/dashboard`);
    expect(response?.status()).toBe(200);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response?.headers()['x-content-type-options']).toBe('nosniff');
    expect(await response?.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);

    await page.waitForSelector('#key-form:not([hidden])');
    await page.fill('#key-form input[name="key"]', 'wrong-key-0123456789-abc');
    await page.click('#key-form button[type="submit"]');
    await page.waitForSelector('#key-form .key-error:not([hidden])');
    // The two refusals (no key, then a wrong one) are the point of this step; the browser logs them.
    expect(pageErrors.splice(0).every((error) => error.includes('401'))).toBe(true);
    const bearer: string[] = [];
    page.on('request', (request) => {
      const authorization = request.headers().authorization;
      if (authorization && request.url().includes('/jobs')) bearer.push(authorization);
    });
    await page.fill('#key-form input[name="key"]', KEY);
    await page.click('#key-form button[type="submit"]');
    await page.waitForSelector('#key-form', { state: 'hidden' });
    expect(bearer).toContain(`Bearer ${KEY}`);
    expect(await page.evaluate(() => (globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }).sessionStorage.getItem('longhaul.apiKey'))).toBe(KEY);
    // A reload in the same tab keeps the key.
    await page.reload();
    await page.waitForSelector('#view:not([hidden])');
    expect(await page.isHidden('#key-form')).toBe(true);
  });

  it('loads, and a submitted sleep job’s progress bar climbs live to 100 %', async () => {
    // A finished job for the list, so the page has some history to show.
    const earlier = await submitted(app.baseUrl, { type: 'sleep', payload: { ms: 100, steps: 2 } }, AS_KEY);
    await waitForStatus(app.baseUrl, earlier, ['COMPLETED'], 30_000, AS_KEY);

    const response = await page.goto(`${app.baseUrl}/dashboard`);
    expect(response?.status()).toBe(200);
    await page.waitForSelector(`tr[data-job-id="${earlier}"]`);
    expect(await page.title()).toBe('Jobs · longhaul');
    const slash = await http(app.baseUrl, '/dashboard/');
    expect([slash.status, slash.headers.get('location')]).toEqual([308, '/dashboard']);
    expect((await http(app.baseUrl, '/dashboard/../package.json')).status).toBe(404);

    // Record every value the bars show, to prove they move live (not only jump to the end).
    await page.evaluate(() => {
      const browser = globalThis as unknown as InPage;
      const seen: Record<string, number[]> = {};
      browser.seen = seen;
      new browser.MutationObserver((mutations) => {
        for (const { target } of mutations) {
          const jobId = target.getAttribute('data-job-id');
          if (jobId) (seen[jobId] ??= []).push(Number(target.getAttribute('aria-valuenow')));
        }
      }).observe(browser.document.body, {
        subtree: true,
        attributes: true,
        attributeFilter: ['aria-valuenow'],
      });
    });

    await page.click('details.new-job summary');
    await page.fill('textarea[name="payload"]', '{ "ms": 3000, "steps": 10 }');
    await page.click('form.submit-job button[type="submit"]');
    const newRow = await page.waitForFunction((known) => {
      const id = (globalThis as unknown as InPage).document
        .querySelector('tbody tr[data-job-id]')
        ?.getAttribute('data-job-id');
      return id && id !== known ? id : null;
    }, earlier);
    const jobId = (await newRow.jsonValue())!;

    const bar = `.progress[data-job-id="${jobId}"]`;
    await page.waitForSelector(`${bar}[aria-valuenow="100"]`, { timeout: 20_000 });
    await page.waitForSelector(`tr[data-job-id="${jobId}"] .badge[data-status="COMPLETED"]`);
    const seen = await page.evaluate(
      (id) => (globalThis as unknown as InPage).seen[id] ?? [],
      jobId,
    );
    expect(seen.some((value) => value > 0 && value < 100)).toBe(true);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(await page.textContent(`${bar} .label`)).toContain('100%');
    await page.screenshot({ path: `${ARTIFACTS}/dashboard.png`, fullPage: true });
  });

  it('shows a job with its status history, attempts and errors', async () => {
    const jobId = await submitted(
      app.baseUrl,
      {
        type: 'sleep',
        payload: { ms: 200, steps: 2, failAttempts: 1 },
      },
      AS_KEY,
    );
    await waitForStatus(app.baseUrl, jobId, ['COMPLETED'], 30_000, AS_KEY);
    await page.goto(`${app.baseUrl}/dashboard#/jobs/${jobId}`);
    await page.waitForSelector('.page-head .badge[data-status="COMPLETED"]');
    await page.locator('table.history tbody tr').nth(5).waitFor();
    const history = await page.locator('table.history tbody tr td:nth-child(3)').allTextContents();
    expect(history).toEqual(['QUEUED', 'RUNNING', 'FAILED', 'QUEUED', 'RUNNING', 'COMPLETED']);
    const attempts = await page.locator('table.attempts tbody tr').allTextContents();
    expect(attempts).toHaveLength(2);
    expect(attempts[0]).toContain('FAILED');
    expect(attempts[0]).toContain('planned failure 1 of 1');
    expect(attempts[1]).toContain('COMPLETED');
    expect(await page.getAttribute('.progress.large', 'aria-valuenow')).toBe('100');
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-job.png`, fullPage: true });
  });

  it('lists dead jobs and replays one', async () => {
    const dead = await submitted(
      app.baseUrl,
      {
        type: 'sleep',
        maxAttempts: 1,
        payload: { failAttempts: 5 },
      },
      AS_KEY,
    );
    await waitForStatus(app.baseUrl, dead, ['DEAD'], 30_000, AS_KEY);
    await page.goto(`${app.baseUrl}/dashboard#/dead`);
    const button = await page.waitForSelector(`button.replay[data-job-id="${dead}"]`);
    expect(await page.textContent(`tr[data-job-id="${dead}"]`)).toContain('planned failure 1 of 5');
    expect(await button.isEnabled()).toBe(true);
    await button.click();
    await page.waitForSelector(`tr[data-job-id="${dead}"] .replays a`);
    const replayHref = await page.getAttribute(`tr[data-job-id="${dead}"] .replays a`, 'href');
    const replayId = replayHref!.replace('#/jobs/', '');
    const replayed = await http(app.baseUrl, `/jobs/${replayId}/status`, { headers: AS_KEY });
    expect(replayed.status).toBe(200);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-dead.png`, fullPage: true });
  });

  it('filters dead jobs, bulk-replays the matching ones after showing the dry-run count, and shows the audit trail', async () => {
    const deadWith = async (failAttempts: number) => {
      const id = await submitted(app.baseUrl, { type: 'sleep', maxAttempts: 1, payload: { failAttempts } }, AS_KEY);
      await waitForStatus(app.baseUrl, id, ['DEAD'], 30_000, AS_KEY);
      return id;
    };
    const seven = await deadWith(7);
    const nine = await deadWith(9);
    const filter = { errorText: 'of 7' };

    await page.goto(`${app.baseUrl}/dashboard#/dead?errorText=${encodeURIComponent(filter.errorText)}`);
    await page.waitForSelector(`tr[data-job-id="${seven}"]`);
    expect(await page.$(`tr[data-job-id="${nine}"]`)).toBeNull();
    expect(await page.inputValue('form.dead-filters input[name="errorText"]')).toBe('of 7');

    // The count comes first, from a dry run, and nothing is replayed until it is confirmed.
    const expected = (await http(app.baseUrl, '/admin/dlq/replay', { method: 'POST', headers: AS_KEY, json: { filter, dryRun: true } })).body as { count: number };
    await page.click('button.bulk-count');
    await page.waitForSelector('.bulk-status[data-count]');
    expect(await page.getAttribute('.bulk-status', 'data-count')).toBe(String(expected.count));
    expect(expected.count).toBe(1);
    expect(await page.textContent('.bulk-status')).toContain('1 dead job would be replayed');
    const before = await http(app.baseUrl, `/admin/dlq/${seven}`, { headers: AS_KEY });
    expect((before.body as { replays: unknown[] }).replays).toEqual([]);

    await page.click('button.bulk-confirm');
    await page.waitForSelector('.bulk-status[data-bulk-job-id]');
    const bulkJobId = (await page.getAttribute('.bulk-status', 'data-bulk-job-id'))!;
    await waitForStatus(app.baseUrl, bulkJobId, ['COMPLETED'], 30_000, AS_KEY);
    const after = await http(app.baseUrl, `/admin/dlq/${seven}`, { headers: AS_KEY });
    expect((after.body as { replays: unknown[] }).replays).toHaveLength(1);
    const untouched = await http(app.baseUrl, `/admin/dlq/${nine}`, { headers: AS_KEY });
    expect((untouched.body as { replays: unknown[] }).replays).toEqual([]);

    await page.goto(`${app.baseUrl}/dashboard#/audit?action=dlq.replay.bulk`);
    await page.waitForSelector('table.audit tr[data-action="dlq.replay.bulk"]');
    expect(await page.textContent('table.audit tbody')).toContain('ops (admin)');
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-audit.png`, fullPage: true });
  });

  it('shows a transcoded video’s poster (fetched with the key) and its renditions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'longhaul-dashboard-video-'));
    try {
      const file = join(dir, 'clip.mp4');
      await promisify(execFile)('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=duration=1:size=320x240:rate=25', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', file]);
      const clip = readFileSync(file);
      const location = await createUpload(app.baseUrl, clip.length, AS_KEY);
      expect((await patchChunk(app.baseUrl, location, 0, clip, AS_KEY)).status).toBe(204);
      const jobId = await submitted(
        app.baseUrl,
        { type: 'video.transcode', payload: { uploadId: location.split('/').pop(), renditions: [{ height: 120, format: 'mp4' }], poster: true } },
        AS_KEY,
      );
      await waitForStatus(app.baseUrl, jobId, ['COMPLETED'], 60_000, AS_KEY);

      await page.goto(`${app.baseUrl}/dashboard#/jobs/${jobId}`);
      await page.waitForSelector('table.renditions tr[data-rendition="120p.mp4"]');
      await page.waitForFunction(() => {
        const poster = (globalThis as unknown as { document: { querySelector(s: string): { naturalWidth: number; src: string } | null } }).document.querySelector('img.poster');
        return poster !== null && poster.src.startsWith('blob:') && poster.naturalWidth > 0;
      });
      expect(await page.textContent('table.renditions')).toContain('h264');
      expect(pageErrors).toEqual([]);
      await page.screenshot({ path: `${ARTIFACTS}/dashboard-video.png`, fullPage: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows schedules', async () => {
    const created = await http(app.baseUrl, '/schedules', {
      method: 'POST',
      headers: AS_KEY,
      json: {
        name: `nightly-${Date.now()}`,
        cron: '0 2 * * *',
        timezone: 'UTC',
        job: { type: 'sleep', payload: { ms: 10 } },
      },
    });
    await page.goto(`${app.baseUrl}/dashboard#/schedules`);
    if (created.status === 201) {
      await page.waitForSelector(`tr[data-schedule-id="${(created.body as { id: string }).id}"]`);
      expect(await page.textContent('table.schedules')).toContain('0 2 * * *');
    } else {
      // Without a schedules API the page says so instead of failing.
      await page.waitForSelector('text=/no schedules/i');
    }
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-schedules.png`, fullPage: true });
  });
});

import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';

/** Debian's Chromium (apps/web/scripts/ensure-chromium.sh installs it); Playwright's own download is never used. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // Chromium's sandbox cannot start as root (CI runs as root here).
    chromiumSandbox: process.getuid?.() !== 0,
    args: ['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** One request the page sent, as the browser's network log saw it. */
export interface LoggedRequest {
  method: string;
  url: URL;
  /** Bytes of the request body (Content-Length actually sent, else the captured body). */
  bodyBytes: number;
  contentType: string | undefined;
  /** The Content-MD5 header sent, if any (each part's checksum). */
  contentMd5: string | undefined;
  /** HTTP status; undefined when the request failed or was cut off (a reload mid-upload). */
  status: number | undefined;
  /** Set by `mark()`: which phase of a test the request was sent in. */
  phase: string;
}

/** Records every request of a browser context with its body size and final status. */
export class NetworkLog {
  readonly entries: LoggedRequest[] = [];
  private readonly pending = new Map<Request, LoggedRequest>();
  private readonly bodySizes: Array<Promise<void>> = [];
  private phase = '';

  constructor(context: BrowserContext) {
    context.on('request', (request) => {
      const entry: LoggedRequest = {
        method: request.method(),
        url: new URL(request.url()),
        bodyBytes: request.postDataBuffer()?.length ?? 0,
        contentType: request.headers()['content-type'],
        contentMd5: request.headers()['content-md5'],
        status: undefined,
        phase: this.phase,
      };
      this.entries.push(entry);
      this.pending.set(request, entry);
      // The headers really sent (Content-Length included) arrive with the raw network events.
      this.bodySizes.push(
        request.allHeaders().then(
          (headers) => {
            const length = Number(headers['content-length']);
            if (Number.isFinite(length)) entry.bodyBytes = Math.max(entry.bodyBytes, length);
            entry.contentType = headers['content-type'] ?? entry.contentType;
            entry.contentMd5 = headers['content-md5'] ?? entry.contentMd5;
          },
          () => undefined,
        ),
      );
    });
    context.on('requestfinished', (request) => {
      const entry = this.pending.get(request);
      if (!entry) return;
      this.pending.delete(request);
      this.bodySizes.push(
        request.response().then(
          (response) => {
            entry.status = response?.status();
          },
          () => undefined,
        ),
      );
    });
    context.on('requestfailed', (request) => this.pending.delete(request));
  }

  /** Requests from now on are tagged `phase`. */
  mark(phase: string): void {
    this.phase = phase;
  }

  /** Waits for the sizes and statuses still being read. */
  async settle(): Promise<void> {
    while (this.bodySizes.length > 0) await Promise.all(this.bodySizes.splice(0));
  }

  to(origin: string, phase?: string): LoggedRequest[] {
    return this.entries.filter((e) => e.url.origin === origin && (phase === undefined || e.phase === phase));
  }
}

/** axe-core on the page as it is now: the serious and critical violations, one line each. */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

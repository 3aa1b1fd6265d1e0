// The kiosk shell's print and file-chooser guards speak the DevTools protocol to the page
// (Electron's webContents.debugger). Electron's binary is not installed here, so the same
// commands go to real Chromium through playwright-core's protocol session: a page whose own
// script, and an iframe's, call print, and a file input clicked as a patron would.
import { createServer, type Server } from 'node:http';
import type { Browser, CDPSession } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../tests/support/launch';
import { lockDownKioskContents, type KioskContentsLike } from './kiosk';

const PAGE = `<!doctype html><title>kiosk</title>
<input type="file" aria-label="a file">
<iframe srcdoc="<p>slip</p>"></iframe>
<script>
  window.tryPrint = () => { window.print(); frames[0].print(); return [window.print.toString(), frames[0].print.toString()]; };
</script>`;

let server: Server;
let url = '';
let browser: Browser;
beforeAll(async () => {
  server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server.close(r));
});

/** Electron's webContents as the guard sees it, its debugger a protocol session on a real page. */
function contentsOver(cdp: CDPSession): KioskContentsLike {
  return {
    on: () => undefined,
    debugger: {
      attach: () => undefined,
      sendCommand: (method, params) => cdp.send(method as 'Page.enable', params as never),
      on: (event: string, listener: (...args: never[]) => void) => {
        if (event === 'message')
          cdp.on('Page.fileChooserOpened', (params) =>
            (listener as (e: unknown, m: string, p: unknown) => void)({}, 'Page.fileChooserOpened', params),
          );
      },
    },
  } as KioskContentsLike;
}

describe("the kiosk shell's protocol guards, in real Chromium", () => {
  it('make print do nothing in the page and its frames, and show no file chooser', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const logged: string[] = [];
    expect(await lockDownKioskContents(contentsOver(cdp), 'file:///app/index.html', (m) => logged.push(m))).toBe(true);
    await page.goto(url);
    // The page's own print and the iframe's are the guard's, and the page cannot put them back.
    expect(await page.evaluate('window.tryPrint()')).toEqual(['() => undefined', '() => undefined']);
    expect(await page.evaluate('window.print = () => "mine"; window.print.toString()')).toBe('() => undefined');
    // A click on a file input: intercepted (no dialog), and logged.
    await page.getByLabel('a file').click();
    await expect.poll(() => logged).toContain('kiosk: refused a file chooser');
    await context.close();
  });

  it('without them, the same page has its own print (the test can tell the difference)', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    expect(await page.evaluate('[window.print.toString(), frames[0].print.toString()]')).toEqual([
      'function print() { [native code] }',
      'function print() { [native code] }',
    ]);
    await context.close();
  });
});

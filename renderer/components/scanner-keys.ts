// A keyboard-wedge scanner's burst as the tests hand it to Chromium: a key-down and a key-up per
// character and the Enter, stamped at the scanner's own pace. The wedge detector reads
// KeyboardEvent.timeStamp, which Chromium takes from the input event's `timestamp` (CDP's
// Input.dispatchKeyEvent), so a burst sent this way is the scanner's rhythm however late a loaded
// CI machine delivers it. Pressed key by key instead, the gaps were the test runner's scheduling:
// under load a burst broke in two and its first half stayed typed in the field (a CI failure).
// Used by renderer/components/testing.tsx and tests/browser/support.ts.

/** The parameters of one CDP Input.dispatchKeyEvent. */
export interface KeyEventParams {
  type: 'keyDown' | 'keyUp';
  key: string;
  code: string;
  windowsVirtualKeyCode: number;
  /** The character typed (key-down only); '\r' for Enter, as a keyboard's Enter submits a form. */
  text?: string;
  /** Seconds since 1970, as CDP wants it. */
  timestamp: number;
}

function keyOf(ch: string): { key: string; code: string; windowsVirtualKeyCode: number; text: string } {
  if (ch === '\n') return { key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, text: '\r' };
  const upper = ch.toUpperCase();
  const code = /[0-9]/.test(ch) ? `Digit${ch}` : /[A-Z]/.test(upper) ? `Key${upper}` : '';
  return { key: ch, code, windowsVirtualKeyCode: code ? upper.charCodeAt(0) : 0, text: ch };
}

/**
 * The key events of a scan of `barcode` followed by Enter, keys `gapMs` apart, the Enter at
 * `enterAtMs` (ms since 1970: Date.now() when the scan is sent, so the burst is stamped as just
 * typed). Send them one after another: sent at once, Chromium took a key after the Enter.
 */
export function scannerBurst(barcode: string, gapMs: number, enterAtMs: number): KeyEventParams[] {
  const startMs = enterAtMs - barcode.length * gapMs;
  return [...barcode, '\n'].flatMap((ch, i) => {
    const { text, ...key } = keyOf(ch);
    const at = startMs + i * gapMs;
    return [
      { type: 'keyDown' as const, ...key, text, timestamp: at / 1000 },
      { type: 'keyUp' as const, ...key, timestamp: (at + 1) / 1000 },
    ];
  });
}

// Scans from anywhere (the keyboard wedge, a serial or USB scanner through the station) arrive
// here; the screen on display routes them.
import { useEffect, useRef } from 'react';
import { create } from 'zustand';

export interface Scan {
  barcode: string;
  kind: 'patron' | 'item' | 'unknown';
  source: 'wedge' | 'device';
  /** Increments with every scan, so the same barcode twice is two scans. */
  n: number;
  /**
   * Puts back the field the scanner typed into, when that field asked to be put back by the
   * screen with its answer (`data-scan-restore="with-answer"`, the check-out's item field) rather
   * than at the scan's Enter: clearing the field at the Enter is a change the page must paint,
   * and that frame then holds the loan row back by a whole frame (docs/performance.md). The screen
   * must call it once it has shown the answer, or at once for a scan it does not act on.
   * Absent for every other field, which the wedge puts back itself at the Enter.
   */
  restoreField?: () => void;
}

interface ScanState {
  last: Scan | null;
  push(scan: Omit<Scan, 'n'>): void;
}

export const useScans = create<ScanState>((set, get) => ({
  last: null,
  push: (scan) => set({ last: { ...scan, n: (get().last?.n ?? 0) + 1 } }),
}));

/**
 * Calls `handle` for each scan that arrives while the screen is shown, never for one that came
 * before (switching to Check in must not check in the item just lent on Check out).
 *
 * Called at once, inside the scan's own key event (zustand calls its listeners as the state is
 * set), not after a render of the screen and its effects: the request for a scanned book leaves
 * the page within a fraction of a millisecond of the scanner's Enter (npm run bench:ui), and the
 * screen does not render at all for a scan it ignores.
 */
export function useNewScans(handle: (scan: Scan) => void): void {
  const handler = useRef(handle);
  handler.current = handle;
  useEffect(
    () =>
      useScans.subscribe((state, previous) => {
        if (state.last && state.last !== previous.last) handler.current(state.last);
      }),
    [],
  );
}

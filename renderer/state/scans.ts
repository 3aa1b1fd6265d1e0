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
 */
export function useNewScans(handle: (scan: Scan) => void): void {
  const last = useScans((s) => s.last);
  const seen = useRef<number | null>(null);
  const handler = useRef(handle);
  handler.current = handle;
  useEffect(() => {
    if (seen.current === null) {
      seen.current = last?.n ?? 0;
      return;
    }
    if (last && last.n > seen.current) {
      seen.current = last.n;
      handler.current(last);
    }
  }, [last]);
}

// Scans from anywhere (the keyboard wedge, a serial or USB scanner through the station) arrive
// here; the screen on display routes them.
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

// The page's keyboard-wedge listener: every key on the page goes through the detector
// (wedge.ts), and a burst that is a scan becomes one scan in the scans store, wherever the focus
// was. The scanner typed it into the focused field too: it is taken back out (fieldBeforeScan).
import { useEffect, useRef } from 'react';
import { DEFAULT_BARCODE_RULES, classifyBarcode } from '../../src/domain/barcode';
import { client } from '../api/client';
import { useScans } from '../state/scans';
import { useSession } from '../state/session';
import { DEFAULT_WEDGE, WedgeDetector, fieldBeforeScan, isSecretField } from './wedge';

export function useWedgeScanner(): void {
  const push = useScans((s) => s.push);
  // The key gap is this station's own device setting (Settings › Library), read before anyone signs in.
  const maxGapMs = useSession((s) => s.setup?.wedge?.maxGapMs ?? DEFAULT_WEDGE.maxGapMs);
  const detector = useRef(new WedgeDetector(DEFAULT_WEDGE));
  useEffect(() => {
    detector.current = new WedgeDetector({ ...DEFAULT_WEDGE, maxGapMs });
  }, [maxGapMs]);
  useEffect(() => {
    // The focused field as it was when the burst under way began.
    let before: ReturnType<typeof fieldBeforeScan> = null;
    const onKey = (e: KeyboardEvent) => {
      // A password manager filling a password field types as fast as a scanner: never a scan there.
      const verdict = detector.current.key(e.key, e.timeStamp, isSecretField(e.target));
      // This key began a burst: remember the field before its character goes in (keydown comes first).
      if (verdict.kind === 'pass' && detector.current.pending === 1) before = fieldBeforeScan(e.target);
      if (verdict.kind !== 'scan') return;
      e.preventDefault();
      e.stopPropagation();
      // The scanner typed into whatever had the focus: put that field back as it was.
      if (before && before.target === e.target) before.restore();
      before = null;
      // Routed by the library's own barcode rules (the defaults until the station has told us).
      const rules = useSession.getState().setup?.barcodes ?? DEFAULT_BARCODE_RULES;
      push({ barcode: verdict.barcode, kind: classifyBarcode(rules, verdict.barcode), source: 'wedge' });
    };
    window.addEventListener('keydown', onKey, true);
    // Scans from serial and USB scanners come through the station's event stream.
    const off = client.subscribe((event) => {
      if (event.type === 'scan') push({ barcode: event.barcode, kind: event.kind, source: 'device' });
    });
    return () => {
      window.removeEventListener('keydown', onKey, true);
      off();
    };
  }, [push]);
}

// The page's keyboard-wedge listener: every key on the page goes through the detector
// (wedge.ts), and a burst that is a scan becomes one scan in the scans store, wherever the focus
// was. The scanner typed it into the focused field too: it is taken back out (fieldBeforeScan).
import { useEffect, useRef } from 'react';
import { DEFAULT_BARCODE_RULES, classifyBarcode } from '../../src/domain/barcode';
import { client } from '../api/client';
import { useScans } from '../state/scans';
import { useSession } from '../state/session';
import { DEFAULT_WEDGE, WedgeDetector, fieldBeforeScan, isSecretField } from './wedge';

/**
 * The page's wedge listener. `data-scan-field` on a field marks one a scan is typed into as its
 * value, not routed to the screen: "typed" (its Enter goes through, as a person's would: the form
 * submits) or "kept" (the barcode stays, its Enter is swallowed). Without it, a scan comes back
 * out of the field it typed into and goes to the screen.
 */
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
      const typedInto = before && before.target === e.target ? before : null;
      before = null;
      // A field whose value is a barcode being given out or named (a new card, a new copy, the
      // card a hold is for, a list of labels) takes the scan as its own typing: the barcode stays
      // in it and is no scan for the screen. "typed" lets its Enter through as a typed one (the
      // form submits, a list gets its next line); "kept" swallows it.
      const into = typedInto?.target.dataset.scanField;
      if (into === 'typed') return;
      e.preventDefault();
      e.stopPropagation();
      if (into === 'kept') return;
      // The scanner typed into whatever had the focus: put that field back as it was, now, or
      // with the screen's answer where the field asks for that (scans.ts, restoreField).
      const withAnswer = typedInto?.target.dataset.scanRestore === 'with-answer';
      if (typedInto && !withAnswer) typedInto.restore();
      // Routed by the library's own barcode rules (the defaults until the station has told us).
      const rules = useSession.getState().setup?.barcodes ?? DEFAULT_BARCODE_RULES;
      const kind = classifyBarcode(rules, verdict.barcode);
      push({
        barcode: verdict.barcode,
        kind,
        source: 'wedge',
        ...(withAnswer ? { restoreField: typedInto!.restore } : {}),
      });
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

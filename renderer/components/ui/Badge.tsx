// A status said three ways at once: a colour, an icon and a word, so it never rests on colour
// alone (WCAG 1.4.1). Every screen that shows a state (a loan overdue, a hold found, a refusal)
// uses this one component, so the same state looks the same everywhere.
import type { ReactNode } from 'react';

export type Tone = 'ok' | 'info' | 'warning' | 'refused' | 'overdue' | 'hold' | 'transit' | 'lost';

/** One glyph per tone; decorative (aria-hidden): the word beside it is what is read. */
const ICONS: Record<Tone, string> = {
  ok: '✓',
  info: 'ℹ',
  warning: '⚠',
  refused: '⛔',
  overdue: '⏰',
  hold: '★',
  transit: '➜',
  lost: '?',
};

export function Badge({ tone, children }: { tone: Tone; children: ReactNode }) {
  return (
    <span className={`badge badge-${tone}`}>
      <span className="badge-icon" aria-hidden="true">
        {ICONS[tone]}
      </span>
      {children}
    </span>
  );
}

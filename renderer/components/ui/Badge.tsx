// A status said three ways at once: a colour, an icon and a word, so it never rests on colour
// alone (WCAG 1.4.1). Every screen that shows a state (a loan overdue, a hold found, a refusal)
// uses this one component, so the same state looks the same everywhere.
//
// The icons are inline SVG, not emoji: a Linux kiosk without an emoji font shows emoji as empty
// boxes, and SVG takes the badge's own colour (currentColor) in every theme.
import type { ReactNode } from 'react';

export type Tone = 'ok' | 'info' | 'warning' | 'refused' | 'overdue' | 'hold' | 'transit' | 'lost';

/** One 16x16 outline per tone, drawn with the text's colour. */
const ICONS: Record<Tone, ReactNode> = {
  ok: <path d="M3 8.5l3 3 7-7" />,
  info: (
    <>
      <circle cx="8" cy="8" r="6.5" />
      <path d="M8 7v4.5M8 4.5v.5" />
    </>
  ),
  warning: <path d="M8 1.8L15 14H1zM8 6v4M8 11.8v.4" />,
  refused: (
    <>
      <circle cx="8" cy="8" r="6.5" />
      <path d="M3.4 12.6l9.2-9.2" />
    </>
  ),
  overdue: (
    <>
      <circle cx="8" cy="8" r="6.5" />
      <path d="M8 4v4l3 2" />
    </>
  ),
  hold: <path d="M8 1.5l2 4.3 4.6.5-3.4 3.1 1 4.6L8 11.7 3.8 14l1-4.6L1.4 6.3 6 5.8z" />,
  transit: <path d="M1.5 8h12M9.5 4l4 4-4 4" />,
  lost: (
    <>
      <path d="M5.5 6a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .8-1 1.5V10.5" />
      <path d="M8 13v.4" />
    </>
  ),
};

export function Badge({ tone, children }: { tone: Tone; children: ReactNode }) {
  return (
    <span className={`badge badge-${tone}`}>
      <svg
        className="badge-icon"
        aria-hidden="true"
        focusable="false"
        viewBox="0 0 16 16"
        width="1em"
        height="1em"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      >
        {ICONS[tone]}
      </svg>
      {children}
    </span>
  );
}

// The small pictures on the kiosk's big buttons, drawn as SVG (a kiosk may have no emoji font).
// Decorative: each button's words are its name.
export type TileIconName = 'check' | 'list' | 'receipt' | 'none';

const PATHS: Record<TileIconName, string> = {
  check: 'M10 26 L21 37 L40 14',
  list: 'M12 14 H38 M12 25 H38 M12 36 H38',
  receipt: 'M14 8 H36 V42 L31 38 L25 42 L19 38 L14 42 Z M19 17 H31 M19 24 H31 M19 31 H27',
  none: 'M14 14 L36 36 M36 14 L14 36',
};

export function TileIcon({ name }: { name: TileIconName }) {
  return (
    <svg className="kiosk-tile-icon" viewBox="0 0 50 50" aria-hidden="true" focusable="false">
      <path
        d={PATHS[name]}
        fill="none"
        stroke="currentColor"
        strokeWidth="5"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

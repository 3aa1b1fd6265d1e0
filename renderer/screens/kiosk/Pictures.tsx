// Pictures of what to do, drawn here as inline SVG (nothing to load, sharp at any size): a card
// held over the scanner's red light, a book laid on the pad with its barcode under the light.
// Each is an image with its own text alternative, so a screen reader says what the picture shows.
import { useTranslation } from 'react-i18next';

/** Stripes of a barcode from x, as wide as `width`, between y and y + height. */
function Barcode({ x, y, width, height }: { x: number; y: number; width: number; height: number }) {
  const bars = [2, 1, 1, 3, 1, 2, 1, 1, 2, 3, 1, 1, 2, 1, 3, 1, 2, 1];
  const unit = width / bars.reduce((a, b) => a + b + 1, 0);
  let at = x;
  return (
    <g fill="#1a1a1a">
      {bars.map((w, i) => {
        const bar = <rect key={i} x={at} y={y} width={w * unit} height={height} />;
        at += (w + 1) * unit;
        return bar;
      })}
    </g>
  );
}

/** The scanner: a dark stand with its window and the red light fanning up from it. */
function Scanner() {
  return (
    <g>
      <path d="M70 150 L170 150 L160 118 L80 118 Z" fill="#3b4350" />
      <rect x="96" y="112" width="48" height="8" rx="3" fill="#c81e1e" />
      <path d="M100 112 L70 62 L170 62 L140 112 Z" fill="#e53935" opacity="0.22" />
    </g>
  );
}

export function ScanCardPicture() {
  const { t } = useTranslation();
  return (
    <svg className="kiosk-picture" viewBox="0 0 240 160" role="img" aria-label={t('kiosk.pictureScanCard')}>
      <title>{t('kiosk.pictureScanCard')}</title>
      <Scanner />
      {/* The card, tilted a little, its barcode facing the light. */}
      <g transform="rotate(-8 120 40)">
        <rect x="62" y="12" width="116" height="58" rx="8" fill="#0b5cad" />
        <circle cx="84" cy="32" r="9" fill="#ffffff" />
        <path d="M72 52 a12 10 0 0 1 24 0 Z" fill="#ffffff" />
        <rect x="104" y="24" width="60" height="6" rx="3" fill="#ffffff" />
        <rect x="104" y="36" width="44" height="6" rx="3" fill="#ffffff" />
        <rect x="100" y="48" width="70" height="16" fill="#ffffff" />
        <Barcode x={103} y={50} width={64} height={12} />
      </g>
      {/* An arrow: down, towards the light. */}
      <path
        d="M200 30 L200 90 M188 78 L200 92 L212 78"
        stroke="#1a1a1a"
        strokeWidth="6"
        fill="none"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

export function PlaceBookPicture() {
  const { t } = useTranslation();
  return (
    <svg className="kiosk-picture" viewBox="0 0 240 160" role="img" aria-label={t('kiosk.picturePlaceBook')}>
      <title>{t('kiosk.picturePlaceBook')}</title>
      <Scanner />
      {/* The book, back cover towards the light, with its barcode sticker. */}
      <g>
        <rect x="58" y="8" width="124" height="70" rx="4" fill="#2f7d32" />
        <rect x="58" y="8" width="14" height="70" fill="#1e5b22" />
        <rect x="168" y="12" width="10" height="62" fill="#f3f3f3" />
        <rect x="92" y="44" width="64" height="24" rx="2" fill="#ffffff" />
        <Barcode x={96} y={47} width={56} height={18} />
      </g>
      <path
        d="M200 30 L200 90 M188 78 L200 92 L212 78"
        stroke="#1a1a1a"
        strokeWidth="6"
        fill="none"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

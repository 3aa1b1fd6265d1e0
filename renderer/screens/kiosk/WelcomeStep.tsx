// Step 1: the card. A scan of a library card goes straight on to the PIN; anything else scanned or
// typed here (a misread card, a book) is answered in plain words, never silently dropped.
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_BARCODE_RULES, classifyBarcode } from '../../../src/domain/barcode';
import { Field } from '../../components/Field';
import { useSession } from '../../state/session';
import { KioskNotice } from './KioskProblem';
import { ScanCardPicture } from './Pictures';
import { StaffExit } from './StaffExit';

/** Why a scan or a typed number was not taken for a library card. */
export type NotACardWhy = 'misread' | 'item' | 'typed';
/** One time it happened (a new object each time, so the same answer twice is announced twice). */
export interface NotACard {
  why: NotACardWhy;
}

const NOTICES: Record<NotACardWhy, string> = {
  misread: 'kiosk.misread',
  item: 'kiosk.itemAtWelcome',
  typed: 'kiosk.notACard',
};

export function WelcomeStep({
  notACard,
  onCard,
  onNotACard,
}: {
  notACard: NotACard | null;
  onCard(card: string): void;
  onNotACard(why: NotACardWhy): void;
}) {
  const { t } = useTranslation();
  // Not a controlled field: a scan typed into it is taken back out by the wedge scanner, and the
  // field must not put it back on the next render.
  const field = useRef<HTMLInputElement | null>(null);
  const rules = useSession((s) => s.setup?.barcodes ?? DEFAULT_BARCODE_RULES);
  const notice = notACard ? t(NOTICES[notACard.why]) : null;
  return (
    <section className="kiosk-step kiosk-centered">
      <h1 id="kiosk-welcome">{t('kiosk.welcome')}</h1>
      <ScanCardPicture />
      <KioskNotice text={notice} of={notACard} />
      <form
        className="kiosk-entry"
        onSubmit={(e) => {
          e.preventDefault();
          const typed = field.current?.value.trim() ?? '';
          if (!typed) return;
          // Typed by hand: the same barcode rules as a scan, so a mistyped number is said at once.
          if (classifyBarcode(rules, typed) === 'patron') onCard(typed);
          else onNotACard('typed');
        }}
      >
        <Field
          ref={field}
          label={t('kiosk.card')}
          name="card"
          autoFocus
          autoComplete="off"
          inputMode="numeric"
          aria-describedby="kiosk-card-hint"
        />
        <button type="submit" className="kiosk-button kiosk-primary">
          {t('kiosk.next')}
        </button>
        {/* Under the whole row (not inside the field), so the button lines up with the box. */}
        <p id="kiosk-card-hint" className="kiosk-hint">
          {t('kiosk.cardHint')}
        </p>
      </form>
      <StaffExit />
    </section>
  );
}

// What went wrong, in the kiosk's own plain words (never the desk's: a patron has no "username"),
// announced at once (role="alert"), with dates and times in the kiosk's language and the branch's
// zone. The step it happened at decides what an UNAUTHENTICATED answer means: at the PIN step a
// PIN that does not match the card, later a session that has ended.
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody } from '../../../src/api/contract';
import { useKioskFormat, type KioskFormat } from './useKioskFormat';

export type ProblemAt = 'pin' | 'session';

/**
 * A new alert element for each new error or notice, even with the same words (a second wrong
 * PIN): a screen reader announces an alert when it appears, not when it stays.
 */
const alertIds = new WeakMap<object, number>();
let lastAlertId = 0;
function alertKey(of: object): number {
  let id = alertIds.get(of);
  if (id === undefined) alertIds.set(of, (id = ++lastAlertId));
  return id;
}

const isDay = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);

/** The lines a patron reads for an error or refusal. */
export function kioskProblemLines(error: ApiErrorBody, at: ProblemAt, t: TFunction, format: KioskFormat): string[] {
  const when = error.retryAt !== undefined ? format.time(error.retryAt) : null;
  switch (error.code) {
    case 'REFUSED':
      return [
        ...new Set(
          (error.refusals ?? []).map((r) =>
            t(
              [`kioskRefusals.${r.code}`, 'kioskRefusals.default'],
              Object.fromEntries(Object.entries(r.params ?? {}).map(([k, v]) => [k, isDay(v) ? format.day(v) : v])),
            ),
          ),
        ),
      ];
    case 'UNAUTHENTICATED':
      return [t(at === 'pin' ? 'kiosk.wrongPin' : 'kiosk.sessionEnded')];
    case 'LOCKED':
      // Too many wrong PINs: even the right one is refused until then, so say when, and that the desk can help.
      return [when ? t('kiosk.locked', { time: when }) : t('kiosk.lockedNoTime')];
    case 'RATE_LIMITED':
      return [when ? t('kiosk.tooManyTries', { time: when }) : t('kiosk.tooManyTriesNoTime')];
    case 'NETWORK':
      return [t('kiosk.noStation')];
    case 'INVALID':
      return [t('kioskRefusals.BARCODE_INVALID')];
    default:
      return [t('kioskRefusals.default')];
  }
}

export function KioskProblem({ error, at }: { error: ApiErrorBody | null; at: ProblemAt }) {
  const { t } = useTranslation();
  const format = useKioskFormat();
  if (!error) return null;
  const lines = kioskProblemLines(error, at, t, format);
  return (
    <div className="kiosk-problem">
      <span className="kiosk-problem-icon" aria-hidden="true">
        !
      </span>
      <div role="alert" key={alertKey(error)}>
        {lines.map((line) => (
          <p key={line}>{line}</p>
        ))}
      </div>
    </div>
  );
}

/** A notice of the kiosk's own (a misread card), shown and announced as a problem is; `of` is this occurrence of it. */
export function KioskNotice({ text, of }: { text: string | null; of: object | null }) {
  if (!text || !of) return null;
  return (
    <div className="kiosk-problem">
      <span className="kiosk-problem-icon" aria-hidden="true">
        !
      </span>
      <div role="alert" key={alertKey(of)}>
        <p>{text}</p>
      </div>
    </div>
  );
}

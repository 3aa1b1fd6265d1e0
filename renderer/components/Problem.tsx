import { useTranslation } from 'react-i18next';
import type { ApiErrorBody } from '../../src/api/contract';
import { formatDay, formatTime, useDeskFormat } from '../format';

/** A refusal's parameters as the reader expects them: a calendar day (2020-01-01) in the branch's locale. */
export function localised(params: Record<string, string | number>, locale: string): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(params).map(([k, v]) => [
      k,
      typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? formatDay(v, locale) : v,
    ]),
  );
}

/** An error or refusal in words staff understand, announced to screen readers. */
export function Problem({ error, kiosk = false }: { error: ApiErrorBody | null; kiosk?: boolean }) {
  const { t } = useTranslation();
  // The one formatter: a refusal's dates in the desk's language, times in the branch's zone.
  const { locale, timeZone } = useDeskFormat();
  if (!error) return null;
  // A lockout or rate limit says when to try again.
  const when = error.retryAt !== undefined ? { time: formatTime(error.retryAt, locale, timeZone) } : {};
  const lines =
    error.code === 'REFUSED' && error.refusals
      ? error.refusals.map((r) =>
          kiosk
            ? t([`kioskRefusals.${r.code}`, 'kioskRefusals.default'])
            : t(`refusals.${r.code}`, localised(r.params ?? {}, locale)),
        )
      : [t([`errors.${error.code}`, 'errors.INTERNAL'], when)];
  return (
    <div role="alert" className="problem">
      <ul>
        {[...new Set(lines)].map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </div>
  );
}

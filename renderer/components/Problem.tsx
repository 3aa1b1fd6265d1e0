import { useTranslation } from 'react-i18next';
import type { ApiErrorBody } from '../../src/api/contract';

/** An error or refusal in words staff understand, announced to screen readers. */
export function Problem({ error, kiosk = false }: { error: ApiErrorBody | null; kiosk?: boolean }) {
  const { t } = useTranslation();
  if (!error) return null;
  const lines =
    error.code === 'REFUSED' && error.refusals
      ? error.refusals.map((r) =>
          kiosk ? t([`kioskRefusals.${r.code}`, 'kioskRefusals.default']) : t(`refusals.${r.code}`, { ...(r.params ?? {}) }),
        )
      : [t([`errors.${error.code}`, 'errors.INTERNAL'])];
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

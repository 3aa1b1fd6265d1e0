// The library's logo for the kiosk: chosen as an image file here, kept in the library's settings
// as a data: address (the kiosk's pages load images from the station or data: only, and a kiosk
// must not depend on the web for its own logo). The hidden field carries it to the form.
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Images the kiosk can show, and at most 200,000 characters of data: address (about 145 KB). */
const TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/svg+xml'];
const MAX_BYTES = 145_000;

export function KioskLogoField({ logo, name }: { logo: string | null; name: string }) {
  const { t } = useTranslation();
  const id = useId();
  const [value, setValue] = useState(logo ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  function choose(file: File | undefined) {
    setProblem(null);
    if (!file) return;
    if (!TYPES.includes(file.type)) return setProblem(t('library.kioskLogoNotImage'));
    if (file.size > MAX_BYTES) return setProblem(t('library.kioskLogoTooBig'));
    const reader = new FileReader();
    reader.onload = () => setValue(typeof reader.result === 'string' ? reader.result : '');
    reader.readAsDataURL(file);
  }
  return (
    <div className="field">
      <label htmlFor={id}>{t('library.kioskLogo')}</label>
      <input
        id={id}
        type="file"
        accept={TYPES.join(',')}
        aria-describedby={`${id}-hint${problem ? ` ${id}-error` : ''}`}
        aria-invalid={problem ? true : undefined}
        onChange={(e) => choose(e.target.files?.[0])}
      />
      <input type="hidden" name={name} value={value} />
      <small id={`${id}-hint`}>{t('library.kioskLogoHint')}</small>
      {problem ? (
        <small id={`${id}-error`} className="field-error" role="alert">
          {problem}
        </small>
      ) : null}
      {value ? (
        <p>
          <img
            src={value}
            alt={t('library.kioskLogoPreview')}
            style={{ maxHeight: 64, maxWidth: 240, verticalAlign: 'middle' }}
          />{' '}
          <button type="button" onClick={() => setValue('')}>
            {t('library.kioskLogoRemove')}
          </button>
        </p>
      ) : (
        <p>{t('library.kioskLogoNone')}</p>
      )}
    </div>
  );
}

// The branch's time zone and the library's currency, chosen from the browser's own lists
// (Intl.supportedValuesOf) rather than typed: America/New_York cannot be misspelt.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { SearchableChoice } from './ui/SearchableChoice';

const supported = (kind: 'timeZone' | 'currency'): string[] =>
  typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf(kind) : [];

/** Every IANA time zone this browser knows, searchable ("york", "madrid"); UTC is always there. */
export function TimeZoneField({
  label,
  name,
  defaultValue,
  error,
  hint,
}: {
  label: string;
  name: string;
  defaultValue?: string | null;
  error?: string | null;
  hint?: string;
  /** Always required: a branch has a zone. */ required?: boolean;
}) {
  const { t } = useTranslation();
  const choices = useMemo(() => {
    const zones = supported('timeZone');
    if (!zones.includes('UTC')) zones.push('UTC');
    // A saved zone the browser does not list (an alias) is still offered, so it is not lost.
    if (defaultValue && !zones.includes(defaultValue)) zones.push(defaultValue);
    return zones.map((z) => ({ id: z, name: z }));
  }, [defaultValue]);
  return (
    <SearchableChoice
      label={label}
      name={name}
      choices={choices}
      defaultValue={defaultValue ?? null}
      error={error}
      hint={hint}
      isRequired
      openLabel={t('setup.showZones')}
    />
  );
}

/** Every ISO 4217 currency, by code and name in the desk's language ("EUR — euro"). */
export function CurrencyField({
  label,
  name,
  defaultValue,
  error,
}: {
  label: string;
  name: string;
  defaultValue?: string | null;
  error?: string | null;
}) {
  const { t, i18n } = useTranslation();
  const choices = useMemo(() => {
    const names =
      typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames([i18n.language], { type: 'currency' }) : null;
    const codes = supported('currency');
    if (defaultValue && !codes.includes(defaultValue)) codes.push(defaultValue);
    return codes.map((c) => ({ id: c, name: `${c} — ${names?.of(c) ?? c}` }));
  }, [i18n.language, defaultValue]);
  return (
    <SearchableChoice
      label={label}
      name={name}
      choices={choices}
      defaultValue={defaultValue ?? null}
      error={error}
      isRequired
      openLabel={t('setup.showCurrencies')}
    />
  );
}

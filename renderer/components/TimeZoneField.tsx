import { useId, type ComponentProps } from 'react';
import { Field } from './Field';

/** A time zone typed with suggestions from the browser's own list (America/New_York, Europe/Madrid...). */
export function TimeZoneField(props: { label: string; error?: string | null } & ComponentProps<'input'>) {
  const list = useId();
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return (
    <>
      <Field {...props} list={list} autoComplete="off" />
      <datalist id={list}>
        {zones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
    </>
  );
}

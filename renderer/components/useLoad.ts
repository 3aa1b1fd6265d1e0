import { useCallback, useEffect, useState } from 'react';
import type { ApiErrorBody } from '../../src/api/contract';
import { asError } from '../api/errors';

/** Loads something from the station when the screen opens; `reload` after a change. */
export function useLoad<T>(
  load: () => Promise<T>,
  key = '',
): { data: T | null; error: ApiErrorBody | null; reload(): Promise<void> } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const reload = useCallback(async () => {
    try {
      setData(await load());
      setError(null);
    } catch (err) {
      setError(asError(err));
    }
  }, [key]);
  useEffect(() => void reload(), [reload]);
  return { data, error, reload };
}

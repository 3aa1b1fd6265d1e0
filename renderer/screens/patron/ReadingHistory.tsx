import { useTranslation } from 'react-i18next';
import { client } from '../../api/client';
import { Problem } from '../../components/Problem';
import { useLoad } from '../../components/useLoad';
import { formatDate } from '../../format';

/** What the patron returned, kept only because they opted in (the station keeps nothing otherwise). */
export function ReadingHistory({
  patronId,
  locale,
  timeZone,
}: {
  patronId: string;
  locale: string;
  timeZone: string | null;
}) {
  const { t } = useTranslation();
  const { data, error } = useLoad(() => client.call('patrons.readingHistory', { patronId }), patronId);
  return (
    <section aria-labelledby="history-title">
      <h3 id="history-title">{t('patron.history')}</h3>
      <Problem error={error} />
      {data && data.length === 0 ? <p>{t('patron.historyEmpty')}</p> : null}
      {data && data.length > 0 ? (
        <table className="matrix">
          <thead>
            <tr>
              <th scope="col">{t('catalogue.recordTitle')}</th>
              <th scope="col">{t('catalogue.barcode')}</th>
              <th scope="col">{t('patron.borrowed')}</th>
              <th scope="col">{t('patron.returned')}</th>
            </tr>
          </thead>
          <tbody>
            {data.map((h) => (
              <tr key={`${h.itemBarcode}-${h.checkedOutAt}`} data-testid="history-row">
                <td>{h.title}</td>
                <td>{h.itemBarcode}</td>
                <td>{formatDate(h.checkedOutAt, locale, timeZone)}</td>
                <td>{formatDate(h.returnedAt, locale, timeZone)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

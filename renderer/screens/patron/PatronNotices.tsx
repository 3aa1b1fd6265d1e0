import { useTranslation } from 'react-i18next';
import { client } from '../../api/client';
import { Problem } from '../../components/Problem';
import { useLoad } from '../../components/useLoad';
import { formatDate } from '../../format';

/** The notices sent to this patron (docs/notices.md): what, how, when, and in what state. */
export function PatronNotices({
  patronId,
  locale,
  timeZone,
}: {
  patronId: string;
  locale: string;
  timeZone: string | null;
}) {
  const { t } = useTranslation();
  const { data, error } = useLoad(() => client.call('notices.forPatron', { patronId }), patronId);
  return (
    <section aria-labelledby="patron-notices-title">
      <h3 id="patron-notices-title">{t('noticeSettings.history')}</h3>
      <Problem error={error} />
      {data && data.length === 0 ? <p>{t('noticeSettings.noHistory')}</p> : null}
      {data && data.length > 0 ? (
        <table className="matrix">
          <thead>
            <tr>
              <th scope="col">{t('noticeSettings.kindColumn')}</th>
              <th scope="col">{t('noticeSettings.channelColumn')}</th>
              <th scope="col">{t('noticeSettings.statusColumn')}</th>
              <th scope="col">{t('noticeSettings.dateColumn')}</th>
            </tr>
          </thead>
          <tbody>
            {data.map((n) => (
              <tr key={n.id} data-testid="notice-row">
                <td>{t(`noticeSettings.noticeKind.${n.kind}`)}</td>
                <td>{t(`noticeSettings.channel.${n.channel}`)}</td>
                <td>{t(`noticeSettings.status.${n.status}`)}</td>
                <td>{formatDate(n.sentAt ?? n.createdAt, locale, timeZone)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

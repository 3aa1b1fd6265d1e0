import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody, ApiOutput } from '../../src/api/contract';
import { ApiError, client } from '../api/client';
import { Problem } from '../components/Problem';
import { useScans } from '../state/scans';

type DevicesView = ApiOutput<'devices.get'>;
const KINDS = ['checkout', 'checkin', 'hold', 'transit', 'payment'] as const;

/** Settings › Devices: what is connected, a test scan, a test print, and each slip as it will print. */
export function Devices() {
  const { t } = useTranslation();
  const [view, setView] = useState<DevicesView | null>(null);
  const [config, setConfig] = useState('');
  const [kind, setKind] = useState<(typeof KINDS)[number]>('hold');
  const [preview, setPreview] = useState<string[]>([]);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [message, setMessage] = useState('');
  const lastScan = useScans((s) => s.last);

  const load = async () => {
    const v = await client.call('devices.get', {});
    setView(v);
    setConfig(JSON.stringify(v.config, null, 2));
  };
  useEffect(() => void load().catch((e) => setError(e instanceof ApiError ? e.body : null)), []);
  useEffect(() => void client.call('devices.preview', { kind }).then((p) => setPreview(p.lines)).catch(() => setPreview([])), [kind, view]);

  async function save() {
    setError(null);
    try {
      await client.call('devices.configure', JSON.parse(config) as never);
      await load();
      setMessage(t('devices.saved'));
    } catch (e) {
      setError(e instanceof ApiError ? e.body : { code: 'INVALID', message: String(e) });
    }
  }

  async function testPrint() {
    setError(null);
    try {
      const r = await client.call('devices.testPrint', {});
      setMessage(t('devices.printQueued', { id: r.jobId }));
    } catch (e) {
      setError(e instanceof ApiError ? e.body : { code: 'INTERNAL', message: String(e) });
    }
  }

  return (
    <main id="main">
      <h1>{t('devices.title')}</h1>
      <section aria-labelledby="dev-list">
        <h2 id="dev-list">{t('devices.connected')}</h2>
        <table className="loans">
          <thead>
            <tr>
              <th scope="col">{t('devices.id')}</th>
              <th scope="col">{t('devices.kind')}</th>
              <th scope="col">{t('devices.state')}</th>
              <th scope="col">{t('devices.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {(view?.states ?? []).map((d) => (
              <tr key={String(d.id)} data-testid="device-row">
                <td>{String(d.id)}</td>
                <td>{String(d.kind)}</td>
                <td>{t(`devices.status.${String(d.status)}`)}</td>
                <td>{d.reason ? String(d.reason) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p aria-live="polite" data-testid="test-scan">
          {t('devices.testScan')}: {lastScan ? `${lastScan.barcode} (${lastScan.kind}, ${lastScan.source})` : t('devices.noScan')}
        </p>
        <button type="button" onClick={() => void testPrint()}>
          {t('devices.testPrint')}
        </button>
        <p aria-live="polite">{message}</p>
      </section>
      <section aria-labelledby="dev-config">
        <h2 id="dev-config">{t('devices.settings')}</h2>
        <label htmlFor="device-config">{t('devices.configLabel')}</label>
        <textarea id="device-config" rows={14} cols={70} value={config} onChange={(e) => setConfig(e.target.value)} spellCheck={false} />
        <div>
          <button type="button" onClick={() => void save()}>
            {t('devices.save')}
          </button>
        </div>
        <Problem error={error} />
      </section>
      <section aria-labelledby="dev-preview">
        <h2 id="dev-preview">{t('devices.preview')}</h2>
        <label htmlFor="slip-kind">{t('devices.slip')}</label>{' '}
        <select id="slip-kind" value={kind} onChange={(e) => setKind(e.target.value as (typeof KINDS)[number])}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`devices.slips.${k}`)}
              </option>
            ))}
        </select>
        <pre className="slip-preview" data-testid="slip-preview">{preview.join('\n')}</pre>
      </section>
    </main>
  );
}

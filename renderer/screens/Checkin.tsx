import { memo, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody } from '../../src/api/contract';
import { client } from '../api/client';
import { asError } from '../api/errors';
import { AlertModal } from '../components/AlertModal';
import { Field } from '../components/Field';
import { Problem, localised } from '../components/Problem';
import { Badge } from '../components/ui/Badge';
import { formatDay, formatMoney, useDeskFormat } from '../format';
import { printHtml } from '../print';
import { holdSoundOn, playHoldSound, setHoldSound } from '../sounds';
import { useDesk, type Returned } from '../state/desk';
import { useNewScans } from '../state/scans';
import { useSession } from '../state/session';
import { parseMoney } from '../../src/domain/money';
import '../styles/circulation.css';

/** Notices the row already says in its own words (the action badge, the fine badge). */
const SAID_BY_THE_ROW = new Set([
  'HOLD_TRAPPED_WAITING',
  'HOLD_TRAPPED_TRANSIT',
  'ROUTE_TO_BRANCH',
  'FINE_CHARGED',
  'ILL_SHIP_BACK',
  'ITEM_TO_REPAIR',
  'DAMAGE_CHARGED',
]);

type DamageCharge = 'none' | 'price' | 'amount';

const holderOf = (r: Returned) => (r.hold?.patron ? `${r.hold.patron.firstName} ${r.hold.patron.cardTail}`.trim() : '');
const isHold = (r: Returned) => r.action === 'hold_waiting' || r.action === 'hold_transit';

/**
 * Returns: each copy says what to do with it next, in a badge, the latest on top and marked.
 * A hold found stops the desk in a dialog (with a sound, unless turned off) until staff say they
 * have it. A book-drop date, once set, shows as a banner over the list until "Stop backdating"
 * (or leaving the screen): no return is ever backdated without it showing.
 */
export function Checkin() {
  const { t } = useTranslation();
  // The one formatter: the desk's language, the branch's zone.
  const locale = useDeskFormat().locale;
  const results = useDesk((s) => s.checkin.results);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [backdate, setBackdate] = useState('');
  const [holdFound, setHoldFound] = useState<Returned | null>(null);
  const [heldBack, setHeldBack] = useState<string | null>(null);
  const [sound, setSound] = useState(holdSoundOn);
  const item = useRef<HTMLInputElement>(null);
  // "Damaged": applies to the next copy checked in only, then clears itself.
  const currency = useSession((s) => s.setup?.currency ?? 'USD');
  const [damaged, setDamaged] = useState(false);
  const [damageNote, setDamageNote] = useState('');
  const [charge, setCharge] = useState<DamageCharge>('none');
  const [amount, setAmount] = useState('');
  const [amountError, setAmountError] = useState<string | null>(null);

  function damageInput() {
    if (!damaged) return null;
    if (charge !== 'amount') return { note: damageNote, charge };
    const minor = parseMoney(amount, currency);
    return { note: damageNote, charge, amount: minor };
  }

  async function checkin(itemBarcode: string) {
    setError(null);
    setAmountError(null);
    const damage = damageInput();
    if (damage && damage.charge === 'amount' && (damage.amount == null || damage.amount <= 0)) {
      setAmountError(t('checkin.damageAmountInvalid'));
      return;
    }
    try {
      const r = await client.call('circulation.checkin', {
        itemBarcode,
        backdate: backdate || null,
        ...(damage ? { damage } : {}),
      });
      useDesk.getState().returned({ ...r, backdatedTo: backdate || null });
      if (item.current) item.current.value = '';
      if (damage) {
        setDamaged(false);
        setDamageNote('');
        setCharge('none');
        setAmount('');
        item.current?.focus();
      }
      if (isHold(r)) {
        setHeldBack(null);
        setHoldFound(r);
        if (holdSoundOn()) playHoldSound();
      }
    } catch (err) {
      setError(asError(err));
    }
  }

  function acknowledge() {
    setHoldFound(null);
    setHeldBack(null);
    item.current?.focus();
  }

  useEffect(() => {
    if (!holdFound) item.current?.focus();
  }, [holdFound]);

  useNewScans((scan) => {
    if (scan.kind === 'patron') return;
    // Nothing is checked in behind the hold dialog: the copy in hand is dealt with first.
    if (holdFound) setHeldBack(scan.barcode);
    else void checkin(scan.barcode);
  });

  return (
    <main id="main" className="circ checkin">
      <h1>{t('checkin.title')}</h1>
      <form
        className="barcode-bar"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void checkin(item.current?.value ?? '');
        }}
      >
        <Field
          label={t('checkin.itemBarcode')}
          ref={item}
          name="itemBarcode"
          autoComplete="off"
          autoFocus
          inputMode="numeric"
        />
        <Field
          label={t('checkin.backdate')}
          name="backdate"
          type="date"
          value={backdate}
          onChange={(e) => setBackdate(e.target.value)}
        />
        <button type="submit">{t('checkin.submit')}</button>
        <label className="check">
          <input
            type="checkbox"
            checked={sound}
            onChange={(e) => {
              setHoldSound(e.target.checked);
              setSound(e.target.checked);
            }}
          />{' '}
          {t('checkin.holdSound')}
        </label>
        <label className="check">
          <input type="checkbox" name="damaged" checked={damaged} onChange={(e) => setDamaged(e.target.checked)} />{' '}
          {t('checkin.damaged')}
        </label>
        {damaged ? (
          <div className="damage-fields" data-testid="damage-fields">
            <Field
              label={t('checkin.damageNote')}
              name="damageNote"
              value={damageNote}
              maxLength={500}
              onChange={(e) => setDamageNote(e.target.value)}
            />
            <fieldset className="choice">
              <legend>{t('checkin.damageCharge')}</legend>
              {(['none', 'price', 'amount'] as const).map((c) => (
                <label key={c} className="check">
                  <input
                    type="radio"
                    name="damageCharge"
                    value={c}
                    checked={charge === c}
                    onChange={() => setCharge(c)}
                  />{' '}
                  {t(`checkin.damageCharges.${c}`)}
                </label>
              ))}
            </fieldset>
            {charge === 'amount' ? (
              <Field
                label={t('checkin.damageAmount', { currency })}
                name="damageAmount"
                inputMode="decimal"
                value={amount}
                error={amountError}
                onChange={(e) => setAmount(e.target.value)}
              />
            ) : null}
          </div>
        ) : null}
      </form>
      {backdate ? (
        <div className="backdate-banner" role="status" data-testid="backdate-banner">
          <Badge tone="warning">{t('checkin.backdateOnBadge')}</Badge>
          <span>{t('checkin.backdateOn', { date: formatDay(backdate, locale) })}</span>
          <button
            type="button"
            onClick={() => {
              setBackdate('');
              item.current?.focus();
            }}
          >
            {t('checkin.stopBackdating')}
          </button>
        </div>
      ) : null}
      <Problem error={error} />
      <section aria-labelledby="returned-items" className="returned">
        <h2 id="returned-items">
          {t('checkin.results')}{' '}
          <span className="count" data-testid="return-count">
            {t('checkin.count', { count: results.length })}
          </span>
        </h2>
        {/* Polite: each new row is read out (the latest first), without interrupting. */}
        <table className="data-table" aria-live="polite">
          <thead>
            <tr>
              <th scope="col">{t('circ.colTitle')}</th>
              <th scope="col">{t('circ.colBarcode')}</th>
              <th scope="col">{t('checkin.colToDo')}</th>
              <th scope="col">{t('checkin.colNotes')}</th>
              <th scope="col">{t('circ.colAction')}</th>
            </tr>
          </thead>
          <tbody>
            {results.map((r, i) => (
              <ReturnRow key={`${r.itemId}-${results.length - i}`} r={r} latest={i === 0} locale={locale} />
            ))}
          </tbody>
        </table>
      </section>
      {holdFound ? (
        <AlertModal title={t('checkin.holdFoundTitle')} tone="hold" testId="hold-found">
          <p className="hold-found-title">
            <strong>{holdFound.title}</strong> ({holdFound.itemBarcode})
          </p>
          <p className="hold-found-what">
            <WhatToDo r={holdFound} />
          </p>
          {holdFound.hold?.shelfExpiresOn && holdFound.action === 'hold_waiting' ? (
            <p>{t('checkin.keepUntil', { date: formatDay(holdFound.hold.shelfExpiresOn, locale) })}</p>
          ) : null}
          {holdFound.printJob != null ? <p>{t('checkin.slipPrinted')}</p> : null}
          {heldBack ? (
            <p role="alert" className="problem">
              {t('checkin.scanHeldBack', { barcode: heldBack })}
            </p>
          ) : null}
          <div className="modal-buttons">
            {holdFound.slipHtml && holdFound.printJob == null ? (
              <button type="button" onClick={() => printHtml(holdFound.slipHtml!)}>
                {t('checkin.printSlip')}
              </button>
            ) : null}
            <button type="button" className="primary" autoFocus onClick={acknowledge}>
              {t('checkin.acknowledge')}
            </button>
          </div>
        </AlertModal>
      ) : null}
    </main>
  );
}

/** What to do with the copy, as a badge: shelve it, hold shelf for someone, send it somewhere. */
function WhatToDo({ r }: { r: Returned }) {
  const { t } = useTranslation();
  const name = holderOf(r);
  const branch = r.destinationBranch?.name ?? '';
  if (r.action === 'hold_waiting') return <Badge tone="hold">{t('checkin.badgeHoldShelf', { name })}</Badge>;
  if (r.action === 'hold_transit') return <Badge tone="hold">{t('checkin.badgeHoldTransit', { name, branch })}</Badge>;
  if (r.action === 'transit') return <Badge tone="transit">{t('checkin.transit', { branch })}</Badge>;
  // A borrowed item's temporary copy: off the shelf, into the box for the lending library.
  if (r.action === 'ill_ship_back')
    return (
      <Badge tone="warning">
        {t('checkin.illShipBack', {
          library: r.notices.find((n) => n.code === 'ILL_SHIP_BACK')?.params?.library ?? '',
        })}
      </Badge>
    );
  if (r.action === 'repair') return <Badge tone="warning">{t('checkin.badgeRepair')}</Badge>;
  return <Badge tone="ok">{t('checkin.badgeShelve')}</Badge>;
}

const ReturnRow = memo(function ReturnRow({ r, latest, locale }: { r: Returned; latest: boolean; locale: string }) {
  const { t } = useTranslation();
  const notices = r.notices.filter((n) => !SAID_BY_THE_ROW.has(n.code));
  return (
    <tr className={latest ? 'latest' : undefined} data-testid="return-row" aria-current={latest ? 'true' : undefined}>
      <td>
        {latest ? <span className="sr-only">{t('checkin.latest')} </span> : null}
        {r.title}
      </td>
      <td className="nowrap">{r.itemBarcode}</td>
      <td className="badges">
        <WhatToDo r={r} />
        {r.fine ? (
          <Badge tone="warning">
            {t('checkin.badgeFine', { amount: formatMoney(r.fine.amount, r.fine.currency, locale) })}
          </Badge>
        ) : null}
        {r.damage?.charge ? (
          <Badge tone="warning">
            {t('checkin.badgeDamageCharge', {
              amount: formatMoney(r.damage.charge.amount, r.damage.charge.currency, locale),
            })}
          </Badge>
        ) : null}
      </td>
      <td>
        {r.damage ? <span>{t('checkin.damagedNote', { note: r.damage.note })} </span> : null}
        {r.hold?.shelfExpiresOn && r.action === 'hold_waiting' ? (
          <span>{t('checkin.keepUntil', { date: formatDay(r.hold.shelfExpiresOn, locale) })} </span>
        ) : null}
        {r.backdatedTo ? <span>{t('checkin.returnedOn', { date: formatDay(r.backdatedTo, locale) })} </span> : null}
        {!r.wasOnLoan ? <span>{t('checkin.notOnLoan')} </span> : null}
        {notices.length > 0 ? (
          <strong className="notice">
            {notices.map((n) => t(`notices.${n.code}`, localised(n.params ?? {}, locale))).join(' ')}
          </strong>
        ) : null}
        {/* Checked in all the same: only the slip did not follow. */}
        {r.followUpFailed ? (
          <strong className="notice" role="status" data-testid="follow-up-failed">
            {' '}
            {t(`followUp.${r.followUpFailed.code}`)}
          </strong>
        ) : null}
      </td>
      <td className="nowrap">
        {r.slipHtml && r.printJob == null ? (
          <button type="button" className="small" onClick={() => printHtml(r.slipHtml!)}>
            {t('checkin.printSlip')}
          </button>
        ) : null}
      </td>
    </tr>
  );
});

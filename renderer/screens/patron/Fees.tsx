// A patron's money at the desk: what they owe (each fee says what it is for: the copy's title
// and barcode, or the reason staff gave), the fines still accruing on copies not yet back, a
// payment by cash, card, cheque or other (with its reference) and its receipt, manual charges,
// waivers, and the history of it all. Dates are the branch's, whatever this PC's zone.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ApiErrorBody, ApiOutput } from '../../../src/api/contract';
import { client } from '../../api/client';
import { asError } from '../../api/errors';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { FormReader, moneyInput, type FieldErrors } from '../../components/formReader';
import { FormButtons, Options, SelectField } from '../../components/Inputs';
import { OverrideForm } from '../../components/OverrideForm';
import { Problem } from '../../components/Problem';
import { formatDate, formatMoney } from '../../format';
import { printHtml } from '../../print';

type Summary = ApiOutput<'patrons.lookup'>;
type Fee = ApiOutput<'fees.waive'>;
type Paid = ApiOutput<'fees.pay'>;
type HistoryLine = ApiOutput<'fees.history'>[number];

const METHODS = ['cash', 'card', 'cheque', 'other'] as const;
type Method = (typeof METHODS)[number];
/** The charges staff add by hand: a lost card's replacement, damage, printing, anything else. */
const CHARGE_KINDS = ['card_replacement', 'damage', 'printing', 'manual'] as const;
/** Kinds whose description is the system's own word, not a reason staff typed. */
const SYSTEM_DESCRIBED = new Set(['overdue', 'lost', 'hold_expired']);

/** What a fee is for, in words: "Overdue fine: Dune (30234000000012)", "Printing: 4 pages". */
export function feeLabel(
  t: TFunction,
  fee: { kind: string; description: string; title?: string | null; itemBarcode?: string | null },
): string {
  const kind = t([`fees.kind.${fee.kind}`, 'fees.kind.manual']);
  const reason = SYSTEM_DESCRIBED.has(fee.kind) ? null : fee.description;
  if (fee.title) {
    const what = t('fees.forItem', { kind, title: fee.title, barcode: fee.itemBarcode ?? '' });
    return reason ? `${what}, ${reason}` : what;
  }
  return reason ? t('fees.forReason', { kind, reason }) : kind;
}

/** Fees still owed, each with what it is for, its date in the branch's zone, and its own Pay and Waive buttons. */
export function FeeList({
  fees,
  locale,
  timeZone,
  onWaive,
  onPay,
}: {
  fees: Fee[];
  locale: string;
  timeZone: string | null;
  onWaive(fee: Fee): void;
  onPay?(fee: Fee): void;
}) {
  const { t } = useTranslation();
  const owed = fees.filter((f) => f.outstanding > 0);
  if (owed.length === 0) return null;
  return (
    <table aria-label={t('patron.fees')} className="data-table fees">
      <thead>
        <tr>
          <th scope="col">{t('fees.colFee')}</th>
          <th scope="col">{t('fees.colSince')}</th>
          <th scope="col" className="num">
            {t('fees.colOwed')}
          </th>
          <th scope="col">{t('fees.colActions')}</th>
        </tr>
      </thead>
      <tbody>
        {owed.map((f) => {
          const label = feeLabel(t, f);
          const amount = formatMoney(f.outstanding, f.currency, locale);
          return (
            <tr key={f.id} data-testid="fee">
              <td>{label}</td>
              <td className="nowrap">{formatDate(f.createdAt, locale, timeZone)}</td>
              <td className="num nowrap">{amount}</td>
              <td className="nowrap">
                {onPay ? (
                  <button
                    type="button"
                    className="small"
                    aria-label={t('fees.payFee', { amount, fee: label })}
                    onClick={() => onPay(f)}
                  >
                    {t('fees.pay')}
                  </button>
                ) : null}{' '}
                <button
                  type="button"
                  className="small"
                  aria-label={t('patron.waiveFee', { amount, fee: label })}
                  onClick={() => onWaive(f)}
                >
                  {t('patron.waive')}
                </button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Fines still growing on copies not yet back: counted in what is owed, charged when the copy is returned. */
export function AccruingList({
  accruing,
  currency,
  locale,
  timeZone,
}: {
  accruing: NonNullable<Summary['accruing']>;
  currency: string;
  locale: string;
  timeZone: string | null;
}) {
  const { t } = useTranslation();
  if (accruing.length === 0) return null;
  return (
    <>
      <h4>{t('fees.accruingTitle')}</h4>
      <table aria-label={t('fees.accruingTitle')} className="data-table fees accruing">
        <thead>
          <tr>
            <th scope="col">{t('circ.colTitle')}</th>
            <th scope="col">{t('circ.colBarcode')}</th>
            <th scope="col">{t('circ.colDue')}</th>
            <th scope="col" className="num">
              {t('fees.colSoFar')}
            </th>
          </tr>
        </thead>
        <tbody>
          {accruing.map((a) => (
            <tr key={a.loanId} data-testid="accruing-fine">
              <td>{a.title}</td>
              <td className="nowrap">{a.itemBarcode}</td>
              <td className="nowrap">{formatDate(a.dueAt, locale, timeZone)}</td>
              <td className="num nowrap">{formatMoney(a.amount, currency, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">{t('fees.accruingHint')}</p>
    </>
  );
}

/**
 * The whole of a patron's fees at the desk. `onChange` gets the patron's summary as the station
 * has it after a payment, a charge or a waiver.
 */
export function FeesPanel({
  summary,
  locale,
  timeZone,
  onChange,
}: {
  summary: Summary;
  locale: string;
  timeZone: string | null;
  onChange(next: Summary): void;
}) {
  const { t } = useTranslation();
  const p = summary.patron;
  const [waiving, setWaiving] = useState<Fee | null>(null);
  const [charging, setCharging] = useState(false);
  const [payFor, setPayFor] = useState<Fee | null>(null);
  const [method, setMethod] = useState<Method>('cash');
  const [paid, setPaid] = useState<Paid | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [message, setMessage] = useState('');
  const [history, setHistory] = useState<HistoryLine[] | null>(null);
  const money = (x: number) => formatMoney(x, summary.currency, locale);
  const charged = summary.fees.filter((f) => f.outstanding > 0);
  const chargedOwed = charged.reduce((s, f) => s + f.outstanding, 0);
  const accrued = summary.accruedFines ?? 0;
  const due = payFor ? payFor.outstanding : chargedOwed;

  async function refreshHistory() {
    if (history) setHistory(await client.call('fees.history', { patronId: p.id }));
  }
  async function changed(next: Summary, said: string) {
    onChange(next);
    setMessage(said);
    setError(null);
    await refreshHistory();
  }

  async function pay(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormReader(e.currentTarget, t);
    let tendered: number;
    let amount: number | null;
    let reference: string | null = null;
    if (method === 'cash') {
      tendered = f.money('tendered', summary.currency);
      if (f.ok && tendered <= 0) f.fail('tendered', t('form.money'));
      amount = payFor ? Math.min(payFor.outstanding, tendered) : null;
    } else {
      amount = f.money('amount', summary.currency);
      if (f.ok && (amount <= 0 || amount > due)) f.fail('amount', t('patron.waiveRange', { max: money(due) }));
      reference = method === 'cheque' ? f.required('reference', 120) : f.optional('reference', 120);
      tendered = amount;
    }
    setErrors(f.errors);
    if (!f.ok) return;
    try {
      const result = await client.call('fees.pay', {
        patronId: p.id,
        tendered,
        method,
        ...(amount !== null ? { amount } : {}),
        ...(reference ? { reference } : {}),
        ...(payFor ? { feeIds: [payFor.id] } : {}),
      });
      setPaid(result);
      setPayFor(null);
      await changed(await client.call('patrons.lookup', { barcode: p.cardBarcode }), '');
    } catch (err) {
      setError(asError(err));
    }
  }

  async function toggleHistory() {
    if (history) return setHistory(null);
    try {
      setHistory(await client.call('fees.history', { patronId: p.id }));
    } catch (err) {
      setError(asError(err));
    }
  }

  return (
    <section aria-labelledby={`fees-${p.id}`} className="fees-panel">
      <h3 id={`fees-${p.id}`}>{t('patron.fees')}</h3>
      <p>
        {t('checkout.owed')}: <strong data-testid="fees-owed">{money(summary.feesOwed)}</strong>
        {accrued > 0 ? (
          <span data-testid="fees-accruing"> {t('fees.ofWhichAccruing', { amount: money(accrued) })}</span>
        ) : null}
      </p>
      <FeeList
        fees={summary.fees}
        locale={locale}
        timeZone={timeZone}
        onWaive={setWaiving}
        onPay={(fee) => {
          setPayFor(fee);
          setPaid(null);
        }}
      />
      <AccruingList accruing={summary.accruing ?? []} currency={summary.currency} locale={locale} timeZone={timeZone} />

      {chargedOwed > 0 ? (
        <form onSubmit={(e) => void pay(e)} aria-label={t('fees.payForm')} noValidate className="pay">
          {payFor ? (
            <p>
              {t('fees.paying', { fee: feeLabel(t, payFor), amount: money(payFor.outstanding) })}{' '}
              <button type="button" onClick={() => setPayFor(null)}>
                {t('fees.payAll', { amount: money(chargedOwed) })}
              </button>
            </p>
          ) : null}
          <SelectField
            label={t('fees.method')}
            name="method"
            value={method}
            onChange={(e) => setMethod(e.currentTarget.value as Method)}
          >
            <Options values={METHODS} label={(m) => t(`fees.methods.${m}`)} />
          </SelectField>
          {method === 'cash' ? (
            <Field
              key="tendered"
              label={t('patrons.tendered')}
              name="tendered"
              inputMode="decimal"
              required
              autoComplete="off"
              error={errors.tendered}
            />
          ) : (
            <>
              <Field
                key={`amount-${payFor?.id ?? 'all'}`}
                label={t('fees.amount', { currency: summary.currency })}
                name="amount"
                inputMode="decimal"
                required
                defaultValue={moneyInput(due, summary.currency)}
                autoComplete="off"
                error={errors.amount}
              />
              <Field
                key={`reference-${method}`}
                label={t(method === 'cheque' ? 'fees.chequeNumber' : 'fees.reference')}
                name="reference"
                required={method === 'cheque'}
                autoComplete="off"
                error={errors.reference}
              />
            </>
          )}
          <button type="submit">{t('patrons.pay')}</button>
        </form>
      ) : null}
      {paid ? (
        <p role="status" data-testid="change-due">
          {paid.method && paid.method !== 'cash'
            ? t('fees.paidBy', { paid: money(paid.applied), method: t(`fees.methods.${paid.method}`) })
            : t('patrons.changeDue', { change: money(paid.change), paid: money(paid.applied) })}
          {/* The payment is recorded all the same: say so, so nobody takes the money twice. */}
          {paid.followUpFailed ? (
            <strong data-testid="follow-up-failed"> {t(`followUp.${paid.followUpFailed.code}`)}</strong>
          ) : null}
        </p>
      ) : null}
      {/* The receipt for the system printer (no receipt printer here), or a copy of it. */}
      {/* Focused as it appears: the form the payment was taken with is gone, and this is what comes next. */}
      {paid?.receiptHtml ? (
        <button type="button" autoFocus onClick={() => printHtml(paid.receiptHtml!)}>
          {t('fees.printReceipt')}
        </button>
      ) : null}
      <p role="status" className="saved">
        {message}
      </p>
      <Problem error={error} />
      <div className="actions">
        <button type="button" onClick={() => setCharging(true)}>
          {t('fees.addCharge')}
        </button>
        <button type="button" aria-expanded={history !== null} onClick={() => void toggleHistory()}>
          {t('fees.history')}
        </button>
      </div>
      {history ? <FeeHistory lines={history} locale={locale} timeZone={timeZone} /> : null}

      {charging ? (
        <ChargeDialog
          currency={summary.currency}
          onCancel={() => setCharging(false)}
          onSave={async (input) => {
            await client.call('fees.charge', { patronId: p.id, ...input });
            setCharging(false);
            await changed(await client.call('patrons.get', { patronId: p.id }), t('fees.charged'));
          }}
        />
      ) : null}
      {waiving ? (
        <WaiveDialog
          fee={waiving}
          locale={locale}
          onCancel={() => setWaiving(null)}
          onSave={async ({ reason, amount, override }) => {
            await client.call('fees.waive', { feeId: waiving.id, reason, amount, ...(override ? { override } : {}) });
            setWaiving(null);
            await changed(await client.call('patrons.get', { patronId: p.id }), t('patron.waived'));
          }}
        />
      ) : null}
    </section>
  );
}

/** Everything that happened to the patron's fees, newest first, each line naming what it was for. */
export function FeeHistory({
  lines,
  locale,
  timeZone,
}: {
  lines: HistoryLine[];
  locale: string;
  timeZone: string | null;
}) {
  const { t } = useTranslation();
  if (lines.length === 0) return <p>{t('fees.noHistory')}</p>;
  return (
    <table className="fee-history">
      <caption>{t('fees.history')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('fees.col.date')}</th>
          <th scope="col">{t('fees.col.event')}</th>
          <th scope="col">{t('fees.col.what')}</th>
          <th scope="col">{t('fees.col.amount')}</th>
          <th scope="col">{t('fees.col.details')}</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((l) => (
          <tr key={l.id} data-testid="fee-history-line">
            <td>{formatDate(l.at, locale, timeZone)}</td>
            <td>{t(`fees.event.${l.event}`)}</td>
            <td>
              {feeLabel(t, { kind: l.feeKind, description: l.description, title: l.title, itemBarcode: l.itemBarcode })}
            </td>
            <td>{formatMoney(l.amount, l.currency, locale)}</td>
            <td>
              {l.method ? t(`fees.methods.${l.method}`) : ''}
              {l.reference ? ` ${l.reference}` : ''}
              {l.reason ?? ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A charge added by hand: what kind, how much, why (required), and the copy it is for when there is one. */
export function ChargeDialog({
  currency,
  onSave,
  onCancel,
}: {
  currency: string;
  onSave(input: {
    kind: (typeof CHARGE_KINDS)[number];
    amount: number;
    description: string;
    itemBarcode: string | null;
  }): Promise<void>;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiErrorBody | null>(null);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormReader(e.currentTarget, t);
    const kind = f.text('kind') as (typeof CHARGE_KINDS)[number];
    const amount = f.money('amount', currency);
    if (f.ok && amount <= 0) f.fail('amount', t('form.money'));
    const description = f.required('reason', 300);
    const itemBarcode = f.optional('itemBarcode', 64);
    setErrors(f.errors);
    if (!f.ok) return;
    try {
      await onSave({ kind: CHARGE_KINDS.includes(kind) ? kind : 'manual', amount, description, itemBarcode });
    } catch (err) {
      setError(asError(err));
    }
  }
  const title = t('fees.addCharge');
  return (
    <Dialog title={title} onCancel={onCancel}>
      <form onSubmit={(e) => void submit(e)} aria-label={title} noValidate>
        <SelectField label={t('fees.chargeKind')} name="kind" defaultValue="card_replacement">
          <Options values={CHARGE_KINDS} label={(k) => t(`fees.kind.${k}`)} />
        </SelectField>
        <Field
          label={t('fees.amount', { currency })}
          name="amount"
          inputMode="decimal"
          required
          autoComplete="off"
          autoFocus
          error={errors.amount}
        />
        <Field label={t('fees.chargeReason')} name="reason" required autoComplete="off" error={errors.reason} />
        <Field
          label={t('fees.chargeItem')}
          name="itemBarcode"
          autoComplete="off"
          data-scan-field="kept"
          error={errors.itemBarcode}
        />
        <Problem error={error} />
        <FormButtons submit={t('fees.chargeSubmit')} cancel={t('form.cancel')} onCancel={onCancel} />
      </form>
    </Dialog>
  );
}

/**
 * Waive a fee, in full or in part, with a reason. Only staff allowed to waive fees may: when the
 * station refuses the signed-in account, a supervisor types their own credentials here and the
 * waiver goes through once on their grant (fees.waive's `override`).
 */
export function WaiveDialog({
  fee,
  locale,
  onSave,
  onCancel,
}: {
  fee: Fee;
  locale: string;
  onSave(input: { reason: string; amount: number | null; override?: { token: string } }): Promise<void>;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiErrorBody | null>(null);
  // What was refused for lack of permission: a supervisor's grant sends it again.
  const [refused, setRefused] = useState<{ reason: string; amount: number | null } | null>(null);
  async function save(input: { reason: string; amount: number | null }, override?: { token: string }) {
    try {
      await onSave(override ? { ...input, override } : input);
    } catch (err) {
      const e = asError(err);
      setError(e);
      // Refused even on a grant (it expired): the supervisor's form stays for another try.
      if (!override) setRefused(e.code === 'FORBIDDEN' ? input : null);
    }
  }
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormReader(e.currentTarget, t);
    const reason = f.required('reason', 500);
    const amount = f.money('amount', fee.currency);
    if (f.ok && (amount <= 0 || amount > fee.outstanding))
      f.fail('amount', t('patron.waiveRange', { max: formatMoney(fee.outstanding, fee.currency, locale) }));
    setErrors(f.errors);
    setRefused(null);
    if (!f.ok) return;
    void save({ reason, amount: amount === fee.outstanding ? null : amount });
  }
  const title = t('patron.waiveTitle', { fee: feeLabel(t, fee) });
  return (
    <Dialog title={title} onCancel={onCancel}>
      <form onSubmit={submit} aria-label={title} noValidate>
        <Field
          label={t('patron.waiveAmount', { currency: fee.currency })}
          name="amount"
          defaultValue={moneyInput(fee.outstanding, fee.currency)}
          inputMode="decimal"
          autoComplete="off"
          error={errors.amount}
        />
        <Field
          label={t('patron.waiveReason')}
          name="reason"
          required
          autoComplete="off"
          autoFocus
          error={errors.reason}
        />
        <Problem error={error} />
        {refused ? <p>{t('patron.waiveNeedsSupervisor')}</p> : null}
        <FormButtons submit={t('patron.waiveSubmit')} cancel={t('form.cancel')} onCancel={onCancel} />
      </form>
      {refused ? (
        <OverrideForm
          submitLabel={t('patron.waiveOverrideSubmit')}
          onCancel={() => setRefused(null)}
          onGranted={(token) => void save(refused, { token })}
        />
      ) : null}
    </Dialog>
  );
}

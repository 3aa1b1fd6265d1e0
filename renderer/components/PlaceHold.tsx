// Placing a hold from where people look: a catalogue result, the holds screen, the patron's
// page. For whom (a card, unless the patron is already known), where to pick it up (the branches,
// as a real listbox), and whether any copy will do (title level) or one copy (item level).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorBody } from '../../src/api/contract';
import { client } from '../api/client';
import { asError } from '../api/errors';
import { Field } from './Field';
import { Problem } from './Problem';
import { useLoad } from './useLoad';
import { ChoiceSelect } from './ui/ChoiceSelect';
import { useSession } from '../state/session';

export interface HoldPatron {
  id: string;
  name: string;
}

export function PlaceHold({
  recordId,
  title,
  patron,
  initialCard = '',
  onPlaced,
  onCancel,
}: {
  recordId: string;
  title: string;
  patron?: HoldPatron;
  /** A card already typed elsewhere on the screen (the Holds screen's "for the patron with card"). */
  initialCard?: string;
  onPlaced(said: string): void | Promise<void>;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  useFocusBackOnClose();
  const branchName = useSession((s) => s.setup?.branchName ?? null);
  const lists = useLoad(async () => {
    const [branches, record] = await Promise.all([
      client.call('branches.list', {}),
      client.call('catalogue.record', { recordId }),
    ]);
    return { branches, copies: record.items };
  }, recordId);
  const [card, setCard] = useState(initialCard);
  const [pickup, setPickup] = useState<string | null>(null);
  const [level, setLevel] = useState<'title' | 'item'>('title');
  const [copyId, setCopyId] = useState<string | null>(null);
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [cardError, setCardError] = useState<string | null>(null);
  const branches = lists.data?.branches ?? [];
  // This desk's branch is the usual pickup place.
  const pickupId = pickup ?? branches.find((b) => b.name === branchName)?.id ?? branches[0]?.id ?? null;
  const copies = (lists.data?.copies ?? []).filter((c) => c.status !== 'withdrawn');
  const chosenCopy = level === 'item' ? (copyId ?? copies[0]?.id ?? null) : null;

  async function place() {
    setError(null);
    setCardError(null);
    if (!patron && !card.trim()) return setCardError(t('form.required'));
    try {
      let who: HoldPatron;
      if (patron) who = patron;
      else {
        const found = (await client.call('patrons.lookup', { barcode: card.trim() })).patron;
        who = { id: found.id, name: `${found.firstName} ${found.lastName}` };
      }
      await client.call('holds.place', {
        patronId: who.id,
        recordId,
        pickupBranchId: pickupId,
        ...(chosenCopy ? { itemId: chosenCopy } : {}),
      });
      await onPlaced(t('holds.placed', { title, name: who.name }));
    } catch (err) {
      setError(asError(err));
    }
  }

  return (
    <form
      className="panel"
      aria-label={t('holds.placeFor', { title })}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void place();
      }}
    >
      <h3>{t('holds.placeFor', { title })}</h3>
      {patron ? (
        <p>{t('holds.forName', { name: patron.name })}</p>
      ) : (
        <Field
          label={t('holds.forPatron')}
          value={card}
          onChange={(e) => setCard(e.target.value)}
          autoComplete="off"
          inputMode="numeric"
          autoFocus
          data-scan-field="kept"
          error={cardError}
        />
      )}
      <ChoiceSelect label={t('holds.pickupBranch')} choices={branches} value={pickupId} onChange={setPickup} />
      <fieldset>
        <legend>{t('holds.level')}</legend>
        <label className="radio">
          <input type="radio" name="level" checked={level === 'title'} onChange={() => setLevel('title')} />{' '}
          {t('holds.titleLevel')}
        </label>
        <label className="radio">
          <input
            type="radio"
            name="level"
            checked={level === 'item'}
            onChange={() => setLevel('item')}
            disabled={copies.length === 0}
          />{' '}
          {t('holds.itemLevel')}
        </label>
      </fieldset>
      {level === 'item' ? (
        <ChoiceSelect
          label={t('holds.whichCopy')}
          choices={copies.map((c) => ({ id: c.id, name: `${c.barcode} · ${t(`catalogue.statuses.${c.status}`)}` }))}
          value={chosenCopy}
          onChange={setCopyId}
        />
      ) : null}
      <Problem error={error ?? lists.error} />
      <div className="form-buttons">
        <button type="submit">{t('holds.place')}</button>
        <button type="button" onClick={onCancel}>
          {t('form.cancel')}
        </button>
      </div>
    </form>
  );
}

/**
 * The form goes away when the hold is placed or the form cancelled, and the focus with it: it
 * goes back to what opened the form (the result's "Place a hold"), as a dialog's does, rather
 * than to the page. Where that is gone too (the patron's search results), the screen decides.
 */
function useFocusBackOnClose(): void {
  // Read while the form renders for the first time, before any of its fields takes the focus.
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : null));
  useEffect(
    () => () => {
      // After the form's nodes are gone: the focus is on the page only if it was in the form.
      setTimeout(() => {
        const lost = document.activeElement === null || document.activeElement === document.body;
        if (lost && opener?.isConnected) opener.focus();
      });
    },
    [opener],
  );
}

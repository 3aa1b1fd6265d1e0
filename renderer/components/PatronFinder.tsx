// The circulation screens' patron box: scan or type a card and press Enter, or type a name and
// pick the patron from the list (a real combobox: arrow keys, Enter, Escape, announced options).
import { memo, useEffect, useState, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { ComboBox, Input, Label, ListBox, ListBoxItem, Popover, Text } from 'react-aria-components';
import type { ApiOutput } from '../../src/api/contract';
import { client } from '../api/client';

type Match = ApiOutput<'patrons.search'>[number];

/** Most names a desk needs to look at; a longer list means "type more of the name". */
const MATCHES_SHOWN = 8;
/** Wait for a pause in typing before asking the station. */
const SEARCH_DELAY_MS = 200;

/** A name has a letter in it; a card (scanned or typed) does not, so it is never searched by name. */
export const looksLikeName = (text: string): boolean => /\p{L}/u.test(text) && text.trim().length >= 2;

/**
 * Memoised: the screen around it renders on every item scanned, and a combobox is not cheap to
 * render; it needs to only when its own text changes (the bench measures scan to row).
 */
export const PatronFinder = memo(function PatronFinder({
  value,
  onValueChange,
  onFind,
  inputRef,
  autoFocus = false,
}: {
  value: string;
  onValueChange(value: string): void;
  /** A card barcode: typed, scanned, or the card of the patron picked from the list. */
  onFind(card: string): void;
  inputRef?: Ref<HTMLInputElement>;
  autoFocus?: boolean;
}) {
  const { t } = useTranslation();
  const [matches, setMatches] = useState<{ query: string; list: Match[] } | null>(null);
  const query = value.trim();
  const nameLike = looksLikeName(query);

  useEffect(() => {
    if (!nameLike) {
      setMatches(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      client
        .call('patrons.search', { query })
        .then((list) => live && setMatches({ query, list: list.slice(0, MATCHES_SHOWN) }))
        .catch(() => live && setMatches({ query, list: [] }));
    }, SEARCH_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query, nameLike]);

  const list = nameLike && matches ? matches.list : [];
  return (
    <form
      className="patron-finder"
      onSubmit={(e) => {
        e.preventDefault();
        if (query) onFind(query);
      }}
    >
      <ComboBox
        className="field combobox"
        inputValue={value}
        onInputChange={onValueChange}
        items={list}
        selectedKey={null}
        allowsCustomValue
        menuTrigger="input"
        // The station has searched already: every match it gives is shown.
        defaultFilter={() => true}
        // Open as soon as a name is typed: "Searching..." until the station answers, then the
        // matches or "No patron by that name" (a list that appeared only later would stay shut).
        allowsEmptyCollection={nameLike}
        onSelectionChange={(key) => {
          if (key !== null) onFind(String(key));
        }}
      >
        <Label>{t('checkout.patronFind')}</Label>
        <Input ref={inputRef} name="patronBarcode" autoComplete="off" autoFocus={autoFocus} />
        <Text slot="description" className="hint">
          {t('checkout.patronHint')}
        </Text>
        <Popover className="combobox-popover" placement="bottom start">
          <ListBox<Match>
            className="combobox-list"
            renderEmptyState={() => (
              <p className="combobox-empty">
                {t(matches?.query === query ? 'checkout.noMatches' : 'checkout.searching')}
              </p>
            )}
          >
            {(m) => (
              <ListBoxItem id={m.cardBarcode} textValue={`${m.firstName} ${m.lastName}`} className="combobox-option">
                <span className="option-name">
                  {m.lastName}, {m.firstName}
                </span>{' '}
                <span className="option-card">{m.cardBarcode}</span>
              </ListBoxItem>
            )}
          </ListBox>
        </Popover>
      </ComboBox>
      <button type="submit">{t('checkout.find')}</button>
    </form>
  );
});

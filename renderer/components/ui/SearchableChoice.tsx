// A choice among many (a time zone of ~400, a currency of ~300), built on React Aria's ComboBox:
// type to narrow the list, arrow keys to move, Enter to choose. Only a value from the list is
// taken: text that names one exactly (typed or pasted whole, "America/Chicago") chooses it, any
// other text goes back to the choice when the field is left. With `name`, the chosen id is
// submitted with the form.
import { useState } from 'react';
import {
  Button,
  ComboBox,
  FieldError,
  Input,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Text,
  type Key,
} from 'react-aria-components';
import type { Choice } from './ChoiceSelect';
import { usePortalContainer } from './portal';

export function SearchableChoice({
  label,
  name,
  choices,
  defaultValue,
  onChange,
  hint,
  error,
  isRequired,
  openLabel,
}: {
  label: string;
  name: string;
  choices: readonly Choice[];
  defaultValue?: string | null;
  onChange?(id: string | null): void;
  hint?: string;
  error?: string | null;
  isRequired?: boolean;
  /** The accessible name of the button that opens the whole list. */
  openLabel: string;
}) {
  const portal = usePortalContainer<HTMLDivElement>();
  const nameOf = (id: string | null) => choices.find((c) => c.id === id)?.name ?? '';
  const [selected, setSelected] = useState<string | null>(
    defaultValue && choices.some((c) => c.id === defaultValue) ? defaultValue : null,
  );
  const [text, setText] = useState(nameOf(selected));
  const choose = (id: string | null) => {
    setSelected(id);
    onChange?.(id);
  };
  return (
    <ComboBox
      ref={portal.ref}
      className="ra-field"
      name={name}
      formValue="key"
      defaultItems={choices}
      value={selected}
      onChange={(key: Key | null) => {
        const id = key === null ? null : String(key);
        choose(id);
        if (id !== null) setText(nameOf(id));
      }}
      inputValue={text}
      onInputChange={(typed) => {
        setText(typed);
        const wanted = typed.trim().toLowerCase();
        const exact = choices.find((c) => c.id.toLowerCase() === wanted || c.name.toLowerCase() === wanted);
        if (exact && exact.id !== selected) choose(exact.id);
      }}
      menuTrigger="input"
      isInvalid={!!error}
      isRequired={isRequired}
      allowsEmptyCollection
    >
      <Label>{label}</Label>
      <div className="ra-control">
        <Input />
        <Button aria-label={openLabel}>▾</Button>
      </div>
      {hint ? <Text slot="description">{hint}</Text> : null}
      <FieldError>{error}</FieldError>
      <Popover {...(portal.container ? { UNSTABLE_portalContainer: portal.container } : {})}>
        <ListBox>
          {(c: Choice) => (
            <ListBoxItem id={c.id} textValue={c.name}>
              {c.name}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </ComboBox>
  );
}

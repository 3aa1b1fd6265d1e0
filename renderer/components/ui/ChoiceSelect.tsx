// A choice among a few named things (a pickup branch, an item type), built on React Aria's
// Select: a real listbox popup with keyboard and screen-reader behaviour, its label tied to it,
// and, with `name`, its value submitted with the form like a native select.
import { usePortalContainer } from './portal';
import {
  Button,
  FieldError,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Select,
  SelectValue,
  Text,
  type Key,
} from 'react-aria-components';

export interface Choice {
  id: string;
  name: string;
}

export function ChoiceSelect({
  label,
  name,
  choices,
  value,
  defaultValue,
  onChange,
  hint,
  error,
  isDisabled,
}: {
  label: string;
  name?: string;
  choices: readonly Choice[];
  value?: string | null;
  defaultValue?: string | null;
  onChange?(id: string): void;
  hint?: string;
  error?: string | null;
  isDisabled?: boolean;
}) {
  const portal = usePortalContainer<HTMLDivElement>();
  return (
    <Select
      ref={portal.ref}
      className="ra-field"
      name={name}
      {...(value !== undefined ? { value } : {})}
      {...(defaultValue !== undefined ? { defaultValue } : {})}
      onChange={(key: Key | null) => key !== null && onChange?.(String(key))}
      isInvalid={!!error}
      isDisabled={isDisabled}
    >
      <Label>{label}</Label>
      <Button className="react-aria-Button select-button">
        <SelectValue />
        <span aria-hidden="true">▾</span>
      </Button>
      {hint ? <Text slot="description">{hint}</Text> : null}
      <FieldError>{error}</FieldError>
      <Popover {...(portal.container ? { UNSTABLE_portalContainer: portal.container } : {})}>
        <ListBox items={choices}>{(c) => <ListBoxItem id={c.id}>{c.name}</ListBoxItem>}</ListBox>
      </Popover>
    </Select>
  );
}

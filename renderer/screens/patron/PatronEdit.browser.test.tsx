import { describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { ApiError } from '../../api/client';
import { renderInDesk } from '../../components/testing';
import { PatronEditForm, type Patron } from './PatronEdit';

const lisa: Patron = {
  id: 'p1',
  cardBarcode: '20234000000019',
  firstName: 'Lisa',
  lastName: 'Simpson',
  email: 'lisa@example.org',
  phone: null,
  address: '742 Evergreen Terrace',
  homeBranchId: 'b1',
  categoryCode: 'CHILD',
  cardExpiresOn: '2027-06-30',
  notes: '',
  keepReadingHistory: false,
  createdAt: 0,
  hasPin: true,
};
const categories = [
  { code: 'ADULT', name: 'Adult' },
  { code: 'CHILD', name: 'Child' },
];
const branches = [
  { id: 'b1', name: 'Main Street' },
  { id: 'b2', name: 'North' },
];

const form = (onSave = vi.fn((_changes: unknown) => Promise.resolve()), onCancel = vi.fn()) =>
  renderInDesk(
    <PatronEditForm patron={lisa} categories={categories} branches={branches} onSave={onSave} onCancel={onCancel} />,
  );

describe('<PatronEditForm>: editing a patron', () => {
  it('opens as a dialog with the patron as she is, the focus on the first name', async () => {
    const screen = await form();
    const dialog = screen.getByRole('dialog', { name: 'Edit Lisa Simpson' });
    await expect.element(dialog.getByLabelText('First name')).toHaveFocus();
    await expect.element(dialog.getByLabelText('First name')).toHaveValue('Lisa');
    await expect.element(dialog.getByLabelText('Patron category')).toHaveValue('CHILD');
    await expect.element(dialog.getByLabelText('Card expires on')).toHaveValue('2027-06-30');
    await expect.element(dialog.getByLabelText('Card expires on')).toHaveAttribute('type', 'date');
    await expect.element(dialog.getByLabelText('Keep a reading history (the patron chose this)')).not.toBeChecked();
  });

  it('says what is wrong under each field and sends nothing', async () => {
    const onSave = vi.fn((_changes: unknown) => Promise.resolve());
    const screen = await form(onSave);
    await screen.getByLabelText('First name').fill('   ');
    await screen.getByLabelText('Email').fill('lisa at example');
    await screen.getByLabelText('Card expires on').fill('');
    await screen.getByRole('button', { name: 'Save the changes' }).click();
    await expect.element(screen.getByLabelText('First name')).toHaveAttribute('aria-invalid', 'true');
    await expect.element(screen.getByLabelText('First name')).toHaveAccessibleDescription('Please fill this in.');
    await expect
      .element(screen.getByLabelText('Email'))
      .toHaveAccessibleDescription('That does not look like an email address.');
    await expect.element(screen.getByLabelText('Card expires on')).toHaveAccessibleDescription('Please fill this in.');
    await expect.element(screen.getByLabelText('Last name')).not.toHaveAttribute('aria-invalid');
    expect(onSave).not.toHaveBeenCalled();
  });

  it('refuses notes over 2,000 characters', async () => {
    const onSave = vi.fn((_changes: unknown) => Promise.resolve());
    const screen = await form(onSave);
    await screen.getByLabelText('Notes').fill('x'.repeat(2001));
    await screen.getByRole('button', { name: 'Save the changes' }).click();
    await expect.element(screen.getByText('At most 2000 characters.')).toBeVisible();
    expect(onSave).not.toHaveBeenCalled();
  });

  it('saves the changes, the privacy choice included, on Enter', async () => {
    const onSave = vi.fn((_changes: unknown) => Promise.resolve());
    const screen = await form(onSave);
    await screen.getByLabelText('Last name').fill('Simpson-Bouvier');
    await screen.getByLabelText('Patron category').selectOptions('Adult');
    await screen.getByLabelText('Home branch').selectOptions('North');
    await screen.getByLabelText('Card expires on').fill('2028-01-31');
    await screen.getByLabelText('Notes').fill('Prefers large print');
    await screen.getByLabelText('Keep a reading history (the patron chose this)').click();
    await screen.getByLabelText('Phone').click();
    await userEvent.keyboard('{Enter}');
    expect(onSave).toHaveBeenCalledWith({
      firstName: 'Lisa',
      lastName: 'Simpson-Bouvier',
      email: 'lisa@example.org',
      phone: null,
      address: '742 Evergreen Terrace',
      homeBranchId: 'b2',
      categoryCode: 'ADULT',
      cardExpiresOn: '2028-01-31',
      notes: 'Prefers large print',
      keepReadingHistory: true,
      // The library's language and email-when-there-is-one: nothing chosen for this patron.
      language: null,
      noticeChannel: null,
    });
  });

  it("shows the station's refusal and cancels with Escape", async () => {
    const onCancel = vi.fn();
    const screen = await form(
      vi.fn(() => Promise.reject(new ApiError({ code: 'FORBIDDEN', message: 'no' }))),
      onCancel,
    );
    await screen.getByRole('button', { name: 'Save the changes' }).click();
    await expect.element(screen.getByRole('alert')).toHaveTextContent('Your account may not do that.');
    await userEvent.keyboard('{Escape}');
    expect(onCancel).toHaveBeenCalled();
  });

  it('is in Spanish too', async () => {
    const screen = await renderInDesk(
      <PatronEditForm patron={lisa} categories={categories} branches={branches} onSave={vi.fn()} onCancel={vi.fn()} />,
      'es',
    );
    await screen.getByLabelText('Nombre', { exact: true }).fill('');
    await screen.getByRole('button', { name: 'Guardar los cambios' }).click();
    await expect
      .element(screen.getByLabelText('Nombre', { exact: true }))
      .toHaveAccessibleDescription('Rellene este campo.');
  });
});

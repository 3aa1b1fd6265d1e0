import { describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { ApiError } from '../../api/client';
import { renderInDesk } from '../../components/testing';
import { StaffForm, type StaffAccount, type StaffInput } from './Staff';

const branches = [
  { id: 'b1', name: 'Main Street' },
  { id: 'b2', name: 'North' },
];
const skinner: StaffAccount = {
  id: 's1',
  username: 'skinner',
  displayName: 'Seymour Skinner',
  role: 'supervisor',
  branchId: 'b1',
  active: true,
};

describe('<StaffForm>: a staff account', () => {
  it("asks nothing about reading history: that is a patron's choice, not a staff account's (#12 set-up)", async () => {
    const screen = await renderInDesk(
      <StaffForm account={skinner} branches={branches} onSave={vi.fn()} onCancel={vi.fn()} />,
    );
    const dialog = screen.getByRole('dialog', { name: 'Edit Seymour Skinner' });
    await expect.element(dialog.getByLabelText('Username')).toBeVisible();
    expect(dialog.element().textContent).not.toMatch(/reading|history|historial|lectura/i);
    expect(
      dialog
        .getByRole('checkbox')
        .elements()
        .map((c) => c.closest('label')?.textContent?.trim()),
    ).toEqual(['Active (may sign in)']);
  });

  it('a new account: every field labelled, the focus on the username, a password required', async () => {
    const onSave = vi.fn((_input: StaffInput) => Promise.resolve());
    const screen = await renderInDesk(
      <StaffForm account={null} branches={branches} onSave={onSave} onCancel={vi.fn()} />,
    );
    const dialog = screen.getByRole('dialog', { name: 'New staff account' });
    await expect.element(dialog.getByLabelText('Username')).toHaveFocus();
    await dialog.getByLabelText('Username').fill('edna k');
    await dialog.getByLabelText('Full name').fill('Edna Krabappel');
    await dialog.getByRole('button', { name: 'Save the account' }).click();
    await expect
      .element(dialog.getByLabelText('Username'))
      .toHaveAccessibleDescription('2 to 40 letters, digits, dots, dashes or underscores.');
    await expect
      .element(dialog.getByLabelText('Password (8 characters or more)'))
      .toHaveAccessibleDescription('A new account needs a password.');
    expect(onSave).not.toHaveBeenCalled();
  });

  it('checks the password is long enough and typed the same twice', async () => {
    const onSave = vi.fn((_input: StaffInput) => Promise.resolve());
    const screen = await renderInDesk(
      <StaffForm account={null} branches={branches} onSave={onSave} onCancel={vi.fn()} />,
    );
    await screen.getByLabelText('Username').fill('edna');
    await screen.getByLabelText('Full name').fill('Edna Krabappel');
    await screen.getByLabelText('Password (8 characters or more)').fill('short');
    await screen.getByRole('button', { name: 'Save the account' }).click();
    await expect
      .element(screen.getByLabelText('Password (8 characters or more)'))
      .toHaveAccessibleDescription('At least 8 characters.');
    await screen.getByLabelText('Password (8 characters or more)').fill('apple pie 42');
    await screen.getByLabelText('Type the password again').fill('apple pie 43');
    await screen.getByRole('button', { name: 'Save the account' }).click();
    await expect
      .element(screen.getByLabelText('Type the password again'))
      .toHaveAccessibleDescription('The two passwords differ.');
    expect(onSave).not.toHaveBeenCalled();
  });

  it('saves a new technician at a branch, on Enter', async () => {
    const onSave = vi.fn((_input: StaffInput) => Promise.resolve());
    const screen = await renderInDesk(
      <StaffForm account={null} branches={branches} onSave={onSave} onCancel={vi.fn()} />,
    );
    await screen.getByLabelText('Username').fill('Edna');
    await screen.getByLabelText('Full name').fill('Edna Krabappel');
    await screen.getByLabelText('Role').selectOptions('technician');
    await screen.getByLabelText('Branch').selectOptions('North');
    await screen.getByLabelText('Password (8 characters or more)').fill('apple pie 42');
    await screen.getByLabelText('Type the password again').fill('apple pie 42');
    await userEvent.keyboard('{Enter}');
    expect(onSave).toHaveBeenCalledWith({
      username: 'edna',
      displayName: 'Edna Krabappel',
      role: 'technician',
      branchId: 'b2',
      active: true,
      password: 'apple pie 42',
    });
  });

  it('an existing account keeps its password unless a new one is typed; it can be made inactive', async () => {
    const onSave = vi.fn((_input: StaffInput) => Promise.resolve());
    const screen = await renderInDesk(
      <StaffForm account={skinner} branches={branches} onSave={onSave} onCancel={vi.fn()} />,
    );
    await expect.element(screen.getByRole('dialog', { name: 'Edit Seymour Skinner' })).toBeVisible();
    await expect.element(screen.getByLabelText('Role')).toHaveValue('supervisor');
    await expect
      .element(screen.getByLabelText('New password (8 characters or more)'))
      .toHaveAccessibleDescription('Leave empty to keep the current password.');
    await screen.getByLabelText('Active (may sign in)').click();
    await screen.getByRole('button', { name: 'Save the account' }).click();
    expect(onSave).toHaveBeenCalledWith({
      id: 's1',
      username: 'skinner',
      displayName: 'Seymour Skinner',
      role: 'supervisor',
      branchId: 'b1',
      active: false,
    });
  });

  it("shows the station's answer (a taken username) and Escape cancels", async () => {
    const onCancel = vi.fn();
    const onSave = vi.fn(() => Promise.reject(new ApiError({ code: 'CONFLICT', message: 'That username is taken.' })));
    const screen = await renderInDesk(
      <StaffForm account={skinner} branches={branches} onSave={onSave} onCancel={onCancel} />,
    );
    await screen.getByRole('button', { name: 'Save the account' }).click();
    await expect.element(screen.getByRole('alert')).toHaveTextContent('That conflicts with an existing record.');
    await userEvent.keyboard('{Escape}');
    expect(onCancel).toHaveBeenCalled();
  });
});

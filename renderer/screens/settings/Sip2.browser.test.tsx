import { describe, expect, it, vi } from 'vitest';
import { renderInDesk } from '../../components/testing';
import { AccountForm } from './Sip2';

const branches = [
  { id: 'b1', name: 'Main Street' },
  { id: 'b2', name: 'North' },
];

describe('<AccountForm>: a SIP2 account', () => {
  it('a new account: labelled fields, a password required, the permissions as checkboxes', async () => {
    const onSave = vi.fn(() => Promise.resolve());
    const screen = await renderInDesk(
      <AccountForm account={null} branches={branches} onSave={onSave} onRemove={vi.fn()} onCancel={vi.fn()} />,
    );
    const dialog = screen.getByRole('dialog', { name: 'New SIP2 account' });
    await expect.element(dialog.getByLabelText('Login (CN)')).toHaveFocus();
    await dialog.getByLabelText('Login (CN)').fill('selfcheck 1');
    await dialog.getByRole('button', { name: 'Save the account' }).click();
    await expect
      .element(dialog.getByLabelText('Login (CN)'))
      .toHaveAccessibleDescription('1 to 64 letters, digits, dots, dashes, underscores or @.');
    await expect
      .element(dialog.getByLabelText('Password (CO, 6 characters or more)'))
      .toHaveAccessibleDescription('A new account needs a password.');
    expect(onSave).not.toHaveBeenCalled();
    await dialog.getByLabelText('Login (CN)').fill('selfcheck1');
    await dialog.getByLabelText('Password (CO, 6 characters or more)').fill('sc-secret-1');
    await dialog.getByLabelText('Branch it acts for').selectOptions('North');
    await dialog.getByLabelText('Take fee payments').click();
    await dialog.getByLabelText("Check-outs need the patron's PIN").click();
    await dialog.getByRole('button', { name: 'Save the account' }).click();
    expect(onSave).toHaveBeenCalledWith({
      login: 'selfcheck1',
      password: 'sc-secret-1',
      branchId: 'b2',
      allowed: ['checkout', 'checkin', 'renew', 'fees', 'patron_info', 'status_before_login'],
      requirePin: true,
      errorDetection: false,
      active: true,
    });
  });

  it('an existing account keeps its password unless given one, and can be removed', async () => {
    const onSave = vi.fn(() => Promise.resolve());
    const onRemove = vi.fn(() => Promise.resolve());
    const account = {
      id: 'a1',
      login: 'sorter1',
      branchId: 'b1',
      allowed: ['checkin' as const],
      requirePin: false,
      errorDetection: true,
      active: true,
      createdAt: 1,
      updatedAt: 1,
    };
    const screen = await renderInDesk(
      <AccountForm account={account} branches={branches} onSave={onSave} onRemove={onRemove} onCancel={vi.fn()} />,
    );
    await screen.getByRole('button', { name: 'Save the account' }).click();
    expect(onSave).toHaveBeenCalledWith({
      id: 'a1',
      login: 'sorter1',
      branchId: 'b1',
      allowed: ['checkin'],
      requirePin: false,
      errorDetection: true,
      active: true,
    });
    await screen.getByRole('button', { name: 'Remove sorter1' }).click();
    expect(onRemove).toHaveBeenCalledWith('a1');
  });
});

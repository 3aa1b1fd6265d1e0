import { afterEach, describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { ApiError, client } from '../../api/client';
import { renderInDesk } from '../../components/testing';
import { useScans } from '../../state/scans';
import { AddBlockDialog } from './Blocks';
import { ReplaceCardDialog, SetPinDialog } from './CardDialogs';
import { WaiveDialog } from './Fees';

describe("a patron's card, PIN and blocks", () => {
  it("checks a replacement card against the library's barcode rules (a misread check digit)", async () => {
    const onSave = vi.fn((_card: string) => Promise.resolve());
    const screen = await renderInDesk(<ReplaceCardDialog onSave={onSave} onCancel={vi.fn()} />);
    await expect.element(screen.getByLabelText('New card barcode')).toHaveFocus();
    await userEvent.keyboard('20234000000018{Enter}');
    await expect
      .element(screen.getByLabelText('New card barcode'))
      .toHaveAccessibleDescription('The check digit is wrong: a misread or a typing mistake?');
    await screen.getByLabelText('New card barcode').fill('30234000000012');
    await userEvent.keyboard('{Enter}');
    await expect
      .element(screen.getByLabelText('New card barcode'))
      .toHaveAccessibleDescription("This card barcode does not start as the library's cards do.");
    expect(onSave).not.toHaveBeenCalled();
    await screen.getByLabelText('New card barcode').fill('20234000000019');
    await userEvent.keyboard('{Enter}');
    expect(onSave).toHaveBeenCalledWith('20234000000019');
  });

  it('takes the new card from a scan', async () => {
    const onSave = vi.fn((_card: string) => Promise.resolve());
    const screen = await renderInDesk(<ReplaceCardDialog onSave={onSave} onCancel={vi.fn()} />);
    useScans.getState().push({ barcode: '20234000000027', kind: 'patron', source: 'device' });
    await expect.element(screen.getByLabelText('New card barcode')).toHaveValue('20234000000027');
    await userEvent.keyboard('{Enter}');
    expect(onSave).toHaveBeenCalledWith('20234000000027');
  });

  it('takes a PIN of 4 to 8 digits, typed the same twice', async () => {
    const onSave = vi.fn((_pin: string) => Promise.resolve());
    const screen = await renderInDesk(<SetPinDialog onSave={onSave} onCancel={vi.fn()} />);
    await screen.getByLabelText('Self-checkout PIN (4 to 8 digits)').fill('12a4');
    await screen.getByRole('button', { name: 'Save the PIN' }).click();
    await expect
      .element(screen.getByLabelText('Self-checkout PIN (4 to 8 digits)'))
      .toHaveAccessibleDescription('4 to 8 digits.');
    await screen.getByLabelText('Self-checkout PIN (4 to 8 digits)').fill('2468');
    await screen.getByLabelText('Type the PIN again').fill('2469');
    await screen.getByRole('button', { name: 'Save the PIN' }).click();
    await expect
      .element(screen.getByLabelText('Type the PIN again'))
      .toHaveAccessibleDescription('The two PINs differ.');
    await screen.getByLabelText('Type the PIN again').fill('2468');
    await screen.getByRole('button', { name: 'Save the PIN' }).click();
    expect(onSave).toHaveBeenCalledWith('2468');
  });

  it('adds a block with a reason and an end date from the date field; Escape cancels', async () => {
    const onSave = vi.fn((_block: unknown) => Promise.resolve());
    const onCancel = vi.fn();
    const screen = await renderInDesk(<AddBlockDialog onSave={onSave} onCancel={onCancel} />);
    await screen.getByRole('button', { name: 'Add the block' }).click();
    await expect.element(screen.getByLabelText('Reason')).toHaveAccessibleDescription('Please fill this in.');
    await screen.getByLabelText('Kind of block').selectOptions('Barred');
    await screen.getByLabelText('Reason').fill('Abusive to staff');
    await screen.getByLabelText('Blocked until').fill('2027-03-01');
    await screen.getByRole('button', { name: 'Add the block' }).click();
    expect(onSave).toHaveBeenCalledWith({ kind: 'barred', reason: 'Abusive to staff', until: '2027-03-01' });
    await userEvent.keyboard('{Escape}');
    expect(onCancel).toHaveBeenCalled();
  });
});

describe('waiving a fee the signed-in account may not waive', () => {
  afterEach(() => vi.restoreAllMocks());
  const fee = {
    id: 'f1',
    patronId: 'p1',
    kind: 'damage' as const,
    amount: 250,
    outstanding: 250,
    currency: 'USD',
    loanId: null,
    itemId: null,
    description: 'Torn cover',
    createdAt: Date.parse('2030-01-02T12:00:00Z'),
  };
  const forbidden = () => new ApiError({ code: 'FORBIDDEN', message: 'Your account lacks the waive_fees permission.' });

  it("offers the supervisor's form: a technician's own credentials grant nothing, a supervisor's waive it with the grant", async () => {
    vi.spyOn(client, 'call').mockImplementation(((name: string, input: { username: string }) => {
      if (name !== 'auth.verifySupervisor') return Promise.reject(new Error(`unexpected ${name}`));
      return input.username === 'skinner'
        ? Promise.resolve({ overrideToken: 'tok-1', displayName: 'Seymour Skinner' })
        : Promise.reject(forbidden());
    }) as never);
    const onSave = vi.fn((input: { override?: { token: string } }) =>
      input.override ? Promise.resolve() : Promise.reject(forbidden()),
    );
    const screen = await renderInDesk(<WaiveDialog fee={fee} locale="en-US" onSave={onSave} onCancel={vi.fn()} />);
    await screen.getByLabelText('Amount to waive (USD)').fill('1.00');
    await screen.getByLabelText('Reason for waiving').fill('Was like that when lent');
    await screen.getByRole('button', { name: 'Waive the fee' }).click();
    await expect
      .element(
        screen.getByText('A supervisor or an administrator may waive it here with their own username and password.'),
      )
      .toBeVisible();

    const form = screen.getByRole('form', { name: 'A supervisor may override' });
    await expect.element(form.getByLabelText('Supervisor username')).toHaveFocus();
    await form.getByLabelText('Supervisor username').fill('lenny');
    await form.getByLabelText('Supervisor password').fill('tech password');
    await form.getByRole('button', { name: 'Waive with their approval' }).click();
    await expect.element(form.getByRole('alert')).toHaveTextContent('Your account may not do that.');
    expect(onSave).toHaveBeenCalledTimes(1);

    await form.getByLabelText('Supervisor username').fill('skinner');
    await form.getByLabelText('Supervisor password').fill('principal pass');
    await form.getByRole('button', { name: 'Waive with their approval' }).click();
    await expect.poll(() => onSave.mock.calls.length).toBe(2);
    expect(onSave).toHaveBeenLastCalledWith({
      reason: 'Was like that when lent',
      amount: 100,
      override: { token: 'tok-1' },
    });
  });
});

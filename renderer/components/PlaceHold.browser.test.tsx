// The hold form goes away once the hold is placed or the form is cancelled: the focus goes back
// to what opened it, not to the page (found walking the desk's day: after "Place a hold" the
// keyboard was on the page's body).
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { client } from '../api/client';
import { PlaceHold } from './PlaceHold';
import { renderInDesk, setUpDesk } from './testing';

function Opener() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Hold this title
      </button>
      {open ? (
        <PlaceHold
          recordId="r1"
          title="Pedro Páramo"
          patron={{ id: 'p1', name: 'Lisa Simpson' }}
          onPlaced={() => setOpen(false)}
          onCancel={() => setOpen(false)}
        />
      ) : null}
    </>
  );
}

afterEach(() => vi.restoreAllMocks());

describe('placing a hold', () => {
  it('gives the focus back to what opened the form once the hold is placed, and once it is cancelled', async () => {
    setUpDesk();
    const placed: unknown[] = [];
    vi.spyOn(client, 'call').mockImplementation((async (name: string, input: unknown) => {
      if (name === 'branches.list') return [{ id: 'b1', code: 'MAIN', name: 'Main', timeZone: 'America/New_York' }];
      if (name === 'catalogue.record') return { items: [] };
      if (name === 'holds.place') return (placed.push(input), { id: 'h1' });
      throw new Error(name);
    }) as never);
    const screen = await renderInDesk(<Opener />);
    const opener = screen.getByRole('button', { name: 'Hold this title' });

    await opener.click();
    await screen.getByRole('button', { name: 'Place a hold' }).click();
    await expect.poll(() => placed).toHaveLength(1);
    await expect.element(screen.getByRole('button', { name: 'Place a hold' })).not.toBeInTheDocument();
    await expect.element(opener).toHaveFocus();

    await opener.click();
    await screen.getByRole('button', { name: 'Cancel' }).click();
    await expect.element(opener).toHaveFocus();
  });
});

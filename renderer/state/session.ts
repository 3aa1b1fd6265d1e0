// Who is signed in at this desk, and the station's basic facts.
//
// A staff session survives a reload of its own tab (F5, a crashed renderer, the Electron window
// reloaded) but nothing else: its token is kept in sessionStorage, which belongs to one tab (or
// one Electron window) and is gone when it closes, so a new browser, a restarted desk PC or
// another tab starts signed out. A kiosk window never reads it and wipes any it finds (a tab
// opened from a desk tab starts with a copy of the desk's sessionStorage): a patron's screen must
// never inherit a staff session (docs/security.md). A restored token is checked with the station
// before it is used; one that has ended (signed out elsewhere, expired, account disabled) is
// dropped. The kiosk's patron session is never kept: it lives in memory only.
import { create } from 'zustand';
import type { ApiOutput } from '../../src/api/contract';

type Setup = ApiOutput<'setup.status'>;
type Staff = ApiOutput<'auth.signIn'>['staff'];

export const STAFF_SESSION_KEY = 'circa.staffSession';

function tabStorage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.sessionStorage;
  } catch {
    return null; // storage refused (a locked-down profile): a reload signs out, as before
  }
}

interface SessionState {
  setup: Setup | null;
  token: string | null;
  staff: Staff | null;
  permissions: string[];
  /** False until a kept staff session has been checked (or there was none): no sign-in form flashes meanwhile. */
  restored: boolean;
  setSetup(setup: Setup): void;
  signedIn(token: string, staff: Staff, permissions: string[]): void;
  signedOut(): void;
}

export const useSession = create<SessionState>((set) => ({
  setup: null,
  token: null,
  staff: null,
  permissions: [],
  restored: false,
  setSetup: (setup) => set({ setup }),
  signedIn: (token, staff, permissions) => {
    tabStorage()?.setItem(STAFF_SESSION_KEY, token);
    set({ token, staff, permissions, restored: true });
  },
  signedOut: () => {
    tabStorage()?.removeItem(STAFF_SESSION_KEY);
    set({ token: null, staff: null, permissions: [] });
  },
}));

/** What restoring needs of the station client (the real one, or a test's). */
export interface SessionRestoreClient {
  setToken(token: string | null): void;
  call(name: 'auth.session', input: Record<string, never>): Promise<ApiOutput<'auth.session'>>;
}

/**
 * At start: picks up this tab's staff session after a reload, if the station still honours it.
 * A kiosk window takes none and forgets any it was handed.
 */
export async function restoreStaffSession(client: SessionRestoreClient, kiosk: boolean): Promise<void> {
  const storage = tabStorage();
  const token = kiosk ? null : (storage?.getItem(STAFF_SESSION_KEY) ?? null);
  if (kiosk) storage?.removeItem(STAFF_SESSION_KEY);
  if (!token) {
    useSession.setState({ restored: true });
    return;
  }
  client.setToken(token);
  try {
    const session = await client.call('auth.session', {});
    if (session.kind === 'staff' && session.staff) {
      useSession.getState().signedIn(token, session.staff, session.permissions);
      return;
    }
  } catch {
    // The station does not answer: sign in again once it does (the kept token is left for the next reload).
    client.setToken(null);
    useSession.setState({ restored: true });
    return;
  }
  client.setToken(null);
  storage?.removeItem(STAFF_SESSION_KEY);
  useSession.setState({ restored: true });
}

/** Signs a member of staff in from a form with `username` and `password` fields. */
export async function signInStaff(
  form: HTMLFormElement,
  call: (username: string, password: string) => Promise<ApiOutput<'auth.signIn'>>,
): Promise<void> {
  const f = new FormData(form);
  const r = await call(String(f.get('username')), String(f.get('password')));
  useSession.getState().signedIn(r.token, r.staff, r.permissions);
}

// Who is signed in at this desk, and the station's basic facts. Held in memory only: a reload
// signs staff out, which is what a shared desk PC wants.
import { create } from 'zustand';
import type { ApiOutput } from '../../src/api/contract';

type Setup = ApiOutput<'setup.status'>;
type Staff = ApiOutput<'auth.signIn'>['staff'];

interface SessionState {
  setup: Setup | null;
  token: string | null;
  staff: Staff | null;
  permissions: string[];
  setSetup(setup: Setup): void;
  signedIn(token: string, staff: Staff, permissions: string[]): void;
  signedOut(): void;
}

export const useSession = create<SessionState>((set) => ({
  setup: null,
  token: null,
  staff: null,
  permissions: [],
  setSetup: (setup) => set({ setup }),
  signedIn: (token, staff, permissions) => set({ token, staff, permissions }),
  signedOut: () => set({ token: null, staff: null, permissions: [] }),
}));

/** Signs a member of staff in from a form with `username` and `password` fields. */
export async function signInStaff(form: HTMLFormElement, call: (username: string, password: string) => Promise<ApiOutput<'auth.signIn'>>): Promise<void> {
  const f = new FormData(form);
  const r = await call(String(f.get('username')), String(f.get('password')));
  useSession.getState().signedIn(r.token, r.staff, r.permissions);
}

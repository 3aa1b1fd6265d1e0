// The status bar's facts: sync and devices, refreshed from the station and its events.
import { create } from 'zustand';
import type { ApiOutput } from '../../src/api/contract';

type Status = ApiOutput<'status.get'>;

interface StatusState {
  status: Status | null;
  set(status: Status): void;
}

export const useStatus = create<StatusState>((set) => ({ status: null, set: (status) => set({ status }) }));

// The shape of one method of the station API, and the helpers every area of the contract
// (src/api/contract/<area>.ts) writes its methods with.
//
// A method's `access` says who may call it:
// - 'public': anyone (health, sign-in, set-up status);
// - 'kiosk': a patron signed in at the kiosk with card and PIN, for themselves only, or staff;
// - 'staff': any staff session;
// - a Permission: a staff session whose role grants it.
import { z } from 'zod';
import type { Permission } from '../../domain/types';

export type Access = 'public' | 'kiosk' | 'staff' | Permission;

export interface ApiMethod<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  kind: 'command' | 'query';
  access: Access;
  input: I;
  output: O;
  /** Only for a caller on the station's own machine (CallContext.local), whatever its session. */
  localOnly?: boolean;
}

export const method = <I extends z.ZodType, O extends z.ZodType>(
  kind: 'command' | 'query',
  access: Access,
  input: I,
  output: O,
): ApiMethod<I, O> => ({ kind, access, input, output });

/**
 * Setting the station up and joining it to a hub: before either, the station has no staff to
 * sign in, so anyone who reached it could make themselves its administrator or point it at a hub
 * of their own. Only someone at the station's own machine may.
 */
export const onThisMachineOnly = <I extends z.ZodType, O extends z.ZodType>(
  m: ApiMethod<I, O>,
): ApiMethod<I, O> & { localOnly: true } => ({ ...m, localOnly: true });

/** The input of a method that takes none. */
export const none = z.object({}).strict();
/** The answer of a command that has nothing to say but that it is done. */
export const ok = z.object({ ok: z.literal(true) });

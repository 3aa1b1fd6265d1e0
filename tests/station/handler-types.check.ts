// A type test, checked by `npm run typecheck` (tsc), never run: the handlers' typing
// (src/station/handlers/types.ts) must accept an answer that matches its method's output schema
// and reject one that does not. Each `@ts-expect-error` fails the typecheck if the line below it
// compiles, so a loosened Handler type (back to `unknown`) breaks this file.
import { z } from 'zod';
import type { StationApi } from '../../src/api/contract';
import { method, none, ok } from '../../src/api/contract/method';
import type { Handler, HandlersOf } from '../../src/station/handlers';

type Of<N extends keyof StationApi> = Handler<StationApi[N]>;

// Right answers compile, plain or as a promise.
export const deleteItem: Of<'catalogue.deleteItem'> = () => ({ ok: true });
export const deleteItemLater: Of<'catalogue.deleteItem'> = () => Promise.resolve({ ok: true as const });
export const saveLimits: Of<'rules.saveLimits'> = (input) => ({ ...input, id: 'l1' });

// @ts-expect-error a field of the wrong value: ok is the literal true
export const wrongLiteral: Of<'catalogue.deleteItem'> = () => ({ ok: false });

// @ts-expect-error a required field missing: a saved row carries its id (the mismatch rules.saveLimits had)
export const missingId: Of<'rules.saveLimits'> = (input) => ({ ...input });

// @ts-expect-error a wrong answer inside a promise is as wrong
export const wrongLater: Of<'sync.resolveException'> = () => Promise.resolve({ resolved: 'yes' });

// @ts-expect-error a nullable field is not optional: sip2.settings must say listeningPort, null or not
export const missingNullable: Of<'sip2.settings'> = () => ({
  enabled: true,
  port: 6001,
  host: '0.0.0.0',
  listening: false,
  connections: 0,
  error: null,
});

// The input is what the method's input schema parses to.
export const readsInput: Of<'patrons.get'> = (input) => {
  // @ts-expect-error patrons.get takes a patronId, not a barcode
  void input.barcode;
  throw new Error(input.patronId);
};

// A table of handlers has one for every method, and none for a method the contract does not name.
const _api = {
  'x.one': method('query', 'public', none, ok),
  'x.two': method('command', 'staff', z.object({ n: z.number() }), ok),
};
export const complete: HandlersOf<typeof _api> = {
  'x.one': () => ({ ok: true }),
  'x.two': (input) => (input.n > 0 ? { ok: true } : { ok: true }),
};
// @ts-expect-error x.two has no handler
export const incomplete: HandlersOf<typeof _api> = { 'x.one': () => ({ ok: true }) };
// A handler the contract does not name is an error.
export const extra: HandlersOf<typeof _api> = {
  'x.one': () => ({ ok: true }),
  'x.two': () => ({ ok: true }),
  // @ts-expect-error x.three is not in the contract
  'x.three': () => ({ ok: true }),
};

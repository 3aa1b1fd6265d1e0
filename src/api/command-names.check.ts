// Compile-time checks that the journal's command names (src/domain/commands.ts) and the station
// API's method names (src/api/contract.ts) agree: every command a desk runs is the API method of
// that name, and an internal command is not one. Nothing here runs; `npm run typecheck` fails
// when a name is added to one list and not the other, or misspelled.
import type { CommandName, InternalCommand } from '../domain/commands';
import type { ApiName } from './contract';

type Assert<T extends true> = T;
type IsNever<T> = [T] extends [never] ? true : false;

/** Journaled commands that are neither an API method nor listed as internal: must be none. */
export type CommandsWithoutMethod = Exclude<CommandName, ApiName | InternalCommand>;
/** Internal commands that are API methods after all: must be none. */
export type InternalButMethod = Extract<InternalCommand, ApiName>;

export type CommandNamesChecked = [Assert<IsNever<CommandsWithoutMethod>>, Assert<IsNever<InternalButMethod>>];

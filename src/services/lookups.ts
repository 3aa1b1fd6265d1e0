// The circulation reads moved to the store (src/store/queries/circulation.ts); the service
// context holds one set per connection (ctx.circulation). These names stay for the imports that
// still use them.
export type { CirculationQueries as Lookups, DeskItem, PatronRow } from '../store/queries/circulation';
